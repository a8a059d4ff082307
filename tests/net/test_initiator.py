"""Initiator and acceptor over real loopback sockets: logon, messages both ways, clean stop,
reconnect after a drop, the "already exists" wait, TLS with a CA file and with a pin."""

from __future__ import annotations

import asyncio
from pathlib import Path
from ssl import SSLContext

import pytest

from workstation.fix.errors import SessionNotActive
from workstation.fix.events import (
    ApplicationMessageReceived,
    CloseReason,
    Event,
    LogonAccepted,
    LogoutReceived,
    SessionClosed,
)
from workstation.fix.session import Session
from workstation.net.acceptor import DEFAULT_HOST, AcceptorServer, start_acceptor
from workstation.net.initiator import Initiator, InitiatorState
from workstation.net.testing import make_certificate
from workstation.net.tls import client_context, server_context

from .support import (
    API_KEY,
    FrozenClock,
    KeyRegistry,
    acceptor_session,
    fast_policy,
    initiator_session,
    new_rsa_key,
    other_tasks,
    wait_until,
)

KEY = new_rsa_key()
ORDER = [(11, "ord-1"), (55, "KXTEST-26"), (54, "1"), (38, "3"), (40, "2"), (44, "42")]


class Venue:
    """An acceptor with a real key registry, recording what each session saw."""

    def __init__(self) -> None:
        self.registry = KeyRegistry()
        self.registry.register(API_KEY, KEY.public_key())
        self.events: list[tuple[Session, Event]] = []
        self.server: AcceptorServer[Session] | None = None

    def on_events(self, session: Session, events: list[Event]) -> None:
        self.registry.session_events(session, events)
        self.events.extend((session, e) for e in events)

    def seen(self, kind: type[Event]) -> list[Event]:
        return [e for _, e in self.events if isinstance(e, kind)]

    async def start(self, ssl: SSLContext | None = None) -> AcceptorServer[Session]:
        self.server = await start_acceptor(
            DEFAULT_HOST, 0, lambda: acceptor_session(self.registry), self.on_events, ssl=ssl
        )
        return self.server


class Client:
    """An initiator plus a record of its events and states."""

    def __init__(self, port: int, session: Session | None = None, **kwargs: object) -> None:
        self.events: list[Event] = []
        self.states: list[InitiatorState] = []
        kwargs.setdefault("policy", fast_policy())
        self.initiator = Initiator(
            session or initiator_session(KEY),
            host=DEFAULT_HOST,
            port=port,
            on_events=self.events.extend,
            on_state=self.states.append,
            **kwargs,  # type: ignore[arg-type]
        )

    def seen(self, kind: type[Event]) -> list[Event]:
        return [e for e in self.events if isinstance(e, kind)]


def test_logon_messages_both_ways_and_a_clean_stop() -> None:
    async def scenario() -> None:
        venue = Venue()
        server = await venue.start()
        assert server.port > 0 and server.host == "127.0.0.1"
        client = Client(server.port)
        with pytest.raises(SessionNotActive):
            client.initiator.send("D", ORDER)
        client.initiator.start()
        await wait_until(lambda: client.initiator.state is InitiatorState.ACTIVE)
        assert client.initiator.last_error == ""
        assert len(server.sessions) == 1

        seq = client.initiator.send("D", ORDER)
        assert seq == 2  # the Logon was 1
        await wait_until(lambda: bool(venue.seen(ApplicationMessageReceived)))
        got = venue.seen(ApplicationMessageReceived)[0]
        assert isinstance(got, ApplicationMessageReceived)
        assert got.message.msg_type == "D" and got.message.get(11) == "ord-1"

        server.send(server.sessions[0], "8", [(37, "X1"), (11, "ord-1"), (150, "0"), (39, "0")])
        await wait_until(lambda: bool(client.seen(ApplicationMessageReceived)))

        await client.initiator.stop("bye")
        assert client.initiator.state is InitiatorState.STOPPED
        assert client.states == [
            InitiatorState.CONNECTING,
            InitiatorState.LOGGING_ON,
            InitiatorState.ACTIVE,
            InitiatorState.STOPPED,
        ]
        logout = venue.seen(LogoutReceived)
        assert [e.text for e in logout if isinstance(e, LogoutReceived)] == ["bye"]
        closed = [e for e in client.seen(SessionClosed) if isinstance(e, SessionClosed)]
        assert [c.reason for c in closed] == [CloseReason.LOGOUT]
        await wait_until(lambda: not server.sessions)
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_reconnects_by_itself_after_the_acceptor_drops_the_connection() -> None:
    async def scenario() -> None:
        venue = Venue()
        server = await venue.start()
        client = Client(server.port)
        client.initiator.start()
        await wait_until(lambda: client.initiator.state is InitiatorState.ACTIVE)
        first = server.sessions[0]

        server.connections[0].abort()  # the exchange drops us without a Logout

        await wait_until(lambda: len(client.seen(LogonAccepted)) == 2)
        assert client.initiator.state is InitiatorState.ACTIVE
        assert InitiatorState.WAITING_TO_RECONNECT in client.states
        assert server.sessions and server.sessions[0] is not first
        lost = [e for e in client.seen(SessionClosed) if isinstance(e, SessionClosed)]
        assert [e.reason for e in lost] == [CloseReason.CONNECTION_LOST]
        # A fresh logon on the new connection carries on: the reconnect sent 141=Y (KalshiNR).
        assert client.initiator.send("D", ORDER) >= 2
        await client.initiator.stop()
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_already_exists_waits_out_the_heartbeat_timeout_before_the_next_logon() -> None:
    async def scenario() -> None:
        venue = Venue()
        server = await venue.start()
        venue.registry.live.add(API_KEY)  # an earlier connection the exchange still holds
        clock = FrozenClock()
        client = Client(
            server.port,
            clock=clock,
            session=initiator_session(KEY, heartbeat_interval=45),
        )
        client.initiator.start()
        await wait_until(lambda: client.initiator.state is InitiatorState.WAITING_TO_RECONNECT)
        assert "already exists" in client.initiator.last_error
        at = client.initiator.next_attempt_at
        # max(60 s, 2 x HeartBtInt) from the moment the connection ended, by the injected clock.
        assert at is not None and at - clock.now >= 90.0
        assert client.states == [
            InitiatorState.CONNECTING,
            InitiatorState.LOGGING_ON,
            InitiatorState.WAITING_TO_RECONNECT,
        ]
        await client.initiator.stop()  # does not sit out the wait
        assert client.initiator.state is InitiatorState.STOPPED
        assert client.initiator.next_attempt_at is None
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_a_refused_connection_backs_off_and_stop_ends_the_wait() -> None:
    async def scenario() -> None:
        venue = Venue()
        server = await venue.start()
        port = server.port
        await server.close()  # nothing listens there now
        clock = FrozenClock()
        client = Client(port, clock=clock, policy=fast_policy(initial=5.0, maximum=5.0))
        client.initiator.start()
        await wait_until(lambda: client.initiator.state is InitiatorState.WAITING_TO_RECONNECT)
        assert "cannot connect" in client.initiator.last_error
        assert client.initiator.last_error.startswith(f"cannot connect to 127.0.0.1:{port}")
        at = client.initiator.next_attempt_at
        assert at is not None and clock.now <= at <= clock.now + 5.0
        assert client.states == [InitiatorState.CONNECTING, InitiatorState.WAITING_TO_RECONNECT]
        await client.initiator.stop()
        assert client.initiator.state is InitiatorState.STOPPED
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_closing_the_acceptor_logs_every_session_out() -> None:
    async def scenario() -> None:
        venue = Venue()
        venue.registry.register("second-key", KEY.public_key())
        server = await venue.start()
        first = Client(server.port)
        second = Client(server.port, session=initiator_session(KEY, api_key="second-key"))
        first.initiator.start()
        second.initiator.start()
        await wait_until(
            lambda: (
                first.initiator.state is InitiatorState.ACTIVE
                and second.initiator.state is InitiatorState.ACTIVE
            )
        )
        assert len(server.sessions) == 2
        await server.close("maintenance")
        assert server.sessions == []
        for client in (first, second):
            await wait_until(lambda c=client: bool(c.seen(LogoutReceived)))  # type: ignore[misc]
            texts = [e.text for e in client.seen(LogoutReceived) if isinstance(e, LogoutReceived)]
            assert texts == ["maintenance"]
            await wait_until(
                lambda c=client: c.initiator.state is InitiatorState.WAITING_TO_RECONNECT  # type: ignore[misc]
            )
            assert "maintenance" in client.initiator.last_error
            await client.initiator.stop()
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_stop_before_start_and_twice_is_harmless() -> None:
    async def scenario() -> None:
        client = Client(1)
        await client.initiator.stop()
        assert client.initiator.state is InitiatorState.STOPPED
        assert client.states == []
        client.initiator.start()
        client.initiator.start()  # already running: no second loop
        await client.initiator.stop()
        await client.initiator.stop()
        assert client.initiator.state is InitiatorState.STOPPED
        assert other_tasks() == set()

    asyncio.run(scenario())


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    d: Path = tmp_path_factory.mktemp("certs")
    return {"server": make_certificate(d, "server"), "other": make_certificate(d, "other")}


def test_logon_over_tls_with_a_ca_file_and_with_a_pinned_certificate(certs) -> None:
    async def scenario() -> None:
        server_cert = certs["server"]
        venue = Venue()
        server = await venue.start(
            ssl=server_context(str(server_cert.cert_file), str(server_cert.key_file))
        )
        for context in (
            client_context(cafile=str(server_cert.cert_file)),
            client_context(pin_file=str(server_cert.cert_file)),
        ):
            client = Client(server.port, ssl=context, server_hostname="127.0.0.1")
            client.initiator.start()
            await wait_until(lambda c=client: c.initiator.state is InitiatorState.ACTIVE)  # type: ignore[misc]
            client.initiator.send("D", ORDER)
            await client.initiator.stop()
            await wait_until(lambda: not server.sessions)
        received = venue.seen(ApplicationMessageReceived)
        assert len(received) == 2
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_a_server_presenting_another_certificate_than_the_pinned_one_is_refused(certs) -> None:
    async def scenario() -> None:
        impostor = certs["other"]
        venue = Venue()
        server = await venue.start(
            ssl=server_context(str(impostor.cert_file), str(impostor.key_file))
        )
        client = Client(
            server.port,
            ssl=client_context(pin_file=str(certs["server"].cert_file)),
            server_hostname="127.0.0.1",
        )
        client.initiator.start()
        await wait_until(lambda: client.initiator.state is InitiatorState.WAITING_TO_RECONNECT)
        assert "certificate" in client.initiator.last_error
        assert venue.seen(LogonAccepted) == [] and client.seen(LogonAccepted) == []
        await client.initiator.stop()
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())
