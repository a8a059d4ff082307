"""Store continuity across a killed process: a child workstation process logs on to KalshiRT
with a SQLite store, sends orders, is killed with SIGKILL, starts again, and both sides carry
on with the next sequence numbers: no reset, no gap, no resend."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.fix.events import (
    ApplicationMessageReceived,
    Event,
    GapDetected,
    LogonAccepted,
    ResendRequestSent,
)
from workstation.fix.session import Session
from workstation.fix.sqlite_store import SqliteStore, open_store
from workstation.net.acceptor import DEFAULT_HOST, AcceptorServer, start_acceptor

from .support import (
    API_KEY,
    KeyRegistry,
    acceptor_session,
    new_rsa_key,
    wait_until,
    write_private_key,
)

CHILD = Path(__file__).with_name("child_initiator.py")
COUNT = 3


class Child:
    """One run of child_initiator.py, its stdout read line by line."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []

    @classmethod
    async def start(cls, *args: str) -> Child:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(CHILD), *args, stdout=asyncio.subprocess.PIPE
        )
        return cls(proc)

    async def expect(self, prefix: str, timeout: float = 30.0) -> str:
        """The first line said so far, or from now on, that starts with ``prefix``."""
        assert self.proc.stdout is not None
        for line in self.lines:
            if line.startswith(prefix):
                return line
        async with asyncio.timeout(timeout):
            while True:
                raw = await self.proc.stdout.readline()
                assert raw, f"child exited early; said {self.lines}"
                line = raw.decode().strip()
                self.lines.append(line)
                if line.startswith(prefix):
                    return line

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        if self.proc.stdout is not None:
            self.lines += (await self.proc.stdout.read()).decode().splitlines()


class RtVenue:
    """A KalshiRT acceptor keeping one SQLite store per API key, greeting every logon with an
    ExecutionReport so that the client's inbound numbers move too."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.stores: list[SqliteStore] = []
        self.registry = KeyRegistry(store_factory=self._store)
        self.seen: list[Event] = []
        self.server: AcceptorServer[Session] | None = None

    def _store(self, api_key: str) -> SqliteStore:
        store = open_store(self.db_path, SessionType.RT.value, api_key, time.time())
        self.stores.append(store)
        return store

    def on_events(self, session: Session, events: list[Event]) -> None:
        self.registry.session_events(session, events)
        self.seen.extend(events)
        assert self.server is not None
        for event in events:
            if isinstance(event, LogonAccepted):
                self.server.send(session, "8", [(37, "X"), (150, "0"), (39, "0")])

    def received(self, since: int) -> int:
        return sum(isinstance(e, ApplicationMessageReceived) for e in self.seen[since:])


def test_sequence_numbers_continue_after_the_client_process_is_killed(tmp_path: Path) -> None:
    key = new_rsa_key()
    key_file = write_private_key(key, tmp_path / "api.key")
    client_db = tmp_path / "workstation.db"
    venue = RtVenue(tmp_path / "venue.db")
    venue.registry.register(API_KEY, key.public_key())

    async def run_child(server: AcceptorServer[Session], run: str) -> tuple[list[str], list[Event]]:
        start = len(venue.seen)
        child = await Child.start(
            str(server.port), str(client_db), str(key_file), API_KEY, run, str(COUNT)
        )
        try:
            await child.expect("sent")
            await wait_until(lambda: venue.received(start) == COUNT)
            await child.expect("received 8")
        finally:
            await child.kill()  # SIGKILL: no Logout, no clean shutdown of the store
        await wait_until(lambda: not server.sessions and not venue.registry.live)
        return child.lines, venue.seen[start:]

    async def scenario() -> tuple[list[str], list[Event], list[str], list[Event]]:
        server = await start_acceptor(
            DEFAULT_HOST,
            0,
            lambda: acceptor_session(venue.registry, SessionType.RT),
            venue.on_events,
        )
        venue.server = server
        try:
            first_lines, first = await run_child(server, "run1")
            second_lines, second = await run_child(server, "run2")
        finally:
            await server.close()
        return first_lines, first, second_lines, second

    try:
        first_lines, first, second_lines, second = asyncio.run(scenario())
    finally:
        for store in venue.stores:
            store.database.close()

    def logon(events: list[Event]) -> LogonAccepted:
        [accepted] = [e for e in events if isinstance(e, LogonAccepted)]
        return accepted

    def orders(events: list[Event]) -> list[tuple[int | None, str | None]]:
        return [
            (e.message.seq_num, e.message.get(11))
            for e in events
            if isinstance(e, ApplicationMessageReceived)
        ]

    # First run: a fresh store on both sides, Logon is 1, the orders 2..4.
    assert logon(first).message.seq_num == 1
    assert orders(first) == [(2, "run1-0"), (3, "run1-1"), (4, "run1-2")]
    assert "sent 2 3 4" in first_lines
    assert "logon reset=N seq=1" in first_lines and "received 8 seq=2" in first_lines
    # Second run, after SIGKILL: the same numbers carry on, in both directions.
    assert not logon(second).reset_seq_nums
    assert logon(second).message.seq_num == 5
    assert orders(second) == [(6, "run2-0"), (7, "run2-1"), (8, "run2-2")]
    assert "sent 6 7 8" in second_lines
    assert "logon reset=N seq=3" in second_lines and "received 8 seq=4" in second_lines
    # Nobody saw a gap or asked for a resend.
    for events in (first, second):
        assert not [e for e in events if isinstance(e, GapDetected | ResendRequestSent)]
    assert not [line for line in first_lines + second_lines if line.startswith("gap")]
