"""Order entry: new orders, cancels, cancel/replaces, mass cancel, cancel on disconnect.

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

from decimal import Decimal

from workstation.fix.dialect import RejectChannel
from workstation.simulator.exchange.book import crosses
from workstation.simulator.exchange.core import ExchangeCore
from workstation.simulator.exchange.groups import GroupState
from workstation.simulator.exchange.market import MarketStatus
from workstation.simulator.exchange.matching import preview, would_cross
from workstation.simulator.exchange.orders import NewOrder, Order, ReplaceOrder
from workstation.simulator.exchange.reasons import Reason, cxl_rej_reason, ord_rej_reason
from workstation.simulator.exchange.results import (
    CancelRejected,
    CancelRequestKind,
    MassCancelDone,
    MassCancelRejected,
    OrderAccepted,
    OrderRejected,
    OrderReplaced,
    Result,
)
from workstation.simulator.exchange.types import OrdStatus, Side, TimeInForce

__all__ = ["OrderEntry"]

_CLOSED_REASONS = {
    MarketStatus.PAUSED: Reason.TRADING_PAUSED,
    MarketStatus.CLOSED: Reason.MARKET_ALREADY_CLOSED,
    MarketStatus.SETTLED: Reason.MARKET_INACTIVE,
}
#: Cancel/replace failures that are always an OrderCancelReject, whatever the dialect.
_ALWAYS_CANCEL_REJECT = frozenset({Reason.UNKNOWN_ORDER, Reason.ORDER_ALREADY_EXISTS})


def _whole_positive(quantity: Decimal) -> bool:
    return quantity > 0 and quantity == quantity.to_integral_value()


class OrderEntry(ExchangeCore):
    """NewOrderSingle, OrderCancelRequest, OrderCancelReplaceRequest and mass cancels."""

    def submit(self, request: NewOrder, now: float) -> list[Result]:
        """A NewOrderSingle: reject, cancel at once, trade, rest — or several of these."""
        out = self._begin(now)
        reason = self._new_order_problem(request)
        if reason is not None:
            out.append(self._reject(request, reason, now))
            return out
        # Built once: asked whether it is affordable, then registered as it is.
        order = self._unregistered(request, now)
        if not self._affordable(request.account, request.sub_account, order):
            out.append(self._reject(request, Reason.INSUFFICIENT_BALANCE, now))
            return out
        market = self.state.markets[request.ticker]
        book = self._books[request.ticker]
        if request.post_only and would_cross(book, request.side, request.price):
            if not self.rules.post_only_cross_is_cancel:
                out.append(self._reject(request, Reason.POST_ONLY_CROSS, now))
                return out
            self._register(request, now, order)
            self._cancel(order, now, out, reason=Reason.POST_ONLY_CROSS)
            return out
        self._register(request, now, order)
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
        self._reserves.stale(order)
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

    def _new_order_problem(self, request: NewOrder) -> Reason | None:
        """What refuses ``request`` before its balance is asked, if anything."""
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
        self._reserves.stale(order)
        try:
            affordable = self._affordable(order.account, order.sub_account, None)
        finally:
            order.price, order.order_qty = old_price, old_qty
            self._reserves.stale(order)
        return None if affordable else Reason.INSUFFICIENT_BALANCE

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
