"""Table models of the RFQ panel, both roles, and the words they show.

Requester (our RFQs on the order session, ``trading.rfq``):

- :class:`RequesterRfqModel` — one row per RFQ we sent: status, market, size, how many live
  quotes, the best YES bid and best NO bid among them, age, the last reason.
- :class:`RfqQuotesModel` — the live quotes of the RFQ the trader selected: maker pseudonym,
  YES bid, NO bid, and what they mean to us: **Buy YES at 1 − NO bid** (accepting with Side
  BUY takes the maker's NO bid) and **Sell YES at the YES bid** (Side SELL). The best of each
  is bold. A handful of rows, so it diffs each update by quote ID instead of resetting.

Market maker (requests sent to us on KalshiRFQ, ``trading.rfq_maker``):

- :class:`MakerRfqModel` — one row per incoming request: status, market, size (contracts or a
  cash target), requester pseudonym, age, our quote, and the confirm countdown once accepted.

Time: ages and the countdown depend on the clock, not only on the record. Each model holds
``now`` and :meth:`tick` repaints only its time columns, once per whole second. An accepted
quote whose confirm window has run out reads as voided at once, before any report says so
(:func:`maker_status_text`).

``data()`` returns text, never a ``Decimal`` (DESIGN.md: Qt paints a Decimal blank).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from workstation.fix.messages.enums import Side
from workstation.trading.changes import Change, MakerRfqChanged, RfqChanged
from workstation.trading.rfq import Rfq, RfqQuote, RfqStatus
from workstation.trading.rfq_maker import MakerRfq, MakerStatus
from workstation.ui.format import money_text, price_text, quantity_text
from workstation.ui.models.table_base import Column, Facets, RecordTableModel, is_dark_palette
from workstation.ui.timefmt import format_age

__all__ = [
    "CONFIRM_URGENT_SECONDS",
    "MakerRfqModel",
    "RequesterRfqModel",
    "RfqQuotesModel",
    "best_no_bid",
    "best_yes_bid",
    "confirm_expired",
    "confirm_seconds_text",
    "maker_quote_text",
    "maker_status_text",
    "rfq_size_text",
    "spread_cents",
    "whole_seconds_left",
]

#: Under this many seconds left, the confirm countdown turns red.
CONFIRM_URGENT_SECONDS = 10

_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_ROLE = Qt.ItemDataRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
AnyIndex = QModelIndex | QPersistentModelIndex

# (light background, light text, dark background, dark text) per state
_REQUESTER_COLOURS: dict[RfqStatus, tuple[str, str, str, str]] = {
    RfqStatus.SENT: ("#eceef2", "#4b5563", "#2b2f36", "#b4bcc8"),
    RfqStatus.OPEN: ("#d9f7e3", "#14632f", "#123a22", "#7ee2a0"),
    RfqStatus.ACCEPTING: ("#f8e3fb", "#86198f", "#43193f", "#f0abfc"),
    RfqStatus.ACCEPTED: ("#e2e6ff", "#3b3596", "#24275a", "#b0b8ff"),
    RfqStatus.CANCELLING: ("#f8e3fb", "#86198f", "#43193f", "#f0abfc"),
    RfqStatus.CANCELLED: ("#f1f1f1", "#5f6368", "#262a30", "#a3aab5"),
    RfqStatus.EXPIRED: ("#f3efe9", "#6b5d4f", "#2d2925", "#b8ab9c"),
    RfqStatus.REJECTED: ("#fde2e2", "#b3261e", "#4a1c1c", "#ff9f9a"),
}
_MAKER_COLOURS: dict[MakerStatus, tuple[str, str, str, str]] = {
    MakerStatus.OPEN: ("#dbeafe", "#1e40af", "#1b3357", "#9cc3ff"),
    MakerStatus.QUOTE_SENT: ("#eceef2", "#4b5563", "#2b2f36", "#b4bcc8"),
    MakerStatus.QUOTED: ("#d9f7e3", "#14632f", "#123a22", "#7ee2a0"),
    MakerStatus.QUOTE_REJECTED: ("#fde2e2", "#b3261e", "#4a1c1c", "#ff9f9a"),
    MakerStatus.ACCEPTED: ("#fdefc3", "#8a4b00", "#4a3510", "#ffd166"),
    MakerStatus.CONFIRMING: ("#f8e3fb", "#86198f", "#43193f", "#f0abfc"),
    MakerStatus.CONFIRMED: ("#e2e6ff", "#3b3596", "#24275a", "#b0b8ff"),
    MakerStatus.VOIDED: ("#fde2e2", "#b3261e", "#4a1c1c", "#ff9f9a"),
    MakerStatus.CLOSED: ("#f1f1f1", "#5f6368", "#262a30", "#a3aab5"),
}
_URGENT = ("#c62828", "#f85149")  # light, dark: the confirm countdown under 10 s
_ALERT = ("#8a4b00", "#ffd166")  # light, dark: the countdown with time to spare


def _colour_pair(colours: tuple[str, str, str, str], dark: bool) -> tuple[QColor, QColor]:
    light_bg, light_fg, dark_bg, dark_fg = colours
    return (QColor(dark_bg), QColor(dark_fg)) if dark else (QColor(light_bg), QColor(light_fg))


def _opt(value: Any) -> tuple[Any, ...]:
    """A sort key that puts missing values first and compares present ones."""
    return (0,) if value is None else (1, value)


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


# ---------------------------------------------------------------------------- words


def rfq_size_text(order_qty: Decimal | None, cash_order_qty: Decimal | None) -> str:
    """``100`` contracts, or a cash target ``$50.00 cash``; ``""`` when neither is known."""
    if order_qty is not None:
        return quantity_text(order_qty)
    if cash_order_qty is not None:
        return f"{money_text(cash_order_qty)} cash"
    return ""


def best_yes_bid(quotes: Iterable[RfqQuote]) -> Decimal | None:
    """The highest YES bid: the best price we can sell YES at."""
    return max((q.yes_bid for q in quotes if q.yes_bid is not None), default=None)


def best_no_bid(quotes: Iterable[RfqQuote]) -> Decimal | None:
    """The highest NO bid: buying YES at 1 − it is the cheapest YES on offer."""
    return max((q.no_bid for q in quotes if q.no_bid is not None), default=None)


def spread_cents(yes_bid: Decimal | None, no_bid: Decimal | None) -> Decimal | None:
    """The implied spread ``100 − yes − no`` in cents (bids in dollars); None unless two-sided.

    Negative when the bids add up to more than $1, which the exchange rejects.
    """
    if not yes_bid or not no_bid:
        return None
    return (_ONE - yes_bid - no_bid) * _HUNDRED


def maker_quote_text(yes_bid: Decimal | None, no_bid: Decimal | None) -> str:
    """``YES 45¢ · NO 52¢``; a declined side reads ``—``."""
    yes = price_text(yes_bid) if yes_bid else "—"
    no = price_text(no_bid) if no_bid else "—"
    return f"YES {yes} · NO {no}"


def whole_seconds_left(seconds: float) -> int:
    """Seconds left as a countdown shows them: rounded up, so "0 s" means the time is up."""
    return max(0, math.ceil(seconds - 1e-9))


def confirm_expired(rfq: MakerRfq, now: float) -> bool:
    """An accepted quote whose confirm window has run out with no confirm sent."""
    left = rfq.seconds_to_confirm(now)
    return left is not None and whole_seconds_left(left) == 0


def confirm_seconds_text(rfq: MakerRfq, now: float) -> str:
    """The countdown column: ``23 s`` while the window runs, ``missed`` after; else ``""``."""
    left = rfq.seconds_to_confirm(now)
    if left is None:
        return ""
    whole = whole_seconds_left(left)
    return "missed" if whole == 0 else f"{whole} s"


def maker_status_text(rfq: MakerRfq, now: float) -> str:
    """The state as the trader reads it; a confirm window that ran out already reads voided."""
    if confirm_expired(rfq, now):
        return "Voided — not confirmed in time"
    if rfq.status is MakerStatus.OPEN and rfq.quote is not None and rfq.quote.cancelled:
        return "Open (our quote cancelled)"
    return rfq.status.value


# ---------------------------------------------------------------------------- requester


class RequesterRfqModel(RecordTableModel[str, Rfq]):
    """Our RFQs as requester, newest first (by Age), keyed by our QuoteReqID."""

    time_columns = frozenset({"age"})

    def __init__(self, *, now: float = 0.0, parent: Any = None) -> None:
        self._now = now
        self._second = int(now)
        columns = self._build_columns()
        age = next(i for i, c in enumerate(columns) if c.name == "age")
        super().__init__(columns, sort_column=age, parent=parent)

    @property
    def now(self) -> float:
        return self._now

    def _build_columns(self) -> list[Column[Rfq]]:
        return [
            Column("status", "Status", self._status_text, cell_tooltip=self._status_tooltip),
            Column("market", "Market", lambda r: r.symbol or ""),
            Column(
                "size",
                "Size",
                lambda r: rfq_size_text(r.order_qty, r.cash_order_qty),
                sort_key=lambda r: _opt(r.order_qty),
                numeric=True,
                tooltip="Contracts asked for (or a cash target)",
            ),
            Column(
                "quotes",
                "Quotes",
                lambda r: str(len(r.quotes)),
                sort_key=lambda r: len(r.quotes),
                numeric=True,
                tooltip="Live quotes: one per maker (a new quote replaces the maker's last)",
            ),
            Column(
                "best_yes",
                "YES bid",
                lambda r: price_text(best_yes_bid(r.quotes)),
                sort_key=lambda r: _opt(best_yes_bid(r.quotes)),
                numeric=True,
                tooltip="The best (highest) YES bid among the quotes: you can sell YES at it",
            ),
            Column(
                "best_no",
                "NO bid",
                lambda r: price_text(best_no_bid(r.quotes)),
                sort_key=lambda r: _opt(best_no_bid(r.quotes)),
                numeric=True,
                tooltip="The best (highest) NO bid among the quotes: buy YES at 100¢ − it",
            ),
            Column(
                "age",
                "Age",
                lambda r: format_age(self._now - r.created_at),
                sort_key=lambda r: -r.created_at,
                numeric=True,
                tooltip="Time since the RFQ was sent",
            ),
            Column("note", "Note", self._note, cell_tooltip=self._note),
            Column(
                "rfq_id",
                "RFQ ID",
                lambda r: r.rfq_id or "",
                tooltip="The exchange's RfqId (21023), from its acknowledgement",
                cell_tooltip=self._id_tooltip,
            ),
        ]

    @staticmethod
    def _id_tooltip(rfq: Rfq) -> str:
        rfq_id = rfq.rfq_id or "(not yet acknowledged)"
        return f"RfqId {rfq_id}\nOur QuoteReqID {rfq.quote_req_id}"

    @staticmethod
    def _status_text(rfq: Rfq) -> str:
        return str(rfq.status.value)

    @staticmethod
    def _status_tooltip(rfq: Rfq) -> str:
        if rfq.status is RfqStatus.ACCEPTED:
            return "Accepted: the trade follows as executions (accepted is not yet executed)"
        if rfq.status is RfqStatus.SENT:
            return "Sent; the exchange has not acknowledged it yet"
        return str(rfq.status.value)

    @staticmethod
    def _note(rfq: Rfq) -> str:
        if rfq.status is RfqStatus.ACCEPTED and rfq.accepted_quote_id is not None:
            quote = rfq.quote(rfq.accepted_quote_id)
            return accepted_words(rfq, quote)
        return rfq.text

    # -- RecordTableModel hooks -------------------------------------------------------------

    def key_of(self, record: Rfq) -> str:
        return record.quote_req_id

    def facets_of(self, record: Rfq) -> Facets:
        return Facets(market=record.symbol or "", status=record.status.value)

    def search_text_of(self, record: Rfq) -> str:
        return " ".join(
            (record.symbol or "", record.status.value, record.quote_req_id, record.rfq_id or "")
        )

    def cell_style(self, record: Rfq, column: Column[Rfq], role: int) -> Any:
        if column.name != "status" or role == _ROLE.FontRole:
            return None
        bg, fg = _colour_pair(_REQUESTER_COLOURS[record.status], self.dark)
        return QBrush(bg if role == _ROLE.BackgroundRole else fg)

    # -- feeding ----------------------------------------------------------------------------

    def apply(self, changes: Iterable[Change]) -> list[Rfq]:
        """Apply one batch (only ``RfqChanged`` concern this table); returns the RFQs."""
        rfqs = [c.rfq for c in changes if isinstance(c, RfqChanged)]
        self.upsert(rfqs)
        return rfqs

    def tick(self, now: float) -> None:
        """Move the clock; the Age column repaints once per whole second."""
        self._now = now
        if int(now) != self._second:
            self._second = int(now)
            _repaint_columns(self, [self.column_index(n) for n in self.time_columns])


def accepted_words(rfq: Rfq, quote: RfqQuote | None) -> str:
    """``Accepted: Buy YES at 46¢ from mm-alpha`` for an RFQ whose accept went through."""
    side = rfq.accept_side
    if side is None:
        return "Accepted"
    if quote is None:
        return f"Accepted: {'Buy YES' if side is Side.BUY else 'Sell YES'}"
    price = quote.buy_yes_price if side is Side.BUY else quote.sell_yes_price
    verb = "Buy YES" if side is Side.BUY else "Sell YES"
    maker = f" from {quote.quoter}" if quote.quoter else ""
    return f"Accepted: {verb} at {price_text(price)}{maker}"


def _repaint_columns(model: QAbstractTableModel, columns: Sequence[int]) -> None:
    rows = model.rowCount()
    if rows == 0:
        return
    for col in columns:
        model.dataChanged.emit(model.index(0, col), model.index(rows - 1, col))


class RfqQuotesModel(QAbstractTableModel):
    """The live quotes on one of our RFQs, in arrival order, diffed by QuoteID on update."""

    HEADERS: tuple[str, ...] = (
        "Maker",
        "YES bid",
        "NO bid",
        "Buy YES at",
        "Sell YES at",
        "Size",
        "Age",
    )
    COL_MAKER, COL_YES, COL_NO, COL_BUY_YES, COL_SELL_YES, COL_SIZE, COL_AGE = range(7)
    _TOOLTIPS: tuple[str, ...] = (
        "The maker's pseudonym (makers are anonymous)",
        "What the maker pays for YES",
        "What the maker pays for NO",
        "Accept Buy YES: you pay 100¢ − the NO bid for each YES contract (Side 1 takes the NO bid)",
        "Accept Sell YES: you get the YES bid for each YES contract (Side 2 takes the YES bid); "
        "the same as buying NO at 100¢ − the YES bid",
        "Contracts quoted (a quote is for the RFQ's full size)",
        "Time since the quote arrived",
    )

    def __init__(self, *, now: float = 0.0, parent: Any = None) -> None:
        super().__init__(parent)
        self._quotes: list[RfqQuote] = []
        self._rfq: Rfq | None = None
        self._now = now
        self._second = int(now)

    # -- reading ----------------------------------------------------------------------------

    @property
    def rfq(self) -> Rfq | None:
        return self._rfq

    def quotes(self) -> list[RfqQuote]:
        return list(self._quotes)

    def quote_at(self, row: int) -> RfqQuote | None:
        return self._quotes[row] if 0 <= row < len(self._quotes) else None

    def row_of(self, quote_id: str) -> int | None:
        return next((i for i, q in enumerate(self._quotes) if q.quote_id == quote_id), None)

    def _best(self) -> tuple[Decimal | None, Decimal | None]:
        return best_no_bid(self._quotes), best_yes_bid(self._quotes)

    # -- Qt model API -----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._quotes)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == _ROLE.DisplayRole:
            return self.HEADERS[section]
        if role == _ROLE.ToolTipRole:
            return self._TOOLTIPS[section]
        if role == _ROLE.TextAlignmentRole:
            return _LEFT if section == self.COL_MAKER else _RIGHT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._quotes) and 0 <= col < len(self.HEADERS)):
            return None
        quote = self._quotes[row]
        if role == _ROLE.DisplayRole:
            return self._text(quote, col)
        if role == _ROLE.TextAlignmentRole:
            return _LEFT if col == self.COL_MAKER else _RIGHT
        if role == _ROLE.ToolTipRole:
            return self._tooltip(quote, col)
        if role == _ROLE.FontRole:
            return _bold() if self._is_best(quote, col) or self._is_accepted(quote) else None
        if role == _ROLE.ForegroundRole and self._is_best(quote, col):
            dark = is_dark_palette()
            return QBrush(QColor("#3fb950" if dark else "#1a7f37"))
        return None

    def _is_accepted(self, quote: RfqQuote) -> bool:
        rfq = self._rfq
        return rfq is not None and rfq.accepted_quote_id == quote.quote_id

    def _is_best(self, quote: RfqQuote, col: int) -> bool:
        if len(self._quotes) < 2:
            return False
        best_no, best_yes = self._best()
        if col == self.COL_BUY_YES:
            return quote.no_bid is not None and quote.no_bid == best_no
        if col == self.COL_SELL_YES:
            return quote.yes_bid is not None and quote.yes_bid == best_yes
        return False

    def _text(self, quote: RfqQuote, col: int) -> str:
        if col == self.COL_MAKER:
            name = quote.quoter or "(anonymous)"
            return f"✓ {name}" if self._is_accepted(quote) else name
        if col == self.COL_YES:
            return price_text(quote.yes_bid) or "—"
        if col == self.COL_NO:
            return price_text(quote.no_bid) or "—"
        if col == self.COL_BUY_YES:
            return price_text(quote.buy_yes_price) or "—"
        if col == self.COL_SELL_YES:
            return price_text(quote.sell_yes_price) or "—"
        if col == self.COL_SIZE:
            return quantity_text(quote.order_qty)
        return format_age(self._now - quote.received_at)

    def _tooltip(self, quote: RfqQuote, col: int) -> str | None:
        if col == self.COL_BUY_YES and quote.no_bid is not None:
            return (
                f"Buy YES at {price_text(quote.buy_yes_price)} = 100¢ − NO bid "
                f"{price_text(quote.no_bid)}"
            )
        if col == self.COL_SELL_YES and quote.yes_bid is not None:
            return (
                f"Sell YES at {price_text(quote.yes_bid)} (the YES bid) = buy NO at "
                f"{price_text(quote.buy_no_price)}"
            )
        if col == self.COL_MAKER:
            return f"QuoteID {quote.quote_id}"
        return None

    # -- feeding ----------------------------------------------------------------------------

    def show_rfq(self, rfq: Rfq | None) -> None:
        """Show ``rfq``'s quotes: a reset for another RFQ, a diff for the same one."""
        same = (
            rfq is not None and self._rfq is not None and rfq.quote_req_id == self._rfq.quote_req_id
        )
        self._rfq = rfq
        new = list(rfq.quotes) if rfq is not None else []
        if not same:
            self.beginResetModel()
            self._quotes = new
            self.endResetModel()
            return
        self._diff(new)

    def _diff(self, new: list[RfqQuote]) -> None:
        """Remove the quotes gone, repaint those kept, append those new (arrival order)."""
        keep = {q.quote_id for q in new}
        for row in range(len(self._quotes) - 1, -1, -1):
            if self._quotes[row].quote_id not in keep:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._quotes[row]
                self.endRemoveRows()
        known = {q.quote_id: i for i, q in enumerate(self._quotes)}
        by_id = {q.quote_id: q for q in new}
        for quote_id, row in known.items():
            self._quotes[row] = by_id[quote_id]
        fresh = [q for q in new if q.quote_id not in known]
        if fresh:
            first = len(self._quotes)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._quotes.extend(fresh)
            self.endInsertRows()
        if self._quotes:
            # the best prices (bold) may move between rows: repaint every kept row at once
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._quotes) - 1, len(self.HEADERS) - 1)
            )

    def tick(self, now: float) -> None:
        """Move the clock; the Age column repaints once per whole second."""
        self._now = now
        if int(now) != self._second:
            self._second = int(now)
            _repaint_columns(self, [self.COL_AGE])


# ---------------------------------------------------------------------------- maker


class MakerRfqModel(RecordTableModel[str, MakerRfq]):
    """Requests sent to us as market maker, newest first, keyed by the exchange's RFQ ID."""

    time_columns = frozenset({"status", "age", "confirm"})

    def __init__(self, *, now: float = 0.0, parent: Any = None) -> None:
        self._now = now
        self._second = int(now)
        columns = self._build_columns()
        age = next(i for i, c in enumerate(columns) if c.name == "age")
        super().__init__(columns, sort_column=age, parent=parent)

    @property
    def now(self) -> float:
        return self._now

    def _build_columns(self) -> list[Column[MakerRfq]]:
        return [
            Column(
                "status",
                "Status",
                lambda r: maker_status_text(r, self._now),
                sort_key=lambda r: r.status.value,
                cell_tooltip=lambda r: r.text or maker_status_text(r, self._now),
            ),
            Column(
                "confirm",
                "Confirm",
                lambda r: confirm_seconds_text(r, self._now),
                sort_key=lambda r: _opt(r.confirm_deadline),
                numeric=True,
                tooltip="Seconds left to confirm an accepted quote; a missed confirm voids it",
            ),
            Column("market", "Market", lambda r: r.symbol or ""),
            Column(
                "size",
                "Size",
                lambda r: rfq_size_text(r.order_qty, r.cash_order_qty),
                sort_key=lambda r: _opt(r.order_qty),
                numeric=True,
                tooltip="Contracts wanted, or a cash target in dollars",
            ),
            Column(
                "requester",
                "Requester",
                lambda r: r.requester or "",
                tooltip="The requester's pseudonym (not their account)",
            ),
            Column(
                "age",
                "Age",
                lambda r: format_age(self._now - r.received_at),
                sort_key=lambda r: -r.received_at,
                numeric=True,
                tooltip="Time since the request arrived",
            ),
            Column(
                "quote",
                "Our quote",
                self._quote_text,
                tooltip="Our YES bid and NO bid on this request",
            ),
            Column("note", "Note", lambda r: r.text, cell_tooltip=lambda r: r.text),
            Column("rfq_id", "RFQ ID", lambda r: r.quote_req_id),
        ]

    @staticmethod
    def _quote_text(rfq: MakerRfq) -> str:
        quote = rfq.quote
        if quote is None:
            return ""
        text = maker_quote_text(quote.yes_bid, quote.no_bid)
        return f"{text} (cancelled)" if quote.cancelled else text

    # -- RecordTableModel hooks -------------------------------------------------------------

    def key_of(self, record: MakerRfq) -> str:
        return record.quote_req_id

    def facets_of(self, record: MakerRfq) -> Facets:
        return Facets(market=record.symbol or "", status=record.status.value)

    def search_text_of(self, record: MakerRfq) -> str:
        return " ".join(
            (record.symbol or "", record.status.value, record.requester or "", record.quote_req_id)
        )

    def cell_style(self, record: MakerRfq, column: Column[MakerRfq], role: int) -> Any:
        dark = self.dark
        if column.name == "confirm" and record.status is MakerStatus.ACCEPTED:
            if role == _ROLE.FontRole:
                return _bold()
            if role == _ROLE.ForegroundRole:
                left = record.seconds_to_confirm(self._now) or 0.0
                urgent = whole_seconds_left(left) < CONFIRM_URGENT_SECONDS
                light, dark_colour = _URGENT if urgent else _ALERT
                return QBrush(QColor(dark_colour if dark else light))
            return None
        if column.name != "status" or role == _ROLE.FontRole:
            return None
        status = MakerStatus.VOIDED if confirm_expired(record, self._now) else record.status
        bg, fg = _colour_pair(_MAKER_COLOURS[status], dark)
        return QBrush(bg if role == _ROLE.BackgroundRole else fg)

    # -- feeding ----------------------------------------------------------------------------

    def apply(self, changes: Iterable[Change]) -> list[MakerRfq]:
        """Apply one batch (only ``MakerRfqChanged`` concern this table); returns the RFQs."""
        rfqs = [c.rfq for c in changes if isinstance(c, MakerRfqChanged)]
        self.upsert(rfqs)
        return rfqs

    def tick(self, now: float) -> None:
        """Move the clock. Ages repaint once per whole second; while a quote awaits its
        confirm, status and countdown repaint on every tick (its window does not start on a
        whole second)."""
        self._now = now
        names: set[str] = set()
        if int(now) != self._second:
            self._second = int(now)
            names |= self.time_columns
        if any(r.status is MakerStatus.ACCEPTED for r in self.visible_records()):
            names |= {"status", "confirm"}
        _repaint_columns(self, sorted(self.column_index(n) for n in names))
