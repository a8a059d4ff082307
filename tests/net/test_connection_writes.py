"""When the bytes of a send made from inside ``on_events`` leave: after the step's store
transaction commits, never before. A step that fails therefore sends nothing it stored, so a
rolled-back sequence number never reaches the peer twice with different messages."""

from __future__ import annotations

import asyncio

from workstation.fix.dialect import SessionType
from workstation.fix.events import ApplicationMessageReceived, Event
from workstation.fix.session import Session
from workstation.net.acceptor import DEFAULT_HOST, start_acceptor
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


def test_a_report_sent_from_a_step_that_fails_never_leaves() -> None:
    async def scenario() -> None:
        registry = KeyRegistry()
        registry.register(API_KEY, KEY.public_key())
        failures = [1]

        def on_events(session: Session, events: list[Event]) -> None:
            registry.session_events(session, events)
            for event in events:
                if isinstance(event, ApplicationMessageReceived):
                    if failures:
                        failures.pop()
                        server.send(session, "8", [(37, "from-the-failed-step"), (150, "0")])
                        raise RuntimeError("journal is full")
                    server.send(session, "8", [(37, "from-the-replay"), (150, "0")])

        server = await start_acceptor(
            DEFAULT_HOST, 0, lambda: acceptor_session(registry, SessionType.RT), on_events
        )
        received: list[ApplicationMessageReceived] = []

        def client_events(events: list[Event]) -> None:
            received.extend(e for e in events if isinstance(e, ApplicationMessageReceived))

        initiator = Initiator(
            initiator_session(KEY, SessionType.RT),
            host=DEFAULT_HOST,
            port=server.port,
            on_events=client_events,
            policy=fast_policy(),
        )
        initiator.start()
        await wait_until(lambda: initiator.state is InitiatorState.ACTIVE)
        initiator.send("D", [(11, "ord-1"), (55, "KXTEST-26"), (54, "1"), (38, "1")])
        await wait_until(lambda: bool(received))
        await asyncio.sleep(0.2)  # anything else in flight arrives
        assert [e.message.get(37) for e in received] == ["from-the-replay"]
        await initiator.stop()
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())


def test_a_send_held_for_the_callers_commit_leaves_only_on_write_pending() -> None:
    """``send(write=False)``: the message is stored (its sequence number taken) but its bytes
    wait until the caller has committed its own transaction and calls ``write_pending``."""

    async def scenario() -> None:
        registry = KeyRegistry()
        registry.register(API_KEY, KEY.public_key())
        orders: list[str] = []

        def on_events(session: Session, events: list[Event]) -> None:
            registry.session_events(session, events)
            for event in events:
                if isinstance(event, ApplicationMessageReceived):
                    orders.append(str(event.message.get(11)))

        server = await start_acceptor(
            DEFAULT_HOST, 0, lambda: acceptor_session(registry, SessionType.RT), on_events
        )
        session = initiator_session(KEY, SessionType.RT)
        initiator = Initiator(
            session, host=DEFAULT_HOST, port=server.port, on_events=lambda _: None,
            policy=fast_policy(),
        )  # fmt: skip
        initiator.start()
        await wait_until(lambda: initiator.state is InitiatorState.ACTIVE)
        with session.store.transaction():  # the caller's own transaction around the send
            seq = initiator.send("D", [(11, "held"), (55, "KXTEST-26"), (54, "1"), (38, "1")],
                                 write=False)  # fmt: skip
        assert session.store.outbound_range(seq, seq)  # stored with its sequence number
        await asyncio.sleep(0.3)
        assert orders == [], "the bytes left before write_pending"
        initiator.write_pending()
        await wait_until(lambda: orders == ["held"])
        await initiator.stop()
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())
