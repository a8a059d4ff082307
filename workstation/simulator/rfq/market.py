"""What the desk needs to know about a market, as the gateway tells it.

The desk keeps no market list of its own: it asks a :data:`MarketLookup` (a function from
ticker to :class:`RfqMarket`, or None for an unknown ticker) whenever it needs one, so the
exchange stays the one owner of markets. ``high_volatility`` is the gateway's flag for a
High-Volatility Market (all combo/MVE markets are; SPEC §13.1): it shortens the confirmation
window and the execution timer (see :mod:`.timers`). The desk reads it once, when the RFQ
is created; ``open`` and ``tick`` it reads again at every quote and acceptance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from workstation.simulator.exchange.market import PENNY, Market, MarketStatus

__all__ = ["MarketLookup", "RfqMarket", "rfq_market"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqMarket:
    """One market as the RFQ desk sees it."""

    ticker: str
    tick: Decimal = PENNY  #: quote price grid; 0.0001 for a subpenny market
    high_volatility: bool = False
    open: bool = True  #: trading now: RFQs may be created, quoted and accepted


MarketLookup = Callable[[str], RfqMarket | None]


def rfq_market(market: Market, *, high_volatility: bool = False) -> RfqMarket:
    """The desk's view of one of the exchange's markets."""
    return RfqMarket(
        ticker=market.ticker,
        tick=market.tick,
        high_volatility=high_volatility,
        open=market.status is MarketStatus.OPEN,
    )
