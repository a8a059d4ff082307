"""The signed portfolio resources: balance, positions and settlements of the signing account."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from workstation.simulator.exchange.types import Side

from ..admin.support import OPEN_TICKER, Running, order, place, running_venue
from ..venue_harness import ClientKey, make_key
from .http_client import Reply, get, signed

API = "/trade-api/v2"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    directory = tmp_path_factory.mktemp("keys")
    return {name: make_key(directory, name) for name in ("alice", "bob")}


def run(coro: Any) -> None:
    asyncio.run(coro)


async def signed_get(running: Running, key: ClientKey, target: str) -> Reply:
    headers = signed(key.private_key, key.key_id, target, time.time())
    return await get(running.rest_port, target, headers)


def round_trip(running: Running) -> None:
    """acct-a buys 10 YES at 0.40 from acct-b, then sells 4 back at 0.50 (acct-b buys)."""
    place(running, order("acct-b", "b-1", Side.SELL, "0.40", 10))
    place(running, order("acct-a", "a-1", Side.BUY, "0.40", 10))
    place(running, order("acct-b", "b-2", Side.BUY, "0.50", 4))
    place(running, order("acct-a", "a-2", Side.SELL, "0.50", 4))


def test_balance_is_cash_less_reserve_and_marks_positions(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            round_trip(running)
            place(running, order("acct-a", "a-3", Side.BUY, "0.20", 5))  # rests, reserves
            exchange = running.venue.exchange
            cash = exchange.ledger.require("acct-a").balance
            available = cash - exchange.reserved("acct-a")
            reply = await signed_get(running, keys["alice"], f"{API}/portfolio/balance")
            assert reply.status == 200
            body = reply.body
            assert body["balance"] == int(available * 100)
            assert body["balance_dollars"] == f"{available:.4f}"
            # 6 YES marked at the last trade, 0.50
            assert (body["portfolio_value"], body["portfolio_value_dollars"]) == (300, "3.0000")
            assert abs(body["updated_ts"] - running.venue.clock()) < 5
            missing = await signed_get(
                running, keys["alice"], f"{API}/portfolio/balance?subaccount=9"
            )
            assert missing.status == 400 and "subaccount 9" in missing.body["error"]["message"]

    run(scenario())


def test_positions_carry_cost_realized_pnl_and_fees(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            round_trip(running)
            place(running, order("acct-a", "a-3", Side.BUY, "0.20", 5))
            reply = await signed_get(running, keys["alice"], f"{API}/portfolio/positions")
            assert reply.status == 200 and reply.body["cursor"] == ""
            (position,) = reply.body["market_positions"]
            assert position["ticker"] == OPEN_TICKER
            assert (position["position"], position["position_fp"]) == (6, "6.00")
            # 6 left of 10 bought at 0.40
            assert (position["market_exposure"], position["market_exposure_dollars"]) == (
                240,
                "2.4000",
            )
            # sold 4 bought at 0.40 for 0.50: +0.40
            assert position["realized_pnl_dollars"] == "0.4000"
            fees = running.venue.exchange.ledger.require("acct-a").fees_paid
            assert position["fees_paid_dollars"] == f"{fees:.4f}"
            assert position["total_traded_dollars"] == "6.0000"  # 10 × 0.40 + 4 × (1 − 0.50)
            assert position["resting_orders_count"] == 1
            assert position["last_updated_ts"].endswith("Z")
            (event,) = reply.body["event_positions"]
            assert event["event_ticker"] == "KXNBAGAME-26NOV24NYKBOS"
            assert event["event_exposure_dollars"] == "2.4000"

            bob = await signed_get(running, keys["bob"], f"{API}/portfolio/positions")
            (short,) = bob.body["market_positions"]
            assert short["position"] == -6 and short["market_exposure_dollars"] == "3.6000"

            none = await signed_get(
                running,
                keys["alice"],
                f"{API}/portfolio/positions?ticker=KXINXD-26NOV24H1600-T6800",
            )
            assert none.body["market_positions"] == []
            resting = await signed_get(
                running, keys["bob"], f"{API}/portfolio/positions?count_filter=resting_order_count"
            )
            assert resting.body["market_positions"] == []
            wrong = await signed_get(
                running, keys["bob"], f"{API}/portfolio/positions?count_filter=x"
            )
            assert wrong.status == 400

    run(scenario())


def test_settlements_after_an_admin_settle(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            round_trip(running)
            before = await signed_get(running, keys["alice"], f"{API}/portfolio/settlements")
            assert before.body == {"settlements": [], "cursor": ""}
            client = await running.client()
            try:
                settled = await client.send("settle", ticker=OPEN_TICKER, result="yes")
                assert settled["ok"] is True
            finally:
                await client.close()
            reply = await signed_get(running, keys["alice"], f"{API}/portfolio/settlements")
            (record,) = reply.body["settlements"]
            assert record["ticker"] == OPEN_TICKER
            assert record["event_ticker"] == "KXNBAGAME-26NOV24NYKBOS"
            assert record["market_result"] == "yes"
            assert (record["yes_count"], record["yes_count_fp"], record["no_count"]) == (
                6,
                "6.00",
                0,
            )
            assert record["yes_total_cost_dollars"] == "2.4000"
            assert (record["revenue"], record["revenue_dollars"]) == (600, "6.0000")
            assert record["value"] == 100 and record["fee_cost"] == "0.0000"
            assert record["settled_time"].endswith("Z")

            bob = await signed_get(running, keys["bob"], f"{API}/portfolio/settlements")
            (lost,) = bob.body["settlements"]
            assert (lost["no_count"], lost["revenue"]) == (6, 0)
            assert lost["no_total_cost_dollars"] == "3.6000"

            positions = await signed_get(running, keys["alice"], f"{API}/portfolio/positions")
            (after,) = positions.body["market_positions"]
            assert after["position"] == 0 and after["market_exposure"] == 0
            assert after["realized_pnl_dollars"] == "4.0000"  # 0.40 + (6.00 − 2.40)

            filtered = await signed_get(
                running,
                keys["alice"],
                f"{API}/portfolio/settlements?min_ts={int(time.time()) + 3600}",
            )
            assert filtered.body["settlements"] == []

    run(scenario())


def test_the_portfolio_book_replays_fills_held_before_the_server_started(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    """A restarted venue: the REST server seeds its tape and book from the exchange's fills."""

    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            round_trip(running)
            from workstation.simulator.rest import RestServer

            fresh = RestServer()
            await fresh.start(running.venue)
            try:
                headers = signed(
                    keys["alice"].private_key,
                    keys["alice"].key_id,
                    f"{API}/portfolio/positions",
                    time.time(),
                )
                reply = await get(fresh.port, f"{API}/portfolio/positions", headers)
                (position,) = reply.body["market_positions"]
                assert position["market_exposure_dollars"] == "2.4000"
                market = await get(fresh.port, f"{API}/markets/{OPEN_TICKER}")
                assert market.body["market"]["last_price_dollars"] == "0.5000"
                assert market.body["market"]["volume"] == 14
            finally:
                await fresh.stop()

    run(scenario())
