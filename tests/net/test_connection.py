"""The adapter on its own over real loopback sockets: the single timer (and what it does when
it fires early), how a connection ends, and an application that fails to record a message."""

from __future__ import annotations

import asyncio
import contextlib
import time

from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.dialect import SessionType
from workstation.fix.events import (
    ApplicationMessageReceived,
    CloseReason,
    Event,
    LogonAccepted,
    MessageSent,
    SessionClosed,
)
from workstation.fix.session import Session
from workstation.fix.values import format_utc_timestamp
from workstation.net.acceptor import DEFAULT_HOST, start_acceptor
from workstation.net.connection import Connection, run_session
from workstation.net.initiator import Initiator, InitiatorState

from .support import (
    API_KEY,
    KeyRegistry,
    acceptor_session,
    fast_policy,
    initiator_session,
    new_rsa_key,
    other_tasks,
    wait_until,
)

KEY = new_rsa_key()


class ShiftedClock:
    """The wall clock plus an offset the test changes (a clock that jumps)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


class TimerRecordingSession(Session):
    """A real session that records the time of each handle_timer call and its deadline."""

    calls: list[tuple[float, float | None]]

    def handle_timer(self, now: float) -> list[Event]:
        self.calls.append((now, self.get_timer()))
        return super().handle_timer(now)


def test_a_timer_that_fires_before_the_deadline_is_re_armed_not_handled() -> None:
    async def scenario() -> None:
        registry = KeyRegistry()
        config = acceptor_session(registry, logon_timeout=0.3).config
        session = TimerRecordingSession(config, authenticator=registry)
        session.calls = []
        clock = ShiftedClock()
        events: list[Event] = []
        result: dict[str, object] = {}

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            conn = Connection(session, reader, writer, on_events=events.extend, clock=clock)
            result["conn"] = conn
            result["reason"] = await conn.run()

        server = await asyncio.start_server(serve, DEFAULT_HOST, 0)
        port = server.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection(DEFAULT_HOST, port)
        await wait_until(lambda: "conn" in result)
        # The timer is armed for the logon deadline; now the clock jumps back, so when the
        # timer fires, the session's deadline has not come yet by the session's clock.
        clock.offset = -0.25
        assert await asyncio.wait_for(reader.read(), 10) == b""  # closed, never logged on
        await wait_until(lambda: "reason" in result)

        conn = result["conn"]
        assert isinstance(conn, Connection)
        assert conn.early_timer_fires >= 1
        assert session.calls, "the logon timeout was never handled"
        assert all(deadline is not None and now >= deadline for now, deadline in session.calls)
        closed = [e for e in events if isinstance(e, SessionClosed)]
        assert [e.reason for e in closed] == [CloseReason.LOGON_TIMEOUT]
        assert str(result["reason"]).startswith("logon_timeout")
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()

    asyncio.run(scenario())


def test_run_session_reports_a_peer_that_hangs_up() -> None:
    async def scenario() -> None:
        registry = KeyRegistry()
        reasons: list[str] = []
        events: list[Event] = []

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            session = acceptor_session(registry)
            reasons.append(await run_session(session, reader, writer, on_events=events.extend))

        server = await asyncio.start_server(serve, DEFAULT_HOST, 0)
        port = server.sockets[0].getsockname()[1]
        _, writer = await asyncio.open_connection(DEFAULT_HOST, port)
        writer.write(b"8=FIXT.1.1\x019=5\x0135=0\x0110=000\x01")  # garbled: bad checksum
        writer.close()
        await writer.wait_closed()
        await wait_until(lambda: bool(reasons))
        assert reasons == ["connection closed by peer"]
        closed = [e for e in events if isinstance(e, SessionClosed)]
        assert [e.reason for e in closed] == [CloseReason.CONNECTION_LOST]
        server.close()
        await server.wait_closed()

    asyncio.run(scenario())


def test_an_application_that_fails_to_record_a_message_gets_it_again_by_resend() -> None:
    """on_events raises inside the store transaction: the inbound number is not advanced, the
    connection drops, and on KalshiRT the message comes back as a PossDup replay."""

    async def scenario() -> None:
        registry = KeyRegistry()
        registry.register(API_KEY, KEY.public_key())
        received: list[ApplicationMessageReceived] = []
        failures = [1]

        def on_events(session: Session, events: list[Event]) -> None:
            registry.session_events(session, events)
            for event in events:
                if isinstance(event, ApplicationMessageReceived):
                    if failures:
                        failures.pop()
                        raise RuntimeError("journal is full")
                    received.append(event)

        server = await start_acceptor(
            DEFAULT_HOST, 0, lambda: acceptor_session(registry, SessionType.RT), on_events
        )
        client_events: list[Event] = []
        initiator = Initiator(
            initiator_session(KEY, SessionType.RT),
            host=DEFAULT_HOST,
            port=server.port,
            on_events=client_events.extend,
            policy=fast_policy(),
        )
        initiator.start()
        await wait_until(lambda: initiator.state is InitiatorState.ACTIVE)
        seq = initiator.send("D", [(11, "ord-7"), (55, "KXTEST-26"), (54, "1"), (38, "1")])

        await wait_until(lambda: bool(received))
        assert len([e for e in client_events if isinstance(e, LogonAccepted)]) == 2
        [replayed] = received
        assert replayed.message.get(11) == "ord-7"
        assert replayed.message.seq_num == seq
        assert replayed.poss_dup
        store = registry.stores[API_KEY]
        assert store.next_target_seq() > seq
        await initiator.stop()
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_on_events_is_never_re_entered_by_a_send_from_inside_it() -> None:
    """The simulator answers inside its callback; the events of that send (MessageSent here)
    arrive in the next call, after the current one returned, in order."""

    async def scenario() -> None:
        registry = KeyRegistry()
        registry.register(API_KEY, KEY.public_key())
        depth = [0]
        batches: list[list[Event]] = []

        def on_events(session: Session, events: list[Event]) -> None:
            depth[0] += 1
            try:
                assert depth[0] == 1, "on_events re-entered"
                registry.session_events(session, events)
                batches.append(events)
                if any(isinstance(e, LogonAccepted) for e in events):
                    server.send(session, "8", [(37, "X1"), (150, "0"), (39, "0")])
            finally:
                depth[0] -= 1

        server = await start_acceptor(
            DEFAULT_HOST,
            0,
            lambda: acceptor_session(registry, emit_wire_events=True),
            on_events,
        )
        client_events: list[Event] = []
        initiator = Initiator(
            initiator_session(KEY),
            host=DEFAULT_HOST,
            port=server.port,
            on_events=client_events.extend,
            policy=fast_policy(),
        )
        initiator.start()
        await wait_until(
            lambda: any(isinstance(e, ApplicationMessageReceived) for e in client_events)
        )
        logon_batch = next(
            i for i, b in enumerate(batches) if any(isinstance(e, LogonAccepted) for e in b)
        )
        sent_after = [
            e.msg_type for b in batches[logon_batch + 1 :] for e in b if isinstance(e, MessageSent)
        ]
        assert sent_after[:1] == ["8"]
        await initiator.stop()
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_stop_gives_up_on_a_peer_that_never_answers_the_logout() -> None:
    """A server that accepts the Logon and then ignores everything: stop() ends at the
    session's logout timeout, and nothing is left running."""

    async def scenario() -> None:
        async def mute_server(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            logon = parse_frame(await reader.readuntil(b"\x0110="))  # header and body
            await reader.readexactly(4)  # "ddd\x01" of the CheckSum
            assert logon.msg_type == "A"
            writer.write(
                encode_message(
                    "A",
                    [
                        (49, "KalshiNR"),
                        (56, API_KEY),
                        (34, "1"),
                        (52, format_utc_timestamp(time.time())),
                    ],
                    [(98, "0"), (108, "30"), (141, "Y"), (1137, "9")],
                )
            )
            with contextlib.suppress(ConnectionError):
                while await reader.read(65536):
                    pass  # swallow the Logout without answering
            writer.close()

        server = await asyncio.start_server(mute_server, DEFAULT_HOST, 0)
        port = server.sockets[0].getsockname()[1]
        events: list[Event] = []
        initiator = Initiator(
            initiator_session(KEY, logout_timeout=0.2),
            host=DEFAULT_HOST,
            port=port,
            on_events=events.extend,
            policy=fast_policy(),
        )
        initiator.start()
        await wait_until(lambda: initiator.state is InitiatorState.ACTIVE)
        await initiator.stop("going home")
        assert initiator.state is InitiatorState.STOPPED
        closed = [e for e in events if isinstance(e, SessionClosed)]
        assert [e.reason for e in closed] == [CloseReason.LOGOUT_TIMEOUT]
        server.close()
        await server.wait_closed()
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_an_initiator_whose_application_fails_reports_it_and_reconnects_later() -> None:
    async def scenario() -> None:
        registry = KeyRegistry()
        registry.register(API_KEY, KEY.public_key())
        server = await start_acceptor(
            DEFAULT_HOST, 0, lambda: acceptor_session(registry), registry.session_events
        )

        def failing_application(events: list[Event]) -> None:
            if any(isinstance(e, LogonAccepted) for e in events):
                raise RuntimeError("blotter exploded")

        initiator = Initiator(
            initiator_session(KEY),
            host=DEFAULT_HOST,
            port=server.port,
            on_events=failing_application,
            policy=fast_policy(initial=30.0, maximum=30.0, min_logon_interval=30.0),
        )
        initiator.start()
        await wait_until(lambda: initiator.state is InitiatorState.WAITING_TO_RECONNECT)
        assert initiator.last_error.startswith("internal error: RuntimeError('blotter exploded')")
        assert initiator.next_attempt_at is not None
        await initiator.stop()
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())
