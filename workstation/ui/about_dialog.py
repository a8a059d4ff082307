"""Help → About: the version, the Python and Qt it runs on, and where its files are.

The facts are a plain list (:func:`about_facts`) so "Copy" gives a bug report the same text
the dialog shows.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation import __version__
from workstation.client.paths import Paths
from workstation.ui.app_icon import app_icon
from workstation.ui.log_folder import open_log_folder

__all__ = ["APP_TITLE", "AboutDialog", "about_facts"]

APP_TITLE = "Kalshi FIX Workstation"


def about_facts(paths: Paths, log_dir: Path) -> list[tuple[str, str]]:
    """(label, value) rows: version, Python, Qt, PySide6, system, and the four locations."""
    return [
        ("Version", __version__),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("System", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("Data directory", str(paths.data_dir)),
        ("Settings file", str(paths.config_file)),
        ("Log directory", str(log_dir)),
        ("Program", str(Path(sys.executable).resolve().parent)),
    ]


class AboutDialog(QDialog):
    """Icon, name and :func:`about_facts`; Open log folder, Copy and Close buttons."""

    def __init__(self, paths: Paths, log_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_TITLE}")
        self.log_dir = log_dir
        self.facts = about_facts(paths, log_dir)

        icon = QLabel()
        icon.setObjectName("aboutIcon")
        icon.setPixmap(app_icon().pixmap(64, 64))
        title = QLabel(
            f"<b style='font-size: 15pt'>{APP_TITLE}</b><br>"
            "Trading on Kalshi's FIX API, with a local exchange built in."
        )
        title.setObjectName("aboutTitle")
        head = QHBoxLayout()
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(title, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.value_labels: dict[str, QLabel] = {}
        for name, value in self.facts:
            label = QLabel(value)
            label.setObjectName("about_" + name.lower().replace(" ", "_"))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{name}:", label)
            self.value_labels[name] = label

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_logs_button = QPushButton("Open log folder")
        self.open_logs_button.setObjectName("aboutOpenLogs")
        self.copy_button = QPushButton("Copy")
        self.copy_button.setObjectName("aboutCopy")
        self.copy_button.setToolTip("Copy these lines, for a bug report")
        buttons.addButton(self.open_logs_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.open_logs_button.clicked.connect(lambda: open_log_folder(self.log_dir))
        self.copy_button.clicked.connect(self.copy_facts)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def text(self) -> str:
        """The facts as ``Label: value`` lines."""
        return "\n".join([APP_TITLE, *(f"{name}: {value}" for name, value in self.facts)])

    def copy_facts(self) -> None:
        QApplication.clipboard().setText(self.text())
