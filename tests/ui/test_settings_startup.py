"""A settings file that cannot be used: the GUI says which line and what is wrong, with no
traceback, and offers to start with the defaults or quit (a --screenshot run just exits 2)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workstation.__main__ import build_parser
from workstation.app import run_gui
from workstation.client.config import ConfigError, load_config
from workstation.ui.dialogs.config_error import ConfigErrorDialog, offer_defaults

from .settings_support import deletes_flushed, open_dialog, screenshot
from .settings_venue import running_loop, wait_until

__all__ = ["deletes_flushed", "running_loop"]  # fixtures, imported for pytest

BAD_SETTINGS = """\
profile = "local"

[risk]
max_contracts = 0
"""


def bad_settings(folder: Path) -> tuple[Path, ConfigError]:
    path = folder / "workstation.toml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(BAD_SETTINGS)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return path, caught.value


def when_shown(act: Callable[[ConfigErrorDialog], None], seen: list[str]) -> None:
    """Poll (on Qt's timer) for the message, note its text, then ``act`` on it."""

    def poll() -> None:
        dialog = open_dialog(ConfigErrorDialog)
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog.text() + "\n" + dialog.informativeText())
        act(dialog)

    QTimer.singleShot(20, poll)


def test_the_message_names_the_line_and_the_problem(running_loop, qtbot, tmp_path: Path) -> None:
    path, error = bad_settings(tmp_path)
    seen: list[str] = []
    when_shown(lambda d: d.defaults_button.click(), seen)
    task = running_loop.create_task(offer_defaults(error, path))
    wait_until(task.done, "the answer")
    assert task.result() is True
    [text] = seen
    assert "Line 4: max_contracts must be 1 or more" in text and f"File: {path}" in text
    assert "Traceback" not in text and "ConfigError" not in text

    when_shown(lambda d: d.quit_button.click(), seen)
    task = running_loop.create_task(offer_defaults(error, path))
    wait_until(task.done, "the answer")
    assert task.result() is False


def test_screenshot_of_the_message(qtbot, tmp_path: Path) -> None:
    path, error = bad_settings(tmp_path)
    dialog = ConfigErrorDialog(error, path)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    screenshot(dialog, "settings-file-problem.png")
    assert dialog.defaultButton() is dialog.defaults_button
    dialog.reject()
    assert not dialog.chose_defaults()


def test_the_app_shows_it_at_start_and_quitting_exits_2(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = bad_settings(tmp_path / "data")
    seen: list[str] = []
    when_shown(lambda d: d.quit_button.click(), seen)
    assert run_gui(build_parser().parse_args(["--data-dir", str(tmp_path / "data")])) == 2
    assert len(seen) == 1 and "Line 4: max_contracts must be 1 or more" in seen[0]
    err = capsys.readouterr().err
    assert err == f"workstation: {path}, line 4: max_contracts must be 1 or more\n"
    assert path.read_text() == BAD_SETTINGS  # left as it was


def test_a_screenshot_run_with_bad_settings_exits_2_without_asking(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad_settings(tmp_path / "data")
    args = ["--data-dir", str(tmp_path / "data"), "--screenshot", str(tmp_path / "w.png")]
    assert run_gui(build_parser().parse_args(args)) == 2
    assert "line 4: max_contracts must be 1 or more" in capsys.readouterr().err
    assert open_dialog(ConfigErrorDialog) is None and not (tmp_path / "w.png").exists()
