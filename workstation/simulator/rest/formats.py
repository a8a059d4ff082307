"""Kalshi REST value formats: dollar strings, fixed-point counts, legacy cents, times, statuses.

Sources (Kalshi's docs, read through the search tool): "Fixed-Point Migration"
(docs.kalshi.com/getting_started/fixed_point_migration) — ``*_dollars`` fields are dollar
strings with up to 4 decimal places (``"0.4200"``), ``*_fp`` contract counts strings with 2
(``"13.00"``), ``price_level_structure``/``price_ranges`` describe a market's tick; "Market
Lifecycle" (docs.kalshi.com/getting_started/market_lifecycle) — the statuses a market reports
and the values the ``status`` filter takes.

The legacy integer-cent fields (``yes_bid``, ``balance`` …) are kept beside the ``_dollars``
ones because older clients read them. On a subpenny market a price has no exact cent value:
the legacy field rounds a bid down and an ask up (never better than the real price); the
``_dollars`` field is exact.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from workstation.simulator.exchange.market import MarketStatus

__all__ = [
    "FILTER_STATUSES",
    "cents",
    "count_fp",
    "dollars",
    "iso_time",
    "kalshi_status",
    "price_level_structure",
]

_DOLLAR_PLACES = Decimal("0.0001")
_COUNT_PLACES = Decimal("0.01")

#: Our market status -> the status Kalshi's REST reports (market lifecycle page).
_REPORTED: dict[MarketStatus, str] = {
    MarketStatus.OPEN: "active",
    MarketStatus.PAUSED: "inactive",
    MarketStatus.CLOSED: "closed",
    MarketStatus.SETTLED: "finalized",
}

#: ``GET /markets?status=`` values -> our statuses. ``unopened`` matches nothing here: the
#: simulator has no markets waiting for their open time.
FILTER_STATUSES: dict[str, frozenset[MarketStatus]] = {
    "unopened": frozenset(),
    "open": frozenset({MarketStatus.OPEN}),
    "paused": frozenset({MarketStatus.PAUSED}),
    "closed": frozenset({MarketStatus.CLOSED}),
    "settled": frozenset({MarketStatus.SETTLED}),
}

_STRUCTURES = {Decimal("0.01"): "linear_cent", Decimal("0.001"): "deci_cent"}


def kalshi_status(status: MarketStatus) -> str:
    return _REPORTED[status]


def dollars(value: Decimal) -> str:
    """``Decimal("0.42")`` -> ``"0.4200"``."""
    return f"{value.quantize(_DOLLAR_PLACES, rounding=ROUND_HALF_EVEN):f}"


def count_fp(value: Decimal) -> str:
    """``Decimal(13)`` -> ``"13.00"``."""
    return f"{value.quantize(_COUNT_PLACES, rounding=ROUND_HALF_EVEN):f}"


def cents(value: Decimal, *, up: bool = False) -> int:
    """Dollars as whole cents; a fraction of a cent rounds down (or up when ``up``)."""
    return int((value * 100).to_integral_value(rounding=ROUND_CEILING if up else ROUND_FLOOR))


def iso_time(epoch: float) -> str:
    """``2026-11-24T15:04:05.123Z``: RFC 3339 UTC with milliseconds."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def price_level_structure(tick: Decimal) -> str | None:
    """Kalshi's name for a uniform tick (``linear_cent``, ``deci_cent``), None for others."""
    return _STRUCTURES.get(tick)
