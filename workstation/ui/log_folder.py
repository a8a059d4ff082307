"""Open the log folder in the system's file manager (Help menu, crash dialog, About)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

__all__ = ["open_log_folder"]


def open_log_folder(log_dir: Path) -> bool:
    """Show ``log_dir`` in the file manager (created first if missing); False when the
    desktop has no handler for folders."""
    log_dir.mkdir(parents=True, exist_ok=True)
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir)))
