"""The server side: accept FIX connections and drive a fresh session over each.

:func:`start_acceptor` listens on ``host:port`` (TLS when given a context). Every accepted
connection gets a new session from ``session_factory`` and is driven by a
:class:`~workstation.net.connection.Connection` until it ends; the session's events reach
``on_events(session, events)`` inside the store transaction of the chunk they came from.
The returned :class:`AcceptorServer` knows the live sessions, sends on their behalf, and
closes cleanly: it stops listening, logs every live session out, waits briefly for the
answers, then drops whatever is left.

The simulator binds ``127.0.0.1`` (:data:`DEFAULT_HOST`); port 0 lets the OS choose, and
:attr:`AcceptorServer.port` reads the real port back.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import ssl as _ssl
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from workstation.fix.errors import FixError, SessionNotActive
from workstation.fix.events import Event
from workstation.fix.state import SessionState
from workstation.net.clock import Clock, wall_clock
from workstation.net.connection import Connection, DrivenSession

__all__ = ["DEFAULT_HOST", "AcceptorServer", "start_acceptor"]

_log = logging.getLogger(__name__)

#: Listen on loopback only unless the caller deliberately asks for more.
DEFAULT_HOST = "127.0.0.1"
#: Seconds close() waits for sessions to answer their Logout before dropping them.
CLOSE_GRACE = 2.0

S = TypeVar("S", bound=DrivenSession)


class AcceptorServer(Generic[S]):
    """A listening acceptor; create it with :func:`start_acceptor`."""

    def __init__(
        self,
        session_factory: Callable[[], S],
        on_events: Callable[[S, list[Event]], None],
        *,
        clock: Clock = wall_clock,
        defer_writes: bool = False,
    ) -> None:
        self._factory = session_factory
        self._on_events = on_events
        self._clock = clock
        self._defer_writes = defer_writes
        self._server: asyncio.Server | None = None
        self._connections: dict[int, tuple[S, Connection]] = {}
        self._tasks: set[asyncio.Task[object]] = set()
        self._closing = False

    def __repr__(self) -> str:
        return f"AcceptorServer({self.host}:{self.port}, {len(self._connections)} live)"

    @property
    def host(self) -> str:
        return str(self._sockname()[0])

    @property
    def port(self) -> int:
        """The port actually listened on (the OS's choice when asked for port 0)."""
        return int(self._sockname()[1])

    @property
    def sessions(self) -> list[S]:
        """The sessions whose connections are live now, oldest first."""
        return [session for session, _ in self._connections.values()]

    @property
    def connections(self) -> list[Connection]:
        """The live connections, oldest first."""
        return [conn for _, conn in self._connections.values()]

    def connection_for(self, session: S) -> Connection | None:
        """The live connection driving ``session``, if any."""
        entry = self._connections.get(id(session))
        return entry[1] if entry is not None else None

    def send(self, session: S, msg_type: str, body: Sequence[tuple[int, str]]) -> int:
        """Send an application message on ``session`` now; returns its MsgSeqNum. Raises
        :class:`~workstation.fix.errors.SessionNotActive` if it is not logged on here."""
        conn = self.connection_for(session)
        if conn is None:
            raise SessionNotActive("send", SessionState.DISCONNECTED, "no live connection")
        return conn.send(msg_type, body)

    async def close(self, text: str = "", *, grace: float = CLOSE_GRACE) -> None:
        """Stop listening, send every live session a Logout (Text ``text``), wait up to
        ``grace`` seconds for them to finish, drop the rest, and wait for every task."""
        self._closing = True
        if self._server is not None:
            self._server.close()
        for conn in self.connections:
            if conn.closing:
                continue
            try:
                conn.logout(text)
            except FixError:  # not logged on (yet): nothing to say, just drop it
                conn.abort()
        tasks = set(self._tasks)
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=grace)
            for conn in self.connections:
                conn.abort()
            if pending:
                _, pending = await asyncio.wait(pending, timeout=grace)
            for task in pending:
                task.cancel()
            if pending:
                await asyncio.wait(pending)
        if self._server is not None:
            await self._server.wait_closed()

    # -- the machinery ---------------------------------------------------------------------

    async def _listen(self, host: str, port: int, ssl: _ssl.SSLContext | None) -> None:
        self._server = await asyncio.start_server(self._handle, host, port, ssl=ssl)

    def _sockname(self) -> tuple[str, int]:
        if self._server is None or not self._server.sockets:
            raise RuntimeError("the acceptor is not listening")
        name = self._server.sockets[0].getsockname()
        return (str(name[0]), int(name[1]))

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if self._closing or task is None:
            writer.transport.abort()
            return
        self._tasks.add(task)
        session = self._factory()
        conn = Connection(
            session,
            reader,
            writer,
            on_events=functools.partial(self._on_events, session),
            clock=self._clock,
        )
        conn.defer_writes = self._defer_writes
        self._connections[id(session)] = (session, conn)
        peer = conn.peer
        try:
            reason = await conn.run()
            _log.info("acceptor connection from %s ended: %s", peer, reason)
        except asyncio.CancelledError:
            # Only close() cancels these tasks, and it awaits them. Returning normally keeps
            # asyncio's start_server callback (3.11) from logging the cancellation as an error.
            _log.info("acceptor connection from %s cancelled", peer)
        except Exception:
            _log.exception("acceptor connection from %s failed", peer)
        finally:
            self._connections.pop(id(session), None)
            self._tasks.discard(task)


async def start_acceptor(
    host: str,
    port: int,
    session_factory: Callable[[], S],
    on_events: Callable[[S, list[Event]], None],
    ssl: _ssl.SSLContext | None = None,
    *,
    clock: Clock = wall_clock,
    defer_writes: bool = False,
) -> AcceptorServer[S]:
    """Listen on ``host:port`` (``DEFAULT_HOST`` = 127.0.0.1; port 0: the OS chooses) and
    serve each connection with a new session from ``session_factory``. ``defer_writes``:
    see :attr:`~workstation.net.connection.Connection.defer_writes`."""
    server = AcceptorServer(session_factory, on_events, clock=clock, defer_writes=defer_writes)
    await server._listen(host, port, ssl)
    return server
