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
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from workstation.client.config import WorkstationConfig
from workstation.client.inbound import Inbound
from workstation.client.local_venue import LocalVenue, provision_local
from workstation.client.market_data import MarketPoller, MarketSnapshot, RestClient, RestError
from workstation.client.profiles import Profile, SessionSettings, VenueKind
from workstation.client.records import SessionInfo, SessionPhase, WireRecord
from workstation.client.rfq_actions import RfqActions, RfqRefused
from workstation.client.session_link import LinkNotice, SessionLink
from workstation.fix.auth import LogonSigner
from workstation.fix.database import Database
from workstation.fix.dialect import SessionType, dialect_rules
from workstation.fix.errors import SessionNotActive
from workstation.fix.keys import PassphraseRequired, load_private_key
from workstation.fix.message import FixMessage
from workstation.fix.messages import (
    EventResendRequest,
    OrderGroupAction,
    OrderGroupRequest,
    OrderMassCancelRequest,
)
from workstation.fix.messages.enums import Side
from workstation.fix.sqlite_store import SqliteStore
from workstation.fix.state import SessionState
from workstation.trading.changes import Change
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.orders import Orders
from workstation.trading.risk import RiskLimits, RiskOutcome, check_order
from workstation.trading.state import TradingState
from workstation.trading.ticket import Ticket, build_order, check_ticket, ticket_figures

__all__ = [
    "ActionRefused",
    "Desk",
    "DeskUpdate",
    "NeedsConfirmation",
    "Notice",
    "NoticeLevel",
]

_log = logging.getLogger(__name__)

PassphrasePrompt = Callable[[Path], Awaitable[str | None]]
T = TypeVar("T")


class ActionRefused(Exception):
    """The action was not sent; the message says why, in the trader's words."""


class NeedsConfirmation(Exception):
    """Above a confirmation threshold: ask the trader, then repeat with ``confirmed=True``."""


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


class Desk:
    """See the module docstring."""

    def __init__(
        self,
        config: WorkstationConfig,
        *,
        data_dir: Path,
        clock: Callable[[], float] = time.time,
        local_flow: bool = True,
    ) -> None:
        self.config = config
        self.profile: Profile = config.active
        self.data_dir = data_dir
        self.clock = clock
        self.local_flow = local_flow
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
        self._rfq = RfqActions(
            self.state,
            link_for=self.link,
            order_session=self.profile.order_session,
            clock=clock,
            publish=lambda changes: self._schedule(changes=changes),
            listen_only=self.listen_only,
        )
        risk = config.risk
        self.risk = RiskLimits(
            max_contracts_per_order=Decimal(risk.max_contracts),
            max_cost_per_order=risk.max_order_cost,
            max_open_orders=risk.max_open_orders,
            confirm_cost_above=risk.confirm_above_cost,
        )
        self.market: MarketSnapshot | None = None
        self.local: LocalVenue | None = None
        self.links: list[SessionLink] = []
        self._database: Database | None = None
        self._poller: MarketPoller | None = None
        self._housekeeping: asyncio.Task[None] | None = None
        self._listeners: list[Callable[[DeskUpdate], None]] = []
        self._pending = _Pending()
        self._flush_scheduled = False

    # ------------------------------------------------------------------ life cycle

    async def start(self, ask_passphrase: PassphrasePrompt | None = None) -> None:
        """Open the venue and log on every enabled session (logon continues in the background)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.profile.kind is VenueKind.LOCAL:
            identity = provision_local(self.data_dir)
            self.local = LocalVenue(identity, flow=self.local_flow, dialect=self.profile.dialect)
            await self.local.start()
            self.profile = self.local.profile(self.profile)
            self.venue_id = f"local:{self.local.venue_id}"
            self.accounts = [identity.account]
        self._database = Database(self.data_dir / "sessions.db")
        for settings, account in self._planned_sessions():
            await self._open_link(settings, account, ask_passphrase)
        if not self.accounts:
            self.accounts = sorted({link.account for link in self.links})
        self._start_market_data()
        self._housekeeping = asyncio.get_running_loop().create_task(self._keep_house())
        self._schedule(sessions=True)

    async def _keep_house(self) -> None:
        """Once a second: quotes whose confirm window passed unanswered become expired."""
        while True:
            await asyncio.sleep(1.0)
            expired = self.state.maker_rfqs.expire(self.clock())
            if expired:
                self._schedule(changes=expired)

    async def stop(self) -> None:
        if self._housekeeping is not None:
            self._housekeeping.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._housekeeping
            self._housekeeping = None
        if self._poller is not None:
            await self._poller.stop()
        for link in self.links:
            try:
                await link.stop()
            except Exception:
                _log.exception("stopping %s failed", link.session_type.value)
        if self.local is not None:
            await self.local.stop()
        if self._database is not None:
            self._database.close()

    def _planned_sessions(self) -> list[tuple[SessionSettings, str]]:
        if self.listen_only and self.profile.watch:
            base = self.profile.session(self.profile.order_session)
            return [
                (
                    SessionSettings(
                        session_type=self.profile.order_session,
                        enabled=True,
                        api_key_id=w.api_key_id,
                        private_key=w.private_key,
                        pin_file=base.pin_file,
                        port=base.port,
                        listener=True,
                    ),
                    w.label,
                )
                for w in self.profile.watch
            ]
        # Every session of a trading profile belongs to one account, even though each logs on
        # with its own API key: a drop-copy heal or a settlement must land on the account the
        # order session's fills are kept under, or it is counted a second time beside them.
        order_key = self.profile.session(self.profile.order_session).api_key_id
        account = self.accounts[0] if self.accounts else order_key
        planned = []
        for settings in self.profile.enabled_sessions():
            listen = self.listen_only and settings.session_type is self.profile.order_session
            chosen = replace(settings, listener=True) if listen else settings
            planned.append((chosen, account or settings.api_key_id))
        return planned

    async def _open_link(
        self, settings: SessionSettings, account: str, ask: PassphrasePrompt | None
    ) -> None:
        if settings.private_key is None or not settings.api_key_id:
            self._notice(
                f"{settings.session_type.value} is enabled but has no API key id or private key "
                "file: set them in the connection profile",
                NoticeLevel.WARNING,
            )
            return
        try:
            key = load_private_key(settings.private_key)
        except PassphraseRequired:
            passphrase = await ask(settings.private_key) if ask is not None else None
            if passphrase is None:
                self._notice(
                    f"{settings.session_type.value} not started: its key needs a passphrase",
                    NoticeLevel.WARNING,
                )
                return
            key = load_private_key(settings.private_key, passphrase)
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
            on_message=self._on_message,
            on_wire=self._on_wire,
            on_notice=self._on_link_notice,
            on_status=self._on_status,
        )
        self.links.append(link)
        link.start()

    def _start_market_data(self) -> None:
        if not self.profile.rest_url:
            return
        order_link = self.order_link()
        key = None
        key_id = None
        if order_link is not None and order_link.settings.private_key is not None:
            with contextlib.suppress(Exception):
                key = load_private_key(order_link.settings.private_key)
                key_id = order_link.settings.api_key_id
        try:
            client = RestClient(self.profile.rest_url, key_id=key_id, private_key=key)
        except RestError as exc:
            self._notice(f"Market data is off: {exc}", NoticeLevel.WARNING)
            return
        self._poller = MarketPoller(
            client, interval=self.config.poll_seconds, on_snapshot=self._on_market, clock=self.clock
        )
        self._poller.start()

    async def refresh_market(self) -> MarketSnapshot | None:
        """Poll now (the ticket's refresh button, and tests)."""
        return None if self._poller is None else await self._poller.poll_once()

    # ------------------------------------------------------------------ queries

    def subscribe(self, listener: Callable[[DeskUpdate], None]) -> None:
        self._listeners.append(listener)

    def session_infos(self) -> list[SessionInfo]:
        infos = [link.info() for link in self.links]
        configured = {link.session_type for link in self.links}
        for st in (self.profile.order_session, SessionType.DC, SessionType.PT, SessionType.RFQ):
            if st not in configured:
                s = self.profile.session(st)
                infos.append(
                    SessionInfo(
                        session=st,
                        phase=SessionPhase.DISABLED,
                        host=self.profile.host,
                        port=s.effective_port,
                        api_key_id=s.api_key_id,
                        next_out_seq=0,
                        next_in_seq=0,
                        last_message_at=None,
                        heartbeat_rtt=None,
                        reconnect_at=None,
                        last_error="",
                        cancel_on_disconnect=False,
                        listener=False,
                        retransmits=dialect_rules(self.profile.dialect).session(st).retransmits,
                    )
                )
        return infos

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

    def _trading_link(self) -> SessionLink:
        if self.listen_only:
            raise ActionRefused("This is a listen-only desk monitor: trading is disabled")
        link = self.order_link()
        if link is None:
            raise ActionRefused("No order session is configured for this profile")
        if not link.active:
            raise ActionRefused(f"{link.session_type.value} is not logged on; wait for it")
        return link

    def _send(self, link: SessionLink, msg_type: str, body: list[tuple[int, str]]) -> int:
        try:
            return link.send(msg_type, body)
        except SessionNotActive:
            raise ActionRefused(f"{link.session_type.value} went offline; not sent") from None

    async def submit(self, ticket: Ticket, *, confirmed: bool = False) -> Order:
        link = self._trading_link()
        now = self.clock()
        subpenny = link.settings.use_dollars
        check = check_ticket(ticket, now=now, subpenny=subpenny)
        if not check.ok:
            raise ActionRefused("; ".join(check.errors))
        figures = ticket_figures(ticket.intent, ticket.price, ticket.quantity)
        verdict = check_order(
            self.risk,
            quantity=ticket.quantity,
            cost=figures.cost + figures.fee,
            open_orders=len(self.orders.open_orders()),
        )
        if not verdict.allowed:
            if verdict.outcome is RiskOutcome.NEEDS_CONFIRMATION:
                if not confirmed:
                    raise NeedsConfirmation(verdict.message)
            else:
                raise ActionRefused(verdict.message)
        order = build_order(ticket)
        changes = self.orders.submitted(order, venue=self.venue_id, account=link.account, now=now)
        try:
            seq = link.send("D", order.to_body(link.price_format))
        except SessionNotActive:
            changes += self.orders.mark_unknown(
                order.cl_ord_id, "the connection dropped while sending; reconciling", now=now
            )
            self._schedule(changes=changes)
            raise ActionRefused("The order session dropped while sending; reconciling") from None
        self.orders.note_sent(order.cl_ord_id, seq)
        self._schedule(changes=changes)
        found = self.orders.get(order.cl_ord_id)
        assert found is not None
        return found

    async def cancel(self, cl_ord_id: str) -> None:
        link = self._trading_link()
        try:
            request = self.orders.cancel_request_for(cl_ord_id)
        except (KeyError, ValueError) as exc:
            raise ActionRefused(str(exc)) from None
        changes = self.orders.cancel_requested(request, now=self.clock())
        seq = self._send(link, "F", request.to_body(link.price_format))
        self.orders.note_sent(request.cl_ord_id, seq)
        self._schedule(changes=changes)

    async def replace(
        self, cl_ord_id: str, *, price: Decimal | None = None, quantity: Decimal | None = None
    ) -> None:
        link = self._trading_link()
        order = self.orders.get(cl_ord_id)
        if order is None:
            raise ActionRefused(f"No order {cl_ord_id}")
        new_qty = quantity if quantity is not None else order.order_qty
        new_price = price if price is not None else order.price
        if new_qty < order.cum_qty:
            raise ActionRefused(
                f"New quantity {new_qty} is below the {order.cum_qty} already filled"
            )
        request = self.orders.replace_request_for(cl_ord_id, order_qty=new_qty, price=new_price)
        changes = self.orders.replace_requested(request, now=self.clock())
        seq = self._send(link, "G", request.to_body(link.price_format))
        self.orders.note_sent(request.cl_ord_id, seq)
        self._schedule(changes=changes)

    async def cancel_all(self) -> int:
        link = self._trading_link()
        open_orders = [
            o for o in self.orders.open_orders(self.venue_id)
            if o.status not in (OrderStatus.PENDING_CANCEL, OrderStatus.UNKNOWN)
        ]
        rules = dialect_rules(self.profile.dialect)
        if link.session_type in rules.mass_cancel_sessions:
            request = OrderMassCancelRequest(cl_ord_id=Orders.new_cl_ord_id())
            self._send(link, "q", request.to_body(link.price_format))
            return len(open_orders)
        for order in open_orders:
            await self.cancel(order.cl_ord_id)
        return len(open_orders)

    async def _group_request(self, request: OrderGroupRequest) -> None:
        link = self._trading_link()
        seq = self._send(link, "UOG", request.to_body(link.price_format))
        self._schedule(changes=self.groups.requested(request, now=self.clock(), seq_num=seq))

    async def create_group(self, limit: int, sub_account: int = 0) -> None:
        if not 1 <= limit <= 1_000_000:
            raise ActionRefused("A group's contracts limit must be 1 to 1,000,000")
        await self._group_request(
            OrderGroupRequest(
                action=OrderGroupAction.CREATE,
                contracts_limit=limit,
                alloc_account=sub_account or None,
            )
        )

    async def reset_group(self, group_id: str) -> None:
        await self._group_request(
            OrderGroupRequest(action=OrderGroupAction.RESET, order_group_id=group_id)
        )

    async def trigger_group(self, group_id: str) -> None:
        await self._group_request(
            OrderGroupRequest(action=OrderGroupAction.TRIGGER, order_group_id=group_id)
        )

    async def delete_group(self, group_id: str) -> None:
        await self._group_request(
            OrderGroupRequest(action=OrderGroupAction.DELETE, order_group_id=group_id)
        )

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

    @staticmethod
    def _rfq_call(call: Callable[[], T]) -> T:
        try:
            return call()
        except RfqRefused as exc:
            raise ActionRefused(str(exc)) from None

    def heal_from_drop_copy(self) -> bool:
        """Ask KalshiDC for every report since the newest ExecID we hold (SPEC §14.1)."""
        dc = self.link(SessionType.DC)
        order_link = self.order_link()
        if dc is None or not dc.active or order_link is None:
            return False
        if dc.session.state is not SessionState.ACTIVE:
            # Logging out: a send would raise inside the transaction of the message being
            # handled (one database for every session) and roll that message back.
            return False
        newest = self.fills.newest_exec_id(self.venue_id, order_link.account)
        if newest is None:
            return False
        request = EventResendRequest(begin_exec_id=newest)
        try:
            dc.send("U1", request.to_body(dc.price_format))
        except SessionNotActive:
            return False
        return True

    # ------------------------------------------------------------------ inbound

    def _on_message(self, link: SessionLink, msg: FixMessage, poss_dup: bool) -> None:
        result = self.inbound.apply(
            msg,
            session=link.session_type,
            venue=self.venue_id,
            account=link.account,
            price_format=link.price_format,
            now=self.clock(),
        )
        for text in result.notices:
            self._notice(text, NoticeLevel.WARNING)
        if result.changes:
            self._schedule(changes=result.changes)

    def _on_wire(self, record: WireRecord) -> None:
        self._pending.wire.append(record)
        self._schedule()

    def _on_link_notice(self, notice: LinkNotice) -> None:
        level = NoticeLevel.WARNING if notice.warning else NoticeLevel.INFO
        self._notice(notice.text, level)

    def _on_status(self, link: SessionLink) -> None:
        if link.active and link.session_type in (self.profile.order_session, SessionType.DC):
            self.heal_from_drop_copy()
        self._schedule(sessions=True)

    def _on_market(self, snapshot: MarketSnapshot) -> None:
        self.market = snapshot
        self._pending.market = snapshot
        self._schedule()

    def _notice(self, text: str, level: NoticeLevel = NoticeLevel.INFO) -> None:
        self._pending.notices.append(Notice(at=self.clock(), level=level, text=text))
        self._schedule()

    # ------------------------------------------------------------------ batching

    def _schedule(self, *, changes: list[Change] | None = None, sessions: bool = False) -> None:
        if changes:
            self._pending.changes.extend(changes)
        if sessions:
            self._pending.sessions = True
        if self._flush_scheduled:
            return
        self._flush_scheduled = True
        try:
            asyncio.get_running_loop().call_soon(self.flush)
        except RuntimeError:  # no loop (unit tests of the synchronous parts)
            self._flush_scheduled = False

    def flush(self) -> None:
        """Deliver everything pending as one update (called once per loop turn)."""
        self._flush_scheduled = False
        pending, self._pending = self._pending, _Pending()
        update = DeskUpdate(
            changes=pending.changes,
            wire=pending.wire,
            sessions=self.session_infos() if pending.sessions else None,
            notices=pending.notices,
            market=pending.market,
        )
        for listener in self._listeners:
            try:
                listener(update)
            except Exception:
                _log.exception("desk listener failed")

