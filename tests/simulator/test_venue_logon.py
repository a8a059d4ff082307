"""The venue's gateway door: ready file, Logon judging, one connection per key, unsupported
messages. Real RSA keys, real sockets on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from workstation.fix.dialect import SessionType
from workstation.fix.events import ApplicationMessageReceived, LogonRejected
from workstation.fix.logon_options import LogonOptions
from workstation.simulator.registry import KeyRegistry, KeyScope
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

from .venue_harness import ClientKey, connect, logged_on, make_key, register, wait_for


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    directory = tmp_path_factory.mktemp("keys")
    return {name: make_key(directory, name) for name in ("trader", "watcher", "stranger")}


def venue_with(keys: dict[str, ClientKey], tmp_path: Path) -> Venue:
    registry = KeyRegistry()
    register(registry, keys["trader"], "acct-1")
    register(registry, keys["watcher"], "acct-1", KeyScope.READ)
    return Venue(
        VenueSettings(base_port=0, registry=registry, ready_file=tmp_path / "ready.json")
    )


def run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_ready_file_lists_every_session_port(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        venue = venue_with(keys, tmp_path)
        await venue.start()
        try:
            info = json.loads((tmp_path / "ready.json").read_text())
            assert info["host"] == "127.0.0.1" and info["tls"] is False
            assert sorted(info["sessions"]) == sorted(st.value for st in SessionType)
            assert all(isinstance(p, int) and p > 0 for p in info["sessions"].values())
            assert len(set(info["sessions"].values())) == 5
            assert info["accounts"] == {
                keys["trader"].key_id: "acct-1",
                keys["watcher"].key_id: "acct-1",
            }
            assert info["venue_id"] == venue.venue_id
        finally:
            await venue.stop()

    run(scenario())


def test_signed_logon_accepted_and_second_connection_refused(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        venue = venue_with(keys, tmp_path)
        info = await venue.start()
        ports = info["sessions"]
        first = connect(ports["KalshiNR"], keys["trader"], SessionType.NR)
        second = None
        try:
            await logged_on(first)
            assert [c.key_id for c in venue.clients()] == [keys["trader"].key_id]
            second = connect(ports["KalshiRT"], keys["trader"], SessionType.RT)
            await wait_for(lambda: bool(second.of(LogonRejected)))
            rejected = second.of(LogonRejected)[0]
            assert isinstance(rejected, LogonRejected)
            assert rejected.text == "already exists"
        finally:
            await first.initiator.stop()
            if second is not None:
                await second.initiator.stop()
            await venue.stop()

    run(scenario())


@pytest.mark.parametrize(
    ("who", "signer", "session_type", "options", "expected"),
    [
        ("stranger", "stranger", SessionType.NR, None, "Unknown API key"),
        ("trader", "stranger", SessionType.NR, None, "Invalid signature"),
        ("watcher", "watcher", SessionType.NR, None, "read scope"),
        (
            "trader", "trader", SessionType.DC,
            LogonOptions(listener_session=True, skip_pending_exec_reports=True),
            "only allowed on KalshiNR and KalshiRT",
        ),
    ],
)
def test_refused_logons_say_why(
    keys: dict[str, ClientKey],
    tmp_path: Path,
    who: str,
    signer: str,
    session_type: SessionType,
    options: LogonOptions | None,
    expected: str,
) -> None:
    async def scenario() -> None:
        venue = venue_with(keys, tmp_path)
        info = await venue.start()
        client = connect(
            info["sessions"][session_type.value],
            keys[who],
            session_type,
            options=options,
            signer_key=keys[signer].private_key,
        )
        try:
            await wait_for(lambda: bool(client.of(LogonRejected)))
            rejected = client.of(LogonRejected)[0]
            assert isinstance(rejected, LogonRejected)
            assert expected in rejected.text
            assert venue.clients() == []
        finally:
            await client.initiator.stop()
            await venue.stop()

    run(scenario())


def test_read_key_logs_on_as_listener(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        venue = venue_with(keys, tmp_path)
        info = await venue.start()
        client = connect(
            info["sessions"]["KalshiRT"],
            keys["watcher"],
            SessionType.RT,
            options=LogonOptions(listener_session=True, skip_pending_exec_reports=True),
        )
        try:
            await logged_on(client)
            (seen,) = venue.clients()
            assert seen.is_listener and seen.account == "acct-1"
        finally:
            await client.initiator.stop()
            await venue.stop()

    run(scenario())


def test_unsupported_message_gets_business_reject_and_session_continues(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        venue = venue_with(keys, tmp_path)
        info = await venue.start()
        client = connect(info["sessions"]["KalshiNR"], keys["trader"], SessionType.NR)
        try:
            await logged_on(client)
            client.initiator.send("H", [(11, "status-1"), (55, "X")])  # OrderStatusRequest

            def rejected() -> bool:
                return any(
                    isinstance(e, ApplicationMessageReceived) and e.message.msg_type == "j"
                    for e in client.events
                )

            await wait_for(rejected)
            reply = next(
                e.message for e in client.events
                if isinstance(e, ApplicationMessageReceived) and e.message.msg_type == "j"
            )
            assert reply.get(380) == "3" and reply.get(372) == "H"
            client.initiator.send("H", [(11, "status-2"), (55, "X")])
            await wait_for(lambda: sum(
                isinstance(e, ApplicationMessageReceived) and e.message.msg_type == "j"
                for e in client.events
            ) == 2)
        finally:
            await client.initiator.stop()
            await venue.stop()

    run(scenario())


def test_moving_the_venue_clock_leaves_live_sessions_alone(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    """The admin port moves the exchange's clock hours ahead for expiry tests; the FIX
    sessions keep the real clock, so a logged-on client is not refused for SendingTime."""

    async def scenario() -> None:
        venue = venue_with(keys, tmp_path)
        info = await venue.start()
        client = connect(info["sessions"]["KalshiNR"], keys["trader"], SessionType.NR)
        try:
            await logged_on(client)
            venue.clock.advance(3 * 3600)
            client.initiator.send("H", [(11, "after-jump"), (55, "X")])

            def answered() -> bool:
                return any(
                    isinstance(e, ApplicationMessageReceived) and e.message.msg_type == "j"
                    for e in client.events
                )

            await wait_for(answered)
            assert not any(
                isinstance(e, ApplicationMessageReceived) and e.message.msg_type == "3"
                for e in client.events
            )
            assert venue.clients() and client.session.state.name == "ACTIVE"
        finally:
            await client.initiator.stop()
            await venue.stop()

    run(scenario())


def test_declared_sub_accounts_are_funded() -> None:
    from decimal import Decimal

    from workstation.simulator.registry import AccountSpec

    registry = KeyRegistry()
    registry.add_account(
        AccountSpec(account_id="desk", balance=Decimal("500.00"), sub_accounts=(1, 7))
    )
    venue = Venue(VenueSettings(base_port=0, registry=registry))
    snapshot = venue.exchange.snapshot("desk")
    balances = {n: sub.balance for n, sub in snapshot.sub_accounts.items()}
    assert balances == {0: Decimal("500.00"), 1: Decimal("500.00"), 7: Decimal("500.00")}
