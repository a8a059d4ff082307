"""Journal, then send: how every message of the Desk's own leaves (DESIGN.md, store before
send).

The journal and the session stores share one database (``sessions.db``). :class:`JournaledSender`
writes the journal row and the session's stored copy of the message in one transaction, and
the bytes reach the transport only once it has committed. Anything that fails rolls both
back, and nothing has left: :class:`~workstation.client.desk_errors.ActionRefused` says why.
A journal or store that cannot be written blocks trading (``block``), so nothing more is
sent unjournaled.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from workstation.client.desk_errors import ActionRefused
from workstation.client.journal import Journal, JournalFailed
from workstation.client.session_link import SessionLink
from workstation.fix.database import Database, StoreError
from workstation.fix.errors import SessionNotActive
from workstation.fix.messages.fields import Body
from workstation.trading.ticket import Intent

__all__ = ["JournaledSender"]


class JournaledSender:
    """Sends the Desk's messages journaled (see the module docstring).

    ``journal`` and ``database`` are None on a Desk that was never started (tests of its
    synchronous parts): then a message is sent unjournaled. ``blocked`` says why trading is
    blocked ("" while it is not); ``block`` blocks it with a reason; ``path`` names the
    database file in those reasons."""

    def __init__(
        self,
        *,
        journal: Callable[[], Journal | None],
        database: Callable[[], Database | None],
        venue: Callable[[], str],
        blocked: Callable[[], str],
        block: Callable[[str], None],
        path: Path,
    ) -> None:
        self._journal = journal
        self._database = database
        self._venue = venue
        self._blocked = blocked
        self._block = block
        self._path = path

    def send(
        self,
        link: SessionLink,
        msg_type: str,
        body: Body,
        now: float,
        intent: Intent | None = None,
    ) -> int:
        """Journal and send: the journal row and the session's stored copy commit in one
        transaction (the journal and the session store share a database), and the bytes are
        written only once it has committed. Anything that fails rolls both back, and nothing
        has left: ActionRefused says why. Returns the MsgSeqNum."""
        database = self._database()
        transaction = contextlib.nullcontext() if database is None else database.transaction()
        try:
            with transaction:
                row = self._journal_sent(link, msg_type, body, now, intent)
                seq = self._transmit(link, row, msg_type, body)
        except SessionNotActive:
            raise ActionRefused(f"{link.session_type.value} went offline; not sent") from None
        except (sqlite3.Error, StoreError) as exc:  # the commit itself
            self._block(f"the journal {self._path} failed: {exc}")
            raise ActionRefused(self._blocked()) from None
        link.write_pending()
        return seq

    def _journal_sent(
        self,
        link: SessionLink,
        msg_type: str,
        body: Body,
        now: float,
        intent: Intent | None = None,
    ) -> int | None:
        """Journal a message before it is sent; returns its row (None on a Desk that was never
        started, which has no journal: tests of its synchronous parts). ActionRefused, and
        trading blocked, when the journal cannot take it."""
        if self._blocked():
            raise ActionRefused(self._blocked())
        journal = self._journal()
        if journal is None:
            return None
        try:
            return journal.record_sent(
                venue=self._venue(),
                account=link.account,
                session=link.session_type,
                price_format=link.price_format,
                msg_type=msg_type,
                body=body,
                sent_at=now,
                seq_num=link.session.next_sender_seq,
                intent=intent,
            )
        except JournalFailed as exc:
            self._block(str(exc))
            raise ActionRefused(self._blocked()) from None

    def _transmit(self, link: SessionLink, row: int | None, msg_type: str, body: Body) -> int:
        """Store a journaled message in its session (inside the caller's transaction; its
        bytes are written after that commits); returns its MsgSeqNum. SessionNotActive
        propagates; a store that cannot keep the message blocks trading."""
        expected = None if row is None else link.session.next_sender_seq
        try:
            seq = link.send(msg_type, body, write=False)
        except (sqlite3.Error, StoreError) as exc:
            self._block(f"the session store {self._path} failed: {exc}")
            raise ActionRefused(self._blocked()) from None
        journal = self._journal()
        if row is not None and seq != expected and journal is not None:
            try:
                journal.set_seq_num(row, seq)
            except JournalFailed as exc:
                self._block(str(exc))
                raise ActionRefused(self._blocked()) from None
        return seq
