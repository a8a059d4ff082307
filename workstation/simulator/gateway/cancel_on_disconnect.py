"""CancelOrdersOnDisconnect (8013): when a session that asked for it goes away — a dropped
connection or a graceful Logout alike (SPEC §6.1) — cancel the orders placed on that session.

The scope is the session's own orders (its session tag), as mass cancel's is (SPEC §20.30
leaves it open; DECISIONS.md reads "this session's orders" for mass cancel). The cancels are
reported like any other: the session itself is gone, so its account's listener sessions (and
drop copy, through the history) see them. During an exchange pause nothing can be cancelled,
so the orders stay (the exchange says so).
"""

from __future__ import annotations

from workstation.simulator.client import ClientSession
from workstation.simulator.gateway.fanout import ReportFanout
from workstation.simulator.venue import Venue

__all__ = ["CancelOnDisconnect"]


class CancelOnDisconnect:
    """The venue's disconnect hook for 8013=Y sessions."""

    def __init__(self, venue: Venue, fanout: ReportFanout) -> None:
        self._venue = venue
        self._fanout = fanout

    def register(self) -> None:
        self._venue.on_disconnect(self)

    def __call__(self, client: ClientSession, now: float) -> None:
        if not client.options.cancel_orders_on_disconnect or client.is_listener:
            return
        results = self._venue.exchange.cancel_orders_of(client.tag, now)
        self._fanout.deliver(results, now)
        self._fanout.publish(results, now)
