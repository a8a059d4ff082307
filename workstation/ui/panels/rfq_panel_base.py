"""What the RFQ panel's two tabs share: the action names and runner, the Desk it needs, bid
parsing, and the base widget with the state, tables, selection helpers and action runner
both the requester view (:mod:`.rfq_requester_view`) and the market-maker view
(:mod:`.rfq_maker_view`) build on. :class:`~.rfq_panel.RfqPanel` puts them together.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from workstation.client.desk import ActionRefused
from workstation.fix.messages.enums import Side
from workstation.trading.rfq import Rfqs
from workstation.trading.rfq_maker import MakerRfqs
from workstation.ui.models.rfq_models import (
    MakerRfqModel,
    RequesterRfqModel,
    RfqQuotesModel,
)
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = [
    "ACTION_ACCEPT",
    "ACTION_CANCEL_QUOTE",
    "ACTION_CANCEL_RFQ",
    "ACTION_CONFIRM",
    "ACTION_CREATE",
    "ACTION_SEND_QUOTE",
    "WIDE_LAYOUT_WIDTH",
    "ActionFactory",
    "ActionRunner",
    "RfqDesk",
    "RfqPanelBase",
    "bold",
    "cents_text",
    "parse_bid_cents",
]

#: Action names handed to the runner (one of each may run at a time).
ACTION_CREATE = "Request quotes"
ACTION_CANCEL_RFQ = "Cancel RFQ"
ACTION_ACCEPT = "Accept quote"
ACTION_SEND_QUOTE = "Send quote"
ACTION_CANCEL_QUOTE = "Cancel quote"
ACTION_CONFIRM = "Confirm quote"

ActionFactory = Callable[[], Coroutine[Any, Any, Any]]
#: ``run(action_name, coroutine_factory)``: starts it (the bridge's ``run``); None if refused.
ActionRunner = Callable[[str, ActionFactory], "asyncio.Future[Any] | None"]

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
#: At this width and more the tables and their details sit side by side.
WIDE_LAYOUT_WIDTH = 960


class RfqDesk(Protocol):
    """What the panel needs from the Desk (``workstation.client.desk.Desk`` satisfies it)."""

    @property
    def listen_only(self) -> bool: ...
    @property
    def rfqs(self) -> Rfqs: ...
    @property
    def maker_rfqs(self) -> MakerRfqs: ...
    async def create_rfq(self, symbol: str, quantity: Decimal) -> str: ...
    async def cancel_rfq(self, quote_req_id: str) -> None: ...
    async def accept_quote(self, quote_id: str, side: Side) -> None: ...
    async def send_quote(self, quote_req_id: str, yes_bid: Decimal, no_bid: Decimal) -> str: ...
    async def cancel_quote(self, quote_req_id: str) -> None: ...
    async def confirm_quote(self, quote_req_id: str) -> None: ...


def parse_bid_cents(
    text: str, name: str, *, subpenny: bool = False
) -> tuple[Decimal | None, str | None]:
    """A bid typed in cents → (dollars or None for "no bid on this side", problem or None).

    Empty or 0 declines the side. Otherwise 1–99¢, whole cents (hundredths of a cent on a
    subpenny session).
    """
    stripped = text.strip().removesuffix("¢").strip()
    if not stripped:
        return None, None
    try:
        cents = Decimal(stripped)
    except InvalidOperation:
        return None, f"{name} bid must be a number of cents"
    if not cents.is_finite():
        return None, f"{name} bid must be a number of cents"
    if cents == 0:
        return None, None
    step = _CENT if subpenny else Decimal(1)
    grid = "0.01¢ steps" if subpenny else "whole cents"
    if not Decimal(0) < cents < _HUNDRED or cents % step:
        return None, f"{name} bid must be 1–99¢ in {grid} (0 or empty: no {name} bid)"
    return cents / _HUNDRED, None


def cents_text(price: Decimal | None) -> str:
    """A bid as the editor shows it: ``45`` (cents), ``""`` for none."""
    if not price:
        return ""
    cents = (price * _HUNDRED).normalize()
    return f"{cents:f}"


def bold(widget: QWidget, size_delta: int = 0) -> None:
    font = QFont(widget.font())
    font.setBold(True)
    if size_delta:
        font.setPointSize(max(1, font.pointSize() + size_delta))
    widget.setFont(font)


class RfqPanelBase(QWidget):
    """The state and helpers both tabs use (see the module docstring). The views and the
    panel define the widgets; ``_refresh_*`` are the panel's, through its views."""

    _desk: RfqDesk
    _run: ActionRunner
    _clock: Callable[[], float]
    _listen_only: bool
    _subpenny: bool
    _busy: set[str]
    _selected_rfq: str | None
    _selected_quote: str | None
    _selected_maker: str | None
    _select_when_seen: str | None
    _refusals: dict[str, str]  #: the last refusal shown per area
    _applying: bool  #: a batch is being applied: selection changes are not the trader's
    rfq_model: RequesterRfqModel
    quotes_model: RfqQuotesModel
    maker_model: MakerRfqModel
    tabs: QTabWidget
    maker_tab: QWidget
    confirm_alert: QPushButton

    @staticmethod
    def _table(name: str, model: Any, *, sortable: bool = True) -> QTableView:
        """A row-selecting table over ``model``; the header shows the model's own sort."""
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(22)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        if sortable:
            # setSortingEnabled sorts by the header's indicator: point it at the model's sort
            # first, or the table would re-sort by column 0 ascending
            header.setSortIndicator(model.sort_column, model.sort_order)
        table.setSortingEnabled(sortable)
        return table

    @staticmethod
    def _message(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    @staticmethod
    def _fit_columns(table: QTableView) -> None:
        """Widths to the contents (a few rows: cheap), capped so one long note cannot win."""
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        for col in range(header.count()):
            header.resizeSection(col, min(max(header.sectionSize(col), 64), 260))

    def _colours(self) -> Any:
        return STATUS_COLORS[Theme.DARK if is_dark_palette(self.palette()) else Theme.LIGHT]

    def busy(self, action: str) -> bool:
        """Whether ``action`` (one of the ACTION_* names) is running."""
        return action in self._busy

    @property
    def listen_only(self) -> bool:
        return self._listen_only

    def _reselect(
        self, table: QTableView, key: str | None, row_of: Callable[[str], int | None]
    ) -> None:
        row = None if key is None else row_of(key)
        if row is not None and self._selected_key(table) != row:
            table.selectRow(row)

    @staticmethod
    def _select_row(table: QTableView, row: int | None) -> None:
        if row is None:
            return
        table.selectRow(row)
        table.scrollTo(table.model().index(row, 0))

    def _selected_key(self, table: QTableView) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _start(
        self,
        action: str,
        factory: ActionFactory,
        *,
        area: str,
        on_ok: Callable[[Any], None] | None = None,
    ) -> bool:
        """Hand ``factory`` to the runner as ``action``; its button is disabled until it ends.

        A refusal is shown in ``area`` (and re-raised, so the runner reports it too).
        """
        if self._listen_only or action in self._busy:
            return False
        self._refusals.pop(area, None)

        async def guarded() -> Any:
            try:
                result = await factory()
            except ActionRefused as exc:
                self._refuse(area, str(exc))
                raise
            except Exception as exc:
                self._refuse(area, f"{action} failed: {exc}")
                raise
            if on_ok is not None and shiboken6.isValid(self):
                on_ok(result)
            return result

        self._busy.add(action)
        self._refresh_all()
        future = self._run(action, guarded)
        if future is None:  # the runner has that action running already
            self._busy.discard(action)
            self._refresh_all()
            return False
        future.add_done_callback(lambda _f: self._finished(action))
        return True

    def _finished(self, action: str) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy.discard(action)
        self._refresh_all()

    def _refuse(self, area: str, text: str) -> None:
        """Show why an action was not done, next to its control, until the next try."""
        if shiboken6.isValid(self):
            self._refusals[area] = text
            self._refresh_all()

    # What the two role views (rfq_requester_view, rfq_maker_view) and the panel that joins
    # them (rfq_panel.RfqPanel) provide; the shared code above calls them.
    _refresh_all: Callable[[], None]
    _refresh_requester: Callable[[], None]
    _refresh_maker: Callable[[], None]
    _refresh_editor: Callable[[], None]
