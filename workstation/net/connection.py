"""Drive one sans-IO FIX session over one asyncio stream connection.

How it works
------------
:class:`Connection` is the thin adapter between an asyncio ``StreamReader``/``StreamWriter``
pair and a :class:`~workstation.fix.session.Session` (aioquic's ``asyncio/protocol.py`` is
the model). It owns no protocol logic; it only moves bytes, events and time:

* **Connect.** ``connection_made(now)``, deliver the events, flush (the initiator's Logon
  goes out here).
* **Read.** Chunks of up to 64 KiB. For each chunk, inside one ``session.store.transaction()``:
  ``receive_data(chunk, now)`` and then the application's ``on_events(events)``, so the
  inbound sequence number, the messages and the application's journal rows commit together
  or not at all. Then the outbox is written and the writer drained (back-pressure), and the
  loop gets a turn before the next chunk (a burst never freezes it for more than one chunk).
* **Timer.** Exactly one ``loop.call_later`` handle, armed at ``session.get_timer()`` after
  a step when that is earlier than the handle's (a later deadline keeps the handle: it fires
  early and is re-armed). Timers can also fire early on their own (qasync's were seen ~50 ms
  early, DESIGN.md); a timer that fires before the session's deadline is re-armed instead of
  handled. On time: ``handle_timer(now)`` in a transaction, deliver, flush.
* **Send.** :meth:`Connection.send` calls ``session.send_message`` (which stores the message
  before it is sent) and writes the outbox at once; ``StreamWriter.write`` is synchronous,
  so the application need not await anything. With :attr:`Connection.defer_writes` (the
  simulator's connections) the write waits for the end of the current event-loop step. A
  send made from inside ``on_events`` is written by the step that delivered the events,
  right after its transaction commits, so the answers to one chunk leave in one write (one
  system call, not one per message).
  ``on_events`` is never re-entered: the events of a send made from inside it are
  delivered right after it returns.
* **Close.** After every flush, if ``session.wants_close``, the transport is closed (pending
  bytes are written first). On EOF, on a transport error, or when the run is cancelled:
  ``connection_lost(now)`` and its events are delivered, and :meth:`run` returns why the
  connection ended.

An exception raised by ``on_events`` is the application failing to record what arrived: the
transaction rolls back, the connection is closed (so the peer will resend on a retransmitting
session) and the exception propagates out of :meth:`run` after the clean-up.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import Callable, Sequence
from typing import Protocol

from workstation.fix.events import CloseReason, Event, SessionClosed
from workstation.fix.store import MessageStore
from workstation.net.clock import Clock, wall_clock

__all__ = ["Connection", "DrivenSession", "EventSink", "run_session"]

READ_SIZE = 64 * 1024
#: Seconds a closing transport may take to flush its last bytes before it is aborted.
CLOSE_TIMEOUT = 5.0

EventSink = Callable[[list[Event]], None]


class DrivenSession(Protocol):
    """What the adapter needs of a session (``workstation.fix.session.Session`` has it)."""

    @property
    def store(self) -> MessageStore: ...

    @property
    def wants_close(self) -> bool: ...

    def connection_made(self, now: float) -> list[Event]: ...

    def receive_data(self, data: bytes, now: float) -> list[Event]: ...

    def send_message(self, msg_type: str, body: Sequence[tuple[int, str]], now: float) -> int: ...

    def logout(self, now: float, text: str = "") -> None: ...

    def connection_lost(self, now: float) -> list[Event]: ...

    def data_to_send(self) -> bytes: ...

    def get_timer(self) -> float | None: ...

    def handle_timer(self, now: float) -> list[Event]: ...

    def take_events(self) -> list[Event]: ...


class Connection:
    """One session over one connection; create it, then ``await run()`` until it ends."""

    def __init__(
        self,
        session: DrivenSession,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        *,
        on_events: EventSink,
        clock: Clock = wall_clock,
        read_size: int = READ_SIZE,
    ) -> None:
        self.session = session
        self.read_size = read_size
        """Bytes handled per step at most: the longest the loop waits for one step."""
        self._reader = reader
        self._writer = writer
        self._on_events = on_events
        self._clock = clock
        self._timer: asyncio.TimerHandle | None = None
        self._timer_deadline: float | None = None
        self._abort_handle: asyncio.TimerHandle | None = None
        self._closing = False
        self._finished = False
        self._failure: BaseException | None = None
        self._transport_error: str | None = None
        self.closed_event: SessionClosed | None = None
        """The last :class:`SessionClosed` the session reported on this connection."""
        self._delivering = False
        self._pending: list[Event] = []
        self.early_timer_fires = 0
        """How often the timer fired before the session's deadline and was re-armed."""
        self.defer_writes = False
        """Write what :meth:`send` sends outside ``on_events`` at the end of the current
        event-loop step instead of at once, so that whatever the caller commits in the same
        step (the venue's state) is on disk before the bytes leave (store before send)."""
        self._flush_handle: asyncio.Handle | None = None

    # -- what the application calls -------------------------------------------------------

    @property
    def closing(self) -> bool:
        """The transport is closing or closed; nothing more will be written."""
        return self._closing or self._finished

    @property
    def peer(self) -> tuple[str, int] | None:
        """The remote (host, port), if the socket still knows it."""
        peer = self._writer.get_extra_info("peername")
        return (str(peer[0]), int(peer[1])) if peer else None

    def send(self, msg_type: str, body: Sequence[tuple[int, str]], *, write: bool = True) -> int:
        """Send one application message now; returns its MsgSeqNum.

        Raises ``SessionNotActive`` when the session is not logged on. The message is in the
        store before its bytes are written. With ``write=False`` the bytes stay queued until
        :meth:`write_pending` (or the next step): a caller that stores the message inside a
        transaction of its own (the workstation's journal row and the message commit
        together) writes only after that transaction has committed."""
        with self.session.store.transaction():
            seq = self.session.send_message(msg_type, body, self._clock())
        self._deliver(self.session.take_events())
        if self._delivering or not write:
            pass  # inside on_events the step writes everything at its end; else the caller
        elif self.defer_writes:
            if self._flush_handle is None:
                self._flush_handle = asyncio.get_running_loop().call_soon(self._flush_deferred)
        else:
            self._flush()
        return seq

    def write_pending(self) -> None:
        """Write what :meth:`send` queued with ``write=False`` (nothing if nothing is)."""
        if not self._finished and not self._delivering:
            self._flush()

    def _flush_deferred(self) -> None:
        self._flush_handle = None
        if not self._finished:
            self._flush()

    def logout(self, text: str = "") -> None:
        """Start a clean logout: the session sends Logout and closes when it is answered or
        its logout timeout passes."""
        with self.session.store.transaction():
            self.session.logout(self._clock(), text)
        self._deliver(self.session.take_events())
        self._flush()

    def abort(self) -> None:
        """Drop the connection at once, without a Logout."""
        self._closing = True
        self._cancel_timer()
        self._writer.transport.abort()

    async def run(self) -> str:
        """Drive the session until the connection ends; returns why it ended."""
        abort = False
        try:
            self._step(self.session.connection_made)
            while not self._closing:
                data = await self._reader.read(self.read_size)
                if not data or self._closing:
                    break
                self._step(functools.partial(self.session.receive_data, data))
                await self._writer.drain()
                # A read returns at once while the stream's buffer holds data, so without
                # this a burst would be handled read after read in one event-loop turn (the
                # window frozen for all of it): let the loop run timers, paint and the other
                # sessions between two reads.
                await asyncio.sleep(0)
        except (OSError, EOFError) as exc:  # ssl.SSLError is an OSError
            self._transport_error = _describe(exc)
        except BaseException:  # cancelled, or the application failed: drop the line now
            abort = True
            raise
        finally:
            await self._finish(abort)
        if self._failure is not None:
            raise self._failure
        return self._end_reason()

    # -- the machinery ---------------------------------------------------------------------

    def _step(self, call: Callable[[float], list[Event]]) -> None:
        with self.session.store.transaction():
            events = call(self._clock())
            self._deliver(events)
        self._flush()

    def _deliver(self, events: list[Event]) -> None:
        """Hand events to the application, never re-entering its callback: events raised by
        a send() made *inside* the callback are delivered right after it returns."""
        if not events:
            return
        for event in events:
            if isinstance(event, SessionClosed):
                self.closed_event = event
        if self._delivering:
            self._pending.extend(events)
            return
        self._delivering = True
        try:
            self._on_events(events)
            while self._pending:
                batch, self._pending = self._pending, []
                self._on_events(batch)
        finally:
            self._delivering = False
            self._pending = []

    def _flush(self) -> None:
        data = self.session.data_to_send()
        if data and not self.closing and not self._writer.is_closing():
            self._writer.write(data)
        if self.session.wants_close:
            self._close_transport()
        self._arm_timer()

    def _close_transport(self) -> None:
        if self._closing:
            return
        self._closing = True
        self._cancel_timer()
        self._writer.close()  # writes what is buffered, then closes; the reader sees EOF
        loop = asyncio.get_running_loop()
        self._abort_handle = loop.call_later(CLOSE_TIMEOUT, self._writer.transport.abort)

    def _arm_timer(self) -> None:
        if self.closing:
            return
        deadline = self.session.get_timer()
        armed = self._timer_deadline if self._timer is not None else None
        if armed is not None and (deadline is None or deadline >= armed):
            # The armed timer comes first: keep it (it finds the session's deadline later,
            # or none, and re-arms). Almost every message moves the heartbeat deadline a
            # little later, and replacing the loop's timer each time cost more than the
            # rest of the step's bookkeeping.
            return
        self._cancel_timer()
        if deadline is None:
            return
        delay = max(0.0, deadline - self._clock())
        self._timer = asyncio.get_running_loop().call_later(delay, self._on_timer)
        self._timer_deadline = deadline

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        self._timer_deadline = None

    def _on_timer(self) -> None:
        self._timer = None
        self._timer_deadline = None
        if self.closing:
            return
        deadline = self.session.get_timer()
        if deadline is None:
            return
        if self._clock() < deadline:  # fired early: wait for the real deadline
            self.early_timer_fires += 1
            self._arm_timer()
            return
        try:
            self._step(self.session.handle_timer)
        except Exception as exc:  # the application failed; end the connection with it
            self._failure = exc
            self.abort()

    async def _finish(self, abort: bool) -> None:
        self._closing = True
        self._cancel_timer()
        transport = self._writer.transport
        if abort or self._failure is not None:
            transport.abort()
        elif not transport.is_closing():
            transport.close()
        try:
            if not self._finished:
                self._finished = True
                events = self.session.connection_lost(self._clock())
                self._deliver(events)
        finally:
            if not abort:
                await self._wait_closed()
            if self._abort_handle is not None:
                self._abort_handle.cancel()

    async def _wait_closed(self) -> None:
        try:
            await asyncio.wait_for(self._writer.wait_closed(), CLOSE_TIMEOUT)
        except TimeoutError:
            self._writer.transport.abort()
        except OSError:  # ssl.SSLError included
            pass  # the transport already reported its error (or there is none worth keeping)

    def _end_reason(self) -> str:
        closed = self.closed_event
        if closed is not None and closed.reason is not CloseReason.CONNECTION_LOST:
            return f"{closed.reason.value}: {closed.text}" if closed.text else closed.reason.value
        if self._transport_error is not None:
            return f"connection error: {self._transport_error}"
        return "connection closed by peer"


async def run_session(
    session: DrivenSession,
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    *,
    on_events: EventSink,
    clock: Clock = wall_clock,
) -> str:
    """Drive ``session`` over ``reader``/``writer`` until the connection ends; returns why.

    To send while it runs, create a :class:`Connection` and keep it instead."""
    return await Connection(session, reader, writer, on_events=on_events, clock=clock).run()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError) and exc.reason:
        return f"TLS error: {exc.reason}"
    return str(exc) or type(exc).__name__
