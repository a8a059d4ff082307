"""The window's Settings menu: Connection profiles… and Keys….

Each entry opens its dialog with ``open()`` (one at a time; a second click brings the open
one forward). The profiles dialog reads the settings file afresh each time, so edits saved
earlier in this run (which apply at the next start) are what it shows; a file that cannot be
read shows the defaults with the problem above them. Keys are generated and imported into
``<data dir>/keys``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenuBar

from workstation.client.config import ConfigError, WorkstationConfig, load_config
from workstation.client.paths import Paths
from workstation.ui.dialogs.keys_dialog import KeysDialog
from workstation.ui.dialogs.profiles_dialog import RESTART_NOTE, ProfilesDialog

__all__ = ["SettingsMenu", "install_settings_menu"]


class SettingsMenu(QObject):
    """The menu's actions and the dialogs they opened (kept referenced while open)."""

    def __init__(self, window: QMainWindow, menu_bar: QMenuBar, paths: Paths) -> None:
        super().__init__(window)
        self.window = window
        self.paths = paths
        self.profiles_dialog: ProfilesDialog | None = None
        self.keys_dialog: KeysDialog | None = None
        menu = menu_bar.addMenu("&Settings")
        menu.setObjectName("settingsMenu")
        menu.setToolTipsVisible(True)
        self.profiles_action = QAction("Connection &profiles…", window)
        self.profiles_action.setObjectName("actionConnectionProfiles")
        self.profiles_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Preferences))
        self.profiles_action.setToolTip(
            "Venues, sessions, API keys and Logon options; saved as TOML, applied at restart"
        )
        self.profiles_action.triggered.connect(self.open_profiles)
        menu.addAction(self.profiles_action)
        self.keys_action = QAction("&Keys…", window)
        self.keys_action.setObjectName("actionKeys")
        self.keys_action.setToolTip(
            "Generate, import and check the RSA keys that sign the Logon"
        )
        self.keys_action.triggered.connect(self.open_keys)
        menu.addAction(self.keys_action)

    def open_profiles(self) -> ProfilesDialog:
        if self.profiles_dialog is not None:
            self.profiles_dialog.raise_()
            return self.profiles_dialog
        problem = ""
        try:
            config = load_config(self.paths.config_file)
        except ConfigError as exc:
            config, problem = WorkstationConfig(), str(exc)
        dialog = ProfilesDialog(
            config, self.paths.config_file, load_problem=problem, parent=self.window
        )
        dialog.saved_to.connect(
            lambda path: self.window.statusBar().showMessage(
                f"Settings saved to {path}. {RESTART_NOTE}", 15000
            )
        )
        self.profiles_dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def open_keys(self) -> KeysDialog:
        if self.keys_dialog is not None:
            self.keys_dialog.raise_()
            return self.keys_dialog
        dialog = KeysDialog(self.paths.data_dir / "keys", parent=self.window)
        self.keys_dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if dialog is self.profiles_dialog:
            self.profiles_dialog = None
        if dialog is self.keys_dialog:
            self.keys_dialog = None
        dialog.deleteLater()


def install_settings_menu(window: QMainWindow, paths: Paths) -> SettingsMenu:
    """Add the Settings menu to ``window``'s menu bar (the one above its venue banner)."""
    menu_bar = window.findChild(QMenuBar)
    if menu_bar is None:
        raise LookupError("the window has no menu bar")
    return SettingsMenu(window, menu_bar, paths)
