"""A desk monitor's watched accounts: label, API key ID and private key file per account.

A desk monitor (SPEC §14.2) logs on one listener session per watched account, each with its
own key (one connection per key; a read-scope key is enough). The label names the account
in the blotter's account filter.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workstation.client.profiles import WatchedAccount
from workstation.ui.dialogs.file_pick import KEY_FILES
from workstation.ui.dialogs.validation import Problem
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = ["WatchTable"]

LABEL, KEY_ID, KEY_FILE = range(3)
_HEADERS = ("Label", "API key ID", "Private key file")


class WatchTable(QWidget):
    """Editable rows of watched accounts, with Add, Choose key file… and Remove."""

    changed = Signal()

    def __init__(self, accounts: tuple[WatchedAccount, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("watchTable")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(_HEADERS))
        self.table.setObjectName("watchAccounts")
        self.table.setHorizontalHeaderLabels(list(_HEADERS))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(LABEL, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(KEY_ID, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(LABEL, 140)
        self.table.setColumnWidth(KEY_ID, 290)
        self.table.setMinimumHeight(110)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add account")
        self.add_button.setObjectName("watchAdd")
        self.key_button = QPushButton("Choose key file…")
        self.key_button.setObjectName("watchChooseKey")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setObjectName("watchRemove")
        for button in (self.add_button, self.key_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        for account in accounts:
            self.add_account(account.label, account.api_key_id, str(account.private_key))
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button.clicked.connect(self.remove_selected)
        self.key_button.clicked.connect(self._choose_key)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self._picker: QFileDialog | None = None

    def add_account(self, label: str = "", api_key_id: str = "", private_key: str = "") -> int:
        """Append a row (and select it); returns its index."""
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for col, text in ((LABEL, label), (KEY_ID, api_key_id), (KEY_FILE, private_key)):
            self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.blockSignals(False)
        self.table.selectRow(row)
        self.changed.emit()
        return row

    def _add_clicked(self, _checked: bool = False) -> None:
        self.add_account()

    def set_cell(self, row: int, column: int, text: str) -> None:
        item = self.table.item(row, column)
        assert item is not None
        item.setText(text)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def _choose_key(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        dialog = QFileDialog(self, "Choose the watched account's private key")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilter(KEY_FILES)
        dialog.fileSelected.connect(lambda path: self.set_cell(row, KEY_FILE, path))
        dialog.finished.connect(dialog.deleteLater)
        self._picker = dialog
        dialog.open()

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return "" if item is None else item.text().strip()

    def accounts(self) -> tuple[WatchedAccount, ...]:
        """The complete rows as watched accounts (a blank label reads as the key ID)."""
        found = []
        for row in range(self.table.rowCount()):
            key_id, key_file = self._text(row, KEY_ID), self._text(row, KEY_FILE)
            if key_id and key_file:
                found.append(
                    WatchedAccount(
                        label=self._text(row, LABEL) or key_id,
                        api_key_id=key_id,
                        private_key=Path(key_file).expanduser(),
                    )
                )
        return tuple(found)

    def problems(self) -> list[Problem]:
        """Incomplete rows and repeated labels, with the offending cells tinted."""
        colours = STATUS_COLORS[Theme.DARK if is_dark_palette(self.palette()) else Theme.LIGHT]
        bad = QColor(colours.bad)
        bad.setAlpha(70)
        found: list[Problem] = []
        seen: set[str] = set()
        self.table.blockSignals(True)
        for row in range(self.table.rowCount()):
            label = self._text(row, LABEL) or self._text(row, KEY_ID)
            wrong: dict[int, str] = {}
            if not self._text(row, KEY_ID):
                wrong[KEY_ID] = f"watched account {row + 1}: enter its API key ID"
            if not self._text(row, KEY_FILE):
                wrong[KEY_FILE] = f"watched account {row + 1}: choose its private key file"
            if label and label in seen:
                wrong[LABEL] = f"watched account {row + 1}: the label {label!r} is used twice"
            seen.add(label)
            for col in range(len(_HEADERS)):
                item = self.table.item(row, col)
                if item is None:
                    continue
                if col in wrong:
                    item.setBackground(QBrush(bad))
                    item.setToolTip(wrong[col])
                else:
                    item.setData(Qt.ItemDataRole.BackgroundRole, None)
                    item.setToolTip("")
            found += [Problem(self.table, text) for text in wrong.values()]
        self.table.blockSignals(False)
        return found
