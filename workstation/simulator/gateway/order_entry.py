"""Order entry on KalshiNR and KalshiRT: NewOrderSingle (D), OrderCancelRequest (F),
OrderCancelReplaceRequest (G) and OrderMassCancelRequest (q). SPEC §9.1–§9.5, §7.6, §7.7.

Each handler answers in this order, the first that applies winning:

1. a listener session is refused every order message: BusinessMessageReject 380=6 "Not
   authorized" (``current``) or 380=0 with the same Text (1.0.13, which has no code 6);
2. an undefined tag is a Reject 373=3 with its RefTagID (SPEC §7.6's example), and whatever
   the typed parser refuses is a Reject (373) or BusinessMessageReject (380) as its
   :class:`MessageError` says — missing tags, prices 0/100/-1/abc, quantity 0, bad enums;
3. a NewOrderSingle that accepts an RFQ quote (QuoteID 117, SPEC §13.4) is refused with
   BusinessMessageReject 380=0: this gateway places plain limit orders only;
4. a ClOrdID that breaks SPEC §9.1 (over 64 characters, characters outside ``[-\\w:+=/]``)
   is refused like an exchange refusal, with Text INVALID_ORDER (103=11 on an order, 35=9
   or the 1.0.13 ER reject on a cancel/replace); so is a reduce-only order, which this
   simulator does not offer;
5. a NewOrderSingle then takes the account's armed failure (:mod:`..failures`), if any;
6. everything else goes to the exchange, whose results come back as reports
   (:mod:`.reports`) for the sessions :mod:`.fanout` picks.

Pending reports are made here, for requests the exchange took: PendingNew (with the OrderID
the exchange gave) before the order's first report, PendingCancel/PendingReplace before the
cancel or replace. A refused request gets its refusal only.

Mass cancel (q) is served where the dialect allows it (``rules.mass_cancel_sessions``); it
cancels the orders placed on this session and answers with OrderMassCancelReport (35=r)
before the cancel reports (SPEC §9.5: "one ExecutionReport follows for each cancelled order").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from workstation.fix.dialect import RejectChannel, SessionType
from workstation.fix.dictionary import field_def
from workstation.fix.message import FixMessage
from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import (
    BusinessRejectReason,
    ExecType,
    MassCancelResponse,
    Side,
)
from workstation.fix.messages.errors import (
    MessageError,
    SessionRejectReason,
    clordid_problem,
)
from workstation.fix.messages.execution import OrderMassCancelReport
from workstation.fix.messages.orders import (
    NewOrderSingle,
    OrderCancelReplaceRequest,
    OrderCancelRequest,
    OrderMassCancelRequest,
)
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.session_validate import HEADER_TAGS
from workstation.simulator.client import ClientSession
from workstation.simulator.exchange.orders import NewOrder, OrderView, ReplaceOrder
from workstation.simulator.exchange.reasons import Reason, cxl_rej_reason, ord_rej_reason
from workstation.simulator.exchange.results import (
    CancelRejected,
    CancelRequestKind,
    MassCancelDone,
    MassCancelRejected,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderRejected,
    OrderReplaced,
    Result,
)
from workstation.simulator.exchange.types import OrdStatus as ExchangeOrdStatus
from workstation.simulator.exchange.types import SelfTradePrevention as ExchangeStp
from workstation.simulator.exchange.types import Side as ExchangeSide
from workstation.simulator.exchange.types import TimeInForce as ExchangeTif
from workstation.simulator.failures import ArmedFailure, FailureKind
from workstation.simulator.gateway.fanout import ReportFanout
from workstation.simulator.gateway.reports import OrderEcho, OrderFacts, PendingReport
from workstation.simulator.venue import Venue

__all__ = ["ORDER_SESSIONS", "OrderEntry", "read_request"]

#: The sessions that take orders (SPEC §3); listener sessions are variants of these.
ORDER_SESSIONS = (SessionType.NR, SessionType.RT)
#: 1.0.13's answer to an order while the exchange is unavailable (SPEC §7.7, §18).
UNAVAILABLE_TEXT = "Kalshi exchange unavailable"
#: MassCancelRejectReason (532) for a refused mass cancel: Kalshi lists no codes; 99 = Other.
MASS_CANCEL_OTHER = 99

T = TypeVar("T")


#: MsgType -> the tags found defined for it so far (header tags from the start): every order
#: message asks about its ~16 tags, and only tags the dictionary defines are ever added
_DEFINED: dict[str, set[int]] = {}


def _undefined_tag(msg: FixMessage) -> int | None:
    msg_type = msg.msg_type
    defined = _DEFINED.get(msg_type)
    if defined is None:
        defined = _DEFINED[msg_type] = set(HEADER_TAGS)
    for tag, _ in msg.fields:
        if tag in defined:
            continue
        if field_def(tag, msg_type) is None:
            return tag
        defined.add(tag)
    return None


def read_request(
    fanout: ReportFanout,
    client: ClientSession,
    msg: FixMessage,
    parse: Callable[[FixMessage, PriceFormat], T],
) -> T | None:
    """The typed request in ``msg``, or None when it was refused (and answered): listener
    sessions, undefined tags, and whatever ``parse`` raises :class:`MessageError` for."""
    if fanout.refuse_listener(client, msg):
        return None
    try:
        tag = _undefined_tag(msg)
        if tag is not None:
            raise MessageError(SessionRejectReason.UNDEFINED_TAG, tag, "Undefined tag received")
        return parse(msg, client.price_format)
    except MessageError as error:
        fanout.refuse(client, msg, error)
        return None


def _first_report_of(results: list[Result], request: NewOrder) -> OrderView | None:
    """The new order as the exchange first reported it (expiries of older orders skipped)."""
    for result in results:
        if isinstance(result, OrderAccepted | OrderFilled | OrderCancelled):
            order = result.order
            if order.cl_ord_id != request.cl_ord_id or order.account != request.account:
                continue
            if isinstance(result, OrderCancelled) and result.expired:
                continue
            return result.order
    return None


class OrderEntry:
    """The D, F, G and q handlers of one venue."""

    def __init__(self, venue: Venue, fanout: ReportFanout) -> None:
        self._venue = venue
        self._fanout = fanout

    def register(self) -> None:
        for session_type in ORDER_SESSIONS:
            self._venue.on(session_type, "D", self.on_new_order)
            self._venue.on(session_type, "F", self.on_cancel)
            self._venue.on(session_type, "G", self.on_replace)
            self._venue.on(session_type, "q", self.on_mass_cancel)

    # ------------------------------------------------------------------ D

    def on_new_order(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        nos = read_request(self._fanout, client, msg, NewOrderSingle.from_message)
        if nos is None:
            return
        if nos.quote_id is not None:
            self._fanout.business_reject(
                client,
                msg,
                BusinessRejectReason.OTHER,
                "Accepting an RFQ quote with NewOrderSingle (117) is not offered here",
                ref_tag=117,
                ref_id=nos.cl_ord_id,
            )
            return
        request = self._new_order(client, nos)
        echo = OrderEcho(alloc_account=nos.alloc_account, parties=nos.parties)
        if clordid_problem(nos.cl_ord_id) is not None or nos.reduce_only:
            self._refuse_order(client, request, echo, Reason.INVALID_ORDER, now)
            return
        failure = self._venue.failures.take(client.account)
        if failure is not None:
            self._answer_failure(client, msg, request, echo, failure, now)
            if not (failure.kind is FailureKind.EXCHANGE_UNAVAILABLE and failure.applied):
                return
        results = self._venue.exchange.submit(request, now)
        items: list[Result | PendingReport] = []
        first = _first_report_of(results, request)
        if first is not None:
            self._fanout.remember(first.order_id, echo)
            if failure is None:
                items.append(
                    PendingReport(
                        exec_type=ExecType.PENDING_NEW,
                        order=first,
                        cl_ord_id=request.cl_ord_id,
                        orig_cl_ord_id=None,
                        transact_time=now,
                    )
                )
        items.extend(results)
        self._fanout.deliver(
            items, now, requester=client, suppress_ack=failure is not None, echo=echo
        )
        self._fanout.publish(results, now)

    def _new_order(self, client: ClientSession, nos: NewOrderSingle) -> NewOrder:
        tif = nos.time_in_force
        stp = nos.self_trade_prevention
        return NewOrder(
            account=client.account,
            cl_ord_id=nos.cl_ord_id,
            ticker=nos.symbol,
            side=ExchangeSide(nos.side.value),
            price=nos.price,
            quantity=nos.order_qty,
            sub_account=nos.alloc_account or 0,
            time_in_force=ExchangeTif.GTC if tif is None else ExchangeTif(tif.value),
            expire_time=nos.expire_time,
            post_only=nos.post_only,
            stp=ExchangeStp.TAKER_AT_CROSS if stp is None else ExchangeStp(stp.value),
            group_id=nos.order_group_id,
            cancel_on_pause=nos.cancel_order_on_pause,
            max_execution_cost=nos.max_execution_cost,
            session_tag=client.tag,
            report_expiry=client.options.use_expired_ord_status,
        )

    def _refuse_order(
        self,
        client: ClientSession,
        request: NewOrder,
        echo: OrderEcho,
        reason: Reason,
        now: float,
    ) -> None:
        refusal = OrderRejected(
            transact_time=now,
            request=request,
            reason=reason,
            ord_rej_reason=ord_rej_reason(reason, self._venue.rules),
        )
        self._fanout.deliver([refusal], now, requester=client, echo=echo)

    def _answer_failure(
        self,
        client: ClientSession,
        msg: FixMessage,
        request: NewOrder,
        echo: OrderEcho,
        failure: ArmedFailure,
        now: float,
    ) -> None:
        """The armed failure's answer (SPEC §9.8, DECISIONS.md): an ER reject on ``current``
        (INTERNAL_ERROR exists there only); on 1.0.13 a BusinessMessageReject 380=4."""
        rules = self._venue.rules
        if failure.kind is FailureKind.INTERNAL_ERROR and rules.has_internal_error:
            self._refuse_order(client, request, echo, Reason.INTERNAL_ERROR, now)
        elif rules.exchange_unavailable_channel is RejectChannel.EXECUTION_REPORT:
            self._refuse_order(client, request, echo, Reason.EXCHANGE_UNAVAILABLE, now)
        else:
            self._fanout.send(
                client,
                BusinessMessageReject(
                    reason=BusinessRejectReason.APPLICATION_NOT_AVAILABLE,
                    ref_msg_type=msg.msg_type,
                    ref_seq_num=msg.seq_num or 0,
                    ref_id=request.cl_ord_id,
                    text=UNAVAILABLE_TEXT,
                ),
            )

    # ------------------------------------------------------------------ F and G

    def on_cancel(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        req = read_request(self._fanout, client, msg, OrderCancelRequest.from_message)
        if req is None:
            return
        sub_account = req.alloc_account or 0
        before = self._live_view(client.account, req.orig_cl_ord_id)
        fallback = self._fallback(req.cl_ord_id, req.orig_cl_ord_id, req.symbol, req.side)
        if clordid_problem(req.cl_ord_id) is not None:
            self._refuse_amend(
                client,
                CancelRequestKind.CANCEL,
                req.cl_ord_id,
                req.orig_cl_ord_id,
                sub_account,
                before,
                fallback,
                now,
            )
            return
        results = self._venue.exchange.cancel(
            account=client.account,
            cl_ord_id=req.cl_ord_id,
            orig_cl_ord_id=req.orig_cl_ord_id,
            ticker=req.symbol,
            side=ExchangeSide(req.side.value),
            now=now,
            sub_account=sub_account,
            order_id=req.order_id,
        )
        self._deliver_amend(
            client,
            results,
            before,
            ExecType.PENDING_CANCEL,
            req.cl_ord_id,
            req.orig_cl_ord_id,
            fallback,
            now,
        )

    def on_replace(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        req = read_request(self._fanout, client, msg, OrderCancelReplaceRequest.from_message)
        if req is None:
            return
        sub_account = req.alloc_account or 0
        before = self._live_view(client.account, req.orig_cl_ord_id)
        fallback = self._fallback(
            req.cl_ord_id, req.orig_cl_ord_id, req.symbol, req.side, req.order_qty, req.price
        )
        if clordid_problem(req.cl_ord_id) is not None:
            self._refuse_amend(
                client,
                CancelRequestKind.REPLACE,
                req.cl_ord_id,
                req.orig_cl_ord_id,
                sub_account,
                before,
                fallback,
                now,
            )
            return
        results = self._venue.exchange.replace(
            ReplaceOrder(
                account=client.account,
                cl_ord_id=req.cl_ord_id,
                orig_cl_ord_id=req.orig_cl_ord_id,
                ticker=req.symbol,
                side=ExchangeSide(req.side.value),
                quantity=req.order_qty,
                price=req.price,
                sub_account=sub_account,
                order_id=req.order_id,
            ),
            now,
        )
        self._deliver_amend(
            client,
            results,
            before,
            ExecType.PENDING_REPLACE,
            req.cl_ord_id,
            req.orig_cl_ord_id,
            fallback,
            now,
        )

    def _live_view(self, account: str, cl_ord_id: str) -> OrderView | None:
        """The order that is currently known by ``cl_ord_id``, as it stands now."""
        exchange = self._venue.exchange
        order_id = exchange.state.cl_ord_ids.get(account, {}).get(cl_ord_id)
        order = None if order_id is None else exchange.order(order_id)
        return None if order is None else order.view()

    @staticmethod
    def _fallback(
        cl_ord_id: str,
        orig_cl_ord_id: str,
        symbol: str,
        side: Side,
        quantity: Decimal | None = None,
        price: Decimal | None = None,
    ) -> OrderFacts:
        zero = Decimal(0)
        return OrderFacts(
            order_id=None,
            cl_ord_id=cl_ord_id,
            orig_cl_ord_id=orig_cl_ord_id,
            symbol=symbol,
            side=side,
            price=price,
            order_qty=zero if quantity is None else quantity,
            cum_qty=zero,
            leaves_qty=zero,
            avg_px=zero,
            time_in_force=None,
            expire_time=None,
            sub_account=0,
        )

    def _refuse_amend(
        self,
        client: ClientSession,
        kind: CancelRequestKind,
        cl_ord_id: str,
        orig_cl_ord_id: str,
        sub_account: int,
        before: OrderView | None,
        fallback: OrderFacts,
        now: float,
    ) -> None:
        """A cancel/replace the gateway refuses itself (a bad ClOrdID), in the dialect's form."""
        reason = Reason.INVALID_ORDER
        refusal = CancelRejected(
            transact_time=now,
            response_to=kind,
            account=client.account,
            sub_account=sub_account,
            cl_ord_id=cl_ord_id,
            orig_cl_ord_id=orig_cl_ord_id,
            order=before,
            status=ExchangeOrdStatus.REJECTED if before is None else before.status,
            reason=reason,
            cxl_rej_reason=cxl_rej_reason(reason),
            ord_rej_reason=ord_rej_reason(reason, self._venue.rules),
            channel=self._venue.rules.amend_failure_channel,
        )
        self._fanout.deliver([refusal], now, requester=client, fallback=fallback)

    def _deliver_amend(
        self,
        client: ClientSession,
        results: list[Result],
        before: OrderView | None,
        pending: ExecType,
        cl_ord_id: str,
        orig_cl_ord_id: str,
        fallback: OrderFacts,
        now: float,
    ) -> None:
        items: list[Result | PendingReport] = []
        taken = any(
            isinstance(r, OrderReplaced | OrderCancelled)
            and r.order.cl_ord_id == cl_ord_id
            and (isinstance(r, OrderReplaced) or r.requested)
            for r in results
        )
        if taken and before is not None:
            items.append(
                PendingReport(
                    exec_type=pending,
                    order=before,
                    cl_ord_id=cl_ord_id,
                    orig_cl_ord_id=orig_cl_ord_id,
                    transact_time=now,
                )
            )
        items.extend(results)
        self._fanout.deliver(items, now, requester=client, fallback=fallback)
        self._fanout.publish(results, now)

    # ------------------------------------------------------------------ q

    def on_mass_cancel(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        if self._fanout.refuse_listener(client, msg):
            return
        if client.session_type not in self._venue.rules.mass_cancel_sessions:
            self._fanout.business_reject(
                client,
                msg,
                BusinessRejectReason.UNSUPPORTED_MESSAGE_TYPE,
                f"Unsupported Message Type q on {client.session_type.value}",
                ref_id=msg.get(11),
            )
            return
        req = read_request(self._fanout, client, msg, OrderMassCancelRequest.from_message)
        if req is None:
            return
        results = self._venue.exchange.mass_cancel(
            account=client.account, now=now, session_tag=client.tag
        )
        for result in results:
            if isinstance(result, MassCancelDone):
                report = OrderMassCancelReport(
                    cl_ord_id=req.cl_ord_id,
                    order_id=str(uuid.uuid4()),
                    response=MassCancelResponse.CANCEL_SESSION_ORDERS,
                    request_type=req.request_type,
                )
            elif isinstance(result, MassCancelRejected):
                report = OrderMassCancelReport(
                    cl_ord_id=req.cl_ord_id,
                    order_id=str(uuid.uuid4()),
                    response=MassCancelResponse.REJECTED,
                    request_type=req.request_type,
                    reject_reason=MASS_CANCEL_OTHER,
                    text=result.reason.value,
                )
            else:
                continue
            self._fanout.send(client, report)
        self._fanout.deliver(results, now, requester=client)
        self._fanout.publish(results, now)
