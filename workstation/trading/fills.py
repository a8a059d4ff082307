"""Fills: one per trade ExecutionReport, keyed by (venue, account, ExecID) and applied once.

An ExecID is unique only within a venue (DECISIONS.md "Identity of fills"), and pending
reports carry ``-1;-1``, which is never a key. The same trade can arrive live, again by
resend on KalshiRT, and again by drop-copy replay (SPEC §14.1): the first copy is recorded,
later copies are reported as duplicates and change nothing. A fill first seen in a drop-copy
replay is *healed*: the live copy never arrived.

The fee is what the report says (the 136 group); a trade report without one gets the
published estimate (taker fee when AggressorIndicator says we took, else none) and is
flagged ``fee_estimated``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from workstation.fix.messages.enums import CollateralAmountType, ExecType, Side
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.money_groups import CollateralChange
from workstation.trading.changes import Change, FillAdded, FillDuplicateIgnored, FillIgnored
from workstation.trading.fees import taker_fee
from workstation.trading.subaccounts import sub_account_of

__all__ = ["Fill", "FillKey", "Fills"]

FillKey = tuple[str, str, ExecId]  #: (venue, account, ExecID)
_ZERO = Decimal(0)
_ONE = Decimal(1)


@dataclass(frozen=True, slots=True, kw_only=True)
class Fill:
    """One execution of one of our orders. ``price`` is the YES price in dollars."""

    venue: str
    account: str
    exec_id: ExecId
    sub_account: str | None
    order_id: str | None
    cl_ord_id: str
    symbol: str
    side: Side  #: BUY = bought YES; SELL = sold YES (bought NO)
    price: Decimal  #: LastPx, YES price
    quantity: Decimal  #: LastQty
    fee: Decimal  #: dollars; negative is a rebate
    fee_estimated: bool = False  #: the report carried no fee: ``fee`` is our estimate
    collateral_changes: tuple[CollateralChange, ...] = ()
    long_qty: Decimal | None = None  #: LongQty (704): the exchange's YES position after it
    short_qty: Decimal | None = None  #: ShortQty (705): the exchange's NO position after it
    aggressor: bool | None = None  #: True when our order took liquidity
    trd_match_id: str | None = None
    transact_time: float | None = None  #: the exchange's time
    received_at: float  #: when the workstation got it
    healed: bool = False  #: first seen in a drop-copy replay

    @property
    def key(self) -> FillKey:
        return (self.venue, self.account, self.exec_id)

    @property
    def at(self) -> float:
        """The exchange's time of the fill, or when we received it if the report had none."""
        return self.received_at if self.transact_time is None else self.transact_time

    @property
    def no_price(self) -> Decimal:
        """The NO price of the fill: 1 − LastPx (SPEC §8)."""
        return _ONE - self.price

    @property
    def balance_change(self) -> Decimal:
        """The sum of the fill's BALANCE collateral changes (signed dollars)."""
        return sum(
            (c.amount for c in self.collateral_changes if c.kind is CollateralAmountType.BALANCE),
            _ZERO,
        )

    @property
    def payout_change(self) -> Decimal:
        """The sum of the fill's PAYOUT collateral changes (signed dollars)."""
        return sum(
            (c.amount for c in self.collateral_changes if c.kind is CollateralAmountType.PAYOUT),
            _ZERO,
        )


def fill_from_report(
    er: ExecutionReport, *, venue: str, account: str, now: float, healed: bool
) -> Fill:
    """The Fill a trade report describes (its ExecID must be real)."""
    assert er.exec_id is not None and er.last_px is not None and er.last_qty is not None
    if er.fees:
        fee, estimated = sum((f.amount for f in er.fees), _ZERO), False
    else:
        taker = er.aggressor is True
        fee, estimated = (taker_fee(er.last_qty, er.last_px) if taker else _ZERO), True
    return Fill(
        venue=venue,
        account=account,
        exec_id=er.exec_id,
        sub_account=sub_account_of(er.alloc_account, er.parties),
        order_id=er.order_id,
        cl_ord_id=er.cl_ord_id,
        symbol=er.symbol,
        side=er.side,
        price=er.last_px,
        quantity=er.last_qty,
        fee=fee,
        fee_estimated=estimated,
        collateral_changes=er.collateral_changes,
        long_qty=er.long_qty,
        short_qty=er.short_qty,
        aggressor=er.aggressor,
        trd_match_id=er.trd_match_id,
        transact_time=er.transact_time,
        received_at=now,
        healed=healed,
    )


class Fills:
    """Every fill, once, by (venue, account, ExecID)."""

    def __init__(self) -> None:
        self._fills: dict[FillKey, Fill] = {}

    def add(
        self, er: ExecutionReport, *, venue: str, account: str, now: float, healed: bool = False
    ) -> list[Change]:
        """Record the fill of a trade report, unless its ExecID was recorded already."""
        if er.exec_type is not ExecType.TRADE:
            return []
        if er.exec_id is None or er.exec_id.is_pending:
            reason = f"a trade report with ExecID {er.exec_id or 'missing'} cannot be keyed"
            return [FillIgnored(cl_ord_id=er.cl_ord_id, reason=reason)]
        key = (venue, account, er.exec_id)
        if key in self._fills:
            return [FillDuplicateIgnored(key=key, healed=healed)]
        fill = fill_from_report(er, venue=venue, account=account, now=now, healed=healed)
        self._fills[key] = fill
        return [FillAdded(fill=fill)]

    def get(self, key: FillKey) -> Fill | None:
        return self._fills.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._fills

    def __iter__(self) -> Iterator[Fill]:
        return iter(self._fills.values())

    def __len__(self) -> int:
        return len(self._fills)

    def for_order(self, venue: str, order_id: str) -> list[Fill]:
        """The fills of one order, in ExecID order."""
        found = [f for f in self._fills.values() if f.venue == venue and f.order_id == order_id]
        return sorted(found, key=lambda f: f.exec_id)

    def newest_exec_id(self, venue: str, account: str) -> ExecId | None:
        """The highest ExecID recorded for (venue, account): where a drop-copy request starts."""
        ids = [f.exec_id for f in self._fills.values() if f.venue == venue and f.account == account]
        return max(ids, default=None)
