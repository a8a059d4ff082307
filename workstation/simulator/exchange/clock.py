"""Exchange calendar arithmetic: the end of a Day order and the clearing date.

Kalshi runs on Eastern Time. A Day order ends at 23:59:59.999 America/New_York on the day it
was placed (SPEC §9.2, §9.9), which is 03:59:59.999 or 04:59:59.999 UTC on the *next* UTC
date. Nothing here reads the clock: every function takes ``now`` in epoch seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = ["EXCHANGE_ZONE", "clearing_date", "day_end"]

EXCHANGE_ZONE = ZoneInfo("America/New_York")
_LAST_MOMENT = time(23, 59, 59, 999_000)


def _eastern(now: float) -> datetime:
    return datetime.fromtimestamp(now, UTC).astimezone(EXCHANGE_ZONE)


def day_end(now: float) -> float:
    """Epoch seconds of 23:59:59.999 Eastern on the Eastern date of ``now``."""
    local = _eastern(now)
    end = datetime.combine(local.date(), _LAST_MOMENT, tzinfo=EXCHANGE_ZONE)
    # Round to the millisecond: float epochs of .999 carry binary noise.
    return round(end.timestamp(), 3)


@lru_cache(maxsize=8)  # asked once per trade; the trades of one matching cycle share ``now``
def clearing_date(now: float) -> str:
    """``YYYYMMDD`` of the Eastern calendar date of ``now`` (ClearingBusinessDate 715)."""
    return _eastern(now).strftime("%Y%m%d")
