"""A burst is handled one read at a time, with the event loop running between reads: a
window on the same loop never waits for a whole burst, only for one read's worth of it."""

from __future__ import annotations

import asyncio
from typing import Any

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


def test_a_stream_of_sends_does_not_re_arm_the_timer_for_each_message() -> None:
    """Each message moves the heartbeat deadline a little later; the armed timer is kept
    (it fires early and re-arms), so a burst of sends schedules next to no new timers, and
    the heartbeat still goes out when the line is quiet."""

    async def scenario() -> None:
        registry = KeyRegistry()
        registry.register(API_KEY, KEY.public_key())
        heartbeats: list[Event] = []

        def on_events(session: Session, events: list[Event]) -> None:
            registry.session_events(session, events)

        server = await start_acceptor(
            DEFAULT_HOST, 0, lambda: acceptor_session(registry, SessionType.RT), on_events
        )
        session = initiator_session(KEY, SessionType.RT, heartbeat_interval=3)
        initiator = Initiator(
            session, host=DEFAULT_HOST, port=server.port, on_events=heartbeats.extend,
            policy=fast_policy(),
        )  # fmt: skip
        initiator.start()
        await wait_until(lambda: initiator.state is InitiatorState.ACTIVE)
        loop = asyncio.get_running_loop()
        armed = [0]
        original = loop.call_later

        def counting(delay: float, callback: Any, *args: Any) -> asyncio.TimerHandle:
            if getattr(callback, "__name__", "") == "_on_timer":
                armed[0] += 1
            return original(delay, callback, *args)

        loop.call_later = counting  # type: ignore[method-assign,assignment]
        try:
            for i in range(300):
                initiator.send("D", [(11, f"o{i}"), (55, "KXTEST-26"), (54, "1"), (38, "1")])
                if i % 50 == 0:
                    await asyncio.sleep(0)
            assert armed[0] <= 3, f"the timer was re-armed {armed[0]} times for 300 sends"
            sent_before = session.next_sender_seq
            await asyncio.sleep(3.6)  # quiet for over a HeartBtInt: a Heartbeat goes out
            assert session.next_sender_seq > sent_before
        finally:
            loop.call_later = original  # type: ignore[method-assign]
        await initiator.stop()
        await server.close()
        assert other_tasks() == set()

    asyncio.run(scenario())
