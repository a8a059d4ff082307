"""The market maker's calls on the desk: register (a KalshiRFQ session is up), quote,
cancel a quote, confirm an accepted one (SPEC §13.2, §13.3; the rules in :mod:`.desk`)."""

from __future__ import annotations

from decimal import Decimal

from workstation.simulator.rfq.desk_clock import DeskClock
from workstation.simulator.rfq.records import Quote
from workstation.simulator.rfq.results import (
    QuoteCancelled,
    QuoteCancelRefused,
    QuoteConfirmed,
    QuoteConfirmRefused,
    QuoteOffered,
    QuotePending,
    QuoteRejected,
    RfqResult,
)
from workstation.simulator.rfq.rules import (
    quote_price_problem,
    side_size,
)
from workstation.simulator.rfq.states import LIVE_RFQ_STATES, QuoteState, RfqState
from workstation.simulator.rfq.types import QuoteCancelReason

__all__ = ["MakerSide"]


class MakerSide(DeskClock):
    """Maker registration, Quote (S), QuoteCancel (Z) and QuoteConfirm (U7)."""

    def register_maker(self, account: str, now: float) -> list[RfqResult]:
        """A maker's RFQ session is up: it is told of new RFQs from now on, and at once of each
        RFQ still taking quotes that it has not been told of."""
        out = self._begin(now)
        self._makers[account] = None
        for rfq in self._live.values():
            if rfq.state in LIVE_RFQ_STATES:
                self._tell(rfq, account, now, out)
        return out

    def unregister_maker(self, account: str) -> None:
        """A maker's RFQ session is gone: it is told of nothing more. Its quotes stay. When it
        registers again it is told of the RFQs still taking quotes afresh."""
        self._makers.pop(account, None)
        for rfq in self._live.values():
            if account in rfq.told:
                rfq.told.remove(account)

    def makers(self) -> tuple[str, ...]:
        return tuple(self._makers)

    def submit_quote(
        self,
        *,
        maker: str,
        quote_id: str,
        rfq_id: str,
        yes_bid: Decimal,
        no_bid: Decimal,
        now: float,
        ticker: str | None = None,
        rest_remainder: bool = False,
        post_only: bool = False,
    ) -> list[RfqResult]:
        """Quote (S) from a maker: QuotePending and QuoteOffered to the creator (after a
        QuoteCancelled REPLACED for the maker's earlier quote), or QuoteRejected."""
        out = self._begin(now)

        def reject(text: str) -> list[RfqResult]:
            out.append(
                QuoteRejected(
                    maker=maker, transact_time=now, quote_id=quote_id, rfq_id=rfq_id, text=text
                )
            )
            return out

        if not quote_id:
            return reject("QuoteID is required")
        rfq = self._rfqs.get(rfq_id)
        if rfq is None:
            return reject(f"unknown QuoteReqID {rfq_id}")
        if ticker is not None and ticker != rfq.ticker:
            return reject(f"Symbol {ticker} is not the RFQ's market {rfq.ticker}")
        if maker == rfq.creator:
            return reject("a maker cannot quote its own RFQ")
        if rfq.state not in LIVE_RFQ_STATES:
            return reject(f"the RFQ is {rfq.state.value}")
        market = self._markets(rfq.ticker)
        if market is None or not market.open:
            return reject(f"market {rfq.ticker} is not open")
        problem = quote_price_problem(yes_bid, no_bid, market.tick)
        if problem is not None:
            return reject(problem)
        same_id = self._quotes.get(quote_id)
        if same_id is not None and (same_id.maker != maker or same_id.rfq_id != rfq_id):
            return reject(f"QuoteID {quote_id} is already in use")
        earlier = rfq.live_quote_of(maker)
        if earlier is not None and earlier.state is not QuoteState.PENDING:
            return reject(
                f"quote {earlier.quote_id} on this RFQ is {earlier.state.value}: "
                "it can no longer be replaced"
            )
        if earlier is not None:
            earlier.move(QuoteState.REPLACED)
            out.append(
                QuoteCancelled(
                    maker=maker,
                    transact_time=now,
                    quote_id=earlier.quote_id,
                    rfq_id=rfq_id,
                    reason=QuoteCancelReason.REPLACED,
                )
            )
        self._seq += 1
        quote = Quote(
            quote_id=quote_id,
            rfq_id=rfq_id,
            maker=maker,
            quoter=self._quoters.of(maker),
            ticker=rfq.ticker,
            yes_bid=yes_bid,
            no_bid=no_bid,
            yes_size=side_size(yes_bid, quantity=rfq.quantity, cash_quantity=rfq.cash_quantity),
            no_size=side_size(no_bid, quantity=rfq.quantity, cash_quantity=rfq.cash_quantity),
            rest_remainder=rest_remainder,
            post_only=post_only,
            entered_at=now,
            seq=self._seq,
        )
        rfq.quotes.append(quote)
        self._quotes[quote_id] = quote
        out.append(
            QuotePending(
                maker=maker,
                transact_time=now,
                quote_id=quote_id,
                rfq_id=rfq_id,
                ticker=rfq.ticker,
                yes_bid=yes_bid,
                no_bid=no_bid,
                quantity=rfq.quantity,
                yes_size=quote.yes_size,
                no_size=quote.no_size,
            )
        )
        out.append(
            QuoteOffered(
                creator=rfq.creator,
                transact_time=now,
                rfq_id=rfq_id,
                client_rfq_id=rfq.client_rfq_id,
                quote_id=quote_id,
                ticker=rfq.ticker,
                yes_bid=yes_bid,
                no_bid=no_bid,
                quantity=rfq.quantity,
                yes_size=quote.yes_size,
                no_size=quote.no_size,
                quoter=quote.quoter,
            )
        )
        return out

    def cancel_quote(
        self, *, maker: str, quote_id: str, now: float, rfq_id: str | None = None
    ) -> list[RfqResult]:
        """QuoteCancel (Z): QuoteCancelled, or QuoteCancelRefused (unknown, or accepted)."""
        out = self._begin(now)

        def refuse(text: str) -> list[RfqResult]:
            out.append(
                QuoteCancelRefused(maker=maker, transact_time=now, quote_id=quote_id, text=text)
            )
            return out

        quote = self._quotes.get(quote_id)
        problem = _not_this_makers(quote, maker=maker, quote_id=quote_id, rfq_id=rfq_id)
        if problem or quote is None:
            return refuse(problem)
        if quote.state in (QuoteState.ACCEPTED, QuoteState.CONFIRMED, QuoteState.EXECUTED):
            return refuse(f"quote {quote_id} is {quote.state.value}: it cannot be cancelled")
        if quote.state is not QuoteState.PENDING:
            return refuse(f"quote {quote_id} is already {quote.state.value}")
        quote.move(QuoteState.CANCELLED)
        out.append(
            QuoteCancelled(
                maker=maker,
                transact_time=now,
                quote_id=quote_id,
                rfq_id=quote.rfq_id,
                reason=QuoteCancelReason.BY_MAKER,
            )
        )
        return out

    def confirm_quote(
        self, *, maker: str, quote_id: str, now: float, rfq_id: str | None = None
    ) -> list[RfqResult]:
        """QuoteConfirm (U7): QuoteConfirmed (the execution timer starts), or
        QuoteConfirmRefused (late: the quote was voided; unknown; not accepted)."""
        out = self._begin(now)

        def refuse(text: str) -> list[RfqResult]:
            out.append(
                QuoteConfirmRefused(maker=maker, transact_time=now, quote_id=quote_id, text=text)
            )
            return out

        quote = self._quotes.get(quote_id)
        problem = _not_this_makers(quote, maker=maker, quote_id=quote_id, rfq_id=rfq_id)
        if problem or quote is None:
            return refuse(problem)
        rfq = self._rfqs[quote.rfq_id]
        match quote.state:
            case QuoteState.ACCEPTED:
                pass
            case QuoteState.VOIDED:
                return refuse("too late: the confirmation window has passed and the quote is void")
            case QuoteState.PENDING:
                return refuse(f"quote {quote_id} has not been accepted")
            case QuoteState.CONFIRMED | QuoteState.EXECUTED:
                return refuse(f"quote {quote_id} is already confirmed")
            case QuoteState.CLOSED:
                reason = rfq.close_reason.value if rfq.close_reason else rfq.state.value
                return refuse(f"quote {quote_id} is closed: {reason}")
            case _:
                return refuse(f"quote {quote_id} is {quote.state.value}")
        acceptance = rfq.acceptance
        assert acceptance is not None and acceptance.quote is quote
        quote.move(QuoteState.CONFIRMED)
        rfq.move(RfqState.CONFIRMED)
        acceptance.execute_at = self.timings.execute_at(now, high_volatility=rfq.high_volatility)
        out.append(
            QuoteConfirmed(
                maker=maker,
                transact_time=now,
                quote_id=quote_id,
                rfq_id=rfq.rfq_id,
                execute_at=acceptance.execute_at,
            )
        )
        return out


def _not_this_makers(quote: Quote | None, *, maker: str, quote_id: str, rfq_id: str | None) -> str:
    """Why ``maker`` cannot act on ``quote`` (looked up by ``quote_id``, named with the RFQ it
    should belong to, if given); "" when it can."""
    if quote is None or quote.maker != maker:
        return f"unknown QuoteID {quote_id}"
    if rfq_id is not None and quote.rfq_id != rfq_id:
        return f"quote {quote_id} does not belong to RFQ {rfq_id}"
    return ""
