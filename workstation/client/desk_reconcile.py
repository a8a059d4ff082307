"""Orders whose outcome is unknown, and how the Desk settles them (DECISIONS.md).

An order sent and never answered becomes *Unknown — reconciling*: when the workstation
restarted before its answer (:meth:`Reconciler.mark_unanswered` from the journal's replay)
and when the order session drops before it (the same, for that account). Each mark is
journaled (an ``ORDER_UNKNOWN`` note) before it is applied.

:class:`Reconciler` settles them once the order session is up: after
:attr:`Reconciler.grace` (a KalshiRT resend or a drop-copy replay may settle them first; while
a drop-copy replay is still under way it waits up to :data:`RECONCILE_MAX_WAITS` grace
periods more), each order still Unknown, and each one whose cancel or replace went
unanswered (``reconcile_pending``), gets a cancel request whose answer proves where it
stands: once per order per connection of the order session. A NewOrderSingle is never
resent on its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from workstation.client.desk_errors import ActionRefused
from workstation.client.desk_journal_guard import JournalGuard
from workstation.client.desk_sending import JournaledSender
from workstation.client.desk_updates import NoticeLevel
from workstation.client.journal import NoteKind
from workstation.client.reconcile_pending import orders_to_reconcile
from workstation.client.session_link import SessionLink
from workstation.fix.state import SessionState
from workstation.trading.changes import Change
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.orders import Orders

__all__ = ["RECONCILE_GRACE_S", "RECONCILE_MAX_WAITS", "Reconciler"]

#: Seconds after the order session logs on before Unknown orders get their reconciling
#: cancel: time for a KalshiRT resend or a drop-copy replay to settle them first.
RECONCILE_GRACE_S = 1.5
#: How many grace periods reconciling waits for a drop-copy replay still under way.
RECONCILE_MAX_WAITS = 8
_UNANSWERED = frozenset({OrderStatus.PENDING_SUBMIT, OrderStatus.PENDING_NEW})


class Reconciler:
    """See the module docstring. ``heal_in_flight`` says whether a drop-copy replay is still
    under way; ``trading_blocked`` why trading is blocked ("" when it is not)."""

    def __init__(
        self,
        orders: Orders,
        *,
        venue: Callable[[], str],
        listen_only: bool,
        order_link: Callable[[], SessionLink | None],
        trading_blocked: Callable[[], str],
        heal_in_flight: Callable[[], bool],
        sender: JournaledSender,
        guard: JournalGuard,
        clock: Callable[[], float],
        notice: Callable[[str, NoticeLevel], None],
        publish: Callable[[list[Change]], None],
    ) -> None:
        self._orders = orders
        self._venue = venue
        self._listen_only = listen_only
        self._order_link = order_link
        self._trading_blocked = trading_blocked
        self._heal_in_flight = heal_in_flight
        self._sender = sender
        self._guard = guard
        self._clock = clock
        self._notice = notice
        self._publish = publish
        #: Seconds between the order session's logon and reconciling Unknown orders.
        self.grace = RECONCILE_GRACE_S
        self._reconciled: set[str] = set()  # orders asked about on this order connection
        self._handle: asyncio.TimerHandle | None = None
        self._waits = 0  # grace periods waited for drop copy since the logon
        self._logon_at = 0.0  # when the order session last logged on
        self._stopping = False

    def stop(self) -> None:
        """The Desk is stopping: nothing more is reconciled."""
        self._stopping = True
        if self._handle is not None:
            self._handle.cancel()
        self._handle = None

    def order_logged_on(self) -> None:
        """The order session logged on: every order may be asked about once more, and only
        requests sent before now count as unanswered."""
        self._reconciled.clear()
        self._waits = 0
        self._logon_at = self._clock()

    def mark_unanswered(self, reason: str, now: float, account: str | None = None) -> list[Change]:
        """Every open order of ours (of ``account``, or of every account) sent and not yet
        answered becomes Unknown, for ``reason``."""
        changes: list[Change] = []
        for order in self._orders.open_orders(self._venue(), account):
            if order.confirmed_status in _UNANSWERED and not order.external:
                changes += self.mark_unknown(order, reason, now)
        return changes

    def mark_unknown(self, order: Order, reason: str, now: float) -> list[Change]:
        """Journal and apply: ``order``'s outcome is unknown (it will be reconciled)."""
        self._guard.note(
            NoteKind.ORDER_UNKNOWN, order.account, now, subject=order.cl_ord_id, text=reason
        )
        self.soon()
        return self._orders.mark_unknown(order.cl_ord_id, reason, now=now)

    def soon(self) -> None:
        """Settle Unknown orders after :attr:`grace` (a report may settle them first); called
        when an order becomes Unknown and when the order session logs on."""
        if self._listen_only or self._stopping or self._handle is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._handle = loop.call_later(self.grace, self._reconcile)

    def _reconcile(self) -> None:
        """Send each Unknown order's reconciling cancel (DECISIONS.md): an acknowledgement
        proves it was live (and now is not), "unknown order" that it never reached the
        exchange. Once per order per connection of the order session; never a resend."""
        self._handle = None
        link = self._order_link()
        if self._trading_blocked() or link is None or not link.active:
            return  # the next logon calls again
        if link.session.state is not SessionState.ACTIVE:
            return
        if self._heal_in_flight() and self._waits < RECONCILE_MAX_WAITS:
            self._waits += 1  # drop copy may still settle some: give it its chance
            self.soon()
            return
        changes: list[Change] = []
        asked = 0
        for order in orders_to_reconcile(
            self._orders,
            venue=self._venue(),
            account=link.account,
            sent_before=self._logon_at,
        ):  # Unknown orders, and orders whose cancel or replace went unanswered
            root = order.first_cl_ord_id
            if root in self._reconciled:
                continue
            try:
                request = self._orders.reconcile_request(order.cl_ord_id)
            except (LookupError, ValueError):
                continue
            now = self._clock()
            try:
                seq = self._sender.send(link, "F", request.to_body(link.price_format), now)
            except ActionRefused as exc:
                self._notice(f"Could not reconcile order {root}: {exc}", NoticeLevel.WARNING)
                break
            self._reconciled.add(root)
            changes += self._orders.cancel_requested(request, now=now, reconcile=True)
            self._orders.note_sent(request.cl_ord_id, seq)
            asked += 1
        if asked:
            self._notice(
                f"Reconciling {asked} order(s) whose outcome, or the answer to a cancel or "
                "replace, is unknown: a cancel request for each tells where it stands",
                NoticeLevel.INFO,
            )
        self._publish(changes)
