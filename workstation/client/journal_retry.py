"""After a journal write failed (a full disk), find out when the journal can be written again.

A journal write that fails blocks trading: nothing may be sent unjournaled (``desk``). Once
the trader has freed disk space the block should lift without a restart. :class:`JournalRetry`
probes the journal:

- **automatically**, from the moment trading is blocked: after :data:`PROBE_FIRST_S`, then at
  doubling intervals up to :data:`PROBE_MAX_S`, until a probe succeeds or the desk stops;
- **on demand** (:meth:`JournalRetry.probe`): the Desk probes again whenever the trader tries
  to act while blocked, so the trader's own retry lifts the block as soon as space is free.

A probe (:func:`probe_room`) writes :data:`PROBE_BYTES` into the journal's file in one
committed transaction and deletes them again in another: both reach the disk (SQLite writes
them through its write-ahead log), so the file had room for that much and for the deletion,
and the freed pages stay in the file as room for the next journal rows. Only then does the
block lift; a probe that fails leaves it in place with the newest reason. A probe never runs
inside another transaction (it would join it, and nothing would be proven).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable

from workstation.client.journal import Journal
from workstation.fix.database import StoreError

__all__ = ["PROBE_BYTES", "PROBE_FIRST_S", "PROBE_MAX_S", "JournalRetry", "probe_room"]

#: Bytes a probe writes: room for several hundred journal rows.
PROBE_BYTES = 1 << 20
#: First wait before an automatic probe, and the longest between two.
PROBE_FIRST_S = 2.0
PROBE_MAX_S = 30.0
_PROBE_KEY = "space_probe"


def probe_room(journal: Journal, size: int = PROBE_BYTES) -> str | None:
    """Write ``size`` bytes into ``journal``'s file and delete them, each in its own committed
    transaction. None when both worked; otherwise what failed (the database's words)."""
    database = journal.database
    if database.connection.in_transaction:
        return "the journal is in the middle of a transaction; try again"
    try:
        with database.transaction():
            database.connection.execute(
                "INSERT OR REPLACE INTO journal_meta (key, value) VALUES (?, ?)",
                (_PROBE_KEY, "x" * size),
            )
        with database.transaction():
            database.connection.execute("DELETE FROM journal_meta WHERE key = ?", (_PROBE_KEY,))
    except (sqlite3.Error, StoreError) as exc:
        return f"the journal {journal.path} still cannot be written: {exc}"
    return None


class JournalRetry:
    """Probes the journal while trading is blocked; calls ``on_room`` once a probe succeeds.
    See the module docstring."""

    def __init__(
        self,
        *,
        journal: Callable[[], Journal | None],
        on_room: Callable[[], None],
        first: float = PROBE_FIRST_S,
        longest: float = PROBE_MAX_S,
    ) -> None:
        self._journal = journal
        self._on_room = on_room
        self.first = first
        self.longest = longest
        self.probes = 0  #: probes made so far
        self.last_problem = ""  #: why the last probe failed ("" if it did not)
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Begin probing on a timer (trading was just blocked); nothing if already probing or
        no event loop runs."""
        if self.running:
            return
        with contextlib.suppress(RuntimeError):
            self._task = asyncio.get_running_loop().create_task(self._run())

    def probe(self) -> bool:
        """Probe now; True (and ``on_room`` called) when the journal has room again."""
        journal = self._journal()
        if journal is None:
            return False
        self.probes += 1
        problem = probe_room(journal)
        if problem is not None:
            self.last_problem = problem
            return False
        self.last_problem = ""
        self._stop_timer()
        self._on_room()
        return True

    def _stop_timer(self) -> None:
        task, self._task = self._task, None
        if task is None or task.done():
            return
        current = None
        with contextlib.suppress(RuntimeError):
            current = asyncio.current_task()
        if task is not current:
            task.cancel()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        delay = self.first
        while True:
            await asyncio.sleep(delay)
            if self.probe():
                return
            delay = min(delay * 2, self.longest)
