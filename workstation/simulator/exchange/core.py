"""The exchange's state and the primitive moves every action is built from.

:class:`ExchangeCore` holds the plain-data state (:class:`~.state.ExchangeState`), one
:class:`~.book.Book` per market and the queue of order expiries, and knows how to register an
order, rest it, match it (price-time priority, trades at the resting price, self-trade
prevention, order-group triggers), cancel it and expire it. The public actions are built on
these in :mod:`.order_entry`, :mod:`.market_admin` and :mod:`.group_desk`, and assembled in
:class:`~.engine.Exchange`.

Every public action starts with :meth:`ExchangeCore._begin`: a new ExecID clock (one matching
cycle) and the expiry of every order whose end is at or before ``now``, so an expired order
never trades.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from decimal import Decimal

from workstation.fix.dialect import Dialect, DialectRules, dialect_rules
from workstation.simulator.exchange.accounts import Ledger
from workstation.simulator.exchange.book import Book, crosses
from workstation.simulator.exchange.clock import clearing_date, day_end
from workstation.simulator.exchange.fees import FeeSchedule
from workstation.simulator.exchange.groups import GroupAction, OrderGroup
from workstation.simulator.exchange.ids import IdSource, UuidIds
from workstation.simulator.exchange.market import Event, Market, MarketStatus
from workstation.simulator.exchange.orders import NewOrder, Order
from workstation.simulator.exchange.reasons import Reason
from workstation.simulator.exchange.reserves import Reserves
from workstation.simulator.exchange.results import (
    MarketStatusChanged,
    OrderCancelled,
    OrderFilled,
    OrderGroupChanged,
    Result,
)
from workstation.simulator.exchange.state import ExchangeState
from workstation.simulator.exchange.types import OrdStatus, SelfTradePrevention, TimeInForce
from workstation.simulator.keyword_builder import keyword_builder

__all__ = ["ExchangeCore"]

_ZERO = Decimal(0)
#: two per trade (a sweep: thousands in one cycle): through the slots, not __init__
_build_filled = keyword_builder(OrderFilled)


class ExchangeCore:
    """State, books and the primitive moves (register, rest, match, trade, cancel)."""

    def __init__(
        self,
        *,
        events: Iterable[Event],
        rules: DialectRules | None = None,
        fees: FeeSchedule | None = None,
        ids: IdSource | None = None,
    ) -> None:
        self.rules = rules if rules is not None else dialect_rules(Dialect.CURRENT)
        self.fees = fees if fees is not None else FeeSchedule()
        self.ids: IdSource = ids if ids is not None else UuidIds()
        self.state = ExchangeState()
        for event in events:
            self.state.add_event(event)
        self._books = {ticker: Book(ticker) for ticker in self.state.markets}
        self._expiries: list[tuple[float, int, str]] = []
        #: derived, like the books: the reserve per sub-account, kept per book
        self._reserves = Reserves(lambda: self.state, self._max_fee)

    @property
    def ledger(self) -> Ledger:
        return self.state.ledger

    def _begin(self, now: float) -> list[Result]:
        """Start a matching cycle and expire what is due."""
        self.state.exec_ids.start_cycle()
        out: list[Result] = []
        while self._expiries and self._expiries[0][0] <= now:
            expire_time, _, order_id = heapq.heappop(self._expiries)
            order = self.state.orders.get(order_id)
            if order is not None and order.live and order.expire_time == expire_time:
                self._cancel(order, now, out, reason=None, expired=True)
        return out

    def _affordable(self, account: str, sub_account: int, extra: Order | None) -> bool:
        """Whether the sub-account's live orders, and ``extra`` (newer than all of them) when
        given, fit in its balance (:func:`~.accounts.reserved_amount`, kept by
        :class:`~.reserves.Reserves`)."""
        sub = self.ledger.require(account, sub_account)
        return self._reserves.reserved(account, sub_account, extra) <= sub.balance

    def _max_fee(self, order: Order) -> Decimal:
        market = self.state.markets[order.ticker]
        return self.fees.fee(market, order.leaves_qty, order.price, maker=False)

    def _lookup(self, account: str, cl_ord_id: str) -> Order | None:
        order_id = self.state.cl_ord_ids.get(account, {}).get(cl_ord_id)
        return None if order_id is None else self.state.orders[order_id]

    def _register(self, request: NewOrder, now: float, order: Order | None = None) -> Order:
        """Number and register the order ``request`` places: ``order`` when the caller already
        built it with :meth:`_unregistered` (to ask whether it is affordable), else a new one."""
        if order is None:
            order = self._unregistered(request, now)
        order.order_id = self.ids.order_id()
        order.priority = self._next_priority()
        self.state.orders[order.order_id] = order
        self.state.cl_ord_ids.setdefault(order.account, {})[order.cl_ord_id] = order.order_id
        self.state.live.setdefault(order.account, {})[order.order_id] = order
        self._reserves.add(order)
        return order

    def _unregistered(self, request: NewOrder, now: float) -> Order:
        """The order ``request`` would place, not yet numbered (OrderID empty) or registered;
        its priority is the one it will get, so it can stand for itself in a reserve."""
        if request.time_in_force is TimeInForce.DAY:
            expire_time: float | None = day_end(now)
        elif request.time_in_force is TimeInForce.GTD:
            expire_time = request.expire_time
        else:
            expire_time = None
        return Order(
            order_id="",
            account=request.account,
            sub_account=request.sub_account,
            session_tag=request.session_tag,
            cl_ord_id=request.cl_ord_id,
            orig_cl_ord_id=None,
            # the market's own string, not the one parsed from each message: one per market
            ticker=self.state.markets[request.ticker].ticker,
            side=request.side,
            price=request.price,
            order_qty=request.quantity,
            time_in_force=request.time_in_force,
            expire_time=expire_time,
            post_only=request.post_only,
            stp=request.stp,
            group_id=request.group_id,
            cancel_on_pause=request.cancel_on_pause,
            report_expiry=request.report_expiry,
            created_at=now,
            priority=self.state.next_priority,
        )

    def _next_priority(self) -> int:
        value = self.state.next_priority
        self.state.next_priority += 1
        return value

    def _rename(self, order: Order, new_cl_ord_id: str) -> None:
        order.orig_cl_ord_id = order.cl_ord_id
        order.cl_ord_id = new_cl_ord_id
        self.state.cl_ord_ids.setdefault(order.account, {})[new_cl_ord_id] = order.order_id

    def _rest(self, order: Order) -> None:
        self._books[order.ticker].add(order)
        if order.expire_time is not None:
            heapq.heappush(self._expiries, (order.expire_time, order.priority, order.order_id))

    def _match(self, taker: Order, market: Market, now: float, out: list[Result]) -> None:
        """Trade ``taker`` against the book until it is filled, stops crossing or is stopped."""
        book = self._books[taker.ticker]
        while taker.live and taker.leaves_qty > 0:
            maker = book.best_order(taker.side.opposite)
            if maker is None or not crosses(taker.side, taker.price, maker.price):
                return
            if maker.account == taker.account:
                if taker.stp is SelfTradePrevention.TAKER_AT_CROSS:
                    self._cancel(
                        taker, now, out, reason=Reason.TAKER_CANCEL_FOR_SELF_TRADE_PREVENTION
                    )
                    return
                self._cancel(maker, now, out, reason=Reason.MAKER_CANCEL_FOR_SELF_TRADE_PREVENTION)
                continue
            self._trade(taker, maker, market, now, out)

    def _trade(
        self, taker: Order, maker: Order, market: Market, now: float, out: list[Result]
    ) -> None:
        quantity = min(taker.leaves_qty, maker.leaves_qty)
        price = maker.price
        trade_id = self.ids.trade_id()
        date = clearing_date(now)
        triggered: list[OrderGroup] = []
        for order, is_taker in ((taker, True), (maker, False)):
            fee = self.fees.fee(market, quantity, price, maker=not is_taker)
            money = self.ledger.apply_fill(
                account=order.account,
                sub_account=order.sub_account,
                ticker=order.ticker,
                side=order.side,
                quantity=quantity,
                price=price,
                fee=fee,
            )
            order.cum_qty += quantity
            order.cum_value += quantity * price
            if order.cum_qty == order.order_qty:
                order.status = OrdStatus.FILLED
                self._books[order.ticker].remove(order)
                self.state.live[order.account].pop(order.order_id, None)
            else:
                order.status = OrdStatus.PARTIALLY_FILLED
            fill = _build_filled(
                exec_id=self.state.exec_ids.next(),
                transact_time=now,
                order=order.view(),
                last_qty=quantity,
                last_px=price,
                aggressor=is_taker,
                trade_id=trade_id,
                fee=money.fee,
                balance_change=money.balance_change,
                collateral_returned=money.collateral_returned,
                long_qty=max(money.position_after, _ZERO),
                short_qty=max(-money.position_after, _ZERO),
                clearing_date=date,
            )
            out.append(fill)
            self.state.fills.setdefault(order.account, {})[str(fill.exec_id)] = fill
            group = self.state.groups.get(order.group_id) if order.group_id else None
            if group is not None and group.record_fill(now, quantity):
                triggered.append(group)
        for group in triggered:
            out.append(self._group_changed(group, GroupAction.TRIGGER, now, requested=False))
            self._cancel_group_orders(group, now, out)
            if taker.live and taker.group_id == group.group_id:
                self._cancel(taker, now, out, reason=Reason.ORDER_GROUP_CANCEL)

    def _cancel(
        self,
        order: Order,
        now: float,
        out: list[Result],
        *,
        reason: Reason | None,
        requested: bool = False,
        expired: bool = False,
        new_cl_ord_id: str | None = None,
    ) -> None:
        self._books[order.ticker].remove(order)
        self.state.live.get(order.account, {}).pop(order.order_id, None)
        self._reserves.stale(order)
        if new_cl_ord_id is not None:
            self._rename(order, new_cl_ord_id)
        order.status = OrdStatus.EXPIRED if expired and order.report_expiry else OrdStatus.CANCELED
        out.append(
            OrderCancelled(
                exec_id=self.state.exec_ids.next(),
                transact_time=now,
                order=order.view(),
                reason=reason,
                requested=requested,
                expired=expired,
            )
        )

    def _cancel_group_orders(self, group: OrderGroup, now: float, out: list[Result]) -> None:
        for order in list(self.state.live_orders(group.account)):
            if order.group_id == group.group_id and order in self._books[order.ticker]:
                self._cancel(order, now, out, reason=Reason.ORDER_GROUP_CANCEL)

    def _close(self, market: Market, now: float, out: list[Result]) -> None:
        self._set_status(market, MarketStatus.CLOSED, now, out)
        for order in list(self.state.live_orders()):
            if order.ticker == market.ticker:
                self._cancel(order, now, out, reason=None, expired=True)

    def _set_status(
        self, market: Market, status: MarketStatus, now: float, out: list[Result]
    ) -> None:
        previous, market.status = market.status, status
        out.append(
            MarketStatusChanged(
                transact_time=now, ticker=market.ticker, previous=previous, status=status
            )
        )

    @staticmethod
    def _group_changed(
        group: OrderGroup, action: GroupAction, now: float, *, requested: bool = True
    ) -> OrderGroupChanged:
        return OrderGroupChanged(
            transact_time=now,
            action=action,
            group_id=group.group_id,
            account=group.account,
            sub_account=group.sub_account,
            limit=group.limit,
            state=group.state,
            requested=requested,
        )
