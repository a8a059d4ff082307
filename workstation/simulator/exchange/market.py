"""Markets and the events that group them.

A market is one binary contract with one YES book (SPEC §8, §19.4). Its status decides what
the exchange accepts:

============  ==========================================================================
``open``      orders, amends and cancels accepted
``paused``    a trading pause (SPEC §2.4): new orders and amends refused with
              ``TRADING_PAUSED``, cancels allowed; CancelOrderOnPause orders were cancelled
``closed``    trading over: orders refused with ``MARKET_ALREADY_CLOSED``; the book is empty
``settled``   determined and paid out: orders refused with ``MARKET_INACTIVE``
============  ==========================================================================

An event groups markets; a *mutually exclusive* event is one where exactly one market can
settle YES (e.g. "who wins the game").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from workstation.simulator.exchange.types import MarketResult

__all__ = ["MARKET_TRANSITIONS", "PENNY", "SUBPENNY", "Event", "Market", "MarketStatus"]

PENNY = Decimal("0.01")
SUBPENNY = Decimal("0.0001")


class MarketStatus(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"
    SETTLED = "settled"


#: The one table of market status changes: status -> the statuses it may move to. Settling
#: an open or paused market closes it first (open -> closed -> settled); a paused market
#: resumes to open; nothing leaves settled.
MARKET_TRANSITIONS: dict[MarketStatus, frozenset[MarketStatus]] = {
    MarketStatus.OPEN: frozenset({MarketStatus.PAUSED, MarketStatus.CLOSED}),
    MarketStatus.PAUSED: frozenset({MarketStatus.OPEN, MarketStatus.CLOSED}),
    MarketStatus.CLOSED: frozenset({MarketStatus.SETTLED}),
    MarketStatus.SETTLED: frozenset(),
}


@dataclass(slots=True, kw_only=True)
class Market:
    """One binary market. Mutable: the exchange changes ``status`` and ``result``."""

    ticker: str  #: e.g. ``KXHIGHNY-26NOV24-B52.5``
    event_ticker: str
    title: str
    status: MarketStatus = MarketStatus.OPEN
    tick: Decimal = PENNY  #: price grid; ``SUBPENNY`` (0.0001) for a subpenny market
    taker_fee_coefficient: Decimal | None = None  #: None: the fee schedule's default
    maker_fee_coefficient: Decimal | None = None  #: None: the fee schedule's default
    #: Set when settled: the outcome and the value of one YES contract in dollars.
    result: MarketResult | None = None
    settlement_value: Decimal | None = None
    #: Fair value the simulated participants start from (dollars), if the file gives one.
    reference_price: Decimal | None = None

    def valid_price(self, price: Decimal) -> bool:
        """Strictly between 0 and 1 and on this market's grid."""
        return Decimal(0) < price < Decimal(1) and (price % self.tick) == 0


@dataclass(slots=True, kw_only=True)
class Event:
    """A group of markets on one question."""

    ticker: str  #: e.g. ``KXHIGHNY-26NOV24``
    title: str
    mutually_exclusive: bool = False
    markets: list[Market] = field(default_factory=list)
