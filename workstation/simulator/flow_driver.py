"""Drives the simulated makers and takers from the venue's tick (``--flow``, admin ``flow``).

While enabled, :class:`FlowDriver` steps
:class:`~workstation.simulator.exchange.flow.SimulatedFlow` on the venue clock — at most once
every ``interval`` seconds of venue time, checked on every tick — and publishes what each step
did, so a trader's order the flow trades with gets its ExecutionReports like any other.
:meth:`FlowDriver.set_enabled` switches it at runtime (the admin port's ``flow`` command).

The flow and its two funded accounts are created the first time the driver is enabled. If
the flow accounts still have live orders at that moment — a state directory restored from an
earlier run — those are cancelled and forgotten first: the new flow numbers its ClOrdIDs from
the start again and must not collide with the old run's, and it rebuilds its ladder around
its own fair values anyway. Switching off leaves the flow's resting orders where they are;
switching on again carries on with the same seeded random walk.
"""

from __future__ import annotations

from workstation.simulator.exchange.flow import FlowConfig, SimulatedFlow
from workstation.simulator.exchange.results import Result
from workstation.simulator.venue import Venue

__all__ = ["DEFAULT_INTERVAL", "FlowDriver"]

DEFAULT_INTERVAL = 1.0  #: venue seconds between two flow steps


class FlowDriver:
    """Steps the simulated flow on the venue's tick while enabled; see the module docstring."""

    def __init__(
        self,
        venue: Venue,
        *,
        enabled: bool = False,
        config: FlowConfig | None = None,
        interval: float = DEFAULT_INTERVAL,
    ) -> None:
        if interval < 0:
            raise ValueError(f"the flow interval cannot be negative ({interval})")
        self._venue = venue
        self.config = config if config is not None else FlowConfig()
        self.interval = interval
        self._enabled = enabled
        self._flow: SimulatedFlow | None = None
        self._last_step: float | None = None

    def register(self) -> None:
        self._venue.every_tick(self.tick)

    @property
    def enabled(self) -> bool:
        return self._enabled

    @property
    def flow(self) -> SimulatedFlow | None:
        """The simulated flow, once the driver has been enabled."""
        return self._flow

    def set_enabled(self, on: bool) -> None:
        """Switch the flow on (it steps at the next tick) or off."""
        if on and not self._enabled:
            self._last_step = None
        self._enabled = on

    def tick(self, now: float) -> None:
        """The venue's tick hook: one flow step when enabled and ``interval`` has passed."""
        if not self._enabled:
            return
        if self._last_step is not None and now - self._last_step < self.interval:
            return
        self._last_step = now
        flow = self._flow
        if flow is None:
            self._clear_leftovers(now)
            flow = self._flow = SimulatedFlow(self._venue.exchange, self.config)
        self._venue.publish(flow.step(now), now)

    def _clear_leftovers(self, now: float) -> None:
        exchange = self._venue.exchange
        results: list[Result] = []
        for account in (self.config.maker_account, self.config.taker_account):
            if exchange.open_orders(account):
                results.extend(exchange.mass_cancel(account=account, now=now))
        self._venue.publish(results, now)
        for account in (self.config.maker_account, self.config.taker_account):
            exchange.forget_history(account)
