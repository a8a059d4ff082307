"""Nothing is sent unjournaled: trading blocked while the journal cannot be written.

A journal (or session store) write that fails — a full disk — blocks trading
(:meth:`JournalGuard.block`): :attr:`JournalGuard.reason` holds the reason, a notice says it,
and every action is refused with it rather than sent unjournaled. From then on the journal is
probed (``journal_retry``: on a timer, and at the trader's next action,
:meth:`JournalGuard.allowed`); a probe that writes lifts the block by itself, and the Desk
picks up what the block held back (``on_lifted``).

The Desk's own conclusions (an order become Unknown, a drop-copy replay owed or done, quotes
expired) are journaled as notes through :meth:`JournalGuard.note`, so a note that cannot be
written blocks trading like any other journal write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from workstation.client.desk_updates import NoticeLevel
from workstation.client.journal import Journal, JournalFailed, NoteKind
from workstation.client.journal_retry import JournalRetry

__all__ = ["JournalGuard"]

_log = logging.getLogger(__name__)


class JournalGuard:
    """See the module docstring. ``sessions_changed`` tells the panels to show the sessions'
    status again (it shows the block)."""

    def __init__(
        self,
        *,
        journal: Callable[[], Journal | None],
        venue: Callable[[], str],
        notice: Callable[[str, NoticeLevel], None],
        sessions_changed: Callable[[], None],
        on_lifted: Callable[[], None],
    ) -> None:
        self._journal = journal
        self._venue = venue
        self._notice = notice
        self._sessions_changed = sessions_changed
        self._on_lifted = on_lifted
        #: Why trading is blocked ("" while it is not): a journal write failed.
        self.reason = ""
        #: Probes the journal while trading is blocked, and lifts the block (journal_retry).
        self.retry = JournalRetry(journal=journal, on_room=self._lift)

    def block(self, reason: str) -> None:
        """A journal (or store) write failed: refuse every action from now on, and say so."""
        if self.reason:
            return
        self.reason = (
            f"Trading is blocked: {reason}. Nothing more will be sent unjournaled; free disk "
            "space: the journal is tried again every few seconds and whenever you act, and "
            "trading resumes as soon as it can be written"
        )
        _log.error("%s", self.reason)
        self._notice(self.reason, NoticeLevel.WARNING)
        self._sessions_changed()
        self.retry.start()

    def allowed(self) -> bool:
        """Try the journal now (what the trader's next action does while trading is blocked);
        True when trading is allowed (again)."""
        return not self.reason or self.retry.probe()

    def _lift(self) -> None:
        """A probe wrote to the journal: lift the block, and pick up what it held back."""
        if not self.reason:
            return
        self.reason = ""
        _log.warning("the journal can be written again: trading is allowed")
        self._notice("The journal can be written again: trading is allowed", NoticeLevel.INFO)
        self._sessions_changed()
        self._on_lifted()

    def note(
        self, kind: NoteKind, account: str, at: float, *, subject: str = "", text: str = ""
    ) -> None:
        """Journal a conclusion of the Desk's own (nothing on a Desk that was never started);
        a note that cannot be written blocks trading."""
        journal = self._journal()
        if journal is None:
            return
        try:
            journal.record_note(
                venue=self._venue(), account=account, kind=kind, at=at, subject=subject, text=text
            )
        except JournalFailed as exc:
            self.block(str(exc))
