"""KalshiRT: the RFQ creator's side of the RFQ desk on FIX (SPEC §13.1, §13.3, §13.4).

Served only where the dialect has the creator flow (``rules.rfq_creator_on_rt``, from
2026-04-03). On 1.0.13 no handler is registered, so R, UA and UE on KalshiRT get the venue's
BusinessMessageReject 380=3 (Unsupported Message Type), and a NewOrderSingle with QuoteID
stays with the order gateway.

In: QuoteRequest (R), AcceptQuote (UA), RFQCancel (UE), and NewOrderSingle (D) carrying a
QuoteID (117). Out: QuoteRequestAck (b), Quote notifications (S, always in dollars),
AcceptQuoteStatus (UC), RFQCancelStatus (UB), QuoteRequestReject (AG); the trade itself comes as
ExecutionReports on the account's order sessions (:mod:`.rfq_bridge`).

==========================  ================================================================
desk record                 message
==========================  ================================================================
``RfqCreated``              b: 131 echo, 303=1, 21023 RfqId, 100=0 (one exchange)
``RfqRefused``              AG: 131 echo, 658 (1 unknown symbol, 3 over the limit, 99), 58;
                            also for an AllocAccount (79) the creator does not have
``QuoteOffered``            S: 117, 131 = RfqId, 55, 132/133 dollars (absent when 0), 38,
                            134/135, 453=1 / 448 quoter pseudonym / 452=35
``AcceptAcknowledged``      UC 21025=0 with 21024 (the quote accepted) and 11
``AcceptRefused``           UC 21025=1 with 58 and 11
``AcceptVoided``            UC 21025=1 with 58, unsolicited: the maker did not confirm and the
                            RFQ is open again
``RfqCancelled``            UB 21013=0: 131 = the id the cancel named (unsolicited when a newer
                            RFQ with ReplaceExisting closed it: the client id), 21023
``RfqCancelRefused``        UB 21013=1 with 58 (unknown id, already closed, trade confirmed)
``RfqExpired``              UB 21013=2 with 21023, unsolicited
==========================  ================================================================

**Accepting by NewOrderSingle** (SPEC §13.4): a 35=D with 117 accepts that quote with the
order's Side (1 takes the NO bid, 2 the YES bid), OrderQty and optional RfqId (21023); Price
(44) and SenderSubID are not used. The order's reports are ExecutionReports, not UC: a refusal
is an ER reject (150=8) — Text ``EXPIRED`` with 103=8 (Stale order) when the RFQ expired,
``INVALID_ORDER`` 103=11 for reduce-only (18=E) or a bad ClOrdID, otherwise the desk's reason
with 103=99; an acceptance is a PendingNew (150=A, ExecID ``-1;-1``, with the OrderID the trade
will carry; none with SkipPendingExecReports); the trade reports follow after the maker's
confirmation and the execution timer under the order's ClOrdID; a voided acceptance (the maker
missed its window) or a cancelled RFQ ends the order with an ER reject carrying the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import (
    AcceptQuoteStatus,
    ExecType,
    OrdRejReason,
    OrdStatus,
    PartyRole,
    QuoteRequestRejectReason,
    QuoteRequestType,
    RfqCancelStatus,
    Side,
    TimeInForce,
)
from workstation.fix.messages.errors import clordid_problem
from workstation.fix.messages.exec_id import PENDING_EXEC_ID
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.parties import Party
from workstation.fix.messages.rfq_creator import (
    AcceptQuote,
    AcceptQuoteStatusReport,
    CreatorQuoteRequest,
    QuoteNotification,
    QuoteRequestAck,
    RfqCancel,
    RfqCancelStatusReport,
)
from workstation.fix.messages.rfq_maker import QuoteRequestReject
from workstation.simulator.client import ClientSession
from workstation.simulator.exchange.reasons import Reason
from workstation.simulator.gateway.reports import (
    OrderEcho,
    OrderFacts,
    ReportStyle,
    execution_report,
)
from workstation.simulator.rfq.results import (
    AcceptAcknowledged,
    AcceptRefused,
    AcceptVoided,
    QuoteOffered,
    RfqCancelled,
    RfqCancelRefused,
    RfqCreated,
    RfqExecutionDue,
    RfqExpired,
    RfqRefused,
)
from workstation.simulator.rfq.sides import AcceptSide
from workstation.simulator.rfq.types import AcceptProblem, RequestRejectReason

if TYPE_CHECKING:
    from workstation.simulator.gateway.rfq_bridge import RfqBridge
    from workstation.simulator.venue import Handler

__all__ = [
    "ANSWERS",
    "CREATOR_RECORDS",
    "EXPIRED_TEXT",
    "CreatorGateway",
    "CreatorMessage",
    "CreatorRecord",
    "OrderAcceptance",
    "creator_messages",
]

#: The ER reject Text for an accept by NewOrderSingle of a quote whose RFQ expired (§13.4).
EXPIRED_TEXT = "EXPIRED"
#: The exchange index of every RFQ market (ExDestination 100): the simulator is one exchange.
EX_DESTINATION = 0

CreatorRecord = (
    RfqCreated
    | RfqRefused
    | QuoteOffered
    | AcceptAcknowledged
    | AcceptRefused
    | AcceptVoided
    | RfqCancelled
    | RfqCancelRefused
    | RfqExpired
)
CREATOR_RECORDS = (
    RfqCreated,
    RfqRefused,
    QuoteOffered,
    AcceptAcknowledged,
    AcceptRefused,
    AcceptVoided,
    RfqCancelled,
    RfqCancelRefused,
    RfqExpired,
)
#: Records that answer the creator's own request: they go to the session that sent it.
ANSWERS = (RfqCreated, RfqRefused, AcceptAcknowledged, AcceptRefused, RfqCancelRefused)
CreatorMessage = (
    QuoteRequestAck
    | QuoteRequestReject
    | QuoteNotification
    | AcceptQuoteStatusReport
    | RfqCancelStatusReport
    | ExecutionReport
)


def creator_messages(record: CreatorRecord) -> list[CreatorMessage]:
    """The messages ``record`` becomes for its creator (see the module docstring)."""
    if isinstance(record, RfqCreated):
        return [
            QuoteRequestAck(
                quote_req_id=record.client_rfq_id or record.rfq_id,
                request_type=QuoteRequestType.MANUAL,
                rfq_id=record.rfq_id,
                ex_destination=EX_DESTINATION,
            )
        ]
    if isinstance(record, RfqRefused):
        return [
            QuoteRequestReject(
                quote_req_id=record.client_rfq_id or record.ticker,
                reason=QuoteRequestRejectReason(int(record.reason)),
                text=record.text,
            )
        ]
    if isinstance(record, QuoteOffered):
        return [
            QuoteNotification(
                quote_id=record.quote_id,
                quote_req_id=record.rfq_id,
                symbol=record.ticker,
                bid_px=record.yes_bid or None,
                offer_px=record.no_bid or None,
                order_qty=record.quantity,
                bid_size=record.yes_size,
                offer_size=record.no_size,
                parties=(Party(party_id=record.quoter, role=PartyRole.LIQUIDITY_PROVIDER),),
            )
        ]
    if isinstance(record, AcceptAcknowledged):
        return [
            AcceptQuoteStatusReport(
                quote_id=record.quote_id,
                status=AcceptQuoteStatus.ACCEPTED,
                accepted_quote_id=record.accepted_quote_id,
                cl_ord_id=record.cl_ord_id,
            )
        ]
    if isinstance(record, AcceptRefused | AcceptVoided):
        return [
            AcceptQuoteStatusReport(
                quote_id=record.quote_id,
                status=AcceptQuoteStatus.REJECTED,
                cl_ord_id=record.cl_ord_id,
                text=record.text,
            )
        ]
    if isinstance(record, RfqCancelled):
        return [
            RfqCancelStatusReport(
                status=RfqCancelStatus.CANCELED,
                quote_req_id=record.echo_id,
                rfq_id=record.rfq_id,
            )
        ]
    if isinstance(record, RfqCancelRefused):
        return [
            RfqCancelStatusReport(
                status=RfqCancelStatus.REJECTED,
                quote_req_id=record.echo_id or None,
                rfq_id=record.rfq_id,
                text=record.text,
            )
        ]
    return [
        RfqCancelStatusReport(
            status=RfqCancelStatus.EXPIRED, quote_req_id=record.echo_id, rfq_id=record.rfq_id
        )
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderAcceptance:
    """A quote accepted by NewOrderSingle: the order its ExecutionReports describe."""

    creator: str
    cl_ord_id: str
    order_id: str  #: announced in the PendingNew; the trade's order carries it
    symbol: str
    side: Side
    order_qty: Decimal
    price: Decimal  #: the order's Price (44), echoed until the trade says otherwise
    time_in_force: TimeInForce | None
    sub_account: int
    echo: OrderEcho

    def facts(self, *, order_id: str | None, live: bool) -> OrderFacts:
        """The order as its reports state it: open for the whole quantity, or ended."""
        zero = Decimal(0)
        return OrderFacts(
            order_id=order_id,
            cl_ord_id=self.cl_ord_id,
            orig_cl_ord_id=None,
            symbol=self.symbol,
            side=self.side,
            price=self.price,
            order_qty=self.order_qty,
            cum_qty=zero,
            leaves_qty=self.order_qty if live else zero,
            avg_px=zero,
            time_in_force=self.time_in_force,
            expire_time=None,
            sub_account=self.sub_account,
        )


class CreatorGateway:
    """The KalshiRT creator handlers (R, UA, UE, and D with QuoteID) and the creator's
    messages, ExecutionReports included for quotes accepted by NewOrderSingle."""

    def __init__(self, bridge: RfqBridge, *, orders: Handler | None = None) -> None:
        """``orders``: the order gateway's NewOrderSingle handler, for every 35=D that is not
        a quote acceptance."""
        self._bridge = bridge
        self._orders = orders
        self._asking: OrderAcceptance | None = None  #: the D being handled now
        self._by_rfq: dict[str, OrderAcceptance] = {}  #: acceptances by D, by RfqId

    def register(self) -> None:
        venue = self._bridge.venue
        if not venue.rules.rfq_creator_on_rt:
            return
        venue.on(SessionType.RT, "R", self.on_quote_request)
        venue.on(SessionType.RT, "UA", self.on_accept_quote)
        venue.on(SessionType.RT, "UE", self.on_rfq_cancel)
        if self._orders is not None:
            venue.on(SessionType.RT, "D", self.on_new_order)

    # ------------------------------------------------------------------ outbound

    def messages_for(self, record: CreatorRecord, client: ClientSession) -> list[CreatorMessage]:
        """What ``client`` (a session of the record's creator) gets for ``record``."""
        order = self._order_of(record)
        if order is None:
            return creator_messages(record)
        style = ReportStyle.of(client)
        now = record.transact_time
        if isinstance(record, AcceptAcknowledged):
            if style.skip_pending:
                return []
            report = execution_report(
                order.facts(order_id=order.order_id, live=True),
                exec_type=ExecType.PENDING_NEW,
                ord_status=OrdStatus.PENDING_NEW,
                exec_id=PENDING_EXEC_ID,
                transact_time=now,
                style=style,
                echo=order.echo,
            )
            return [report]
        if isinstance(record, AcceptRefused):
            expired = record.problem is AcceptProblem.EXPIRED
            return [
                _reject(
                    order,
                    None,
                    EXPIRED_TEXT if expired else record.text,
                    OrdRejReason.STALE_ORDER if expired else OrdRejReason.OTHER,
                    style,
                    now,
                )
            ]
        if isinstance(record, AcceptVoided):
            return [_reject(order, order.order_id, record.text, OrdRejReason.OTHER, style, now)]
        if isinstance(record, RfqCancelled | RfqExpired):
            text = _closed_text(record)
            ended = _reject(order, order.order_id, text, OrdRejReason.OTHER, style, now)
            return [ended, *creator_messages(record)]
        return creator_messages(record)

    def track(self, record: CreatorRecord) -> None:
        """Note an acceptance by NewOrderSingle that ``record`` acknowledges (before routing)."""
        if isinstance(record, AcceptAcknowledged) and self._order_of(record) is not None:
            assert self._asking is not None
            self._by_rfq[record.rfq_id] = self._asking

    def settle(self, record: CreatorRecord) -> None:
        """Forget an acceptance by NewOrderSingle that ``record`` ended (after routing it)."""
        if not isinstance(record, AcceptVoided | RfqCancelled | RfqExpired):
            return
        if self._order_of(record) is not None:
            del self._by_rfq[record.rfq_id]

    def take_order(self, due: RfqExecutionDue) -> OrderAcceptance | None:
        """The NewOrderSingle that accepted the quote now trading, if it was one (forgotten)."""
        order = self._by_rfq.get(due.rfq_id)
        if order is None or order.creator != due.creator:
            return None
        if order.cl_ord_id != due.creator_cl_ord_id:
            return None
        del self._by_rfq[due.rfq_id]
        return order

    def order_for(self, rfq_id: str) -> OrderAcceptance | None:
        """The NewOrderSingle that accepted a quote on ``rfq_id`` and is not settled yet."""
        return self._by_rfq.get(rfq_id)

    def restore_order(self, rfq_id: str, order: OrderAcceptance) -> None:
        """Take back an acceptance by NewOrderSingle an earlier run kept (state directory)."""
        self._by_rfq[rfq_id] = order

    def _order_of(self, record: CreatorRecord) -> OrderAcceptance | None:
        asking = self._asking
        if isinstance(record, AcceptAcknowledged | AcceptRefused):
            if asking is None or asking.creator != record.creator:
                return None
            return asking if asking.cl_ord_id == record.cl_ord_id else None
        if isinstance(record, AcceptVoided):
            order = self._by_rfq.get(record.rfq_id)
            return order if order is not None and order.cl_ord_id == record.cl_ord_id else None
        if isinstance(record, RfqCancelled | RfqExpired):
            return self._by_rfq.get(record.rfq_id)
        return None

    # ------------------------------------------------------------------ inbound

    def on_quote_request(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        request = self._bridge.read(client, msg, CreatorQuoteRequest.from_message)
        if request is None:
            return
        if request.symbol is None:
            self._bridge.business_reject(
                client, msg, "combo (MVE) RFQs are not offered by this simulator", 20180
            )
            return
        problem = self._bridge.sub_account_problem(client, request.alloc_account)
        if problem is not None:
            refusal = RfqRefused(
                creator=client.account,
                transact_time=now,
                client_rfq_id=request.quote_req_id,
                ticker=request.symbol,
                reason=RequestRejectReason.OTHER,
                text=problem,
            )
            self._bridge.route([refusal], now, requester=client)
            return
        desk = self._bridge.desk
        symbol = request.symbol
        self._bridge.remember_rfq_alloc(client.account, request.quote_req_id, request.alloc_account)
        self._bridge.act(
            client,
            now,
            lambda: desk.create_rfq(
                creator=client.account,
                ticker=symbol,
                quantity=request.order_qty,
                cash_quantity=request.cash_order_qty,
                client_rfq_id=request.quote_req_id,
                rest_remainder=request.rest_remainder,
                replace_existing=request.replace_existing,
                now=now,
            ),
        )

    def on_accept_quote(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        accept = self._bridge.read(client, msg, AcceptQuote.from_message)
        if accept is None:
            return
        desk = self._bridge.desk
        self._bridge.act(
            client,
            now,
            lambda: desk.accept_quote(
                creator=client.account,
                quote_id=accept.quote_id,
                side=AcceptSide(accept.side.value),
                rfq_id=accept.rfq_id,
                quantity=accept.order_qty,
                cl_ord_id=accept.cl_ord_id,
                prefer_better=accept.prefer_better_quote,
                now=now,
            ),
        )

    def on_rfq_cancel(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        cancel = self._bridge.read(client, msg, RfqCancel.from_message)
        if cancel is None:
            return
        desk = self._bridge.desk
        self._bridge.act(
            client,
            now,
            lambda: desk.cancel_rfq(
                creator=client.account,
                client_rfq_id=cancel.quote_req_id,
                rfq_id=cancel.rfq_id,
                now=now,
            ),
        )

    def on_new_order(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        """35=D: a quote acceptance when it carries QuoteID (117), else an ordinary order."""
        if msg.get(117) is None or self._orders is None:
            if self._orders is not None:
                self._orders(client, msg, now)
            return
        nos = self._bridge.read(client, msg, NewOrderSingle.from_message)
        if nos is None or nos.quote_id is None:
            return
        order = OrderAcceptance(
            creator=client.account,
            cl_ord_id=nos.cl_ord_id,
            order_id=self._bridge.venue.exchange.ids.order_id(),
            symbol=nos.symbol,
            side=nos.side,
            order_qty=nos.order_qty,
            price=nos.price,
            time_in_force=nos.time_in_force,
            sub_account=nos.alloc_account or 0,
            echo=OrderEcho(alloc_account=nos.alloc_account, parties=nos.parties),
        )
        problem = _order_problem(nos)
        if problem is not None:
            style = ReportStyle.of(client)
            refusal = _reject(order, None, Reason.INVALID_ORDER.value, problem, style, now)
            self._bridge.send(client, refusal)
            return
        desk = self._bridge.desk
        quote_id = nos.quote_id
        self._asking = order
        try:
            self._bridge.act(
                client,
                now,
                lambda: desk.accept_quote(
                    creator=client.account,
                    quote_id=quote_id,
                    side=AcceptSide(nos.side.value),
                    rfq_id=nos.rfq_id,
                    quantity=nos.order_qty,
                    cl_ord_id=nos.cl_ord_id,
                    now=now,
                ),
            )
        finally:
            self._asking = None


def _order_problem(nos: NewOrderSingle) -> OrdRejReason | None:
    """What the gateway itself refuses in a quote-accepting order (SPEC §13.4, §9.1)."""
    if nos.reduce_only or clordid_problem(nos.cl_ord_id) is not None:
        return OrdRejReason.UNSUPPORTED_ORDER_CHARACTERISTIC
    return None


def _closed_text(record: RfqCancelled | RfqExpired) -> str:
    if isinstance(record, RfqCancelled):
        return f"the RFQ was cancelled: {record.reason.value}"
    return "the RFQ expired"


def _reject(
    order: OrderAcceptance,
    order_id: str | None,
    text: str,
    reason: OrdRejReason,
    style: ReportStyle,
    now: float,
) -> ExecutionReport:
    return execution_report(
        order.facts(order_id=order_id, live=False),
        exec_type=ExecType.REJECTED,
        ord_status=OrdStatus.REJECTED,
        exec_id=None,
        transact_time=now,
        style=style,
        echo=order.echo,
        text=text,
        ord_rej_reason=int(reason),
    )
