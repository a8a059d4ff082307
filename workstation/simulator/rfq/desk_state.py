"""The RFQ desk's state (RFQs, quotes, makers, pseudonyms), reading it, and the steps every
side shares: a new RFQ, telling a maker of one, finding one, closing one (:mod:`.desk`)."""

from __future__ import annotations

from decimal import Decimal

from workstation.simulator.rfq.ids import Pseudonyms, RfqIdSource, UuidRfqIds
from workstation.simulator.rfq.market import MarketLookup, RfqMarket
from workstation.simulator.rfq.records import Quote, Rfq
from workstation.simulator.rfq.results import (
    QuoteRequested,
    QuoteRequestWithdrawn,
    RfqCancelled,
    RfqExpired,
    RfqResult,
)
from workstation.simulator.rfq.rules import RfqLimits
from workstation.simulator.rfq.states import QuoteState, RfqState
from workstation.simulator.rfq.timers import RfqTimings
from workstation.simulator.rfq.types import CloseReason
from workstation.simulator.rfq.views import QuoteView, RfqView

__all__ = ["DeskState"]


class DeskState:
    """What the desk holds; the sides and the clock act on it."""

    def __init__(
        self,
        *,
        markets: MarketLookup,
        ids: RfqIdSource | None = None,
        timings: RfqTimings | None = None,
        limits: RfqLimits | None = None,
    ) -> None:
        self._markets = markets
        self._ids: RfqIdSource = ids if ids is not None else UuidRfqIds()
        self.timings = timings if timings is not None else RfqTimings()
        self.limits = limits if limits is not None else RfqLimits()
        self._requesters = Pseudonyms(self._ids)
        self._quoters = Pseudonyms(self._ids)
        self._makers: dict[str, None] = {}  # an ordered set
        self._rfqs: dict[str, Rfq] = {}
        self._live: dict[str, Rfq] = {}  # RFQs not yet final, by id, in creation order
        self._by_client_id: dict[tuple[str, str], Rfq] = {}  # newest RFQ per client id
        self._quotes: dict[str, Quote] = {}  # newest quote per QuoteID
        self._seq = 0
        self._changes = 0

    def rfq(self, rfq_id: str) -> RfqView | None:
        rfq = self._rfqs.get(rfq_id)
        return rfq.view() if rfq is not None else None

    def quote(self, quote_id: str) -> QuoteView | None:
        quote = self._quotes.get(quote_id)
        return quote.view() if quote is not None else None

    def rfqs(self, *, live_only: bool = True) -> list[RfqView]:
        """RFQs in creation order: those not final (open, accepted, confirmed), or all."""
        source = self._live if live_only else self._rfqs
        return [rfq.view() for rfq in source.values()]

    def quotes_on(self, rfq_id: str) -> list[QuoteView]:
        """Every quote entered on an RFQ, oldest first (empty for an unknown RFQ)."""
        rfq = self._rfqs.get(rfq_id)
        return [q.view() for q in rfq.quotes] if rfq is not None else []

    def new_quote_id(self) -> str:
        """A fresh QuoteID, for a simulated maker."""
        return self._ids.quote_id()

    def _new_rfq(
        self,
        *,
        creator: str,
        market: RfqMarket,
        now: float,
        quantity: Decimal | None,
        cash_quantity: Decimal | None,
        client_rfq_id: str | None,
        rest_remainder: bool,
        replace_existing: bool,
    ) -> Rfq:
        self._seq += 1
        rfq = Rfq(
            rfq_id=self._ids.rfq_id(),
            client_rfq_id=client_rfq_id,
            creator=creator,
            requester=self._requesters.of(creator),
            ticker=market.ticker,
            quantity=quantity,
            cash_quantity=cash_quantity,
            rest_remainder=rest_remainder,
            replace_existing=replace_existing,
            high_volatility=market.high_volatility,
            created_at=now,
            expires_at=self.timings.expires_at(now),
            seq=self._seq,
        )
        self._rfqs[rfq.rfq_id] = rfq
        self._live[rfq.rfq_id] = rfq
        if client_rfq_id is not None:
            self._by_client_id[(creator, client_rfq_id)] = rfq
        return rfq

    def _tell(self, rfq: Rfq, maker: str, now: float, out: list[RfqResult]) -> None:
        if maker == rfq.creator or maker in rfq.told:
            return
        rfq.told.append(maker)
        out.append(
            QuoteRequested(
                maker=maker,
                transact_time=now,
                rfq_id=rfq.rfq_id,
                ticker=rfq.ticker,
                quantity=rfq.quantity,
                cash_quantity=rfq.cash_quantity,
                requester=rfq.requester,
                expires_at=rfq.expires_at,
            )
        )

    def _find_rfq(self, creator: str, client_rfq_id: str | None, rfq_id: str | None) -> Rfq | None:
        if rfq_id is not None:
            rfq = self._rfqs.get(rfq_id)
            return rfq if rfq is not None and rfq.creator == creator else None
        assert client_rfq_id is not None
        return self._by_client_id.get((creator, client_rfq_id))

    def _close(
        self,
        rfq: Rfq,
        state: RfqState,
        reason: CloseReason,
        at: float,
        out: list[RfqResult],
        *,
        echo_id: str | None = None,
    ) -> None:
        """Make ``rfq`` final: its live quotes close, the creator and its makers are told."""
        winner = (
            rfq.acceptance.quote.maker if state is RfqState.EXECUTED and rfq.acceptance else None
        )
        for quote in rfq.quotes:
            if quote.state in (QuoteState.PENDING, QuoteState.ACCEPTED):
                quote.move(QuoteState.CLOSED)
        rfq.move(state)
        rfq.closed_at = at
        rfq.close_reason = reason
        del self._live[rfq.rfq_id]
        fallback = rfq.client_rfq_id if rfq.client_rfq_id is not None else rfq.rfq_id
        if state is RfqState.CANCELLED:
            out.append(
                RfqCancelled(
                    creator=rfq.creator,
                    transact_time=at,
                    rfq_id=rfq.rfq_id,
                    client_rfq_id=rfq.client_rfq_id,
                    echo_id=echo_id if echo_id is not None else fallback,
                    reason=reason,
                    solicited=echo_id is not None,
                )
            )
        elif state is RfqState.EXPIRED:
            out.append(
                RfqExpired(
                    creator=rfq.creator,
                    transact_time=at,
                    rfq_id=rfq.rfq_id,
                    client_rfq_id=rfq.client_rfq_id,
                    echo_id=fallback,
                )
            )
        for maker in rfq.told:
            if maker in self._makers and maker != winner:
                out.append(
                    QuoteRequestWithdrawn(
                        maker=maker, transact_time=at, rfq_id=rfq.rfq_id, reason=reason
                    )
                )
