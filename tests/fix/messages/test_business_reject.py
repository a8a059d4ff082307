"""BusinessMessageReject (j), SPEC §7.7: both the 1.0.13 and the 2026-06 field rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import ids, texts
from tests.fix.messages.wire import example, roundtrip
from workstation.fix.messages import BusinessMessageReject, BusinessRejectReason, MessageError


@settings(max_examples=100, deadline=None)
@given(
    st.builds(
        BusinessMessageReject,
        reason=st.sampled_from(list(BusinessRejectReason)),
        ref_msg_type=st.none() | st.sampled_from(["D", "F", "G", "UOG", "R"]),
        ref_seq_num=st.none() | st.integers(1, 10**9),
        ref_id=st.none() | ids,
        ref_tag_id=st.none() | st.integers(1, 30000),
        text=st.none() | texts,
    )
)
def test_round_trip(reject: BusinessMessageReject) -> None:
    assert roundtrip(reject) == reject


def test_spec_example_exchange_unavailable() -> None:
    reject = BusinessMessageReject.from_message(
        example("8=FIXT.1.1|35=j|45=10|58=Kalshi exchange unavailable|372=D|380=4|")
    )
    assert reject == BusinessMessageReject(
        reason=BusinessRejectReason.APPLICATION_NOT_AVAILABLE,
        ref_msg_type="D",
        ref_seq_num=10,
        text="Kalshi exchange unavailable",
    )


def test_later_codes_and_optional_references() -> None:
    reject = BusinessMessageReject.from_message(example("35=j|380=8|58=rate limited|"))
    assert reject.reason is BusinessRejectReason.RATE_LIMIT_EXCEEDED
    assert (reject.ref_seq_num, reject.ref_msg_type) == (None, None)


@pytest.mark.parametrize(
    ("text", "tag", "reason"),
    [("35=j|45=1|372=D|", 380, 1), ("35=j|380=42|", 380, 5), ("35=j|380=4|45=x|", 45, 6)],
)
def test_errors(text: str, tag: int, reason: int) -> None:
    with pytest.raises(MessageError) as info:
        BusinessMessageReject.from_message(example(text))
    assert (info.value.tag, info.value.reason) == (tag, reason)
