"""Times for people: UTC with milliseconds, Eastern Time with its zone name, ages, countdowns."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from workstation.ui.timefmt import (
    format_age,
    format_clock,
    format_countdown,
    format_et_full,
    format_utc_full,
    format_utc_ms,
)

WINTER = datetime(2026, 1, 15, 4, 5, 6, 789000, tzinfo=UTC).timestamp()
SUMMER = datetime(2026, 7, 15, 4, 5, 6, 7000, tzinfo=UTC).timestamp()


def test_utc_with_milliseconds() -> None:
    assert format_utc_ms(WINTER) == "04:05:06.789"
    assert format_utc_ms(SUMMER) == "04:05:06.007"
    assert format_utc_full(WINTER) == "2026-01-15 04:05:06.789 UTC"


def test_eastern_time_crosses_midnight_and_names_its_zone() -> None:
    assert format_et_full(WINTER) == "2026-01-14 23:05:06.789 EST"
    assert format_et_full(SUMMER) == "2026-07-15 00:05:06.007 EDT"


def test_clock_shows_eastern_and_local_time() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert format_clock(WINTER, berlin) == "ET 23:05:06 EST · Local 05:05:06 CET"
    assert format_clock(SUMMER, berlin) == "ET 00:05:06 EDT · Local 06:05:06 CEST"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-3, "0 s"),
        (0.9, "0 s"),
        (42, "42 s"),
        (60, "1 min 0 s"),
        (185, "3 min 5 s"),
        (2 * 3600 + 7 * 60 + 59, "2 h 7 min"),
        (3 * 86400 + 4 * 3600, "3 d 4 h"),
    ],
)
def test_age(seconds: float, text: str) -> None:
    assert format_age(seconds) == text


def test_countdown_rounds_up_and_ends_at_now() -> None:
    assert format_countdown(None, 100.0) == ""
    assert format_countdown(104.2, 100.0) == "in 5 s"
    assert format_countdown(100.5, 100.0) == "in 1 s"
    assert format_countdown(100.0, 100.0) == "now"
    assert format_countdown(90.0, 100.0) == "now"
