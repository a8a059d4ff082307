"""Asking for an encrypted private key's passphrase while the Desk starts its sessions.

The Desk's ``start(ask_passphrase)`` awaits a coroutine ``(path) -> str | None`` for every
encrypted key it needs (SPEC §5.1: an encrypted PEM is allowed; its passphrase is never
stored). :func:`ask_passphrase` is that coroutine in its plainest form: it opens a
:class:`PassphraseDialog` with ``open()`` — never ``exec()``, which would run a nested event
loop inside a coroutine on qasync — and resolves an asyncio future from the dialog's
``finished`` signal: the typed text on OK, ``None`` on Cancel or when the window is closed.

:class:`PassphrasePrompt` is what the app hands the Desk: it tries each passphrase on the key
before answering, so a typo asks again ("wrong passphrase") instead of failing the start-up,
and it remembers a passphrase that worked only until :meth:`PassphrasePrompt.forget` (the
app calls it once every session is started), so sessions sharing a key file ask once.

The passphrase lives only in memory: it is never written, logged, shown, or put into an
exception message (the key errors name the file, never the passphrase), and the line edit is
cleared as soon as it has been read.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.fix.keys import KeyFileError, WrongPassphrase, load_private_key
from workstation.ui.dialogs.awaiting import await_dialog
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = ["PassphraseDialog", "PassphrasePrompt", "ask_passphrase"]

WRONG_PASSPHRASE = "Wrong passphrase for this key; try again."


class PassphraseDialog(QDialog):
    """A masked one-line prompt for one key file's passphrase (open it with ``open()``)."""

    def __init__(self, path: Path, *, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle("Private key passphrase")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.path = path
        self._typed = ""
        colours = STATUS_COLORS[Theme.DARK if is_dark_palette(self.palette()) else Theme.LIGHT]

        layout = QVBoxLayout(self)
        intro = QLabel(
            f"The private key <b>{_html(path.name)}</b> is encrypted.<br>"
            "Enter its passphrase to sign the Logon. It is kept in memory only, "
            "never saved."
        )
        intro.setObjectName("passphraseIntro")
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        where = QLabel(str(path))
        where.setObjectName("passphrasePath")
        where.setStyleSheet(f"color: {colours.muted};")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(where)

        self.edit = QLineEdit()
        self.edit.setObjectName("passphraseEdit")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText("Passphrase")
        self.edit.setMinimumWidth(360)
        layout.addWidget(self.edit)

        self.problem = QLabel(problem)
        self.problem.setObjectName("passphraseProblem")
        self.problem.setStyleSheet(f"color: {colours.bad};")
        self.problem.setVisible(bool(problem))
        layout.addWidget(self.problem)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Unlock")
        self.ok_button.setObjectName("passphraseOk")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText("Skip this key")
        cancel.setObjectName("passphraseCancel")
        cancel.setToolTip("Sessions that use this key are not started")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.edit.textChanged.connect(self._changed)
        self._changed()
        self.edit.setFocus()

    def _changed(self, *_args: object) -> None:
        self.ok_button.setEnabled(bool(self.edit.text()))

    def done(self, code: int) -> None:
        """Closing moves the text out of the field at once (kept only if accepted)."""
        accepted = code == QDialog.DialogCode.Accepted.value
        self._typed = self.edit.text() if accepted else ""
        self.edit.clear()
        super().done(code)

    def take_passphrase(self) -> str:
        """The passphrase accepted with Unlock ("" otherwise), handed over once."""
        text, self._typed = self._typed, ""
        return text


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


async def ask_passphrase(
    path: Path, *, parent: QWidget | None = None, problem: str = ""
) -> str | None:
    """Ask for ``path``'s passphrase: the typed text, or ``None`` when the trader cancels.

    The dialog is opened with ``open()`` and awaited through a future; if the awaiting task
    is cancelled the dialog is closed.
    """
    dialog = PassphraseDialog(path, problem=problem, parent=parent)
    try:
        await await_dialog(dialog)
        return dialog.take_passphrase() or None
    finally:
        dialog.edit.clear()
        dialog.deleteLater()


class PassphrasePrompt:
    """The Desk's ``ask_passphrase``: asks, checks the answer on the key, asks again if wrong.

    Returns ``None`` when the trader cancels. A passphrase that opened a key is remembered
    (in memory, by file) until :meth:`forget`, so one start-up asks once per key file.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        self._parent = parent
        self._known: dict[Path, str] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(remembered={len(self._known)})"

    async def __call__(self, path: Path) -> str | None:
        where = path.expanduser().resolve()
        known = self._known.get(where)
        if known is not None:
            return known
        problem = ""
        while True:
            passphrase = await ask_passphrase(path, parent=self._parent, problem=problem)
            if passphrase is None:
                return None
            try:
                load_private_key(path, passphrase)
            except WrongPassphrase:
                problem = WRONG_PASSPHRASE
                continue
            except KeyFileError:
                # Not a passphrase problem: the Desk's own load reports it, naming the file.
                return passphrase
            self._known[where] = passphrase
            return passphrase

    def forget(self) -> None:
        """Drop every remembered passphrase (call once the sessions are started)."""
        self._known.clear()
