"""A "…" button's file chooser that fills a line edit, opened with ``open()``.

The static ``QFileDialog.getOpenFileName`` runs a nested event loop; on qasync that loop
would also run our coroutines re-entrantly, so the settings dialogs use a dialog object
opened with ``open()`` whose ``fileSelected`` writes the chosen path into the field.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLineEdit, QWidget

__all__ = ["KEY_FILES", "choose_into"]

KEY_FILES = "PEM key files (*.pem *.key *.pub);;All files (*)"


def choose_into(
    parent: QWidget,
    target: QLineEdit,
    caption: str,
    *,
    folder: bool = False,
    name_filter: str = KEY_FILES,
    start: Path | None = None,
) -> QFileDialog:
    """Open a chooser for a file (or a folder) whose choice is written into ``target``."""
    current = target.text().strip()
    where = Path(current).expanduser() if current else start
    if where is not None and not where.is_dir():
        where = where.parent
    dialog = QFileDialog(parent, caption, str(where) if where is not None else "")
    dialog.setObjectName("filePicker")
    if folder:
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(name_filter)
    dialog.fileSelected.connect(target.setText)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
