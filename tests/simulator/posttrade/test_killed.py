"""A ``workstation-sim --state-dir`` child killed with SIGKILL right after trading loses nothing a
client was told: every ExecutionReport the clients received is in the state file (fills by
ExecID, drop-copy history, the resting order), and a new venue carries on from it."""

from __future__ import annotations

import asyncio
import signal
from decimal import Decimal
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.fix.events import MessageReceived
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import Side
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.orders import NewOrderSingle
from workstation.simulator.persistence import FILE_NAME, StateDir
from workstation.simulator.persistence.state_file import read_state_file
from workstation.simulator.registry import KeyRegistry
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

from ..cli.sim_process import connect, key_argument, launch
from ..venue_harness import Client, ClientKey, logged_on, make_key, register, wait_for

TICKER = "KXNBAGAME-26NOV24NYKBOS-NYK"  #: an open market of the built-in set


def reports(client: Client) -> list[FixMessage]:
    return [
        e.message
        for e in client.events
        if isinstance(e, MessageReceived) and e.message.msg_type == "8"
    ]


async def trade(info: dict[str, object], buyer: ClientKey, seller: ClientKey) -> list[ExecId]:
    """The buyer rests 10 and 5 YES, the seller sells 10 into the first; returns the ExecIDs
    of every report the two sessions received."""
    sessions = info["sessions"]
    assert isinstance(sessions, dict)
    skip = LogonOptions(skip_pending_exec_reports=True)
    clients = [
        connect("127.0.0.1", sessions["KalshiNR"], key, SessionType.NR, options=skip)
        for key in (buyer, seller)
    ]
    try:
        for client in clients:
            await logged_on(client)
        orders = [
            (clients[0], "bid-1", Side.BUY, 10, "0.40"),
            (clients[0], "bid-2", Side.BUY, 5, "0.30"),
            (clients[1], "ask-1", Side.SELL, 10, "0.40"),
        ]
        for client, cl_ord_id, side, qty, price in orders:
            nos = NewOrderSingle(
                cl_ord_id=cl_ord_id,
                symbol=TICKER,
                side=side,
                order_qty=Decimal(qty),
                price=Decimal(price),
            )
            client.initiator.send("D", nos.to_body())
        # New, New, then a trade report on each side.
        await wait_for(lambda: len(reports(clients[0])) == 3 and len(reports(clients[1])) == 1)
        return [ExecId.parse(m.get(17) or "") for c in clients for m in reports(c)]
    finally:
        for client in clients:
            await client.initiator.stop()


def test_nothing_a_client_was_told_is_lost_to_sigkill(tmp_path: Path) -> None:
    buyer, seller = make_key(tmp_path, "buyer"), make_key(tmp_path, "seller")
    state_dir = tmp_path / "state"
    sim = launch(
        tmp_path / "run",
        "--base-port",
        "0",
        "--key",
        key_argument(buyer),
        "--key",
        key_argument(seller),
        "--state-dir",
        str(state_dir),
    )
    try:
        info = sim.wait_ready()
        told = asyncio.run(trade(info, buyer, seller))
        sim.send_signal(signal.SIGKILL)
        assert sim.wait_exit() == -signal.SIGKILL
    finally:
        sim.kill()

    stored = read_state_file(state_dir / FILE_NAME)
    assert stored is not None and stored.venue_id == info["venue_id"]
    kept = {ExecId.parse(str(r.exec_id)) for _, _, r in stored.history}
    assert set(told) <= kept
    fills = {f for account in (buyer.key_id, seller.key_id) for f in stored.state.fills[account]}
    assert len(fills) == 2 and {ExecId.parse(f) for f in fills} <= set(told)
    (resting,) = stored.state.live[buyer.key_id].values()
    assert (resting.cl_ord_id, resting.price, resting.leaves_qty) == (
        "bid-2",
        Decimal("0.30"),
        Decimal(5),
    )

    # A new venue on the directory carries on: same venue, the bid still rests.
    registry = KeyRegistry()
    for key in (buyer, seller):
        register(registry, key, key.key_id)
    venue = Venue(VenueSettings(base_port=0, registry=registry))
    opened = StateDir.open(venue, state_dir)
    try:
        assert opened.restored and venue.venue_id == info["venue_id"]
        (view,) = venue.exchange.open_orders(buyer.key_id)
        assert view.cl_ord_id == "bid-2"
        assert max(e.exec_id for e in venue.exec_history.entries(buyer.key_id)) == max(told)
    finally:
        asyncio.run(opened.stop())
