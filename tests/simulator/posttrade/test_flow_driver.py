"""The flow driver: steps the simulated flow on the venue clock while enabled, publishes what it
did (a trader's resting order the flow trades with gets its fill over FIX), switches on and
off at runtime, and clears a previous run's flow orders before starting again."""

from __future__ import annotations

import asyncio
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.fix.messages.enums import Side
from workstation.simulator.exchange.flow import FlowConfig
from workstation.simulator.exchange.results import OrderRejected, Result
from workstation.simulator.flow_driver import FlowDriver
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

from ..venue_harness import wait_for
from .desk import MARKETS, Desk, markets_toml, only, registry

MAKER = FlowConfig().maker_account


def bare_venue(tmp_path: Path) -> tuple[Venue, list[list[Result]]]:
    markets = tmp_path / "markets.toml"
    markets.write_text(markets_toml(), encoding="utf-8")
    venue = Venue(VenueSettings(base_port=0, registry=registry(), markets_file=markets))
    published: list[list[Result]] = []
    venue.on_results(lambda results, now: published.append(results))
    return venue, published


def test_steps_once_per_interval_while_enabled(tmp_path: Path) -> None:
    venue, published = bare_venue(tmp_path)
    driver = FlowDriver(venue, config=FlowConfig(seed=7), interval=1.0)
    driver.register()
    now = venue.clock()
    venue.tick(now)
    assert not published and not driver.enabled
    assert not venue.exchange.open_orders(MAKER)  # no flow yet: nothing of it on the books

    driver.set_enabled(True)
    venue.tick(now)
    assert driver.flow is not None and len(published) == 1
    assert {o.ticker for o in venue.exchange.open_orders(MAKER)} == set(MARKETS)
    venue.tick(now + 0.5)  # within the interval: no step
    assert len(published) == 1
    venue.tick(now + 1.0)
    assert len(published) == 2

    driver.set_enabled(False)
    venue.tick(now + 5)
    assert len(published) == 2 and not driver.enabled
    driver.set_enabled(True)  # carries on with the same flow, at once
    flow = driver.flow
    venue.tick(now + 5.1)
    assert driver.flow is flow and len(published) == 3


def test_a_new_driver_clears_the_flow_orders_an_earlier_run_left(tmp_path: Path) -> None:
    venue, published = bare_venue(tmp_path)
    now = venue.clock()
    earlier = FlowDriver(venue, enabled=True, config=FlowConfig(seed=3), interval=0)
    for step in range(5):
        earlier.tick(now + step)
    left = {o.order_id for o in venue.exchange.open_orders(MAKER)}
    assert left

    # A restarted venue builds a new driver whose flow numbers its ClOrdIDs from 1 again.
    later = FlowDriver(venue, enabled=True, config=FlowConfig(seed=3), interval=0)
    published.clear()
    for step in range(5, 30):
        later.tick(now + step)
    results = [r for batch in published for r in batch]
    assert not [r for r in results if isinstance(r, OrderRejected)], "ClOrdIDs collided"
    assert not left & {o.order_id for o in venue.exchange.open_orders(MAKER)}
    assert {o.ticker for o in venue.exchange.open_orders(MAKER)} == set(MARKETS)


def test_the_flow_fills_a_traders_resting_order_over_fix(tmp_path: Path) -> None:
    async def scenario() -> None:
        desk = Desk(tmp_path)
        driver = FlowDriver(desk.venue, config=FlowConfig(seed=5), interval=0.2)
        driver.register()
        await desk.start()
        try:
            alice = await desk.login("alice", SessionType.NR)
            # Fair value starts at 50¢: the maker's asks (51¢ up) cross this bid.
            alice.order(MARKETS[0], Side.BUY, 5, "0.60")
            await alice.fence()
            driver.set_enabled(True)
            await wait_for(lambda: any(m.get(150) == "F" for m in alice.received()), 10)
            fills = [m for m in only(await alice.fence(), "8") if m.get(150) == "F"]
            assert fills and all(m.get(31) == "60" for m in fills)  # at the resting price
        finally:
            await desk.stop()

    asyncio.run(scenario())
