"""Order groups (UOG/UOH), SPEC §11: every documented example and the action rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import alloc_accounts, ids
from tests.fix.messages.wire import example, roundtrip
from workstation.fix.messages import (
    MessageError,
    OrderGroupAction,
    OrderGroupRequest,
    OrderGroupResponse,
    RejectKind,
)

GROUP = "770e8400-e29b-41d4-a716-446655440002"
HDR = "8=FIXT.1.1|9=150|35=UOG|34=5|52=20230809-12:34:56.789|49=your-api-key|56=KalshiNR|"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "20131=1|20132=5000|",
            OrderGroupRequest(action=OrderGroupAction.CREATE, contracts_limit=5000),
        ),
        (
            f"20131=2|20130={GROUP}|",
            OrderGroupRequest(action=OrderGroupAction.RESET, order_group_id=GROUP),
        ),
        (
            f"20131=3|20130={GROUP}|",
            OrderGroupRequest(action=OrderGroupAction.DELETE, order_group_id=GROUP),
        ),
        (
            f"20131=4|20130={GROUP}|",
            OrderGroupRequest(action=OrderGroupAction.TRIGGER, order_group_id=GROUP),
        ),
        (
            f"20131=5|20130={GROUP}|20132=2500|",
            OrderGroupRequest(
                action=OrderGroupAction.UPDATE, order_group_id=GROUP, contracts_limit=2500
            ),
        ),
        (
            "20131=1|20132=5000|79=2|",
            OrderGroupRequest(
                action=OrderGroupAction.CREATE, contracts_limit=5000, alloc_account=2
            ),
        ),
    ],
)
def test_spec_examples(body: str, expected: OrderGroupRequest) -> None:
    assert OrderGroupRequest.from_message(example(HDR + body + "10=123|")) == expected
    assert roundtrip(expected) == expected


@st.composite
def requests(draw: st.DrawFn) -> OrderGroupRequest:
    action = draw(st.sampled_from(list(OrderGroupAction)))
    uuid = draw(st.uuids()).__str__()
    return OrderGroupRequest(
        action=action,
        order_group_id=None if action is OrderGroupAction.CREATE else uuid,
        contracts_limit=(
            draw(st.integers(1, 1_000_000))
            if action in (OrderGroupAction.CREATE, OrderGroupAction.UPDATE)
            else None
        ),
        alloc_account=draw(st.none() | alloc_accounts),
        ex_destination=draw(st.none() | st.integers(-1, 4)),
    )


@settings(max_examples=100, deadline=None)
@given(requests(), ids, st.none() | st.integers(1, 1_000_000), st.none() | alloc_accounts)
def test_round_trips(
    request: OrderGroupRequest, group: str, limit: int | None, account: int | None
) -> None:
    assert roundtrip(request) == request
    response = OrderGroupResponse(
        order_group_id=group, contracts_limit=limit, alloc_account=account
    )
    assert roundtrip(response) == response


@pytest.mark.parametrize(
    ("body", "tag", "reason", "kind"),
    [
        ("20132=5000|", 20131, 1, RejectKind.SESSION),
        ("20131=6|", 20131, 5, RejectKind.SESSION),
        ("20131=1|", 20132, 5, RejectKind.BUSINESS),
        (f"20131=1|20132=10|20130={GROUP}|", 20130, 0, RejectKind.BUSINESS),
        ("20131=2|", 20130, 5, RejectKind.BUSINESS),
        (f"20131=5|20130={GROUP}|", 20132, 5, RejectKind.BUSINESS),
        ("20131=3|20130=not-a-uuid|", 20130, 6, RejectKind.SESSION),
        ("20131=1|20132=0|", 20132, 5, RejectKind.SESSION),
        ("20131=1|20132=1000001|", 20132, 5, RejectKind.SESSION),
        ("20131=1|20132=5000|79=64|", 79, 5, RejectKind.SESSION),
    ],
)
def test_request_errors(body: str, tag: int, reason: int, kind: RejectKind) -> None:
    with pytest.raises(MessageError) as info:
        OrderGroupRequest.from_message(example("35=UOG|" + body))
    assert (info.value.tag, info.value.reason, info.value.kind) == (tag, reason, kind)


def test_builder_refuses_inconsistent_requests() -> None:
    with pytest.raises(ValueError):
        OrderGroupRequest(action=OrderGroupAction.CREATE).to_body()
    with pytest.raises(ValueError):
        OrderGroupRequest(action=OrderGroupAction.RESET, contracts_limit=5).to_body()
    with pytest.raises(ValueError):
        OrderGroupRequest(action=OrderGroupAction.DELETE).to_body()


def test_response_needs_the_group_id() -> None:
    assert OrderGroupResponse.from_message(example(f"35=UOH|20130={GROUP}|20132=5000|79=0|")) == (
        OrderGroupResponse(order_group_id=GROUP, contracts_limit=5000, alloc_account=0)
    )
    with pytest.raises(MessageError) as info:
        OrderGroupResponse.from_message(example("35=UOH|20132=5000|"))
    assert (info.value.tag, info.value.reason) == (20130, 1)
