"""First run: the welcome explains the local venue, the files and Demo; once dismissed it is
not shown again for that data directory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from workstation import __version__
from workstation.__main__ import build_parser
from workstation.app import run_gui
from workstation.client.paths import Paths
from workstation.client.records import SessionPhase
from workstation.logging_setup import log_dir_for
from workstation.ui.main_window import MainWindow
from workstation.ui.panels.session_status import SessionStatusPanel
from workstation.ui.theme import Theme, apply_theme
from workstation.ui.welcome import WELCOME_MARKER, WelcomeDialog, show_welcome_once, welcome_seen


@pytest.fixture(autouse=True)
def light_theme_afterwards(qapp: QApplication) -> Iterator[None]:
    """MainWindow applies its saved (dark) theme to the whole application; put light back
    for the tests after these, which expect it."""
    yield
    apply_theme(qapp, Theme.LIGHT)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths.resolve(data_dir=tmp_path / "data")


@pytest.fixture
def window(qtbot, paths: Paths) -> MainWindow:
    win = MainWindow("LOCAL", "profile local", paths.layout_file)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_first_run_shows_the_welcome_over_the_window(
    qtbot, window: MainWindow, paths: Paths
) -> None:
    dialog = show_welcome_once(window, paths, log_dir_for(paths))
    assert isinstance(dialog, WelcomeDialog)
    qtbot.waitExposed(dialog)
    assert dialog.isVisible()
    assert dialog.parent() is window
    assert dialog.windowModality() is Qt.WindowModality.WindowModal  # open(): the loop runs on
    text = dialog.text.text()
    assert "local venue" in text
    assert str(paths.data_dir / "keys") in text
    assert str(paths.data_dir / "sessions.db") in text  # the journal
    assert str(paths.config_file) in text
    assert str(paths.data_dir / "logs") in text
    assert "Kalshi Demo" in text and "Connection profiles" in text and "demo" in text
    assert not welcome_seen(paths.data_dir)  # not until it is dismissed
    dialog.reject()


def test_once_dismissed_it_is_not_shown_again(qtbot, window: MainWindow, paths: Paths) -> None:
    dialog = show_welcome_once(window, paths, log_dir_for(paths))
    assert dialog is not None
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert (paths.data_dir / WELCOME_MARKER).read_text(encoding="utf-8") == f"{__version__}\n"
    assert show_welcome_once(window, paths, log_dir_for(paths)) is None
    QApplication.processEvents()
    assert not any(d.isVisible() for d in window.findChildren(WelcomeDialog))


def test_escape_dismisses_it_too(qtbot, window: MainWindow, paths: Paths) -> None:
    dialog = show_welcome_once(window, paths, log_dir_for(paths))
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert welcome_seen(paths.data_dir)


def test_another_data_directory_is_a_first_run_of_its_own(
    qtbot, window: MainWindow, paths: Paths, tmp_path: Path
) -> None:
    (paths.data_dir).mkdir(parents=True, exist_ok=True)
    (paths.data_dir / WELCOME_MARKER).write_text("0.1.0\n", encoding="utf-8")
    assert show_welcome_once(window, paths, log_dir_for(paths)) is None
    other = Paths.resolve(data_dir=tmp_path / "other")
    dialog = show_welcome_once(window, other, log_dir_for(other))
    assert dialog is not None
    dialog.reject()
    assert welcome_seen(other.data_dir)


def _app_window() -> MainWindow | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            return widget
    return None


def _all_logged_on(window: MainWindow) -> bool:
    panel = window.panel("sessionStatus")
    infos = panel.model.infos() if isinstance(panel, SessionStatusPanel) else []
    return bool(infos) and all(
        i.phase in (SessionPhase.ACTIVE, SessionPhase.DISABLED) for i in infos
    )


def test_the_app_welcomes_on_the_first_run_only(qapp: QApplication, tmp_path: Path) -> None:
    """Two real starts on one data directory: the welcome over the first, none over the next
    (looked for once every session is logged on, after the moment it would be shown)."""
    data = tmp_path / "data"
    seen: list[str] = []

    def first_run() -> None:
        window = _app_window()
        dialogs = [] if window is None else [
            d for d in window.findChildren(WelcomeDialog) if d.isVisible()
        ]
        if window is None or not dialogs:
            QTimer.singleShot(20, first_run)
            return
        seen.append(dialogs[0].text.text())
        dialogs[0].close_button.click()
        window.close()

    QTimer.singleShot(20, first_run)
    assert run_gui(build_parser().parse_args(["--data-dir", str(data), "--no-flow"])) == 0
    assert len(seen) == 1 and str(data / "sessions.db") in seen[0]
    assert welcome_seen(data)

    shown_again: list[bool] = []

    def second_run() -> None:
        window = _app_window()
        if window is None or not _all_logged_on(window):
            QTimer.singleShot(20, second_run)
            return
        shown_again.append(any(d.isVisible() for d in window.findChildren(WelcomeDialog)))
        window.close()

    QTimer.singleShot(20, second_run)
    assert run_gui(build_parser().parse_args(["--data-dir", str(data), "--no-flow"])) == 0
    assert shown_again == [False]
