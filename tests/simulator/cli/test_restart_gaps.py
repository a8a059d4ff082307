"""``--state-dir`` after ``kill -9``: what a restarted venue used to forget.

A real ``workstation-sim`` child is killed with SIGKILL (nothing flushed at exit) and started
again on the same directory, and then:

- an order's reports still echo the AllocAccount (79) and Parties its NewOrderSingle carried;
- REST ``/portfolio/settlements`` still lists the settlements made before (same records);
- the RFQ desk still holds its RFQs and quotes: a maker's quote can be accepted, a creator's
  RFQ cancelled by its QuoteReqID, and a requester keeps its pseudonym.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from workstation.fix.auth import LogonSigner
from workstation.fix.dialect import SessionType
from workstation.fix.events import Event, MessageReceived
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import Side
from workstation.fix.messages.orders import NewOrderSingle, OrderCancelRequest
from workstation.fix.messages.parties import Party
from workstation.fix.messages.rfq_creator import CreatorQuoteRequest, RfqCancel
from workstation.fix.messages.rfq_maker import Quote
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.net.initiator import Initiator
from workstation.simulator.admin.client import send_command

from ..rest.http_client import get, signed
from ..venue_harness import Client, ClientKey, logged_on, make_key, wait_for
from .sim_process import SimProcess, launch

API = "/trade-api/v2"
RESTING = "KXNBAGAME-26NOV24NYKBOS-NYK"  #: an open market of the built-in set
TRADED = "KXINXD-26NOV24H1600-T6800"  #: another, traded then settled
RFQ_MARKET = "KXHIGHNY-26NOV24-T43"
PARTY = Party(party_id="550e8400-e29b-41d4-a716-446655440000", role=24)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    directory = tmp_path_factory.mktemp("keys")
    return {name: make_key(directory, name) for name in ("alice", "alice_rt", "bob", "bob_mm")}


def accounts_file(directory: Path, keys: dict[str, ClientKey]) -> Path:
    """acct-a (sub-account 1) with alice's keys, acct-b with bob's."""
    lines: list[str] = []
    for account, names, subs in (
        ("acct-a", ("alice", "alice_rt"), "[1]"),
        ("acct-b", ("bob", "bob_mm"), "[]"),
    ):
        lines += [
            "[[account]]",
            f'id = "{account}"',
            'balance = "1000.00"',
            f"sub_accounts = {subs}",
            "",
        ]
        for name in names:
            key = keys[name]
            lines += [
                "[[account.key]]",
                f'id = "{key.key_id}"',
                f'public_key = "{key.public_path}"',
                "",
            ]
    path = directory / "accounts.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


class Venue:
    """The child on one state directory, killed and started again at will."""

    def __init__(self, directory: Path, keys: dict[str, ClientKey]) -> None:
        self.directory = directory
        self.accounts = accounts_file(directory, keys)
        self.runs = 0
        self.sim: SimProcess | None = None
        self.info: dict[str, Any] = {}

    def start(self) -> dict[str, Any]:
        self.runs += 1
        self.sim = launch(
            self.directory / f"run-{self.runs}",
            "--base-port", "0",
            "--accounts", str(self.accounts),
            "--state-dir", str(self.directory / "state"),
        )  # fmt: skip
        self.info = self.sim.wait_ready()
        return self.info

    def kill_9(self) -> None:
        assert self.sim is not None
        self.sim.process.send_signal(signal.SIGKILL)
        assert self.sim.wait_exit() == -signal.SIGKILL

    def close(self) -> None:
        if self.sim is not None:
            self.sim.kill()

    def admin(self, cmd: str, **args: Any) -> dict[str, Any]:
        answer = send_command(self.info["host"], self.info["admin"], {"cmd": cmd, **args})
        assert answer["ok"] is True, answer
        return answer

    def log_on(self, key: ClientKey, session_type: SessionType) -> Client:
        """A signed session with SkipPendingExecReports; KalshiRT resets its numbers (the test
        keeps no FIX store across the restart, the venue does)."""
        options = LogonOptions(skip_pending_exec_reports=True)
        session = Session(
            SessionConfig(
                role=Role.INITIATOR,
                session_type=session_type,
                sender_comp_id=key.key_id,
                logon_fields=options.to_fields(),
                reset_on_logon=True,
                emit_wire_events=True,
            ),
            signer=LogonSigner(key.private_key),
        )
        events: list[Event] = []
        port = self.info["sessions"][session_type.value]
        initiator = Initiator(session, host="127.0.0.1", port=port, on_events=events.extend)
        initiator.start()
        return Client(initiator=initiator, events=events)

    async def settlements(self, key: ClientKey) -> Any:
        target = f"{API}/portfolio/settlements"
        reply = await get(
            self.info["rest"], target, signed(key.private_key, key.key_id, target, time.time())
        )
        assert reply.status == 200, reply
        return reply.body


@pytest.fixture
def venue(tmp_path: Path, keys: dict[str, ClientKey]) -> Any:
    running = Venue(tmp_path, keys)
    try:
        yield running
    finally:
        running.close()


def received(client: Client) -> list[FixMessage]:
    return [e.message for e in client.events if isinstance(e, MessageReceived)]


async def first(client: Client, match: Callable[[FixMessage], bool]) -> FixMessage:
    """The first message ``client`` received that matches (waiting for it)."""
    await wait_for(lambda: any(match(m) for m in received(client)), timeout=10.0)
    return next(m for m in received(client) if match(m))


def report(cl_ord_id: str, exec_type: str) -> Callable[[FixMessage], bool]:
    return lambda m: m.msg_type == "8" and m.get(11) == cl_ord_id and m.get(150) == exec_type


async def place(client: Client, order: NewOrderSingle) -> FixMessage:
    client.initiator.send("D", order.to_body())
    return await first(client, lambda m: m.msg_type == "8" and m.get(11) == order.cl_ord_id)


def parties_of(msg: FixMessage) -> list[tuple[str, str]]:
    return [(g.get(448) or "", g.get(452) or "") for g in msg.groups(453)]


def test_order_echoes_and_rest_settlements_survive_kill_9(
    venue: Venue, keys: dict[str, ClientKey]
) -> None:
    async def before() -> Any:
        venue.start()
        alice = venue.log_on(keys["alice"], SessionType.NR)
        bob = venue.log_on(keys["bob"], SessionType.NR)
        await logged_on(alice)
        await logged_on(bob)
        resting = NewOrderSingle(
            cl_ord_id="echoed", symbol=RESTING, side=Side.BUY, order_qty=Decimal(2),
            price=Decimal("0.11"), alloc_account=1, parties=(PARTY,),
        )  # fmt: skip
        ack = await place(alice, resting)
        assert (
            ack.get(150) == "0"
            and ack.get(79) == "1"
            and parties_of(ack) == [(PARTY.party_id, "24")]
        )
        sell = NewOrderSingle(
            cl_ord_id="b-sell",
            symbol=TRADED,
            side=Side.SELL,
            order_qty=Decimal(10),
            price=Decimal("0.40"),
        )
        assert (await place(bob, sell)).get(150) == "0"
        buy = NewOrderSingle(
            cl_ord_id="a-buy",
            symbol=TRADED,
            side=Side.BUY,
            order_qty=Decimal(10),
            price=Decimal("0.40"),
        )
        assert (await place(alice, buy)).get(150) == "F"
        venue.admin("settle", ticker=TRADED, result="yes")
        settled = await venue.settlements(keys["alice"])
        assert [s["ticker"] for s in settled["settlements"]] == [TRADED]
        assert settled["settlements"][0]["yes_total_cost_dollars"] == "4.0000"
        venue.kill_9()
        for client in (alice, bob):
            await client.initiator.stop()
        return settled

    async def after(settled_before: Any) -> None:
        venue.start()
        assert await venue.settlements(keys["alice"]) == settled_before
        assert [s["ticker"] for s in (await venue.settlements(keys["bob"]))["settlements"]] == [
            TRADED
        ]
        alice = venue.log_on(keys["alice"], SessionType.NR)
        await logged_on(alice)
        cancel = OrderCancelRequest(
            cl_ord_id="echoed-cxl",
            orig_cl_ord_id="echoed",
            symbol=RESTING,
            side=Side.BUY,
            alloc_account=1,  # the order is on sub-account 1; the cancel carries no Parties
        )
        alice.initiator.send("F", cancel.to_body())
        cancelled = await first(alice, report("echoed-cxl", "4"))
        assert cancelled.get(79) == "1" and parties_of(cancelled) == [(PARTY.party_id, "24")]
        await alice.initiator.stop()

    settled = asyncio.run(before())
    asyncio.run(after(settled))


def test_rfqs_quotes_and_pseudonyms_survive_kill_9(
    venue: Venue, keys: dict[str, ClientKey]
) -> None:
    def told_of(rfq_id: str) -> Callable[[FixMessage], bool]:
        return lambda m: m.msg_type == "R" and m.get(131) == rfq_id

    async def before() -> tuple[str, str, str]:
        venue.start()
        maker = venue.log_on(keys["bob_mm"], SessionType.RFQ)
        creator = venue.log_on(keys["alice_rt"], SessionType.RT)
        await logged_on(maker)
        await logged_on(creator)
        made = venue.admin("rfq_request", ticker=RFQ_MARKET, quantity=25)
        hand_rfq, requester = made["rfq_id"], made["requester"]
        await first(maker, told_of(hand_rfq))
        quote = Quote(
            quote_id="mm-q1", quote_req_id=hand_rfq, symbol=RFQ_MARKET,
            bid_px=Decimal("0.35"), offer_px=Decimal("0.60"),
        )  # fmt: skip
        maker.initiator.send("S", quote.to_body())
        await first(
            maker, lambda m: m.msg_type == "AI" and m.get(117) == "mm-q1" and m.get(297) == "10"
        )
        ask = CreatorQuoteRequest(quote_req_id="cr-1", symbol=RFQ_MARKET, order_qty=Decimal(10))
        creator.initiator.send("R", ask.to_body())
        ack = await first(creator, lambda m: m.msg_type == "b" and m.get(131) == "cr-1")
        own_rfq = ack.get(21023)
        assert own_rfq
        venue.kill_9()
        for client in (maker, creator):
            await client.initiator.stop()
        return hand_rfq, requester, own_rfq

    async def after(hand_rfq: str, requester: str, own_rfq: str) -> None:
        venue.start()
        maker = venue.log_on(keys["bob_mm"], SessionType.RFQ)
        await logged_on(maker)
        # Logged on again: told afresh of the RFQ, under the same pseudonym.
        again = await first(maker, told_of(hand_rfq))
        assert again.get(448) == requester
        taken = venue.admin("rfq_accept", quote_id="mm-q1", side="buy")
        assert taken["rfq_id"] == hand_rfq and taken["yes_price"] == "0.40"
        await first(
            maker, lambda m: m.msg_type == "AI" and m.get(117) == "mm-q1" and m.get(297) == "0"
        )
        creator = venue.log_on(keys["alice_rt"], SessionType.RT)
        await logged_on(creator)
        creator.initiator.send("UE", RfqCancel(quote_req_id="cr-1").to_body())
        status = await first(creator, lambda m: m.msg_type == "UB" and m.get(131) == "cr-1")
        assert status.get(21013) == "0" and status.get(21023) == own_rfq, status
        for client in (maker, creator):
            await client.initiator.stop()

    asyncio.run(after(*asyncio.run(before())))
