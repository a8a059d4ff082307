"""The orders table: one row per order, coloured by status, fed by ``OrderChanged`` batches.

Columns follow the blotter brief: time (ET), market, side in the trader's words, price in
the contract's terms, quantity, filled, leaves, average fill price, status, TIF, sub-account,
source (healed from drop copy / external), ClOrdID, OrderID, text, and the account (the
session's account: a desk monitor watches several). Account came last, after the others
(``earlier_column_counts``): the blotter shows it before Market and only where rows of
several accounts can meet.

Sides: an order keeps only Kalshi's Side and YES price (SPEC §8). The ticket knows what the
trader meant (Buy NO at 30¢ is Side 2 at YES 70¢), so it tells the :class:`IntentBook`;
rows of orders it sent read "Buy NO 30¢", others read as they went on the wire ("Sell YES
70¢").

Status colours (Banzai / TWS convention, trading-ui-anchors.md, extended for Kalshi): grey
= not yet sent/acknowledged, blue = pending new, green = working, teal = partially filled,
indigo = filled, magenta = cancel or replace in flight, muted = cancelled or expired, red =
rejected, amber = unknown (reconciling). Each has a light and a dark variant, chosen for
contrast on that theme's background.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from workstation.trading.changes import Change, OrderChanged
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent
from workstation.ui.format import (
    contract_price,
    et_date_time_text,
    et_time_text,
    price_text,
    quantity_text,
    side_text,
    tif_text,
)
from workstation.ui.models.table_base import Column, Facets, RecordTableModel

__all__ = [
    "STATUS_COLOURS",
    "IntentBook",
    "OrdersModel",
    "StatusColour",
    "status_colour",
    "sub_account_text",
]

_ROLE_BG = int(Qt.ItemDataRole.BackgroundRole)
_ROLE_FONT = int(Qt.ItemDataRole.FontRole)


class StatusColour:
    """Background and text colour of a status cell, for a light and a dark theme."""

    __slots__ = ("dark_bg", "dark_fg", "light_bg", "light_fg")

    def __init__(self, light_bg: str, light_fg: str, dark_bg: str, dark_fg: str) -> None:
        self.light_bg, self.light_fg, self.dark_bg, self.dark_fg = (
            light_bg,
            light_fg,
            dark_bg,
            dark_fg,
        )

    def pair(self, dark: bool) -> tuple[str, str]:
        """(background, foreground) for the theme."""
        return (self.dark_bg, self.dark_fg) if dark else (self.light_bg, self.light_fg)


_S = OrderStatus
STATUS_COLOURS: dict[OrderStatus, StatusColour] = {
    _S.PENDING_SUBMIT: StatusColour("#eceef2", "#4b5563", "#2b2f36", "#b4bcc8"),
    _S.PENDING_NEW: StatusColour("#dbeafe", "#1e40af", "#1b3357", "#9cc3ff"),
    _S.NEW: StatusColour("#d9f7e3", "#14632f", "#123a22", "#7ee2a0"),
    _S.PARTIALLY_FILLED: StatusColour("#cdf5ef", "#0f5c55", "#0f3936", "#6fe0d0"),
    _S.FILLED: StatusColour("#e2e6ff", "#3b3596", "#24275a", "#b0b8ff"),
    _S.PENDING_CANCEL: StatusColour("#f8e3fb", "#86198f", "#43193f", "#f0abfc"),
    _S.PENDING_REPLACE: StatusColour("#f8e3fb", "#86198f", "#43193f", "#f0abfc"),
    _S.CANCELLED: StatusColour("#f1f1f1", "#5f6368", "#262a30", "#a3aab5"),
    _S.EXPIRED: StatusColour("#f3efe9", "#6b5d4f", "#2d2925", "#b8ab9c"),
    _S.REJECTED: StatusColour("#fde2e2", "#b3261e", "#4a1c1c", "#ff9f9a"),
    _S.UNKNOWN: StatusColour("#fdefc3", "#8a4b00", "#4a3510", "#ffd166"),
}


def status_colour(status: OrderStatus, dark: bool) -> tuple[QColor, QColor]:
    """(background, text) colours of a status for the theme."""
    bg, fg = STATUS_COLOURS[status].pair(dark)
    return QColor(bg), QColor(fg)


#: (status, dark) -> (background brush, text brush): a status cell's colours are asked for
#: at every repaint, so the brushes are made once.
_STATUS_BRUSHES: dict[tuple[OrderStatus, bool], tuple[QBrush, QBrush]] = {}


def _status_brushes(status: OrderStatus, dark: bool) -> tuple[QBrush, QBrush]:
    brushes = _STATUS_BRUSHES.get((status, dark))
    if brushes is None:
        bg, fg = status_colour(status, dark)
        brushes = _STATUS_BRUSHES[(status, dark)] = (QBrush(bg), QBrush(fg))
    return brushes


def _italic() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


def sub_account_text(sub_account: str | None) -> str:
    """``Primary`` for the primary account, else the sub-account key."""
    return "Primary" if sub_account is None else sub_account


class IntentBook:
    """What the trader meant by each order sent from the ticket, by any of its ClOrdIDs."""

    def __init__(self) -> None:
        self._intents: dict[str, Intent] = {}

    def remember(self, cl_ord_ids: Iterable[str], intent: Intent) -> None:
        for cl_ord_id in cl_ord_ids:
            self._intents[cl_ord_id] = intent

    def link(self, order: Order) -> None:
        """Give every ClOrdID of ``order`` (a replace adds one) the intent of its first."""
        intent = self._intents.get(order.first_cl_ord_id)
        if intent is not None:
            for cl_ord_id in order.cl_ord_ids:
                self._intents.setdefault(cl_ord_id, intent)
            if order.pending is not None and order.pending.cl_ord_id is not None:
                self._intents.setdefault(order.pending.cl_ord_id, intent)

    def get(self, cl_ord_id: str) -> Intent | None:
        return self._intents.get(cl_ord_id)

    def __len__(self) -> int:
        return len(self._intents)


def _opt(value: Any) -> tuple[Any, ...]:
    """A sort key that puts missing values first and compares present ones."""
    return (0,) if value is None else (1, value)


def _source_text(order: Order) -> str:
    parts = []
    if order.healed:
        parts.append("healed")
    if order.external:
        parts.append("external")
    return ", ".join(parts)


def _source_tooltip(order: Order) -> str:
    lines = []
    if order.healed:
        lines.append("Healed: part of this order's state came from a drop-copy replay")
    if order.external:
        lines.append("External: first seen in a report, not sent from this workstation")
    return "\n".join(lines)


def _leaves(order: Order) -> Decimal:
    """Open contracts: none once the order is terminal, whatever the last report said."""
    return Decimal(0) if order.status.is_terminal else order.leaves_qty


def _text_of(order: Order) -> str:
    return order.reason or order.text or ""


class OrdersModel(RecordTableModel[str, Order]):
    """Orders keyed by their first ClOrdID; ``working_only`` keeps the open ones.

    ``share_rows_with``: another orders table over the same orders (the blotter's working
    and all-orders tabs): one row per order between them, read with that table's intents.
    """

    earlier_column_counts = frozenset({15})  # before the Account column

    def __init__(
        self,
        *,
        intents: IntentBook | None = None,
        working_only: bool = False,
        share_rows_with: OrdersModel | None = None,
        parent: Any = None,
    ) -> None:
        if share_rows_with is not None:
            if intents is not None and intents is not share_rows_with.intents:
                raise ValueError("orders tables that share rows read them with one IntentBook")
            intents = share_rows_with.intents
        self._intents = IntentBook() if intents is None else intents
        self._working_only = working_only
        self._italic = _italic()
        columns = self._build_columns()
        super().__init__(
            columns,
            sort_column=0,
            descending=True,
            share_rows_with=share_rows_with,
            parent=parent,
        )

    # -- record reading ---------------------------------------------------------------------

    def intent_of(self, order: Order) -> Intent | None:
        return self._intents.get(order.first_cl_ord_id)

    def side_of(self, order: Order) -> str:
        return side_text(order.side, self.intent_of(order))

    def price_of(self, order: Order) -> Decimal | None:
        """The limit price in the terms of the contract the trader named."""
        return contract_price(order.price, order.side, self.intent_of(order))

    def avg_of(self, order: Order) -> Decimal | None:
        """The average fill price in the contract's terms; None before any fill."""
        if order.cum_qty == 0:
            return None
        return contract_price(order.avg_px, order.side, self.intent_of(order))

    def _status_tooltip(self, order: Order) -> str:
        lines = [order.status.value]
        if order.reason:
            lines.append(order.reason)
        if order.pending is not None:
            lines.append(f"{order.pending.kind.value.capitalize()} in flight")
        if order.status is not order.confirmed_status:
            lines.append(f"Last confirmed: {order.confirmed_status.value}")
        if order.healed:
            lines.append("Healed from a drop-copy replay")
        last = order.history[-1] if order.history else None
        if last is not None and last.note:
            lines.append(f"Last event: {last.what}: {last.note}")
        return "\n".join(lines)

    def _build_columns(self) -> list[Column[Order]]:
        return [
            Column(
                "time",
                "Time (ET)",
                lambda o: et_time_text(o.created_at, ms=False),
                sort_key=lambda o: o.created_at,
                tooltip="When the order was sent or first seen, Eastern Time",
                cell_tooltip=lambda o: (
                    f"Created {et_date_time_text(o.created_at)}\n"
                    f"Updated {et_date_time_text(o.updated_at)}"
                ),
                export=lambda o: et_date_time_text(o.created_at),
            ),
            Column("market", "Market", lambda o: o.symbol),
            Column(
                "side",
                "Side",
                self.side_of,
                tooltip="Buy YES / Buy NO / Sell YES / Sell NO, as entered on the ticket",
                cell_tooltip=lambda o: f"FIX Side {o.side.value} at YES {price_text(o.price)}",
            ),
            Column(
                "price",
                "Price",
                lambda o: price_text(self.price_of(o)),
                sort_key=lambda o: _opt(self.price_of(o)),
                numeric=True,
                tooltip="Limit price of the contract named in Side",
                export=lambda o: _decimal(self.price_of(o)),
            ),
            Column(
                "quantity",
                "Qty",
                lambda o: quantity_text(o.order_qty),
                sort_key=lambda o: o.order_qty,
                numeric=True,
                export=lambda o: _decimal(o.order_qty),
            ),
            Column(
                "filled",
                "Filled",
                lambda o: quantity_text(o.cum_qty),
                sort_key=lambda o: o.cum_qty,
                numeric=True,
                export=lambda o: _decimal(o.cum_qty),
            ),
            Column(
                "leaves",
                "Leaves",
                lambda o: quantity_text(_leaves(o)),
                sort_key=_leaves,
                numeric=True,
                tooltip="Contracts still open on the book (0 once the order is done)",
                export=lambda o: _decimal(_leaves(o)),
            ),
            Column(
                "avg",
                "Avg",
                lambda o: price_text(self.avg_of(o)),
                sort_key=lambda o: _opt(self.avg_of(o)),
                numeric=True,
                tooltip="Average fill price of the contract named in Side",
                export=lambda o: _decimal(self.avg_of(o)),
            ),
            Column(
                "status",
                "Status",
                lambda o: o.status.value,
                cell_tooltip=self._status_tooltip,
            ),
            Column(
                "text",
                "Text",
                _text_of,
                tooltip="Why the order is in its state: the reject or cancel reason",
                cell_tooltip=lambda o: "\n".join(t for t in (o.reason, o.text or "") if t),
            ),
            Column("tif", "TIF", lambda o: tif_text(o.time_in_force), tooltip="Time in force"),
            Column(
                "sub_account",
                "Sub",
                lambda o: sub_account_text(o.sub_account),
                tooltip="Sub-account (AllocAccount number or FCM customer id)",
            ),
            Column(
                "source",
                "Source",
                _source_text,
                tooltip="healed: filled in from a drop-copy replay; external: not sent from here",
                cell_tooltip=_source_tooltip,
            ),
            Column(
                "cl_ord_id",
                "ClOrdID",
                lambda o: o.cl_ord_id,
                tooltip="The order's current ClOrdID (the next cancel or amend names it)",
                cell_tooltip=lambda o: "ClOrdIDs, first to current:\n" + "\n".join(o.cl_ord_ids),
            ),
            Column(
                "order_id",
                "OrderID",
                lambda o: o.order_id or "",
                cell_tooltip=lambda o: o.order_id or "",
            ),
            Column(
                "account",
                "Account",
                lambda o: o.account,
                tooltip="The account the order belongs to (a desk monitor watches several)",
            ),
        ]

    # -- RecordTableModel hooks -------------------------------------------------------------

    def key_of(self, record: Order) -> str:
        return record.first_cl_ord_id

    def keeps(self, record: Order) -> bool:
        return record.is_open if self._working_only else True

    def facets_of(self, record: Order) -> Facets:
        return Facets(
            market=record.symbol,
            side=self.side_of(record),
            status=record.status.value,
            sub_account=sub_account_text(record.sub_account),
            account=record.account,
        )

    def search_text_of(self, record: Order) -> str:
        return " ".join(
            (
                record.symbol,
                self.side_of(record),
                record.status.value,
                " ".join(record.cl_ord_ids),
                record.order_id or "",
                record.reason,
                record.text or "",
                sub_account_text(record.sub_account),
                _source_text(record),
                record.account,
            )
        )

    def cell_style(self, record: Order, column: Column[Order], role: int) -> Any:
        if role == _ROLE_FONT:
            return self._italic if record.healed else None
        if column.name != "status":
            return None
        bg, fg = _status_brushes(record.status, self.dark)
        return bg if role == _ROLE_BG else fg

    # -- feeding ----------------------------------------------------------------------------

    @property
    def intents(self) -> IntentBook:
        return self._intents

    @property
    def working_only(self) -> bool:
        return self._working_only

    def apply(self, changes: Iterable[Change]) -> None:
        """Apply one batch of domain changes (only ``OrderChanged`` concern this table)."""
        orders = [c.order for c in changes if isinstance(c, OrderChanged)]
        for order in orders:
            self._intents.link(order)
        self.upsert(orders)

    def load(self, orders: Iterable[Order]) -> None:
        """Show every order of a store (at start)."""
        orders = list(orders)
        for order in orders:
            self._intents.link(order)
        self.upsert(orders)

    def note_intent(self, order: Order, intent: Intent) -> None:
        """The ticket sent ``order`` meaning ``intent``: re-read its row in those words."""
        self._intents.remember(order.cl_ord_ids, intent)
        current = self.record(order.first_cl_ord_id)
        if current is not None:
            self.upsert([current])


def _decimal(value: Decimal | None) -> str:
    """An exact figure for CSV: plain decimal text, no exponent."""
    return "" if value is None else f"{value:f}"
