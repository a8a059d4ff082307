"""A small HTTP/1.1 server of our own on loopback for the simulator's REST API.

:class:`RestServer` is a :class:`~workstation.simulator.venue.VenueComponent`: it listens on
``host`` (127.0.0.1) and ``port`` (0: the OS picks), adds
``"rest": port`` (a bare number; the API is at ``http://{host}:{port}/trade-api/v2``)
to the ready file, keeps the trade tape and the
portfolio book fed from the venue's results, and hands each parsed request to
:class:`~.handlers.RestApi`. Bodies are JSON (``Content-Type: application/json``).

What it speaks: a request line ``METHOD /path?query HTTP/1.1`` (or 1.0), header lines, an
empty line, and a body only if ``Content-Length`` says so (it is read and ignored: the API is
GET only). Connections are kept alive as HTTP/1.1 says (``Connection: close`` ends one; on
HTTP/1.0 ``Connection: keep-alive`` keeps one) and closed after ``idle_timeout`` seconds of
silence. Anything it cannot parse — garbage, a request line or headers over
:data:`MAX_HEAD` bytes, chunked bodies — is answered with a JSON 4xx/5xx error and the
connection is closed; nothing a client sends stops the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Callable
from decimal import Decimal
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from workstation.simulator.gateway.settlement import SettlementGateway
from workstation.simulator.rest.handlers import RestApi
from workstation.simulator.rest.messages import HttpRequest, HttpResponse, error_response
from workstation.simulator.rest.portfolio_book import PortfolioBook
from workstation.simulator.rest.signing import DEFAULT_TOLERANCE_S, RequestVerifier
from workstation.simulator.rest.tape import TradeTape
from workstation.simulator.venue import Venue

__all__ = ["MAX_BODY", "MAX_HEAD", "RestServer", "encode_response"]

_log = logging.getLogger(__name__)

MAX_HEAD = 16 * 1024  #: bytes of request line and headers
MAX_BODY = 64 * 1024  #: bytes of a (discarded) request body
_REQUEST_LINE = re.compile(r"([A-Z]{1,16}) (/\S*) HTTP/(1\.[01])")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class _Refused(Exception):
    """The request cannot be served; answer ``response`` and close the connection."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.body)
        self.response = response


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:f}"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def encode_response(response: HttpResponse, *, keep_alive: bool) -> bytes:
    body = json.dumps(response.body, default=_json_default, separators=(",", ":")).encode()
    reason = HTTPStatus(response.status).phrase
    lines = [
        f"HTTP/1.1 {response.status} {reason}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        f"Connection: {'keep-alive' if keep_alive else 'close'}",
        *(f"{name}: {value}" for name, value in response.headers),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _parse_head(head: bytes) -> tuple[HttpRequest, bool, int]:
    """The request, whether to keep the connection, and the body length to skip."""
    text = head.decode("latin-1")
    request_line, *header_lines = text[:-4].split("\r\n")
    match = _REQUEST_LINE.fullmatch(request_line)
    if match is None:
        raise _Refused(
            error_response(400, "bad_request", "malformed request line (METHOD /path HTTP/1.1)")
        )
    method, target, version = match.groups()
    headers: dict[str, str] = {}
    for line in header_lines:
        name, sep, value = line.partition(":")
        if not sep or _HEADER_NAME.fullmatch(name) is None:
            raise _Refused(error_response(400, "bad_request", "malformed header line"))
        headers[name.lower()] = value.strip()
    if "transfer-encoding" in headers:
        raise _Refused(error_response(501, "not_implemented", "Transfer-Encoding is not supported"))
    length_text = headers.get("content-length", "0")
    if not (length_text.isascii() and length_text.isdigit()):
        raise _Refused(error_response(400, "bad_request", "Content-Length must be a number"))
    length = int(length_text)
    if length > MAX_BODY:
        raise _Refused(error_response(413, "payload_too_large", "request body too large"))
    connection = headers.get("connection", "").lower()
    keep_alive = connection != "close" if version == "1.1" else connection == "keep-alive"
    path, _, query = target.partition("?")
    request = HttpRequest(
        method=method, path=path, query=parse_qs(query, keep_blank_values=True), headers=headers
    )
    return request, keep_alive, length


class RestServer:
    """The venue's REST port (see the module docstring)."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tolerance: float = DEFAULT_TOLERANCE_S,
        wall_clock: Callable[[], float] = time.time,
        idle_timeout: float = 30.0,
        settlements: SettlementGateway | None = None,
    ) -> None:
        """``settlements``: the venue's settlement gateway, whose history (restored from the
        state directory) rebuilds ``/portfolio/settlements`` at start."""
        self.host = host
        self._settlements = settlements
        self.port = port
        self.tolerance = tolerance
        self.wall_clock = wall_clock
        self.idle_timeout = idle_timeout
        self.tape = TradeTape()
        self.book = PortfolioBook()
        self._api: RestApi | None = None
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.Task[None]] = set()

    @property
    def api(self) -> RestApi:
        if self._api is None:
            raise RuntimeError("the REST server has not been started")
        return self._api

    async def start(self, venue: Venue) -> dict[str, Any]:
        self.tape.seed(venue.exchange)
        settled = [] if self._settlements is None else self._settlements.issued()
        self.book.seed(venue.exchange, [record.position() for record in settled])
        venue.on_results(self.tape.on_results)
        venue.on_results(self.book.on_results)
        verifier = RequestVerifier(venue.registry, tolerance=self.tolerance, clock=self.wall_clock)
        self._api = RestApi(venue, self.tape, self.book, verifier)
        self._server = await asyncio.start_server(self._serve, self.host, self.port, limit=MAX_HEAD)
        self.port = self._server.sockets[0].getsockname()[1]
        return {"rest": self.port}

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
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            pass
        except Exception:
            _log.exception("REST connection failed")
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await writer.wait_closed()

    async def _conversation(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        api = self.api
        while True:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), self.idle_timeout)
            except asyncio.LimitOverrunError:
                refusal = error_response(
                    431, "headers_too_large", f"request line and headers over {MAX_HEAD} bytes"
                )
                writer.write(encode_response(refusal, keep_alive=False))
                await writer.drain()
                return
            try:
                request, keep_alive, body_length = _parse_head(head)
            except _Refused as refused:
                writer.write(encode_response(refused.response, keep_alive=False))
                await writer.drain()
                return
            if body_length:
                await asyncio.wait_for(reader.readexactly(body_length), self.idle_timeout)
            response = api.handle(request)
            writer.write(encode_response(response, keep_alive=keep_alive))
            await writer.drain()
            if not keep_alive:
                return
