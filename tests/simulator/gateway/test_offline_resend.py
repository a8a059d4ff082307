"""A KalshiRT client that is away when its order fills gets the fill by ResendRequest when it
logs on again (SPEC §3, §7.3): the venue keeps reports for an offline retransmitting session in
that key's sequence, as Kalshi's RT gateway keeps continuity."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.fix.dialect import SessionType
from workstation.fix.events import ApplicationMessageReceived, Event, ResendRequestSent
from workstation.fix.messages.enums import ExecType, Side, TimeInForce
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.session import Session
from workstation.net.initiator import Initiator
from workstation.simulator.assembly import build_venue
from workstation.simulator.registry import KeyRegistry
from workstation.simulator.settings import VenueSettings

from ..venue_harness import ClientKey, connect, logged_on, make_key, register, wait_for


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    directory = tmp_path_factory.mktemp("keys")
    return {name: make_key(directory, name) for name in ("alice", "bob")}


def order(cl_ord_id: str, side: Side, ticker: str) -> list[tuple[int, str]]:
    return NewOrderSingle(
        cl_ord_id=cl_ord_id,
        symbol=ticker,
        side=side,
        order_qty=Decimal(4),
        price=Decimal("0.42"),
        time_in_force=TimeInForce.GTC,
    ).to_body()


def test_fill_while_away_arrives_by_resend(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        registry = KeyRegistry()
        register(registry, keys["alice"], "acct-alice")
        register(registry, keys["bob"], "acct-bob")
        venue = build_venue(VenueSettings(base_port=0, registry=registry))
        info = await venue.start()
        ticker = next(m.ticker for m in venue.exchange.markets() if m.status.value == "open")
        alice = connect(info["sessions"]["KalshiRT"], keys["alice"], SessionType.RT)
        bob = connect(info["sessions"]["KalshiNR"], keys["bob"], SessionType.NR)
        again: Initiator[Session] | None = None
        try:
            await logged_on(alice)
            await logged_on(bob)
            alice.initiator.send("D", order("alice-1", Side.BUY, ticker))
            await wait_for(lambda: any(
                isinstance(e, ApplicationMessageReceived) and e.message.get(150) == "0"
                for e in alice.events
            ))
            await alice.initiator.stop()
            bob.initiator.send("D", order("bob-1", Side.SELL, ticker))
            await wait_for(lambda: any(
                isinstance(e, ApplicationMessageReceived) and e.message.get(150) == "F"
                for e in bob.events
            ))
            events: list[Event] = []
            resumed = Initiator(
                alice.session, host="127.0.0.1", port=info["sessions"]["KalshiRT"],
                on_events=events.extend,
            )
            again = resumed
            resumed.start()

            def fills() -> list[ApplicationMessageReceived]:
                return [
                    e for e in events
                    if isinstance(e, ApplicationMessageReceived) and e.message.msg_type == "8"
                ]

            await wait_for(lambda: bool(fills()))
            assert any(isinstance(e, ResendRequestSent) for e in events)
            (fill,) = fills()
            assert fill.poss_dup
            report = ExecutionReport.from_message(fill.message)
            assert report.exec_type is ExecType.TRADE and report.cl_ord_id == "alice-1"
            assert report.last_qty == Decimal(4) and report.last_px == Decimal("0.42")
        finally:
            if again is not None:
                await again.stop()
            await bob.initiator.stop()
            await venue.stop()

    asyncio.run(scenario())
