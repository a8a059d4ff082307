"""How the workstation writes times for people: UTC on the wire, Eastern Time for the exchange.

Pure functions over epoch seconds (floats, UTC), so the views can be tested at any instant,
DST changes included. Kalshi's exchange runs on America/New_York time (DESIGN.md); the
``tzdata`` package supplies the zone where the system has no zone database.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

__all__ = [
    "EASTERN",
    "format_age",
    "format_clock",
    "format_countdown",
    "format_et_full",
    "format_utc_full",
    "format_utc_ms",
]

#: The exchange's time zone.
EASTERN = ZoneInfo("America/New_York")


def _ms(dt: datetime) -> str:
    return f"{dt:%H:%M:%S}.{dt.microsecond // 1000:03d}"


def format_utc_ms(epoch: float) -> str:
    """``HH:MM:SS.mmm`` in UTC (the message log's time column)."""
    return _ms(datetime.fromtimestamp(epoch, UTC))


def format_utc_full(epoch: float) -> str:
    """``YYYY-MM-DD HH:MM:SS.mmm UTC``."""
    dt = datetime.fromtimestamp(epoch, UTC)
    return f"{dt:%Y-%m-%d} {_ms(dt)} UTC"


def format_et_full(epoch: float) -> str:
    """``YYYY-MM-DD HH:MM:SS.mmm EST`` (or EDT) in the exchange's time zone."""
    dt = datetime.fromtimestamp(epoch, EASTERN)
    return f"{dt:%Y-%m-%d} {_ms(dt)} {dt:%Z}"


def format_clock(epoch: float, local_zone: tzinfo | None = None) -> str:
    """The status-bar clock: ``ET 07:03:22 EST · Local 13:03:22 CET``.

    ``local_zone`` defaults to the machine's zone; tests pass one explicitly.
    """
    et = datetime.fromtimestamp(epoch, EASTERN)
    local = (
        datetime.fromtimestamp(epoch, local_zone)
        if local_zone is not None
        else datetime.fromtimestamp(epoch).astimezone()
    )
    return f"ET {et:%H:%M:%S %Z} · Local {local:%H:%M:%S %Z}".rstrip()


def format_age(seconds: float) -> str:
    """A duration for people: ``0 s``, ``42 s``, ``3 min 5 s``, ``2 h 7 min``, ``3 d 4 h``.

    Negative durations (clocks that disagree) read as ``0 s``.
    """
    total = max(0, int(seconds))
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def format_countdown(deadline: float | None, now: float) -> str:
    """``in 4 s`` until ``deadline``; ``now`` once it has passed; ``""`` when there is none."""
    if deadline is None:
        return ""
    left = deadline - now
    if left <= 0:
        return "now"
    # Round up: a countdown that says "in 0 s" while still waiting reads as a bug.
    return f"in {format_age(-(-left // 1))}"
