"""First run: the welcome explains the local venue, the files and Demo; once dismissed it is
not shown again for that data directory."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
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


def _drive_app(step: Callable[[MainWindow], bool], limit_s: float = 60.0) -> list[str]:
    """Poll (on the app's own loop) for the window ``run_gui`` is about to open — a visible
    MainWindow that was not there before, since earlier tests may leave theirs — until
    ``step(window)`` says it is done, then close it. Past ``limit_s`` it closes the window
    anyway and records why, so a failing check fails the test instead of hanging it."""
    before = QApplication.topLevelWidgets()
    deadline = time.monotonic() + limit_s
    problems: list[str] = []

    def poll() -> None:
        window = next(
            (
                w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible() and all(w is not b for b in before)
            ),
            None,
        )
        if window is not None and step(window):
            window.close()
            return
        if window is not None and time.monotonic() > deadline:
            problems.append(f"gave up after {limit_s:.0f} s")
            window.close()
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)
    return problems


def _all_logged_on(window: MainWindow) -> bool:
    panel = window.panel("sessionStatus")
    infos = panel.model.infos() if isinstance(panel, SessionStatusPanel) else []
    return bool(infos) and all(
        i.phase in (SessionPhase.ACTIVE, SessionPhase.DISABLED) for i in infos
    )


def test_the_app_welcomes_on_the_first_run_only(qapp: QApplication, tmp_path: Path) -> None:
    """Two real starts on one data directory: the welcome over the first, none over the next
    (looked for once every session is logged on, after the moment it would be shown)."""
    # The session ends when the last window closes: windows earlier tests left open would
    # keep it running, so close them first, as a fresh process would have none.
    for leftover in QApplication.topLevelWidgets():
        if leftover.isVisible():
            leftover.close()
    data = tmp_path / "data"
    args = build_parser().parse_args(["--data-dir", str(data), "--no-flow"])
    seen: list[str] = []

    def welcome_dismissed(window: MainWindow) -> bool:
        dialogs = [d for d in window.findChildren(WelcomeDialog) if d.isVisible()]
        if dialogs:
            seen.append(dialogs[0].text.text())
            dialogs[0].close_button.click()
        return bool(dialogs)

    problems = _drive_app(welcome_dismissed)
    assert run_gui(args) == 0
    assert problems == []
    assert len(seen) == 1 and str(data / "sessions.db") in seen[0]
    assert welcome_seen(data)

    shown_again: list[bool] = []

    def logged_on_without_welcome(window: MainWindow) -> bool:
        if not _all_logged_on(window):
            return False
        shown_again.append(any(d.isVisible() for d in window.findChildren(WelcomeDialog)))
        return True

    problems = _drive_app(logged_on_without_welcome)
    assert run_gui(args) == 0
    assert problems == []
    assert shown_again == [False]
