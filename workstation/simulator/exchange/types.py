"""The exchange's small vocabulary: side, time in force, self-trade prevention, order status.

The values are the FIX wire values (SPEC §9.2, §9.6), so a gateway maps them with
``messages.Side(side.value)`` and nothing else; the exchange itself never reads or writes FIX.
Every price is the YES price (SPEC §8): BUY bids for YES, SELL offers YES (= bids for NO).
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "LIVE_STATUSES",
    "MarketResult",
    "OrdStatus",
    "SelfTradePrevention",
    "Side",
    "TimeInForce",
]


class Side(StrEnum):
    """Which side of the one YES book an order is on."""

    BUY = "1"  #: buy YES (a bid)
    SELL = "2"  #: sell YES = buy NO (an ask)

    @property
    def opposite(self) -> Side:
        return Side.SELL if self is Side.BUY else Side.BUY


class TimeInForce(StrEnum):
    """How long an order may rest (SPEC §9.2 tag 59; GTC when absent)."""

    DAY = "0"  #: until 23:59:59.999 America/New_York of the day it was placed
    GTC = "1"
    IOC = "3"
    FOK = "4"
    GTD = "6"  #: until ExpireTime; an ExpireTime already past acts as IOC


class SelfTradePrevention(StrEnum):
    """What happens when an order would trade with the same account (SPEC §9.9, tag 2964)."""

    TAKER_AT_CROSS = "1"  #: cancel the incoming order; fills already made stand (default)
    MAKER = "2"  #: cancel the resting own order and keep matching


class OrdStatus(StrEnum):
    """An order's status as an ExecutionReport states it (SPEC §9.6 tag 39)."""

    NEW = "0"
    PARTIALLY_FILLED = "1"
    FILLED = "2"
    CANCELED = "4"
    REJECTED = "8"
    EXPIRED = "C"


#: Statuses of an order that is still on the book.
LIVE_STATUSES = frozenset({OrdStatus.NEW, OrdStatus.PARTIALLY_FILLED})


class MarketResult(StrEnum):
    """How a market settled (SPEC §12.2 tag 20107, lower case as the current docs send it)."""

    YES = "yes"
    NO = "no"
    SCALAR = "scalar"
