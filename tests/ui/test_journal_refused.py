"""A journal the workstation cannot use: the GUI says which file and why, with no traceback,
leaves the file as it was and exits 1 when the trader closes the message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from workstation.__main__ import build_parser
from workstation.app import run_gui
from workstation.client.desk import DATABASE_FILE
from workstation.ui.dialogs.journal_refused import JournalRefusedDialog

from .settings_support import open_dialog


def test_the_app_shows_a_refused_journal_and_exits_1(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    journal = data / DATABASE_FILE
    journal.write_bytes(b"not a database at all\n" * 100)
    before = hashlib.sha256(journal.read_bytes()).hexdigest()
    seen: list[str] = []

    def poll() -> None:
        dialog = open_dialog(JournalRefusedDialog)
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog.text() + "\n" + dialog.informativeText())
        dialog.button(QMessageBox.StandardButton.Close).click()

    QTimer.singleShot(20, poll)
    assert run_gui(build_parser().parse_args(["--data-dir", str(data)])) == 1
    [text] = seen
    assert f"{journal} is not a SQLite database" in text and "left untouched" in text
    assert "Traceback" not in text and "JournalRefused" not in text
    assert "is not a SQLite database" in capsys.readouterr().err
    assert hashlib.sha256(journal.read_bytes()).hexdigest() == before
