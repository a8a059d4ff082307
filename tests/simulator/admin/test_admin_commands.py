"""Every admin command over a real socket on 127.0.0.1: one JSON line in, one JSON line out."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from workstation.fix.dialect import Dialect, SessionType
from workstation.simulator.exchange.market import MarketStatus
from workstation.simulator.exchange.reasons import Reason
from workstation.simulator.exchange.results import (
    MarketSettled,
    OrderCancelled,
    OrderRejected,
    PositionSettled,
)
from workstation.simulator.exchange.types import OrdStatus, Side, TimeInForce
from workstation.simulator.failures import FailureKind

from ..venue_harness import ClientKey, connect, logged_on, make_key, wait_for
from .support import (
    CLOSED_TICKER,
    OPEN_TICKER,
    PAUSED_TICKER,
    Running,
    order,
    place,
    running_venue,
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    directory = tmp_path_factory.mktemp("keys")
    return {name: make_key(directory, name) for name in ("alice", "bob")}


def run(coro: Any) -> None:
    asyncio.run(coro)


def trade_between_alice_and_bob(running: Running, quantity: int = 5) -> None:
    """acct-a buys ``quantity`` YES at 0.40 from acct-b."""
    place(running, order("acct-b", "b-1", Side.SELL, "0.40", quantity))
    place(running, order("acct-a", "a-1", Side.BUY, "0.40", quantity))


def test_help_and_markets(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            place(running, order("acct-a", "a-1", Side.BUY, "0.35", 3))
            client = await running.client()
            try:
                helped = await client.send("help")
                assert helped["ok"] is True
                assert {"settle", "snapshot", "clock", "fail", "drop"} <= set(helped["commands"])
                assert helped["commands"]["settle"]["args"] == ["ticker", "result", "value"]

                listed = await client.send("markets")
                assert listed["ok"] is True and listed["exchange_paused"] is False
                by_ticker = {m["ticker"]: m for m in listed["markets"]}
                assert by_ticker[OPEN_TICKER]["best_bid"] == "0.35"
                assert by_ticker[OPEN_TICKER]["best_ask"] is None
                assert by_ticker[CLOSED_TICKER]["status"] == "closed"
                assert by_ticker[PAUSED_TICKER]["status"] == "paused"

                paused = await client.send("markets", status="paused")
                assert [m["ticker"] for m in paused["markets"]] == [PAUSED_TICKER]
                event = await client.send("markets", event_ticker="KXNBAGAME-26NOV24NYKBOS")
                assert len(event["markets"]) == 2

                bad = await client.send("markets", status="sleeping")
                assert bad["ok"] is False and "open, paused, closed, settled" in bad["error"]
            finally:
                await client.close()

    run(scenario())


def test_snapshot_reconciles_an_account(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            trade_between_alice_and_bob(running, 5)
            place(running, order("acct-a", "a-2", Side.BUY, "0.30", 2))
            client = await running.client()
            try:
                snap = await client.send("snapshot", account="acct-a")
            finally:
                await client.close()
            assert snap["ok"] is True and snap["account"] == "acct-a"
            assert snap["positions"] == {OPEN_TICKER: "5"}
            # 10000 − 5 × 0.40 − the taker fee (0.07 × 5 × 0.4 × 0.6 = 0.084 → 0.09)
            assert snap["balance"] == "9997.91"
            assert Decimal(snap["available"]) < Decimal(snap["balance"])  # a-2 reserves
            assert [o["cl_ord_id"] for o in snap["orders"]] == ["a-1", "a-2"]
            assert snap["orders"][0]["status"] == "FILLED"
            assert snap["orders"][1]["status"] == "NEW" and snap["open_orders"] == 1
            ((exec_id, fill),) = snap["fills"].items()
            assert fill["exec_id"] == exec_id and fill["last_qty"] == "5"
            assert fill["last_px"] == "0.40" and fill["aggressor"] is True
            assert snap["sub_accounts"]["0"]["positions"] == snap["positions"]

    run(scenario())


def test_settle_pays_positions_and_publishes(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            trade_between_alice_and_bob(running, 5)
            running.published.clear()
            client = await running.client()
            try:
                answer = await client.send("settle", ticker=OPEN_TICKER, result="yes")
                assert answer["ok"] is True
                assert answer["settlement_value"] == "1" and answer["positions"] == 2
                assert answer["effects"]["PositionSettled"] == 2
                snap = await client.send("snapshot", account="acct-a")
                assert snap["positions"] == {}
                assert snap["balance"] == "10002.91"  # 9997.91 + 5 × $1

                again = await client.send("settle", ticker=OPEN_TICKER, result="no")
                assert again["ok"] is False and "settled" in again["error"]
                scalar_value = await client.send(
                    "settle", ticker=CLOSED_TICKER, result="yes", value="0.5"
                )
                assert scalar_value["ok"] is False and "scalar" in scalar_value["error"]
                scalar = await client.send(
                    "settle", ticker=CLOSED_TICKER, result="scalar", value=Decimal("0.25")
                )
                assert scalar["ok"] is True and scalar["settlement_value"] == "0.25"
            finally:
                await client.close()
            kinds = [type(r) for r in running.published]
            assert MarketSettled in kinds and kinds.count(PositionSettled) == 2

    run(scenario())


def test_pause_resume_open_close(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            exchange = running.venue.exchange
            client = await running.client()
            try:
                paused = await client.send("pause", ticker=OPEN_TICKER)
                assert paused["ok"] is True and paused["status"] == "paused"
                assert exchange.market(OPEN_TICKER).status is MarketStatus.PAUSED  # type: ignore[union-attr]
                refused = place(running, order("acct-a", "a-1", Side.BUY, "0.35", 1))
                assert isinstance(refused[-1], OrderRejected)
                assert refused[-1].reason is Reason.TRADING_PAUSED
                resumed = await client.send("resume", ticker=OPEN_TICKER)
                assert resumed["ok"] is True
                assert exchange.market(OPEN_TICKER).status is MarketStatus.OPEN  # type: ignore[union-attr]

                assert (await client.send("pause"))["exchange_paused"] is True
                assert exchange.state.exchange_paused
                twice = await client.send("pause")
                assert twice["ok"] is False and "already paused" in twice["error"]
                assert (await client.send("resume"))["exchange_paused"] is False

                place(running, order("acct-a", "a-2", Side.BUY, "0.35", 1))
                closed = await client.send("close", ticker=OPEN_TICKER)
                assert closed["ok"] is True and closed["effects"]["OrderCancelled"] == 1
                assert exchange.depth(OPEN_TICKER, Side.BUY) == []
                reopened = await client.send("open", ticker=OPEN_TICKER)
                assert reopened["ok"] is True and reopened["status"] == "open"
                assert exchange.market(OPEN_TICKER).status is MarketStatus.OPEN  # type: ignore[union-attr]
                traded = place(running, order("acct-a", "a-3", Side.BUY, "0.35", 1))
                assert not isinstance(traded[-1], OrderRejected)

                not_closed = await client.send("open", ticker=OPEN_TICKER)
                assert not_closed["ok"] is False and "only a closed market" in not_closed["error"]
                unknown = await client.send("close", ticker="NOPE-1")
                assert unknown["ok"] is False and "no market 'NOPE-1'" in unknown["error"]
            finally:
                await client.close()

    run(scenario())


def test_flow_needs_a_flow_driver(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            client = await running.client()
            try:
                answer = await client.send("flow", on=True)
                assert answer["ok"] is False and "no simulated flow" in answer["error"]
            finally:
                await client.close()

    run(scenario())


class RecordingDesk:
    """An RFQ gateway stand-in that records what the admin port asked of it."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def inject_request(
        self, *, ticker: str, quantity: Decimal | None, cash_quantity: Decimal | None, now: float
    ) -> dict[str, Any]:
        self.calls.append(
            ("request", {"ticker": ticker, "quantity": quantity, "cash": cash_quantity})
        )
        return {"rfq_id": "rfq-1"}

    def accept_quote(
        self, *, quote_id: str, side: Side, quantity: Decimal | None, now: float
    ) -> dict[str, Any]:
        if quote_id == "gone":
            raise ValueError("unknown quote gone")
        self.calls.append(("accept", {"quote_id": quote_id, "side": side, "quantity": quantity}))
        return {"accepted": quote_id}


def test_rfq_commands_need_a_desk_and_go_through_it(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            client = await running.client()
            try:
                none = await client.send("rfq_request", ticker=OPEN_TICKER, quantity=10)
                assert none["ok"] is False and "no RFQ desk" in none["error"]
                desk = RecordingDesk()
                running.admin.attach_rfq(desk)
                made = await client.send("rfq_request", ticker=OPEN_TICKER, quantity=10)
                assert made == {"ok": True, "cmd": "rfq_request", "rfq_id": "rfq-1"}
                cash = await client.send("rfq_request", ticker=OPEN_TICKER, cash="25.50")
                assert cash["ok"] is True
                both = await client.send("rfq_request", ticker=OPEN_TICKER, quantity=1, cash="2")
                assert both["ok"] is False and "either" in both["error"]
                accepted = await client.send("rfq_accept", quote_id="q-7", side="buy")
                assert accepted["accepted"] == "q-7"
                refused = await client.send("rfq_accept", quote_id="gone", side="sell")
                assert refused == {"ok": False, "cmd": "rfq_accept", "error": "unknown quote gone"}
                bad_side = await client.send("rfq_accept", quote_id="q-7", side="up")
                assert bad_side["ok"] is False and "'side'" in bad_side["error"]
            finally:
                await client.close()
            assert desk.calls == [
                ("request", {"ticker": OPEN_TICKER, "quantity": Decimal(10), "cash": None}),
                ("request", {"ticker": OPEN_TICKER, "quantity": None, "cash": Decimal("25.50")}),
                ("accept", {"quote_id": "q-7", "side": Side.BUY, "quantity": None}),
            ]

    run(scenario())


def test_drop_cuts_a_live_connection(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            sessions = running.info["sessions"]
            assert isinstance(sessions, dict)
            fix = connect(sessions["KalshiNR"], keys["alice"], SessionType.NR)
            client = await running.client()
            try:
                idle = await client.send("drop", key_id=keys["bob"].key_id)
                assert idle["ok"] is False and "no live connection" in idle["error"]
                unknown = await client.send("drop", key_id="not-a-key")
                assert unknown["ok"] is False and "no API key" in unknown["error"]
                await logged_on(fix)
                dropped = await client.send("drop", key_id=keys["alice"].key_id)
                assert dropped["ok"] is True and dropped["dropped"] is True
                await wait_for(lambda: running.venue.clients() == [])
            finally:
                await client.close()
                await fix.initiator.stop()

    run(scenario())


def test_clock_move_expires_a_day_order(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            results = place(
                running, order("acct-a", "day-1", Side.BUY, "0.20", 1, tif=TimeInForce.DAY)
            )
            order_id = results[-1].order.order_id  # type: ignore[union-attr]
            running.published.clear()
            client = await running.client()
            try:
                backwards = await client.send("clock", advance=-5)
                assert backwards["ok"] is False and "only moves forward" in backwards["error"]
                moved = await client.send("clock", advance=26 * 3600)
                assert moved["ok"] is True and moved["offset"] == 26 * 3600
                assert moved["now_utc"].endswith("+00:00")
                snap = await client.send("snapshot", account="acct-a")
            finally:
                await client.close()
            # The expiry happened before the answer came back, and was published.
            assert running.venue.exchange.order(order_id).status is OrdStatus.CANCELED  # type: ignore[union-attr]
            assert snap["open_orders"] == 0
            expired = [r for r in running.published if isinstance(r, OrderCancelled)]
            assert [e.expired for e in expired] == [True]

    run(scenario())


def test_fail_arms_the_next_order(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            failures = running.venue.failures
            client = await running.client()
            try:
                armed = await client.send(
                    "fail", account="acct-a", kind="EXCHANGE_UNAVAILABLE", applied=True
                )
                assert armed["ok"] is True and armed["applied"] is True
                found = failures.armed("acct-a")
                assert found is not None and found.kind is FailureKind.EXCHANGE_UNAVAILABLE
                assert found.applied
                internal = await client.send("fail", account="acct-b", kind="internal_error")
                assert internal["ok"] is True
                assert failures.armed("acct-b").kind is FailureKind.INTERNAL_ERROR  # type: ignore[union-attr]
                never = await client.send(
                    "fail", account="acct-b", kind="INTERNAL_ERROR", applied=True
                )
                assert never["ok"] is False and "never applied" in never["error"]
                nobody = await client.send("fail", account="acct-z", kind="INTERNAL_ERROR")
                assert nobody["ok"] is False and "no account 'acct-z'" in nobody["error"]
                kind = await client.send("fail", account="acct-a", kind="TIMEOUT")
                assert kind["ok"] is False and "EXCHANGE_UNAVAILABLE" in kind["error"]
            finally:
                await client.close()

    run(scenario())


def test_fail_follows_the_dialect(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path, dialect=Dialect.V1_0_13) as running:
            client = await running.client()
            try:
                internal = await client.send("fail", account="acct-a", kind="INTERNAL_ERROR")
                assert internal["ok"] is False and "no INTERNAL_ERROR" in internal["error"]
                applied = await client.send(
                    "fail", account="acct-a", kind="EXCHANGE_UNAVAILABLE", applied=True
                )
                assert applied["ok"] is False and "final" in applied["error"]
                plain = await client.send("fail", account="acct-a", kind="EXCHANGE_UNAVAILABLE")
                assert plain["ok"] is True and plain["applied"] is False
            finally:
                await client.close()

    run(scenario())


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (b"{not json\n", "not JSON"),
        (b"[1, 2]\n", "JSON object"),
        (b'{"ticker": "X"}\n', '"cmd"'),
        (b'{"cmd": 7}\n', '"cmd"'),
        (b'{"cmd": "launch"}\n', "unknown command 'launch'"),
        (b'{"cmd": "settle", "ticker": "X", "reslt": "yes"}\n', "unknown argument 'reslt'"),
        (b'{"cmd": "settle", "result": "yes"}\n', "'ticker' is required"),
        (b'{"cmd": "settle", "ticker": 5, "result": "yes"}\n', "non-empty string"),
        (b'{"cmd": "clock", "advance": "soon"}\n', "number"),
        (b'{"cmd": "clock", "advance": 1.5e400}\n', "at most"),
        (b'{"cmd": "clock", "advance": NaN}\n', "NaN is not a number"),
        (b'{"cmd": "clock", "advance": "Infinity"}\n', "finite"),
        (b'{"cmd": "snapshot", "account": "x"}\xff\n', "UTF-8"),
    ],
)
def test_bad_requests_get_errors_and_the_port_keeps_serving(
    keys: dict[str, ClientKey], tmp_path: Path, line: bytes, error: str
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            client = await running.client()
            try:
                answer = await client.send_raw(line)
                assert answer["ok"] is False
                assert error in answer["error"]
                after = await client.send("markets", id=42)
                assert after["ok"] is True and after["id"] == 42
            finally:
                await client.close()

    run(scenario())


def test_request_id_is_echoed_and_blank_lines_ignored(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            client = await running.client()
            try:
                answer = await client.send_raw(b'\n  \n{"cmd": "help", "id": "abc"}\n')
                assert answer["ok"] is True and answer["id"] == "abc"
                failed = await client.send("launch", id=3)
                assert failed["ok"] is False and failed["id"] == 3
            finally:
                await client.close()

    run(scenario())


def test_an_overlong_line_is_skipped_with_an_error(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            client = await running.client()
            try:
                huge = b'{"cmd": "help", "pad": "' + b"x" * (running.admin.max_line + 10) + b'"}\n'
                answer = await client.send_raw(huge)
                assert answer["ok"] is False and "longer than" in answer["error"]
                assert (await client.send("help"))["ok"] is True  # same connection
            finally:
                await client.close()

    run(scenario())


def test_a_client_that_hangs_up_mid_line_does_no_harm(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            _, writer = await asyncio.open_connection("127.0.0.1", running.admin_port)
            writer.write(b'{"cmd": "mark')
            await writer.drain()
            writer.close()
            await writer.wait_closed()
            reader2, writer2 = await asyncio.open_connection("127.0.0.1", running.admin_port)
            writer2.write(b'{"cmd": "help"}')  # no newline, then EOF: still answered
            writer2.write_eof()
            answer = await reader2.readline()
            assert b'"ok":true' in answer
            writer2.close()

    run(scenario())
