"""Exchange results → ExecutionReport (8) / OrderCancelReject (9), per dialect and per session.

SPEC §9.6, §9.7, §9.10, §10. Every ExecutionReport the simulator's order gateway sends is
built by :func:`execution_report` (one place to look); :func:`render` decides, for one report
item and one session's :class:`ReportStyle`, which message (if any) that session gets:

============================  ==================================================================
item                          message
============================  ==================================================================
:class:`PendingReport`        ER 150=A/6/E, ExecID ``-1;-1``; none with SkipPendingExecReports
``OrderAccepted``             ER 150=0; none when the order traded at once (the New is folded
                              into the first Trade) unless AlwaysEmitNewBeforeTrade (21026)
``OrderFilled``               ER 150=F with 31/32, 704/705, 136 fees, 1703 BALANCE, 880, 1057
``OrderCancelled``            ER 150=4 (150=C/39=C for an expiry with UseExpiredOrdStatus 21012)
``OrderReplaced``             ER 150=5, OrdStatus 0/1 by fills, the new 11/41/38/44
``OrderRejected``             ER 150=8/39=8 with 103 and 58, no ExecID
``CancelRejected``            35=9 with 102 (``current``) or ER 150=8 with 103 (1.0.13)
============================  ==================================================================

Our readings where the docs are silent:

- **Partly filled IOC without EnableIocCancelReport (21007)** (SPEC §20.19): the cancel report
  of the rest is not sent; the order's last Trade report carries the end state instead
  (39=4, 151=0, 58=IMMEDIATE_OR_CANCELLED), so OrderQty = CumQty + LeavesQty still holds and
  no client is left believing the order rests.
- **OrderQty (38)** is CumQty + LeavesQty, or with PreserveOriginalOrderQty (21008) the order's
  total quantity (as last set by a replace). A rejected order shows the quantity it asked for.
- **A sub-penny price to a cents session** cannot be written in whole cents; LastPx/Price are
  rounded half-even to the cent (never to 0 or 100). Money fields stay exact. Sessions that
  trade sub-penny markets log on with UseDollars (21005).
- **AllocAccount (79)** is echoed when the order carried it, or when the order is for a
  sub-account; **Parties** are echoed as the order carried them (:class:`OrderEcho`).
- **TimeInForce (59) and ExpireTime (126)** are on every order report; a Day order shows its
  23:59:59.999 ET end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import Enum

from workstation.fix.dialect import RejectChannel
from workstation.fix.messages.enums import (
    CollateralAmountType,
    CxlRejReason,
    CxlRejResponseTo,
    ExecType,
    OrdRejReason,
    OrdStatus,
    Side,
    TimeInForce,
)
from workstation.fix.messages.exec_id import PENDING_EXEC_ID, ExecId
from workstation.fix.messages.execution import ExecutionReport, OrderCancelReject
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.parties import Party
from workstation.fix.messages.prices import PriceFormat
from workstation.simulator.client import ClientSession
from workstation.simulator.exchange.exec_ids import ExecId as ExchangeExecId
from workstation.simulator.exchange.orders import NewOrder, OrderView
from workstation.simulator.exchange.reasons import Reason
from workstation.simulator.exchange.results import (
    CancelRejected,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderRejected,
    OrderReplaced,
    Result,
)
from workstation.simulator.exchange.types import OrdStatus as ExchangeOrdStatus
from workstation.simulator.exchange.types import Side as ExchangeSide
from workstation.simulator.exchange.types import TimeInForce as ExchangeTimeInForce
from workstation.simulator.keyword_builder import keyword_builder

__all__ = [
    "HISTORY_STYLE",
    "NO_ECHO",
    "IocFold",
    "OrderEcho",
    "OrderFacts",
    "OrderMessage",
    "PendingReport",
    "ReportItem",
    "ReportStyle",
    "execution_report",
    "gets_history_report",
    "ioc_folds",
    "render",
]

_ZERO = Decimal(0)
_CENT = Decimal("0.01")
_LOWEST_CENT = Decimal("0.01")
_HIGHEST_CENT = Decimal("0.99")

# Built for every report sent (a sweep: tens of thousands in one step): through the slots,
# not the frozen dataclasses' __init__; the exchange's enums mapped to the wire's by a lookup.
_build_report = keyword_builder(ExecutionReport)
_build_fee = keyword_builder(MiscFee)
_build_collateral = keyword_builder(CollateralChange)
_build_exec_id = keyword_builder(ExecId)
_SIDES = {side: Side(side.value) for side in ExchangeSide}
_TIMES_IN_FORCE = {tif: TimeInForce(tif.value) for tif in ExchangeTimeInForce}
_ORD_STATUSES = {status: OrdStatus(status.value) for status in ExchangeOrdStatus}


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportStyle:
    """How one session asked, at Logon, for its order reports (SPEC §6.1)."""

    price_format: PriceFormat = PriceFormat.DOLLARS
    skip_pending: bool = False  #: SkipPendingExecReports 21011 (21003 in 1.0.13)
    new_before_trade: bool = False  #: AlwaysEmitNewBeforeTrade 21026
    ioc_cancel_report: bool = False  #: EnableIocCancelReport 21007
    preserve_order_qty: bool = False  #: PreserveOriginalOrderQty 21008
    expired_status: bool = False  #: UseExpiredOrdStatus 21012
    split_collateral: bool = False  #: SplitCollateralReturn 21027

    @classmethod
    def of(cls, client: ClientSession) -> ReportStyle:
        options = client.options
        return cls(
            price_format=client.price_format,
            skip_pending=options.skip_pending_exec_reports,
            new_before_trade=options.always_emit_new_before_trade,
            ioc_cancel_report=options.enable_ioc_cancel_report,
            preserve_order_qty=options.preserve_original_order_qty,
            expired_status=options.use_expired_ord_status,
            split_collateral=options.split_collateral_return,
        )


#: The form kept in the venue's drop-copy history: a session that asked for nothing special,
#: prices exact (the replaying session formats them).
HISTORY_STYLE = ReportStyle()


def gets_history_report(style: ReportStyle, report: ExecutionReport) -> bool:
    """Whether :func:`render` would give a session with ``style`` exactly ``report``, the
    history's rendering (:data:`HISTORY_STYLE`) of a report that is not a pending one.

    Only the price format and the five report options shape a non-pending report (not
    SkipPendingExecReports), and the price format only through Price and LastPx, which a
    cents session is shown unchanged when they are whole cents. The order gateway then sends
    the same object rather than building it twice (the per-order path, issue 3's latency).
    """
    if (
        style.new_before_trade
        or style.ioc_cancel_report
        or style.preserve_order_qty
        or style.expired_status
        or style.split_collateral
    ):
        return False
    if style.price_format is PriceFormat.DOLLARS:
        return True
    price, last_px = report.price, report.last_px
    return (price is None or price == price.quantize(_CENT)) and (
        last_px is None or last_px == last_px.quantize(_CENT)
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderEcho:
    """What an order's reports repeat from the NewOrderSingle that placed it (SPEC §9.9)."""

    alloc_account: int | None = None  #: AllocAccount (79) as the order carried it
    parties: tuple[Party, ...] = ()  #: the FCM Parties block as the order carried it


NO_ECHO = OrderEcho()


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingReport:
    """A PendingNew/PendingCancel/PendingReplace the gateway puts before the exchange's
    reports of a request it accepted (SPEC §9.10). ``order`` is the order as the exchange
    reported it; its leaves are taken as ``order_qty - cum_qty`` (the open quantity before the
    request). ``exec_type`` is PENDING_NEW, PENDING_CANCEL or PENDING_REPLACE."""

    exec_type: ExecType
    order: OrderView
    cl_ord_id: str
    orig_cl_ord_id: str | None
    transact_time: float


ReportItem = Result | PendingReport
OrderMessage = ExecutionReport | OrderCancelReject


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderFacts:
    """The order fields an ExecutionReport states, whatever the report is about."""

    order_id: str | None
    cl_ord_id: str
    orig_cl_ord_id: str | None
    symbol: str
    side: Side
    price: Decimal | None
    order_qty: Decimal
    cum_qty: Decimal
    leaves_qty: Decimal
    avg_px: Decimal
    time_in_force: TimeInForce | None
    expire_time: float | None
    sub_account: int

    @classmethod
    def of_view(
        cls,
        view: OrderView,
        *,
        cl_ord_id: str | None = None,
        orig_cl_ord_id: str | None = None,
        leaves_qty: Decimal | None = None,
    ) -> OrderFacts:
        return _build_facts(
            order_id=view.order_id,
            cl_ord_id=view.cl_ord_id if cl_ord_id is None else cl_ord_id,
            orig_cl_ord_id=view.orig_cl_ord_id if orig_cl_ord_id is None else orig_cl_ord_id,
            symbol=view.ticker,
            side=_SIDES[view.side],
            price=view.price,
            order_qty=view.order_qty,
            cum_qty=view.cum_qty,
            leaves_qty=view.leaves_qty if leaves_qty is None else leaves_qty,
            avg_px=view.avg_px,
            time_in_force=_TIMES_IN_FORCE[view.time_in_force],
            expire_time=view.expire_time,
            sub_account=view.sub_account,
        )

    @classmethod
    def of_request(cls, request: NewOrder) -> OrderFacts:
        """A refused new order: nothing filled, nothing open."""
        return cls(
            order_id=None,
            cl_ord_id=request.cl_ord_id,
            orig_cl_ord_id=None,
            symbol=request.ticker,
            side=Side(request.side.value),
            price=request.price,
            order_qty=request.quantity,
            cum_qty=_ZERO,
            leaves_qty=_ZERO,
            avg_px=_ZERO,
            time_in_force=TimeInForce(request.time_in_force.value),
            expire_time=request.expire_time,
            sub_account=request.sub_account,
        )


_build_facts = keyword_builder(OrderFacts)


class IocFold(Enum):
    """The two reports of a partly filled IOC that 21007 decides between."""

    LAST_FILL = "last_fill"  #: the order's last Trade in the batch
    REST_CANCEL = "rest_cancel"  #: the IMMEDIATE_OR_CANCELLED cancel of the rest


def ioc_folds(items: Sequence[ReportItem]) -> dict[int, IocFold]:
    """``id(item) → IocFold`` for the reports of every partly filled IOC in ``items``."""
    folds: dict[int, IocFold] = {}
    last_fill: dict[str, OrderFilled] = {}
    for item in items:
        if isinstance(item, OrderFilled):
            last_fill[item.order.order_id] = item
        elif (
            isinstance(item, OrderCancelled)
            and item.reason is Reason.IMMEDIATE_OR_CANCELLED
            and item.order.cum_qty > 0
        ):
            fill = last_fill.get(item.order.order_id)
            if fill is not None:
                folds[id(fill)] = IocFold.LAST_FILL
                folds[id(item)] = IocFold.REST_CANCEL
    return folds


def _exec_id(exec_id: ExchangeExecId) -> ExecId:
    return _build_exec_id(clock=exec_id.clock, event=exec_id.event)


def _shown_price(price: Decimal, fmt: PriceFormat) -> Decimal:
    """``price`` as a session in ``fmt`` can be told it (see the module docstring)."""
    if fmt is PriceFormat.DOLLARS or price == price.quantize(_CENT):
        return price
    cents = price.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    return min(max(cents, _LOWEST_CENT), _HIGHEST_CENT)


def execution_report(
    facts: OrderFacts,
    *,
    exec_type: ExecType,
    ord_status: OrdStatus,
    exec_id: ExecId | None,
    transact_time: float,
    style: ReportStyle,
    echo: OrderEcho = NO_ECHO,
    text: str | None = None,
    ord_rej_reason: int | None = None,
    fill: OrderFilled | None = None,
) -> ExecutionReport:
    """The one place the gateway builds an ExecutionReport (SPEC §9.6)."""
    fmt = style.price_format
    if style.preserve_order_qty or exec_type is ExecType.REJECTED:
        order_qty = facts.order_qty
    elif not facts.cum_qty:
        order_qty = facts.leaves_qty  # the same value, and no new Decimal kept per report
    else:
        order_qty = facts.cum_qty + facts.leaves_qty
    alloc = echo.alloc_account
    if alloc is None and facts.sub_account != 0:
        alloc = facts.sub_account
    if fill is None:
        last_px = last_qty = long_qty = short_qty = returned = None
        trd_match_id = date = None
        aggressor = None
        fees: tuple[MiscFee, ...] = ()
        collateral: tuple[CollateralChange, ...] = ()
    else:
        last_px = _shown_price(fill.last_px, fmt)
        last_qty, long_qty, short_qty = fill.last_qty, fill.long_qty, fill.short_qty
        trd_match_id, aggressor, date = fill.trade_id, fill.aggressor, fill.clearing_date
        fees = (_build_fee(amount=fill.fee),)
        collateral = (
            _build_collateral(amount=fill.balance_change, kind=CollateralAmountType.BALANCE),
        )
        returned = fill.collateral_returned if style.split_collateral else None
        if not returned:
            returned = None
    return _build_report(
        exec_id=exec_id,
        order_id=facts.order_id,
        cl_ord_id=facts.cl_ord_id,
        exec_type=exec_type,
        ord_status=ord_status,
        symbol=facts.symbol,
        side=facts.side,
        order_qty=order_qty,
        cum_qty=facts.cum_qty,
        leaves_qty=facts.leaves_qty,
        avg_px=facts.avg_px,
        price=None if facts.price is None else _shown_price(facts.price, fmt),
        orig_cl_ord_id=facts.orig_cl_ord_id,
        last_px=last_px,
        last_qty=last_qty,
        transact_time=transact_time,
        text=text,
        ord_rej_reason=None if ord_rej_reason is None else OrdRejReason(ord_rej_reason),
        time_in_force=facts.time_in_force,
        expire_time=facts.expire_time,
        long_qty=long_qty,
        short_qty=short_qty,
        fees=fees,
        trd_match_id=trd_match_id,
        aggressor=aggressor,
        collateral_changes=collateral,
        single_market_collateral_return=returned,
        alloc_account=alloc,
        parties=echo.parties,
        clearing_business_date=date,
    )


def render(
    item: ReportItem,
    style: ReportStyle,
    *,
    echo: OrderEcho = NO_ECHO,
    fallback: OrderFacts | None = None,
    fold: IocFold | None = None,
) -> OrderMessage | None:
    """The message ``item`` becomes for a session with ``style``; None when it gets none.

    ``fallback`` describes the order of a refused cancel/replace when the exchange found no
    order (the request's own symbol and side). ``fold`` comes from :func:`ioc_folds`.
    """
    if isinstance(item, PendingReport):
        if style.skip_pending:
            return None
        view = item.order
        facts = OrderFacts.of_view(
            view,
            cl_ord_id=item.cl_ord_id,
            orig_cl_ord_id=item.orig_cl_ord_id,
            leaves_qty=view.order_qty - view.cum_qty,
        )
        status = OrdStatus(item.exec_type.value)
        return execution_report(
            facts,
            exec_type=item.exec_type,
            ord_status=status,
            exec_id=PENDING_EXEC_ID,
            transact_time=item.transact_time,
            style=style,
            echo=echo,
        )
    if isinstance(item, OrderAccepted):
        if item.traded_at_once and not style.new_before_trade:
            return None
        return execution_report(
            OrderFacts.of_view(item.order),
            exec_type=ExecType.NEW,
            ord_status=OrdStatus.NEW,
            exec_id=_exec_id(item.exec_id),
            transact_time=item.transact_time,
            style=style,
            echo=echo,
        )
    if isinstance(item, OrderFilled):
        closes = fold is IocFold.LAST_FILL and not style.ioc_cancel_report
        return execution_report(
            OrderFacts.of_view(item.order, leaves_qty=_ZERO if closes else None),
            exec_type=ExecType.TRADE,
            ord_status=OrdStatus.CANCELED if closes else _ORD_STATUSES[item.order.status],
            exec_id=_exec_id(item.exec_id),
            transact_time=item.transact_time,
            style=style,
            echo=echo,
            text=Reason.IMMEDIATE_OR_CANCELLED.value if closes else None,
            fill=item,
        )
    if isinstance(item, OrderCancelled):
        if fold is IocFold.REST_CANCEL and not style.ioc_cancel_report:
            return None
        expired = item.expired and style.expired_status
        return execution_report(
            OrderFacts.of_view(item.order),
            exec_type=ExecType.EXPIRED if expired else ExecType.CANCELED,
            ord_status=OrdStatus.EXPIRED if expired else OrdStatus.CANCELED,
            exec_id=_exec_id(item.exec_id),
            transact_time=item.transact_time,
            style=style,
            echo=echo,
            text=None if item.reason is None else item.reason.value,
        )
    if isinstance(item, OrderReplaced):
        return execution_report(
            OrderFacts.of_view(item.order),
            exec_type=ExecType.REPLACED,
            ord_status=_ORD_STATUSES[item.order.status],
            exec_id=_exec_id(item.exec_id),
            transact_time=item.transact_time,
            style=style,
            echo=echo,
        )
    if isinstance(item, OrderRejected):
        return execution_report(
            OrderFacts.of_request(item.request),
            exec_type=ExecType.REJECTED,
            ord_status=OrdStatus.REJECTED,
            exec_id=None,
            transact_time=item.transact_time,
            style=style,
            echo=echo,
            text=item.reason.value,
            ord_rej_reason=item.ord_rej_reason,
        )
    if isinstance(item, CancelRejected):
        return _cancel_rejected(item, style, echo, fallback)
    return None


def _cancel_rejected(
    item: CancelRejected, style: ReportStyle, echo: OrderEcho, fallback: OrderFacts | None
) -> OrderMessage | None:
    status = OrdStatus(item.status.value)
    if item.channel is RejectChannel.CANCEL_REJECT:
        return OrderCancelReject(
            order_id="NONE" if item.order is None else item.order.order_id,
            cl_ord_id=item.cl_ord_id,
            orig_cl_ord_id=item.orig_cl_ord_id,
            ord_status=status,
            response_to=CxlRejResponseTo(item.response_to.value),
            reason=CxlRejReason(item.cxl_rej_reason),
            text=item.reason.value,
        )
    # 1.0.13: an ExecutionReport reject about the order, which keeps its state.
    if item.order is not None:
        facts = OrderFacts.of_view(
            item.order, cl_ord_id=item.cl_ord_id, orig_cl_ord_id=item.orig_cl_ord_id
        )
    elif fallback is not None:
        facts = fallback
    else:
        return None
    return execution_report(
        facts,
        exec_type=ExecType.REJECTED,
        ord_status=status,
        exec_id=None,
        transact_time=item.transact_time,
        style=style,
        echo=echo,
        text=item.reason.value,
        ord_rej_reason=item.ord_rej_reason,
    )
