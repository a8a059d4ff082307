"""UTC timestamps read from the wire: every accepted text gives the exact time, every other
text is a FieldFormatError (373=6), whether or not its second has been seen before."""

from __future__ import annotations

import calendar
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.fix.values import FieldFormatError, format_utc_timestamp, parse_utc_timestamp


def reference(text: str) -> float:
    """The same reading, the slow way: strptime for the whole seconds, digits for the rest."""
    whole, _, frac = text.partition(".")
    seconds = calendar.timegm(time.strptime(whole, "%Y%m%d-%H:%M:%S"))
    return seconds + (int(frac) / 10 ** len(frac) if frac else 0.0)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=946_684_800, max_value=4_102_444_799),  # 2000 .. 2099
    st.sampled_from(["", ".000", ".999", ".123456", ".000001", ".123456789"]),
)
def test_each_precision_reads_the_exact_time(seconds: int, frac: str) -> None:
    text = time.strftime("%Y%m%d-%H:%M:%S", time.gmtime(seconds)) + frac
    assert parse_utc_timestamp(52, text) == reference(text)
    assert parse_utc_timestamp(52, text) == reference(text)  # the second time from the cache


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=946_684_800_000, max_value=4_102_444_799_999))
def test_a_millisecond_time_reads_back_as_written(millis: int) -> None:
    text = format_utc_timestamp(millis / 1000)
    assert format_utc_timestamp(parse_utc_timestamp(52, text)) == text


BAD = [
    "20250926-21:54:16.12\u00b2",  # a digit, but not an ASCII one (latin-1 byte 0xB2)
    "20250926-21:54:1\u00b2.123",
    "20250926-21:54:16.1234",
    "20250926-21:54:16.",
    "20250926-21:54:16,123",
    "20250926-21:54:16.12x",
    "20250926-24:00:00.000",
    "20250926-21:60:00.000",
    "20251326-21:54:16.000",
    "20250231-21:54:16.000",
    "20250926 21:54:16.000",
    "20250926-21:54",
    "",
]


@pytest.mark.parametrize("text", BAD)
def test_anything_else_is_a_format_error(text: str) -> None:
    with pytest.raises(FieldFormatError):
        parse_utc_timestamp(52, text)
    parse_utc_timestamp(52, "20250926-21:54:16.000")  # the second of most of them, now known
    parse_utc_timestamp(52, "20250926-21:54:16")
    with pytest.raises(FieldFormatError):
        parse_utc_timestamp(52, text)


def test_a_leap_second_is_accepted() -> None:
    assert parse_utc_timestamp(52, "20161231-23:59:60.500") == pytest.approx(1483228800.5)
