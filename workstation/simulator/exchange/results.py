"""What the exchange reports: every engine call returns a list of these, in the order the
things happened.

Each record names the account (and sub-account) whose order it concerns and carries what an
ExecutionReport (SPEC §9.6), OrderCancelReject (§9.7), OrderGroupResponse (§11.3) or
MarketSettlementReport (§12) needs, so a gateway turns each into one message mechanically:

==========================  =========================================================
record                      FIX
==========================  =========================================================
:class:`OrderAccepted`      ER 150=0 (skip when ``traded_at_once`` unless 21026=Y)
:class:`OrderFilled`        ER 150=F, one per side of every trade
:class:`OrderCancelled`     ER 150=4, or 150=C/39=C when ``order.status`` is EXPIRED
:class:`OrderReplaced`      ER 150=5 (OrdStatus 0/1 by fills)
:class:`OrderRejected`      ER 150=8 with 103 (no ExecID: rejects are not replayable)
:class:`CancelRejected`     35=9 with 102, or ER 150=8 with 103 — ``channel`` says which
:class:`MassCancelDone`     35=r 531=6 (the cancels come first as OrderCancelled)
:class:`MassCancelRejected` 35=r 531=0
:class:`OrderGroupChanged`  35=UOH
:class:`OrderGroupRejected` 35=j (SPEC §11.3)
:class:`PositionSettled`    one 20108 entry of a UMS
==========================  =========================================================

Money is Decimal dollars; quantities Decimal contracts; prices YES dollars; times epoch
seconds. Pending reports (``-1;-1``) are the gateway's to make.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from workstation.fix.dialect import RejectChannel
from workstation.simulator.exchange.exec_ids import ExecId
from workstation.simulator.exchange.groups import GroupAction, GroupState
from workstation.simulator.exchange.market import MarketStatus
from workstation.simulator.exchange.orders import NewOrder, OrderView
from workstation.simulator.exchange.reasons import Reason
from workstation.simulator.exchange.types import MarketResult, OrdStatus

__all__ = [
    "CancelRejected",
    "CancelRequestKind",
    "ExchangeStatusChanged",
    "MarketSettled",
    "MarketStatusChanged",
    "MassCancelDone",
    "MassCancelRejected",
    "OrderAccepted",
    "OrderCancelled",
    "OrderFilled",
    "OrderGroupChanged",
    "OrderGroupRejected",
    "OrderRejected",
    "OrderReplaced",
    "PositionSettled",
    "Result",
]


class CancelRequestKind(StrEnum):
    """CxlRejResponseTo (434): which request a CancelRejected answers."""

    CANCEL = "1"
    REPLACE = "2"


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderAccepted:
    """Fires when a new order passes every check and is live: it rests, trades, or both.

    ``traded_at_once``: it traded in the same cycle. FIX then folds the New into the first
    trade report (SPEC §9.10) unless the session asked for AlwaysEmitNewBeforeTrade (21026).
    An order cancelled without trading (IOC, FOK, post-only, STP) gets no OrderAccepted.
    """

    exec_id: ExecId
    transact_time: float
    order: OrderView
    traded_at_once: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderFilled:
    """Fires for each side of each trade. ``order`` is the order just after this fill."""

    exec_id: ExecId
    transact_time: float
    order: OrderView
    last_qty: Decimal
    last_px: Decimal  #: the resting order's price, YES dollars
    aggressor: bool  #: this order was the taker (1057=Y)
    trade_id: str  #: TrdMatchID 880, the same on both sides
    fee: Decimal  #: MiscFeeAmt 137, dollars
    balance_change: Decimal  #: 1704 BALANCE, signed dollars, fee included
    collateral_returned: Decimal  #: 21030: released by reducing a position (≥ 0)
    long_qty: Decimal  #: 704: net YES after the fill
    short_qty: Decimal  #: 705: net NO after the fill
    clearing_date: str  #: 715, Eastern date YYYYMMDD


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCancelled:
    """Fires when an order stops being live without filling completely.

    ``reason`` is the Text for system cancels (None for a cancel the client asked for and for
    an expiry). ``requested``: the client's cancel request (or a replace to the filled
    quantity) did it, and ``order.cl_ord_id``/``orig_cl_ord_id`` are that request's.
    ``expired``: a Day/GTD end or a market close; ``order.status`` is EXPIRED when the order
    asked for it (21012=Y), else CANCELED.
    """

    exec_id: ExecId
    transact_time: float
    order: OrderView
    reason: Reason | None
    requested: bool = False
    expired: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderReplaced:
    """Fires when a cancel/replace changes an order's price or quantity.

    ``lost_priority``: the order went to the back of the queue (a price change or a quantity
    increase). Trades it makes at its new price follow as OrderFilled.
    """

    exec_id: ExecId
    transact_time: float
    order: OrderView
    lost_priority: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderRejected:
    """Fires when a new order is refused before it reaches the book."""

    transact_time: float
    request: NewOrder
    reason: Reason
    ord_rej_reason: int  #: 103
    channel: RejectChannel = RejectChannel.EXECUTION_REPORT


@dataclass(frozen=True, slots=True, kw_only=True)
class CancelRejected:
    """Fires when a cancel or cancel/replace request is refused; the order is unchanged.

    ``channel`` is the dialect's: an OrderCancelReject (use ``cxl_rej_reason``) or an
    ExecutionReport reject (use ``ord_rej_reason``). ``status`` is the order's current
    OrdStatus, REJECTED when no order was found.
    """

    transact_time: float
    response_to: CancelRequestKind
    account: str
    sub_account: int
    cl_ord_id: str
    orig_cl_ord_id: str
    order: OrderView | None
    status: OrdStatus
    reason: Reason
    cxl_rej_reason: int  #: 102
    ord_rej_reason: int  #: 103
    channel: RejectChannel


@dataclass(frozen=True, slots=True, kw_only=True)
class MassCancelDone:
    """Fires after a mass cancel, following the OrderCancelled of each order it cancelled."""

    transact_time: float
    account: str
    session_tag: str | None
    cancelled: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MassCancelRejected:
    """Fires when a mass cancel is refused (an exchange pause)."""

    transact_time: float
    account: str
    session_tag: str | None
    reason: Reason


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderGroupChanged:
    """Fires when an order-group action succeeds, and when a group triggers on its own.

    A trigger by fills has ``action`` TRIGGER and is not an answer to any request.
    """

    transact_time: float
    action: GroupAction
    group_id: str
    account: str
    sub_account: int
    limit: int
    state: GroupState
    requested: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderGroupRejected:
    """Fires when an order-group action is refused (BusinessMessageReject with Text)."""

    transact_time: float
    action: GroupAction
    group_id: str | None
    account: str
    sub_account: int
    reason: Reason


@dataclass(frozen=True, slots=True, kw_only=True)
class MarketStatusChanged:
    """Fires when a market opens, pauses, resumes, closes or settles."""

    transact_time: float
    ticker: str
    previous: MarketStatus
    status: MarketStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class ExchangeStatusChanged:
    """Fires when an exchange-wide pause begins or ends."""

    transact_time: float
    paused: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class MarketSettled:
    """Fires once when a market is determined, before its PositionSettled records."""

    transact_time: float
    ticker: str
    result: MarketResult
    settlement_value: Decimal  #: dollars per YES contract (730 is this × 100 in cents)
    clearing_date: str
    positions: int  #: how many PositionSettled follow


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionSettled:
    """Fires for each (account, sub-account) that held a position in a settled market."""

    transact_time: float
    ticker: str
    account: str
    sub_account: int
    result: MarketResult
    settlement_value: Decimal
    long_qty: Decimal  #: 704: net YES that settled
    short_qty: Decimal  #: 705: net NO that settled
    payout: Decimal  #: 1704 PAYOUT, dollars, whole cents
    fee: Decimal  #: 137: the sub-cent rounding kept back (payout + fee = exact value)
    balance_change: Decimal  #: equals payout: the collateral was paid when trading
    clearing_date: str


Result = (
    OrderAccepted
    | OrderFilled
    | OrderCancelled
    | OrderReplaced
    | OrderRejected
    | CancelRejected
    | MassCancelDone
    | MassCancelRejected
    | OrderGroupChanged
    | OrderGroupRejected
    | MarketStatusChanged
    | ExchangeStatusChanged
    | MarketSettled
    | PositionSettled
)
