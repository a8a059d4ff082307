"""The Kalshi-shaped REST resources and their routes (GET only, under ``/trade-api/v2``).

=====================================  ======  =============================================
path                                   signed  answer
=====================================  ======  =============================================
``/exchange/status``                   no      ``exchange_active``, ``trading_active``
``/markets``                           no      ``markets`` (filters ``status``,
                                               ``event_ticker``, ``tickers``; ``limit``,
                                               ``cursor``), ``cursor``
``/markets/{ticker}``                  no      ``market``
``/markets/{ticker}/orderbook``        no      ``orderbook``, ``orderbook_fp`` (``depth``)
``/events``                            no      ``events`` (``status``,
                                               ``with_nested_markets``, ``limit``,
                                               ``cursor``), ``cursor``
``/events/{event_ticker}``             no      ``event``, ``markets``
``/portfolio/balance``                 yes     see :mod:`.portfolio`
``/portfolio/positions``               yes     see :mod:`.portfolio`
``/portfolio/settlements``             yes     see :mod:`.portfolio`
=====================================  ======  =============================================

Paths and parameter names are Kalshi's v2 API; :mod:`.shapes` and :mod:`.portfolio` build the
objects. Errors: an unknown path is 404, another method than GET on a known path 405, a bad
parameter 400, a missing or wrong signature 401 — each with a JSON ``error`` object saying why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from workstation.simulator.exchange.market import Market
from workstation.simulator.registry import RegisteredKey
from workstation.simulator.rest.formats import FILTER_STATUSES
from workstation.simulator.rest.messages import HttpRequest, HttpResponse, error_response
from workstation.simulator.rest.params import (
    BadRequest,
    bool_param,
    int_param,
    limit_param,
    list_param,
    paginate,
)
from workstation.simulator.rest.portfolio import PortfolioResources
from workstation.simulator.rest.portfolio_book import PortfolioBook
from workstation.simulator.rest.shapes import (
    event_object,
    event_status,
    market_object,
    orderbook_object,
)
from workstation.simulator.rest.signing import AuthError, RequestVerifier
from workstation.simulator.rest.tape import TradeTape
from workstation.simulator.venue import Venue

__all__ = ["API_PREFIX", "RestApi"]

_log = logging.getLogger(__name__)

API_PREFIX = "/trade-api/v2"
_EVENT_STATUSES = ("open", "closed", "settled")

Handler = Callable[[HttpRequest, list[str], RegisteredKey | None], dict[str, Any]]


class NotFound(Exception):
    """The resource named in the path does not exist; the text names it."""


@dataclass(frozen=True, slots=True)
class _Route:
    pattern: tuple[str, ...]  #: path segments after the prefix; "*" matches one segment
    handler: Handler
    signed: bool

    def match(self, segments: list[str]) -> list[str] | None:
        if len(segments) != len(self.pattern):
            return None
        captured: list[str] = []
        for want, got in zip(self.pattern, segments, strict=True):
            if want == "*":
                captured.append(got)
            elif want != got:
                return None
        return captured


class RestApi:
    """Routes one request to its resource and turns every failure into a JSON error."""

    def __init__(
        self, venue: Venue, tape: TradeTape, book: PortfolioBook, verifier: RequestVerifier
    ) -> None:
        self.venue = venue
        self.tape = tape
        self.verifier = verifier
        self.portfolio = PortfolioResources(venue.exchange, tape, book)
        self._routes = [
            _Route(("exchange", "status"), self._exchange_status, signed=False),
            _Route(("markets",), self._markets, signed=False),
            _Route(("markets", "*"), self._market, signed=False),
            _Route(("markets", "*", "orderbook"), self._orderbook, signed=False),
            _Route(("events",), self._events, signed=False),
            _Route(("events", "*"), self._event, signed=False),
            _Route(("portfolio", "balance"), self._signed(self.portfolio.balance), signed=True),
            _Route(("portfolio", "positions"), self._signed(self.portfolio.positions), signed=True),
            _Route(
                ("portfolio", "settlements"), self._signed(self.portfolio.settlements), signed=True
            ),
        ]

    def handle(self, request: HttpRequest) -> HttpResponse:
        found = self._route(request.path)
        if found is None:
            return error_response(404, "not_found", f"no resource at {request.path}")
        route, captured = found
        if request.method != "GET":
            return error_response(
                405,
                "method_not_allowed",
                f"{request.method} is not supported here; this API is read-only (GET)",
                headers=(("Allow", "GET"),),
            )
        key: RegisteredKey | None = None
        if route.signed:
            try:
                key = self.verifier.verify(request.headers, request.method, request.path)
            except AuthError as exc:
                return error_response(401, "unauthorized", str(exc))
        try:
            return HttpResponse(status=200, body=route.handler(request, captured, key))
        except BadRequest as exc:
            return error_response(400, "bad_request", str(exc))
        except NotFound as exc:
            return error_response(404, "not_found", str(exc))
        except Exception:
            _log.exception("REST %s %s failed", request.method, request.path)
            return error_response(500, "internal_error", "the simulator failed to answer")

    def _route(self, path: str) -> tuple[_Route, list[str]] | None:
        if not path.startswith(API_PREFIX + "/"):
            return None
        segments = [unquote(s) for s in path[len(API_PREFIX) + 1 :].split("/")]
        for route in self._routes:
            captured = route.match(segments)
            if captured is not None:
                return route, captured
        return None

    def _signed(self, resource: Callable[[HttpRequest, str, float], dict[str, Any]]) -> Handler:
        def handler(
            request: HttpRequest, captured: list[str], key: RegisteredKey | None
        ) -> dict[str, Any]:
            assert key is not None
            return resource(request, key.account, self.venue.clock())

        return handler

    def _market_named(self, ticker: str) -> Market:
        market = self.venue.exchange.market(ticker)
        if market is None:
            raise NotFound(f"no market {ticker!r}")
        return market

    # ------------------------------------------------------------------ resources

    def _exchange_status(
        self, request: HttpRequest, captured: list[str], key: RegisteredKey | None
    ) -> dict[str, Any]:
        paused = self.venue.exchange.state.exchange_paused
        return {"exchange_active": True, "trading_active": not paused}

    def _markets(
        self, request: HttpRequest, captured: list[str], key: RegisteredKey | None
    ) -> dict[str, Any]:
        limit = limit_param(request, default=100, maximum=1000)
        statuses = list_param(request, "status")
        allowed = None
        if statuses is not None:
            unknown = [s for s in statuses if s not in FILTER_STATUSES]
            if unknown:
                raise BadRequest(
                    f"query parameter 'status' must be among {', '.join(FILTER_STATUSES)}"
                )
            allowed = frozenset().union(*(FILTER_STATUSES[s] for s in statuses))
        events = list_param(request, "event_ticker")
        tickers = list_param(request, "tickers")
        markets = [
            m
            for m in sorted(self.venue.exchange.markets(), key=lambda m: m.ticker)
            if (allowed is None or m.status in allowed)
            and (events is None or m.event_ticker in events)
            and (tickers is None or m.ticker in tickers)
        ]
        page, cursor = paginate(markets, lambda m: m.ticker, request.param("cursor"), limit)
        exchange = self.venue.exchange
        return {"markets": [market_object(exchange, m, self.tape) for m in page], "cursor": cursor}

    def _market(
        self, request: HttpRequest, captured: list[str], key: RegisteredKey | None
    ) -> dict[str, Any]:
        market = self._market_named(captured[0])
        return {"market": market_object(self.venue.exchange, market, self.tape)}

    def _orderbook(
        self, request: HttpRequest, captured: list[str], key: RegisteredKey | None
    ) -> dict[str, Any]:
        market = self._market_named(captured[0])
        depth = int_param(request, "depth", 0)
        assert depth is not None
        if depth < 0:
            raise BadRequest("query parameter 'depth' must be 0 (all levels) or more")
        return orderbook_object(self.venue.exchange, market.ticker, depth or None)

    def _events(
        self, request: HttpRequest, captured: list[str], key: RegisteredKey | None
    ) -> dict[str, Any]:
        limit = limit_param(request, default=100, maximum=200)
        status = request.param("status") or None
        if status is not None and status not in _EVENT_STATUSES:
            raise BadRequest(
                f"query parameter 'status' must be one of {', '.join(_EVENT_STATUSES)}"
            )
        nested = bool_param(request, "with_nested_markets")
        series = request.param("series_ticker") or None
        exchange = self.venue.exchange
        events = [
            e
            for e in sorted(exchange.events(), key=lambda e: e.ticker)
            if (status is None or event_status(e) == status)
            and (series is None or e.ticker.split("-", 1)[0] == series)
        ]
        page, cursor = paginate(events, lambda e: e.ticker, request.param("cursor"), limit)
        return {
            "events": [event_object(exchange, e, self.tape, nested=nested) for e in page],
            "cursor": cursor,
        }

    def _event(
        self, request: HttpRequest, captured: list[str], key: RegisteredKey | None
    ) -> dict[str, Any]:
        exchange = self.venue.exchange
        event = next((e for e in exchange.events() if e.ticker == captured[0]), None)
        if event is None:
            raise NotFound(f"no event {captured[0]!r}")
        nested = bool_param(request, "with_nested_markets")
        markets = sorted(event.markets, key=lambda m: m.ticker)
        return {
            "event": event_object(exchange, event, self.tape, nested=nested),
            "markets": [market_object(exchange, m, self.tape) for m in markets],
        }
