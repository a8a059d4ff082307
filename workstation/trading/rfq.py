"""Our RFQs as requester (creator, on KalshiRT): requests, the quotes they draw, accept, cancel.

Flow (SPEC §13.1, §13.3): we send a QuoteRequest (R) with our own QuoteReqID (131); the
exchange acknowledges it (b) with its RfqId (21023), and makers' quotes arrive as Quote
notifications (S) naming that RfqId in 131, prices in dollars. We accept a quote with
AcceptQuote (UA) and get AcceptQuoteStatus (UC); we cancel with RFQCancel (UE) and get
RFQCancelStatus (UB), which also reports an RFQ the exchange expired. A QuoteRequestReject
(AG) refuses (or closes) the RFQ. The trade itself arrives later as ExecutionReports:
"accepted" is not "executed" (trading-ui-anchors §3.10).

A maker's quote holds two bids: BidPx = what it pays for YES, OfferPx = what it pays for NO.
Implied prices for us: buy YES at 1 − NO bid (Side 1 on the UA takes the maker's NO bid),
sell YES at the YES bid (Side 2 takes the YES bid), i.e. buy NO at 1 − YES bid. A new quote
from the same quoter (PartyID) replaces that quoter's earlier one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import AcceptQuoteStatus, RfqCancelStatus, Side
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
from workstation.trading.changes import Change, ReportUnmatched, RfqChanged

__all__ = ["Rfq", "RfqQuote", "RfqStatus", "Rfqs"]

_ONE = Decimal(1)


class RfqStatus(Enum):
    """Where one of our RFQs stands; the value is the text shown."""

    SENT = "Sent"  #: no acknowledgement yet
    OPEN = "Open"  #: acknowledged (35=b): quotes may arrive
    ACCEPTING = "Accepting"  #: AcceptQuote sent
    ACCEPTED = "Accepted"  #: UC ACCEPTED: the trade follows as ExecutionReports
    CANCELLING = "Cancelling"  #: RFQCancel sent
    CANCELLED = "Cancelled"  #: UB CANCELED
    EXPIRED = "Expired"  #: UB EXPIRED (the exchange closed it)
    REJECTED = "Rejected"  #: AG

    @property
    def is_closed(self) -> bool:
        return self in (RfqStatus.CANCELLED, RfqStatus.EXPIRED, RfqStatus.REJECTED)


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqQuote:
    """A maker's quote on our RFQ. Prices are dollars; None = no quote on that side."""

    quote_id: str
    yes_bid: Decimal | None  #: BidPx: the maker pays this for YES
    no_bid: Decimal | None  #: OfferPx: the maker pays this for NO
    order_qty: Decimal | None
    quoter: str | None  #: pseudonymous quoter ID
    received_at: float

    @property
    def buy_yes_price(self) -> Decimal | None:
        """The YES price we pay if we take the NO bid (UA Side 1)."""
        return None if self.no_bid is None else _ONE - self.no_bid

    @property
    def sell_yes_price(self) -> Decimal | None:
        """The YES price we receive if we take the YES bid (UA Side 2)."""
        return self.yes_bid

    @property
    def buy_no_price(self) -> Decimal | None:
        """The NO price we pay by selling YES at the YES bid."""
        return None if self.yes_bid is None else _ONE - self.yes_bid


@dataclass(frozen=True, slots=True, kw_only=True)
class Rfq:
    """One of our RFQs."""

    quote_req_id: str  #: our QuoteReqID (131)
    rfq_id: str | None  #: the exchange's RfqId (21023), from the acknowledgement
    symbol: str | None
    order_qty: Decimal | None
    cash_order_qty: Decimal | None
    status: RfqStatus
    quotes: tuple[RfqQuote, ...] = ()  #: live quotes, one per quoter
    accepted_quote_id: str | None = None
    accept_side: Side | None = None
    text: str = ""  #: the last refusal or reason
    created_at: float
    updated_at: float

    def quote(self, quote_id: str) -> RfqQuote | None:
        return next((q for q in self.quotes if q.quote_id == quote_id), None)


class Rfqs:
    """Our RFQs, by our QuoteReqID, the exchange's RfqId, and their quotes' IDs."""

    def __init__(self) -> None:
        self._rfqs: dict[str, Rfq] = {}
        self._by_rfq_id: dict[str, str] = {}
        self._by_quote_id: dict[str, str] = {}
        self._status_before: dict[str, RfqStatus] = {}  # while an accept or cancel is in flight

    def get(self, quote_req_id: str) -> Rfq | None:
        return self._rfqs.get(quote_req_id)

    def by_rfq_id(self, rfq_id: str) -> Rfq | None:
        key = self._by_rfq_id.get(rfq_id)
        return None if key is None else self._rfqs[key]

    def __iter__(self) -> Iterator[Rfq]:
        return iter(self._rfqs.values())

    def __len__(self) -> int:
        return len(self._rfqs)

    def _store(self, rfq: Rfq) -> list[Change]:
        self._rfqs[rfq.quote_req_id] = rfq
        if rfq.rfq_id is not None:
            self._by_rfq_id[rfq.rfq_id] = rfq.quote_req_id
        return [RfqChanged(rfq=rfq)]

    def _find(self, *ids: str | None) -> Rfq | None:
        for each in ids:
            if each is None:
                continue
            key = each if each in self._rfqs else self._by_rfq_id.get(each)
            if key is not None:
                return self._rfqs[key]
        return None

    def requested(self, request: CreatorQuoteRequest, *, now: float) -> list[Change]:
        """We are sending ``request``."""
        if request.quote_req_id in self._rfqs:
            raise ValueError(f"QuoteReqID {request.quote_req_id!r} is already used")
        rfq = Rfq(
            quote_req_id=request.quote_req_id,
            rfq_id=None,
            symbol=request.symbol,
            order_qty=request.order_qty,
            cash_order_qty=request.cash_order_qty,
            status=RfqStatus.SENT,
            created_at=now,
            updated_at=now,
        )
        return self._store(rfq)

    def apply_ack(self, ack: QuoteRequestAck, *, now: float) -> list[Change]:
        """QuoteRequestAck (b): the RFQ is open; learn its RfqId (and the combo's market)."""
        rfq = self._rfqs.get(ack.quote_req_id)
        if rfq is None:
            return [ReportUnmatched(what="QuoteRequestAck", reference=ack.quote_req_id, text="")]
        status = RfqStatus.OPEN if rfq.status is RfqStatus.SENT else rfq.status
        return self._store(
            replace(
                rfq,
                rfq_id=ack.rfq_id or rfq.rfq_id,
                symbol=ack.symbol or rfq.symbol,
                status=status,
                updated_at=now,
            )
        )

    def apply_quote(self, quote: QuoteNotification, *, now: float) -> list[Change]:
        """A maker's quote (S): add it, replacing that quoter's earlier quote."""
        rfq = self._find(quote.quote_req_id)
        if rfq is None:
            return [
                ReportUnmatched(what="Quote", reference=quote.quote_req_id, text=quote.quote_id)
            ]
        quoter = next((p.party_id for p in quote.parties), None)
        entry = RfqQuote(
            quote_id=quote.quote_id,
            yes_bid=quote.bid_px,
            no_bid=quote.offer_px,
            order_qty=quote.order_qty,
            quoter=quoter,
            received_at=now,
        )
        kept = tuple(
            q
            for q in rfq.quotes
            if q.quote_id != quote.quote_id and (quoter is None or q.quoter != quoter)
        )
        self._by_quote_id[quote.quote_id] = rfq.quote_req_id
        return self._store(replace(rfq, quotes=(*kept, entry), updated_at=now))

    def accept_request(
        self,
        quote_id: str,
        side: Side,
        *,
        order_qty: Decimal | None = None,
        prefer_better_quote: bool = False,
        cl_ord_id: str | None = None,
    ) -> AcceptQuote:
        """The AcceptQuote for a quote: Side BUY takes its NO bid, SELL its YES bid."""
        key = self._by_quote_id.get(quote_id)
        rfq = None if key is None else self._rfqs[key]
        quote = None if rfq is None else rfq.quote(quote_id)
        if rfq is None or quote is None:
            raise LookupError(f"no live quote {quote_id!r}")
        if rfq.status is not RfqStatus.OPEN:
            raise ValueError(
                f"the RFQ is {rfq.status.value}: only an open RFQ's quote can be accepted"
            )
        taken = quote.no_bid if side is Side.BUY else quote.yes_bid
        if taken is None:
            bid = "NO" if side is Side.BUY else "YES"
            raise ValueError(f"quote {quote_id!r} has no {bid} bid to take")
        return AcceptQuote(
            quote_id=quote_id,
            side=side,
            rfq_id=rfq.rfq_id,
            order_qty=order_qty,
            cl_ord_id=cl_ord_id,
            prefer_better_quote=prefer_better_quote,
        )

    def accept_sent(self, accept: AcceptQuote, *, now: float) -> list[Change]:
        key = self._by_quote_id.get(accept.quote_id)
        if key is None:
            raise LookupError(f"no live quote {accept.quote_id!r}")
        rfq = self._rfqs[key]
        self._status_before[rfq.quote_req_id] = rfq.status
        return self._store(
            replace(rfq, status=RfqStatus.ACCEPTING, accept_side=accept.side, updated_at=now)
        )

    def apply_accept_status(self, report: AcceptQuoteStatusReport, *, now: float) -> list[Change]:
        """AcceptQuoteStatus (UC): ACCEPTED (the trade follows) or REJECTED (back to open)."""
        key = self._by_quote_id.get(report.quote_id)
        if key is None:
            return [
                ReportUnmatched(
                    what="AcceptQuoteStatus", reference=report.quote_id, text=report.text or ""
                )
            ]
        rfq = self._rfqs[key]
        before = self._status_before.pop(rfq.quote_req_id, RfqStatus.OPEN)
        if report.status is AcceptQuoteStatus.ACCEPTED:
            accepted = report.accepted_quote_id or report.quote_id
            return self._store(
                replace(
                    rfq,
                    status=RfqStatus.ACCEPTED,
                    accepted_quote_id=accepted,
                    text="",
                    updated_at=now,
                )
            )
        text = f"accept refused: {report.text or 'no reason given'}"
        return self._store(replace(rfq, status=before, text=text, updated_at=now))

    def cancel_request(self, quote_req_id: str) -> RfqCancel:
        """The RFQCancel for one of our RFQs (by the exchange's RfqId once known)."""
        rfq = self._rfqs.get(quote_req_id)
        if rfq is None:
            raise LookupError(f"no RFQ {quote_req_id!r}")
        if rfq.rfq_id is not None:
            return RfqCancel(rfq_id=rfq.rfq_id)
        return RfqCancel(quote_req_id=quote_req_id)

    def cancel_sent(self, cancel: RfqCancel, *, now: float) -> list[Change]:
        rfq = self._find(cancel.quote_req_id, cancel.rfq_id)
        if rfq is None:
            raise LookupError(f"no RFQ {cancel.quote_req_id or cancel.rfq_id!r}")
        self._status_before[rfq.quote_req_id] = rfq.status
        return self._store(replace(rfq, status=RfqStatus.CANCELLING, updated_at=now))

    def apply_cancel_status(self, report: RfqCancelStatusReport, *, now: float) -> list[Change]:
        """RFQCancelStatus (UB): CANCELED, REJECTED (back as it was) or unsolicited EXPIRED."""
        rfq = self._find(report.quote_req_id, report.rfq_id)
        if rfq is None:
            reference = report.quote_req_id or report.rfq_id or ""
            return [
                ReportUnmatched(what="RFQCancelStatus", reference=reference, text=report.text or "")
            ]
        before = self._status_before.pop(rfq.quote_req_id, rfq.status)
        if report.status is RfqCancelStatus.CANCELED:
            return self._store(replace(rfq, status=RfqStatus.CANCELLED, quotes=(), updated_at=now))
        if report.status is RfqCancelStatus.EXPIRED:
            return self._store(
                replace(rfq, status=RfqStatus.EXPIRED, quotes=(), text="expired", updated_at=now)
            )
        text = f"cancel refused: {report.text or 'no reason given'}"
        return self._store(replace(rfq, status=before, text=text, updated_at=now))

    def apply_reject(self, reject: QuoteRequestReject, *, now: float) -> list[Change]:
        """QuoteRequestReject (AG): the RFQ was refused or closed by the exchange."""
        rfq = self._find(reject.quote_req_id)
        if rfq is None:
            return [
                ReportUnmatched(
                    what="QuoteRequestReject", reference=reject.quote_req_id, text=reject.text
                )
            ]
        self._status_before.pop(rfq.quote_req_id, None)
        return self._store(
            replace(rfq, status=RfqStatus.REJECTED, quotes=(), text=reject.text, updated_at=now)
        )

    def apply_business_reject(self, reject: BusinessMessageReject, *, now: float) -> list[Change]:
        """A BusinessMessageReject for our R, UA or UE (RefID = QuoteReqID, RfqId or QuoteID)."""
        ref = reject.ref_id
        key = None if ref is None else self._by_quote_id.get(ref)
        rfq = self._rfqs[key] if key is not None else self._find(ref)
        text = reject.text or reject.reason.name.replace("_", " ").lower()
        if rfq is None:
            return [ReportUnmatched(what="BusinessMessageReject", reference=ref or "", text=text)]
        before = self._status_before.pop(rfq.quote_req_id, RfqStatus.OPEN)
        if rfq.status is RfqStatus.SENT:
            return self._store(replace(rfq, status=RfqStatus.REJECTED, text=text, updated_at=now))
        if rfq.status in (RfqStatus.ACCEPTING, RfqStatus.CANCELLING):
            name = "accept" if rfq.status is RfqStatus.ACCEPTING else "cancel"
            return self._store(
                replace(rfq, status=before, text=f"{name} refused: {text}", updated_at=now)
            )
        return self._store(replace(rfq, text=text, updated_at=now))
