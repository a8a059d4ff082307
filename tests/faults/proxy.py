"""A loopback TCP proxy that injects faults between a FIX client and a FIX server.

How it works
------------
:class:`FaultProxy` listens on an OS-assigned port of 127.0.0.1 and opens a connection to its
target for every client that connects (the workstation's initiators reconnect through it as
they would to the venue). Each connection has two legs, :attr:`Leg.TO_SERVER` and
:attr:`Leg.TO_CLIENT`. A leg has a reader task and a writer task with a queue between them:

* the **reader** reads chunks, cuts them into *units* — whole FIX frames, found by BodyLength
  the way a FIX reader finds them (the proxy does not check the checksum: it forwards what it
  is given), or raw runs of anything that is not a frame (HTTP, JSON) — and queues them;
* the **writer** takes units in order, waits out a stall, applies the first armed one-shot
  fault whose ``match`` the unit contains, and writes the unit — whole, or in pieces of
  ``k`` bytes with a pause between them (split).

Controls (all synchronous; they act on the connections open now and, except :meth:`cut`, on
the ones that open later):

=========================  ===================================================================
``cut()``                  abort every open connection at both ends at once (a reset, no FIN,
                           no Logout); ``keep_server_side=True`` leaves the server's end open
                           and silent (a half-open connection the server notices only by its
                           heartbeat timeout), until the server closes it or the proxy closes
``stall(seconds, leg)``    hold every unit of that leg (both when None) for ``seconds``, then
                           deliver what was held, in order, if the connection still stands
``split(k, leg)``          write each unit in ``k``-byte pieces, letting the reader on the other
                           end take each on its own; None writes whole units
``corrupt_next(offset)``   change one byte of the next matching frame (digits to another digit,
                           anything else XOR 0x20); the offset wraps around the frame length;
                           ``skip=n`` lets ``n`` matching frames pass first
``duplicate_next()``       write the next matching frame twice (``skip`` as above)
``refuse(on)``             accept new connections and close them at once (the server is down)
``retarget(port)``         connect new connections to another port (a restarted server)
``pass_through()``         clear every fault: no stall, no split, nothing armed, not refusing
=========================  ===================================================================

A stall does not stop a leg from *reading*: when one end closes while units are held, the held
units are dropped and the whole connection is aborted at once, as a dead network path would
leave it, so the other end learns promptly that its peer is gone.

Every applied fault is recorded as a :class:`FaultInjected`. The proxy is bounded: it closes
itself ``lifetime`` seconds after :meth:`start` (a forgotten proxy cannot keep a test or a soak
hanging), a stall lasts at most :data:`MAX_STALL` seconds, and a leg holds at most
:data:`MAX_HELD_BYTES` bytes before the connection is aborted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "MAX_HELD_BYTES",
    "MAX_STALL",
    "FaultInjected",
    "FaultKind",
    "FaultProxy",
    "Leg",
    "UnitCutter",
    "corrupt_byte",
]

_log = logging.getLogger(__name__)

MAX_STALL = 600.0  #: seconds: the longest stall one call may ask for
MAX_HELD_BYTES = 16 << 20  #: bytes one leg may queue before its connection is aborted
READ_SIZE = 64 * 1024
_BEGIN = b"8=FIX"
_LENGTH = re.compile(rb"8=[^\x01]{1,16}\x019=(\d{1,9})\x01")
_PARTIAL_HEADER = re.compile(rb"8=[^\x01]{0,16}(?:\x01(?:9(?:=\d{0,9})?)?)?")
_TRAILER = 7  # b"10=ddd\x01"
_TURNS_PER_PIECE = 3


class Leg(StrEnum):
    """One direction of a proxied connection."""

    TO_SERVER = "to_server"  #: client → server (the workstation's orders)
    TO_CLIENT = "to_client"  #: server → client (the venue's reports)


class FaultKind(StrEnum):
    CUT = "cut"
    HALF_OPEN = "half_open"
    STALL = "stall"
    SPLIT = "split"
    CORRUPT = "corrupt"
    DUPLICATE = "duplicate"
    REFUSE = "refuse"


@dataclass(frozen=True, slots=True, kw_only=True)
class FaultInjected:
    """Fires when the proxy has applied a fault: a cut or refused connection, a stall that
    started, a unit written in pieces, a byte corrupted, a frame duplicated."""

    at: float  #: wall-clock time, epoch seconds
    proxy: str
    kind: FaultKind
    leg: Leg | None
    detail: str


def corrupt_byte(value: int) -> int:
    """The byte a corruption writes instead of ``value``: another digit for a digit (so the
    frame still looks well formed and only the checksum can tell), else ``value ^ 0x20``."""
    if 0x30 <= value <= 0x39:
        return 0x30 + (value - 0x30 + 1) % 10
    return value ^ 0x20


class UnitCutter:
    """Cuts a byte stream into whole FIX frames (by BodyLength) and raw runs of other bytes.

    A frame is returned only when all of it has arrived; bytes that do not start a frame are
    returned up to the next ``8=FIX`` (or all of them, keeping a tail that may be the start of
    one). The proxy forwards every byte it reads, in order: the units only decide where a
    fault may apply.
    """

    def __init__(self) -> None:
        self._buf = b""

    @property
    def buffered(self) -> int:
        return len(self._buf)

    def feed(self, data: bytes) -> list[tuple[bytes, bool]]:
        """Add ``data``; return the complete units now available as ``(bytes, is_frame)``."""
        self._buf += data
        out: list[tuple[bytes, bool]] = []
        while self._buf:
            unit = self._next()
            if unit is None:
                break
            out.append(unit)
        return out

    def flush(self) -> bytes:
        """Whatever is left (an incomplete frame at the end of the stream)."""
        rest, self._buf = self._buf, b""
        return rest

    def _next(self) -> tuple[bytes, bool] | None:
        buf = self._buf
        if buf.startswith(_BEGIN):
            match = _LENGTH.match(buf)
            if match is None:
                if _PARTIAL_HEADER.fullmatch(buf):
                    return None  # the header has not all arrived yet
                return self._raw(1)
            end = match.end() + int(match.group(1)) + _TRAILER
            if len(buf) < end:
                return None
            self._buf = buf[end:]
            return buf[:end], True
        if _BEGIN.startswith(buf):
            return None  # perhaps the start of a frame, split across reads
        return self._raw(0)

    def _raw(self, start: int) -> tuple[bytes, bool] | None:
        buf = self._buf
        nxt = buf.find(_BEGIN, start)
        if nxt < 0:
            keep = next((k for k in range(len(_BEGIN) - 1, 0, -1) if buf.endswith(_BEGIN[:k])), 0)
            nxt = len(buf) - keep
            if nxt <= 0:
                return None
        self._buf = buf[nxt:]
        return buf[:nxt], False


@dataclass
class _OneShot:
    kind: FaultKind
    match: bytes | None
    offset: int = 0
    skip: int = 0  #: matching frames to let pass first

    def matches(self, unit: bytes) -> bool:
        return self.match is None or self.match in unit


@dataclass
class _Faults:
    """What the proxy does to the units of one leg."""

    stall_until: float = 0.0  #: loop time
    split: int | None = None
    pause: float = 0.0
    armed: list[_OneShot] = field(default_factory=list)


class _Link:
    """One proxied connection: the client's end, the server's end, and the four tasks."""

    def __init__(
        self,
        proxy: FaultProxy,
        number: int,
        client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
        server: tuple[asyncio.StreamReader, asyncio.StreamWriter],
    ) -> None:
        self.proxy = proxy
        self.number = number
        self.client_reader, self.client_writer = client
        self.server_reader, self.server_writer = server
        self.tasks: list[asyncio.Task[None]] = []
        self.queues: dict[Leg, asyncio.Queue[bytes | None]] = {
            Leg.TO_SERVER: asyncio.Queue(),
            Leg.TO_CLIENT: asyncio.Queue(),
        }
        self.held: dict[Leg, int] = {Leg.TO_SERVER: 0, Leg.TO_CLIENT: 0}
        self.aborted = False
        self.half_open = False
        self.finished: set[Leg] = set()
        self.done = asyncio.Event()

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        name = f"{self.proxy.name}#{self.number}"
        for leg, reader, writer in (
            (Leg.TO_SERVER, self.client_reader, self.server_writer),
            (Leg.TO_CLIENT, self.server_reader, self.client_writer),
        ):
            self.tasks.append(loop.create_task(self._read(leg, reader), name=f"{name} {leg} read"))
            self.tasks.append(
                loop.create_task(self._write(leg, writer), name=f"{name} {leg} write")
            )

    # ------------------------------------------------------------------ the two halves of a leg

    async def _read(self, leg: Leg, reader: asyncio.StreamReader) -> None:
        cutter = UnitCutter()
        queue = self.queues[leg]
        try:
            while True:
                data = await reader.read(READ_SIZE)
                if not data:
                    break
                if self.half_open:
                    continue  # nothing passes a half-open connection
                self.proxy.bytes_read[leg] += len(data)
                for unit, is_frame in cutter.feed(data):
                    if is_frame:
                        self.proxy.frames[leg] += 1
                    self.held[leg] += len(unit)
                    queue.put_nowait(unit)
                if self.held[leg] > MAX_HELD_BYTES:
                    _log.warning("%s: %s holds too much; aborting", self.proxy.name, leg)
                    self.abort()
                    return
        except (ConnectionError, OSError):
            pass
        if self.half_open:
            if leg is Leg.TO_CLIENT:
                self.abort()  # the server gave up on the dead connection at last
            return
        rest = cutter.flush()
        if rest:
            self.held[leg] += len(rest)
            queue.put_nowait(rest)
        if self.proxy.stalled(leg) and any(self.held.values()):
            self.abort()  # one end is gone while units are held: the path is dead
        else:
            queue.put_nowait(None)  # deliver what is queued, then pass the end on

    async def _write(self, leg: Leg, writer: asyncio.StreamWriter) -> None:
        queue = self.queues[leg]
        faults = self.proxy.faults[leg]
        try:
            while True:
                unit = await queue.get()
                if unit is None or self.aborted:
                    break
                await self.proxy.wait_stall(leg)
                if self.aborted or self.half_open:
                    continue
                self.held[leg] -= len(unit)
                for piece in self.proxy.transform(leg, unit):
                    await self._send(writer, piece, faults)
        except (ConnectionError, OSError):
            self.abort()
            return
        if not self.aborted:
            with contextlib.suppress(OSError, RuntimeError):
                if writer.can_write_eof():
                    writer.write_eof()
            self.finished.add(leg)
            if len(self.finished) == 2:
                self.close()

    async def _send(self, writer: asyncio.StreamWriter, data: bytes, faults: _Faults) -> None:
        k = faults.split
        if k is None or k >= len(data):
            writer.write(data)
            await writer.drain()
            return
        for start in range(0, len(data), k):
            if self.aborted:
                return
            writer.write(data[start : start + k])
            await writer.drain()
            if faults.pause > 0:
                await asyncio.sleep(faults.pause)
            else:
                # A reader on this event loop needs three turns to take a piece on its own:
                # the transport reads it, the StreamReader wakes its task, the task runs.
                for _ in range(_TURNS_PER_PIECE):
                    await asyncio.sleep(0)

    # ------------------------------------------------------------------ ending

    def abort(self, *, keep_server_side: bool = False) -> None:
        """Reset the connection: both ends at once, or only the client's (half-open)."""
        if self.aborted:
            return
        if keep_server_side and not self.half_open:
            self.half_open = True
            _abort(self.client_writer)
            for queue in self.queues.values():
                while not queue.empty():
                    queue.get_nowait()
            self.held = {Leg.TO_SERVER: 0, Leg.TO_CLIENT: 0}
            return
        self.aborted = True
        _abort(self.client_writer)
        _abort(self.server_writer)
        for queue in self.queues.values():
            queue.put_nowait(None)
        current = asyncio.current_task()
        for task in self.tasks:
            if task is not current:
                task.cancel()
        self.done.set()

    def close(self) -> None:
        """Both legs ended cleanly: close both ends."""
        for writer in (self.client_writer, self.server_writer):
            with contextlib.suppress(OSError, RuntimeError):
                writer.close()
        self.done.set()


def _abort(writer: asyncio.StreamWriter) -> None:
    transport = writer.transport
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # SO_LINGER 0: close() sends a reset, as a dead path or a killed peer would.
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


class FaultProxy:
    """See the module docstring."""

    def __init__(
        self,
        target_port: int,
        *,
        target_host: str = "127.0.0.1",
        name: str = "proxy",
        lifetime: float = 300.0,
        on_fault: Callable[[FaultInjected], None] | None = None,
    ) -> None:
        self.target_host = target_host
        self.target_port = target_port
        self.name = name
        self.lifetime = lifetime
        self.on_fault = on_fault
        self.faults: dict[Leg, _Faults] = {Leg.TO_SERVER: _Faults(), Leg.TO_CLIENT: _Faults()}
        self.injected: list[FaultInjected] = []
        self.frames: dict[Leg, int] = {Leg.TO_SERVER: 0, Leg.TO_CLIENT: 0}
        self.bytes_read: dict[Leg, int] = {Leg.TO_SERVER: 0, Leg.TO_CLIENT: 0}
        self.accepted = 0
        self._refusing = False
        self._links: set[_Link] = set()
        self._server: asyncio.Server | None = None
        self._expiry: asyncio.TimerHandle | None = None
        self._closing: asyncio.Task[None] | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self._stall_changed: asyncio.Event | None = None
        self.port = 0

    def __repr__(self) -> str:
        return f"FaultProxy({self.name} :{self.port} -> :{self.target_port})"

    # ------------------------------------------------------------------ life cycle

    async def start(self) -> int:
        """Listen on 127.0.0.1 (an OS-assigned port); returns the port."""
        self._stall_changed = asyncio.Event()
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        loop = asyncio.get_running_loop()
        self._expiry = loop.call_later(self.lifetime, self._expire)
        return self.port

    def _expire(self) -> None:
        _log.warning("%s: lifetime of %.0f s is over; closing", self.name, self.lifetime)
        self._closing = asyncio.get_running_loop().create_task(self.close())

    async def close(self) -> None:
        """Stop listening and abort every connection; idempotent."""
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None
        if self._server is not None:
            self._server.close()
        for link in list(self._links):
            link.abort()
        tasks = [t for link in self._links for t in link.tasks] + list(self._handlers)
        if tasks:
            await asyncio.wait(tasks, timeout=5.0)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    @property
    def open_connections(self) -> int:
        return sum(1 for link in self._links if not link.done.is_set() and not link.half_open)

    # ------------------------------------------------------------------ controls

    def cut(self, *, keep_server_side: bool = False) -> int:
        """Abort every open connection; returns how many. See the module docstring."""
        links = [lk for lk in self._links if not lk.done.is_set() and not lk.half_open]
        for link in links:
            link.abort(keep_server_side=keep_server_side)
        kind = FaultKind.HALF_OPEN if keep_server_side else FaultKind.CUT
        self._record(kind, None, f"{len(links)} connection(s)")
        return len(links)

    def stall(self, seconds: float, leg: Leg | None = None) -> None:
        """Hold the units of ``leg`` (both legs when None) for ``seconds``."""
        if not 0 <= seconds <= MAX_STALL:
            raise ValueError(f"a stall lasts 0 to {MAX_STALL} s, not {seconds}")
        until = asyncio.get_running_loop().time() + seconds
        for each in self._legs(leg):
            self.faults[each].stall_until = until
        self._record(FaultKind.STALL, leg, f"{seconds:g} s")
        self._wake()

    def split(self, k: int | None, leg: Leg | None = Leg.TO_CLIENT, pause: float = 0.0) -> None:
        """Write the units of ``leg`` in ``k``-byte pieces (None: whole units)."""
        if k is not None and k < 1:
            raise ValueError("a piece is at least one byte")
        for each in self._legs(leg):
            self.faults[each].split = k
            self.faults[each].pause = pause
        if k is not None:
            self._record(FaultKind.SPLIT, leg, f"{k}-byte pieces")

    def corrupt_next(
        self,
        offset: int,
        *,
        leg: Leg = Leg.TO_CLIENT,
        match: bytes | None = None,
        skip: int = 0,
    ) -> None:
        """Change the byte at ``offset`` (wrapping) of the next frame of ``leg`` containing
        ``match`` (any frame when None), after letting ``skip`` such frames pass."""
        self.faults[leg].armed.append(_OneShot(FaultKind.CORRUPT, match, offset, skip))

    def duplicate_next(
        self, *, leg: Leg = Leg.TO_CLIENT, match: bytes | None = None, skip: int = 0
    ) -> None:
        """Write the next frame of ``leg`` containing ``match`` twice (after ``skip``)."""
        self.faults[leg].armed.append(_OneShot(FaultKind.DUPLICATE, match, skip=skip))

    def refuse(self, on: bool) -> None:
        """While on, close every new connection at once (the server is unreachable)."""
        self._refusing = on

    def retarget(self, port: int) -> None:
        """Connect new connections to ``port`` from now on."""
        self.target_port = port

    def pass_through(self) -> None:
        """Clear every fault."""
        for faults in self.faults.values():
            faults.stall_until = 0.0
            faults.split = None
            faults.armed.clear()
        self._refusing = False
        self._wake()

    @property
    def armed(self) -> int:
        """One-shot faults not yet applied."""
        return sum(len(f.armed) for f in self.faults.values())

    # ------------------------------------------------------------------ what the legs ask

    def stalled(self, leg: Leg) -> bool:
        return self.faults[leg].stall_until > asyncio.get_running_loop().time()

    async def wait_stall(self, leg: Leg) -> None:
        loop = asyncio.get_running_loop()
        while (remaining := self.faults[leg].stall_until - loop.time()) > 0:
            assert self._stall_changed is not None
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self._stall_changed.wait()

    def transform(self, leg: Leg, unit: bytes) -> list[bytes]:
        """The bytes to write for ``unit``: the first matching armed fault applied."""
        faults = self.faults[leg]
        shot = next((s for s in faults.armed if unit.startswith(_BEGIN) and s.matches(unit)), None)
        if shot is None:
            return [unit]
        if shot.skip > 0:
            shot.skip -= 1
            return [unit]
        faults.armed.remove(shot)
        if shot.kind is FaultKind.DUPLICATE:
            self._record(FaultKind.DUPLICATE, leg, _describe(unit))
            return [unit, unit]
        index = shot.offset % len(unit)
        changed = bytearray(unit)
        changed[index] = corrupt_byte(unit[index])
        self._record(
            FaultKind.CORRUPT,
            leg,
            f"byte {index} of {len(unit)} ({unit[index]:#04x} -> {changed[index]:#04x}) "
            f"in {_describe(unit)}",
        )
        return [bytes(changed)]

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _legs(leg: Leg | None) -> tuple[Leg, ...]:
        return (Leg.TO_SERVER, Leg.TO_CLIENT) if leg is None else (leg,)

    def _wake(self) -> None:
        if self._stall_changed is not None:
            self._stall_changed.set()
            self._stall_changed = asyncio.Event()

    def _record(self, kind: FaultKind, leg: Leg | None, detail: str) -> None:
        event = FaultInjected(at=time.time(), proxy=self.name, kind=kind, leg=leg, detail=detail)
        self.injected.append(event)
        if self.on_fault is not None:
            self.on_fault(event)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            await self._serve(reader, writer)
        finally:
            self._handlers.discard(task)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        number = self.accepted
        if self._refusing:
            self._record(FaultKind.REFUSE, None, f"connection {number}")
            _abort(writer)
            return
        try:
            upstream = await asyncio.wait_for(
                asyncio.open_connection(self.target_host, self.target_port), 5.0
            )
        except (OSError, TimeoutError):
            _abort(writer)  # the server is not there: the client sees a reset
            return
        for end in (writer, upstream[1]):
            sock = end.transport.get_extra_info("socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        link = _Link(self, number, (reader, writer), upstream)
        self._links.add(link)
        link.start()
        try:
            await link.done.wait()
            await asyncio.wait(link.tasks, timeout=5.0)
        finally:
            self._links.discard(link)


def _describe(unit: bytes) -> str:
    found = re.search(rb"\x0135=([^\x01]*)\x01", unit)
    seq = re.search(rb"\x0134=([^\x01]*)\x01", unit)
    kind = found.group(1).decode("latin-1") if found else "?"
    number = seq.group(1).decode("latin-1") if seq else "?"
    return f"35={kind} 34={number}"
