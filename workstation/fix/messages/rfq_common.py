"""Pieces both QuoteRequest (35=R) forms share: the NoRelatedSym (146) entry and the
combo (MVE) legs. SPEC §13.2, §13.3, §20.28.

Only one related symbol is supported (146 must be 1), so its fields are read by tag rather
than by position: the 1.0.13 example puts OrderQty before Symbol (``146=1|38=100|55=…``)
and a strict reader keyed on 55 as the delimiter would refuse it; the current docs put 55
first, and MVE requests (no 55) open the entry with 38. We write the current layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from workstation.fix.message import FixMessage
from workstation.fix.messages.amounts import format_money, format_qty, parse_money, parse_qty
from workstation.fix.messages.enums import LegSide
from workstation.fix.messages.errors import conditionally_missing, out_of_range
from workstation.fix.messages.fields import (
    Body,
    entry_fields,
    flat_group,
    parse_enum,
    put,
    require_in,
)

__all__ = [
    "MveLeg",
    "RelatedSymbol",
    "legs_to_body",
    "read_legs",
    "read_related_symbol",
    "related_symbol_to_body",
]

_ZERO = Decimal(0)
_LEG_MEMBERS = frozenset({20182, 20183, 20184})


@dataclass(frozen=True, slots=True, kw_only=True)
class MveLeg:
    """One leg of a combo (multivariate) market: NoMultivariateSelectedLegs (20181) entry."""

    event_ticker: str  #: MultivariateSelectedEventTicker (20182)
    market_ticker: str  #: MultivariateSelectedMarketTicker (20183)
    side: LegSide  #: MultivariateSelectedMarketSide (20184): yes / no


def legs_to_body(body: Body, collection_ticker: str | None, legs: Sequence[MveLeg]) -> None:
    put(body, 20180, collection_ticker)
    if legs:
        body.append((20181, str(len(legs))))
        for leg in legs:
            put(body, 20182, leg.event_ticker)
            put(body, 20183, leg.market_ticker)
            body.append((20184, leg.side.value))


def read_legs(msg: FixMessage) -> tuple[MveLeg, ...]:
    legs = []
    for entry in flat_group(msg, 20181, 20182, _LEG_MEMBERS):
        values = entry_fields(entry)
        legs.append(
            MveLeg(
                event_ticker=require_in(values, 20182),
                market_ticker=require_in(values, 20183),
                side=parse_enum(LegSide, 20184, require_in(values, 20184).lower()),
            )
        )
    return tuple(legs)


@dataclass(frozen=True, slots=True, kw_only=True)
class RelatedSymbol:
    """What the one NoRelatedSym entry holds."""

    symbol: str | None
    order_qty: Decimal | None
    cash_order_qty: Decimal | None


def related_symbol_to_body(
    body: Body, symbol: str | None, order_qty: Decimal | None, cash_order_qty: Decimal | None
) -> None:
    """``146=1`` and the entry's 55 / 38 / 152 (the caller appends the rest of the entry)."""
    if symbol is None and order_qty is None and cash_order_qty is None:
        raise ValueError("a related symbol needs a symbol, an order_qty or a cash_order_qty")
    body.append((146, "1"))
    put(body, 55, symbol)
    if order_qty is not None:
        body.append((38, format_qty(order_qty)))
    if cash_order_qty is not None:
        body.append((152, format_money(cash_order_qty)))


def read_related_symbol(msg: FixMessage) -> RelatedSymbol:
    """146 (which must be 1) and the entry's Symbol, OrderQty and CashOrderQty."""
    count = msg.require_int(146)
    if count != 1:
        raise out_of_range(146, str(count), "only one related symbol is supported")
    qty_text, cash_text = msg.get(38), msg.get(152)
    cash = None
    if cash_text is not None:
        cash = parse_money(152, cash_text)
        if cash <= _ZERO:
            raise out_of_range(152, cash_text, "CashOrderQty must be above 0")
    if qty_text is None and cash is None:
        raise conditionally_missing(38, "OrderQty or CashOrderQty is required")
    return RelatedSymbol(
        symbol=msg.get(55),
        order_qty=None if qty_text is None else parse_qty(38, qty_text),
        cash_order_qty=cash,
    )
