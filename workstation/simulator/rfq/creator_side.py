"""The RFQ creator's calls on the desk: create an RFQ, accept a quote, cancel an RFQ
(SPEC §13.1, §13.3; the rules in :mod:`.desk`)."""

from __future__ import annotations

from decimal import Decimal

from workstation.simulator.rfq.desk_clock import DeskClock
from workstation.simulator.rfq.records import Acceptance, Quote, Rfq
from workstation.simulator.rfq.results import (
    AcceptAcknowledged,
    AcceptRefused,
    QuoteAccepted,
    RfqCancelRefused,
    RfqCreated,
    RfqRefused,
    RfqResult,
)
from workstation.simulator.rfq.rules import (
    CONTRACT_STEP,
    size_refusal,
)
from workstation.simulator.rfq.sides import AcceptSide, QuoteSide, bid_on, side_hit, trade_terms
from workstation.simulator.rfq.states import LIVE_RFQ_STATES, QuoteState, RfqState
from workstation.simulator.rfq.types import (
    AcceptProblem,
    CloseReason,
    RequestRejectReason,
)

__all__ = ["CreatorSide"]

ZERO = Decimal(0)


class CreatorSide(DeskClock):
    """QuoteRequest (R), AcceptQuote (UA or 35=D with QuoteID) and RFQCancel (UE)."""

    def create_rfq(
        self,
        *,
        creator: str,
        ticker: str,
        now: float,
        quantity: Decimal | None = None,
        cash_quantity: Decimal | None = None,
        client_rfq_id: str | None = None,
        rest_remainder: bool = False,
        replace_existing: bool = False,
    ) -> list[RfqResult]:
        """QuoteRequest (R) from a creator: RfqCreated and a QuoteRequested per maker, or
        RfqRefused."""
        out = self._begin(now)

        def refuse(reason: RequestRejectReason, text: str) -> list[RfqResult]:
            out.append(
                RfqRefused(
                    creator=creator,
                    transact_time=now,
                    client_rfq_id=client_rfq_id,
                    ticker=ticker,
                    reason=reason,
                    text=text,
                )
            )
            return out

        market = self._markets(ticker)
        if market is None:
            return refuse(RequestRejectReason.UNKNOWN_SYMBOL, f"unknown market {ticker}")
        if not market.open:
            return refuse(RequestRejectReason.OTHER, f"market {ticker} is not open")
        size = size_refusal(quantity, cash_quantity, self.limits)
        if size is not None:
            return refuse(size.reason, size.text)
        if client_rfq_id is not None:
            same_id = self._by_client_id.get((creator, client_rfq_id))
            if same_id is not None and same_id.state in LIVE_RFQ_STATES:
                return refuse(
                    RequestRejectReason.OTHER, f"QuoteReqID {client_rfq_id} is already in use"
                )
        existing = [
            r
            for r in self._live.values()
            if r.creator == creator and r.ticker == ticker and r.state in LIVE_RFQ_STATES
        ]
        if existing and not replace_existing:
            return refuse(RequestRejectReason.OTHER, "RFQ already exists")
        for older in existing[:-1]:  # keep the newest: at most two open with the new one
            self._close(older, RfqState.CANCELLED, CloseReason.REPLACED, now, out)

        rfq = self._new_rfq(
            creator=creator,
            market=market,
            now=now,
            quantity=quantity,
            cash_quantity=cash_quantity,
            client_rfq_id=client_rfq_id,
            rest_remainder=rest_remainder,
            replace_existing=replace_existing,
        )
        out.append(
            RfqCreated(
                creator=creator,
                transact_time=now,
                rfq_id=rfq.rfq_id,
                client_rfq_id=client_rfq_id,
                ticker=ticker,
                quantity=quantity,
                cash_quantity=cash_quantity,
                expires_at=rfq.expires_at,
            )
        )
        for maker in self._makers:
            self._tell(rfq, maker, now, out)
        return out

    def accept_quote(
        self,
        *,
        creator: str,
        quote_id: str,
        side: AcceptSide,
        now: float,
        rfq_id: str | None = None,
        quantity: Decimal | None = None,
        cl_ord_id: str | None = None,
        prefer_better: bool = False,
    ) -> list[RfqResult]:
        """AcceptQuote (UA), or 35=D with QuoteID: AcceptAcknowledged and QuoteAccepted to the
        maker, or AcceptRefused."""
        out = self._begin(now)

        def refuse(problem: AcceptProblem, text: str) -> list[RfqResult]:
            out.append(
                AcceptRefused(
                    creator=creator,
                    transact_time=now,
                    quote_id=quote_id,
                    rfq_id=rfq_id,
                    cl_ord_id=cl_ord_id,
                    problem=problem,
                    text=text,
                )
            )
            return out

        named = self._quotes.get(quote_id)
        rfq = self._rfqs[named.rfq_id] if named is not None else None
        if named is None or rfq is None or rfq.creator != creator:
            return refuse(AcceptProblem.UNKNOWN_QUOTE, f"unknown QuoteID {quote_id}")
        if rfq_id is not None and rfq_id != rfq.rfq_id:
            return refuse(
                AcceptProblem.WRONG_RFQ, f"quote {quote_id} does not belong to RFQ {rfq_id}"
            )
        if rfq.state is RfqState.EXPIRED:
            return refuse(AcceptProblem.EXPIRED, "EXPIRED: the RFQ has expired")
        if rfq.state is RfqState.ACCEPTED:
            return refuse(
                AcceptProblem.RFQ_BUSY,
                "the RFQ already has an accepted quote waiting for its confirmation",
            )
        if rfq.state is not RfqState.OPEN:
            return refuse(AcceptProblem.RFQ_CLOSED, f"the RFQ is {rfq.state.value}")
        if named.state is not QuoteState.PENDING:
            return refuse(AcceptProblem.QUOTE_NOT_LIVE, f"quote {quote_id} is {named.state.value}")
        market = self._markets(rfq.ticker)
        if market is None or not market.open:
            return refuse(AcceptProblem.MARKET_CLOSED, f"market {rfq.ticker} is not open")
        hit = side_hit(side)
        if bid_on(hit, yes_bid=named.yes_bid, no_bid=named.no_bid) == ZERO:
            return refuse(
                AcceptProblem.SIDE_NOT_QUOTED,
                f"quote {quote_id} has no {hit.name} bid to {side.name.lower()} against",
            )
        chosen = self._best_quote(rfq, named, side) if prefer_better else named
        terms = trade_terms(side, yes_bid=chosen.yes_bid, no_bid=chosen.no_bid)
        available = chosen.yes_size if hit is QuoteSide.YES else chosen.no_size
        if quantity is not None:
            problem = self._accept_quantity_problem(rfq, quantity, available)
            if problem is not None:
                return refuse(AcceptProblem.BAD_QUANTITY, problem)
            available = quantity
        if available <= ZERO:
            return refuse(
                AcceptProblem.BAD_QUANTITY, "the RFQ's cash size buys no contracts at this price"
            )

        chosen.move(QuoteState.ACCEPTED)
        rfq.move(RfqState.ACCEPTED)
        acceptance = Acceptance(
            quote=chosen,
            side=side,
            side_hit=hit,
            yes_price=terms.yes_price,
            quantity=available,
            cl_ord_id=cl_ord_id,
            accepted_at=now,
            confirm_by=self.timings.confirm_by(now, high_volatility=rfq.high_volatility),
        )
        rfq.acceptance = acceptance
        out.append(
            AcceptAcknowledged(
                creator=creator,
                transact_time=now,
                quote_id=quote_id,
                accepted_quote_id=chosen.quote_id,
                rfq_id=rfq.rfq_id,
                cl_ord_id=cl_ord_id,
                side=side,
                yes_price=acceptance.yes_price,
                quantity=acceptance.quantity,
                confirm_by=acceptance.confirm_by,
            )
        )
        out.append(
            QuoteAccepted(
                maker=chosen.maker,
                transact_time=now,
                quote_id=chosen.quote_id,
                rfq_id=rfq.rfq_id,
                ticker=rfq.ticker,
                accepted_side=hit,
                yes_bid=chosen.yes_bid,
                no_bid=chosen.no_bid,
                yes_price=acceptance.yes_price,
                quantity=acceptance.quantity,
                confirm_by=acceptance.confirm_by,
            )
        )
        return out

    def cancel_rfq(
        self,
        *,
        creator: str,
        now: float,
        client_rfq_id: str | None = None,
        rfq_id: str | None = None,
    ) -> list[RfqResult]:
        """RFQCancel (UE) by client id (131) or server id (21023): RfqCancelled and an AG to
        each maker told of it, or RfqCancelRefused."""
        out = self._begin(now)
        echo = client_rfq_id if client_rfq_id is not None else rfq_id

        def refuse(text: str) -> list[RfqResult]:
            out.append(
                RfqCancelRefused(
                    creator=creator,
                    transact_time=now,
                    echo_id=echo or "",
                    rfq_id=rfq_id,
                    text=text,
                )
            )
            return out

        if echo is None:
            return refuse("QuoteReqID or RfqId is required")
        rfq = self._find_rfq(creator, client_rfq_id, rfq_id)
        if rfq is None:
            return refuse(f"unknown RFQ {echo}")
        if client_rfq_id is not None and rfq.client_rfq_id != client_rfq_id:
            return refuse(f"QuoteReqID {client_rfq_id} and RfqId {rfq_id} name different RFQs")
        if rfq.state is RfqState.CONFIRMED:
            return refuse("the RFQ's trade is confirmed and executing: it cannot be cancelled")
        if rfq.state not in LIVE_RFQ_STATES:
            return refuse(f"the RFQ is already {rfq.state.value}")
        self._close(
            rfq, RfqState.CANCELLED, CloseReason.CANCELLED_BY_CREATOR, now, out, echo_id=echo
        )
        return out

    @staticmethod
    def _best_quote(rfq: Rfq, named: Quote, side: AcceptSide) -> Quote:
        """The live quote paying the most on the side ``side`` takes (so the creator's price
        is at least as good as ``named``'s); ties go to ``named``, then to the oldest."""
        hit = side_hit(side)
        candidates = [
            q
            for q in rfq.pending_quotes()
            if bid_on(hit, yes_bid=q.yes_bid, no_bid=q.no_bid) > ZERO
        ]
        return min(
            candidates,
            key=lambda q: (
                -bid_on(hit, yes_bid=q.yes_bid, no_bid=q.no_bid),
                q is not named,
                q.seq,
            ),
        )

    @staticmethod
    def _accept_quantity_problem(rfq: Rfq, quantity: Decimal, available: Decimal) -> str | None:
        if not quantity.is_finite() or quantity <= ZERO or quantity % CONTRACT_STEP != 0:
            return f"OrderQty {quantity} must be a positive multiple of 0.01"
        if rfq.quantity is not None and quantity != rfq.quantity:
            return f"OrderQty {quantity} must equal the RFQ size {rfq.quantity}"
        if quantity > available:
            return f"OrderQty {quantity} exceeds the {available} contracts the cash size buys"
        return None
