"""A venue with the admin port and the REST server on OS-assigned loopback ports, plus small
helpers to put orders on its exchange directly (no FIX gateway needed)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from workstation.fix.dialect import Dialect
from workstation.simulator.admin import AdminClient, AdminPort, FlowControl
from workstation.simulator.exchange.orders import NewOrder
from workstation.simulator.exchange.results import Result
from workstation.simulator.exchange.types import Side, TimeInForce
from workstation.simulator.registry import KeyRegistry
from workstation.simulator.rest import RestServer
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

from ..venue_harness import ClientKey, register

#: An open market of the built-in set, and one that is closed there.
OPEN_TICKER = "KXNBAGAME-26NOV24NYKBOS-NYK"
CLOSED_TICKER = "KXCPIYOY-26OCT-T3.2"
PAUSED_TICKER = "KXFEDDECISION-26DEC-H25"


@dataclass
class Running:
    venue: Venue
    admin: AdminPort
    rest: RestServer
    info: dict[str, object]
    published: list[Result] = field(default_factory=list)

    @property
    def admin_port(self) -> int:
        return self.admin.port

    @property
    def rest_port(self) -> int:
        return self.rest.port

    async def client(self) -> AdminClient:
        return await AdminClient.connect("127.0.0.1", self.admin.port)


def registry_for(keys: dict[str, ClientKey]) -> KeyRegistry:
    """alice and bob trade (acct-a, acct-b); every other key is its own account."""
    registry = KeyRegistry()
    accounts = {"alice": "acct-a", "bob": "acct-b"}
    for name, key in keys.items():
        register(registry, key, accounts.get(name, name))
    return registry


@asynccontextmanager
async def running_venue(
    keys: dict[str, ClientKey],
    tmp_path: Path,
    *,
    dialect: Dialect = Dialect.CURRENT,
    tick_interval: float = 0.05,
    flow: Callable[[Venue], FlowControl] | None = None,
) -> AsyncIterator[Running]:
    """A started venue; ``flow`` builds the flow control the admin port switches."""
    settings = VenueSettings(
        base_port=0,
        dialect=dialect,
        registry=registry_for(keys),
        ready_file=tmp_path / "ready.json",
        tick_interval=tick_interval,
    )
    venue = Venue(settings)
    admin = AdminPort(flow=None if flow is None else flow(venue))
    rest = RestServer()
    venue.add_component(admin)
    venue.add_component(rest)
    running = Running(venue=venue, admin=admin, rest=rest, info={})
    venue.on_results(lambda results, now: running.published.extend(results))
    running.info = await venue.start()
    try:
        yield running
    finally:
        await venue.stop()


def order(
    account: str,
    cl_ord_id: str,
    side: Side,
    price: str,
    quantity: int,
    *,
    ticker: str = OPEN_TICKER,
    tif: TimeInForce = TimeInForce.GTC,
) -> NewOrder:
    return NewOrder(
        account=account,
        cl_ord_id=cl_ord_id,
        ticker=ticker,
        side=side,
        price=Decimal(price),
        quantity=Decimal(quantity),
        time_in_force=tif,
    )


def place(running: Running, request: NewOrder) -> list[Result]:
    """Submit straight to the exchange and publish, as a gateway would."""
    now = running.venue.clock()
    results = running.venue.exchange.submit(request, now)
    running.venue.publish(results, now)
    return results
