"""``--state-dir``: the venue_id and the resting orders survive a SIGTERM and a restart on the
same directory; a new directory is a new venue; a directory holding something else is refused."""

from __future__ import annotations

import asyncio
import signal
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from workstation.fix.dialect import SessionType
from workstation.fix.events import MessageReceived
from workstation.fix.logon_options import LogonOptions
from workstation.fix.messages.enums import Side
from workstation.fix.messages.orders import NewOrderSingle
from workstation.simulator.admin.client import send_command

from ..venue_harness import ClientKey, logged_on, make_key, wait_for
from .sim_process import SimProcess, connect, key_argument, launch

#: An open market of the built-in set.
TICKER = "KXNBAGAME-26NOV24NYKBOS-NYK"


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> ClientKey:
    return make_key(tmp_path_factory.mktemp("keys"), "trader")


def start(run_dir: Path, state_dir: Path, key: ClientKey) -> tuple[SimProcess, dict[str, Any]]:
    sim = launch(
        run_dir, "--base-port", "0", "--key", key_argument(key), "--state-dir", str(state_dir)
    )
    try:
        return sim, sim.wait_ready()
    except BaseException:
        sim.kill()
        raise


async def rest_one_order(info: dict[str, Any], key: ClientKey, cl_ord_id: str) -> None:
    """Log on to KalshiNR, rest a bid, wait for its New report, log out."""
    client = connect(
        info["host"],
        info["sessions"]["KalshiNR"],
        key,
        SessionType.NR,
        options=LogonOptions(skip_pending_exec_reports=True),
    )
    try:
        await logged_on(client)
        order = NewOrderSingle(
            cl_ord_id=cl_ord_id,
            symbol=TICKER,
            side=Side.BUY,
            order_qty=Decimal(3),
            price=Decimal("0.07"),
        )
        client.initiator.send("D", order.to_body())

        def acknowledged() -> bool:
            return any(
                isinstance(e, MessageReceived)
                and e.message.msg_type == "8"
                and e.message.get(11) == cl_ord_id
                and e.message.get(150) == "0"
                for e in client.events
            )

        await wait_for(acknowledged)
    finally:
        await client.initiator.stop()


def resting_orders(info: dict[str, Any], account: str) -> list[tuple[str, str, str]]:
    answer = send_command(info["host"], info["admin"], {"cmd": "snapshot", "account": account})
    assert answer["ok"] is True, answer
    return [
        (o["cl_ord_id"], o["ticker"], o["leaves_qty"])
        for o in answer["orders"]
        if o["status"] not in {"CANCELED", "FILLED", "EXPIRED"}
    ]


def test_restart_on_the_same_directory_keeps_venue_id_and_orders(
    key: ClientKey, tmp_path: Path
) -> None:
    state_dir = tmp_path / "state"
    first, before = start(tmp_path / "first", state_dir, key)
    try:
        asyncio.run(rest_one_order(before, key, "kept-1"))
        assert first.stop(signal.SIGTERM) == 0
    finally:
        first.kill()
    assert (state_dir / "venue.db").is_file()

    second, after = start(tmp_path / "second", state_dir, key)
    try:
        assert after["venue_id"] == before["venue_id"]
        assert resting_orders(after, key.key_id) == [("kept-1", TICKER, "3")]
        assert second.stop(signal.SIGINT) == 0
    finally:
        second.kill()

    fresh, other = start(tmp_path / "fresh", tmp_path / "other-state", key)
    try:
        assert other["venue_id"] != before["venue_id"]
        assert resting_orders(other, key.key_id) == []
        assert fresh.stop() == 0
    finally:
        fresh.kill()


def test_a_state_dir_holding_something_else_is_refused(key: ClientKey, tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    (state_dir / "venue.db").write_bytes(b"this is not an SQLite database, just some bytes\n" * 4)
    sim = launch(
        tmp_path / "run",
        "--base-port",
        "0",
        "--key",
        key_argument(key),
        "--state-dir",
        str(state_dir),
    )
    try:
        assert sim.wait_exit() == 2
        assert not sim.ready_file.exists()
        (line,) = sim.stderr.splitlines()
        assert line.startswith("workstation-sim: ") and "venue.db" in line
        # Refused and left as it was.
        assert (state_dir / "venue.db").read_bytes().startswith(b"this is not an SQLite")
    finally:
        sim.kill()
