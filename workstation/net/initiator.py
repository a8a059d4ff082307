"""The client side: one session, one endpoint, connected and kept connected.

How it works
------------
:class:`Initiator` owns one :class:`~workstation.fix.session.Session` and one task, the
connect loop. Each turn of the loop opens TCP (TLS when given a context), drives the session
over it with a :class:`~workstation.net.connection.Connection` until the connection ends,
then asks the :class:`~workstation.net.backoff.ReconnectPolicy` how long to wait and waits
(``WAITING_TO_RECONNECT``, with :attr:`Initiator.next_attempt_at` for a visible countdown).
The session object outlives its connections, so its store (and sequence numbers) carries on.

States (:class:`InitiatorState`)::

    STOPPED --start()--> CONNECTING --TCP/TLS up--> LOGGING_ON --LogonAccepted--> ACTIVE
                             ^    \\ refused/timeout      |  Logout / error / EOF  |
                             |     v                     v                        v
                             +-- WAITING_TO_RECONNECT <--+------------------------+
    any state --stop()--> STOPPED  (Logout first when logged on; no reconnect after)

The policy is told of every attempt (the Logon rate limit), every accepted Logon (a long
session resets the backoff) and the Text of the Logout that ended a connection ("already
exists" waits out the server's heartbeat timeout, SPEC §6.2).

Everything the application sees arrives through two callbacks, ``on_events(events)`` (the
session's events, inside the store transaction of the chunk they came from) and
``on_state(state)``; both are called on the event loop and must not block.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl as _ssl
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Generic, Protocol, TypeVar

from workstation.fix.errors import FixError, SessionNotActive
from workstation.fix.events import (
    CloseReason,
    Event,
    LogonAccepted,
    LogonRejected,
    LogoutReceived,
    SessionClosed,
)
from workstation.fix.session_config import SessionConfig
from workstation.net.backoff import ReconnectPolicy
from workstation.net.clock import Clock, wall_clock
from workstation.net.connection import READ_SIZE, Connection, DrivenSession, EventSink

__all__ = ["Initiator", "InitiatorSession", "InitiatorState"]

_log = logging.getLogger(__name__)


class InitiatorState(Enum):
    """Where the initiator's connect loop stands."""

    STOPPED = "stopped"  #: not started, or stopped; nothing will happen until start()
    CONNECTING = "connecting"  #: opening TCP (and TLS)
    LOGGING_ON = "logging_on"  #: connected, our Logon is out, no answer yet
    ACTIVE = "active"  #: logged on; send() works
    WAITING_TO_RECONNECT = "waiting_to_reconnect"  #: until next_attempt_at


class InitiatorSession(DrivenSession, Protocol):
    """A session the initiator can drive: the adapter's needs plus its configuration."""

    @property
    def config(self) -> SessionConfig: ...


IS = TypeVar("IS", bound=InitiatorSession)


class Initiator(Generic[IS]):
    """Connects one session to one endpoint and reconnects it until :meth:`stop`."""

    def __init__(
        self,
        session: IS,
        *,
        host: str,
        port: int,
        ssl: _ssl.SSLContext | None = None,
        server_hostname: str | None = None,
        on_events: EventSink | None = None,
        on_state: Callable[[InitiatorState], None] | None = None,
        policy: ReconnectPolicy | None = None,
        clock: Clock = wall_clock,
        connect_timeout: float = 10.0,
        read_size: int = READ_SIZE,
    ) -> None:
        self.session = session
        self._read_size = read_size
        self.host = host
        self.port = port
        self._ssl = ssl
        self._server_hostname = server_hostname if ssl is not None else None
        self._on_events = on_events
        self._on_state = on_state
        self.policy = policy if policy is not None else ReconnectPolicy()
        self._clock = clock
        self._connect_timeout = connect_timeout
        self._state = InitiatorState.STOPPED
        self._task: asyncio.Task[None] | None = None
        self._connection: Connection | None = None
        self._stopping = False
        self._wake: asyncio.Event | None = None
        self._next_attempt_at: float | None = None
        self._last_error = ""
        self._logout_text = ""

    def __repr__(self) -> str:
        return f"Initiator({self.host}:{self.port}, {self._state.name})"

    # -- what the application reads ---------------------------------------------------------

    @property
    def state(self) -> InitiatorState:
        return self._state

    @property
    def next_attempt_at(self) -> float | None:
        """When the next connection attempt starts (epoch seconds, by the injected clock)
        while ``WAITING_TO_RECONNECT``; None otherwise."""
        return self._next_attempt_at

    @property
    def last_error(self) -> str:
        """Why the last connection failed or ended badly; empty after a successful Logon."""
        return self._last_error

    @property
    def running(self) -> bool:
        """The connect loop task exists and has not finished."""
        return self._task is not None and not self._task.done()

    # -- what the application calls ---------------------------------------------------------

    def start(self) -> None:
        """Start connecting (no-op while already running). Needs a running event loop."""
        if self.running:
            return
        self._stopping = False
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name=f"fix-initiator {self.host}:{self.port}"
        )

    async def stop(self, text: str = "") -> None:
        """Log out (with Logout Text ``text``) if connected, wait for the answer or the
        session's logout timeout, close, and stop reconnecting. Returns when everything this
        initiator started has finished."""
        self._stopping = True
        task = self._task
        if task is None or task.done():
            self._task = None
            self._set_state(InitiatorState.STOPPED)
            return
        if self._wake is not None:
            self._wake.set()
        conn = self._connection
        if self._state is InitiatorState.CONNECTING or conn is None:
            task.cancel()
        elif not conn.closing:
            try:
                conn.logout(text)
            except FixError:  # not in a state that can log out: just close
                conn.abort()
        grace = self.session.config.logout_timeout + 2.0
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            if self._connection is not None:
                self._connection.abort()
            task.cancel()
            await asyncio.wait({task})
        if not task.cancelled() and task.exception() is not None:
            _log.error("initiator loop failed", exc_info=task.exception())
        self._task = None
        self._connection = None
        self._next_attempt_at = None
        self._set_state(InitiatorState.STOPPED)

    def send(self, msg_type: str, body: Sequence[tuple[int, str]], *, write: bool = True) -> int:
        """Send one application message now; returns its MsgSeqNum. Raises
        :class:`~workstation.fix.errors.SessionNotActive` when not logged on. ``write=False``:
        see :meth:`Connection.send`, then :meth:`write_pending`."""
        conn = self._connection
        if conn is None or conn.closing:
            raise SessionNotActive("send", self._state, "not connected")
        return conn.send(msg_type, body, write=write)

    def write_pending(self) -> None:
        """Write what a ``send(..., write=False)`` queued, if still connected."""
        conn = self._connection
        if conn is not None and not conn.closing:
            conn.write_pending()

    # -- the connect loop -------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            while not self._stopping:
                await self._attempt()
                if self._stop_requested():  # stop() may have run while we awaited
                    break
                now = self._clock()
                delay = self.policy.next_delay(
                    now,
                    logout_text=self._logout_text,
                    heart_bt_int=self.session.config.heartbeat_interval,
                )
                self._next_attempt_at = now + delay
                self._set_state(InitiatorState.WAITING_TO_RECONNECT)
                await self._wait_until(now + delay, delay)
                self._next_attempt_at = None
        finally:
            self._connection = None
            self._next_attempt_at = None
            self._set_state(InitiatorState.STOPPED)

    async def _attempt(self) -> None:
        self._logout_text = ""
        self._set_state(InitiatorState.CONNECTING)
        self.policy.attempt_started(self._clock())
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(
                    self.host, self.port, ssl=self._ssl, server_hostname=self._server_hostname
                ),
                self._connect_timeout,
            )
        except TimeoutError:
            self._last_error = f"cannot connect to {self.host}:{self.port}: timed out"
            return
        except OSError as exc:  # refused, unreachable, TLS verification failed ...
            self._last_error = f"cannot connect to {self.host}:{self.port}: {_describe(exc)}"
            return
        conn = Connection(
            self.session,
            reader,
            writer,
            on_events=self._handle_events,
            clock=self._clock,
            read_size=self._read_size,
        )
        self._connection = conn
        self._set_state(InitiatorState.LOGGING_ON)
        try:
            reason = await conn.run()
        except Exception as exc:  # the application's on_events failed; reconnect later
            _log.exception("session on %s:%s failed", self.host, self.port)
            self._last_error = f"internal error: {exc!r}"
        else:
            _log.info("session on %s:%s ended: %s", self.host, self.port, reason)
            if not self._stopping and not self._last_error:
                self._last_error = reason
        finally:
            self._connection = None

    def _stop_requested(self) -> bool:
        return self._stopping

    async def _wait_until(self, when: float, delay: float) -> None:
        """Sleep ``delay`` seconds, then top up while the clock is still short of ``when``
        (timers can fire early); returns at once when stop() is called."""
        await self._sleep(delay)
        for _ in range(_TOP_UPS):
            remaining = when - self._clock()
            if self._stop_requested() or not 0 < remaining <= _EARLY_FIRE_TOLERANCE:
                return
            await self._sleep(remaining)

    async def _sleep(self, delay: float) -> None:
        assert self._wake is not None
        try:
            async with asyncio.timeout(delay):
                await self._wake.wait()
        except TimeoutError:
            pass

    def _handle_events(self, events: list[Event]) -> None:
        for event in events:
            if isinstance(event, LogonAccepted):
                self.policy.logged_on(self._clock())
                self._last_error = ""
                self._set_state(InitiatorState.ACTIVE)
            elif isinstance(event, LogonRejected):
                self._logout_text = event.text
                self._last_error = f"logon refused: {event.text}" if event.text else "logon refused"
            elif isinstance(event, LogoutReceived):
                self._logout_text = event.text
                if event.text and not self._stopping:
                    self._last_error = f"logged out by the server: {event.text}"
            elif (
                isinstance(event, SessionClosed)
                and event.reason not in _QUIET_ENDINGS
                and not self._last_error
            ):
                self._last_error = (
                    f"{event.reason.value}: {event.text}" if event.text else event.reason.value
                )
        if self._on_events is not None:
            self._on_events(events)

    def _set_state(self, state: InitiatorState) -> None:
        if state is self._state:
            return
        self._state = state
        if self._on_state is not None:
            self._on_state(state)


#: A wait that ended this close to its deadline was a timer firing early: wait the rest.
#: (Further than that, the wall clock was set back; do not wait the jump out.)
_EARLY_FIRE_TOLERANCE = 1.0
_TOP_UPS = 3

#: Endings that are not errors in themselves (a Logout's own text is recorded separately).
_QUIET_ENDINGS = frozenset({CloseReason.LOGOUT})


def _describe(exc: OSError) -> str:
    if isinstance(exc, _ssl.SSLCertVerificationError):
        return f"TLS certificate refused: {exc.verify_message}"
    if isinstance(exc, _ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if exc.errno is not None:
        return os.strerror(exc.errno)  # "Connection refused", not asyncio's "Connect call failed"
    return exc.strerror or str(exc) or type(exc).__name__
