"""Positions and P&L per (venue, account, sub-account, market), built from our own fills.

Kalshi nets YES and NO in one market (SPEC §8, §12.3): buying YES while holding NO closes
NO, and selling YES is buying NO. A position is therefore one signed number, ``net`` YES
contracts (negative = NO contracts), plus the open lots that make it up, oldest first, each
at the price paid *for the contract held* (YES price for YES lots, 1 − YES price for NO lots).

Accounting (all ``Decimal``, exact):

- **Closing is FIFO**: a fill against the position closes the oldest lots first; realised
  P&L of a closed piece = quantity × (exit price − lot price), both in the held contract's
  terms (selling YES at P exits YES at P; buying YES at P exits NO at 1 − P).
- **Fees are charged per fill** as reported (SPEC §9.6, 137) and subtracted from realised
  P&L when the fill happens, opening fills included. ``realized_pnl`` is after fees;
  ``fees`` is their sum.
- **Cost basis** = Σ lot quantity × lot price (fees excluded); **average entry** = cost
  basis ÷ contracts held. **Exposure** (money at risk) is the cost basis: what is lost if
  the market settles against the position.
- **Unrealised P&L** marks the held contracts at what they could be sold for now: a YES
  position at the YES bid, a NO position at 1 − YES ask (the NO bid); minus the cost basis.
  Fees of closing are not included.
- Fills apply in ExecID order; one that arrives out of order (a drop-copy heal) rebuilds the
  position from all its fills, so the result never depends on arrival order.
- **Cross-check**: trade reports carry the exchange's own position after the trade
  (LongQty 704 / ShortQty 705). The newest such figure is kept, and a position whose net
  differs from LongQty − ShortQty is flagged with both figures.
- **Settlement** closes a position at the market's value ($1 or $0 per YES contract, or
  the scalar settlement price): see :meth:`Positions.settle_market`.
- **Balance since a poll**: :meth:`Positions.balance_since` sums the BALANCE collateral
  changes of the fills after a time (the fill's TransactTime, else when we received it),
  to adjust the balance last polled. The fills are kept in time order, so a new poll time
  costs the fills after it, not every fill; and the sum for the poll last asked about is
  kept and added to as fills arrive, so asking again (the ticket does on every batch of
  fills) costs nothing.
- **Lots**: a fill that opens contracts at the price of the newest open lot adds to that
  lot (the same FIFO order, cost and P&L as two lots), so a burst of fills at one price
  keeps one lot, and the figures that walk the lots stay cheap.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from operator import attrgetter

from workstation.fix.messages.enums import Side
from workstation.fix.messages.exec_id import ExecId
from workstation.trading.changes import Change, PositionChanged
from workstation.trading.fills import Fill
from workstation.trading.records import evolve

__all__ = ["Held", "Lot", "Position", "PositionKey", "Positions"]

PositionKey = tuple[str, str, str | None, str]  #: (venue, account, sub-account, symbol)
_ZERO = Decimal(0)
_ONE = Decimal(1)
_AT = attrgetter("at")


class Held(Enum):
    """Which contract a position holds."""

    YES = "YES"
    NO = "NO"
    FLAT = "flat"


@dataclass(frozen=True, slots=True)
class Lot:
    """Open contracts bought at one price, in a row: quantity and the price paid for the
    contract held."""

    quantity: Decimal
    price: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """Our position in one market for one (sub-)account."""

    venue: str
    account: str
    sub_account: str | None
    symbol: str
    net: Decimal = _ZERO  #: YES contracts held; negative = NO contracts
    lots: tuple[Lot, ...] = ()  #: open lots, oldest first
    realized_pnl: Decimal = _ZERO  #: closed P&L after every fee paid
    fees: Decimal = _ZERO  #: the fees of every fill
    fill_count: int = 0
    last_exec_id: ExecId | None = None  #: the newest fill applied
    exchange_net: Decimal | None = None  #: LongQty − ShortQty of the newest fill carrying them
    exchange_exec_id: ExecId | None = None  #: the fill that figure came from
    settled_value: Decimal | None = None  #: YES value per contract the market settled at

    @property
    def key(self) -> PositionKey:
        return (self.venue, self.account, self.sub_account, self.symbol)

    @property
    def held(self) -> Held:
        if self.net > 0:
            return Held.YES
        return Held.NO if self.net < 0 else Held.FLAT

    @property
    def quantity(self) -> Decimal:
        """Contracts held, YES or NO."""
        return abs(self.net)

    @property
    def cost_basis(self) -> Decimal:
        """What the open contracts cost (fees excluded), dollars."""
        return sum((lot.quantity * lot.price for lot in self.lots), _ZERO)

    @property
    def exposure(self) -> Decimal:
        """Money at risk: the cost basis, lost if the market settles against the position."""
        return self.cost_basis

    @property
    def avg_entry_price(self) -> Decimal | None:
        """Average price paid per contract held, in that contract's terms; None when flat."""
        if self.net == 0:
            return None
        return self.cost_basis / self.quantity

    @property
    def mismatch(self) -> str | None:
        """Why our net differs from the exchange's LongQty/ShortQty, or None when they agree."""
        if self.exchange_net is None or self.exchange_net == self.net:
            return None
        return (
            f"exchange reports {_describe(self.exchange_net)} after ExecID "
            f"{self.exchange_exec_id}; our fills give {_describe(self.net)}"
        )

    def mark_price(self, yes_bid: Decimal | None, yes_ask: Decimal | None) -> Decimal | None:
        """The price a held contract is marked at: YES bid for YES, 1 − YES ask for NO."""
        if self.net > 0:
            return yes_bid
        if self.net < 0:
            return None if yes_ask is None else _ONE - yes_ask
        return None

    def unrealized_pnl(self, yes_bid: Decimal | None, yes_ask: Decimal | None) -> Decimal | None:
        """Contracts held × mark price − cost basis; 0 when flat, None without a mark."""
        if self.net == 0:
            return _ZERO
        mark = self.mark_price(yes_bid, yes_ask)
        if mark is None:
            return None
        return self.quantity * mark - self.cost_basis

    def payout_if(self, yes_wins: bool) -> Decimal:
        """What the position pays at settlement of a YES or NO result: $1 per winning contract."""
        if yes_wins:
            return max(self.net, _ZERO)
        return max(-self.net, _ZERO)


def _describe(net: Decimal) -> str:
    if net > 0:
        return f"{net} YES"
    if net < 0:
        return f"{-net} NO"
    return "no position"


def apply_fill(position: Position, fill: Fill) -> Position:
    """``position`` after ``fill`` (FIFO close of the other side, then open the rest)."""
    if fill.side is Side.BUY:  # bought YES: closes NO lots at the NO price, opens YES
        closing, exit_price, open_price, signed = position.net < 0, _ONE - fill.price, fill.price, 1
    else:  # sold YES = bought NO: closes YES lots at the YES price, opens NO
        closing, exit_price, open_price, signed = (
            position.net > 0,
            fill.price,
            _ONE - fill.price,
            -1,
        )
    lots = list(position.lots)
    realized = position.realized_pnl - fill.fee
    left = fill.quantity
    if closing:
        while left > 0 and lots:
            lot = lots[0]
            closed = min(left, lot.quantity)
            realized += closed * (exit_price - lot.price)
            if closed == lot.quantity:
                lots.pop(0)
            else:
                lots[0] = Lot(lot.quantity - closed, lot.price)
            left -= closed
    if left > 0:
        if lots and lots[-1].price == open_price:  # the newest lot, at this price: add to it
            lots[-1] = Lot(lots[-1].quantity + left, open_price)
        else:
            lots.append(Lot(left, open_price))
    exchange_net, exchange_id = position.exchange_net, position.exchange_exec_id
    if (fill.long_qty is not None or fill.short_qty is not None) and (
        exchange_id is None or fill.exec_id > exchange_id
    ):
        exchange_net = (fill.long_qty or _ZERO) - (fill.short_qty or _ZERO)
        exchange_id = fill.exec_id
    last = position.last_exec_id
    return evolve(
        position,
        net=position.net + signed * fill.quantity,
        lots=tuple(lots),
        realized_pnl=realized,
        fees=position.fees + fill.fee,
        fill_count=position.fill_count + 1,
        last_exec_id=fill.exec_id if last is None or fill.exec_id > last else last,
        exchange_net=exchange_net,
        exchange_exec_id=exchange_id,
    )


def settle(position: Position, yes_value: Decimal, fee: Decimal = _ZERO) -> Position:
    """``position`` closed at settlement: YES lots exit at ``yes_value``, NO lots at 1 − it.

    ``yes_value`` is $1 for a YES result, $0 for NO, the settlement price for a scalar;
    ``fee`` is the settlement's rounding fee (SPEC §12.3), charged like a fill's.
    """
    exit_price = yes_value if position.net > 0 else _ONE - yes_value
    gained = sum((lot.quantity * (exit_price - lot.price) for lot in position.lots), _ZERO)
    return replace(
        position,
        net=_ZERO,
        lots=(),
        realized_pnl=position.realized_pnl + gained - fee,
        fees=position.fees + fee,
        settled_value=yes_value,
    )


class Positions:
    """Every position, built fill by fill."""

    def __init__(self) -> None:
        self._positions: dict[PositionKey, Position] = {}
        self._fills: dict[PositionKey, list[Fill]] = {}  # per position, in ExecID order
        self._settled: dict[PositionKey, tuple[Decimal, Decimal]] = {}  # yes value, fee
        self._timeline: list[Fill] = []  # every fill, in order of ``at`` (ties: arrival)
        self._since: _BalanceSince | None = None  # the sum balance_since last worked out

    def apply_fill(self, fill: Fill) -> list[Change]:
        """Add one (new, de-duplicated) fill to its position."""
        self._note_balance(fill)
        key: PositionKey = (fill.venue, fill.account, fill.sub_account, fill.symbol)
        fills = self._fills.setdefault(key, [])
        empty = Position(
            venue=fill.venue, account=fill.account, sub_account=fill.sub_account, symbol=fill.symbol
        )
        position = self._positions.get(key, empty)
        in_order = position.last_exec_id is None or fill.exec_id > position.last_exec_id
        if in_order and key not in self._settled:
            fills.append(fill)
            position = apply_fill(position, fill)
        else:  # out of order (or late for a settled market): rebuild from every fill
            bisect.insort(fills, fill, key=lambda f: f.exec_id)
            position = self._rebuild(empty, fills, key)
        self._positions[key] = position
        return [PositionChanged(position=position)]

    def _rebuild(self, empty: Position, fills: list[Fill], key: PositionKey) -> Position:
        position = empty
        for each in fills:
            position = apply_fill(position, each)
        if key in self._settled:
            position = settle(position, *self._settled[key])
        return position

    def settle_market(
        self,
        venue: str,
        account: str,
        symbol: str,
        yes_value: Decimal,
        fees: Mapping[str | None, Decimal] | None = None,
    ) -> list[Change]:
        """Book a market's settlement into every sub-account's position in it.

        ``fees`` maps a sub-account to its settlement fee. Reconcile the settlement first:
        afterwards the positions are flat.
        """
        changes: list[Change] = []
        for position in self.in_market(venue, account, symbol):
            if position.settled_value is not None:
                continue
            fee = (fees or {}).get(position.sub_account, _ZERO)
            self._settled[position.key] = (yes_value, fee)
            settled = settle(position, yes_value, fee)
            self._positions[position.key] = settled
            changes.append(PositionChanged(position=settled))
        return changes

    def get(
        self, venue: str, account: str, sub_account: str | None, symbol: str
    ) -> Position | None:
        return self._positions.get((venue, account, sub_account, symbol))

    def __iter__(self) -> Iterator[Position]:
        return iter(self._positions.values())

    def __len__(self) -> int:
        return len(self._positions)

    def in_market(self, venue: str, account: str, symbol: str) -> list[Position]:
        """Every sub-account's position in one market."""
        return [
            p
            for p in self._positions.values()
            if p.venue == venue and p.account == account and p.symbol == symbol
        ]

    def balance_since(
        self, poll_time: float, *, venue: str | None = None, account: str | None = None
    ) -> Decimal:
        """Σ BALANCE collateral changes of the fills after ``poll_time`` (signed dollars).

        Costs the fills after ``poll_time`` the first time it is asked for one poll (and
        venue and account), nothing after that: the sum is kept and each fill applied later
        adds to it.
        """
        since = self._since
        if since is None or not since.asks(poll_time, venue, account):
            timeline = self._timeline
            start = bisect.bisect_right(timeline, poll_time, key=_AT)
            since = _BalanceSince(poll_time, venue, account)
            for fill in timeline[start:]:
                since.add(fill)
            self._since = since
        return since.total

    def _note_balance(self, fill: Fill) -> None:
        timeline = self._timeline
        if not timeline or fill.at >= timeline[-1].at:
            timeline.append(fill)
        else:  # an older fill arriving late (a resend, a drop-copy heal)
            bisect.insort_right(timeline, fill, key=_AT)
        if self._since is not None:
            self._since.add(fill)

    def realized_total(self, venue: str | None = None, account: str | None = None) -> Decimal:
        """Σ realised P&L after fees over positions (optionally of one venue/account)."""
        return sum(
            (
                p.realized_pnl
                for p in self._positions.values()
                if (venue is None or p.venue == venue) and (account is None or p.account == account)
            ),
            _ZERO,
        )


class _BalanceSince:
    """The running Σ of BALANCE collateral changes of the fills after one poll time, of one
    venue and account (None: any)."""

    __slots__ = ("account", "poll_time", "total", "venue")

    def __init__(self, poll_time: float, venue: str | None, account: str | None) -> None:
        self.poll_time = poll_time
        self.venue = venue
        self.account = account
        self.total = _ZERO

    def asks(self, poll_time: float, venue: str | None, account: str | None) -> bool:
        return poll_time == self.poll_time and venue == self.venue and account == self.account

    def add(self, fill: Fill) -> None:
        if (
            fill.at > self.poll_time
            and (self.venue is None or fill.venue == self.venue)
            and (self.account is None or fill.account == self.account)
        ):
            self.total += fill.balance_change
