"""Everything the exchange knows, as plain data, so a later step can persist it.

The books and the expiry queue are *derived*: they can be rebuilt from the live orders
(:meth:`ExchangeState.live_orders`), so a store needs only what this dataclass holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from workstation.simulator.exchange.accounts import Ledger
from workstation.simulator.exchange.exec_ids import ExecIdClock
from workstation.simulator.exchange.groups import OrderGroup
from workstation.simulator.exchange.market import Event, Market
from workstation.simulator.exchange.orders import Order
from workstation.simulator.exchange.results import OrderFilled

__all__ = ["ExchangeState"]


@dataclass(slots=True, kw_only=True)
class ExchangeState:
    events: dict[str, Event] = field(default_factory=dict)
    markets: dict[str, Market] = field(default_factory=dict)
    #: Every order ever accepted, live or done, by order id.
    orders: dict[str, Order] = field(default_factory=dict)
    #: account -> ClOrdID -> order id, for every ClOrdID the account used (new, cancel,
    #: replace); a new order may reuse the ClOrdID of an order that is no longer live.
    cl_ord_ids: dict[str, dict[str, str]] = field(default_factory=dict)
    #: account -> order id -> live order (a subset of ``orders``).
    live: dict[str, dict[str, Order]] = field(default_factory=dict)
    ledger: Ledger = field(default_factory=Ledger)
    groups: dict[str, OrderGroup] = field(default_factory=dict)
    #: account -> str(ExecID) -> the fill, in ExecID order.
    fills: dict[str, dict[str, OrderFilled]] = field(default_factory=dict)
    exec_ids: ExecIdClock = field(default_factory=ExecIdClock)
    exchange_paused: bool = False
    next_priority: int = 1

    def live_orders(self, account: str | None = None) -> Iterator[Order]:
        """Live orders (of one account, or of all), oldest priority first."""
        if account is not None:
            yield from sorted(self.live.get(account, {}).values(), key=lambda o: o.priority)
            return
        everything = [o for orders in self.live.values() for o in orders.values()]
        yield from sorted(everything, key=lambda o: o.priority)

    def add_event(self, event: Event) -> None:
        if event.ticker in self.events:
            raise ValueError(f"event {event.ticker} is defined twice")
        for market in event.markets:
            if market.ticker in self.markets:
                raise ValueError(f"market {market.ticker} is defined twice")
            self.markets[market.ticker] = market
        self.events[event.ticker] = event
