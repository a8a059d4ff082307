"""Which side of a quote an acceptance hits, and the trade that follows: our reading of
SPEC §13.3 (AcceptQuote 54) and §20.27 (AcceptedSide on the QuoteStatusReport), kept here in
one place.

A maker's quote holds two bids (SPEC §13.2): ``yes_bid`` (BidPx 132, what the maker pays for
YES) and ``no_bid`` (OfferPx 133, what the maker pays for NO). The creator picks one:

==================  =======================  ===========================  ================
creator's Side 54   hits the maker's         creator                      AI AcceptedSide
==================  =======================  ===========================  ================
``1`` BUY           NO bid                   buys YES at ``1 - no_bid``   ``2`` (NO)
``2`` SELL          YES bid                  sells YES at ``yes_bid``     ``1`` (YES)
==================  =======================  ===========================  ================

**AcceptedSide (54 on AI ACCEPTED) is the side of the maker's quote that was hit**:
``1`` = its YES bid (the maker buys YES), ``2`` = its NO bid (the maker buys NO). SPEC §20.27
leaves open whether 54 is that or the side the requester bought; we send the maker what it
needs to know about its own position, which is the quote side.

Every trade is stated as the exchange states it (SPEC §8): a YES buyer, a YES seller (who buys
NO) and one YES price.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = ["AcceptSide", "QuoteSide", "TradeTerms", "bid_on", "side_hit", "trade_terms"]

ONE = Decimal(1)


class AcceptSide(StrEnum):
    """The creator's Side (54) on AcceptQuote (UA) or a quote-accepting NewOrderSingle."""

    BUY = "1"  #: buy YES: takes the maker's NO bid
    SELL = "2"  #: sell YES: takes the maker's YES bid


class QuoteSide(StrEnum):
    """One side of a maker's two-sided quote; the AcceptedSide (54) sent to the maker."""

    YES = "1"  #: the YES bid (BidPx 132)
    NO = "2"  #: the NO bid (OfferPx 133)


def side_hit(side: AcceptSide) -> QuoteSide:
    """The side of the maker's quote that a creator's ``side`` takes."""
    return QuoteSide.NO if side is AcceptSide.BUY else QuoteSide.YES


@dataclass(frozen=True, slots=True, kw_only=True)
class TradeTerms:
    """The trade an accepted quote makes, seen from the creator."""

    creator_buys_yes: bool  #: True: the creator is the YES buyer and the maker the seller
    yes_price: Decimal  #: the YES price of the trade, dollars
    creator_cost: Decimal  #: what one contract costs the creator (YES or NO price), dollars


def trade_terms(side: AcceptSide, *, yes_bid: Decimal, no_bid: Decimal) -> TradeTerms:
    """The trade when the creator accepts a quote of ``yes_bid``/``no_bid`` with ``side``."""
    if side is AcceptSide.BUY:
        price = ONE - no_bid
        return TradeTerms(creator_buys_yes=True, yes_price=price, creator_cost=price)
    return TradeTerms(creator_buys_yes=False, yes_price=yes_bid, creator_cost=ONE - yes_bid)


def bid_on(side: QuoteSide, *, yes_bid: Decimal, no_bid: Decimal) -> Decimal:
    """The maker's bid on ``side`` (0 when the maker declined that side)."""
    return yes_bid if side is QuoteSide.YES else no_bid
