"""The window's Settings menu opens the profiles dialog (reading the settings file afresh)
and the key manager (keys go under the data directory), each with open(), one at a time."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMenu

from workstation.client.config import load_config
from workstation.client.paths import Paths
from workstation.fix.dialect import SessionType
from workstation.ui.dialogs.keys_dialog import KeysDialog
from workstation.ui.dialogs.profiles_dialog import ProfilesDialog
from workstation.ui.dialogs.settings_menu import install_settings_menu
from workstation.ui.main_window import MainWindow

from .settings_support import deletes_flushed

__all__ = ["deletes_flushed"]  # the autouse fixture, imported for pytest


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    win = MainWindow("LOCAL", "profile local", tmp_path / "data" / "layout.ini")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def shown(window: MainWindow, kind: type[QDialog]) -> list[QDialog]:
    return [d for d in window.findChildren(kind) if d.isVisible()]


def test_the_settings_menu_opens_each_dialog_once(
    qtbot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: QDialog) -> int:
        raise AssertionError("exec() was called")

    monkeypatch.setattr(QDialog, "exec", refuse)
    paths = Paths.resolve(data_dir=tmp_path / "data")
    install_settings_menu(window, paths)
    gc.collect()  # the menu object lives as long as the window, not as a local variable
    menu = window.findChild(QMenu, "settingsMenu")
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["Connection &profiles…", "&Keys…"]
    profiles_action, keys_action = menu.actions()

    profiles_action.trigger()
    [profiles] = shown(window, ProfilesDialog)
    assert isinstance(profiles, ProfilesDialog)
    assert profiles.windowModality() is Qt.WindowModality.WindowModal  # open(), not exec()
    profiles_action.trigger()  # a second click brings the same dialog forward
    assert shown(window, ProfilesDialog) == [profiles]

    profiles.editor("demo").sessions.row(SessionType.RT).heartbeat.setText("20")
    assert profiles.save()
    assert "Restart the workstation" in window.statusBar().currentMessage()
    assert load_config(paths.config_file).profiles["demo"].session(SessionType.RT).heartbeat == 20
    profiles.reject()
    assert shown(window, ProfilesDialog) == []

    keys_action.trigger()
    [keys] = shown(window, KeysDialog)
    assert isinstance(keys, KeysDialog)
    assert keys.keys_dir == tmp_path / "data" / "keys"
    keys.generate_button.click()
    assert (tmp_path / "data" / "keys" / "kalshi-fix.key.pem").exists()
    keys.reject()

    # reopened: the dialog shows what was saved, not what the window started with
    profiles_action.trigger()
    [reopened] = shown(window, ProfilesDialog)
    assert isinstance(reopened, ProfilesDialog) and reopened is not profiles
    assert reopened.editor("demo").sessions.row(SessionType.RT).heartbeat.text() == "20"
    reopened.reject()


def test_a_bad_settings_file_opens_the_defaults_with_the_problem_named(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    paths = Paths.resolve(data_dir=tmp_path / "data")
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text('profile = "nowhere"\n')
    dialog = install_settings_menu(window, paths).open_profiles()
    note = dialog.findChild(QLabel, "profilesLoadProblem")
    assert note is not None and "line 1: profile 'nowhere' is not defined" in note.text()
    assert dialog.active_combo.currentData() == "local"
    dialog.reject()
