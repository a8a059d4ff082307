"""Read-only snapshots of the desk's RFQs and quotes, for the gateway, the admin port and
the simulated participants. Taking one never changes the desk."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workstation.simulator.rfq.sides import AcceptSide, QuoteSide
from workstation.simulator.rfq.states import QuoteState, RfqState

__all__ = ["AcceptanceView", "QuoteView", "RfqView"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptanceView:
    """The quote a creator chose and the trade it makes."""

    quote_id: str
    maker: str
    side: AcceptSide  #: the creator's Side 54
    side_hit: QuoteSide  #: the maker's side that was taken (AI AcceptedSide)
    yes_price: Decimal
    quantity: Decimal
    cl_ord_id: str | None
    accepted_at: float
    confirm_by: float
    execute_at: float | None  #: set once the maker confirmed


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqView:
    rfq_id: str  #: server id (21023; the 131 makers see)
    client_rfq_id: str | None  #: the creator's QuoteReqID (131), None for a simulated one
    creator: str
    requester: str  #: the creator's pseudonym, as makers see it
    ticker: str
    quantity: Decimal | None
    cash_quantity: Decimal | None
    rest_remainder: bool
    replace_existing: bool
    high_volatility: bool
    state: RfqState
    created_at: float
    expires_at: float
    acceptance: AcceptanceView | None
    closed_at: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteView:
    quote_id: str
    rfq_id: str
    maker: str
    quoter: str  #: the maker's pseudonym, as the creator sees it
    ticker: str
    yes_bid: Decimal
    no_bid: Decimal
    yes_size: Decimal  #: contracts the creator can sell into the YES bid
    no_size: Decimal  #: contracts the creator can buy against the NO bid
    rest_remainder: bool
    post_only: bool
    state: QuoteState
    entered_at: float
