"""The window's Help menu: Getting started…, Open log folder, About….

Dialogs open with ``open()`` (one at a time; a second click brings the open one forward) and
never block the event loop.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenuBar

from workstation.client.paths import Paths
from workstation.ui.about_dialog import APP_TITLE, AboutDialog
from workstation.ui.log_folder import open_log_folder
from workstation.ui.welcome import WelcomeDialog

__all__ = ["HelpMenu", "install_help_menu"]


class HelpMenu(QObject):
    """The menu's actions and the dialogs they opened (kept referenced while open)."""

    def __init__(
        self, window: QMainWindow, menu_bar: QMenuBar, paths: Paths, log_dir: Path
    ) -> None:
        super().__init__(window)
        self.window = window
        self.paths = paths
        self.log_dir = log_dir
        self.about_dialog: AboutDialog | None = None
        self.welcome_dialog: WelcomeDialog | None = None
        menu = menu_bar.addMenu("&Help")
        menu.setObjectName("helpMenu")
        menu.setToolTipsVisible(True)

        self.welcome_action = QAction("&Getting started…", window)
        self.welcome_action.setObjectName("actionGettingStarted")
        self.welcome_action.setToolTip(
            "The first-run welcome: the local venue, where files are, switching to Demo"
        )
        self.welcome_action.triggered.connect(self.open_welcome)
        menu.addAction(self.welcome_action)

        self.open_logs_action = QAction("Open &log folder", window)
        self.open_logs_action.setObjectName("actionOpenLogFolder")
        self.open_logs_action.setToolTip(f"Show {log_dir} in the file manager")
        self.open_logs_action.triggered.connect(self.open_logs)
        menu.addAction(self.open_logs_action)

        menu.addSeparator()
        self.about_action = QAction(f"&About {APP_TITLE}…", window)
        self.about_action.setObjectName("actionAbout")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.setToolTip("Version, Python and Qt versions, and where files are kept")
        self.about_action.triggered.connect(self.open_about)
        menu.addAction(self.about_action)

    def open_about(self) -> AboutDialog:
        if self.about_dialog is not None:
            self.about_dialog.raise_()
            return self.about_dialog
        dialog = AboutDialog(self.paths, self.log_dir, self.window)
        self.about_dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def open_welcome(self) -> WelcomeDialog:
        if self.welcome_dialog is not None:
            self.welcome_dialog.raise_()
            return self.welcome_dialog
        dialog = WelcomeDialog(self.paths, self.log_dir, self.window)
        self.welcome_dialog = dialog
        dialog.finished.connect(lambda _r: self._closed(dialog))
        dialog.open()
        return dialog

    def open_logs(self) -> bool:
        """Show the log folder; say so in the status bar when the desktop cannot."""
        opened = open_log_folder(self.log_dir)
        if not opened:
            self.window.statusBar().showMessage(
                f"⚠ No file manager to open; the logs are in {self.log_dir}", 15000
            )
        return opened

    def _closed(self, dialog: QDialog) -> None:
        if dialog is self.about_dialog:
            self.about_dialog = None
        if dialog is self.welcome_dialog:
            self.welcome_dialog = None
        dialog.deleteLater()


def install_help_menu(window: QMainWindow, paths: Paths, log_dir: Path) -> HelpMenu:
    """Add the Help menu (last) to ``window``'s menu bar (the one above its venue banner)."""
    menu_bar = window.findChild(QMenuBar)
    if menu_bar is None:
        raise LookupError("the window has no menu bar")
    return HelpMenu(window, menu_bar, paths, log_dir)
