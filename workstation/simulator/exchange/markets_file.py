"""Load a market set from a TOML file (``workstation-sim --markets FILE``).

Format — one ``[[event]]`` table per event, each with its ``[[event.market]]`` tables::

    [[event]]
    ticker = "KXHIGHNY-26NOV24"                  # required: A-Z, 0-9, '.', '-'
    title = "Highest temperature in NYC today?"  # required
    mutually_exclusive = true                    # optional (false): one market can win

    [[event.market]]
    ticker = "KXHIGHNY-26NOV24-B46.5"   # required; starts with the event ticker and '-'
    title = "46° to 47°"                # required
    status = "open"                     # optional: open (default) | paused | closed | settled
    reference_price = "0.35"            # optional: fair value for simulated flow, dollars
    tick = "0.01"                       # optional: "0.01" (default) or "0.0001" (subpenny)
    taker_fee = "0.07"                  # optional: taker fee coefficient (schedule default)
    maker_fee = "0.0175"                # optional: maker fee coefficient (schedule default)
    result = "no"                       # required when settled: yes | no | scalar
    settlement_value = "0.35"           # required for a scalar result: dollars per YES, 0..1

Numbers may be written as strings (exact) or as TOML numbers. Every mistake raises
:class:`MarketsFileError`, which names the file, the line where it can tell, the key (e.g.
``event[2].market[1].status``), what is wrong and how to fix it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from workstation.simulator.exchange.market import PENNY, SUBPENNY, Event, Market, MarketStatus
from workstation.simulator.exchange.types import MarketResult

__all__ = ["MarketsFileError", "load_markets", "parse_markets"]

_TICKER = re.compile(r"^[A-Z0-9][A-Z0-9.\-]*$")
_EVENT_KEYS = {"ticker", "title", "mutually_exclusive", "market"}
_MARKET_KEYS = {
    "ticker",
    "title",
    "status",
    "reference_price",
    "tick",
    "taker_fee",
    "maker_fee",
    "result",
    "settlement_value",
}


class MarketsFileError(ValueError):
    """A market file is wrong; the message says where, what and how to fix it."""

    def __init__(self, source: str, line: int | None, key: str, problem: str, fix: str) -> None:
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {key}: {problem}. Fix: {fix}")
        self.source = source
        self.line = line
        self.key = key
        self.problem = problem
        self.fix = fix


@dataclass(slots=True)
class _Reader:
    source: str
    text: str

    def fail(
        self, key: str, problem: str, fix: str, *, near: str | None = None
    ) -> MarketsFileError:
        return MarketsFileError(self.source, self._line_of(near, key), key, problem, fix)

    def _line_of(self, needle: str | None, key: str) -> int | None:
        """The line of ``key`` in the table whose line holds ``needle``, else that line."""
        if not needle:
            return None
        lines = self.text.splitlines()
        start = next((i for i, line in enumerate(lines) if needle in line), None)
        if start is None:
            return None
        pattern = re.compile(rf"^\s*{re.escape(key.rsplit('.', 1)[-1])}\s*=")
        for i in range(start, len(lines)):
            if i > start and lines[i].lstrip().startswith("["):
                break
            if pattern.match(lines[i]):
                return i + 1
        # The key may also stand between the table's header and ``needle``.
        for i in range(start - 1, -1, -1):
            if lines[i].lstrip().startswith("["):
                break
            if pattern.match(lines[i]):
                return i + 1
        return start + 1

    def string(self, table: dict[str, Any], key: str, path: str, near: str | None) -> str:
        if key not in table:
            raise self.fail(f"{path}.{key}", "missing", f'add {key} = "..."', near=near)
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(
                f"{path}.{key}",
                f"{value!r} is not a non-empty string",
                f'write {key} = "..."',
                near=near,
            )
        return value

    def decimal(
        self, table: dict[str, Any], key: str, path: str, near: str | None
    ) -> Decimal | None:
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail(
                f"{path}.{key}", f"{value!r} is not a number", f'write {key} = "0.25"', near=near
            )
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise self.fail(
                f"{path}.{key}", f"{value!r} is not a number", f'write {key} = "0.25"', near=near
            ) from None

    def unknown_keys(
        self, table: dict[str, Any], allowed: set[str], path: str, near: str | None
    ) -> None:
        extra = sorted(set(table) - allowed)
        if extra:
            raise self.fail(
                f"{path}.{extra[0]}",
                "unknown key",
                f"remove it or use one of: {', '.join(sorted(allowed))}",
                near=near or f"{extra[0]} ",
            )


def load_markets(path: str | Path) -> list[Event]:
    """Read and check a market file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise MarketsFileError(
            str(path), None, "file", f"cannot be read ({exc.strerror})", "give an existing file"
        ) from None
    return parse_markets(text, source=str(path))


def parse_markets(text: str, *, source: str = "<markets>") -> list[Event]:
    """Check a market file's text and build its events."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise MarketsFileError(
            source, line, "syntax", str(exc), "correct the TOML syntax at that place"
        ) from None
    reader = _Reader(source, text)
    reader.unknown_keys(document, {"event"}, "file", None)
    raw_events = document.get("event")
    if not isinstance(raw_events, list) or not raw_events:
        raise reader.fail("event", "no [[event]] tables", "add at least one [[event]] table")
    events: list[Event] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_events, start=1):
        event = _event(reader, raw, f"event[{number}]")
        for ticker in [event.ticker, *(m.ticker for m in event.markets)]:
            if ticker in seen:
                raise reader.fail(
                    f"event[{number}]",
                    f"ticker {ticker} appears twice",
                    "give every event and market its own ticker",
                    near=f'"{ticker}"',
                )
            seen.add(ticker)
        events.append(event)
    return events


def _event(reader: _Reader, raw: dict[str, Any], path: str) -> Event:
    near = raw.get("ticker") if isinstance(raw.get("ticker"), str) else None
    near = f'"{near}"' if near else None
    reader.unknown_keys(raw, _EVENT_KEYS, path, near)
    ticker = reader.string(raw, "ticker", path, near)
    if not _TICKER.match(ticker):
        raise reader.fail(
            f"{path}.ticker",
            f"{ticker!r} is not a Kalshi-style ticker",
            "use capital letters, digits, '.' and '-' (e.g. KXHIGHNY-26NOV24)",
            near=near,
        )
    title = reader.string(raw, "title", path, near)
    exclusive = raw.get("mutually_exclusive", False)
    if not isinstance(exclusive, bool):
        raise reader.fail(
            f"{path}.mutually_exclusive",
            f"{exclusive!r} is not true/false",
            "write mutually_exclusive = true or false",
            near=near,
        )
    raw_markets = raw.get("market")
    if not isinstance(raw_markets, list) or not raw_markets:
        raise reader.fail(
            f"{path}.market",
            "the event has no markets",
            f"add [[event.market]] tables under the event {ticker}",
            near=near,
        )
    markets = [
        _market(reader, m, f"{path}.market[{i}]", ticker) for i, m in enumerate(raw_markets, 1)
    ]
    if exclusive:
        winners = [m.ticker for m in markets if m.result is MarketResult.YES]
        if len(winners) > 1:
            raise reader.fail(
                f"{path}.market",
                f"{len(winners)} markets settled yes ({', '.join(winners)})",
                "a mutually exclusive event has at most one yes",
                near=near,
            )
    return Event(ticker=ticker, title=title, mutually_exclusive=exclusive, markets=markets)


def _market(reader: _Reader, raw: dict[str, Any], path: str, event_ticker: str) -> Market:
    near = raw.get("ticker") if isinstance(raw.get("ticker"), str) else None
    near = f'"{near}"' if near else None
    reader.unknown_keys(raw, _MARKET_KEYS, path, near)
    ticker = reader.string(raw, "ticker", path, near)
    if not _TICKER.match(ticker) or not ticker.startswith(event_ticker + "-"):
        raise reader.fail(
            f"{path}.ticker",
            f"{ticker!r} is not a market of {event_ticker}",
            f"start it with {event_ticker}- and use capitals, digits, '.' and '-'",
            near=near,
        )
    title = reader.string(raw, "title", path, near)
    status_text = raw.get("status", "open")
    try:
        status = MarketStatus(status_text)
    except ValueError:
        raise reader.fail(
            f"{path}.status",
            f"{status_text!r} is not a status",
            "use one of: " + ", ".join(s.value for s in MarketStatus),
            near=near,
        ) from None
    tick = reader.decimal(raw, "tick", path, near) or PENNY
    if tick not in (PENNY, SUBPENNY):
        raise reader.fail(
            f"{path}.tick",
            f"{tick} is not a Kalshi tick",
            'use "0.01" or "0.0001" (subpenny)',
            near=near,
        )
    market = Market(ticker=ticker, event_ticker=event_ticker, title=title, status=status, tick=tick)
    reference = reader.decimal(raw, "reference_price", path, near)
    if reference is not None and not market.valid_price(reference):
        raise reader.fail(
            f"{path}.reference_price",
            f"{reference} is not a price of this market",
            f'give dollars strictly between 0 and 1 on the {tick} grid, e.g. "0.35"',
            near=near,
        )
    market.reference_price = reference
    for key in ("taker_fee", "maker_fee"):
        coefficient = reader.decimal(raw, key, path, near)
        if coefficient is not None and not 0 <= coefficient < 1:
            raise reader.fail(
                f"{path}.{key}",
                f"{coefficient} is not a fee coefficient",
                f'give a number from 0 up to 1, e.g. {key} = "0.07"',
                near=near,
            )
        if key == "taker_fee":
            market.taker_fee_coefficient = coefficient
        else:
            market.maker_fee_coefficient = coefficient
    _result(reader, raw, path, near, market)
    return market


def _result(
    reader: _Reader, raw: dict[str, Any], path: str, near: str | None, market: Market
) -> None:
    result_text = raw.get("result")
    if market.status is not MarketStatus.SETTLED:
        if result_text is not None:
            raise reader.fail(
                f"{path}.result",
                f"a {market.status.value} market has no result",
                'remove result, or set status = "settled"',
                near=near,
            )
        return
    try:
        result = MarketResult(str(result_text))
    except ValueError:
        raise reader.fail(
            f"{path}.result",
            f"{result_text!r} is not a result of a settled market",
            'add result = "yes", "no" or "scalar"',
            near=near,
        ) from None
    value = reader.decimal(raw, "settlement_value", path, near)
    if result is MarketResult.SCALAR:
        if value is None or not 0 <= value <= 1:
            raise reader.fail(
                f"{path}.settlement_value",
                f"{value} is not a scalar settlement value",
                'give settlement_value = "0.35" (dollars per YES contract, 0..1)',
                near=near,
            )
    else:
        value = Decimal(1) if result is MarketResult.YES else Decimal(0)
    market.result = result
    market.settlement_value = value
