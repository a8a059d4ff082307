"""The admin port: an asyncio line server on loopback speaking :mod:`.protocol`.

:class:`AdminPort` is a :class:`~workstation.simulator.venue.VenueComponent`. It listens on
``host`` (127.0.0.1) and ``port`` (0: the OS picks one) and adds ``"admin": port`` (a bare
number, on the ready file's ``host``) to the ready file. Each connection may send any number of
requests, one JSON object per line, and gets one JSON line back per request, in order.
A line longer than ``max_line`` bytes is skipped and answered with an error; anything else,
however malformed, gets an error answer too, and the connection stays open. Commands run on
the venue's event loop, between FIX messages, so they see and change the exchange atomically.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from workstation.simulator.admin.flow_control import FlowControl
from workstation.simulator.admin.protocol import AdminProtocol, encode_answer
from workstation.simulator.admin.rfq_control import RfqControl
from workstation.simulator.venue import Venue

__all__ = ["AdminPort"]

_log = logging.getLogger(__name__)

MAX_LINE = 1 << 20  #: bytes; a request is a few hundred


class AdminPort:
    """The venue's admin port (see the module docstring)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        flow: FlowControl | None = None,
        max_line: int = MAX_LINE,
    ) -> None:
        self.host = host
        self.port = port
        self.flow = flow
        self.max_line = max_line
        self._rfq: RfqControl | None = None
        self._protocol: AdminProtocol | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    def attach_rfq(self, control: RfqControl) -> None:
        """Let ``rfq_request``/``rfq_accept`` act through the RFQ gateway's desk."""
        self._rfq = control
        if self._protocol is not None:
            self._protocol.rfq = control

    @property
    def protocol(self) -> AdminProtocol:
        if self._protocol is None:
            raise RuntimeError("the admin port has not been started")
        return self._protocol

    async def start(self, venue: Venue) -> dict[str, Any]:
        self._protocol = AdminProtocol(venue, flow=self.flow, rfq=self._rfq)
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, limit=self.max_line
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return {"admin": self.port}

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._connections):
            task.cancel()
        for task in list(self._connections):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            await self._conversation(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _conversation(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        protocol = self.protocol
        while True:
            try:
                line = await reader.readuntil(b"\n")
            except asyncio.LimitOverrunError:
                await _skip_line(reader)
                answer = {"ok": False, "error": f"request line longer than {self.max_line} bytes"}
                writer.write(encode_answer(answer))
                await writer.drain()
                continue
            except asyncio.IncompleteReadError as exc:
                if not exc.partial.strip():
                    return  # the client closed between requests
                line = exc.partial  # a last request without its newline
            if line.strip():
                writer.write(encode_answer(protocol.answer_line(line)))
                await writer.drain()
            if reader.at_eof():
                return


async def _skip_line(reader: asyncio.StreamReader) -> None:
    """Read and drop the rest of an over-long line, up to and including its newline."""
    while True:
        try:
            await reader.readuntil(b"\n")
            return
        except asyncio.LimitOverrunError as exc:
            await reader.readexactly(exc.consumed)
