"""The blotter's tables and filter choices: how a table view over a record model is set up
and sized, where a column added later sits and whether it shows, the filter combos that read
their choices when opened, and the P&L line under the tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView, QWidget

from workstation.ui.format import signed_money_text
from workstation.ui.models.positions_model import PositionsModel
from workstation.ui.models.table_base import RecordTableModel
from workstation.ui.timefmt import format_age

__all__ = [
    "ANY",
    "LazyCombo",
    "fit_column",
    "fit_columns",
    "make_table",
    "move_column_before",
    "pnl_summary",
    "show_column",
]

#: The choice of a filter combo that filters nothing.
ANY = "Any"
_ID_COLUMNS = frozenset({"cl_ord_id", "order_id", "exec_id", "trade_id"})
_ID_WIDTH = 120
_MAX_WIDTH = 280


class LazyCombo(QComboBox):
    """A filter combo that re-reads its choices when it opens (cheap while typing)."""

    def __init__(self, choices: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self.addItem(ANY)

    def showPopup(self) -> None:  # noqa: N802
        self.refill()
        super().showPopup()

    def refill(self) -> None:
        current = self.currentText()
        wanted = [ANY, *self._choices()]
        have = [self.itemText(i) for i in range(self.count())]
        if wanted != have:
            self.blockSignals(True)
            self.clear()
            self.addItems(wanted)
            self.setCurrentIndex(max(self.findText(current), 0))
            self.blockSignals(False)

    def value(self) -> str:
        """The choice, ``""`` for any."""
        text = self.currentText()
        return "" if text == ANY else text


def make_table(name: str, model: RecordTableModel[Any, Any]) -> QTableView:
    """A view over ``model``: whole rows selected, sorted by the model, columns movable."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    header = view.horizontalHeader()
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSortIndicator(model.sort_column, model.sort_order)
    view.setSortingEnabled(True)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    return view


def _model(view: QTableView) -> RecordTableModel[Any, Any]:
    model = view.model()
    assert isinstance(model, RecordTableModel)
    return model


def fit_columns(views: Iterable[QTableView]) -> None:
    """Size the shown columns to their contents (the rows loaded so far). Identifier
    columns are capped (their start shows; the tooltip has them whole) so the reason text
    stays on screen. A hidden column is sized when it is shown (:func:`show_column`)."""
    for view in views:
        header = view.horizontalHeader()
        for i in range(header.count()):
            if not header.isSectionHidden(i):
                fit_column(view, i)


def fit_column(view: QTableView, index: int) -> None:
    """Size one column to its contents (capped as :func:`fit_columns` says)."""
    column = _model(view).columns[index]
    view.resizeColumnToContents(index)
    header = view.horizontalHeader()
    cap = _ID_WIDTH if column.name in _ID_COLUMNS else _MAX_WIDTH
    header.resizeSection(index, min(max(header.sectionSize(index) + 8, 48), cap))


def move_column_before(view: QTableView, name: str, before: str) -> None:
    """Show column ``name`` just left of column ``before`` (models append new columns
    last; the view puts them where they read best)."""
    model = _model(view)
    header = view.horizontalHeader()
    source = header.visualIndex(model.column_index(name))
    target = header.visualIndex(model.column_index(before))
    header.moveSection(source, target if target < source else target - 1)


def show_column(view: QTableView, name: str, shown: bool, *, fit: bool = False) -> bool:
    """Show or hide column ``name``; ``fit``: size it to its contents when it appears.
    Returns whether anything changed."""
    index = _model(view).column_index(name)
    header = view.horizontalHeader()
    if header.isSectionHidden(index) != shown:
        return False
    header.setSectionHidden(index, not shown)
    if shown and fit:
        fit_column(view, index)
    return True


def pnl_summary(model: PositionsModel, marks_age: float | None) -> str:
    """``Realised +$1.20 · Unrealised −$0.40 (2 unmarked) · marks 3 s old`` over every
    position (``marks_age``: seconds since the market poll, None before one)."""
    positions = model.records()
    realised = sum((p.realized_pnl for p in positions), Decimal(0))
    unrealised_values = [model.unrealized(p) for p in positions]
    unrealised = sum((u for u in unrealised_values if u is not None), Decimal(0))
    unmarked = sum(1 for u in unrealised_values if u is None)
    age = "" if marks_age is None else f" · marks {format_age(marks_age)} old"
    note = f" ({unmarked} unmarked)" if unmarked else ""
    return (
        f"Realised {signed_money_text(realised)} · Unrealised "
        f"{signed_money_text(unrealised)}{note}{age}"
    )
