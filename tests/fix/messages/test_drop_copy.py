"""Drop copy (U1/U2/U3), SPEC §14.1."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import exec_ids
from tests.fix.messages.wire import encode, example, fields_of, roundtrip
from workstation.fix.messages import (
    PENDING_EXEC_ID,
    EventResendComplete,
    EventResendReject,
    EventResendRejectReason,
    EventResendRequest,
    ExecId,
    MessageError,
)


def test_spec_example() -> None:
    request = EventResendRequest.from_message(
        example("8=FIXT.1.1|35=U1|21001=12345;67890|21002=12350;67895|")
    )
    assert request == EventResendRequest(
        begin_exec_id=ExecId(12345, 67890), end_exec_id=ExecId(12350, 67895)
    )
    assert request.begin_exec_id < request.end_exec_id  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(exec_ids, st.none() | exec_ids, st.integers(1, 10**6), st.integers(0, 10**6))
def test_round_trips(begin: ExecId, end: ExecId | None, seq: int, count: int) -> None:
    request = EventResendRequest(begin_exec_id=begin, end_exec_id=end)
    assert roundtrip(request) == request
    complete = EventResendComplete(ref_seq_num=seq, resend_event_count=count)
    assert roundtrip(complete) == complete
    for reason in EventResendRejectReason:
        reject = EventResendReject(ref_seq_num=seq, reason=reason)
        assert roundtrip(reject) == reject


def test_u2_count_is_tag_21003() -> None:
    assert (
        fields_of(encode(EventResendComplete(ref_seq_num=4, resend_event_count=12)))[21003] == "12"
    )
    complete = EventResendComplete.from_message(example("35=U2|45=4|21003=12|"))
    assert complete.resend_event_count == 12


@pytest.mark.parametrize(
    ("cls", "text", "tag", "reason"),
    [
        (EventResendRequest, "35=U1|21002=1;2|", 21001, 1),
        (EventResendRequest, "35=U1|21001=-1;-1|", 21001, 5),
        (EventResendRequest, "35=U1|21001=1;2|21002=-1;-1|", 21002, 5),
        (EventResendRequest, "35=U1|21001=12345|", 21001, 6),
        (EventResendComplete, "35=U2|45=4|", 21003, 1),
        (EventResendComplete, "35=U2|45=4|21003=-1|", 21003, 5),
        (EventResendComplete, "35=U2|21003=1|", 45, 1),
        (EventResendReject, "35=U3|45=4|21004=5|", 21004, 5),
        (EventResendReject, "35=U3|45=4|", 21004, 1),
    ],
)
def test_errors(cls: Any, text: str, tag: int, reason: int) -> None:
    with pytest.raises(MessageError) as info:
        cls.from_message(example(text))
    assert (info.value.tag, info.value.reason) == (tag, reason)


def test_builder_refuses_pending_bounds() -> None:
    with pytest.raises(ValueError):
        EventResendRequest(begin_exec_id=PENDING_EXEC_ID).to_body()
