"""ExecID: read as integers, ordered as integers, pending recognised (SPEC §9.6)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.fix.messages.strategies import exec_ids
from workstation.fix.messages import PENDING_EXEC_ID, ExecId
from workstation.fix.values import FieldFormatError


def test_two_and_three_part_forms() -> None:
    assert ExecId.parse("4;7") == ExecId(4, 7)
    assert ExecId.parse("4;7;1") == ExecId(4, 7, 1)
    assert str(ExecId(4, 7, 1)) == "4;7;1"
    assert str(ExecId.parse("4;7;0")) == "4;7"  # exchange index 0 keeps the two-part form


def test_ordering_is_numeric_not_textual() -> None:
    assert ExecId.parse("9;5") < ExecId.parse("10;1")
    texts = ["9;5", "10;1"]
    assert sorted(texts) == ["10;1", "9;5"]  # what text comparison would have said
    assert ExecId.parse("4;4") < ExecId.parse("4;7") < ExecId.parse("7;3")
    assert sorted(ExecId.parse(t) for t in ["7;3", "4;7", "4;4"]) == [
        ExecId(4, 4),
        ExecId(4, 7),
        ExecId(7, 3),
    ]


def test_pending() -> None:
    pending = ExecId.parse("-1;-1")
    assert pending.is_pending
    assert pending == PENDING_EXEC_ID
    assert str(pending) == "-1;-1"
    assert not ExecId.parse("0;0").is_pending


@pytest.mark.parametrize(
    "text", ["", "4", "4;", ";4", "4;7;1;2", "a;b", "-2;3", "4; 7", "4;+7", "٤;٧"]
)
def test_malformed_exec_ids_are_format_errors(text: str) -> None:
    with pytest.raises(FieldFormatError) as info:
        ExecId.parse(text, 21001)
    assert info.value.tag == 21001


def test_exec_id_is_immutable_and_hashable() -> None:
    exec_id = ExecId.parse("4;7")
    with pytest.raises(AttributeError):
        exec_id.clock = 5  # type: ignore[misc]
    assert {exec_id: 1}[ExecId(4, 7)] == 1


@settings(max_examples=200, deadline=None)
@given(exec_ids, exec_ids)
def test_round_trip_and_order_match_the_integers(a: ExecId, b: ExecId) -> None:
    assert ExecId.parse(str(a)) == a
    assert (a < b) == ((a.clock, a.event, a.exchange) < (b.clock, b.event, b.exchange))
