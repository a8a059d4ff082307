"""Kalshi's weekly maintenance window, as a notice for the session panel.

Every Thursday 03:00–05:00 Eastern Time Kalshi pauses trading and drops FIX sessions
(SPEC §2.4): new orders and amends are refused, and sessions must log on again afterwards.
The window is fixed in Eastern wall-clock time, so its distance in hours changes across DST
changes; everything here is computed in America/New_York with :mod:`zoneinfo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from workstation.ui.timefmt import EASTERN

__all__ = ["MaintenanceWindow", "maintenance_notice", "next_maintenance"]

_THURSDAY = 3  # datetime.weekday()
_START = time(3, 0)
_END = time(5, 0)


@dataclass(frozen=True, slots=True, kw_only=True)
class MaintenanceWindow:
    """One occurrence of the window, as epoch seconds (UTC)."""

    start: float
    end: float

    def contains(self, now: float) -> bool:
        return self.start <= now < self.end


def _window_on(day: datetime) -> MaintenanceWindow:
    start = datetime.combine(day.date(), _START, tzinfo=EASTERN)
    end = datetime.combine(day.date(), _END, tzinfo=EASTERN)
    return MaintenanceWindow(start=start.timestamp(), end=end.timestamp())


def next_maintenance(now: float) -> MaintenanceWindow:
    """The window in progress at ``now``, or else the next one to start."""
    today = datetime.fromtimestamp(now, UTC).astimezone(EASTERN)
    days_ahead = (_THURSDAY - today.weekday()) % 7
    window = _window_on(today + timedelta(days=days_ahead))
    if now >= window.end:
        window = _window_on(today + timedelta(days=days_ahead + 7))
    return window


def maintenance_notice(now: float) -> str:
    """One line for the session panel.

    ``Kalshi maintenance (Thu 03:00–05:00 ET) now: trading paused, ends in 1 h 20 min``
    during the window; ``… in 37 h`` when it is more than two hours away; ``… in 1 h 5 min``
    or ``… in 12 min`` when it is closer.
    """
    window = next_maintenance(now)
    prefix = "Kalshi maintenance (Thu 03:00–05:00 ET)"
    if window.contains(now):
        return f"{prefix} now: trading paused, sessions dropped; ends in {_span(window.end - now)}"
    return f"{prefix} in {_span(window.start - now)}"


def _span(seconds: float) -> str:
    minutes = int(-(-seconds // 60))  # round up: "in 0 min" would read as "now"
    if minutes >= 120:
        return f"{minutes // 60} h"
    if minutes >= 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{minutes} min"
