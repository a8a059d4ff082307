"""Price-time priority, partial fills, walking levels, trade price, results for both sides."""

from __future__ import annotations

from workstation.simulator.exchange import (
    OrderAccepted,
    OrderFilled,
    OrdStatus,
    Side,
)

from .helpers import NOW, D, exchange, of_type, only, order


def test_resting_order_is_accepted_and_shown_in_depth() -> None:
    x = exchange()
    out = x.submit(order("alice", Side.BUY, "0.40", 10), NOW)
    accepted = only(out, OrderAccepted)
    assert accepted.traded_at_once is False
    assert accepted.order.status is OrdStatus.NEW
    assert accepted.order.leaves_qty == 10
    assert [(lv.price, lv.quantity) for lv in x.depth("KXTEST-26NOV24-A", Side.BUY)] == [
        (D("0.40"), D(10))
    ]


def test_price_then_time_priority() -> None:
    x = exchange()
    first = only(x.submit(order("alice", Side.SELL, "0.45", 5), NOW), OrderAccepted)
    better = only(x.submit(order("bob", Side.SELL, "0.44", 5), NOW + 1), OrderAccepted)
    second = only(x.submit(order("alice", Side.SELL, "0.45", 5), NOW + 2), OrderAccepted)
    out = x.submit(order("carol", Side.BUY, "0.45", 12), NOW + 3)
    makers = [f for f in of_type(out, OrderFilled) if not f.aggressor]
    assert [(m.order.order_id, m.last_qty, m.last_px) for m in makers] == [
        (better.order.order_id, 5, D("0.44")),
        (first.order.order_id, 5, D("0.45")),
        (second.order.order_id, 2, D("0.45")),
    ]
    assert makers[-1].order.status is OrdStatus.PARTIALLY_FILLED
    assert makers[-1].order.leaves_qty == 3


def test_taker_walks_levels_at_resting_prices_and_rests_the_rest() -> None:
    x = exchange()
    x.submit(order("alice", Side.BUY, "0.50", 3), NOW)
    x.submit(order("alice", Side.BUY, "0.48", 3), NOW)
    x.submit(order("alice", Side.BUY, "0.45", 3), NOW)
    out = x.submit(order("bob", Side.SELL, "0.47", 10), NOW)
    taker = [f for f in of_type(out, OrderFilled) if f.aggressor]
    assert [(f.last_px, f.last_qty) for f in taker] == [(D("0.50"), 3), (D("0.48"), 3)]
    assert taker[-1].order.cum_qty == 6
    assert taker[-1].order.avg_px == D("0.49")
    assert taker[-1].order.status is OrdStatus.PARTIALLY_FILLED
    assert only(out, OrderAccepted).traded_at_once is True
    # The remaining 4 rest as an ask at the limit; the 0.45 bid was never reached.
    assert [(lv.price, lv.quantity) for lv in x.depth("KXTEST-26NOV24-A", Side.SELL)] == [
        (D("0.47"), D(4))
    ]
    assert x.best_price("KXTEST-26NOV24-A", Side.BUY) == D("0.45")


def test_both_sides_get_a_fill_with_one_trade_id_and_increasing_exec_ids() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.60", 5), NOW)
    out = x.submit(order("bob", Side.BUY, "0.60", 5), NOW)
    fills = of_type(out, OrderFilled)
    assert {f.order.account for f in fills} == {"alice", "bob"}
    assert fills[0].trade_id == fills[1].trade_id
    assert [f.aggressor for f in fills] == [True, False]
    ids = [r.exec_id for r in out if hasattr(r, "exec_id")]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(f.order.status is OrdStatus.FILLED for f in fills)
    assert str(fills[0].exec_id).count(";") == 1


def test_exec_ids_rise_across_calls() -> None:
    x = exchange()
    a = only(x.submit(order("alice", Side.BUY, "0.10", 1), NOW), OrderAccepted)
    b = only(x.submit(order("alice", Side.BUY, "0.11", 1), NOW), OrderAccepted)
    assert a.exec_id < b.exec_id
    assert b.exec_id.clock > a.exec_id.clock


def test_non_crossing_orders_do_not_trade() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.61", 5), NOW)
    out = x.submit(order("bob", Side.BUY, "0.60", 5), NOW)
    assert of_type(out, OrderFilled) == []
    assert x.best_price("KXTEST-26NOV24-A", Side.BUY) == D("0.60")
    assert x.best_price("KXTEST-26NOV24-A", Side.SELL) == D("0.61")
