"""Quantities (contracts) and money (dollars) as ``Decimal``, both directions (SPEC §8).

Quantities may arrive as ``10`` or ``10.00`` (scale ≥ 2 from 1.0.18) and may be fractional in
0.01-contract steps; we write whole quantities as plain integers (``10``), which every
version accepts, and others with 2 places. Money (fees 137, collateral 1704, returns
21030/21031, MaxExecutionCost 21009, CashOrderQty 152) is signed dollars with as many places
as the value has, at least 2 (``100.00``, ``0.006``, ``-0.7500``).
"""

from __future__ import annotations

from decimal import Decimal

from workstation.fix.messages.errors import out_of_range
from workstation.fix.messages.fields import cached_decimal
from workstation.fix.values import format_decimal

__all__ = ["format_money", "format_qty", "parse_money", "parse_qty"]

_ZERO = Decimal(0)
_CACHE_LIMIT = 4096


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def format_qty(qty: Decimal) -> str:
    """``10`` for whole quantities, else 2 places (``2.50``); ValueError below 0 or off 0.01."""
    if qty < _ZERO:
        raise ValueError(f"quantity {qty} is negative")
    if _whole(qty):
        return str(int(qty))
    if not _whole(qty.scaleb(2)):
        raise ValueError(f"quantity {qty} is not a multiple of 0.01 contracts")
    return format_decimal(qty, 2)


_POSITIVE: dict[str, Decimal] = {}
_NON_NEGATIVE: dict[str, Decimal] = {}


def parse_qty(tag: int, text: str, *, allow_zero: bool = False) -> Decimal:
    """A quantity in 0.01-contract steps, above 0 (or at least 0 with ``allow_zero``)."""
    cache = _NON_NEGATIVE if allow_zero else _POSITIVE
    value = cache.get(text)
    if value is None:
        value = cached_decimal(tag, text)
        if value < _ZERO or (value == _ZERO and not allow_zero):
            why = "a quantity cannot be negative" if allow_zero else "a quantity must be above 0"
            raise out_of_range(tag, text, why)
        if not _whole(value.scaleb(2)):
            raise out_of_range(tag, text, "quantities move in 0.01-contract steps")
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[text] = value
    return value


def format_money(amount: Decimal) -> str:
    """Dollars with at least 2 places, more when the value has them (``0.006``)."""
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return format_decimal(amount)
    return format_decimal(amount, 2)


def parse_money(tag: int, text: str) -> Decimal:
    """Signed dollars."""
    return cached_decimal(tag, text)
