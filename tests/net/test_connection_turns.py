"""A burst is handled one read at a time, with the event loop running between reads: a
window on the same loop never waits for a whole burst, only for one read's worth of it."""

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
BURST = 400


def test_the_loop_runs_between_the_reads_of_a_burst() -> None:
    async def scenario() -> None:
        registry = KeyRegistry()
        registry.register(API_KEY, KEY.public_key())

        def on_events(session: Session, events: list[Event]) -> None:
            registry.session_events(session, events)
            if any(isinstance(e, ApplicationMessageReceived) for e in events):
                for i in range(BURST):  # all written at once, at the end of this step
                    server.send(session, "8", [(37, f"o{i}"), (150, "0"), (58, "x" * 200)])

        server = await start_acceptor(
            DEFAULT_HOST, 0, lambda: acceptor_session(registry, SessionType.RT), on_events
        )
        timeline: list[str] = []  # "r" for a read's reports delivered, "t" for a loop turn
        ticking = True

        received = [0]

        def client_events(events: list[Event]) -> None:
            reports = sum(isinstance(e, ApplicationMessageReceived) for e in events)
            if reports:
                received[0] += reports
                timeline.append("r")


        def tick() -> None:
            if ticking:
                timeline.append("t")
                asyncio.get_running_loop().call_soon(tick)

        initiator = Initiator(
            initiator_session(KEY, SessionType.RT),
            host=DEFAULT_HOST,
            port=server.port,
            on_events=client_events,
            policy=fast_policy(),
            read_size=4096,
        )
        initiator.start()
        await wait_until(lambda: initiator.state is InitiatorState.ACTIVE)
        tick()
        initiator.send("D", [(11, "ord-1"), (55, "KXTEST-26"), (54, "1"), (38, "1")])
        await wait_until(lambda: received[0] == BURST)
        ticking = False
        reads = timeline.count("r")
        assert reads >= 20, f"a {BURST}-report burst in 4 KiB reads took only {reads} reads"
        # between any two reads the loop ran (the ticker got a turn)
        assert "rr" not in "".join(timeline), "".join(timeline)
        await initiator.stop()
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())
