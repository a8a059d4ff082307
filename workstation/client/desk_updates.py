"""What the Desk tells the panels, and when: one :class:`DeskUpdate` per event-loop turn.

Everything the Desk learns (trading-state changes, wire records, a session's status, notices,
a market snapshot) is gathered by :class:`UpdateBatcher` and delivered to every listener as
one update, so a burst of thousands of ExecutionReports is a handful of model updates, never
one per message.

The burst rule: an update is delivered on the loop turn after its first change; but once one
carried :data:`BURST_ITEMS` changes and wire records or more, the next waits until
:data:`UPDATE_INTERVAL_S` after it, so the panels' per-update work (repaint, totals) is paid a
few times a second during a burst, not once per socket read. Once the Desk has stopped
(:meth:`UpdateBatcher.close`), nothing more is delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from workstation.client.market_data import MarketSnapshot
from workstation.client.records import SessionInfo, WireRecord
from workstation.trading.changes import Change

__all__ = [
    "BURST_ITEMS",
    "UPDATE_INTERVAL_S",
    "DeskUpdate",
    "Notice",
    "NoticeLevel",
    "UpdateBatcher",
]

_log = logging.getLogger(__name__)

#: Seconds between two updates to the panels during a burst (see the module docstring).
UPDATE_INTERVAL_S = 0.05
#: Changes and wire records in one update that make it a burst's: one socket read of a burst
#: (16 KiB, about 35 reports: 35 wire records and their changes) is well above it; a trader's
#: own order and its answers stay below.
BURST_ITEMS = 60


class NoticeLevel(StrEnum):
    INFO = "info"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, kw_only=True)
class Notice:
    at: float
    level: NoticeLevel
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskUpdate:
    """Everything that changed during one event-loop turn."""

    changes: list[Change] = field(default_factory=list)
    wire: list[WireRecord] = field(default_factory=list)
    sessions: list[SessionInfo] | None = None
    notices: list[Notice] = field(default_factory=list)
    market: MarketSnapshot | None = None


class _Pending:
    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.wire: list[WireRecord] = []
        self.sessions = False
        self.notices: list[Notice] = []
        self.market: MarketSnapshot | None = None

    @property
    def empty(self) -> bool:
        return not (self.changes or self.wire or self.sessions or self.notices or self.market)


class UpdateBatcher:
    """Gathers what changed and delivers it as one :class:`DeskUpdate` (module docstring).

    ``deliver`` is what the event loop calls when an update is due: the Desk's ``flush``,
    looked up on every call, so a flush replaced on the Desk (a benchmark timing it) is the one
    that runs. ``session_infos`` gives the status of every session, for an update that says a
    session changed."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        session_infos: Callable[[], list[SessionInfo]],
        deliver: Callable[[], None],
    ) -> None:
        self._clock = clock
        self._session_infos = session_infos
        self._deliver = deliver
        self._listeners: list[Callable[[DeskUpdate], None]] = []
        self._pending = _Pending()
        self._flush_scheduled = False
        self._flush_handle: asyncio.Handle | None = None
        self._flushed_at = float("-inf")  # loop time of the last update delivered
        self._closed = False  # the Desk stopped: the last update has been delivered
        self._bursting = False  # the last update was a burst's: the next one waits its turn

    def subscribe(self, listener: Callable[[DeskUpdate], None]) -> None:
        self._listeners.append(listener)

    def wire(self, record: WireRecord) -> None:
        self._pending.wire.append(record)
        self.schedule()

    def market(self, snapshot: MarketSnapshot) -> None:
        self._pending.market = snapshot
        self.schedule()

    def notice(self, text: str, level: NoticeLevel = NoticeLevel.INFO) -> None:
        self._pending.notices.append(Notice(at=self._clock(), level=level, text=text))
        self.schedule()

    def schedule(self, *, changes: list[Change] | None = None, sessions: bool = False) -> None:
        """Add ``changes`` (and, with ``sessions``, the sessions' status) to the next update,
        and make sure one is due."""
        if changes:
            self._pending.changes.extend(changes)
        if sessions:
            self._pending.sessions = True
        if self._flush_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (unit tests of the synchronous parts)
            return
        if self._closed:
            return  # stopped: the last update has been delivered
        self._flush_scheduled = True
        wait = self._flushed_at + UPDATE_INTERVAL_S - loop.time() if self._bursting else 0.0
        if wait > 0:
            self._flush_handle = loop.call_later(wait, self._deliver)
        else:
            self._flush_handle = loop.call_soon(self._deliver)

    def flush(self) -> None:
        """Deliver everything pending as one update: on the loop turn after a change, and at
        most every :data:`UPDATE_INTERVAL_S` while changes keep coming."""
        self._flush_scheduled = False
        if self._flush_handle is not None:
            self._flush_handle.cancel()  # a flush called directly replaces the scheduled one
            self._flush_handle = None
        with contextlib.suppress(RuntimeError):
            self._flushed_at = asyncio.get_running_loop().time()
        pending, self._pending = self._pending, _Pending()
        self._bursting = len(pending.changes) + len(pending.wire) >= BURST_ITEMS
        if pending.empty:
            return
        update = DeskUpdate(
            changes=pending.changes,
            wire=pending.wire,
            sessions=self._session_infos() if pending.sessions else None,
            notices=pending.notices,
            market=pending.market,
        )
        for listener in self._listeners:
            try:
                listener(update)
            except Exception:
                _log.exception("desk listener failed")

    def close(self) -> None:
        """The Desk has delivered its last update: nothing is scheduled from now on."""
        self._closed = True
