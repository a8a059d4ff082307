"""The start-up message for a settings file that cannot be used.

``load_config`` raises a :class:`~workstation.client.config.ConfigError` whose text names the
file, the line and what to write instead. The GUI shows that text as it is — no traceback —
and offers to start with the default settings (the local simulator) or to quit. Starting with
defaults leaves the file untouched: the trader fixes it (or saves over it from Settings →
Connection profiles) and restarts.

:func:`offer_defaults` opens the message with ``open()`` and awaits its answer through a
future, so it can run on the qasync loop like every other dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from workstation.ui.dialogs.awaiting import await_dialog

__all__ = ["ConfigErrorDialog", "offer_defaults"]


class ConfigErrorDialog(QMessageBox):
    """Says what is wrong with the settings file; the trader starts with defaults or quits."""

    def __init__(
        self, problem: str | Exception, config_path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("configErrorDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("Settings file problem")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText("The settings file cannot be used.")
        self.problem = str(problem)
        where = str(config_path)
        said = self.problem.removeprefix(f"{where}, ").removeprefix(f"{where}: ")
        said = said[:1].upper() + said[1:]
        self.setInformativeText(
            f"{said}\n\nFile: {where}\n\n"
            "Fix it and restart, or start now with the default settings (the local "
            "simulator); the file is left as it is."
        )
        self.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 480px; }")
        self.defaults_button = QPushButton("Start with defaults")
        self.defaults_button.setObjectName("configErrorDefaults")
        self.addButton(self.defaults_button, QMessageBox.ButtonRole.AcceptRole)
        self.quit_button = QPushButton("Quit")
        self.quit_button.setObjectName("configErrorQuit")
        self.addButton(self.quit_button, QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.defaults_button)
        self.setEscapeButton(self.quit_button)

    def chose_defaults(self) -> bool:
        return self.clickedButton() is self.defaults_button


async def offer_defaults(
    problem: str | Exception, config_path: Path, parent: QWidget | None = None
) -> bool:
    """Show the problem; True when the trader chooses to start with the default settings."""
    dialog = ConfigErrorDialog(problem, config_path, parent)
    try:
        await await_dialog(dialog)
        return dialog.chose_defaults()
    finally:
        dialog.deleteLater()
