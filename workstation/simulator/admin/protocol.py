"""The admin protocol: one JSON object per line in, one JSON object per line out.

A request names its command in ``cmd``; every other key is an argument. An optional ``id`` is
echoed in the answer. The answer is ``{"ok": true, "cmd": …, …}`` or ``{"ok": false,
"error": "…"}``; nothing a client sends can make the port stop answering.

=============  ==========================================  ==================================
command        arguments                                   does
=============  ==========================================  ==================================
help                                                       lists the commands
markets        status?, event_ticker?                      every market: status, best bid/ask
snapshot       account                                     orders, fills by ExecID, positions,
                                                           balances (reconciliation)
settle         ticker, result (yes|no|scalar), value?      determine a market, pay positions
pause          ticker?                                     trading pause; no ticker: exchange
resume         ticker?                                     end a trading/exchange pause
open           ticker                                      reopen a closed market
close          ticker                                      end trading (resting orders expire)
flow           on (true|false)                             simulated makers and takers
rfq_request    ticker, quantity? | cash?                   QuoteRequest from a simulated
                                                           requester (needs an RFQ desk)
rfq_accept     quote_id, side (buy|sell), quantity?        accept a maker's quote as the
                                                           requester (needs an RFQ desk)
drop           key_id                                      cut that key's connection, no Logout
clock          advance (seconds)                           move the venue clock forward, then
                                                           run expiries and timers at once
fail           account, kind, applied?                     the account's next order fails with
                                                           EXCHANGE_UNAVAILABLE or
                                                           INTERNAL_ERROR
=============  ==========================================  ==================================

Money and prices in answers are decimal strings; in requests they may be strings, integers or
JSON numbers (read as exact decimals, never binary floats). Every change the exchange makes is
published to the venue's gateways, exactly as if it came from trading.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from workstation.simulator.admin.args import AdminError, Args
from workstation.simulator.admin.flow_control import FlowControl
from workstation.simulator.admin.rfq_control import RfqControl
from workstation.simulator.admin.views import effects, market_view, money, snapshot_view
from workstation.simulator.exchange.market import MarketStatus
from workstation.simulator.exchange.results import PositionSettled, Result
from workstation.simulator.exchange.types import MarketResult, Side
from workstation.simulator.failures import FailureKind
from workstation.simulator.venue import Venue

__all__ = ["MAX_CLOCK_STEP", "AdminProtocol", "encode_answer"]

_log = logging.getLogger(__name__)

#: The most one ``clock`` command may move the venue clock, in seconds (366 days).
MAX_CLOCK_STEP = 366 * 24 * 3600

Answer = dict[str, Any]
CommandHandler = Callable[[Args, float], Answer]


@dataclass(frozen=True, slots=True)
class _Command:
    handler: CommandHandler
    args: tuple[str, ...]
    summary: str


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:f}"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number")


def encode_answer(answer: Answer) -> bytes:
    """One answer as a JSON line (UTF-8, newline-terminated)."""
    return (json.dumps(answer, default=_json_default, separators=(",", ":")) + "\n").encode()


class AdminProtocol:
    """Parses admin requests, runs them against a venue and builds the answers."""

    def __init__(
        self, venue: Venue, *, flow: FlowControl | None = None, rfq: RfqControl | None = None
    ) -> None:
        self.venue = venue
        self.flow = flow
        self.rfq = rfq
        self._commands: dict[str, _Command] = {
            "help": _Command(self._help, (), "list the commands"),
            "markets": _Command(
                self._markets, ("status", "event_ticker"), "every market with its best prices"
            ),
            "snapshot": _Command(
                self._snapshot, ("account",), "an account's orders, fills, positions, balances"
            ),
            "settle": _Command(
                self._settle, ("ticker", "result", "value"), "determine a market and pay out"
            ),
            "pause": _Command(
                self._pause, ("ticker",), "pause a market (no ticker: the whole exchange)"
            ),
            "resume": _Command(
                self._resume, ("ticker",), "resume a market (no ticker: the whole exchange)"
            ),
            "open": _Command(self._open, ("ticker",), "reopen a closed market"),
            "close": _Command(self._close, ("ticker",), "close a market to trading"),
            "flow": _Command(self._flow, ("on",), "switch simulated makers and takers"),
            "rfq_request": _Command(
                self._rfq_request,
                ("ticker", "quantity", "cash"),
                "a QuoteRequest from a simulated requester",
            ),
            "rfq_accept": _Command(
                self._rfq_accept,
                ("quote_id", "side", "quantity"),
                "accept a maker's quote as the simulated requester",
            ),
            "drop": _Command(self._drop, ("key_id",), "cut a key's connection without Logout"),
            "clock": _Command(self._clock, ("advance",), "move the venue clock forward"),
            "fail": _Command(
                self._fail, ("account", "kind", "applied"), "fail an account's next order"
            ),
        }

    @property
    def command_names(self) -> list[str]:
        return list(self._commands)

    # ------------------------------------------------------------------ entry points

    def answer_line(self, line: bytes) -> Answer:
        """The answer to one raw request line."""
        try:
            request = json.loads(
                line.decode("utf-8"), parse_float=Decimal, parse_constant=_no_constant
            )
        except UnicodeDecodeError:
            return {"ok": False, "error": "a request must be UTF-8 text"}
        except json.JSONDecodeError as exc:
            return {"ok": False, "error": f"not JSON: {exc.msg} at column {exc.colno}"}
        except ValueError as exc:
            return {"ok": False, "error": f"not JSON: {exc}"}
        return self.answer(request)

    def answer(self, request: object) -> Answer:
        """The answer to one decoded request."""
        if not isinstance(request, dict):
            return {"ok": False, "error": 'a request is a JSON object such as {"cmd": "help"}'}
        values = dict(request)
        request_id = values.pop("id", None)
        name = values.pop("cmd", None)
        answer = self._run(name, values)
        if request_id is not None:
            answer["id"] = request_id
        return answer

    def _run(self, name: object, values: dict[str, object]) -> Answer:
        if not isinstance(name, str) or not name:
            return {"ok": False, "error": 'every request needs "cmd", the command name'}
        command = self._commands.get(name)
        if command is None:
            known = ", ".join(self._commands)
            return {"ok": False, "cmd": name, "error": f"unknown command {name!r} ({known})"}
        try:
            args = Args(name, values, command.args)
            body = command.handler(args, self.venue.clock())
        except AdminError as exc:
            return {"ok": False, "cmd": name, "error": str(exc)}
        except KeyError as exc:
            text = exc.args[0] if exc.args else repr(exc)
            return {"ok": False, "cmd": name, "error": str(text)}
        except ValueError as exc:
            return {"ok": False, "cmd": name, "error": str(exc)}
        except Exception as exc:
            _log.exception("admin command %s failed", name)
            return {"ok": False, "cmd": name, "error": f"internal error: {exc!r}"}
        return {"ok": True, "cmd": name, **body}

    # ------------------------------------------------------------------ helpers

    def _publish(self, results: list[Result], now: float) -> dict[str, int]:
        self.venue.publish(results, now)
        return effects(results)

    def _ticker(self, args: Args) -> str:
        ticker = args.text("ticker")
        if self.venue.exchange.market(ticker) is None:
            raise AdminError(f"{args.command}: no market {ticker!r} (see the markets command)")
        return ticker

    def _account(self, args: Args) -> str:
        account = args.text("account")
        if account not in self.venue.exchange.ledger.accounts:
            known = ", ".join(sorted(self.venue.exchange.ledger.accounts)) or "none"
            raise AdminError(f"{args.command}: no account {account!r} (accounts: {known})")
        return account

    def _require_rfq(self, args: Args) -> RfqControl:
        if self.rfq is None:
            raise AdminError(f"{args.command}: this venue has no RFQ desk attached")
        return self.rfq

    # ------------------------------------------------------------------ commands

    def _help(self, args: Args, now: float) -> Answer:
        return {
            "commands": {
                name: {"args": list(c.args), "summary": c.summary}
                for name, c in self._commands.items()
            }
        }

    def _markets(self, args: Args, now: float) -> Answer:
        exchange = self.venue.exchange
        status = args.choice("status", MarketStatus) if args.has("status") else None
        event = args.optional_text("event_ticker")
        markets = [
            market_view(exchange, m)
            for m in sorted(exchange.markets(), key=lambda m: m.ticker)
            if (status is None or m.status is status) and (event is None or m.event_ticker == event)
        ]
        return {"markets": markets, "exchange_paused": exchange.state.exchange_paused}

    def _snapshot(self, args: Args, now: float) -> Answer:
        account = self._account(args)
        return snapshot_view(self.venue.exchange.snapshot(account))

    def _settle(self, args: Args, now: float) -> Answer:
        ticker = self._ticker(args)
        result = args.choice("result", MarketResult)
        value = args.optional_decimal("value")
        if value is not None and result is not MarketResult.SCALAR:
            raise AdminError("settle: 'value' is only for a scalar result")
        results = self.venue.exchange.settle_market(ticker, result, now, value=value)
        market = self.venue.exchange.market(ticker)
        assert market is not None
        return {
            "ticker": ticker,
            "result": result.value,
            "settlement_value": money(market.settlement_value),
            "positions": sum(isinstance(r, PositionSettled) for r in results),
            "effects": self._publish(results, now),
        }

    def _pause(self, args: Args, now: float) -> Answer:
        ticker = self._ticker(args) if args.has("ticker") else None
        exchange = self.venue.exchange
        if ticker is None:
            return {
                "exchange_paused": True,
                "effects": self._publish(exchange.pause_exchange(now), now),
            }
        return {
            "ticker": ticker,
            "status": "paused",
            "effects": self._publish(exchange.pause_market(ticker, now), now),
        }

    def _resume(self, args: Args, now: float) -> Answer:
        ticker = self._ticker(args) if args.has("ticker") else None
        exchange = self.venue.exchange
        if ticker is None:
            return {
                "exchange_paused": False,
                "effects": self._publish(exchange.resume_exchange(now), now),
            }
        return {
            "ticker": ticker,
            "status": "open",
            "effects": self._publish(exchange.resume_market(ticker, now), now),
        }

    def _open(self, args: Args, now: float) -> Answer:
        ticker = self._ticker(args)
        results = self.venue.exchange.reopen_market(ticker, now)
        return {"ticker": ticker, "status": "open", "effects": self._publish(results, now)}

    def _close(self, args: Args, now: float) -> Answer:
        ticker = self._ticker(args)
        results = self.venue.exchange.close_market(ticker, now)
        return {"ticker": ticker, "status": "closed", "effects": self._publish(results, now)}

    def _flow(self, args: Args, now: float) -> Answer:
        on = args.boolean("on", default=True)
        if self.flow is None:
            raise AdminError("flow: this venue has no simulated flow")
        self.flow.set_enabled(on)
        return {"flow": self.flow.enabled}

    def _rfq_request(self, args: Args, now: float) -> Answer:
        rfq = self._require_rfq(args)
        ticker = self._ticker(args)
        quantity = args.optional_decimal("quantity")
        cash = args.optional_decimal("cash")
        if (quantity is None) == (cash is None):
            raise AdminError("rfq_request: give either 'quantity' (contracts) or 'cash' (dollars)")
        return rfq.inject_request(ticker=ticker, quantity=quantity, cash_quantity=cash, now=now)

    def _rfq_accept(self, args: Args, now: float) -> Answer:
        rfq = self._require_rfq(args)
        quote_id = args.text("quote_id")
        side = args.choice("side", Side)
        quantity = args.optional_decimal("quantity")
        return rfq.accept_quote(quote_id=quote_id, side=side, quantity=quantity, now=now)

    def _drop(self, args: Args, now: float) -> Answer:
        key_id = args.text("key_id")
        if self.venue.registry.key(key_id) is None:
            raise AdminError(f"drop: no API key {key_id!r} is registered")
        if not self.venue.drop(key_id):
            raise AdminError(f"drop: API key {key_id} has no live connection")
        return {"key_id": key_id, "dropped": True}

    def _clock(self, args: Args, now: float) -> Answer:
        seconds = args.decimal("advance")
        if seconds < 0:
            raise AdminError("clock: the venue clock only moves forward ('advance' >= 0)")
        if seconds > MAX_CLOCK_STEP:
            raise AdminError(f"clock: move at most {MAX_CLOCK_STEP} seconds (a year) at a time")
        later = self.venue.clock.advance(float(seconds))
        self.venue.tick(later)
        return {
            "now": later,
            "now_utc": datetime.fromtimestamp(later, UTC).isoformat(timespec="milliseconds"),
            "offset": self.venue.clock.offset,
        }

    def _fail(self, args: Args, now: float) -> Answer:
        account = self._account(args)
        kind = args.choice("kind", FailureKind)
        applied = args.boolean("applied", default=False)
        rules = self.venue.rules
        if kind is FailureKind.INTERNAL_ERROR:
            if not rules.has_internal_error:
                raise AdminError(
                    f"fail: dialect {rules.dialect.value} has no INTERNAL_ERROR; "
                    "use EXCHANGE_UNAVAILABLE"
                )
            if applied:
                raise AdminError("fail: INTERNAL_ERROR is never applied; drop 'applied'")
        if applied and rules.exchange_unavailable_is_final:
            raise AdminError(
                f"fail: on dialect {rules.dialect.value} EXCHANGE_UNAVAILABLE is a final "
                "reject, so the order cannot be applied"
            )
        self.venue.failures.arm(account, kind, applied=applied)
        return {"account": account, "kind": kind.value, "applied": applied}
