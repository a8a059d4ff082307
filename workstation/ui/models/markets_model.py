"""The markets tree: events as groups, each outcome's market under its event, with our
position in it and the unrealised P&L marked to the last REST poll.

Rows
----
Top-level rows are events, in the order the poll lists them; their children are the event's
markets, in the event's order. Markets the poll lists without an event, and markets we hold a
position in that the poll does not list at all (closed, settled, or past the poll's page),
are gathered under a last group, "Other markets", so a position never silently disappears
from the view.

Figures
-------
Prices are the poll's YES bid, YES ask and last price (``None`` shows blank: an empty side).
Our position in a market is the sum of our positions in it over accounts and sub-accounts
(:class:`~workstation.trading.positions.Position`, signed: negative = NO contracts). The
unrealised P&L of each position is marked as the blotter marks it (positions_model): the
contracts held at the price they could be sold for now (YES bid for YES, 1 − YES ask for NO),
less the cost basis and less the taker fee of selling them there; a market's figure is the sum
over its positions, ``None`` (blank, "not marked") when a held contract has no bid.

Updates
-------
A poll with the same events and markets as the last one repaints in place (one ranged
``dataChanged`` per event and one for the events); a position change repaints its market's
row and its event's. Only a change in the tree's shape (a market listed or gone, a filter
change, a first position in an unlisted market) resets the model: a few hundred rows, and
it happens seldom. ``data()`` returns text, never a ``Decimal`` (DESIGN.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from workstation.client.market_data import MarketRow, MarketSnapshot
from workstation.trading.changes import Change, PositionChanged
from workstation.trading.fees import taker_fee
from workstation.trading.positions import Held, Position, PositionKey
from workstation.ui.format import money_text, price_text, quantity_text, signed_money_text
from workstation.ui.models.orders_model import sub_account_text
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme
from workstation.ui.timefmt import format_age

__all__ = [
    "COLUMNS",
    "OTHER_GROUP",
    "TICKER_ROLE",
    "Holding",
    "MarketsModel",
]

AnyIndex = QModelIndex | QPersistentModelIndex
_ROLE = Qt.ItemDataRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_ZERO = Decimal(0)
_CENT = Decimal("0.01")

#: The item data role giving a market row's ticker (``None`` on an event row).
TICKER_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: The key of the group gathering markets without an event in the poll.
OTHER_GROUP = ""


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    header: str
    tooltip: str
    numeric: bool = False


COLUMNS: tuple[_Column, ...] = (
    _Column("market", "Market", "The event, then each of its outcomes' markets"),
    _Column("ticker", "Ticker", "The ticker the order ticket takes"),
    _Column("status", "Status", "The market's status in the last poll"),
    _Column("yes_bid", "YES bid", "Best bid for YES in the last poll", numeric=True),
    _Column("yes_ask", "YES ask", "Best offer for YES in the last poll", numeric=True),
    _Column("last", "Last", "Last traded YES price in the last poll", numeric=True),
    _Column(
        "position",
        "Position",
        "Our net position: the contract held (YES or NO) and how many, over every sub-account",
        numeric=True,
    ),
    _Column(
        "unrealized",
        "Unrealised",
        "Unrealised P&L marked to the last poll (YES bid for YES, NO bid = 1 − YES ask for "
        "NO), after the estimated fee to sell there",
        numeric=True,
    ),
)
_COL = {c.name: i for i, c in enumerate(COLUMNS)}


@dataclass(frozen=True, slots=True)
class _Group:
    key: str  #: event ticker, or OTHER_GROUP
    title: str
    tickers: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Holding:
    """Our positions in one market, summed."""

    ticker: str
    positions: tuple[Position, ...]  #: the non-flat ones

    @property
    def net(self) -> Decimal:
        """YES contracts held, summed (negative = NO)."""
        return sum((p.net for p in self.positions), _ZERO)

    @property
    def held(self) -> Held:
        net = self.net
        if net > 0:
            return Held.YES
        return Held.NO if net < 0 else Held.FLAT


def _mark(position: Position, row: MarketRow | None) -> Decimal | None:
    return None if row is None else position.mark_price(row.yes_bid, row.yes_ask)


def position_unrealized(position: Position, row: MarketRow | None) -> Decimal | None:
    """One position's unrealised P&L at ``row``'s prices, after the fee to sell there."""
    if position.net == 0:
        return _ZERO
    price = _mark(position, row)
    if row is None or price is None:
        return None
    pnl = position.unrealized_pnl(row.yes_bid, row.yes_ask)
    if pnl is None:
        return None
    return pnl - taker_fee(position.quantity, price)


class MarketsModel(QAbstractItemModel):
    """See the module docstring. Feed it with :meth:`set_snapshot` (each poll),
    :meth:`load` (every position) and :meth:`apply` (each batch of changes)."""

    def __init__(self, *, clock: Callable[[], float] = time.time, parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._snapshot: MarketSnapshot | None = None
        self._positions: dict[str, dict[PositionKey, Position]] = {}  # non-flat, by ticker
        self._groups: list[_Group] = []
        self._group_row: dict[str, int] = {}
        self._market_place: dict[str, tuple[int, int]] = {}  # ticker → (group row, row)
        self._filter_text = ""
        self._held_only = False
        self._dollars = False
        self._dark = is_dark_palette()

    # -- feeding ----------------------------------------------------------------------------

    def set_snapshot(self, snapshot: MarketSnapshot | None) -> None:
        """A new poll: prices repaint in place; a new shape resets the tree."""
        self._snapshot = snapshot
        if not self._reshape():
            self._repaint_all()

    def load(self, positions: Iterable[Position]) -> None:
        """Every position (at start-up, or after a reload)."""
        self._positions = {}
        for position in positions:
            self._put(position)
        if not self._reshape():
            self._repaint_all()

    def apply(self, changes: Iterable[Change]) -> None:
        """One batch of domain changes; only ``PositionChanged`` concerns this tree."""
        touched: set[str] = set()
        for change in changes:
            if isinstance(change, PositionChanged):
                self._put(change.position)
                touched.add(change.position.symbol)
        if not touched or self._reshape():
            return
        for ticker in touched:
            self._repaint_market(ticker)

    def set_filter(self, text: str = "", *, held_only: bool = False) -> None:
        """Show markets whose ticker or title (or event's) contains ``text``; with
        ``held_only``, only markets we hold a position in."""
        text = text.strip().casefold()
        if (text, held_only) == (self._filter_text, self._held_only):
            return
        self._filter_text, self._held_only = text, held_only
        self._reshape()

    def set_dollars(self, on: bool) -> None:
        """Prices in dollars with four places (a session on UseDollars), else cents."""
        if on != self._dollars:
            self._dollars = on
            self._repaint_all()

    def set_dark(self, dark: bool) -> None:
        if dark != self._dark:
            self._dark = dark
            self._repaint_all()

    def _put(self, position: Position) -> None:
        held = self._positions.setdefault(position.symbol, {})
        if position.net == 0:
            held.pop(position.key, None)
            if not held:
                del self._positions[position.symbol]
        else:
            held[position.key] = position

    # -- reading ----------------------------------------------------------------------------

    @property
    def snapshot(self) -> MarketSnapshot | None:
        return self._snapshot

    def market(self, ticker: str) -> MarketRow | None:
        return None if self._snapshot is None else self._snapshot.markets.get(ticker)

    def holding(self, ticker: str) -> Holding | None:
        """Our non-flat positions in ``ticker``, or None when we hold nothing there."""
        held = self._positions.get(ticker)
        if not held:
            return None
        return Holding(ticker=ticker, positions=tuple(held.values()))

    def unrealized(self, ticker: str) -> Decimal | None:
        """Our unrealised P&L in ``ticker`` (0 when flat, None when a holding is unmarked)."""
        holding = self.holding(ticker)
        if holding is None:
            return _ZERO
        row = self.market(ticker)
        total = _ZERO
        for position in holding.positions:
            pnl = position_unrealized(position, row)
            if pnl is None:
                return None
            total += pnl
        return total

    def event_unrealized(self, group_key: str) -> tuple[Decimal, int, int]:
        """(Σ unrealised over the group's marked holdings, markets held, markets unmarked)."""
        row = self._group_row.get(group_key)
        if row is None:
            return _ZERO, 0, 0
        total, held, unmarked = _ZERO, 0, 0
        for ticker in self._groups[row].tickers:
            if ticker not in self._positions:
                continue
            held += 1
            pnl = self.unrealized(ticker)
            if pnl is None:
                unmarked += 1
            else:
                total += pnl
        return total, held, unmarked

    def total_unrealized(self) -> tuple[Decimal, int, int]:
        """(Σ unrealised over every marked holding, markets held, markets unmarked)."""
        total, unmarked = _ZERO, 0
        for ticker in self._positions:
            pnl = self.unrealized(ticker)
            if pnl is None:
                unmarked += 1
            else:
                total += pnl
        return total, len(self._positions), unmarked

    def groups(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """What is shown: (group key, title, tickers) per top-level row."""
        return [(g.key, g.title, g.tickers) for g in self._groups]

    def ticker_of(self, index: AnyIndex) -> str | None:
        """The market of a market row; None for an event row or an invalid index."""
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[index.internalId() - 1]
        return group.tickers[index.row()] if index.row() < len(group.tickers) else None

    def group_key_of(self, index: AnyIndex) -> str | None:
        """The event ticker (or OTHER_GROUP) of an event row; None for a market row."""
        if not index.isValid() or index.internalId() != 0 or index.row() >= len(self._groups):
            return None
        return self._groups[index.row()].key

    def index_of_market(self, ticker: str, column: int = 0) -> QModelIndex:
        place = self._market_place.get(ticker)
        if place is None:
            return QModelIndex()
        group_row, row = place
        return self.createIndex(row, column, group_row + 1)

    def index_of_group(self, key: str, column: int = 0) -> QModelIndex:
        row = self._group_row.get(key)
        return QModelIndex() if row is None else self.createIndex(row, column, 0)

    # -- Qt model API -----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0 or parent.row() >= len(self._groups):
            return QModelIndex()  # markets have no children
        if row >= len(self._groups[parent.row()].tickers):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self._groups[parent.row()].tickers) if parent.row() < len(self._groups) else 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return self.rowCount(parent) > 0

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == _ROLE.DisplayRole:
            return column.header
        if role == _ROLE.ToolTipRole:
            return column.tooltip
        if role == _ROLE.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        return None

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(COLUMNS):
            return None
        column = COLUMNS[index.column()]
        if index.internalId() == 0:
            if index.row() >= len(self._groups):
                return None
            return self._group_data(self._groups[index.row()], column, role)
        ticker = self.ticker_of(index)
        if ticker is None:
            return None
        if role == TICKER_ROLE:
            return ticker
        return self._market_data(ticker, column, role)

    # -- cells ------------------------------------------------------------------------------

    def _price(self, price: Decimal | None) -> str:
        return price_text(price, dollars=self._dollars)

    def _colours(self) -> Any:
        return STATUS_COLORS[Theme.DARK if self._dark else Theme.LIGHT]

    def _pnl_brush(self, value: Decimal | None) -> QBrush | None:
        if value is None or value.quantize(_CENT) == 0:
            return None
        colours = self._colours()
        return QBrush(QColor(colours.ok if value > 0 else colours.bad))

    def _group_data(self, group: _Group, column: _Column, role: int) -> Any:
        if role == _ROLE.DisplayRole:
            if column.name == "market":
                return group.title
            if column.name == "ticker":
                return group.key
            if column.name == "status":
                n = len(group.tickers)
                return f"{n} market{'s' if n != 1 else ''}"
            if column.name == "position":
                _total, held, _unmarked = self.event_unrealized(group.key)
                return f"{held} held" if held else ""
            if column.name == "unrealized":
                total, held, _unmarked = self.event_unrealized(group.key)
                return signed_money_text(total) if held else ""
            return ""
        if role == _ROLE.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        if role == _ROLE.FontRole and column.name in ("market", "unrealized"):
            font = QFont()
            font.setBold(True)
            return font
        if role == _ROLE.ForegroundRole:
            if column.name == "unrealized":
                total, held, _unmarked = self.event_unrealized(group.key)
                return self._pnl_brush(total) if held else None
            if column.name in ("status", "position", "ticker"):
                return QBrush(QColor(self._colours().muted))
            return None
        if role == _ROLE.ToolTipRole:
            return self._group_tooltip(group, column)
        return None

    def _group_tooltip(self, group: _Group, column: _Column) -> str | None:
        if column.name == "unrealized":
            _total, held, unmarked = self.event_unrealized(group.key)
            if not held:
                return None
            note = f"; {unmarked} held market(s) not marked (no bid)" if unmarked else ""
            return f"Σ unrealised over {held} market(s) held in this event{note}"
        if group.key == OTHER_GROUP:
            return "Markets we hold that the last poll did not list, or listed without an event"
        if self._snapshot is None:
            return None
        event = next((e for e in self._snapshot.events if e.event_ticker == group.key), None)
        if event is None:
            return None
        kind = (
            "one outcome wins (mutually exclusive)"
            if event.mutually_exclusive
            else "outcomes are independent"
        )
        return f"{event.title} ({event.event_ticker}): {kind}"

    def _market_data(self, ticker: str, column: _Column, role: int) -> Any:
        row = self.market(ticker)
        if role == _ROLE.DisplayRole:
            return self._market_text(ticker, row, column)
        if role == _ROLE.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        if role == _ROLE.ForegroundRole:
            if column.name == "unrealized":
                return self._pnl_brush(self.unrealized(ticker))
            if column.name == "position":
                return None  # YES/NO is not good/bad: plain text, unlike P&L
            if row is None or not row.tradable:
                return QBrush(QColor(self._colours().muted))
            return None
        if role == _ROLE.ToolTipRole:
            return self._market_tooltip(ticker, row, column)
        return None

    def _market_text(self, ticker: str, row: MarketRow | None, column: _Column) -> str:
        name = column.name
        if name == "market":
            return ticker if row is None else row.title
        if name == "ticker":
            return ticker
        if name == "status":
            return "not polled" if row is None else row.status
        if name == "yes_bid":
            return "" if row is None else self._price(row.yes_bid)
        if name == "yes_ask":
            return "" if row is None else self._price(row.yes_ask)
        if name == "last":
            return "" if row is None else self._price(row.last_price)
        holding = self.holding(ticker)
        if holding is None:
            return ""
        if name == "position":
            if holding.held is Held.FLAT:
                return "flat"
            return f"{holding.held.value} {quantity_text(abs(holding.net))}"
        if name == "unrealized":
            pnl = self.unrealized(ticker)
            return "not marked" if pnl is None else signed_money_text(pnl)
        return ""

    def _market_tooltip(self, ticker: str, row: MarketRow | None, column: _Column) -> str | None:
        if column.name == "position":
            holding = self.holding(ticker)
            if holding is None:
                return "No position"
            return "\n".join(
                f"{p.account} sub {sub_account_text(p.sub_account) or 'primary'}: "
                f"{p.held.value} {quantity_text(p.quantity)}"
                for p in holding.positions
            )
        if column.name == "unrealized":
            return self._unrealized_tooltip(ticker, row)
        if column.name in ("market", "ticker"):
            if row is None:
                return f"{ticker}: not in the last market poll"
            return f"{row.title} ({ticker}) — double-click to put it on the order ticket"
        if column.name == "status" and row is not None and not row.tradable:
            return f"{row.status}: orders in this market are refused"
        return None

    def _unrealized_tooltip(self, ticker: str, row: MarketRow | None) -> str | None:
        holding = self.holding(ticker)
        if holding is None:
            return None
        age = (
            ""
            if self._snapshot is None
            else (f", prices {format_age(self._clock() - self._snapshot.as_of)} old")
        )
        lines = []
        for position in holding.positions:
            price = _mark(position, row)
            side = "YES bid" if position.held is Held.YES else "NO bid (1 − YES ask)"
            if price is None:
                lines.append(
                    f"{quantity_text(position.quantity)} {position.held.value}: "
                    f"no {side} in the last poll, not marked"
                )
                continue
            fee = taker_fee(position.quantity, price)
            lines.append(
                f"{quantity_text(position.quantity)} {position.held.value} marked at the {side} "
                f"{self._price(price)}, less {money_text(fee)} estimated fee to sell "
                f"there: {signed_money_text(position_unrealized(position, row))}"
            )
        return "\n".join(lines) + age

    # -- shape ------------------------------------------------------------------------------

    def _matches(self, text: str, *haystack: str) -> bool:
        return not text or any(text in h.casefold() for h in haystack)

    def _build_groups(self) -> list[_Group]:
        snapshot = self._snapshot
        text, held_only = self._filter_text, self._held_only
        held = self._positions
        groups: list[_Group] = []
        placed: set[str] = set()

        def keep(ticker: str, *group_text: str) -> bool:
            if held_only and ticker not in held:
                return False
            row = self.market(ticker)
            title = "" if row is None else row.title
            return self._matches(text, ticker, title, *group_text)

        if snapshot is not None:
            for event in snapshot.events:
                listed = [t for t in event.markets if t in snapshot.markets]
                placed.update(listed)
                tickers = tuple(t for t in listed if keep(t, event.title, event.event_ticker))
                if tickers:
                    groups.append(_Group(event.event_ticker, event.title, tickers))
        others = [t for t in (snapshot.markets if snapshot is not None else ()) if t not in placed]
        others += sorted(t for t in held if t not in placed and t not in others)
        kept = tuple(t for t in others if keep(t, "other markets"))
        if kept:
            groups.append(_Group(OTHER_GROUP, "Other markets", kept))
        return groups

    def _reshape(self) -> bool:
        """Rebuild the groups; reset the model if the shape changed (True then)."""
        groups = self._build_groups()
        if groups == self._groups:
            return False
        self.beginResetModel()
        self._groups = groups
        self._group_row = {g.key: i for i, g in enumerate(groups)}
        self._market_place = {
            t: (gi, ri) for gi, g in enumerate(groups) for ri, t in enumerate(g.tickers)
        }
        self.endResetModel()
        return True

    def _repaint_all(self) -> None:
        if not self._groups:
            return
        last = len(COLUMNS) - 1
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._groups) - 1, last))
        for gi, group in enumerate(self._groups):
            parent = self.index(gi, 0)
            self.dataChanged.emit(
                self.index(0, 0, parent), self.index(len(group.tickers) - 1, last, parent)
            )

    def _repaint_market(self, ticker: str) -> None:
        place = self._market_place.get(ticker)
        if place is None:
            return
        group_row, row = place
        last = len(COLUMNS) - 1
        self.dataChanged.emit(
            self.createIndex(row, 0, group_row + 1), self.createIndex(row, last, group_row + 1)
        )
        self.dataChanged.emit(
            self.createIndex(group_row, 0, 0), self.createIndex(group_row, last, 0)
        )
