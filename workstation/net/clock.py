"""The one place the network layer reads the time.

The FIX engine never reads the clock: every call into it takes ``now`` (epoch seconds). The
adapter reads it here, through a :data:`Clock` that callers may replace (a frozen or stepped
clock in tests, so that a computed reconnect time can be asserted exactly).
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["Clock", "wall_clock"]

#: A function returning the current time as epoch seconds (float).
Clock = Callable[[], float]


def wall_clock() -> float:
    """The system's wall clock, epoch seconds."""
    return time.time()
