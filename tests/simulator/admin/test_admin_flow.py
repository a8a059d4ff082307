"""The admin ``flow`` command switching the venue's flow driver."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from workstation.simulator.exchange.flow import FlowConfig
from workstation.simulator.exchange.types import Side
from workstation.simulator.flow_driver import FlowDriver
from workstation.simulator.venue import Venue

from ..venue_harness import ClientKey, make_key
from .support import OPEN_TICKER, running_venue


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    return {"alice": make_key(tmp_path_factory.mktemp("keys"), "alice")}


def driver(venue: Venue) -> FlowDriver:
    flow = FlowDriver(venue, config=FlowConfig(seed=7), interval=0.0)
    flow.register()
    return flow


def run(coro: Any) -> None:
    asyncio.run(coro)


def test_flow_on_and_off(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path, flow=driver) as running:
            exchange = running.venue.exchange
            client = await running.client()
            try:
                assert exchange.open_orders("sim-maker") == []
                on = await client.send("flow", on=True)
                assert on == {"ok": True, "cmd": "flow", "flow": True}
                running.venue.tick(running.venue.clock())
                assert exchange.open_orders("sim-maker", OPEN_TICKER)
                assert exchange.depth(OPEN_TICKER, Side.BUY)
                assert exchange.depth(OPEN_TICKER, Side.SELL)
                off = await client.send("flow", on=False)
                assert off["flow"] is False
                before = [o.order_id for o in exchange.open_orders("sim-maker")]
                for _ in range(5):
                    running.venue.tick(running.venue.clock() + 10)
                assert [o.order_id for o in exchange.open_orders("sim-maker")] == before
                wrong = await client.send("flow", on="yes")
                assert wrong["ok"] is False and "true or false" in wrong["error"]
            finally:
                await client.close()

    run(scenario())
