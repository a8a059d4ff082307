"""The positions table: one row per (venue, account, sub-account, market), with P&L.

Figures come from ``trading.positions.Position`` (FIFO lots, fees per fill). Unrealised
P&L marks the contracts held at what they could be sold for in the last REST poll (YES
bid for YES, 1 − YES ask for NO) and subtracts the taker fee of selling them there, so
both P&L columns are after fees; the poll's age is shown beside the mark, because a mark a
minute old is not a price. A position whose net differs from the exchange's own figure
(LongQty/ShortQty) is flagged in the Check column. The last column is the account (a desk
monitor watches several; a position is per account).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from workstation.client.market_data import MarketSnapshot
from workstation.trading.changes import Change, PositionChanged
from workstation.trading.fees import taker_fee
from workstation.trading.positions import Held, Position, PositionKey
from workstation.ui.format import (
    money_text,
    price_text,
    quantity_text,
    signed_money_text,
)
from workstation.ui.models.orders_model import sub_account_text
from workstation.ui.models.table_base import Column, Facets, RecordTableModel
from workstation.ui.theme import STATUS_COLORS, Theme
from workstation.ui.timefmt import format_age

__all__ = [
    "Mark",
    "PositionsModel",
    "marks_of",
]

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Mark:
    """The YES bid and ask of one market at a poll."""

    yes_bid: Decimal | None
    yes_ask: Decimal | None
    as_of: float


def marks_of(snapshot: MarketSnapshot) -> dict[str, Mark]:
    """Marks by ticker from a snapshot."""
    return {m.ticker: Mark(m.yes_bid, m.yes_ask, snapshot.as_of) for m in snapshot.markets.values()}


def _held_text(position: Position) -> str:
    return "flat" if position.held is Held.FLAT else position.held.value


def _opt(value: Any) -> tuple[Any, ...]:
    return (0,) if value is None else (1, value)


class PositionsModel(RecordTableModel[PositionKey, Position]):
    """Positions with marks; ``set_marks`` after each poll, ``tick`` to age the marks."""

    earlier_column_counts = frozenset({14})  # before the Account column

    def __init__(self, *, clock: Callable[[], float] = time.time, parent: Any = None) -> None:
        self._marks: dict[str, Mark] = {}
        self._clock = clock
        super().__init__(self._build_columns(), sort_column=0, parent=parent)

    # -- figures ----------------------------------------------------------------------------

    def mark_of(self, position: Position) -> Mark | None:
        return self._marks.get(position.symbol)

    def mark_price(self, position: Position) -> Decimal | None:
        """The price the held contract is marked at (its bid), in that contract's terms."""
        mark = self.mark_of(position)
        if mark is None:
            return None
        return position.mark_price(mark.yes_bid, mark.yes_ask)

    def close_fee(self, position: Position) -> Decimal:
        """The taker fee of selling the contracts held at the mark (0 when flat or unmarked)."""
        price = self.mark_price(position)
        if price is None or position.quantity == 0:
            return _ZERO
        return taker_fee(position.quantity, price)

    def unrealized(self, position: Position) -> Decimal | None:
        """Unrealised P&L at the mark, less the fee to close; None without a mark."""
        if position.net == 0:
            return _ZERO
        mark = self.mark_of(position)
        if mark is None:
            return None
        pnl = position.unrealized_pnl(mark.yes_bid, mark.yes_ask)
        return None if pnl is None else pnl - self.close_fee(position)

    def total(self, position: Position) -> Decimal | None:
        unrealized = self.unrealized(position)
        return None if unrealized is None else position.realized_pnl + unrealized

    def mark_age(self, position: Position) -> str:
        mark = self.mark_of(position)
        if mark is None:
            return ""
        return format_age(self._clock() - mark.as_of)

    def _unrealized_tooltip(self, position: Position) -> str:
        if position.net == 0:
            return "Flat: nothing to mark"
        mark = self.mark_of(position)
        price = self.mark_price(position)
        if mark is None or price is None:
            return "No bid for the contract held in the last poll: not marked"
        side = "YES bid" if position.held is Held.YES else "NO bid (1 − YES ask)"
        return (
            f"{quantity_text(position.quantity)} {position.held.value} marked at the {side} "
            f"{price_text(price)}, {format_age(self._clock() - mark.as_of)} old, "
            f"less {money_text(self.close_fee(position))} estimated fee to sell them there"
        )

    def _build_columns(self) -> list[Column[Position]]:
        return [
            Column("market", "Market", lambda p: p.symbol),
            Column(
                "sub_account",
                "Sub",
                lambda p: sub_account_text(p.sub_account),
                tooltip="Sub-account (AllocAccount number or FCM customer id)",
            ),
            Column("held", "Held", _held_text, tooltip="The contract held: YES, NO or flat"),
            Column(
                "quantity",
                "Qty",
                lambda p: quantity_text(p.quantity),
                sort_key=lambda p: p.quantity,
                numeric=True,
                export=lambda p: f"{p.quantity:f}",
            ),
            Column(
                "avg",
                "Avg price",
                lambda p: price_text(p.avg_entry_price),
                sort_key=lambda p: _opt(p.avg_entry_price),
                numeric=True,
                tooltip="Average price paid per contract held (open FIFO lots), fees excluded",
                export=lambda p: _exact(p.avg_entry_price),
            ),
            Column(
                "exposure",
                "Exposure",
                lambda p: money_text(p.exposure),
                sort_key=lambda p: p.exposure,
                numeric=True,
                tooltip="Money at risk: what the open contracts cost, lost if the market "
                "settles against them",
                export=lambda p: f"{p.exposure:f}",
            ),
            Column(
                "mark",
                "Mark",
                lambda p: price_text(self.mark_price(p)),
                sort_key=lambda p: _opt(self.mark_price(p)),
                numeric=True,
                tooltip="Bid of the contract held in the last market poll",
                export=lambda p: _exact(self.mark_price(p)),
            ),
            Column(
                "mark_age",
                "Mark age",
                self.mark_age,
                sort_key=lambda p: _opt(None if (m := self.mark_of(p)) is None else -m.as_of),
                numeric=True,
                tooltip="How old the market poll behind the mark is",
            ),
            Column(
                "unrealized",
                "Unrealised",
                lambda p: signed_money_text(self.unrealized(p)),
                sort_key=lambda p: _opt(self.unrealized(p)),
                numeric=True,
                tooltip="At the mark, after the estimated fee to close",
                cell_tooltip=self._unrealized_tooltip,
                export=lambda p: _exact(self.unrealized(p)),
            ),
            Column(
                "realized",
                "Realised",
                lambda p: signed_money_text(p.realized_pnl),
                sort_key=lambda p: p.realized_pnl,
                numeric=True,
                tooltip="Closed P&L after every fee paid (FIFO)",
                export=lambda p: f"{p.realized_pnl:f}",
            ),
            Column(
                "fees",
                "Fees",
                lambda p: money_text(p.fees),
                sort_key=lambda p: p.fees,
                numeric=True,
                export=lambda p: f"{p.fees:f}",
            ),
            Column(
                "total",
                "Total P&L",
                lambda p: signed_money_text(self.total(p)),
                sort_key=lambda p: _opt(self.total(p)),
                numeric=True,
                tooltip="Realised + unrealised, after fees",
                export=lambda p: _exact(self.total(p)),
            ),
            Column(
                "fills",
                "Fills",
                lambda p: f"{p.fill_count:,}",
                sort_key=lambda p: p.fill_count,
                numeric=True,
            ),
            Column(
                "check",
                "Check",
                lambda p: "" if p.mismatch is None else "MISMATCH",
                tooltip="Our fills against the exchange's LongQty/ShortQty",
                cell_tooltip=lambda p: p.mismatch or "Agrees with the exchange's position",
            ),
            Column(
                "account",
                "Account",
                lambda p: p.account,
                tooltip="The account the position belongs to (a desk monitor watches several)",
            ),
        ]

    # -- hooks ------------------------------------------------------------------------------

    def key_of(self, record: Position) -> PositionKey:
        return record.key

    def facets_of(self, record: Position) -> Facets:
        return Facets(
            market=record.symbol,
            side=_held_text(record),
            status="",
            sub_account=sub_account_text(record.sub_account),
            account=record.account,
        )

    def search_text_of(self, record: Position) -> str:
        return " ".join(
            (
                record.symbol,
                _held_text(record),
                sub_account_text(record.sub_account),
                "mismatch" if record.mismatch else "",
                record.account,
            )
        )

    def cell_style(self, record: Position, column: Column[Position], role: int) -> Any:
        if role != Qt.ItemDataRole.ForegroundRole:
            return None
        colours = STATUS_COLORS[Theme.DARK if self.dark else Theme.LIGHT]
        value: Decimal | None
        if column.name == "check":
            return QBrush(QColor(colours.bad)) if record.mismatch else None
        if column.name == "unrealized":
            value = self.unrealized(record)
        elif column.name == "realized":
            value = record.realized_pnl
        elif column.name == "total":
            value = self.total(record)
        elif column.name == "mark_age":
            return QBrush(QColor(colours.muted))
        else:
            return None
        if value is None or value.quantize(Decimal("0.01")) == 0:
            return None
        return QBrush(QColor(colours.ok if value > 0 else colours.bad))

    # -- feeding ----------------------------------------------------------------------------

    def apply(self, changes: Iterable[Change]) -> None:
        """Apply one batch of domain changes (only ``PositionChanged`` concern this table)."""
        self.upsert([c.position for c in changes if isinstance(c, PositionChanged)])

    def load(self, positions: Iterable[Position]) -> None:
        self.upsert(positions)

    def set_marks(self, marks: Mapping[str, Mark]) -> None:
        """New prices from a poll: every row is re-read (and re-sorted if it moved)."""
        self._marks = dict(marks)
        self.upsert(self.records())

    def set_snapshot(self, snapshot: MarketSnapshot) -> None:
        self.set_marks(marks_of(snapshot))

    def tick(self) -> None:
        """Repaint the mark ages (call once a second)."""
        if self._marks:
            self.refresh()


def _exact(value: Decimal | None) -> str:
    return "" if value is None else f"{value:f}"
