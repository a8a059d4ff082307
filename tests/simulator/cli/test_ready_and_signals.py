"""The scripting contract in a real child process: the ready file, a signed client over it, and
SIGTERM / SIGINT logging every session out before a clean exit 0."""

from __future__ import annotations

import asyncio
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.events import LogonAccepted, LogoutReceived
from workstation.fix.logon_options import LogonOptions

from ..venue_harness import Client, ClientKey, logged_on, make_key, wait_for
from .sim_process import (
    READY_KEYS,
    SESSION_NAMES,
    SimProcess,
    connect,
    key_argument,
    launch,
    module_command,
    script_command,
)


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    directory = tmp_path_factory.mktemp("keys")
    return {name: make_key(directory, name) for name in ("alice", "bob")}


def port_of(entry: Any) -> int:
    """The port of a ready-file entry: a bare number (the scripting contract)."""
    port = entry
    assert isinstance(port, int) and 0 < port < 65536, entry
    return port


def all_ports(info: dict[str, Any]) -> list[int]:
    return [*info["sessions"].values(), port_of(info["admin"]), port_of(info["rest"])]


def accepts_connections(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2.0):
            return True
    except OSError:
        return False


def started(
    directory: Path, *arguments: str, command: list[str] | None = None
) -> tuple[SimProcess, dict[str, Any]]:
    sim = launch(directory, "--base-port", "0", *arguments, command=command)
    try:
        return sim, sim.wait_ready()
    except BaseException:
        sim.kill()
        raise


@pytest.mark.parametrize("command", [script_command, module_command], ids=["script", "module"])
def test_ready_file_has_the_contract_keys_and_live_ports(
    keys: dict[str, ClientKey], tmp_path: Path, command: Callable[[], list[str]]
) -> None:
    alice, bob = keys["alice"], keys["bob"]
    sim, info = started(
        tmp_path, "--key", key_argument(alice), "--key", key_argument(bob), command=command()
    )
    try:
        assert set(info) == READY_KEYS
        assert info["host"] == "127.0.0.1"
        assert info["tls"] is False
        assert info["dialect"] == "current"
        assert set(info["sessions"]) == SESSION_NAMES
        ports = all_ports(info)
        assert all(isinstance(p, int) and p > 0 for p in ports)
        assert len(set(ports)) == len(ports) == 7
        assert all(accepts_connections("127.0.0.1", p) for p in ports)
        assert info["accounts"] == {alice.key_id: alice.key_id, bob.key_id: bob.key_id}
        assert isinstance(info["venue_id"], str) and info["venue_id"]
        # Written atomically: nothing but the ready file and the captured output is left.
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "ready.json",
            "stderr.txt",
            "stdout.txt",
        ]
        assert sim.stop(signal.SIGTERM) == 0
        assert f"KalshiNR {info['sessions']['KalshiNR']}" in sim.stdout
        assert sim.stderr == ""
    finally:
        sim.kill()


def test_each_run_gets_its_own_ports_and_venue_id(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    first, one = started(tmp_path / "one", "--key", key_argument(keys["alice"]))
    try:
        second, two = started(tmp_path / "two", "--key", key_argument(keys["alice"]))
        try:
            assert not set(all_ports(one)) & set(all_ports(two))
            assert one["venue_id"] != two["venue_id"]
            assert second.stop() == 0
        finally:
            second.kill()
        assert first.stop() == 0
    finally:
        first.kill()


async def _log_on(info: dict[str, Any], key: ClientKey, session_type: SessionType) -> Client:
    client = connect(info["host"], info["sessions"][session_type.value], key, session_type)
    await logged_on(client)
    return client


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_logs_every_session_out_then_exits_zero(
    keys: dict[str, ClientKey], tmp_path: Path, signum: signal.Signals
) -> None:
    alice, bob = keys["alice"], keys["bob"]
    sim, info = started(tmp_path, "--key", key_argument(alice), "--key", key_argument(bob))

    async def scenario() -> int:
        clients = [
            await _log_on(info, alice, SessionType.NR),
            await _log_on(info, bob, SessionType.RT),
        ]
        try:
            assert all(c.of(LogonAccepted) for c in clients)
            assert not any(c.of(LogoutReceived) for c in clients)
            sim.send_signal(signum)
            await wait_for(lambda: all(c.of(LogoutReceived) for c in clients), timeout=10.0)
            return await asyncio.to_thread(sim.wait_exit)
        finally:
            for client in clients:
                await client.initiator.stop()

    try:
        assert asyncio.run(scenario()) == 0
        assert "Traceback" not in sim.stderr
    finally:
        sim.kill()


def test_dialect_1013_is_accepted_and_named_in_the_ready_file(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    alice = keys["alice"]
    sim, info = started(tmp_path, "--key", key_argument(alice), "--dialect", "1.0.13")

    async def scenario() -> None:
        client = connect(
            info["host"],
            info["sessions"]["KalshiNR"],
            alice,
            SessionType.NR,
            dialect=Dialect.V1_0_13,
            options=LogonOptions(skip_pending_exec_reports=True),  # 21003 in 1.0.13
        )
        try:
            await logged_on(client)
        finally:
            await client.initiator.stop()

    try:
        assert info["dialect"] == "1.0.13"
        assert set(info) == READY_KEYS
        asyncio.run(scenario())
        assert sim.stop() == 0
    finally:
        sim.kill()
