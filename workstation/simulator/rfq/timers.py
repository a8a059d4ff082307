"""The RFQ desk's three clocks (SPEC §13.1, getting_started/rfqs):

* **confirmation window**: after the creator accepts a quote its maker has 30 s (3 s on a
  High-Volatility Market) to send QuoteConfirm (U7);
* **execution timer**: after the confirmation, 15 s (1 s HVM) before the trade is entered;
* **expiry**: an RFQ still open 24 h after its creation expires.

Every window is half-open: a confirmation at ``accepted_at + 30`` exactly is late, and a timer
whose time is ``t`` is due at ``now >= t``. Nothing here reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RfqTimings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqTimings:
    """Durations in seconds. The defaults are Kalshi's."""

    confirm_window: float = 30.0
    confirm_window_hvm: float = 3.0
    execution_delay: float = 15.0
    execution_delay_hvm: float = 1.0
    lifetime: float = 24 * 60 * 60.0

    def confirm_by(self, accepted_at: float, *, high_volatility: bool) -> float:
        """When an accepted quote's confirmation window closes."""
        window = self.confirm_window_hvm if high_volatility else self.confirm_window
        return accepted_at + window

    def execute_at(self, confirmed_at: float, *, high_volatility: bool) -> float:
        """When a confirmed quote's trade is due."""
        delay = self.execution_delay_hvm if high_volatility else self.execution_delay
        return confirmed_at + delay

    def expires_at(self, created_at: float) -> float:
        """When an RFQ that is still open expires."""
        return created_at + self.lifetime
