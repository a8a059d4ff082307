"""The Thursday 03:00–05:00 ET maintenance notice, computed in America/New_York: the same
wall-clock window is 119 h away across the spring-forward weekend and 121 h across the
fall-back one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workstation.ui.maintenance import maintenance_notice, next_maintenance
from workstation.ui.timefmt import EASTERN


def et(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> float:
    return datetime(year, month, day, hour, minute, second, tzinfo=EASTERN).timestamp()


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp()


def test_window_is_thursday_three_to_five_eastern_in_winter() -> None:
    window = next_maintenance(et(2026, 1, 13, 12, 0))  # Tuesday
    assert window.start == utc(2026, 1, 15, 8, 0)  # 03:00 EST is 08:00 UTC
    assert window.end == utc(2026, 1, 15, 10, 0)


def test_window_is_thursday_three_to_five_eastern_in_summer() -> None:
    window = next_maintenance(et(2026, 7, 14, 12, 0))
    assert window.start == utc(2026, 7, 16, 7, 0)  # 03:00 EDT is 07:00 UTC
    assert window.end == utc(2026, 7, 16, 9, 0)


def test_spring_forward_week_is_an_hour_shorter() -> None:
    # Saturday 2026-03-07 03:00 EST; clocks go forward on Sunday 03-08.
    now = et(2026, 3, 7, 3, 0)
    assert next_maintenance(now).start - now == 119 * 3600
    assert maintenance_notice(now) == "Kalshi maintenance (Thu 03:00–05:00 ET) in 119 h"


def test_fall_back_week_is_an_hour_longer() -> None:
    # Saturday 2026-10-31 03:00 EDT; clocks go back on Sunday 11-01.
    now = et(2026, 10, 31, 3, 0)
    assert next_maintenance(now).start - now == 121 * 3600
    assert maintenance_notice(now) == "Kalshi maintenance (Thu 03:00–05:00 ET) in 121 h"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (et(2026, 3, 12, 3, 0), "now: trading paused, sessions dropped; ends in 2 h"),
        (et(2026, 3, 12, 4, 40), "now: trading paused, sessions dropped; ends in 20 min"),
        (et(2026, 3, 12, 4, 59, 30), "now: trading paused, sessions dropped; ends in 1 min"),
        (et(2026, 3, 12, 1, 30), "in 1 h 30 min"),
        (et(2026, 3, 12, 2, 0), "in 1 h"),
        (et(2026, 3, 12, 2, 15), "in 45 min"),
        (et(2026, 3, 12, 0, 59), "in 2 h"),
        (et(2026, 3, 11, 3, 0), "in 24 h"),
    ],
)
def test_notice_near_and_during_the_window(now: float, expected: str) -> None:
    assert maintenance_notice(now) == f"Kalshi maintenance (Thu 03:00–05:00 ET) {expected}"


def test_at_five_the_next_window_is_a_week_away() -> None:
    now = et(2026, 3, 12, 5, 0)
    window = next_maintenance(now)
    assert not window.contains(now)
    assert window.start == et(2026, 3, 19, 3, 0)
    assert maintenance_notice(now).endswith("in 166 h")


def test_a_thursday_evening_in_utc_is_still_thursday_in_new_york() -> None:
    # 2026-03-13 01:00 UTC is Thursday 21:00 EDT: the next window is a week after this one.
    window = next_maintenance(utc(2026, 3, 13, 1, 0))
    assert window.start == et(2026, 3, 19, 3, 0)
