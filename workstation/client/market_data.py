"""Markets, prices and balance from the venue's REST API, polled on a visible interval.

Kalshi's FIX API carries no market list, prices or balance, so the workstation reads them from
Kalshi's REST API (the simulator serves the same shapes): ``GET /events?with_nested_markets=
true`` for events and their markets with best YES bid/ask and last price, and the signed
``GET /portfolio/balance``. Signed requests carry ``KALSHI-ACCESS-KEY``,
``KALSHI-ACCESS-TIMESTAMP`` (milliseconds) and ``KALSHI-ACCESS-SIGNATURE`` (RSA-PSS SHA-256 of
timestamp + method + path, without the query string).

The HTTP client is a small HTTP/1.1 GET over asyncio streams (one request per connection), so
nothing here blocks the Qt loop and no extra dependency is needed for three GET requests.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import ssl as _ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["EventRow", "MarketPoller", "MarketRow", "MarketSnapshot", "RestClient", "RestError"]


class RestError(Exception):
    """A REST request failed; the message says which and why (never key material)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MarketRow:
    ticker: str
    event_ticker: str
    title: str
    status: str  #: Kalshi's market status text (active, closed, settled …)
    yes_bid: Decimal | None  #: dollars; None when the book has no bid
    yes_ask: Decimal | None
    last_price: Decimal | None
    volume: int = 0
    tick: Decimal = Decimal("0.01")

    @property
    def tradable(self) -> bool:
        return self.status in ("active", "open")


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRow:
    event_ticker: str
    title: str
    mutually_exclusive: bool
    markets: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MarketSnapshot:
    as_of: float  #: epoch seconds of the poll
    events: tuple[EventRow, ...] = ()
    markets: dict[str, MarketRow] = field(default_factory=dict)
    balance: Decimal | None = None  #: dollars available, from the last signed poll
    error: str = ""  #: why the last poll failed, if it did (the previous figures are kept)


def _dollars(body: dict[str, Any], name: str) -> Decimal | None:
    raw = body.get(f"{name}_dollars")
    if raw is None and isinstance(body.get(name), int):
        return Decimal(body[name]) / 100
    try:
        return None if raw is None else Decimal(str(raw))
    except InvalidOperation:
        return None


def parse_events(payload: dict[str, Any]) -> tuple[tuple[EventRow, ...], dict[str, MarketRow]]:
    events: list[EventRow] = []
    markets: dict[str, MarketRow] = {}
    for ev in payload.get("events", []):
        tickers: list[str] = []
        for mk in ev.get("markets", []):
            bid = _dollars(mk, "yes_bid")
            ask = _dollars(mk, "yes_ask")
            ranges = mk.get("price_ranges") or []
            tick = Decimal(str(ranges[0].get("step", "0.01"))) if ranges else Decimal("0.01")
            row = MarketRow(
                ticker=str(mk["ticker"]),
                event_ticker=str(mk.get("event_ticker", ev.get("event_ticker", ""))),
                title=str(mk.get("yes_sub_title") or mk.get("title") or mk["ticker"]),
                status=str(mk.get("status", "")),
                yes_bid=bid if bid else None,  # Kalshi shows an empty bid side as 0
                yes_ask=ask if ask is not None and ask < 1 else None,  # … and an empty ask as $1
                last_price=_dollars(mk, "last_price") or None,
                volume=int(mk.get("volume", 0) or 0),
                tick=tick,
            )
            markets[row.ticker] = row
            tickers.append(row.ticker)
        events.append(
            EventRow(
                event_ticker=str(ev.get("event_ticker", "")),
                title=str(ev.get("title", "")),
                mutually_exclusive=bool(ev.get("mutually_exclusive", False)),
                markets=tuple(tickers),
            )
        )
    return tuple(events), markets


class RestClient:
    """GET JSON from the venue's REST API, signed when a key is given."""

    def __init__(
        self,
        base_url: str,
        *,
        key_id: str | None = None,
        private_key: rsa.RSAPrivateKey | None = None,
        timeout: float = 10.0,
    ) -> None:
        parts = urlsplit(base_url)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
            raise RestError(f"REST URL {base_url!r} must be http(s)://host[:port]/path")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = port or (443 if parts.scheme == "https" else 80)
        self.prefix = parts.path.rstrip("/")
        self._key_id = key_id
        self._key = private_key
        self._timeout = timeout

    def _headers(self, path: str) -> dict[str, str]:
        if self._key is None or self._key_id is None:
            return {}
        stamp = str(int(time.time() * 1000))
        message = (stamp + "GET" + path.split("?", 1)[0]).encode()
        signature = self._key.sign(
            message,
            padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
            hashes.SHA256(),
        )
        return {
            "KALSHI-ACCESS-KEY": self._key_id,
            "KALSHI-ACCESS-TIMESTAMP": stamp,
            "KALSHI-ACCESS-SIGNATURE": base64.b64encode(signature).decode("ascii"),
        }

    async def get(self, path: str) -> dict[str, Any]:
        full = self.prefix + path
        try:
            return await asyncio.wait_for(self._get(full), self._timeout)
        except TimeoutError:
            raise RestError(f"GET {full}: no answer within {self._timeout:.0f} s") from None
        except OSError as exc:
            raise RestError(f"GET {full}: {exc.strerror or exc}") from None

    async def _get(self, full: str) -> dict[str, Any]:
        ssl = _ssl.create_default_context() if self.scheme == "https" else None
        reader, writer = await asyncio.open_connection(self.host, self.port, ssl=ssl)
        try:
            lines = [f"GET {full} HTTP/1.1", f"Host: {self.host}", "Accept: application/json",
                     "Connection: close"]
            lines += [f"{k}: {v}" for k, v in self._headers(full).items()]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
            await writer.drain()
            raw = await reader.read(-1)
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
        head, _, body = raw.partition(b"\r\n\r\n")
        status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            raise RestError(f"GET {full}: not an HTTP answer")
        if b"transfer-encoding: chunked" in head.lower():
            body = _unchunk(body)
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            raise RestError(f"GET {full}: HTTP {parts[1]} without JSON") from None
        if int(parts[1]) != 200:
            detail = payload.get("error", {}) if isinstance(payload, dict) else {}
            message = detail.get("message") if isinstance(detail, dict) else detail
            raise RestError(f"GET {full}: HTTP {parts[1]} {message or ''}".rstrip())
        if not isinstance(payload, dict):
            raise RestError(f"GET {full}: unexpected JSON")
        return payload


def _unchunk(body: bytes) -> bytes:
    out = bytearray()
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return bytes(out)


class MarketPoller:
    """Polls events/markets (public) and the balance (signed) every ``interval`` seconds."""

    def __init__(
        self,
        client: RestClient,
        *,
        interval: float,
        on_snapshot: Callable[[MarketSnapshot], None],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.interval = interval
        self._on_snapshot = on_snapshot
        self._clock = clock
        self._task: asyncio.Task[None] | None = None
        self.last: MarketSnapshot | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def poll_once(self) -> MarketSnapshot:
        now = self._clock()
        try:
            payload = await self.client.get("/events?with_nested_markets=true&limit=200")
            events, markets = parse_events(payload)
            balance = None
            try:
                balance_body = await self.client.get("/portfolio/balance")
                balance = _dollars(balance_body, "balance")
            except RestError as exc:
                if self.last is not None:
                    balance = self.last.balance
                snapshot = MarketSnapshot(
                    as_of=now, events=events, markets=markets, balance=balance, error=str(exc)
                )
            else:
                snapshot = MarketSnapshot(
                    as_of=now, events=events, markets=markets, balance=balance
                )
        except (RestError, KeyError, ValueError, TypeError) as exc:
            previous = self.last
            snapshot = MarketSnapshot(
                as_of=previous.as_of if previous else now,
                events=previous.events if previous else (),
                markets=previous.markets if previous else {},
                balance=previous.balance if previous else None,
                error=str(exc),
            )
        self.last = snapshot
        self._on_snapshot(snapshot)
        return snapshot

    async def _run(self) -> None:
        while True:
            await self.poll_once()
            await asyncio.sleep(self.interval)
