"""Post-only (a cancel on `current`, a reject on 1.0.13) and self-trade prevention."""

from __future__ import annotations

from workstation.fix.dialect import Dialect, RejectChannel
from workstation.simulator.exchange import (
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderRejected,
    OrdStatus,
    Reason,
    SelfTradePrevention,
    Side,
)

from .helpers import NOW, D, T, exchange, of_type, only, order


def test_post_only_that_rests_is_accepted() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 5), NOW)
    out = x.submit(order("bob", Side.BUY, "0.49", 5, post_only=True), NOW)
    assert only(out, OrderAccepted).order.post_only is True


def test_post_only_cross_is_a_cancel_on_current() -> None:
    x = exchange(Dialect.CURRENT)
    x.submit(order("alice", Side.SELL, "0.50", 5), NOW)
    out = x.submit(order("bob", Side.BUY, "0.50", 5, post_only=True), NOW)
    cancelled = only(out, OrderCancelled)
    assert cancelled.reason is Reason.POST_ONLY_CROSS
    assert cancelled.order.status is OrdStatus.CANCELED
    assert of_type(out, OrderFilled) == [] and of_type(out, OrderAccepted) == []
    assert x.depth(T, Side.SELL)[0].quantity == 5


def test_post_only_cross_is_a_reject_99_on_1_0_13() -> None:
    x = exchange(Dialect.V1_0_13)
    x.submit(order("alice", Side.SELL, "0.50", 5), NOW)
    out = x.submit(order("bob", Side.BUY, "0.55", 5, post_only=True), NOW)
    rejected = only(out, OrderRejected)
    assert rejected.reason is Reason.POST_ONLY_CROSS
    assert rejected.ord_rej_reason == 99
    assert rejected.channel is RejectChannel.EXECUTION_REPORT
    assert x.snapshot("bob").orders == []


def test_stp_taker_at_cross_cancels_the_incoming_order_and_keeps_fills() -> None:
    x = exchange()
    x.submit(order("bob", Side.SELL, "0.50", 2), NOW)
    own = only(x.submit(order("alice", Side.SELL, "0.51", 5), NOW), OrderAccepted)
    x.submit(order("bob", Side.SELL, "0.52", 5), NOW)
    out = x.submit(order("alice", Side.BUY, "0.52", 10), NOW)
    fills = [f for f in of_type(out, OrderFilled) if f.aggressor]
    assert [(f.last_px, f.last_qty) for f in fills] == [(D("0.50"), 2)]
    cancelled = only(out, OrderCancelled)
    assert cancelled.reason is Reason.TAKER_CANCEL_FOR_SELF_TRADE_PREVENTION
    assert cancelled.order.account == "alice" and cancelled.order.cum_qty == 2
    # The resting own order is untouched, and so is the rest of the book.
    assert x.order(own.order.order_id).leaves_qty == 5  # type: ignore[union-attr]
    assert [lv.price for lv in x.depth(T, Side.SELL)] == [D("0.51"), D("0.52")]


def test_stp_maker_cancels_the_resting_own_order_and_keeps_matching() -> None:
    x = exchange()
    own = only(x.submit(order("alice", Side.SELL, "0.50", 5), NOW), OrderAccepted)
    x.submit(order("bob", Side.SELL, "0.51", 5), NOW)
    out = x.submit(order("alice", Side.BUY, "0.51", 4, stp=SelfTradePrevention.MAKER), NOW)
    cancelled = only(out, OrderCancelled)
    assert cancelled.order.order_id == own.order.order_id
    assert cancelled.reason is Reason.MAKER_CANCEL_FOR_SELF_TRADE_PREVENTION
    taker = [f for f in of_type(out, OrderFilled) if f.aggressor]
    assert [(f.last_px, f.last_qty) for f in taker] == [(D("0.51"), 4)]
    assert out.index(cancelled) < out.index(taker[0])


def test_self_trade_means_same_account_even_across_sub_accounts() -> None:
    x = exchange()
    x.fund("alice", D("50.00"), sub_account=3)
    x.submit(order("alice", Side.SELL, "0.50", 5, sub_account=3), NOW)
    out = x.submit(order("alice", Side.BUY, "0.50", 5), NOW)
    assert only(out, OrderCancelled).reason is Reason.TAKER_CANCEL_FOR_SELF_TRADE_PREVENTION
    assert of_type(out, OrderFilled) == []
