"""The exchange: one object a gateway talks to.

:class:`Exchange` assembles the pieces — order entry and matching (:mod:`.order_entry`, on
the primitives of :mod:`.core`), market administration (:mod:`.market_admin`) and order
groups (:mod:`.group_desk`) — and adds read access: depth, open orders, reserves and the
plain-data :meth:`Exchange.snapshot` for reconciliation, plus :meth:`Exchange.from_state` to
carry on from a persisted state.

Every call that changes anything takes ``now`` (epoch seconds), starts a new ExecID clock (one
matching cycle), first expires the orders whose time is up, and returns the list of
:mod:`.results` records of what happened, in order. Nothing here knows FIX; the dialect rules
it is built with decide only how a refusal is classed (cancel or reject, 35=9 or ER, which
103 code). Nothing reads the clock.
"""

from __future__ import annotations

from decimal import Decimal

from workstation.fix.dialect import DialectRules
from workstation.simulator.exchange.accounts import reserved_amount
from workstation.simulator.exchange.block_trades import BlockTrade, execute_block_trade
from workstation.simulator.exchange.book import Book, Level
from workstation.simulator.exchange.fees import FeeSchedule
from workstation.simulator.exchange.group_desk import GroupDesk
from workstation.simulator.exchange.ids import IdSource
from workstation.simulator.exchange.market import Event, Market
from workstation.simulator.exchange.market_admin import MarketAdmin
from workstation.simulator.exchange.order_entry import OrderEntry
from workstation.simulator.exchange.orders import Order, OrderView
from workstation.simulator.exchange.results import Result
from workstation.simulator.exchange.snapshot import AccountSnapshot, SubAccountSnapshot
from workstation.simulator.exchange.state import ExchangeState
from workstation.simulator.exchange.types import Side

__all__ = ["Exchange"]


class Exchange(OrderEntry, MarketAdmin, GroupDesk):
    """The local Kalshi exchange core. See the module docstring for the rules."""

    @classmethod
    def from_state(
        cls,
        state: ExchangeState,
        *,
        rules: DialectRules | None = None,
        fees: FeeSchedule | None = None,
        ids: IdSource | None = None,
    ) -> Exchange:
        """An exchange that carries on from ``state`` (e.g. one loaded from disk).

        The books and the expiry queue are rebuilt from the live orders: adding them in
        priority order restores each price level's queue exactly.
        """
        exchange = cls(events=(), rules=rules, fees=fees, ids=ids)
        exchange.state = state
        exchange._books = {ticker: Book(ticker) for ticker in state.markets}
        for order in state.live_orders():
            exchange._rest(order)
        return exchange

    def forget_history(self, account: str) -> int:
        """Drop the finished orders and the fills of ``account``; its live orders stay.

        For accounts nobody reconciles (the simulated participants), so a long-running
        simulator's memory stays bounded. Returns how many orders were dropped.
        """
        live = self.state.live.get(account, {})
        names = self.state.cl_ord_ids.get(account, {})
        done = {order_id for order_id in names.values() if order_id not in live}
        for cl_ord_id in [c for c, order_id in names.items() if order_id in done]:
            del names[cl_ord_id]
        for order_id in done:
            self.state.orders.pop(order_id, None)
        self.state.fills.pop(account, None)
        return len(done)

    def execute_block_trade(self, trade: BlockTrade, now: float) -> list[Result]:
        """A trade agreed off the book (an executed RFQ); see :mod:`.block_trades`."""
        return execute_block_trade(self, trade, now)

    def market(self, ticker: str) -> Market | None:
        return self.state.markets.get(ticker)

    def markets(self) -> list[Market]:
        return list(self.state.markets.values())

    def events(self) -> list[Event]:
        return list(self.state.events.values())

    def depth(self, ticker: str, side: Side, levels: int | None = None) -> list[Level]:
        """Aggregated price levels of one side of a book, best first."""
        return self._books[ticker].levels(side, levels)

    def best_price(self, ticker: str, side: Side) -> Decimal | None:
        return self._books[ticker].best_price(side)

    def order(self, order_id: str) -> Order | None:
        return self.state.orders.get(order_id)

    def open_orders(self, account: str, ticker: str | None = None) -> list[OrderView]:
        """The live orders of ``account`` (in ``ticker`` when given), oldest first."""
        return [
            o.view()
            for o in self.state.live_orders(account)
            if ticker is None or o.ticker == ticker
        ]

    def reserved(self, account: str, sub_account: int = 0) -> Decimal:
        """Dollars the live orders of this sub-account hold back from its balance."""
        sub = self.ledger.get(account, sub_account)
        positions = {} if sub is None else sub.positions
        orders = [o for o in self.state.live_orders(account) if o.sub_account == sub_account]
        return reserved_amount(orders, positions, self._max_fee)

    def snapshot(self, account: str) -> AccountSnapshot:
        """Orders, fills by ExecID, positions and balances of ``account``, as plain data."""
        subs: dict[int, SubAccountSnapshot] = {}
        for number, sub in sorted(self.ledger.accounts.get(account, {}).items()):
            reserved = self.reserved(account, number)
            subs[number] = SubAccountSnapshot(
                sub_account=number,
                balance=sub.balance,
                reserved=reserved,
                available=sub.balance - reserved,
                positions=dict(sub.positions),
                fees_paid=sub.fees_paid,
            )
        orders = sorted(
            (o for o in self.state.orders.values() if o.account == account),
            key=lambda o: o.priority,
        )
        return AccountSnapshot(
            account=account,
            sub_accounts=subs,
            orders=[o.view() for o in orders],
            fills=dict(self.state.fills.get(account, {})),
        )

    def fund(self, account: str, amount: Decimal, *, sub_account: int = 0) -> None:
        """Open (if needed) and credit a sub-account with ``amount`` dollars."""
        self.ledger.fund(account, amount, sub_account=sub_account)
