"""Order groups (SPEC §11): create/reset/delete/trigger/update and the 15-second window."""

from __future__ import annotations

from workstation.simulator.exchange import (
    GroupAction,
    GroupState,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderGroupChanged,
    OrderGroupRejected,
    OrderRejected,
    Reason,
    Side,
)
from workstation.simulator.exchange.engine import Exchange

from .helpers import NOW, D, exchange, of_type, only, order


def _group(x: Exchange, limit: int = 10, sub: int = 0) -> str:
    changed = only(
        x.create_group(account="alice", limit=limit, now=NOW, sub_account=sub), OrderGroupChanged
    )
    assert changed.action is GroupAction.CREATE and changed.limit == limit
    return str(changed.group_id)


def test_create_gives_a_server_id_from_the_id_source() -> None:
    x = exchange()
    first, second = _group(x), _group(x)
    assert first != second and len(first) == 36
    assert only(x.create_group(account="alice", limit=0, now=NOW), OrderGroupRejected)
    assert only(x.create_group(account="alice", limit=1_000_001, now=NOW), OrderGroupRejected)


def test_unknown_group_or_other_sub_account_is_not_found() -> None:
    x = exchange()
    x.fund("alice", D("10.00"), sub_account=1)
    gid = _group(x)
    out = x.submit(order("alice", Side.BUY, "0.50", 1, group_id="nope"), NOW)
    rejected = only(out, OrderRejected)
    assert (rejected.reason, rejected.ord_rej_reason) == (Reason.ORDER_GROUP_NOT_FOUND, 11)
    other_sub = x.submit(order("alice", Side.BUY, "0.50", 1, group_id=gid, sub_account=1), NOW)
    assert only(other_sub, OrderRejected).reason is Reason.ORDER_GROUP_NOT_FOUND
    reset = x.reset_group(account="alice", group_id=gid, now=NOW, sub_account=1)
    assert only(reset, OrderGroupRejected).reason is Reason.ORDER_GROUP_NOT_FOUND
    assert only(x.reset_group(account="bob", group_id=gid, now=NOW), OrderGroupRejected)


def test_exceeding_the_limit_triggers_cancels_and_refuses_until_reset() -> None:
    x = exchange()
    gid = _group(x, limit=10)
    rest = only(x.submit(order("alice", Side.BUY, "0.40", 5, group_id=gid), NOW), OrderAccepted)
    x.submit(order("alice", Side.SELL, "0.60", 20, group_id=gid), NOW)
    x.submit(order("bob", Side.BUY, "0.60", 10), NOW + 1)  # 10 filled: at the limit, not over
    out = x.submit(order("bob", Side.BUY, "0.60", 1), NOW + 2)  # 11 > 10
    trigger = only(out, OrderGroupChanged)
    assert (trigger.action, trigger.state, trigger.requested) == (
        GroupAction.TRIGGER,
        GroupState.TRIGGERED,
        False,
    )
    cancels = of_type(out, OrderCancelled)
    assert {c.order.order_id for c in cancels} >= {rest.order.order_id}
    assert all(c.reason is Reason.ORDER_GROUP_CANCEL for c in cancels)
    assert x.snapshot("alice").open_orders == []
    refused = only(
        x.submit(order("alice", Side.BUY, "0.40", 1, group_id=gid), NOW + 3), OrderRejected
    )
    assert (refused.reason, refused.ord_rej_reason) == (Reason.EXCEEDED_ORDER_GROUP_RISK_LIMIT, 3)
    reset = only(x.reset_group(account="alice", group_id=gid, now=NOW + 4), OrderGroupChanged)
    assert reset.state is GroupState.ACTIVE
    assert only(x.submit(order("alice", Side.BUY, "0.40", 1, group_id=gid), NOW + 5), OrderAccepted)


def test_the_window_is_rolling_fifteen_seconds() -> None:
    x = exchange()
    gid = _group(x, limit=10)
    x.submit(order("alice", Side.SELL, "0.60", 30, group_id=gid), NOW)
    x.submit(order("bob", Side.BUY, "0.60", 8), NOW)
    # 15 s later the first 8 have left the window: 8 more is fine.
    out = x.submit(order("bob", Side.BUY, "0.60", 8), NOW + 15)
    assert of_type(out, OrderGroupChanged) == []
    out = x.submit(order("bob", Side.BUY, "0.60", 3), NOW + 16)  # 8 + 3 = 11 within 15 s
    assert only(out, OrderGroupChanged).state is GroupState.TRIGGERED


def test_a_taker_in_a_triggered_group_stops_and_is_cancelled() -> None:
    x = exchange()
    gid = _group(x, limit=5)
    x.submit(order("bob", Side.SELL, "0.50", 4), NOW)
    x.submit(order("bob", Side.SELL, "0.51", 4), NOW)
    out = x.submit(order("alice", Side.BUY, "0.51", 8, group_id=gid), NOW)
    fills = [f for f in of_type(out, OrderFilled) if f.aggressor]
    assert sum(f.last_qty for f in fills) == 8  # the trade that crossed the limit stands
    assert only(out, OrderGroupChanged).state is GroupState.TRIGGERED
    # filled completely, so nothing left to cancel
    assert of_type(out, OrderCancelled) == []

    x2 = exchange()
    gid2 = _group(x2, limit=5)
    x2.submit(order("bob", Side.SELL, "0.50", 6), NOW)
    x2.submit(order("bob", Side.SELL, "0.51", 6), NOW)
    out = x2.submit(order("alice", Side.BUY, "0.51", 12, group_id=gid2), NOW)
    assert sum(f.last_qty for f in of_type(out, OrderFilled) if f.aggressor) == 6
    cancelled = only(out, OrderCancelled)
    assert (cancelled.reason, cancelled.order.cum_qty) == (Reason.ORDER_GROUP_CANCEL, 6)


def test_trigger_delete_and_update_limit() -> None:
    x = exchange()
    gid = _group(x, limit=100)
    x.submit(order("alice", Side.BUY, "0.40", 5, group_id=gid), NOW)
    out = x.trigger_group(account="alice", group_id=gid, now=NOW)
    assert only(out, OrderGroupChanged).action is GroupAction.TRIGGER
    assert only(out, OrderCancelled).reason is Reason.ORDER_GROUP_CANCEL

    gid2 = _group(x, limit=100)
    x.submit(order("alice", Side.BUY, "0.41", 5, group_id=gid2), NOW)
    out = x.delete_group(account="alice", group_id=gid2, now=NOW)
    assert only(out, OrderGroupChanged).action is GroupAction.DELETE
    assert only(out, OrderCancelled).reason is Reason.ORDER_GROUP_CANCEL
    assert only(x.reset_group(account="alice", group_id=gid2, now=NOW), OrderGroupRejected)

    gid3 = _group(x, limit=100)
    x.submit(order("alice", Side.SELL, "0.60", 10, group_id=gid3), NOW)
    x.submit(order("bob", Side.BUY, "0.60", 6), NOW)
    up = x.update_group_limit(account="alice", group_id=gid3, limit=50, now=NOW)
    assert only(up, OrderGroupChanged).limit == 50
    down = x.update_group_limit(account="alice", group_id=gid3, limit=5, now=NOW + 1)
    changes = of_type(down, OrderGroupChanged)
    assert [(c.action, c.state) for c in changes] == [
        (GroupAction.UPDATE, GroupState.TRIGGERED),
        (GroupAction.TRIGGER, GroupState.TRIGGERED),
    ]
    assert only(down, OrderCancelled).order.leaves_qty == 0
