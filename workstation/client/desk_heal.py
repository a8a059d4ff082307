"""Healing from drop copy: what the order session missed, asked of KalshiDC (SPEC §14.1).

KalshiNR cannot resend what it sent while the desk was away (down, disconnected, restarting,
or reading a garbled frame, SPEC §7.2). Drop copy can: an EventResendRequest (U1) asks for
every ExecutionReport from a BeginExecID on. :class:`DropCopyHeal` keeps what is owed:

- **Owed.** When the order session logs on, and when a stream breaks, drop copy owes every
  report from the newest ExecID held then (``heal_start``: or from the start of its window
  when none is held but orders were sent). That BeginExecID is journaled (a ``HEAL_OWED``
  note), so the replay stays owed across reconnects and restarts, until an
  EventResendComplete (U2) for it is journaled (``HEAL_DONE``). An earlier replay that has
  not finished is not moved forward: it already starts before.
- **Asked.** Once both the order session and KalshiDC are logged on, one U1 at a time.
- **Answered.** A U2 ends the replay (its reports are journaled before it); so does an
  EventResendReject (U3), except when rate limited, which is asked again after
  :data:`HEAL_RETRY_S`. A U2 for a request sent before the order session reconnected (or its
  stream broke) covers too little: it is asked once more.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from workstation.client.desk_journal_guard import JournalGuard
from workstation.client.heal_start import heal_start
from workstation.client.journal import Journal, NoteKind
from workstation.client.session_link import LinkNotice, SessionLink
from workstation.fix.dialect import SessionType
from workstation.fix.errors import SessionNotActive
from workstation.fix.message import FixMessage
from workstation.fix.messages import EventResendRequest
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.state import SessionState
from workstation.trading.state import TradingState

__all__ = ["HEAL_RETRY_S", "DropCopyHeal"]

#: Seconds before a drop-copy request refused as rate limited is asked again.
HEAL_RETRY_S = 1.5


class DropCopyHeal:
    """See the module docstring. ``link_for`` finds the KalshiDC link, ``order_link`` the
    order session's."""

    def __init__(
        self,
        state: TradingState,
        *,
        journal: Callable[[], Journal | None],
        venue: Callable[[], str],
        link_for: Callable[[SessionType], SessionLink | None],
        order_link: Callable[[], SessionLink | None],
        guard: JournalGuard,
        clock: Callable[[], float],
    ) -> None:
        self._orders = state.orders
        self._fills = state.fills
        self._journal = journal
        self._venue = venue
        self._link_for = link_for
        self._order_link = order_link
        self._guard = guard
        self._clock = clock
        self._from: ExecId | None = None  # drop copy owes every report from here on
        self._in_flight = False  # a U1 is out on the current KalshiDC connection
        self._order_logons = 0  # logons of the order session so far, and breaks in its stream
        self._asked_at = 0  # ... when the U1 in flight was sent
        self._retry: asyncio.TimerHandle | None = None

    @property
    def owed(self) -> bool:
        """Drop copy owes a replay (asked or not yet)."""
        return self._from is not None

    @property
    def in_flight(self) -> bool:
        """A U1 is out on the current KalshiDC connection, unanswered."""
        return self._in_flight

    def restored(self, owed: ExecId | None) -> None:
        """The journal says drop copy still owes every report from ``owed`` (or nothing)."""
        self._from = owed

    def ask(self) -> bool:
        """Ask KalshiDC for every report from the ExecID drop copy still owes us — the newest
        the journal held when the order session last logged on — or else from the newest
        held now (SPEC §14.1). Until its EventResendComplete (U2) is journaled, the replay
        stays owed, across reconnects and restarts."""
        dc = self._link_for(SessionType.DC)
        order_link = self._order_link()
        if dc is None or not dc.active or order_link is None or not order_link.active:
            return False
        if dc.session.state is not SessionState.ACTIVE:
            # Logging out: a send would raise inside the transaction of the message being
            # handled (one database for every session) and roll that message back.
            return False
        begin = self._from or self._start(order_link.account)
        if begin is None:
            return False
        request = EventResendRequest(begin_exec_id=begin)
        try:
            dc.send("U1", request.to_body(dc.price_format))
        except SessionNotActive:
            return False
        self._in_flight = True
        self._asked_at = self._order_logons
        return True

    def now(self) -> None:
        """Ask now, unless a request is already out."""
        if not self._in_flight:
            self.ask()

    def later(self) -> None:
        """Ask drop copy again shortly (after a rate-limited refusal, a reconnect during a
        replay, or a gap)."""
        if self._retry is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return

        def retry() -> None:
            self._retry = None
            self.now()

        self._retry = loop.call_later(HEAL_RETRY_S, retry)

    def stop(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
        self._retry = None

    def order_logged_on(self, account: str) -> None:
        """The order session logged on: what it missed while down is owed from now."""
        self._order_logons += 1
        self._owe(account)

    def dc_dropped(self) -> None:
        """KalshiDC went down: a request out on it will not be answered."""
        self._in_flight = False

    def stream_broken(self, notice: LinkNotice, order_session: SessionType) -> None:
        """A session that cannot resend lost messages (a garbled frame, SPEC §7.2): on the
        order session they may have been fills, on KalshiDC part of a replay or its U2. Drop
        copy owes everything from the newest ExecID held before the gap (the message that
        revealed it is applied after this), and a replay in flight no longer covers it, so
        it is asked again once the rate limit allows."""
        if notice.session is SessionType.DC:
            self._in_flight = False  # its U2 may be what was lost
        elif notice.session is not order_session:
            return
        self._order_logons += 1
        self._owe(notice.account)
        self.later()

    def answered(self, link: SessionLink, msg: FixMessage) -> None:
        """U2 ends the owed replay (its reports are journaled before it); U3 ends it too,
        except when rate limited, which is asked again shortly."""
        self._in_flight = False
        if msg.msg_type == "U3" and msg.get(21004) == "1":
            self.later()
            return
        if msg.msg_type == "U2" and self._asked_at != self._order_logons:
            self.later()  # the order session reconnected meanwhile: ask once more
            return
        if self._from is not None:
            self._from = None
            text = "complete" if msg.msg_type == "U2" else f"refused ({msg.get(21004)})"
            self._guard.note(NoteKind.HEAL_DONE, link.account, self._clock(), text=text)

    def _start(self, account: str) -> ExecId | None:
        """The newest ExecID held, or the start of drop copy's window when none is held but
        orders were sent (``heal_start``)."""
        newest = self._newest_exec_id(account)
        return heal_start(newest, self._orders, venue=self._venue(), account=account)

    def _newest_exec_id(self, account: str) -> ExecId | None:
        journal = self._journal()
        if journal is not None:
            return journal.newest_exec_id(self._venue(), account)
        return self._fills.newest_exec_id(self._venue(), account)

    def _owe(self, account: str) -> None:
        """The order session (re)logged on: whatever it missed while down comes after the
        newest ExecID held now, so drop copy owes us everything from there (unless an
        earlier, unfinished replay already starts before it)."""
        if self._from is not None:
            return
        newest = self._start(account)
        if newest is None:
            return
        self._from = newest
        self._guard.note(NoteKind.HEAL_OWED, account, self._clock(), subject=str(newest))
