"""The Desk: the workstation without its windows.

It opens the active profile's venue (starting the local simulator when the profile is local),
logs on one :class:`SessionLink` per enabled session type (or, for a desk monitor, one
listener per watched account), applies what the venue sends to the trading state, polls
markets and balance over REST, and runs the trader's actions as coroutines. Everything the UI
needs arrives as one :class:`DeskUpdate` per event-loop turn (coalesced), so a burst of
thousands of ExecutionReports is a handful of model updates, never one per message.

Actions return once the message is on the wire; the exchange's answer arrives as changes.
Validation and risk failures raise :class:`ActionRefused` with the sentence to show; a
confirmation threshold raises :class:`NeedsConfirmation`.

The journal (``journal``, in ``sessions.db`` beside the session stores). Every inbound
application message is journaled inside the store transaction of its read chunk, so the row
and the session's inbound sequence number commit together; every message an action sends
is journaled before it is sent. On start, before any session logs on, the journal of this
venue is replayed (``journal_replay``), so the blotter, positions, RFQs, groups and
settlements are exactly as they were — after a clean stop or a ``kill -9``. Orders left
without an answer become *Unknown — reconciling*, as do orders in flight when the order
session drops; once the order session is logged on (and drop copy has been asked for what
was missed), each order still Unknown gets the cancel request of DECISIONS.md, whose answer
settles it. A NewOrderSingle is never resent on its own.

A journal file that is not SQLite, damaged or newer is refused untouched
(:class:`~workstation.client.journal.JournalRefused` from :meth:`Desk.start`). A journal write
that fails (disk full) blocks trading: :attr:`Desk.trading_blocked` holds the reason, a
notice says it, and every action is refused with it rather than sent unjournaled, until
a probe writes to the journal again; then the block lifts by itself.

This module is the façade and the life cycle; each concern lives in its own module:
``desk_updates`` (the batched updates), ``desk_sending`` (journal, then send),
``desk_order_actions`` (the trader's order actions), ``desk_inbound`` (what the sessions
report), ``desk_heal`` (drop-copy healing), ``desk_reconcile`` (Unknown orders),
``desk_journal_guard`` (trading blocked), ``desk_sessions`` (which sessions, their keys and
status) and ``desk_market`` (REST market data).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from workstation.client.config import WorkstationConfig
from workstation.client.desk_errors import ActionRefused, NeedsConfirmation
from workstation.client.desk_heal import DropCopyHeal
from workstation.client.desk_inbound import DeskInbound
from workstation.client.desk_journal_guard import JournalGuard
from workstation.client.desk_market import MarketFeed
from workstation.client.desk_order_actions import OrderActions, risk_limits
from workstation.client.desk_reconcile import Reconciler
from workstation.client.desk_sending import JournaledSender
from workstation.client.desk_sessions import (
    PassphrasePrompt,
    link_key,
    planned_sessions,
    session_infos,
)
from workstation.client.desk_updates import DeskUpdate, Notice, NoticeLevel, UpdateBatcher
from workstation.client.inbound import Inbound
from workstation.client.journal import Journal, NoteKind
from workstation.client.journal_replay import replay
from workstation.client.local_identity import provision_local
from workstation.client.local_venue_process import LocalVenueProcess
from workstation.client.market_data import MarketSnapshot
from workstation.client.profiles import Profile, SessionSettings, VenueKind
from workstation.client.records import SessionInfo
from workstation.client.rfq_actions import RfqActions, RfqRefused
from workstation.client.session_link import SessionLink
from workstation.client.settlement_recovery import SettlementRecovery
from workstation.fix.auth import LogonSigner
from workstation.fix.database import Database
from workstation.fix.dialect import SessionType
from workstation.fix.messages import OrderGroupAction
from workstation.fix.messages.enums import Side
from workstation.fix.sqlite_store import SqliteStore
from workstation.trading.changes import Change
from workstation.trading.order import Order
from workstation.trading.state import TradingState
from workstation.trading.ticket import Intent, Ticket

__all__ = [
    "ActionRefused",
    "Desk",
    "DeskUpdate",
    "NeedsConfirmation",
    "Notice",
    "NoticeLevel",
]

_log = logging.getLogger(__name__)

if TYPE_CHECKING:  # the in-process venue imports the whole simulator: only when asked for
    from workstation.client.local_venue import LocalVenue

#: The journal and the session stores, in the data directory.
DATABASE_FILE = "sessions.db"

T = TypeVar("T")


class Desk:
    """See the module docstring."""

    def __init__(
        self,
        config: WorkstationConfig,
        *,
        data_dir: Path,
        clock: Callable[[], float] = time.time,
        local_flow: bool = True,
        venue_in_process: bool = False,
    ) -> None:
        self.config = config
        self.profile: Profile = config.active
        self.data_dir = data_dir
        self.clock = clock
        self.local_flow = local_flow
        #: Run the local venue on this loop (tests that drive its objects) instead of as a
        #: child process (the workstation: its matching and flow then use another core).
        self.venue_in_process = venue_in_process
        self.listen_only = self.profile.listen_only
        self.venue_id = f"{self.profile.kind.value}:{self.profile.host}"
        self.accounts: list[str] = []
        self.state = TradingState()
        self.orders = self.state.orders
        self.fills = self.state.fills
        self.positions = self.state.positions
        self.groups = self.state.groups
        self.rfqs = self.state.rfqs
        self.maker_rfqs = self.state.maker_rfqs
        self.settlements = self.state.settlements
        self.inbound = Inbound(self.state)
        #: What changed, delivered to the listeners once per loop turn (desk_updates). Its
        #: timer calls ``self.flush`` as it is then (a benchmark may have replaced it).
        self._updates = UpdateBatcher(
            clock=clock,
            session_infos=self.session_infos,
            deliver=lambda: self.flush(),  # noqa: PLW0108
        )
        #: Trading blocked while the journal cannot be written (desk_journal_guard).
        self._guard = JournalGuard(
            journal=lambda: self.journal,
            venue=lambda: self.venue_id,
            notice=self._notice,
            sessions_changed=lambda: self._schedule(sessions=True),
            on_lifted=self._journal_writable,
        )
        #: Probes the journal while trading is blocked, and lifts the block (journal_retry).
        self.journal_retry = self._guard.retry
        #: Journal, then send, in one transaction (desk_sending).
        self._sender = JournaledSender(
            journal=lambda: self.journal,
            database=lambda: self._database,
            venue=lambda: self.venue_id,
            blocked=lambda: self.trading_blocked,
            block=self._guard.block,
            path=data_dir / DATABASE_FILE,
        )
        self._rfq = RfqActions(
            self.state,
            link_for=self.link,
            order_session=self.profile.order_session,
            clock=clock,
            publish=lambda changes: self._schedule(changes=changes),
            listen_only=self.listen_only,
            send=self._sender.send,
        )
        self.risk = risk_limits(config.risk)
        self.market: MarketSnapshot | None = None
        self.local: LocalVenue | LocalVenueProcess | None = None
        self.links: list[SessionLink] = []
        self.journal: Journal | None = None
        self._database: Database | None = None
        self._intents: dict[str, Intent] = {}  # first ClOrdID -> what the trader meant
        #: New order, cancel, replace, mass cancel, groups (desk_order_actions).
        self._actions = OrderActions(
            self.state,
            risk=self.risk,
            intents=self._intents,
            profile=lambda: self.profile,
            venue=lambda: self.venue_id,
            listen_only=self.listen_only,
            trading_blocked=lambda: "" if self.retry_journal() else self.trading_blocked,
            order_link=self.order_link,
            sender=self._sender,
            clock=clock,
            publish=lambda changes: self._schedule(changes=changes),
        )
        #: What drop copy owes after the order session missed reports (desk_heal).
        self._heal = DropCopyHeal(
            self.state,
            journal=lambda: self.journal,
            venue=lambda: self.venue_id,
            link_for=self.link,
            order_link=self.order_link,
            guard=self._guard,
            clock=clock,
        )
        #: Orders whose outcome is unknown, settled once the order session is up
        #: (desk_reconcile).
        self._reconciler = Reconciler(
            self.orders,
            venue=lambda: self.venue_id,
            listen_only=self.listen_only,
            order_link=self.order_link,
            trading_blocked=lambda: self.trading_blocked,
            heal_in_flight=lambda: self._heal.in_flight,
            sender=self._sender,
            guard=self._guard,
            clock=clock,
            notice=self._notice,
            publish=lambda changes: self._schedule(changes=changes),
        )
        #: Events, markets and the balance over REST (desk_market).
        self._market_feed = MarketFeed(
            poll_seconds=config.poll_seconds,
            clock=clock,
            notice=self._notice,
            on_snapshot=self._on_market,
        )
        self._housekeeping: asyncio.Task[None] | None = None
        self._keys: dict[int, RSAPrivateKey] = {}  # id(link) -> its private key, loaded
        #: Settlements KalshiPT could not resend, read from REST (settlement_recovery).
        self.settlement_recovery = SettlementRecovery(
            state=self.state,
            journal=lambda: self.journal,
            venue=lambda: self.venue_id,
            client=lambda: self._market_feed.client,
            clock=clock,
            publish=lambda changes: self._schedule(changes=changes),
            notice=lambda text, warn: self._notice(
                text, NoticeLevel.WARNING if warn else NoticeLevel.INFO
            ),
            failed=self._guard.block,
        )
        #: What the sessions report: messages, notices, logons and drops (desk_inbound).
        self._from_links = DeskInbound(
            self.inbound,
            journal=lambda: self.journal,
            venue=lambda: self.venue_id,
            profile=lambda: self.profile,
            heal=self._heal,
            reconciler=self._reconciler,
            settlement_recovery=self.settlement_recovery,
            guard=self._guard,
            clock=clock,
            notice=self._notice,
            publish=lambda changes: self._schedule(changes=changes),
            sessions_changed=lambda: self._schedule(sessions=True),
        )

    # ------------------------------------------------------------------ life cycle

    async def start(self, ask_passphrase: PassphrasePrompt | None = None) -> None:
        """Open the journal and the venue, restore the journaled state, and log on every
        enabled session (logon continues in the background).

        Raises :class:`~workstation.client.journal.JournalRefused` (the file untouched) when
        the journal is not usable."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.journal = Journal.open(self.data_dir / DATABASE_FILE)
        self.journal.on_failure = self._guard.block  # a failed write, also one at a commit
        self._database = self.journal.database
        if self.profile.kind is VenueKind.LOCAL:
            identity = provision_local(self.data_dir)
            dialect = self.profile.dialect
            if self.venue_in_process:
                from workstation.client.local_venue import LocalVenue  # noqa: PLC0415

                self.local = LocalVenue(identity, flow=self.local_flow, dialect=dialect)
            else:
                self.local = LocalVenueProcess(identity, flow=self.local_flow, dialect=dialect)
            await self.local.start()
            self.profile = self.local.profile(self.profile)
            self.venue_id = f"local:{self.local.venue_id}"
            self.accounts = [identity.account]
        self._restore()
        planned = planned_sessions(
            self.profile, accounts=self.accounts, listen_only=self.listen_only
        )
        for settings, account in planned:
            await self._open_link(settings, account, ask_passphrase)
        if not self.accounts:
            self.accounts = sorted({link.account for link in self.links})
        self._start_market_data()
        self._housekeeping = asyncio.get_running_loop().create_task(self._keep_house())
        self._schedule(sessions=True)

    def _restore(self) -> None:
        """Replay this venue's journal into the (empty) trading state; orders left without
        an answer become Unknown, to be reconciled once the order session is up."""
        assert self.journal is not None
        result = replay(self.journal.entries(self.venue_id), state=self.state)
        self._intents.update(result.intents)
        self._heal.restored(result.heal_owed)
        self.settlement_recovery.restored(result.settlements_checked_at, result.first_at)
        changes = result.changes
        changes += self._reconciler.mark_unanswered(
            "sent before the workstation restarted; reconciling", self.clock()
        )
        for problem in result.problems:
            self._notice(f"Journal: {problem}", NoticeLevel.WARNING)
        if result.entries:
            self._notice(
                f"Restored from the journal: {len(self.orders)} order(s), {len(self.fills)} "
                f"fill(s), {len(self.settlements)} settlement(s), "
                f"{len(self.rfqs) + len(self.maker_rfqs)} RFQ(s)"
            )
        self._schedule(changes=changes)

    async def _keep_house(self) -> None:
        """Once a second: quotes whose confirm window passed unanswered become expired."""
        while True:
            await asyncio.sleep(1.0)
            now = self.clock()
            expired = self.state.maker_rfqs.expire(now)
            if expired:
                self._guard.note(NoteKind.QUOTES_EXPIRED, "", now)
                self._schedule(changes=expired)

    async def stop(self) -> None:
        self._reconciler.stop()
        self._heal.stop()
        if self._housekeeping is not None:
            self._housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._housekeeping
            self._housekeeping = None
        await self.settlement_recovery.stop()
        await self.journal_retry.stop()
        await self._market_feed.stop()
        for link in self.links:
            try:
                await link.stop()
            except Exception:
                _log.exception("stopping %s failed", link.session_type.value)
        if self.local is not None:
            await self.local.stop()
        if self._database is not None:
            self._database.close()
            self._database = None
        self.flush()  # what the stop itself changed, delivered now: nothing arrives after stop()
        self._updates.close()

    async def _open_link(
        self, settings: SessionSettings, account: str, ask: PassphrasePrompt | None
    ) -> None:
        key = await link_key(settings, ask, self._notice)
        if key is None:
            return
        assert self._database is not None
        store = SqliteStore(
            self._database, settings.api_key_id, settings.session_type.value, self.clock()
        )
        link = SessionLink(
            profile=self.profile,
            settings=settings,
            account=account,
            signer=LogonSigner(key),
            store=store,
            clock=self.clock,
            on_message=self._from_links.message,
            on_wire=self._updates.wire,
            on_notice=self._from_links.notice,
            on_status=self._from_links.status,
        )
        self.links.append(link)
        self._keys[id(link)] = key  # in memory only: signs REST requests (never the passphrase)
        link.start()

    def _start_market_data(self) -> None:
        # The order session's key, as loaded for its Logon (an encrypted key was unlocked
        # with the passphrase the trader gave then), signs the balance and position requests.
        order_link = self.order_link()
        key = None if order_link is None else self._keys.get(id(order_link))
        key_id = None if key is None or order_link is None else order_link.settings.api_key_id
        self._market_feed.start(self.profile.rest_url, key_id=key_id, key=key)

    async def refresh_market(self) -> MarketSnapshot | None:
        """Poll now (the ticket's refresh button, and tests)."""
        return await self._market_feed.refresh()

    # ------------------------------------------------------------------ queries

    def subscribe(self, listener: Callable[[DeskUpdate], None]) -> None:
        self._updates.subscribe(listener)

    def session_infos(self) -> list[SessionInfo]:
        return session_infos(self.links, self.profile)

    def order_link(self, account: str | None = None) -> SessionLink | None:
        for link in self.links:
            if link.session_type is self.profile.order_session and (
                account is None or link.account == account
            ):
                return link
        return None

    def link(self, session_type: SessionType) -> SessionLink | None:
        return next((lk for lk in self.links if lk.session_type is session_type), None)

    def all_logged_on(self) -> bool:
        return bool(self.links) and all(link.active for link in self.links)

    # ------------------------------------------------------------------ actions

    def intent_of(self, cl_ord_id: str) -> Intent | None:
        """What the trader meant by the order that carries ``cl_ord_id`` (any ClOrdID of its
        chain), as the ticket said it — journaled with the order, so known after a restart."""
        order = self.orders.get(cl_ord_id)
        root = cl_ord_id if order is None else order.first_cl_ord_id
        return self._intents.get(root)

    async def submit(self, ticket: Ticket, *, confirmed: bool = False) -> Order:
        """Check, journal and send a NewOrderSingle; the order as it stands (see
        :meth:`submit_now`)."""
        return self.submit_now(ticket, confirmed=confirmed)

    def submit_now(self, ticket: Ticket, *, confirmed: bool = False) -> Order:
        """:meth:`submit` without the coroutine: the bytes are handed to the transport before
        this returns, so a click handler can send in the same event-loop turn as the click.
        Raises ActionRefused (with the reason to show) or NeedsConfirmation."""
        return self._actions.submit(ticket, confirmed=confirmed)

    async def cancel(self, cl_ord_id: str) -> None:
        self._actions.cancel(cl_ord_id)

    async def replace(
        self, cl_ord_id: str, *, price: Decimal | None = None, quantity: Decimal | None = None
    ) -> None:
        self._actions.replace(cl_ord_id, price=price, quantity=quantity)

    async def cancel_all(self) -> int:
        return self._actions.cancel_all()

    async def create_group(self, limit: int, sub_account: int = 0) -> None:
        self._actions.create_group(limit, sub_account)

    async def reset_group(self, group_id: str) -> None:
        self._actions.group_action(OrderGroupAction.RESET, group_id)

    async def trigger_group(self, group_id: str) -> None:
        self._actions.group_action(OrderGroupAction.TRIGGER, group_id)

    async def delete_group(self, group_id: str) -> None:
        self._actions.group_action(OrderGroupAction.DELETE, group_id)

    # RFQ, both roles (SPEC §13): see workstation.client.rfq_actions

    async def create_rfq(self, symbol: str, quantity: Decimal) -> str:
        return self._rfq_call(lambda: self._rfq.create_rfq(symbol, quantity))

    async def cancel_rfq(self, quote_req_id: str) -> None:
        self._rfq_call(lambda: self._rfq.cancel_rfq(quote_req_id))

    async def accept_quote(self, quote_id: str, side: Side) -> None:
        self._rfq_call(lambda: self._rfq.accept_quote(quote_id, side))

    async def send_quote(self, quote_req_id: str, yes_bid: Decimal, no_bid: Decimal) -> str:
        return self._rfq_call(lambda: self._rfq.send_quote(quote_req_id, yes_bid, no_bid))

    async def cancel_quote(self, quote_req_id: str) -> None:
        self._rfq_call(lambda: self._rfq.cancel_quote(quote_req_id))

    async def confirm_quote(self, quote_req_id: str) -> None:
        self._rfq_call(lambda: self._rfq.confirm_quote(quote_req_id))

    def _rfq_call(self, call: Callable[[], T]) -> T:
        if self.trading_blocked and not self.listen_only and not self.retry_journal():
            raise ActionRefused(self.trading_blocked)
        try:
            return call()
        except RfqRefused as exc:
            raise ActionRefused(str(exc)) from None

    def heal_from_drop_copy(self) -> bool:
        """Ask KalshiDC for every report drop copy still owes us (``desk_heal``); False when
        it cannot be asked now."""
        return self._heal.ask()

    # ------------------------------------------------------------------ journal, reconciling

    @property
    def trading_blocked(self) -> str:
        """Why trading is blocked ("" while it is not): a journal write failed."""
        return self._guard.reason

    def retry_journal(self) -> bool:
        """Try the journal now (also what the trader's next action does while trading is
        blocked); True when trading is allowed (again)."""
        return self._guard.allowed()

    def _journal_writable(self) -> None:
        """The journal can be written again: pick up what the block held back."""
        self._reconciler.soon()
        if self._heal.owed:
            self._heal.later()

    @property
    def reconcile_grace(self) -> float:
        """Seconds between the order session's logon and reconciling Unknown orders."""
        return self._reconciler.grace

    @reconcile_grace.setter
    def reconcile_grace(self, seconds: float) -> None:
        self._reconciler.grace = seconds

    # ------------------------------------------------------------------ market, notices

    def _on_market(self, snapshot: MarketSnapshot) -> None:
        self.market = snapshot
        self._updates.market(snapshot)

    def _notice(self, text: str, level: NoticeLevel = NoticeLevel.INFO) -> None:
        self._updates.notice(text, level)

    # ------------------------------------------------------------------ updates (desk_updates)

    def _schedule(self, *, changes: list[Change] | None = None, sessions: bool = False) -> None:
        self._updates.schedule(changes=changes, sessions=sessions)

    def flush(self) -> None:
        """Deliver everything pending as one update now (see ``desk_updates``)."""
        self._updates.flush()
