"""MessageError carries the answer; ClOrdID rules are a check, not a parse error (SPEC §9.1)."""

from __future__ import annotations

import pytest

from workstation.fix.messages import MessageError, RejectKind, clordid_problem


@pytest.mark.parametrize(
    "text",
    [
        "550e8400-e29b-41d4-a716-446655440000",
        "a" * 64,
        "order_1+x=y:z",
        "with/slash",  # the regex allows / although the prose list leaves it out
    ],
)
def test_acceptable_clordids(text: str) -> None:
    assert clordid_problem(text) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("a" * 65, "65 characters"),
        ("", "empty"),
        ("has space", "only contain"),
        ("semi;colon", "only contain"),
        ("dot.ted", "only contain"),
        ("ünïcode", "only contain"),  # \w is read as ASCII letters, digits and _
    ],
)
def test_unacceptable_clordids_say_why(text: str, why: str) -> None:
    problem = clordid_problem(text)
    assert problem is not None
    assert why in problem


def test_message_error_knows_its_answer() -> None:
    error = MessageError(1, 11, "Required tag missing: 11")
    assert (error.reason, error.tag, error.kind) == (1, 11, RejectKind.SESSION)
    assert str(error) == "Required tag missing: 11"
    business = MessageError(5, 126, "missing", RejectKind.BUSINESS)
    assert business.kind is RejectKind.BUSINESS
    assert "kind=business" in repr(business)
