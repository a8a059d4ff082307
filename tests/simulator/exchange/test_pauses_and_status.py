"""MaxExecutionCost, CancelOrderOnPause, trading and exchange pauses, closed/settled markets."""

from __future__ import annotations

import pytest

from workstation.simulator.exchange import (
    CancelRejected,
    ExchangeStatusChanged,
    MarketResult,
    MarketStatus,
    MarketStatusChanged,
    MassCancelRejected,
    OrderCancelled,
    OrderFilled,
    OrderRejected,
    OrdStatus,
    Reason,
    ReplaceOrder,
    Side,
    TimeInForce,
)

from .helpers import NOW, T2, D, T, exchange, of_type, only, order


def test_max_execution_cost_cancels_when_the_whole_order_costs_too_much() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.40", 5), NOW)
    x.submit(order("alice", Side.SELL, "0.45", 5), NOW)
    # 8 contracts cost 5 × 0.40 + 3 × 0.45 = 3.35.
    dear = x.submit(order("bob", Side.BUY, "0.50", 8, max_execution_cost=D("3.34")), NOW)
    assert only(dear, OrderCancelled).reason is Reason.FOK_INSUFFICIENT_VOLUME
    assert of_type(dear, OrderFilled) == []
    ok = x.submit(order("bob", Side.BUY, "0.50", 8, max_execution_cost=D("3.35")), NOW)
    taker = [f for f in of_type(ok, OrderFilled) if f.aggressor]
    assert sum(f.last_qty for f in taker) == 8
    assert of_type(ok, OrderCancelled) == []


def test_max_execution_cost_for_a_sell_counts_the_no_price() -> None:
    x = exchange()
    x.submit(order("alice", Side.BUY, "0.70", 10), NOW)
    # Selling YES at 0.70 = buying NO at 0.30: 10 cost 3.00.
    out = x.submit(order("bob", Side.SELL, "0.70", 10, max_execution_cost=D("3.00")), NOW)
    assert sum(f.last_qty for f in of_type(out, OrderFilled) if f.aggressor) == 10


def test_trading_pause_cancels_cancel_on_pause_orders_and_refuses_new_and_amends() -> None:
    x = exchange()
    keep = x.submit(order("alice", Side.BUY, "0.30", 5, cl_ord_id="keep"), NOW)[0]
    x.submit(order("alice", Side.BUY, "0.31", 5, cancel_on_pause=True), NOW)
    x.submit(order("alice", Side.BUY, "0.32", 5, ticker=T2, cancel_on_pause=True), NOW)
    out = x.pause_market(T, NOW + 1)
    assert only(out, MarketStatusChanged).status is MarketStatus.PAUSED
    cancelled = only(out, OrderCancelled)
    assert cancelled.order.price == D("0.31")
    assert cancelled.reason is Reason.TRADING_PAUSED

    refused = only(x.submit(order("bob", Side.SELL, "0.30", 1), NOW + 2), OrderRejected)
    assert (refused.reason, refused.ord_rej_reason) == (Reason.TRADING_PAUSED, 2)
    amend = ReplaceOrder(
        account="alice",
        cl_ord_id="keep2",
        orig_cl_ord_id="keep",
        ticker=T,
        side=Side.BUY,
        quantity=D(3),
    )
    assert only(x.replace(amend, NOW + 2), CancelRejected).reason is Reason.TRADING_PAUSED
    # Cancels are allowed during a trading pause.
    done = x.cancel(
        account="alice",
        cl_ord_id="c1",
        orig_cl_ord_id="keep",
        ticker=T,
        side=Side.BUY,
        now=NOW + 3,
    )
    assert only(done, OrderCancelled).order.order_id == keep.order.order_id  # type: ignore[union-attr]
    # Resume: orders are accepted again.
    x.resume_market(T, NOW + 4)
    assert of_type(x.submit(order("bob", Side.SELL, "0.40", 1), NOW + 5), OrderRejected) == []


def test_exchange_pause_refuses_even_cancels() -> None:
    x = exchange()
    x.submit(order("alice", Side.BUY, "0.30", 5, cl_ord_id="o1"), NOW)
    x.submit(order("alice", Side.BUY, "0.29", 5, cancel_on_pause=True), NOW)
    out = x.pause_exchange(NOW + 1)
    assert only(out, ExchangeStatusChanged).paused is True
    assert only(out, OrderCancelled).reason is Reason.EXCHANGE_PAUSED
    refused = only(x.submit(order("bob", Side.SELL, "0.30", 1), NOW + 2), OrderRejected)
    assert (refused.reason, refused.ord_rej_reason) == (Reason.EXCHANGE_PAUSED, 2)
    cancel = x.cancel(
        account="alice",
        cl_ord_id="c1",
        orig_cl_ord_id="o1",
        ticker=T,
        side=Side.BUY,
        now=NOW + 2,
    )
    assert only(cancel, CancelRejected).reason is Reason.EXCHANGE_PAUSED
    assert only(x.mass_cancel(account="alice", now=NOW + 2), MassCancelRejected)
    assert x.cancel_orders_of("any", NOW + 2) == []
    assert len(x.snapshot("alice").open_orders) == 1
    x.resume_exchange(NOW + 3)
    assert of_type(x.submit(order("bob", Side.SELL, "0.40", 1), NOW + 4), OrderRejected) == []


def test_close_cancels_resting_orders_as_expiries_and_refuses_orders() -> None:
    x = exchange()
    x.submit(order("alice", Side.BUY, "0.30", 5), NOW)
    x.submit(order("bob", Side.BUY, "0.31", 5, report_expiry=True), NOW)
    out = x.close_market(T, NOW + 1)
    cancels = of_type(out, OrderCancelled)
    assert [c.order.status for c in cancels] == [OrdStatus.CANCELED, OrdStatus.EXPIRED]
    assert all(c.expired for c in cancels)
    refused = only(x.submit(order("bob", Side.BUY, "0.30", 1), NOW + 2), OrderRejected)
    assert (refused.reason, refused.ord_rej_reason) == (Reason.MARKET_ALREADY_CLOSED, 2)


def test_settled_and_unknown_markets_refuse_orders() -> None:
    x = exchange()
    x.settle_market(T, MarketResult.NO, NOW)
    refused = only(x.submit(order("bob", Side.BUY, "0.30", 1), NOW), OrderRejected)
    assert (refused.reason, refused.ord_rej_reason) == (Reason.MARKET_INACTIVE, 2)
    missing = only(
        x.submit(order("bob", Side.BUY, "0.30", 1, ticker="KXNOPE-1"), NOW), OrderRejected
    )
    assert (missing.reason, missing.ord_rej_reason) == (Reason.MARKET_NOT_FOUND, 1)


def test_illegal_admin_transitions_name_the_call_and_the_state() -> None:
    x = exchange()
    x.submit(order("alice", Side.BUY, "0.30", 1, time_in_force=TimeInForce.DAY), NOW)
    later = NOW + 86400
    with pytest.raises(
        ValueError, match="resume: market KXTEST-26NOV24-A is open and cannot become open"
    ):
        x.resume_market(T, later)
    with pytest.raises(ValueError, match="not paused"):
        x.resume_exchange(later)
    # A refused call changes nothing: the expiry that was due is still reported.
    assert only(x.advance(later), OrderCancelled).expired is True
