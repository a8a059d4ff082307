"""The desk's own mutable records of an RFQ and a quote. Only :mod:`.desk` changes them,
always through :meth:`Rfq.move` / :meth:`Quote.move`, which check the transition tables of
:mod:`.states`. Everyone else reads :mod:`.views` snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from workstation.simulator.rfq.sides import AcceptSide, QuoteSide
from workstation.simulator.rfq.states import (
    QuoteState,
    RfqState,
    check_quote_move,
    check_rfq_move,
)
from workstation.simulator.rfq.types import CloseReason
from workstation.simulator.rfq.views import AcceptanceView, QuoteView, RfqView

__all__ = ["Acceptance", "Quote", "Rfq"]


@dataclass(slots=True, kw_only=True)
class Quote:
    quote_id: str
    rfq_id: str
    maker: str
    quoter: str
    ticker: str
    yes_bid: Decimal
    no_bid: Decimal
    yes_size: Decimal
    no_size: Decimal
    rest_remainder: bool
    post_only: bool
    entered_at: float
    seq: int  #: entry order on the desk, for time priority
    state: QuoteState = QuoteState.PENDING

    def move(self, new: QuoteState) -> None:
        self.state = check_quote_move(self.quote_id, self.state, new)

    def view(self) -> QuoteView:
        return QuoteView(
            quote_id=self.quote_id,
            rfq_id=self.rfq_id,
            maker=self.maker,
            quoter=self.quoter,
            ticker=self.ticker,
            yes_bid=self.yes_bid,
            no_bid=self.no_bid,
            yes_size=self.yes_size,
            no_size=self.no_size,
            rest_remainder=self.rest_remainder,
            post_only=self.post_only,
            state=self.state,
            entered_at=self.entered_at,
        )


@dataclass(slots=True, kw_only=True)
class Acceptance:
    quote: Quote
    side: AcceptSide
    side_hit: QuoteSide
    yes_price: Decimal
    quantity: Decimal
    cl_ord_id: str | None
    accepted_at: float
    confirm_by: float
    execute_at: float | None = None

    def view(self) -> AcceptanceView:
        return AcceptanceView(
            quote_id=self.quote.quote_id,
            maker=self.quote.maker,
            side=self.side,
            side_hit=self.side_hit,
            yes_price=self.yes_price,
            quantity=self.quantity,
            cl_ord_id=self.cl_ord_id,
            accepted_at=self.accepted_at,
            confirm_by=self.confirm_by,
            execute_at=self.execute_at,
        )


@dataclass(slots=True, kw_only=True)
class Rfq:
    rfq_id: str
    client_rfq_id: str | None
    creator: str
    requester: str
    ticker: str
    quantity: Decimal | None
    cash_quantity: Decimal | None
    rest_remainder: bool
    replace_existing: bool
    high_volatility: bool
    created_at: float
    expires_at: float
    seq: int  #: creation order on the desk
    state: RfqState = RfqState.OPEN
    #: Makers sent the QuoteRequest, in the order they were told.
    told: list[str] = field(default_factory=list)
    #: Every quote entered on this RFQ, oldest first.
    quotes: list[Quote] = field(default_factory=list)
    acceptance: Acceptance | None = None
    closed_at: float | None = None
    close_reason: CloseReason | None = None

    def move(self, new: RfqState) -> None:
        self.state = check_rfq_move(self.rfq_id, self.state, new)

    def live_quote_of(self, maker: str) -> Quote | None:
        """The maker's quote on this RFQ that is not final (at most one exists)."""
        for quote in reversed(self.quotes):
            if quote.maker == maker and quote.state in _LIVE_QUOTE_STATES:
                return quote
        return None

    def pending_quotes(self) -> list[Quote]:
        return [q for q in self.quotes if q.state is QuoteState.PENDING]

    def view(self) -> RfqView:
        return RfqView(
            rfq_id=self.rfq_id,
            client_rfq_id=self.client_rfq_id,
            creator=self.creator,
            requester=self.requester,
            ticker=self.ticker,
            quantity=self.quantity,
            cash_quantity=self.cash_quantity,
            rest_remainder=self.rest_remainder,
            replace_existing=self.replace_existing,
            high_volatility=self.high_volatility,
            state=self.state,
            created_at=self.created_at,
            expires_at=self.expires_at,
            acceptance=self.acceptance.view() if self.acceptance else None,
            closed_at=self.closed_at,
        )


_LIVE_QUOTE_STATES = frozenset({QuoteState.PENDING, QuoteState.ACCEPTED, QuoteState.CONFIRMED})
