"""Cancel and cancel/replace: the rules of SPEC §9.3/§9.4/§9.7 and queue priority."""

from __future__ import annotations

from workstation.fix.dialect import Dialect, RejectChannel
from workstation.simulator.exchange import (
    CancelRejected,
    CancelRequestKind,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderRejected,
    OrderReplaced,
    OrdStatus,
    Reason,
    ReplaceOrder,
    Side,
)
from workstation.simulator.exchange.engine import Exchange

from .helpers import NOW, T2, D, T, exchange, of_type, only, order


def _replace(x: Exchange, orig: str, new: str, qty: int, price: str | None = None, **kw: object):
    request = ReplaceOrder(
        account=str(kw.pop("account", "alice")),
        cl_ord_id=new,
        orig_cl_ord_id=orig,
        ticker=str(kw.pop("ticker", T)),
        side=kw.pop("side", Side.SELL),  # type: ignore[arg-type]
        quantity=D(qty),
        price=None if price is None else D(price),
    )
    return x.replace(request, NOW + 1)


def _cancel(x: Exchange, orig: str, new: str, *, side: Side = Side.SELL, ticker: str = T):
    return x.cancel(
        account="alice", cl_ord_id=new, orig_cl_ord_id=orig, ticker=ticker, side=side, now=NOW + 1
    )


def test_cancel_reports_the_new_and_previous_client_ids() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 5, cl_ord_id="o1"), NOW)
    cancelled = only(_cancel(x, "o1", "c1"), OrderCancelled)
    assert (cancelled.order.cl_ord_id, cancelled.order.orig_cl_ord_id) == ("c1", "o1")
    assert cancelled.requested is True and cancelled.reason is None
    assert cancelled.order.status is OrdStatus.CANCELED and cancelled.order.leaves_qty == 0
    assert x.depth(T, Side.SELL) == []


def test_cancel_of_unknown_or_mismatched_order_is_unknown_order() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 5, cl_ord_id="o1"), NOW)
    for out in (
        _cancel(x, "nope", "c1"),
        _cancel(x, "o1", "c2", side=Side.BUY),
        _cancel(x, "o1", "c3", ticker=T2),
    ):
        rejected = only(out, CancelRejected)
        assert rejected.reason is Reason.UNKNOWN_ORDER
        assert rejected.cxl_rej_reason == 1
        assert rejected.channel is RejectChannel.CANCEL_REJECT
        assert rejected.response_to is CancelRequestKind.CANCEL
    assert x.depth(T, Side.SELL)[0].quantity == 5


def test_cancel_of_a_filled_order_and_duplicate_client_id() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 5, cl_ord_id="o1"), NOW)
    x.submit(order("alice", Side.SELL, "0.51", 5, cl_ord_id="o2"), NOW)
    x.submit(order("bob", Side.BUY, "0.50", 5), NOW)
    filled = only(_cancel(x, "o1", "c1"), CancelRejected)
    assert (filled.reason, filled.cxl_rej_reason) == (Reason.CANNOT_UPDATE_FILLED_ORDER, 2)
    assert filled.status is OrdStatus.FILLED
    duplicate = only(_cancel(x, "o2", "o1"), CancelRejected)
    assert duplicate.reason is Reason.ORDER_ALREADY_EXISTS


def test_replace_down_at_same_price_keeps_queue_position() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 5, cl_ord_id="o1"), NOW)
    x.submit(order("bob", Side.SELL, "0.50", 5), NOW)
    replaced = only(_replace(x, "o1", "o1b", 3), OrderReplaced)
    assert replaced.lost_priority is False
    assert (replaced.order.cl_ord_id, replaced.order.orig_cl_ord_id) == ("o1b", "o1")
    assert replaced.order.order_qty == 3 and replaced.order.leaves_qty == 3
    out = x.submit(order("carol", Side.BUY, "0.50", 1), NOW + 2)
    maker = next(f for f in of_type(out, OrderFilled) if not f.aggressor)
    assert maker.order.account == "alice"


def test_replace_up_or_to_a_new_price_loses_queue_position() -> None:
    for qty, price in ((8, None), (5, "0.49")):
        x = exchange()
        x.submit(order("alice", Side.SELL, "0.51", 5, cl_ord_id="o1"), NOW)
        x.submit(order("bob", Side.SELL, "0.51", 5), NOW)
        x.submit(order("bob", Side.SELL, "0.49", 5), NOW)
        replaced = only(_replace(x, "o1", "o1b", qty, price), OrderReplaced)
        assert replaced.lost_priority is True
        level = replaced.order.price
        out = x.submit(order("carol", Side.BUY, str(level), 11 if level == D("0.51") else 6), NOW)
        makers = [f.order.account for f in of_type(out, OrderFilled) if not f.aggressor]
        assert makers[-1] == "alice" and makers[-2] == "bob", (qty, price, makers)


def test_replace_to_a_crossing_price_trades_at_once() -> None:
    x = exchange()
    x.submit(order("bob", Side.BUY, "0.45", 3), NOW)
    x.submit(order("alice", Side.SELL, "0.50", 5, cl_ord_id="o1"), NOW)
    out = _replace(x, "o1", "o1b", 5, "0.44")
    assert isinstance(out[0], OrderReplaced)
    fill = next(f for f in of_type(out, OrderFilled) if f.aggressor)
    assert (fill.last_px, fill.last_qty, fill.order.cl_ord_id) == (D("0.45"), 3, "o1b")
    assert x.depth(T, Side.SELL)[0].price == D("0.44")


def test_replace_quantity_rules() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 10, cl_ord_id="o1"), NOW)
    x.submit(order("bob", Side.BUY, "0.50", 4), NOW)
    below = only(_replace(x, "o1", "r1", 3), CancelRejected)
    assert (below.reason, below.cxl_rej_reason) == (Reason.INVALID_AMEND_QTY_FOR_ORDER, 2)
    assert below.response_to is CancelRequestKind.REPLACE
    assert below.order is not None and below.order.leaves_qty == 6
    equal = only(_replace(x, "o1", "r2", 4), OrderCancelled)
    assert (equal.order.cl_ord_id, equal.order.orig_cl_ord_id) == ("r2", "o1")
    assert equal.order.status is OrdStatus.CANCELED and equal.order.cum_qty == 4


def test_replace_of_filled_order_and_mismatched_side() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 2, cl_ord_id="o1"), NOW)
    x.submit(order("alice", Side.SELL, "0.60", 2, cl_ord_id="o2"), NOW)
    x.submit(order("bob", Side.BUY, "0.50", 2), NOW)
    filled = only(_replace(x, "o1", "r1", 5), CancelRejected)
    assert filled.reason is Reason.CANNOT_UPDATE_FILLED_ORDER
    side = only(_replace(x, "o2", "r2", 5, side=Side.BUY), CancelRejected)
    assert (side.reason, side.cxl_rej_reason) == (Reason.UNKNOWN_ORDER, 1)
    # The old ClOrdID no longer names the order after a replace.
    only(_replace(x, "o2", "r3", 3), OrderReplaced)
    assert only(_replace(x, "o2", "r4", 2), CancelRejected).reason is Reason.UNKNOWN_ORDER


def test_replace_that_would_cross_own_order_is_self_cross_attempt() -> None:
    x = exchange()
    x.submit(order("alice", Side.BUY, "0.45", 5), NOW)
    x.submit(order("alice", Side.SELL, "0.50", 5, cl_ord_id="o1"), NOW)
    rejected = only(_replace(x, "o1", "r1", 5, "0.45"), CancelRejected)
    assert (rejected.reason, rejected.cxl_rej_reason) == (Reason.SELF_CROSS_ATTEMPT, 18)


def test_amend_failure_channel_follows_the_dialect() -> None:
    x = exchange(Dialect.V1_0_13)
    x.submit(order("alice", Side.SELL, "0.50", 10, cl_ord_id="o1"), NOW)
    x.submit(order("bob", Side.BUY, "0.50", 4), NOW)
    below = only(_replace(x, "o1", "r1", 3), CancelRejected)
    assert below.channel is RejectChannel.EXECUTION_REPORT
    assert below.ord_rej_reason == 99
    x.submit(order("bob", Side.BUY, "0.50", 6), NOW)
    filled = only(_replace(x, "o1", "r2", 12), CancelRejected)
    assert (filled.channel, filled.ord_rej_reason) == (RejectChannel.EXECUTION_REPORT, 4)


def test_new_order_with_the_client_id_of_a_live_order_is_refused() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 2, cl_ord_id="o1"), NOW)
    dup = only(x.submit(order("alice", Side.SELL, "0.55", 2, cl_ord_id="o1"), NOW), OrderRejected)
    assert (dup.reason, dup.ord_rej_reason) == (Reason.ORDER_ALREADY_EXISTS, 6)
    # Another account may use the same ClOrdID, and so may this one once o1 is done.
    assert only(x.submit(order("bob", Side.SELL, "0.55", 2, cl_ord_id="o1"), NOW), OrderAccepted)
    _cancel(x, "o1", "c1")
    assert only(x.submit(order("alice", Side.SELL, "0.55", 2, cl_ord_id="o1"), NOW), OrderAccepted)
