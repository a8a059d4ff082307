"""The start-up message for a journal file the workstation refuses to use.

:class:`~workstation.client.journal.JournalRefused` says which file, what is wrong with it (not
a SQLite database, damaged, written by a newer version) and what the trader can do; the file
itself is left untouched. The GUI shows that text as it is — no traceback — and quits when the
trader closes the message (:func:`show_journal_refused` awaits it with ``open()``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from workstation.ui.dialogs.awaiting import await_dialog

__all__ = ["JournalRefusedDialog", "show_journal_refused"]


class JournalRefusedDialog(QMessageBox):
    """Says why the journal cannot be used; the only answer is to quit."""

    def __init__(self, problem: str | Exception, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("journalRefusedDialog")
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle("Journal problem")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText("The workstation cannot start: its journal cannot be used.")
        self.problem = str(problem)
        self.setInformativeText(self.problem)
        self.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 480px; }")
        self.setStandardButtons(QMessageBox.StandardButton.Close)


async def show_journal_refused(problem: str | Exception, parent: QWidget | None = None) -> None:
    """Show the problem and return once the trader has closed the message."""
    dialog = JournalRefusedDialog(problem, parent)
    try:
        await await_dialog(dialog)
    finally:
        dialog.deleteLater()
