"""The exchange: order entry, matching, cancels and replaces, pauses, order groups, settlement.

:class:`Exchange` is the one object a gateway talks to. Every call that changes anything
takes ``now`` (epoch seconds), starts a new ExecID clock (one matching cycle), first expires
the orders whose time is up, and returns the list of :mod:`.results` records of what happened,
in order. Nothing here knows FIX; the dialect rules it is built with decide only how a
refusal is classed (cancel or reject, 35=9 or ER, which 103 code).

Matching (SPEC §8, §9.9, §19.4): one YES book per market; an incoming order trades against
the best-priced, oldest resting orders it crosses, at *their* price, until it is filled or
stops crossing. Then, by time in force: IOC (and a GTD whose time is already past) cancels
the rest (``IMMEDIATE_OR_CANCELLED``); FOK and MaxExecutionCost orders are checked before any
trade and cancelled whole (``FOK_INSUFFICIENT_VOLUME``) unless every contract can fill (within
the cost); post-only orders that would cross are refused (``POST_ONLY_CROSS``, a cancel on
``current``, a reject on 1.0.13); everything else rests.

Checks on a new order, first failure wins: exchange paused, market exists, market status,
account, duplicate live ClOrdID, the order's own fields, order group, balance, then post-only.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from decimal import Decimal

from workstation.fix.dialect import Dialect, DialectRules, RejectChannel, dialect_rules
from workstation.simulator.exchange.accounts import Ledger, reserved_amount
from workstation.simulator.exchange.book import Book, Level, crosses
from workstation.simulator.exchange.clock import clearing_date, day_end
from workstation.simulator.exchange.fees import FeeSchedule
from workstation.simulator.exchange.groups import (
    MAX_GROUP_LIMIT,
    GroupAction,
    GroupState,
    OrderGroup,
)
from workstation.simulator.exchange.ids import IdSource, UuidIds
from workstation.simulator.exchange.market import (
    MARKET_TRANSITIONS,
    Event,
    Market,
    MarketStatus,
)
from workstation.simulator.exchange.matching import preview, would_cross
from workstation.simulator.exchange.orders import NewOrder, Order, OrderView, ReplaceOrder
from workstation.simulator.exchange.reasons import Reason, cxl_rej_reason, ord_rej_reason
from workstation.simulator.exchange.results import (
    CancelRejected,
    CancelRequestKind,
    ExchangeStatusChanged,
    MarketSettled,
    MarketStatusChanged,
    MassCancelDone,
    MassCancelRejected,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderGroupChanged,
    OrderGroupRejected,
    OrderRejected,
    OrderReplaced,
    Result,
)
from workstation.simulator.exchange.settlement import settle_positions, settlement_value_of
from workstation.simulator.exchange.snapshot import AccountSnapshot, SubAccountSnapshot
from workstation.simulator.exchange.state import ExchangeState
from workstation.simulator.exchange.types import (
    MarketResult,
    OrdStatus,
    SelfTradePrevention,
    Side,
    TimeInForce,
)

__all__ = ["Exchange"]

_ZERO = Decimal(0)
_CLOSED_REASONS = {
    MarketStatus.PAUSED: Reason.TRADING_PAUSED,
    MarketStatus.CLOSED: Reason.MARKET_ALREADY_CLOSED,
    MarketStatus.SETTLED: Reason.MARKET_INACTIVE,
}
#: Cancel/replace failures that are always an OrderCancelReject, whatever the dialect.
_ALWAYS_CANCEL_REJECT = frozenset({Reason.UNKNOWN_ORDER, Reason.ORDER_ALREADY_EXISTS})


def _whole_positive(quantity: Decimal) -> bool:
    return quantity > 0 and quantity == quantity.to_integral_value()


class Exchange:
    """The local Kalshi exchange core. See the module docstring for the rules."""

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

    # ------------------------------------------------------------------ read access

    @property
    def ledger(self) -> Ledger:
        return self.state.ledger

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

    # ------------------------------------------------------------------ accounts

    def fund(self, account: str, amount: Decimal, *, sub_account: int = 0) -> None:
        """Open (if needed) and credit a sub-account with ``amount`` dollars."""
        self.ledger.fund(account, amount, sub_account=sub_account)

    # ------------------------------------------------------------------ order entry

    def submit(self, request: NewOrder, now: float) -> list[Result]:
        """A NewOrderSingle: reject, cancel at once, trade, rest — or several of these."""
        out = self._begin(now)
        reason = self._new_order_problem(request, now)
        if reason is not None:
            out.append(self._reject(request, reason, now))
            return out
        market = self.state.markets[request.ticker]
        book = self._books[request.ticker]
        if request.post_only and would_cross(book, request.side, request.price):
            if not self.rules.post_only_cross_is_cancel:
                out.append(self._reject(request, Reason.POST_ONLY_CROSS, now))
                return out
            order = self._register(request, now)
            self._cancel(order, now, out, reason=Reason.POST_ONLY_CROSS)
            return out
        order = self._register(request, now)
        immediate = request.time_in_force in (TimeInForce.IOC, TimeInForce.FOK) or (
            request.time_in_force is TimeInForce.GTD
            and order.expire_time is not None
            and order.expire_time <= now
        )
        all_or_none = (
            request.time_in_force is TimeInForce.FOK or request.max_execution_cost is not None
        )
        if all_or_none:
            could = preview(
                book,
                side=order.side,
                limit=order.price,
                quantity=order.order_qty,
                account=order.account,
                stp=order.stp,
            )
            too_dear = (
                request.max_execution_cost is not None and could.cost > request.max_execution_cost
            )
            if could.quantity < order.order_qty or too_dear:
                self._cancel(order, now, out, reason=Reason.FOK_INSUFFICIENT_VOLUME)
                return out
            immediate = True
        accepted_id = self.state.exec_ids.next()
        accepted_view = order.view()
        trades: list[Result] = []
        self._match(order, market, now, trades)
        if order.live and order.leaves_qty > 0:
            if immediate:
                self._cancel(order, now, trades, reason=Reason.IMMEDIATE_OR_CANCELLED)
            else:
                self._rest(order)
        traded = order.cum_qty > 0
        if traded or order.live:
            out.append(
                OrderAccepted(
                    exec_id=accepted_id,
                    transact_time=now,
                    order=accepted_view,
                    traded_at_once=traded,
                )
            )
        out.extend(trades)
        return out

    def cancel(
        self,
        *,
        account: str,
        cl_ord_id: str,
        orig_cl_ord_id: str,
        ticker: str,
        side: Side,
        now: float,
        sub_account: int = 0,
        order_id: str | None = None,
    ) -> list[Result]:
        """An OrderCancelRequest: cancel the rest of the order named by ``orig_cl_ord_id``."""
        out = self._begin(now)
        kind = CancelRequestKind.CANCEL
        found = self._find_for_amend(
            account,
            orig_cl_ord_id,
            ticker=ticker,
            side=side,
            sub_account=sub_account,
            order_id=order_id,
        )
        reason: Reason | None
        if self.state.exchange_paused:
            reason = Reason.EXCHANGE_PAUSED
        elif isinstance(found, Reason):
            reason = found
        elif cl_ord_id in self.state.cl_ord_ids.get(account, {}):
            reason = Reason.ORDER_ALREADY_EXISTS
        else:
            reason = None
        if reason is not None:
            order = found if isinstance(found, Order) else self._lookup(account, orig_cl_ord_id)
            out.append(
                self._cancel_reject(
                    kind=kind,
                    account=account,
                    sub_account=sub_account,
                    cl_ord_id=cl_ord_id,
                    orig_cl_ord_id=orig_cl_ord_id,
                    order=order,
                    reason=reason,
                    now=now,
                )
            )
            return out
        assert isinstance(found, Order)
        self._cancel(found, now, out, reason=None, requested=True, new_cl_ord_id=cl_ord_id)
        return out

    def replace(self, request: ReplaceOrder, now: float) -> list[Result]:
        """An OrderCancelReplaceRequest: a new total quantity and/or a new price."""
        out = self._begin(now)
        kind = CancelRequestKind.REPLACE
        found = self._find_for_amend(
            request.account,
            request.orig_cl_ord_id,
            ticker=request.ticker,
            side=request.side,
            sub_account=request.sub_account,
            order_id=request.order_id,
        )
        reason = self._replace_problem(request, found)
        if reason is not None:
            order = (
                found
                if isinstance(found, Order)
                else self._lookup(request.account, request.orig_cl_ord_id)
            )
            out.append(
                self._cancel_reject(
                    kind=kind,
                    account=request.account,
                    sub_account=request.sub_account,
                    cl_ord_id=request.cl_ord_id,
                    orig_cl_ord_id=request.orig_cl_ord_id,
                    order=order,
                    reason=reason,
                    now=now,
                )
            )
            return out
        assert isinstance(found, Order)
        order = found
        if request.quantity == order.cum_qty:
            self._cancel(
                order, now, out, reason=None, requested=True, new_cl_ord_id=request.cl_ord_id
            )
            return out
        new_price = order.price if request.price is None else request.price
        lost_priority = new_price != order.price or request.quantity > order.order_qty
        book = self._books[order.ticker]
        if lost_priority:
            book.remove(order)
            order.priority = self._next_priority()
        order.price = new_price
        order.order_qty = request.quantity
        self._rename(order, request.cl_ord_id)
        out.append(
            OrderReplaced(
                exec_id=self.state.exec_ids.next(),
                transact_time=now,
                order=order.view(),
                lost_priority=lost_priority,
            )
        )
        if lost_priority:
            self._match(order, self.state.markets[order.ticker], now, out)
            if order.live and order.leaves_qty > 0:
                self._rest(order)
        return out

    def mass_cancel(
        self,
        *,
        account: str,
        now: float,
        session_tag: str | None = None,
        sub_account: int | None = None,
    ) -> list[Result]:
        """Cancel every live order of ``account`` (only those placed under ``session_tag`` /
        for ``sub_account`` when given). Refused during an exchange pause."""
        out = self._begin(now)
        if self.state.exchange_paused:
            out.append(
                MassCancelRejected(
                    transact_time=now,
                    account=account,
                    session_tag=session_tag,
                    reason=Reason.EXCHANGE_PAUSED,
                )
            )
            return out
        count = 0
        for order in list(self.state.live_orders(account)):
            if session_tag is not None and order.session_tag != session_tag:
                continue
            if sub_account is not None and order.sub_account != sub_account:
                continue
            self._cancel(order, now, out, reason=None)
            count += 1
        out.append(
            MassCancelDone(
                transact_time=now, account=account, session_tag=session_tag, cancelled=count
            )
        )
        return out

    def cancel_orders_of(self, session_tag: str, now: float) -> list[Result]:
        """CancelOrdersOnDisconnect: cancel every live order placed under ``session_tag``.

        During an exchange pause nothing may be cancelled, so the orders stay (SPEC §2.4).
        """
        out = self._begin(now)
        if self.state.exchange_paused:
            return out
        for order in list(self.state.live_orders()):
            if order.session_tag == session_tag:
                self._cancel(order, now, out, reason=None)
        return out

    def advance(self, now: float) -> list[Result]:
        """Let time pass: expire Day and GTD orders whose end is at or before ``now``."""
        return self._begin(now)

    # ------------------------------------------------------------------ market admin

    def pause_market(self, ticker: str, now: float) -> list[Result]:
        """A trading pause: CancelOrderOnPause orders are cancelled, the rest stay."""
        market = self._market_moving(ticker, "pause", MarketStatus.PAUSED)
        out = self._begin(now)
        self._set_status(market, MarketStatus.PAUSED, now, out)
        for order in list(self.state.live_orders()):
            if order.ticker == ticker and order.cancel_on_pause:
                self._cancel(order, now, out, reason=Reason.TRADING_PAUSED)
        return out

    def resume_market(self, ticker: str, now: float) -> list[Result]:
        market = self._market_moving(ticker, "resume", MarketStatus.OPEN)
        out = self._begin(now)
        self._set_status(market, MarketStatus.OPEN, now, out)
        return out

    def close_market(self, ticker: str, now: float) -> list[Result]:
        """End trading: every resting order is cancelled as expired (CloseCancel)."""
        market = self._market_moving(ticker, "close", MarketStatus.CLOSED)
        out = self._begin(now)
        self._close(market, now, out)
        return out

    def settle_market(
        self,
        ticker: str,
        result: MarketResult,
        now: float,
        *,
        value: Decimal | None = None,
    ) -> list[Result]:
        """Determine ``ticker``: close it if open, pay every net position, mark it settled."""
        value = settlement_value_of(result, value)
        market = self._market_moving(ticker, "settle", MarketStatus.CLOSED, MarketStatus.SETTLED)
        out = self._begin(now)
        if market.status is not MarketStatus.CLOSED:
            self._close(market, now, out)
        market.result = result
        market.settlement_value = value
        self._set_status(market, MarketStatus.SETTLED, now, out)
        date = clearing_date(now)
        settled = settle_positions(
            self.ledger, ticker=ticker, result=result, value=value, now=now, clearing_date=date
        )
        out.append(
            MarketSettled(
                transact_time=now,
                ticker=ticker,
                result=result,
                settlement_value=value,
                clearing_date=date,
                positions=len(settled),
            )
        )
        out.extend(settled)
        return out

    def pause_exchange(self, now: float) -> list[Result]:
        """An exchange pause: nothing is accepted, not even cancels (SPEC §2.4)."""
        if self.state.exchange_paused:
            raise ValueError("pause_exchange: the exchange is already paused")
        out = self._begin(now)
        self.state.exchange_paused = True
        out.append(ExchangeStatusChanged(transact_time=now, paused=True))
        for order in list(self.state.live_orders()):
            if order.cancel_on_pause:
                self._cancel(order, now, out, reason=Reason.EXCHANGE_PAUSED)
        return out

    def resume_exchange(self, now: float) -> list[Result]:
        if not self.state.exchange_paused:
            raise ValueError("resume_exchange: the exchange is not paused")
        out = self._begin(now)
        self.state.exchange_paused = False
        out.append(ExchangeStatusChanged(transact_time=now, paused=False))
        return out

    # ------------------------------------------------------------------ order groups

    def create_group(
        self, *, account: str, limit: int, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Create an order group; the exchange picks its ID (SPEC §11.2)."""
        out = self._begin(now)
        action = GroupAction.CREATE
        reason: Reason | None = None
        if self.state.exchange_paused:
            reason = Reason.EXCHANGE_PAUSED
        elif self.ledger.get(account, sub_account) is None:
            reason = Reason.CUSTOMER_ACCOUNT_NOT_FOUND
        elif not 1 <= limit <= MAX_GROUP_LIMIT:
            reason = Reason.INVALID_ORDER
        if reason is not None:
            out.append(
                OrderGroupRejected(
                    transact_time=now,
                    action=action,
                    group_id=None,
                    account=account,
                    sub_account=sub_account,
                    reason=reason,
                )
            )
            return out
        group = OrderGroup(
            group_id=self.ids.group_id(), account=account, sub_account=sub_account, limit=limit
        )
        self.state.groups[group.group_id] = group
        out.append(self._group_changed(group, action, now))
        return out

    def reset_group(
        self, *, account: str, group_id: str, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Clear a group's triggered state and its rolling window."""
        out = self._begin(now)
        group = self._group_for(
            action=GroupAction.RESET,
            account=account,
            sub_account=sub_account,
            group_id=group_id,
            now=now,
            out=out,
        )
        if group is not None:
            group.reset()
            out.append(self._group_changed(group, GroupAction.RESET, now))
        return out

    def trigger_group(
        self, *, account: str, group_id: str, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Trigger a group by hand: cancel its orders and refuse new ones until reset."""
        out = self._begin(now)
        group = self._group_for(
            action=GroupAction.TRIGGER,
            account=account,
            sub_account=sub_account,
            group_id=group_id,
            now=now,
            out=out,
        )
        if group is not None:
            group.state = GroupState.TRIGGERED
            out.append(self._group_changed(group, GroupAction.TRIGGER, now))
            self._cancel_group_orders(group, now, out)
        return out

    def delete_group(
        self, *, account: str, group_id: str, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Delete a group; its resting orders are cancelled."""
        out = self._begin(now)
        group = self._group_for(
            action=GroupAction.DELETE,
            account=account,
            sub_account=sub_account,
            group_id=group_id,
            now=now,
            out=out,
        )
        if group is not None:
            del self.state.groups[group_id]
            out.append(self._group_changed(group, GroupAction.DELETE, now))
            self._cancel_group_orders(group, now, out)
        return out

    def update_group_limit(
        self, *, account: str, group_id: str, limit: int, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Change a group's limit; below the current rolling total it triggers."""
        out = self._begin(now)
        if not 1 <= limit <= MAX_GROUP_LIMIT:
            out.append(
                OrderGroupRejected(
                    transact_time=now,
                    action=GroupAction.UPDATE,
                    group_id=group_id,
                    account=account,
                    sub_account=sub_account,
                    reason=Reason.INVALID_ORDER,
                )
            )
            return out
        group = self._group_for(
            action=GroupAction.UPDATE,
            account=account,
            sub_account=sub_account,
            group_id=group_id,
            now=now,
            out=out,
        )
        if group is not None:
            triggered = group.update_limit(limit, now)
            out.append(self._group_changed(group, GroupAction.UPDATE, now))
            if triggered:
                out.append(self._group_changed(group, GroupAction.TRIGGER, now, requested=False))
                self._cancel_group_orders(group, now, out)
        return out

    # ------------------------------------------------------------------ internals: checks

    def _begin(self, now: float) -> list[Result]:
        """Start a matching cycle and expire what is due."""
        self.state.exec_ids.start_cycle()
        out: list[Result] = []
        while self._expiries and self._expiries[0][0] <= now:
            expire_time, _, order_id = heapq.heappop(self._expiries)
            order = self.state.orders[order_id]
            if order.live and order.expire_time == expire_time:
                self._cancel(order, now, out, reason=None, expired=True)
        return out

    def _new_order_problem(self, request: NewOrder, now: float) -> Reason | None:
        if self.state.exchange_paused:
            return Reason.EXCHANGE_PAUSED
        market = self.state.markets.get(request.ticker)
        if market is None:
            return Reason.MARKET_NOT_FOUND
        if market.status is not MarketStatus.OPEN:
            return _CLOSED_REASONS[market.status]
        if self.ledger.get(request.account, request.sub_account) is None:
            return Reason.CUSTOMER_ACCOUNT_NOT_FOUND
        existing = self._lookup(request.account, request.cl_ord_id)
        if existing is not None and existing.live:
            return Reason.ORDER_ALREADY_EXISTS
        if not _whole_positive(request.quantity) or not market.valid_price(request.price):
            return Reason.INVALID_ORDER
        if request.time_in_force is TimeInForce.GTD and request.expire_time is None:
            return Reason.INVALID_ORDER
        if request.post_only and request.time_in_force in (TimeInForce.IOC, TimeInForce.FOK):
            return Reason.INVALID_ORDER
        if request.max_execution_cost is not None and request.max_execution_cost <= 0:
            return Reason.INVALID_ORDER
        if request.group_id is not None:
            group = self.state.groups.get(request.group_id)
            if (
                group is None
                or group.account != request.account
                or group.sub_account != request.sub_account
            ):
                return Reason.ORDER_GROUP_NOT_FOUND
            if group.state is GroupState.TRIGGERED:
                return Reason.EXCEEDED_ORDER_GROUP_RISK_LIMIT
        probe = Order(
            order_id="",
            account=request.account,
            sub_account=request.sub_account,
            session_tag=None,
            cl_ord_id=request.cl_ord_id,
            orig_cl_ord_id=None,
            ticker=request.ticker,
            side=request.side,
            price=request.price,
            order_qty=request.quantity,
            time_in_force=request.time_in_force,
            expire_time=None,
            post_only=request.post_only,
            stp=request.stp,
            group_id=None,
            cancel_on_pause=False,
            report_expiry=False,
            created_at=now,
            priority=self.state.next_priority,
        )
        if not self._affordable(request.account, request.sub_account, probe):
            return Reason.INSUFFICIENT_BALANCE
        return None

    def _replace_problem(self, request: ReplaceOrder, found: Order | Reason) -> Reason | None:
        if self.state.exchange_paused:
            return Reason.EXCHANGE_PAUSED
        if isinstance(found, Reason):
            return found
        order = found
        if request.cl_ord_id in self.state.cl_ord_ids.get(request.account, {}):
            return Reason.ORDER_ALREADY_EXISTS
        market = self.state.markets[order.ticker]
        if market.status is not MarketStatus.OPEN:
            return _CLOSED_REASONS[market.status]
        if not _whole_positive(request.quantity) or request.quantity < order.cum_qty:
            return Reason.INVALID_AMEND_QTY_FOR_ORDER
        if request.quantity == order.cum_qty:
            return None
        price = order.price if request.price is None else request.price
        if not market.valid_price(price):
            return Reason.INVALID_ORDER
        if price != order.price:
            for other in self.state.live_orders(order.account):
                if (
                    other.ticker == order.ticker
                    and other.side is order.side.opposite
                    and crosses(order.side, price, other.price)
                ):
                    return Reason.SELF_CROSS_ATTEMPT
            if order.post_only and would_cross(self._books[order.ticker], order.side, price):
                return Reason.POST_ONLY_CROSS
        old_price, old_qty = order.price, order.order_qty
        order.price, order.order_qty = price, request.quantity
        try:
            affordable = self._affordable(order.account, order.sub_account, None)
        finally:
            order.price, order.order_qty = old_price, old_qty
        return None if affordable else Reason.INSUFFICIENT_BALANCE

    def _affordable(self, account: str, sub_account: int, extra: Order | None) -> bool:
        sub = self.ledger.require(account, sub_account)
        orders = [o for o in self.state.live_orders(account) if o.sub_account == sub_account]
        if extra is not None:
            orders.append(extra)
        return reserved_amount(orders, sub.positions, self._max_fee) <= sub.balance

    def _max_fee(self, order: Order) -> Decimal:
        market = self.state.markets[order.ticker]
        return self.fees.fee(market, order.leaves_qty, order.price, maker=False)

    def _lookup(self, account: str, cl_ord_id: str) -> Order | None:
        order_id = self.state.cl_ord_ids.get(account, {}).get(cl_ord_id)
        return None if order_id is None else self.state.orders[order_id]

    def _find_for_amend(
        self,
        account: str,
        orig_cl_ord_id: str,
        *,
        ticker: str,
        side: Side,
        sub_account: int,
        order_id: str | None,
    ) -> Order | Reason:
        order = self._lookup(account, orig_cl_ord_id)
        if order is None or order.cl_ord_id != orig_cl_ord_id:
            # Unknown, or no longer the order's current ClOrdID (SPEC §9.3 tag 41).
            return Reason.UNKNOWN_ORDER
        if (
            order.ticker != ticker
            or order.side is not side
            or order.sub_account != sub_account
            or (order_id is not None and order_id != order.order_id)
        ):
            return Reason.UNKNOWN_ORDER
        if order.status is OrdStatus.FILLED:
            return Reason.CANNOT_UPDATE_FILLED_ORDER
        if not order.live:
            return Reason.UNKNOWN_ORDER
        return order

    def _market_moving(self, ticker: str, verb: str, *path: MarketStatus) -> Market:
        """The market, if it may go through ``path`` (MARKET_TRANSITIONS); else raise."""
        market = self.state.markets.get(ticker)
        if market is None:
            raise KeyError(f"{verb}: no market {ticker!r}")
        status = market.status
        for step in path:
            if step is status and step is not path[-1]:
                continue  # already there (settling a market that is closed)
            if step not in MARKET_TRANSITIONS[status]:
                raise ValueError(
                    f"{verb}: market {ticker} is {market.status.value} and cannot become "
                    f"{path[-1].value}"
                )
            status = step
        return market

    # ------------------------------------------------------------------ internals: actions

    def _register(self, request: NewOrder, now: float) -> Order:
        if request.time_in_force is TimeInForce.DAY:
            expire_time: float | None = day_end(now)
        elif request.time_in_force is TimeInForce.GTD:
            expire_time = request.expire_time
        else:
            expire_time = None
        order = Order(
            order_id=self.ids.order_id(),
            account=request.account,
            sub_account=request.sub_account,
            session_tag=request.session_tag,
            cl_ord_id=request.cl_ord_id,
            orig_cl_ord_id=None,
            ticker=request.ticker,
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
            priority=self._next_priority(),
        )
        self.state.orders[order.order_id] = order
        self.state.cl_ord_ids.setdefault(order.account, {})[order.cl_ord_id] = order.order_id
        self.state.live.setdefault(order.account, {})[order.order_id] = order
        return order

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
            fill = OrderFilled(
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

    def _group_for(
        self,
        *,
        action: GroupAction,
        account: str,
        sub_account: int,
        group_id: str,
        now: float,
        out: list[Result],
    ) -> OrderGroup | None:
        group = self.state.groups.get(group_id)
        reason: Reason | None = None
        if self.state.exchange_paused:
            reason = Reason.EXCHANGE_PAUSED
        elif group is None or group.account != account or group.sub_account != sub_account:
            reason = Reason.ORDER_GROUP_NOT_FOUND
        if reason is not None:
            out.append(
                OrderGroupRejected(
                    transact_time=now,
                    action=action,
                    group_id=group_id,
                    account=account,
                    sub_account=sub_account,
                    reason=reason,
                )
            )
            return None
        return group

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

    # ------------------------------------------------------------------ internals: refusals

    def _reject(self, request: NewOrder, reason: Reason, now: float) -> OrderRejected:
        return OrderRejected(
            transact_time=now,
            request=request,
            reason=reason,
            ord_rej_reason=ord_rej_reason(reason, self.rules),
        )

    def _cancel_reject(
        self,
        *,
        kind: CancelRequestKind,
        account: str,
        sub_account: int,
        cl_ord_id: str,
        orig_cl_ord_id: str,
        order: Order | None,
        reason: Reason,
        now: float,
    ) -> CancelRejected:
        channel = (
            RejectChannel.CANCEL_REJECT
            if reason in _ALWAYS_CANCEL_REJECT
            else self.rules.amend_failure_channel
        )
        return CancelRejected(
            transact_time=now,
            response_to=kind,
            account=account,
            sub_account=sub_account,
            cl_ord_id=cl_ord_id,
            orig_cl_ord_id=orig_cl_ord_id,
            order=None if order is None else order.view(),
            status=OrdStatus.REJECTED if order is None else order.status,
            reason=reason,
            cxl_rej_reason=cxl_rej_reason(reason),
            ord_rej_reason=ord_rej_reason(reason, self.rules),
            channel=channel,
        )
