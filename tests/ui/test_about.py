"""Help → About shows the version, Python and Qt versions and the paths; Help → Open log
folder asks the desktop to show the log directory; both through the Help menu."""

from __future__ import annotations

import gc
import platform
from collections.abc import Iterator
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from workstation import __version__
from workstation.client.paths import Paths
from workstation.logging_setup import log_dir_for
from workstation.ui.about_dialog import AboutDialog, about_facts
from workstation.ui.help_menu import install_help_menu
from workstation.ui.main_window import MainWindow
from workstation.ui.theme import Theme, apply_theme
from workstation.ui.welcome import WelcomeDialog


class UrlCatcher(QObject):
    """Stands in as the desktop's handler for file: URLs (QDesktopServices.setUrlHandler)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open_url(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def file_urls(qapp: QApplication) -> Iterator[UrlCatcher]:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler(  # the stubs say bytes; PySide6 wants str
        "file", catcher, "open_url"  # type: ignore[arg-type]
    )
    try:
        yield catcher
    finally:
        QDesktopServices.unsetUrlHandler("file")


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


def test_about_shows_version_python_qt_and_every_path(qtbot, paths: Paths) -> None:
    log_dir = log_dir_for(paths)
    dialog = AboutDialog(paths, log_dir)
    qtbot.addWidget(dialog)
    shown = {name: label.text() for name, label in dialog.value_labels.items()}
    assert shown["Version"] == __version__
    assert shown["Python"].startswith(platform.python_version())
    assert shown["Qt"] == qVersion()
    assert shown["PySide6"] == PySide6.__version__
    assert shown["Data directory"] == str(paths.data_dir)
    assert shown["Settings file"] == str(paths.config_file)
    assert shown["Log directory"] == str(paths.data_dir / "logs")
    assert list(shown.items()) == about_facts(paths, log_dir)


def test_copy_puts_the_same_lines_on_the_clipboard(qtbot, paths: Paths) -> None:
    dialog = AboutDialog(paths, log_dir_for(paths))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QApplication.clipboard().text()
    assert copied.splitlines()[0] == "Kalshi FIX Workstation"
    assert f"Version: {__version__}" in copied
    assert f"Qt: {qVersion()}" in copied
    assert f"Data directory: {paths.data_dir}" in copied


def test_the_help_menu_opens_about_once_and_shows_the_log_folder(
    qtbot, window: MainWindow, paths: Paths, file_urls: UrlCatcher
) -> None:
    install_help_menu(window, paths, log_dir_for(paths))
    gc.collect()  # the menu object lives as long as the window, not as a local variable
    menu = window.findChild(QMenu, "helpMenu")
    assert menu is not None
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    assert names == ["actionGettingStarted", "actionOpenLogFolder", "actionAbout"]
    getting_started, open_logs, about = (a for a in menu.actions() if not a.isSeparator())

    about.trigger()
    dialogs = [d for d in window.findChildren(AboutDialog) if d.isVisible()]
    assert len(dialogs) == 1
    assert dialogs[0].windowModality() is Qt.WindowModality.WindowModal  # open(), not exec()
    about.trigger()  # a second click brings the same dialog forward
    assert [d for d in window.findChildren(AboutDialog) if d.isVisible()] == dialogs
    dialogs[0].reject()

    open_logs.trigger()
    assert [u.toLocalFile() for u in file_urls.urls] == [str(paths.data_dir / "logs")]
    assert (paths.data_dir / "logs").is_dir()  # created so there is something to show

    getting_started.trigger()  # the welcome, on demand, even after it was seen
    assert any(d.isVisible() for d in window.findChildren(WelcomeDialog))
    for dialog in window.findChildren(QDialog):
        dialog.reject()


def test_the_about_dialog_button_opens_the_log_folder(
    qtbot, paths: Paths, file_urls: UrlCatcher
) -> None:
    dialog = AboutDialog(paths, paths.data_dir / "elsewhere")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.open_logs_button, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in file_urls.urls] == [str(paths.data_dir / "elsewhere")]
