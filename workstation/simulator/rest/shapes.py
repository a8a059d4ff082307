"""Kalshi's REST objects — Market, Event, Orderbook — built from the exchange.

Field names follow Kalshi's v2 API (the ``Market``, ``EventData`` and ``Orderbook`` models of
its OpenAPI document and SDKs, and the "Orderbook Responses" page), kept to what the
workstation reads: status, best YES/NO bid and ask, last price, volume, result, tick. Prices
come from the exchange's one YES book: the best YES bid is its best bid, the best YES ask its
best offer; a NO bid at X is a YES offer at 1 − X, so ``no_bid = 1 − yes_ask`` and
``no_ask = 1 − yes_bid``. An empty side reads as Kalshi shows it: YES bid 0, YES ask $1.

The order book lists **bids only**, YES and NO, each level ``[price, count]`` sorted by price
ascending, so the best bid is the *last* element (Kalshi's "Orderbook Responses" page): the
``orderbook_fp`` form in dollar and fixed-point strings, and the legacy ``orderbook`` form in
integer cents and contracts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workstation.simulator.exchange.book import Level
from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.exchange.market import Event, Market, MarketStatus
from workstation.simulator.exchange.types import Side
from workstation.simulator.rest.formats import (
    cents,
    count_fp,
    dollars,
    kalshi_status,
    price_level_structure,
)
from workstation.simulator.rest.tape import TradeTape

__all__ = ["event_object", "event_status", "market_object", "orderbook_object", "series_of"]

_ZERO = Decimal(0)
_ONE = Decimal(1)


def series_of(event_ticker: str) -> str:
    """Kalshi's series ticker is the event ticker's first dash-separated part."""
    return event_ticker.split("-", 1)[0]


def event_status(event: Event) -> str:
    """``open`` while any market trades or is paused, ``settled`` when all are, else
    ``closed`` (the values of ``GET /events?status=``)."""
    statuses = {m.status for m in event.markets}
    if statuses & {MarketStatus.OPEN, MarketStatus.PAUSED}:
        return "open"
    if statuses and statuses <= {MarketStatus.SETTLED}:
        return "settled"
    return "closed"


def market_object(exchange: Exchange, market: Market, tape: TradeTape) -> dict[str, Any]:
    ticker = market.ticker
    bids = exchange.depth(ticker, Side.BUY, 1)
    asks = exchange.depth(ticker, Side.SELL, 1)
    yes_bid = bids[0].price if bids else _ZERO
    yes_ask = asks[0].price if asks else _ONE
    trades = tape.market(ticker)
    last = trades.last_price if trades.last_price is not None else _ZERO
    body: dict[str, Any] = {
        "ticker": ticker,
        "event_ticker": market.event_ticker,
        "market_type": "binary",
        "title": market.title,
        "yes_sub_title": market.title,
        "status": kalshi_status(market.status),
        "yes_bid": cents(yes_bid),
        "yes_bid_dollars": dollars(yes_bid),
        "yes_bid_size_fp": count_fp(bids[0].quantity if bids else _ZERO),
        "yes_ask": cents(yes_ask, up=True),
        "yes_ask_dollars": dollars(yes_ask),
        "yes_ask_size_fp": count_fp(asks[0].quantity if asks else _ZERO),
        "no_bid": cents(_ONE - yes_ask),
        "no_bid_dollars": dollars(_ONE - yes_ask),
        "no_ask": cents(_ONE - yes_bid, up=True),
        "no_ask_dollars": dollars(_ONE - yes_bid),
        "last_price": cents(last),
        "last_price_dollars": dollars(last),
        "volume": int(trades.volume),
        "volume_fp": count_fp(trades.volume),
        "result": "" if market.result is None else market.result.value,
        "price_ranges": [
            {"start": dollars(_ZERO), "end": dollars(_ONE), "step": dollars(market.tick)}
        ],
    }
    structure = price_level_structure(market.tick)
    if structure is not None:
        body["price_level_structure"] = structure
    if market.settlement_value is not None:
        body["settlement_value"] = cents(market.settlement_value)
        body["settlement_value_dollars"] = dollars(market.settlement_value)
    return body


def event_object(
    exchange: Exchange, event: Event, tape: TradeTape, *, nested: bool
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_ticker": event.ticker,
        "series_ticker": series_of(event.ticker),
        "title": event.title,
        "sub_title": "",
        "mutually_exclusive": event.mutually_exclusive,
        "collateral_return_type": "binary",
    }
    if nested:
        body["markets"] = [
            market_object(exchange, m, tape) for m in sorted(event.markets, key=lambda m: m.ticker)
        ]
    return body


def _ascending(levels: list[Level], *, no_side: bool) -> list[tuple[Decimal, Decimal]]:
    pairs = [((_ONE - lv.price) if no_side else lv.price, lv.quantity) for lv in levels]
    return sorted(pairs)


def orderbook_object(exchange: Exchange, ticker: str, depth: int | None) -> dict[str, Any]:
    """YES bids (the book's bids) and NO bids (its offers, at 1 − price), best last."""
    yes = _ascending(exchange.depth(ticker, Side.BUY, depth), no_side=False)
    no = _ascending(exchange.depth(ticker, Side.SELL, depth), no_side=True)
    return {
        "orderbook": {
            "yes": [[cents(p), int(q)] for p, q in yes],
            "no": [[cents(p), int(q)] for p, q in no],
        },
        "orderbook_fp": {
            "yes_dollars": [[dollars(p), count_fp(q)] for p, q in yes],
            "no_dollars": [[dollars(p), count_fp(q)] for p, q in no],
        },
    }
