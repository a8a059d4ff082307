"""The shared field readers agree with the foundation's slower ones."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import times
from workstation.fix.message import FixMessage
from workstation.fix.messages import MessageError, OrdRejReason, Side
from workstation.fix.messages.fields import (
    check_text,
    flat_group,
    parse_enum,
    parse_time,
    slot_builder,
)
from workstation.fix.values import FieldFormatError, format_utc_timestamp, parse_utc_timestamp


@settings(max_examples=300, deadline=None)
@given(times)
def test_fast_time_parse_matches_the_slow_one(epoch: float) -> None:
    text = format_utc_timestamp(epoch)
    assert parse_time(60, text) == epoch  # the nearest float to the exact millisecond
    assert parse_time(60, text) == pytest.approx(parse_utc_timestamp(60, text), abs=1e-6)
    assert format_utc_timestamp(parse_time(60, text)) == text


@pytest.mark.parametrize(
    "text",
    ["20250926-21:54:16", "20250926-21:54:16.123456", "20250926-21:54:16.123456789"],
)
def test_other_precisions_fall_back(text: str) -> None:
    assert parse_time(60, text) == parse_utc_timestamp(60, text)


@pytest.mark.parametrize(
    "text",
    [
        "20250926-24:00:00.000",
        "20250926-21:60:00.000",
        "20251326-21:54:16.000",
        "20250926-21:54:16.1x3",
        "2025092621:54:16.0000",
        "yesterday",
    ],
)
def test_bad_times_are_format_errors(text: str) -> None:
    parse_time(60, "20250926-21:54:16.000")  # warm the cache for the day
    with pytest.raises(FieldFormatError):
        parse_time(60, text)


entries = st.lists(
    st.tuples(
        st.text("0123456789", min_size=1, max_size=4),
        st.none() | st.sampled_from(["D", "C"]),
        st.none() | st.sampled_from(["24", "35"]),
    ),
    max_size=4,
)


@settings(max_examples=200, deadline=None)
@given(entries, st.integers(-1, 5), st.booleans(), st.booleans())
def test_flat_group_reads_like_the_dictionary_reader(
    parties: list[tuple[str, str | None, str | None]], declared: int, trailing: bool, stray: bool
) -> None:
    fields = [(35, "8"), (11, "c"), (453, str(declared))]
    if stray:
        fields.append((447, "D"))  # a member before the first delimiter
    for party_id, source, role in parties:
        fields.append((448, party_id))
        if source:
            fields.append((447, source))
        if role:
            fields.append((452, role))
    if trailing:
        fields.append((58, "after"))
    msg = FixMessage(fields)
    try:
        expected = [g.fields for g in msg.groups(453)]
    except FieldFormatError:
        with pytest.raises(FieldFormatError):
            flat_group(msg, 453, 448, frozenset({448, 447, 452}))
        return
    got = [list(e) for e in flat_group(msg, 453, 448, frozenset({448, 447, 452}))]
    assert got == expected


def test_enum_parsing() -> None:
    assert parse_enum(Side, 54, "2") is Side.SELL
    assert parse_enum(OrdRejReason, 103, "099") is OrdRejReason.OTHER
    with pytest.raises(MessageError) as info:
        parse_enum(Side, 54, "3")
    assert (info.value.reason, info.value.tag) == (5, 54)
    with pytest.raises(FieldFormatError):
        parse_enum(OrdRejReason, 103, "x")


@pytest.mark.parametrize("value", ["", "a\x01b"])
def test_check_text_refuses_what_would_break_a_frame(value: str) -> None:
    with pytest.raises(ValueError):
        check_text(58, value)


def test_slot_builder_makes_the_same_frozen_object() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Pair:
        a: int
        b: str

    build = slot_builder(Pair)
    assert build(1, "x") == Pair(1, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        build(1, "x").a = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        build(1)
