"""The public REST resources: markets, one market, order book, events, exchange status — each
in Kalshi's documented shape, read over a real HTTP connection."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from workstation.simulator.exchange.types import Side

from ..admin.support import (
    CLOSED_TICKER,
    OPEN_TICKER,
    PAUSED_TICKER,
    Running,
    order,
    place,
    running_venue,
)
from ..venue_harness import ClientKey, make_key
from .http_client import get

API = "/trade-api/v2"
SUBPENNY_TICKER = "KXINXD-26NOV24H1600-T6800"
MARKET_FIELDS = {
    "ticker", "event_ticker", "market_type", "title", "status",
    "yes_bid", "yes_bid_dollars", "yes_ask", "yes_ask_dollars",
    "no_bid", "no_bid_dollars", "no_ask", "no_ask_dollars",
    "last_price", "last_price_dollars", "volume", "volume_fp", "result", "price_ranges",
}  # fmt: skip


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    directory = tmp_path_factory.mktemp("keys")
    return {name: make_key(directory, name) for name in ("alice", "bob")}


def run(coro: Any) -> None:
    asyncio.run(coro)


def build_book(running: Running) -> None:
    """OPEN_TICKER: bids 0.30×4, 0.35×3 (acct-a); asks 0.42×2, 0.45×6 (acct-b)."""
    place(running, order("acct-a", "a-1", Side.BUY, "0.30", 4))
    place(running, order("acct-a", "a-2", Side.BUY, "0.35", 3))
    place(running, order("acct-b", "b-1", Side.SELL, "0.45", 6))
    place(running, order("acct-b", "b-2", Side.SELL, "0.42", 2))


def test_markets_list_in_kalshis_shape(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            build_book(running)
            reply = await get(running.rest_port, f"{API}/markets?limit=1000")
            assert reply.status == 200
            assert reply.headers["content-type"] == "application/json"
            assert reply.body["cursor"] == ""
            markets = {m["ticker"]: m for m in reply.body["markets"]}
            assert len(markets) == len(running.venue.exchange.markets())
            for market in markets.values():
                assert set(market) >= MARKET_FIELDS, market["ticker"]
                assert market["market_type"] == "binary"
            nyk = markets[OPEN_TICKER]
            assert nyk["status"] == "active"
            assert (nyk["yes_bid"], nyk["yes_bid_dollars"], nyk["yes_bid_size_fp"]) == (
                35,
                "0.3500",
                "3.00",
            )
            assert (nyk["yes_ask"], nyk["yes_ask_dollars"], nyk["yes_ask_size_fp"]) == (
                42,
                "0.4200",
                "2.00",
            )
            assert (nyk["no_bid"], nyk["no_bid_dollars"]) == (58, "0.5800")
            assert (nyk["no_ask"], nyk["no_ask_dollars"]) == (65, "0.6500")
            assert nyk["last_price_dollars"] == "0.0000" and nyk["volume"] == 0
            assert nyk["price_level_structure"] == "linear_cent"
            assert nyk["price_ranges"] == [{"start": "0.0000", "end": "1.0000", "step": "0.0100"}]
            empty = markets["KXNBAGAME-26NOV24NYKBOS-BOS"]
            assert (empty["yes_bid_dollars"], empty["yes_ask_dollars"]) == ("0.0000", "1.0000")
            assert markets[PAUSED_TICKER]["status"] == "inactive"
            assert markets[CLOSED_TICKER]["status"] == "closed"
            settled = markets["KXCPIYOY-26OCT-T2.8"]
            assert settled["status"] == "finalized" and settled["result"] == "yes"
            assert settled["settlement_value_dollars"] == "1.0000"
            sub = markets[SUBPENNY_TICKER]
            assert sub["price_ranges"][0]["step"] == "0.0001"
            assert "price_level_structure" not in sub

    run(scenario())


def test_last_price_and_volume_follow_trades(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            build_book(running)
            place(running, order("acct-a", "a-3", Side.BUY, "0.45", 5))  # takes 2@0.42, 3@0.45
            reply = await get(running.rest_port, f"{API}/markets/{OPEN_TICKER}")
            market = reply.body["market"]
            assert (market["last_price"], market["last_price_dollars"]) == (45, "0.4500")
            assert (market["volume"], market["volume_fp"]) == (5, "5.00")
            assert market["yes_ask_dollars"] == "0.4500" and market["yes_ask_size_fp"] == "3.00"

    run(scenario())


def test_market_filters_and_cursor_paging(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            port = running.rest_port
            opened = await get(port, f"{API}/markets?status=open")
            assert {m["status"] for m in opened.body["markets"]} == {"active"}
            two = await get(port, f"{API}/markets?status=paused,closed")
            assert {m["ticker"] for m in two.body["markets"]} == {PAUSED_TICKER, CLOSED_TICKER}
            event = await get(port, f"{API}/markets?event_ticker=KXNBAGAME-26NOV24NYKBOS")
            assert len(event.body["markets"]) == 2
            named = await get(port, f"{API}/markets?tickers={OPEN_TICKER},{CLOSED_TICKER}")
            assert [m["ticker"] for m in named.body["markets"]] == [CLOSED_TICKER, OPEN_TICKER]

            seen: list[str] = []
            cursor = ""
            for _ in range(20):
                page = await get(port, f"{API}/markets?limit=3&cursor={cursor}")
                assert page.status == 200 and len(page.body["markets"]) <= 3
                seen += [m["ticker"] for m in page.body["markets"]]
                cursor = page.body["cursor"]
                if not cursor:
                    break
            everything = sorted(m.ticker for m in running.venue.exchange.markets())
            assert seen == everything

    run(scenario())


@pytest.mark.parametrize(
    ("target", "status", "words"),
    [
        (f"{API}/markets?status=sleeping", 400, "'status'"),
        (f"{API}/markets?limit=0", 400, "'limit'"),
        (f"{API}/markets?limit=ten", 400, "'limit'"),
        (f"{API}/markets?cursor=bogus", 400, "'cursor'"),
        (f"{API}/events?with_nested_markets=maybe", 400, "with_nested_markets"),
        (f"{API}/events?limit=201", 400, "'limit'"),
        (f"{API}/markets/NOPE-1", 404, "NOPE-1"),
        (f"{API}/markets/NOPE-1/orderbook", 404, "NOPE-1"),
        (f"{API}/markets/{OPEN_TICKER}/orderbook?depth=-1", 400, "'depth'"),
        (f"{API}/events/NOPE", 404, "NOPE"),
        (f"{API}/series", 404, "no resource"),
        ("/trade-api/v1/markets", 404, "no resource"),
    ],
)
def test_bad_requests_answer_json_errors(
    keys: dict[str, ClientKey], tmp_path: Path, target: str, status: int, words: str
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            reply = await get(running.rest_port, target)
            assert reply.status == status
            assert words in reply.body["error"]["message"]
            assert reply.body["error"]["code"] in ("bad_request", "not_found")

    run(scenario())


def test_orderbook_lists_yes_and_no_bids_best_last(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            build_book(running)
            reply = await get(running.rest_port, f"{API}/markets/{OPEN_TICKER}/orderbook")
            assert reply.status == 200
            assert reply.body["orderbook_fp"] == {
                "yes_dollars": [["0.3000", "4.00"], ["0.3500", "3.00"]],
                "no_dollars": [["0.5500", "6.00"], ["0.5800", "2.00"]],
            }
            assert reply.body["orderbook"] == {"yes": [[30, 4], [35, 3]], "no": [[55, 6], [58, 2]]}
            top = await get(running.rest_port, f"{API}/markets/{OPEN_TICKER}/orderbook?depth=1")
            assert top.body["orderbook_fp"] == {
                "yes_dollars": [["0.3500", "3.00"]],
                "no_dollars": [["0.5800", "2.00"]],
            }

    run(scenario())


def test_subpenny_prices_are_exact_in_dollars(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            place(running, order("acct-a", "a-1", Side.BUY, "0.5251", 1, ticker=SUBPENNY_TICKER))
            place(running, order("acct-b", "b-1", Side.SELL, "0.5309", 1, ticker=SUBPENNY_TICKER))
            reply = await get(running.rest_port, f"{API}/markets/{SUBPENNY_TICKER}")
            market = reply.body["market"]
            assert market["yes_bid_dollars"] == "0.5251" and market["yes_bid"] == 52
            assert market["yes_ask_dollars"] == "0.5309" and market["yes_ask"] == 54
            book = await get(running.rest_port, f"{API}/markets/{SUBPENNY_TICKER}/orderbook")
            assert book.body["orderbook_fp"]["no_dollars"] == [["0.4691", "1.00"]]

    run(scenario())


def test_events_with_and_without_markets(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            port = running.rest_port
            plain = await get(port, f"{API}/events")
            assert plain.status == 200 and plain.body["cursor"] == ""
            events = {e["event_ticker"]: e for e in plain.body["events"]}
            assert len(events) == len(running.venue.exchange.events())
            nba = events["KXNBAGAME-26NOV24NYKBOS"]
            assert nba["series_ticker"] == "KXNBAGAME" and "markets" not in nba
            assert isinstance(nba["mutually_exclusive"], bool)

            nested = await get(port, f"{API}/events?with_nested_markets=true&status=settled")
            assert nested.body["events"] == []  # the CPI event still has a closed market
            closed = await get(port, f"{API}/events?with_nested_markets=true&status=closed")
            (cpi,) = closed.body["events"]
            assert cpi["event_ticker"] == "KXCPIYOY-26OCT"
            assert [m["status"] for m in cpi["markets"]] == ["finalized", "finalized", "closed"]

            one = await get(port, f"{API}/events/KXNBAGAME-26NOV24NYKBOS?with_nested_markets=true")
            assert one.body["event"]["title"] == nba["title"]
            tickers = [m["ticker"] for m in one.body["markets"]]
            assert tickers == ["KXNBAGAME-26NOV24NYKBOS-BOS", OPEN_TICKER]
            assert [m["ticker"] for m in one.body["event"]["markets"]] == tickers

    run(scenario())


def test_exchange_status_follows_an_exchange_pause(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            port = running.rest_port
            before = await get(port, f"{API}/exchange/status")
            assert before.body == {"exchange_active": True, "trading_active": True}
            client = await running.client()
            try:
                await client.send("pause")
            finally:
                await client.close()
            during = await get(port, f"{API}/exchange/status")
            assert during.body["trading_active"] is False

    run(scenario())
