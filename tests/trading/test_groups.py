"""Order groups: UOH answers matched to our UOG requests, 35=j refusals, the 15-second gauge."""

from __future__ import annotations

from tests.trading.reports import d
from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import BusinessRejectReason, OrderGroupAction
from workstation.fix.messages.order_groups import OrderGroupRequest, OrderGroupResponse
from workstation.trading.changes import Change, GroupChanged, GroupRequestRefused
from workstation.trading.groups import GroupState, OrderGroup, OrderGroups

G1 = "770e8400-e29b-41d4-a716-446655440001"
G2 = "770e8400-e29b-41d4-a716-446655440002"


def group_of(changes: list[Change]) -> OrderGroup:
    (change,) = changes
    assert isinstance(change, GroupChanged)
    return change.group


def create(
    groups: OrderGroups, limit: int, *, seq: int | None = None, alloc: int | None = None
) -> None:
    request = OrderGroupRequest(
        action=OrderGroupAction.CREATE, contracts_limit=limit, alloc_account=alloc
    )
    assert groups.requested(request, now=1.0, seq_num=seq) == []


def act(
    groups: OrderGroups, action: OrderGroupAction, group_id: str, limit: int | None = None
) -> None:
    request = OrderGroupRequest(action=action, order_group_id=group_id, contracts_limit=limit)
    groups.requested(request, now=2.0)


def test_creates_answered_in_order_and_limits_from_the_requests() -> None:
    groups = OrderGroups()
    create(groups, 100)
    create(groups, 250, alloc=2)
    first = group_of(groups.apply_response(OrderGroupResponse(order_group_id=G1), now=3.0))
    second = group_of(groups.apply_response(OrderGroupResponse(order_group_id=G2), now=3.0))
    assert (first.contracts_limit, first.state, first.sub_account) == (100, GroupState.ACTIVE, None)
    assert (second.contracts_limit, second.sub_account) == (250, "2")
    assert len(groups) == 2 and groups.get(G1) == first


def test_trigger_reset_update_delete() -> None:
    groups = OrderGroups()
    create(groups, 100)
    groups.apply_response(OrderGroupResponse(order_group_id=G1, contracts_limit=100), now=3.0)
    act(groups, OrderGroupAction.TRIGGER, G1)
    g = group_of(groups.apply_response(OrderGroupResponse(order_group_id=G1), now=4.0))
    assert (g.state, g.note) == (GroupState.TRIGGERED, "triggered by us")
    act(groups, OrderGroupAction.RESET, G1)
    g = group_of(groups.apply_response(OrderGroupResponse(order_group_id=G1), now=5.0))
    assert (g.state, g.reset_at) == (GroupState.ACTIVE, 5.0)
    act(groups, OrderGroupAction.UPDATE, G1, 40)
    g = group_of(
        groups.apply_response(OrderGroupResponse(order_group_id=G1, contracts_limit=40), now=6.0)
    )
    assert (g.state, g.contracts_limit) == (GroupState.ACTIVE, 40)
    act(groups, OrderGroupAction.DELETE, G1)
    assert (
        group_of(groups.apply_response(OrderGroupResponse(order_group_id=G1), now=7.0)).state
        is GroupState.DELETED
    )


def test_rolling_fifteen_seconds_and_reset_clears_the_gauge() -> None:
    groups = OrderGroups()
    create(groups, 10)
    groups.apply_response(OrderGroupResponse(order_group_id=G1), now=0.0)
    groups.record_fill(G1, d(5), at=1.0)
    groups.record_fill(G1, d(3), at=10.0)
    gauge = groups.gauge(G1, now=12.0)
    assert (gauge.filled, gauge.limit, gauge.fraction) == (d(8), 10, d("0.8"))
    assert groups.rolling_filled(G1, now=16.0) == d(3)  # the fill at 1.0 left the window at 16
    assert groups.rolling_filled(G1, now=25.0) == d(0)
    groups.record_fill(G1, d(4), at=26.0)
    act(groups, OrderGroupAction.RESET, G1)
    groups.apply_response(OrderGroupResponse(order_group_id=G1), now=27.0)
    assert groups.rolling_filled(G1, now=28.0) == d(0)
    assert groups.gauge("unknown", now=1.0).fraction is None


def test_update_below_the_rolling_total_triggers() -> None:
    groups = OrderGroups()
    create(groups, 100)
    groups.apply_response(OrderGroupResponse(order_group_id=G1), now=0.0)
    groups.record_fill(G1, d(30), at=1.0)
    act(groups, OrderGroupAction.UPDATE, G1, 20)
    g = group_of(groups.apply_response(OrderGroupResponse(order_group_id=G1), now=2.0))
    assert (g.state, g.contracts_limit) == (GroupState.TRIGGERED, 20)


def test_exchange_trigger_seen_through_order_cancels() -> None:
    groups = OrderGroups()
    create(groups, 100)
    groups.apply_response(OrderGroupResponse(order_group_id=G1), now=0.0)
    g = group_of(groups.mark_triggered(G1, "cancelled by its order group", now=3.0))
    assert (g.state, g.note) == (GroupState.TRIGGERED, "cancelled by its order group")
    assert groups.mark_triggered(G1, "again", now=4.0) == []


def test_business_rejects_match_by_seq_then_oldest() -> None:
    groups = OrderGroups()
    create(groups, 100)
    groups.apply_response(OrderGroupResponse(order_group_id=G1), now=0.0)
    groups.requested(
        OrderGroupRequest(action=OrderGroupAction.RESET, order_group_id=G1), now=1.0, seq_num=7
    )
    create(groups, 5, seq=8)
    refused_create = groups.apply_business_reject(
        BusinessMessageReject(
            reason=BusinessRejectReason.OTHER,
            ref_msg_type="UOG",
            ref_seq_num=8,
            text="rate limited",
        ),
        now=2.0,
    )
    assert refused_create == [
        GroupRequestRefused(action="Create", group_id=None, text="rate limited")
    ]
    refused, changed = groups.apply_business_reject(
        BusinessMessageReject(
            reason=BusinessRejectReason.UNKNOWN_ID, ref_msg_type="UOG", text="ORDER_GROUP_NOT_FOUND"
        ),
        now=3.0,
    )
    assert refused == GroupRequestRefused(action="Reset", group_id=G1, text="ORDER_GROUP_NOT_FOUND")
    assert isinstance(changed, GroupChanged)
    assert changed.group.note == "Reset refused: ORDER_GROUP_NOT_FOUND"
    stray = groups.apply_business_reject(
        BusinessMessageReject(reason=BusinessRejectReason.OTHER), now=4.0
    )
    assert stray == [GroupRequestRefused(action="?", group_id=None, text="other")]


def test_group_created_elsewhere_is_adopted() -> None:
    groups = OrderGroups()
    g = group_of(
        groups.apply_response(OrderGroupResponse(order_group_id=G2, contracts_limit=9), now=1.0)
    )
    assert (g.contracts_limit, g.note, g.state) == (9, "created elsewhere", GroupState.ACTIVE)
