"""The local Kalshi venue: one listener per session type around one exchange.

Theory of operation
-------------------
:class:`Venue` starts an acceptor for each Kalshi session type (SPEC §2.2) on the same
sans-IO FIX engine the workstation uses, with a :class:`VenueAuthenticator` judging each
Logon. A logged-on connection becomes a :class:`ClientSession`. Application messages are
dispatched by (session type, MsgType) to handlers that gateway modules register with
:meth:`Venue.on`; a message no handler takes is answered with BusinessMessageReject 380=3
(SPEC §19.10). Exchange results are published to result listeners (the gateways turn them into
ExecutionReports for the right sessions). A ticker runs every ``tick_interval`` seconds on the
venue clock: it expires orders (:meth:`Exchange.advance`) and runs the registered tick hooks
(order-group windows, RFQ timers, simulated flow).

Optional parts (admin port, REST, state persistence) are :class:`VenueComponent`s: started after
the listeners, each contributes entries to the ready file.

Nothing a client sends may take the venue down: a handler that raises is logged and the client
gets a BusinessMessageReject, and the session carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from workstation.fix.codec import encode_message
from workstation.fix.dialect import Dialect, SessionType, dialect_rules
from workstation.fix.errors import SessionNotActive
from workstation.fix.events import (
    ApplicationMessageReceived,
    Event,
    LogonAccepted,
    SessionClosed,
)
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.fix.store import MessageStore
from workstation.fix.values import format_utc_timestamp
from workstation.net.acceptor import AcceptorServer, start_acceptor
from workstation.net.tls import server_context
from workstation.simulator.authenticator import VenueAuthenticator
from workstation.simulator.client import ClientSession
from workstation.simulator.clock import VenueClock
from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.exchange.markets_default import default_events
from workstation.simulator.exchange.markets_file import load_markets
from workstation.simulator.exchange.results import Result
from workstation.simulator.exec_history import ExecHistory
from workstation.simulator.failures import FailureInjector
from workstation.simulator.numbers_store import memory_store_for
from workstation.simulator.registry import KeyScope
from workstation.simulator.settings import VenueSettings

__all__ = ["Handler", "Venue", "VenueComponent"]

_log = logging.getLogger(__name__)

#: handler(client, message, now): the message's answer goes out through the venue.
Handler = Callable[[ClientSession, FixMessage, float], None]
ResultListener = Callable[[list[Result], float], None]


class VenueComponent(Protocol):
    """An optional part of the venue (admin port, REST, persistence)."""

    async def start(self, venue: Venue) -> dict[str, Any]:
        """Start; return the entries this part adds to the ready file."""

    async def stop(self) -> None: ...


class Venue:
    """The simulator; see the module docstring."""

    def __init__(
        self,
        settings: VenueSettings,
        *,
        clock: VenueClock | None = None,
        wire_clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        #: the exchange's time: expiries, timers, lookbacks; the admin port moves it forward
        self.clock = clock if clock is not None else VenueClock()
        #: the FIX sessions' time (SendingTime, heartbeats): always the real clock, so moving
        #: the venue clock never makes a live session's messages look stale
        self.wire_clock = wire_clock
        self.dialect: Dialect = settings.dialect
        self.rules = dialect_rules(settings.dialect)
        self.registry = settings.registry
        events = (
            load_markets(settings.markets_file)
            if settings.markets_file is not None
            else default_events()
        )
        self.exchange = Exchange(events=events, rules=self.rules)
        for spec in self.registry.accounts():
            # Each declared sub-account starts with the account's balance, like the primary.
            self.exchange.fund(spec.account_id, spec.balance)
            for sub_account in spec.sub_accounts:
                self.exchange.fund(spec.account_id, spec.balance, sub_account=sub_account)
        self.venue_id = uuid.uuid4().hex
        #: every replayable ExecutionReport sent, for drop copy (the report gateway records)
        self.exec_history = ExecHistory()
        #: failures the admin port arms for an account's next order
        self.failures = FailureInjector()
        self.servers: dict[SessionType, AcceptorServer[Session]] = {}
        self._handlers: dict[tuple[SessionType, str], Handler] = {}
        self._result_listeners: list[ResultListener] = []
        self._tick_hooks: list[Callable[[float], None]] = []
        self._disconnect_hooks: list[Callable[[ClientSession, float], None]] = []
        self._clients: dict[int, ClientSession] = {}
        #: the last logged-on client of each session tag, kept after it disconnects
        self._known_clients: dict[str, ClientSession] = {}
        self._live_keys: dict[str, object] = {}
        self._stores: dict[tuple[str, SessionType], MessageStore] = {}
        self._store_factory: Callable[[str, SessionType], MessageStore] = (
            lambda key, st: memory_store_for(self.rules, st, self.wire_clock())
        )
        self._components: list[VenueComponent] = []
        self._ready: dict[str, Any] = {}
        self._ticker: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ wiring

    def on(self, session_type: SessionType, msg_type: str, handler: Handler) -> None:
        """Route ``msg_type`` arriving on ``session_type`` sessions to ``handler``."""
        self._handlers[(session_type, msg_type)] = handler

    def on_results(self, listener: ResultListener) -> None:
        self._result_listeners.append(listener)

    def every_tick(self, hook: Callable[[float], None]) -> None:
        self._tick_hooks.append(hook)

    def on_disconnect(self, hook: Callable[[ClientSession, float], None]) -> None:
        self._disconnect_hooks.append(hook)

    def add_component(self, component: VenueComponent) -> None:
        self._components.append(component)

    def set_store_factory(self, factory: Callable[[str, SessionType], MessageStore]) -> None:
        """Where accepted sessions keep their sequence numbers (persistence swaps this)."""
        self._store_factory = factory

    # ------------------------------------------------------------------ queries and actions

    def clients(
        self,
        *,
        account: str | None = None,
        session_type: SessionType | None = None,
        key_id: str | None = None,
    ) -> list[ClientSession]:
        return [
            c
            for c in self._clients.values()
            if (account is None or c.account == account)
            and (session_type is None or c.session_type is session_type)
            and (key_id is None or c.key_id == key_id)
        ]

    def send(self, client: ClientSession, msg_type: str, body: list[tuple[int, str]]) -> int | None:
        """Send to a client; None when its session is no longer logged on."""
        server = self.servers.get(client.session_type)
        if server is None:
            return None
        try:
            return server.send(client.session, msg_type, body)
        except SessionNotActive:
            return None

    def reject(
        self,
        client: ClientSession,
        ref: FixMessage,
        reason: int,
        text: str,
        ref_tag: int | None = None,
    ) -> bool:
        """A session-level Reject (35=3) of ``ref`` for a gateway's own checks (SPEC §7.6);
        False when the session is no longer logged on. Call it from a handler: the
        connection writes it out when the handler returns."""
        server = self.servers.get(client.session_type)
        if server is None or server.connection_for(client.session) is None:
            return False
        try:
            with client.session.store.transaction():
                client.session.send_reject(ref, reason, text, self.wire_clock(), ref_tag)
        except SessionNotActive:
            return False
        return True

    def offline_client(self, tag: str) -> ClientSession | None:
        """The client that last used session ``tag``, if it is not logged on now."""
        if any(c.tag == tag for c in self._clients.values()):
            return None
        return self._known_clients.get(tag)

    def store_offline(
        self, client: ClientSession, msg_type: str, body: list[tuple[int, str]], now: float
    ) -> int | None:
        """Keep a message for a disconnected client of a retransmitting session (KalshiRT,
        KalshiPT): it takes the next sequence number in that key's store, so the client gets it
        by ResendRequest when it logs on again without a reset. Returns the number, or None for
        session types that do not retransmit (their clients heal through drop copy)."""
        if not self.rules.session(client.session_type).retransmits:
            return None
        store = self._stores.get((client.key_id, client.session_type))
        if store is None:
            return None
        with store.transaction():
            seq = store.next_sender_seq()
            header = [
                (49, client.session_type.value),
                (56, client.key_id),
                (34, str(seq)),
                (52, format_utc_timestamp(self.wire_clock())),
            ]
            store.save_outbound(seq, now, encode_message(msg_type, header, body))
        return seq

    def publish(self, results: list[Result], now: float) -> None:
        """Hand exchange results to every result listener (the report gateways)."""
        if not results:
            return
        for listener in self._result_listeners:
            try:
                listener(results, now)
            except Exception:
                _log.exception("result listener failed")

    def drop(self, key_id: str) -> bool:
        """Cut the connection of ``key_id`` without a Logout (admin, fault tests)."""
        dropped = False
        for client in self.clients(key_id=key_id):
            server = self.servers[client.session_type]
            conn = server.connection_for(client.session)
            if conn is not None:
                conn.abort()
                dropped = True
        return dropped

    @property
    def ready_info(self) -> dict[str, Any]:
        return dict(self._ready)

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> dict[str, Any]:
        ssl_ctx = None
        if self.settings.tls_cert is not None and self.settings.tls_key is not None:
            ssl_ctx = server_context(str(self.settings.tls_cert), str(self.settings.tls_key))
        for session_type in SessionType:
            self.servers[session_type] = await start_acceptor(
                self.settings.host,
                self.settings.port_for(session_type),
                self._session_factory(session_type),
                self._on_events,
                ssl_ctx,
                clock=self.wire_clock,
                # A report to one client is often made in another's step (its order filled
                # ours) or on the tick; the state directory commits at the end of that step,
                # so the bytes wait for it: a kill -9 never leaves a client holding a fill the
                # restarted venue does not know.
                defer_writes=True,
            )
        ready: dict[str, Any] = {
            "host": self.settings.host,
            "tls": ssl_ctx is not None,
            "sessions": {st.value: server.port for st, server in self.servers.items()},
            "venue_id": self.venue_id,
            "dialect": self.dialect.value,
            "accounts": {k.key_id: k.account for k in self.registry.all_keys()},
        }
        if ssl_ctx is not None:
            ready["certificate"] = str(self.settings.tls_cert)
        for component in self._components:
            ready.update(await component.start(self))
        self._ready = ready
        self._ticker = asyncio.get_running_loop().create_task(self._tick_forever())
        if self.settings.ready_file is not None:
            write_ready_file(self.settings.ready_file, ready)
        return ready

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        for server in self.servers.values():
            await server.close()
        for component in reversed(self._components):
            try:
                await component.stop()
            except Exception:
                _log.exception("stopping %r failed", component)

    def tick(self, now: float) -> None:
        """One timer sweep: expiries, then the registered hooks."""
        self.publish(self.exchange.advance(now), now)
        for hook in self._tick_hooks:
            try:
                hook(now)
            except Exception:
                _log.exception("tick hook failed")

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.tick_interval)
            self.tick(self.clock())

    # ------------------------------------------------------------------ sessions

    def _store_for(self, session_type: SessionType) -> Callable[[str], MessageStore]:
        def store_for(key_id: str) -> MessageStore:
            store = self._stores.get((key_id, session_type))
            if store is None:
                store = self._store_factory(key_id, session_type)
                self._stores[(key_id, session_type)] = store
            return store

        return store_for

    def _session_factory(self, session_type: SessionType) -> Callable[[], Session]:
        def make() -> Session:
            judge = VenueAuthenticator(
                session_type=session_type,
                dialect=self.dialect,
                registry=self.registry,
                live_keys=self._live_keys,
                store_for=self._store_for(session_type),
            )
            session = Session(
                SessionConfig(
                    role=Role.ACCEPTOR,
                    session_type=session_type,
                    sender_comp_id=session_type.value,
                    dialect=self.dialect,
                ),
                authenticator=judge,
            )
            judge.owner = session
            return session

        return make

    def _on_events(self, session: Session, events: list[Event]) -> None:
        now = self.clock()
        for event in events:
            if isinstance(event, ApplicationMessageReceived):
                client = self._clients.get(id(session))
                if client is not None:
                    self._dispatch(client, event.message, now)
            elif isinstance(event, LogonAccepted):
                self._logged_on(session, event, now)
            elif isinstance(event, SessionClosed):
                self._closed(session, now)

    def _logged_on(self, session: Session, event: LogonAccepted, now: float) -> None:
        key_id = session.peer_comp_id
        key = self.registry.key(key_id)
        options = LogonOptions.from_logon(event.message, self.dialect)
        client = ClientSession(
            session=session,
            session_type=session.config.session_type,
            key_id=key_id,
            account=key.account if key is not None else key_id,
            scope=key.scope if key is not None else KeyScope.READ,
            options=options,
        )
        self._clients[id(session)] = client
        self._known_clients[client.tag] = client

    def _closed(self, session: Session, now: float) -> None:
        for key_id, owner in list(self._live_keys.items()):
            if owner is session:
                del self._live_keys[key_id]
        client = self._clients.pop(id(session), None)
        if client is None:
            return
        for hook in self._disconnect_hooks:
            try:
                hook(client, now)
            except Exception:
                _log.exception("disconnect hook failed")

    def _dispatch(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        handler = self._handlers.get((client.session_type, msg.msg_type))
        if handler is None:
            self._business_reject(
                client, msg, 3, f"Unsupported Message Type {msg.msg_type} on {client.session_type}"
            )
            return
        try:
            handler(client, msg, now)
        except Exception:
            _log.exception("handler for %s failed", msg.msg_type)
            self._business_reject(client, msg, 0, "Internal error processing the message")

    def _business_reject(
        self, client: ClientSession, msg: FixMessage, reason: int, text: str
    ) -> None:
        body = [(45, str(msg.seq_num or 0)), (372, msg.msg_type), (380, str(reason)), (58, text)]
        self.send(client, "j", body)


def write_ready_file(path: Path, info: dict[str, Any]) -> None:
    """Write the ready file atomically: readers never see half of it."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(info, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
