"""One market's YES book: bids (buy YES) and asks (sell YES = buy NO) in price-time priority.

Each side keeps its prices sorted and, per price, its orders in arrival order (a dict keeps
insertion order and removes any order in O(1)). The best bid is the highest price, the best
ask the lowest. The book holds the live :class:`~.orders.Order` objects; it never changes
their quantities (the engine does) and only orders whose ``leaves_qty`` is above zero rest.

A dict leaves a hole in its entry table for every key removed until it next grows, and
finding its first entry walks past every hole: a sweep that takes thousands of orders off the
front of one level, with nothing added, would make each look at the best order cost as many
steps as orders taken before it. So a level whose holes outnumber its orders is copied (a
copy has no holes), which keeps the first order one step away, amortised.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from workstation.simulator.exchange.orders import Order
from workstation.simulator.exchange.types import Side

__all__ = ["Book", "Level", "crosses"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Level:
    """Aggregate of one price on one side."""

    price: Decimal
    quantity: Decimal
    orders: int


#: Levels with fewer holes than this are never copied (a copy costs more than the walk).
_HOLES_KEPT = 32


@dataclass(slots=True)
class _Side:
    side: Side
    prices: list[Decimal] = field(default_factory=list)  #: ascending
    levels: dict[Decimal, dict[str, Order]] = field(default_factory=dict)
    #: per price, the orders removed since its dict was made (its holes, at most)
    holes: dict[Decimal, int] = field(default_factory=dict)

    def add(self, order: Order) -> None:
        level = self.levels.get(order.price)
        if level is None:
            level = self.levels[order.price] = {}
            bisect.insort(self.prices, order.price)
        level[order.order_id] = order

    def remove(self, order: Order) -> bool:
        price = order.price
        level = self.levels.get(price)
        if level is None or level.pop(order.order_id, None) is None:
            return False
        if not level:
            del self.levels[price]
            self.holes.pop(price, None)
            del self.prices[bisect.bisect_left(self.prices, price)]
            return True
        holes = self.holes.get(price, 0) + 1
        if holes > _HOLES_KEPT and holes > len(level):
            self.levels[price] = dict(level)  # the same orders in the same order, no holes
            holes = 0
        self.holes[price] = holes
        return True

    def prices_best_first(self) -> Iterator[Decimal]:
        return reversed(self.prices) if self.side is Side.BUY else iter(self.prices)

    def best_price(self) -> Decimal | None:
        if not self.prices:
            return None
        return self.prices[-1] if self.side is Side.BUY else self.prices[0]


class Book:
    """The bids and asks of one ticker."""

    __slots__ = ("_sides", "ticker")

    def __init__(self, ticker: str) -> None:
        self.ticker = ticker
        self._sides = {Side.BUY: _Side(Side.BUY), Side.SELL: _Side(Side.SELL)}

    def add(self, order: Order) -> None:
        """Queue ``order`` at the back of its price level."""
        self._sides[order.side].add(order)

    def remove(self, order: Order) -> bool:
        """Take ``order`` off the book; False if it was not there."""
        return self._sides[order.side].remove(order)

    def __contains__(self, order: Order) -> bool:
        level = self._sides[order.side].levels.get(order.price)
        return level is not None and order.order_id in level

    def best_price(self, side: Side) -> Decimal | None:
        return self._sides[side].best_price()

    def best_order(self, side: Side) -> Order | None:
        """The order first in line on ``side``, or None when that side is empty."""
        book_side = self._sides[side]
        price = book_side.best_price()
        if price is None:
            return None
        return next(iter(book_side.levels[price].values()))

    def orders(self, side: Side) -> Iterator[Order]:
        """Every order on ``side`` in priority order (best price first, then arrival)."""
        book_side = self._sides[side]
        for price in list(book_side.prices_best_first()):
            yield from list(book_side.levels[price].values())

    def levels(self, side: Side, depth: int | None = None) -> list[Level]:
        """Aggregated levels of ``side``, best first, at most ``depth`` of them."""
        book_side = self._sides[side]
        out: list[Level] = []
        for price in book_side.prices_best_first():
            if depth is not None and len(out) >= depth:
                break
            level = book_side.levels[price]
            quantity = sum((o.leaves_qty for o in level.values()), Decimal(0))
            out.append(Level(price=price, quantity=quantity, orders=len(level)))
        return out

    def __len__(self) -> int:
        return sum(len(level) for s in self._sides.values() for level in s.levels.values())


def crosses(side: Side, limit: Decimal, resting_price: Decimal) -> bool:
    """Whether an order on ``side`` with ``limit`` trades against a resting ``resting_price``."""
    return resting_price <= limit if side is Side.BUY else resting_price >= limit
