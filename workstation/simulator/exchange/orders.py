"""Orders: what a client asks for (:class:`NewOrder`, :class:`ReplaceOrder`), the exchange's
live record of an order (:class:`Order`, mutable plain data so it can be persisted), and the
frozen picture of an order that goes into every result (:class:`OrderView`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from workstation.simulator.exchange.types import (
    LIVE_STATUSES,
    OrdStatus,
    SelfTradePrevention,
    Side,
    TimeInForce,
)
from workstation.simulator.keyword_builder import keyword_builder

__all__ = ["NewOrder", "Order", "OrderView", "ReplaceOrder"]

_ZERO = Decimal(0)
_AVG_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True, kw_only=True)
class NewOrder:
    """A NewOrderSingle (SPEC §9.2) as the exchange sees it. Prices are YES dollars."""

    account: str  #: the trading account (one per API key in the simulator)
    cl_ord_id: str
    ticker: str
    side: Side
    price: Decimal
    quantity: Decimal
    sub_account: int = 0  #: AllocAccount 79 / FCM party; 0 = primary
    time_in_force: TimeInForce = TimeInForce.GTC  #: GTC when tag 59 is absent (SPEC §20.18)
    expire_time: float | None = None  #: required for GTD (epoch seconds)
    post_only: bool = False
    stp: SelfTradePrevention = SelfTradePrevention.TAKER_AT_CROSS
    group_id: str | None = None  #: SecondaryClOrdID 526 (or 20130)
    cancel_on_pause: bool = False  #: CancelOrderOnPause 21006
    max_execution_cost: Decimal | None = None  #: MaxExecutionCost 21009, dollars
    #: Who placed it, e.g. the gateway's connection id: mass cancel and cancel-on-disconnect
    #: select by it. The exchange only compares it.
    session_tag: str | None = None
    #: Report an expiry (Day/GTD end, market close) as Expired instead of Canceled (21012=Y).
    report_expiry: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplaceOrder:
    """An OrderCancelReplaceRequest (SPEC §9.3): ``quantity`` is the new *total* quantity."""

    account: str
    cl_ord_id: str  #: the new ClOrdID
    orig_cl_ord_id: str  #: the order's current ClOrdID
    ticker: str  #: must match the order
    side: Side  #: must match the order
    quantity: Decimal
    price: Decimal | None = None  #: None keeps the price
    sub_account: int = 0  #: must match the order
    order_id: str | None = None  #: if given, must match the order


@dataclass(slots=True, kw_only=True)
class Order:
    """The exchange's record of one order. Mutable; only the engine changes it."""

    order_id: str
    account: str
    sub_account: int
    session_tag: str | None
    cl_ord_id: str  #: the ClOrdID of the last accepted request that changed the order
    orig_cl_ord_id: str | None  #: the ClOrdID before that
    ticker: str
    side: Side
    price: Decimal
    order_qty: Decimal  #: the current total quantity (OrderQty 38)
    time_in_force: TimeInForce
    expire_time: float | None
    post_only: bool
    stp: SelfTradePrevention
    group_id: str | None
    cancel_on_pause: bool
    report_expiry: bool
    created_at: float
    priority: int = 0  #: time priority: lower trades first at the same price
    status: OrdStatus = OrdStatus.NEW
    cum_qty: Decimal = _ZERO
    cum_value: Decimal = _ZERO  #: Σ fill quantity × fill price (YES dollars)

    @property
    def live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def leaves_qty(self) -> Decimal:
        if not self.live:
            return _ZERO
        # Untouched, it is order_qty itself: every report of a resting order keeps its
        # leaves, and one shared Decimal is 104 bytes less per order than a fresh one.
        return self.order_qty if not self.cum_qty else self.order_qty - self.cum_qty

    @property
    def avg_px(self) -> Decimal:
        if self.cum_qty == 0:
            return _ZERO
        return (self.cum_value / self.cum_qty).quantize(_AVG_PLACES, rounding=ROUND_HALF_EVEN)

    def view(self) -> OrderView:
        return _build_view(
            order_id=self.order_id,
            account=self.account,
            sub_account=self.sub_account,
            session_tag=self.session_tag,
            cl_ord_id=self.cl_ord_id,
            orig_cl_ord_id=self.orig_cl_ord_id,
            ticker=self.ticker,
            side=self.side,
            price=self.price,
            order_qty=self.order_qty,
            cum_qty=self.cum_qty,
            leaves_qty=self.leaves_qty,
            avg_px=self.avg_px,
            status=self.status,
            time_in_force=self.time_in_force,
            expire_time=self.expire_time,
            post_only=self.post_only,
            stp=self.stp,
            group_id=self.group_id,
            cancel_on_pause=self.cancel_on_pause,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderView:
    """An order as it stood at the moment of a result: everything an ExecutionReport echoes.

    ``order_qty`` is the order's total quantity; ``cum_qty + leaves_qty`` is what FIX puts in
    38 unless the session asked for PreserveOriginalOrderQty (21008). ``expire_time`` is set
    for Day orders too (their 23:59:59.999 ET end, SPEC §9.6 tag 126).
    """

    order_id: str
    account: str
    sub_account: int
    session_tag: str | None
    cl_ord_id: str
    orig_cl_ord_id: str | None
    ticker: str
    side: Side
    price: Decimal
    order_qty: Decimal
    cum_qty: Decimal
    leaves_qty: Decimal
    avg_px: Decimal
    status: OrdStatus
    time_in_force: TimeInForce
    expire_time: float | None
    post_only: bool
    stp: SelfTradePrevention
    group_id: str | None
    cancel_on_pause: bool


#: one per report the order gets (a sweep: one per fill): through the slots, not __init__
_build_view = keyword_builder(OrderView)
