"""The simulator's clock: wall time plus an offset the admin port can move forward.

Day and GTD expiry, the order-group window, the RFQ timers and the drop-copy lookback all run
on this clock, so tests can jump hours ahead without waiting. It never goes backwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["VenueClock"]


class VenueClock:
    """Callable returning the venue's time in epoch seconds."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0

    def __call__(self) -> float:
        return self._source() + self._offset

    @property
    def offset(self) -> float:
        return self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (>= 0); returns the new time."""
        if seconds < 0:
            raise ValueError("the venue clock only moves forward")
        self._offset += seconds
        return self()
