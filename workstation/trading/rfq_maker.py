"""RFQs we may quote, as market maker (KalshiRFQ): incoming requests, our quotes, confirmation.

Flow (SPEC §13.1, §13.2): the exchange broadcasts a QuoteRequest (R); we answer with a
Quote (S) holding a YES bid and a NO bid for the full size; the exchange says PENDING or
REJECTED (AI); when the requester accepts, AI ACCEPTED names the side of our quote that was
hit and we must send QuoteConfirm (U7) within the confirm window (30 s; 3 s on
high-volatility markets), or the quote is voided; QuoteConfirmStatus (U8) answers. We can
cancel a quote (Z → AI CANCELLED or U9). A QuoteRequestReject (AG) closes the request.

Before sending, :func:`quote_problem` checks what the exchange would refuse: at least one
side quoted, each on the price grid, and YES bid + NO bid not over $1.

AcceptedSide (54 on AI ACCEPTED): SPEC §20.27 leaves its meaning open; like the simulator's
RFQ desk, we read it as the side of *our* quote that was hit: 1 = our YES bid (we buy YES at
it), 2 = our NO bid (we buy NO at it).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import (
    QuoteCancelStatus,
    QuoteConfirmStatus,
    QuoteStatus,
    Side,
)
from workstation.fix.messages.rfq_maker import (
    Quote,
    QuoteCancel,
    QuoteCancelStatusReport,
    QuoteConfirm,
    QuoteConfirmStatusReport,
    QuoteRequest,
    QuoteRequestReject,
    QuoteStatusReport,
)
from workstation.trading.changes import Change, MakerRfqChanged, ReportUnmatched

__all__ = [
    "CONFIRM_WINDOW_SECONDS",
    "HIGH_VOLATILITY_CONFIRM_SECONDS",
    "MakerQuote",
    "MakerRfq",
    "MakerRfqs",
    "MakerStatus",
    "quote_problem",
]

CONFIRM_WINDOW_SECONDS = 30.0
HIGH_VOLATILITY_CONFIRM_SECONDS = 3.0
_ONE = Decimal(1)
_CENT = Decimal("0.01")
_SUBPENNY = Decimal("0.0001")


class MakerStatus(Enum):
    """Where an RFQ we may quote stands; the value is the text shown."""

    OPEN = "Open"  #: received, not quoted (or our quote is gone)
    QUOTE_SENT = "Quote sent"
    QUOTED = "Quoted"  #: AI PENDING: our quote is live
    QUOTE_REJECTED = "Quote rejected"  #: AI REJECTED
    ACCEPTED = "Accepted — confirm now"  #: AI ACCEPTED: confirm before the deadline
    CONFIRMING = "Confirming"  #: U7 sent
    CONFIRMED = "Confirmed"  #: U8 ACCEPTED: the trade follows as ExecutionReports
    VOIDED = "Voided"  #: not confirmed in time, or U8 REJECTED
    CLOSED = "Closed"  #: AG: the request was cancelled or expired


@dataclass(frozen=True, slots=True, kw_only=True)
class MakerQuote:
    """Our quote on a request."""

    quote_id: str
    yes_bid: Decimal | None
    no_bid: Decimal | None
    sent_at: float
    cancelled: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class MakerRfq:
    """A request for quote sent to us as a market maker."""

    quote_req_id: str  #: the exchange's RFQ ID
    symbol: str | None
    order_qty: Decimal | None
    cash_order_qty: Decimal | None
    requester: str | None  #: pseudonymous
    status: MakerStatus
    quote: MakerQuote | None = None
    side_hit: Side | None = None  #: AcceptedSide: 1 = our YES bid, 2 = our NO bid
    confirm_deadline: float | None = None  #: epoch seconds, after ACCEPTED
    text: str = ""
    received_at: float
    updated_at: float

    def seconds_to_confirm(self, now: float) -> float | None:
        """Time left to confirm (never negative), or None when nothing awaits confirmation."""
        if self.status is not MakerStatus.ACCEPTED or self.confirm_deadline is None:
            return None
        return max(0.0, self.confirm_deadline - now)

    @property
    def trade_words(self) -> str:
        """What an accepted quote means for us, e.g. "we buy 100 YES at 75¢"."""
        if self.side_hit is None or self.quote is None:
            return ""
        contract, price = (
            ("YES", self.quote.yes_bid) if self.side_hit is Side.BUY else ("NO", self.quote.no_bid)
        )
        qty = "" if self.order_qty is None else f" {self.order_qty}"
        shown = "?" if price is None else f"{(price * 100).normalize():f}¢"
        return f"we buy{qty} {contract} at {shown}"


def quote_problem(
    yes_bid: Decimal | None, no_bid: Decimal | None, *, subpenny: bool = False
) -> str | None:
    """Why the exchange would refuse a quote with these bids (dollars; None = that side empty)."""
    if not yes_bid and not no_bid:
        return "Quote at least one side (YES bid or NO bid)"
    tick = _SUBPENNY if subpenny else _CENT
    for name, price in (("YES", yes_bid), ("NO", no_bid)):
        if price is None or price == 0:
            continue
        if not tick <= price <= _ONE - tick or price % tick:
            grid = "0.01¢" if subpenny else "1¢"
            return f"{name} bid {price} is not a price between 0 and $1 on the {grid} grid"
    total = (yes_bid or 0) + (no_bid or 0)
    if total > _ONE:
        return f"YES bid + NO bid = ${total} is over $1: the exchange would reject the quote"
    return None


class MakerRfqs:
    """Requests we may quote, by RFQ ID and by our quote IDs."""

    def __init__(self) -> None:
        self._rfqs: dict[str, MakerRfq] = {}
        self._by_quote_id: dict[str, str] = {}

    def get(self, quote_req_id: str) -> MakerRfq | None:
        return self._rfqs.get(quote_req_id)

    def __iter__(self) -> Iterator[MakerRfq]:
        return iter(self._rfqs.values())

    def __len__(self) -> int:
        return len(self._rfqs)

    def _store(self, rfq: MakerRfq) -> list[Change]:
        self._rfqs[rfq.quote_req_id] = rfq
        return [MakerRfqChanged(rfq=rfq)]

    def _by_quote(self, quote_id: str | None, quote_req_id: str | None = None) -> MakerRfq | None:
        key = None if quote_id is None else self._by_quote_id.get(quote_id)
        if key is None:
            key = quote_req_id
        return None if key is None else self._rfqs.get(key)

    def apply_request(self, request: QuoteRequest, *, now: float) -> list[Change]:
        """A QuoteRequest (R) for us to quote; a repeat of a known one changes nothing."""
        if request.quote_req_id in self._rfqs:
            return []
        return self._store(
            MakerRfq(
                quote_req_id=request.quote_req_id,
                symbol=request.symbol,
                order_qty=request.order_qty,
                cash_order_qty=request.cash_order_qty,
                requester=next((p.party_id for p in request.parties), None),
                status=MakerStatus.OPEN,
                received_at=now,
                updated_at=now,
            )
        )

    def build_quote(
        self,
        quote_req_id: str,
        *,
        yes_bid: Decimal | None,
        no_bid: Decimal | None,
        quote_id: str | None = None,
        subpenny: bool = False,
        alloc_account: int | None = None,
    ) -> Quote:
        """The Quote (S) to send; ValueError with the reason :func:`quote_problem` finds."""
        rfq = self._rfqs.get(quote_req_id)
        if rfq is None or rfq.symbol is None:
            raise LookupError(f"no quotable request {quote_req_id!r}")
        problem = quote_problem(yes_bid, no_bid, subpenny=subpenny)
        if problem:
            raise ValueError(problem)
        return Quote(
            quote_id=quote_id or str(uuid.uuid4()),
            quote_req_id=quote_req_id,
            symbol=rfq.symbol,
            bid_px=yes_bid or None,
            offer_px=no_bid or None,
            alloc_account=alloc_account,
        )

    def quote_sent(self, quote: Quote, *, now: float) -> list[Change]:
        """We are sending ``quote`` (it replaces our earlier quote on that request)."""
        rfq = self._rfqs.get(quote.quote_req_id)
        if rfq is None:
            raise LookupError(f"no request {quote.quote_req_id!r}")
        self._by_quote_id[quote.quote_id] = rfq.quote_req_id
        mine = MakerQuote(
            quote_id=quote.quote_id, yes_bid=quote.bid_px, no_bid=quote.offer_px, sent_at=now
        )
        return self._store(
            replace(rfq, quote=mine, status=MakerStatus.QUOTE_SENT, text="", updated_at=now)
        )

    def apply_status(
        self,
        report: QuoteStatusReport,
        *,
        now: float,
        confirm_window: float = CONFIRM_WINDOW_SECONDS,
    ) -> list[Change]:
        """QuoteStatusReport (AI). ``confirm_window``: 3 s on high-volatility markets."""
        rfq = self._by_quote(report.quote_id, report.quote_req_id)
        if rfq is None:
            reference = report.quote_id or report.quote_req_id
            return [
                ReportUnmatched(
                    what="QuoteStatusReport", reference=reference, text=report.text or ""
                )
            ]
        if report.status is QuoteStatus.PENDING:
            return self._store(replace(rfq, status=MakerStatus.QUOTED, updated_at=now))
        if report.status is QuoteStatus.REJECTED:
            text = report.text or "quote rejected"
            return self._store(
                replace(rfq, status=MakerStatus.QUOTE_REJECTED, text=text, updated_at=now)
            )
        if report.status is QuoteStatus.CANCELLED:
            quote = None if rfq.quote is None else replace(rfq.quote, cancelled=True)
            if rfq.status in (MakerStatus.ACCEPTED, MakerStatus.CONFIRMING, MakerStatus.VOIDED):
                # Cancelled while the exchange waited for our confirm: the window was missed
                # and the exchange voided the accepted quote (SPEC §13.1 step 5). Our own
                # clock may have voided it first (expire); the exchange's word keeps it void.
                text = report.text or "voided: not confirmed within the confirmation window"
                return self._store(
                    replace(rfq, status=MakerStatus.VOIDED, quote=quote, text=text, updated_at=now)
                )
            return self._store(replace(rfq, status=MakerStatus.OPEN, quote=quote, updated_at=now))
        return self._store(
            replace(
                rfq,
                status=MakerStatus.ACCEPTED,
                side_hit=report.accepted_side,
                order_qty=report.order_qty or rfq.order_qty,
                confirm_deadline=now + confirm_window,
                updated_at=now,
            )
        )

    def confirm_request(self, quote_req_id: str) -> QuoteConfirm:
        """The QuoteConfirm (U7) for an accepted quote."""
        rfq = self._rfqs.get(quote_req_id)
        if rfq is None or rfq.quote is None or rfq.status is not MakerStatus.ACCEPTED:
            raise ValueError(f"request {quote_req_id!r} has no accepted quote to confirm")
        return QuoteConfirm(quote_id=rfq.quote.quote_id, rfq_id=quote_req_id)

    def confirm_sent(self, confirm: QuoteConfirm, *, now: float) -> list[Change]:
        rfq = self._by_quote(confirm.quote_id)
        if rfq is None:
            raise LookupError(f"no quote {confirm.quote_id!r}")
        return self._store(replace(rfq, status=MakerStatus.CONFIRMING, updated_at=now))

    def apply_confirm_status(self, report: QuoteConfirmStatusReport, *, now: float) -> list[Change]:
        """QuoteConfirmStatus (U8): CONFIRMED (the trade follows) or VOIDED with the reason."""
        rfq = self._by_quote(report.quote_id)
        if rfq is None:
            return [
                ReportUnmatched(
                    what="QuoteConfirmStatus", reference=report.quote_id, text=report.text or ""
                )
            ]
        if report.status is QuoteConfirmStatus.ACCEPTED:
            return self._store(replace(rfq, status=MakerStatus.CONFIRMED, updated_at=now))
        text = f"confirm refused: {report.text or 'no reason given'}"
        return self._store(replace(rfq, status=MakerStatus.VOIDED, text=text, updated_at=now))

    def cancel_request(self, quote_req_id: str) -> QuoteCancel:
        """The QuoteCancel (Z) for our live quote on a request."""
        rfq = self._rfqs.get(quote_req_id)
        if rfq is None or rfq.quote is None:
            raise ValueError(f"request {quote_req_id!r} has no quote of ours to cancel")
        return QuoteCancel(quote_id=rfq.quote.quote_id, rfq_id=quote_req_id)

    def apply_cancel_status(self, report: QuoteCancelStatusReport, *, now: float) -> list[Change]:
        """QuoteCancelStatus (U9): CANCELED, or REJECTED (the quote stands; text shown)."""
        rfq = self._by_quote(report.quote_id)
        if rfq is None:
            return [
                ReportUnmatched(
                    what="QuoteCancelStatus", reference=report.quote_id, text=report.text or ""
                )
            ]
        if report.status is QuoteCancelStatus.CANCELED:
            quote = None if rfq.quote is None else replace(rfq.quote, cancelled=True)
            return self._store(replace(rfq, status=MakerStatus.OPEN, quote=quote, updated_at=now))
        text = f"cancel refused: {report.text or 'no reason given'}"
        return self._store(replace(rfq, text=text, updated_at=now))

    def apply_reject(self, reject: QuoteRequestReject, *, now: float) -> list[Change]:
        """QuoteRequestReject (AG): the request is closed (cancelled by its requester, expired)."""
        rfq = self._rfqs.get(reject.quote_req_id)
        if rfq is None:
            return [
                ReportUnmatched(
                    what="QuoteRequestReject", reference=reject.quote_req_id, text=reject.text
                )
            ]
        if rfq.status in (MakerStatus.CONFIRMED, MakerStatus.VOIDED):
            return []
        return self._store(
            replace(rfq, status=MakerStatus.CLOSED, text=reject.text, updated_at=now)
        )

    def apply_business_reject(self, reject: BusinessMessageReject, *, now: float) -> list[Change]:
        """A BusinessMessageReject for our S, Z or U7 (RefID = QuoteID or QuoteReqID)."""
        rfq = self._by_quote(reject.ref_id, reject.ref_id)
        text = reject.text or reject.reason.name.replace("_", " ").lower()
        if rfq is None:
            return [
                ReportUnmatched(
                    what="BusinessMessageReject", reference=reject.ref_id or "", text=text
                )
            ]
        if rfq.status is MakerStatus.QUOTE_SENT:
            return self._store(
                replace(rfq, status=MakerStatus.QUOTE_REJECTED, text=text, updated_at=now)
            )
        if rfq.status is MakerStatus.CONFIRMING:  # may confirm again before the deadline
            text = f"confirm refused: {text}"
            return self._store(replace(rfq, status=MakerStatus.ACCEPTED, text=text, updated_at=now))
        return self._store(replace(rfq, text=text, updated_at=now))

    def expire(self, now: float) -> list[Change]:
        """Void every accepted quote whose confirm deadline has passed without a confirm."""
        changes: list[Change] = []
        for rfq in list(self._rfqs.values()):
            deadline = rfq.confirm_deadline
            if rfq.status is MakerStatus.ACCEPTED and deadline is not None and now >= deadline:
                changes += self._store(
                    replace(
                        rfq, status=MakerStatus.VOIDED, text="not confirmed in time", updated_at=now
                    )
                )
        return changes
