"""What the admin port's ``flow`` command switches: the venue's simulated makers and takers.

The venue's flow driver (:class:`workstation.simulator.flow_driver.FlowDriver`) has this shape;
the admin port needs nothing else of it.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["FlowControl"]


class FlowControl(Protocol):
    """Switches the simulated flow on and off."""

    @property
    def enabled(self) -> bool: ...

    def set_enabled(self, on: bool) -> None:
        """Turn the flow on (it steps at the next tick) or off."""
        ...
