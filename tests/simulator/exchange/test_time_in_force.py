"""Day (Eastern end of day, across UTC midnight), GTC, IOC, FOK, GTD, and the clock helpers."""

from __future__ import annotations

from datetime import UTC, datetime

from workstation.simulator.exchange import (
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrdStatus,
    Reason,
    Side,
    TimeInForce,
)
from workstation.simulator.exchange.clock import clearing_date, day_end

from .helpers import NOW, D, exchange, of_type, only, order


def _utc(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> float:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp()


def test_day_end_is_eastern_midnight_on_the_next_utc_date() -> None:
    # 2026-11-24 22:00 EST is 2026-11-25 03:00 UTC; the day still ends 04:59:59.999 UTC.
    assert day_end(_utc(2026, 11, 25, 3, 0)) == _utc(2026, 11, 25, 4, 59, 59) + 0.999
    # In summer (EDT) the end is 03:59:59.999 UTC.
    assert day_end(_utc(2026, 7, 1, 15, 0)) == _utc(2026, 7, 2, 3, 59, 59) + 0.999
    # Just after Eastern midnight belongs to the new Eastern day.
    assert day_end(_utc(2026, 11, 25, 5, 0)) == _utc(2026, 11, 26, 4, 59, 59) + 0.999
    assert clearing_date(_utc(2026, 11, 25, 3, 0)) == "20261124"
    assert clearing_date(_utc(2026, 11, 25, 5, 0)) == "20261125"


def test_day_end_across_daylight_saving_change() -> None:
    # 2026-11-01 is the day clocks fall back: the day ends at 04:59:59.999 UTC on the 2nd.
    assert day_end(_utc(2026, 11, 1, 12, 0)) == _utc(2026, 11, 2, 4, 59, 59) + 0.999


def test_default_time_in_force_is_gtc_and_never_expires() -> None:
    x = exchange()
    accepted = only(x.submit(order("alice", Side.BUY, "0.30", 1), NOW), OrderAccepted)
    assert accepted.order.time_in_force is TimeInForce.GTC
    assert accepted.order.expire_time is None
    assert x.advance(NOW + 400 * 86400) == []


def test_day_order_expires_at_eastern_end_of_day_as_cancel_or_expired() -> None:
    x = exchange()
    plain = only(
        x.submit(order("alice", Side.BUY, "0.30", 1, time_in_force=TimeInForce.DAY), NOW),
        OrderAccepted,
    )
    asked = only(
        x.submit(
            order("alice", Side.BUY, "0.31", 1, time_in_force=TimeInForce.DAY, report_expiry=True),
            NOW,
        ),
        OrderAccepted,
    )
    end = day_end(NOW)
    assert plain.order.expire_time == end
    assert x.advance(end - 0.001) == []
    out = of_type(x.advance(end), OrderCancelled)
    assert [(c.order.order_id, c.order.status, c.expired) for c in out] == [
        (plain.order.order_id, OrdStatus.CANCELED, True),
        (asked.order.order_id, OrdStatus.EXPIRED, True),
    ]
    assert x.depth("KXTEST-26NOV24-A", Side.BUY) == []


def test_expired_orders_never_trade_even_without_advance() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 5, time_in_force=TimeInForce.DAY), NOW)
    out = x.submit(order("bob", Side.BUY, "0.50", 5), day_end(NOW) + 10)
    assert only(out, OrderCancelled).expired is True
    assert of_type(out, OrderFilled) == []


def test_gtd_expires_at_expire_time_and_past_gtd_acts_as_ioc() -> None:
    x = exchange()
    gtd = order("alice", Side.SELL, "0.50", 5, time_in_force=TimeInForce.GTD, expire_time=NOW + 60)
    accepted = only(x.submit(gtd, NOW), OrderAccepted)
    assert accepted.order.expire_time == NOW + 60
    assert only(x.advance(NOW + 60), OrderCancelled).order.order_id == accepted.order.order_id

    x.submit(order("bob", Side.SELL, "0.50", 2), NOW + 61)
    past = order("carol", Side.BUY, "0.50", 5, time_in_force=TimeInForce.GTD, expire_time=NOW)
    out = x.submit(past, NOW + 61)
    assert only([f for f in of_type(out, OrderFilled) if f.aggressor], OrderFilled).last_qty == 2
    cancelled = only(out, OrderCancelled)
    assert cancelled.reason is Reason.IMMEDIATE_OR_CANCELLED
    assert cancelled.order.cum_qty == 2 and cancelled.order.leaves_qty == 0
    assert x.depth("KXTEST-26NOV24-A", Side.BUY) == []


def test_ioc_fills_what_it_can_and_cancels_the_rest() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 3), NOW)
    out = x.submit(order("bob", Side.BUY, "0.55", 10, time_in_force=TimeInForce.IOC), NOW)
    assert only(out, OrderAccepted).traded_at_once is True
    cancelled = only(out, OrderCancelled)
    assert cancelled.reason is Reason.IMMEDIATE_OR_CANCELLED
    assert cancelled.order.cum_qty == 3
    assert x.depth("KXTEST-26NOV24-A", Side.BUY) == []


def test_ioc_with_nothing_to_hit_is_only_cancelled() -> None:
    x = exchange()
    out = x.submit(order("bob", Side.BUY, "0.55", 10, time_in_force=TimeInForce.IOC), NOW)
    assert of_type(out, OrderAccepted) == []
    assert only(out, OrderCancelled).reason is Reason.IMMEDIATE_OR_CANCELLED


def test_fok_all_or_nothing() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 3), NOW)
    x.submit(order("alice", Side.SELL, "0.52", 3), NOW)
    short = x.submit(order("bob", Side.BUY, "0.52", 7, time_in_force=TimeInForce.FOK), NOW)
    assert only(short, OrderCancelled).reason is Reason.FOK_INSUFFICIENT_VOLUME
    assert of_type(short, OrderFilled) == []
    assert x.depth("KXTEST-26NOV24-A", Side.SELL)[0].quantity == 3  # untouched
    full = x.submit(order("bob", Side.BUY, "0.52", 6, time_in_force=TimeInForce.FOK), NOW)
    taker = [f for f in of_type(full, OrderFilled) if f.aggressor]
    assert sum(f.last_qty for f in taker) == 6
    assert taker[-1].order.status is OrdStatus.FILLED
    assert of_type(full, OrderCancelled) == []


def test_fok_does_not_count_own_orders_it_would_not_trade_with() -> None:
    x = exchange()
    x.submit(order("bob", Side.SELL, "0.50", 5), NOW)
    x.submit(order("alice", Side.SELL, "0.51", 5), NOW)
    out = x.submit(order("bob", Side.BUY, "0.51", 6, time_in_force=TimeInForce.FOK), NOW)
    assert only(out, OrderCancelled).reason is Reason.FOK_INSUFFICIENT_VOLUME
    assert D(10) == sum(lv.quantity for lv in x.depth("KXTEST-26NOV24-A", Side.SELL))
