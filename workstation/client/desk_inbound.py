"""What the Desk does with what its sessions report (the callbacks of each SessionLink).

- **An application message** (:meth:`DeskInbound.message`) arrives inside the store
  transaction of its read chunk: it is journaled first (the row commits with the session's
  inbound sequence number), then applied to the trading state (``inbound``). A journal that
  cannot take it blocks trading, and the exception rolls the chunk back. An order it leaves
  Unknown is reconciled; a drop-copy U2 or U3 answers the heal.
- **A notice** (:meth:`DeskInbound.notice`) is shown; one about messages lost for good (a
  garbled frame) makes drop copy owe what they may have held.
- **A status change** (:meth:`DeskInbound.status`): when the order session logs on, drop copy
  owes what it missed while down, and Unknown orders are reconciled after a grace period;
  when it drops, orders sent and not yet answered become Unknown. KalshiPT's status drives
  settlement recovery; KalshiDC's logon asks for a heal still owed.
"""

from __future__ import annotations

from collections.abc import Callable

from workstation.client.desk_heal import DropCopyHeal
from workstation.client.desk_journal_guard import JournalGuard
from workstation.client.desk_reconcile import Reconciler
from workstation.client.desk_updates import NoticeLevel
from workstation.client.inbound import Inbound
from workstation.client.journal import Journal, JournalFailed
from workstation.client.profiles import Profile
from workstation.client.session_link import LinkNotice, SessionLink
from workstation.client.settlement_recovery import SettlementRecovery
from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.trading.changes import Change, OrderChanged
from workstation.trading.order_state import OrderStatus

__all__ = ["DeskInbound"]


class DeskInbound:
    """See the module docstring. ``publish`` hands changes to the panels, ``sessions_changed``
    tells them to show the sessions' status again."""

    def __init__(
        self,
        inbound: Inbound,
        *,
        journal: Callable[[], Journal | None],
        venue: Callable[[], str],
        profile: Callable[[], Profile],
        heal: DropCopyHeal,
        reconciler: Reconciler,
        settlement_recovery: SettlementRecovery,
        guard: JournalGuard,
        clock: Callable[[], float],
        notice: Callable[[str, NoticeLevel], None],
        publish: Callable[[list[Change]], None],
        sessions_changed: Callable[[], None],
    ) -> None:
        self._inbound = inbound
        self._journal = journal
        self._venue = venue
        self._profile = profile
        self._heal = heal
        self._reconciler = reconciler
        self._settlement_recovery = settlement_recovery
        self._guard = guard
        self._clock = clock
        self._notice = notice
        self._publish = publish
        self._sessions_changed = sessions_changed
        self._was_active: dict[int, bool] = {}  # id(link) -> logged on at its last status

    def message(self, link: SessionLink, msg: FixMessage, poss_dup: bool) -> None:
        """One inbound application message, inside its chunk's store transaction: journal
        it (the row commits with the inbound sequence number), then apply it. A journal
        that cannot take it blocks trading, and the exception rolls the chunk back."""
        now = self._clock()
        journal = self._journal()
        if journal is not None:
            try:
                journal.record_inbound(
                    venue=self._venue(),
                    account=link.account,
                    session=link.session_type,
                    price_format=link.price_format,
                    message=msg,
                    received_at=now,
                )
            except JournalFailed as exc:
                self._guard.block(str(exc))
                raise
        result = self._inbound.apply(
            msg,
            session=link.session_type,
            venue=self._venue(),
            account=link.account,
            price_format=link.price_format,
            now=now,
        )
        for text in result.notices:
            self._notice(text, NoticeLevel.WARNING)
        if result.changes:
            if any(
                isinstance(c, OrderChanged) and c.order.status is OrderStatus.UNKNOWN
                for c in result.changes
            ):
                self._reconciler.soon()
            self._publish(result.changes)
        if msg.msg_type in ("U2", "U3") and link.session_type is SessionType.DC:
            self._heal.answered(link, msg)

    def notice(self, notice: LinkNotice) -> None:
        level = NoticeLevel.WARNING if notice.warning else NoticeLevel.INFO
        self._notice(notice.text, level)
        if notice.gap:  # lost messages the session cannot resend: drop copy owes them
            self._heal.stream_broken(notice, self._profile().order_session)

    def status(self, link: SessionLink) -> None:
        active = link.active
        was = self._was_active.get(id(link), False)
        self._was_active[id(link)] = active
        order_session = self._profile().order_session
        ordering = link.session_type is order_session and not link.settings.listener
        if ordering and active and not was:
            # Logged on: what was missed while it was down is owed by drop copy from the
            # newest ExecID held now; Unknown orders are asked about after a grace period.
            self._reconciler.order_logged_on()
            self._heal.order_logged_on(link.account)
            self._reconciler.soon()
        elif ordering and was and not active:
            reason = "the connection dropped before an answer; reconciling"
            self._publish(self._reconciler.mark_unanswered(reason, self._clock(), link.account))
        if link.session_type is SessionType.PT:
            self._settlement_recovery.status(
                active=active, logon_reset=lambda: link.logon_reset, account=link.account
            )
        if link.session_type is SessionType.DC and not active:
            self._heal.dc_dropped()
        heals = ordering or link.session_type is SessionType.DC
        if heals and active and not was and self._heal.owed:
            self._heal.now()
        self._sessions_changed()
