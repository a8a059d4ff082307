"""Price-time matching rules that do not change anything: what an incoming order *would* do.

The engine (:mod:`.engine`) walks the book for real; FOK and MaxExecutionCost must first know
whether the whole quantity can fill, and post-only whether the order would cross at all, so
those questions are answered here by walking the book without touching it. The walk follows
the same rules as the real one: best price first, then arrival; the trade price is the
resting order's; the taker's self-trade prevention decides what an own resting order does
(``TAKER_AT_CROSS`` stops the walk, ``MAKER`` skips it because it would be cancelled).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workstation.simulator.exchange.accounts import opening_unit_cost
from workstation.simulator.exchange.book import Book, crosses
from workstation.simulator.exchange.types import SelfTradePrevention, Side

__all__ = ["Preview", "preview", "would_cross"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Preview:
    """What an incoming order could fill right now."""

    quantity: Decimal  #: contracts it could fill (at most the quantity asked)
    cost: Decimal  #: dollars those fills would cost it (P per YES, 1 − P per NO)


def would_cross(book: Book, side: Side, limit: Decimal) -> bool:
    """Whether an order on ``side`` at ``limit`` meets any resting order."""
    best = book.best_price(side.opposite)
    return best is not None and crosses(side, limit, best)


def preview(
    book: Book,
    *,
    side: Side,
    limit: Decimal,
    quantity: Decimal,
    account: str,
    stp: SelfTradePrevention,
) -> Preview:
    remaining = quantity
    cost = Decimal(0)
    for maker in book.orders(side.opposite):
        if remaining <= 0 or not crosses(side, limit, maker.price):
            break
        if maker.account == account:
            if stp is SelfTradePrevention.TAKER_AT_CROSS:
                break
            continue
        take = min(remaining, maker.leaves_qty)
        remaining -= take
        cost += take * opening_unit_cost(side, maker.price)
    return Preview(quantity=quantity - remaining, cost=cost)
