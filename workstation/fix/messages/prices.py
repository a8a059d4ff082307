"""Prices: ``Decimal`` dollars in the domain, cents or dollars on the wire (SPEC §8, §10).

A session that logged on with UseDollars (21005=Y) carries AvgPx (6), LastPx (31),
Price (44), BidPx (132) and OfferPx (133) as dollars with up to 4 decimals (``0.7500``);
any other session carries them as integer cents 1–99 (``75``), except AvgPx, which may be a
fraction of a cent. Quotes sent to an RFQ creator are always dollars. SettlementPrice (730)
is always cents, possibly with 2 decimals (``30.60``).

Parsers raise :class:`FieldFormatError` (373=6) for text that is not a number and
:class:`MessageError` 373=5 for a number the field does not allow (see ``errors``). The
checked parsers cache what they have accepted: the same few prices arrive all day.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from enum import Enum

from workstation.fix.messages.errors import out_of_range
from workstation.fix.values import format_decimal, parse_decimal

__all__ = [
    "PriceFormat",
    "format_avg_price",
    "format_price",
    "format_settlement_price",
    "parse_avg_price",
    "parse_limit_price",
    "parse_price",
    "parse_quote_price",
    "parse_settlement_price",
]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_CACHE_LIMIT = 4096


class PriceFormat(Enum):
    """How a session writes prices: integer cents (default) or dollars (21005=Y)."""

    CENTS = "cents"
    DOLLARS = "dollars"

    @classmethod
    def for_session(cls, use_dollars: bool) -> PriceFormat:
        return cls.DOLLARS if use_dollars else cls.CENTS


def _is_whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


def _on_grid(price: Decimal, fmt: PriceFormat) -> bool:
    return _is_whole(price.scaleb(2 if fmt is PriceFormat.CENTS else 4))


def format_price(price: Decimal, fmt: PriceFormat) -> str:
    """Wire text of a price: ``75`` in cents, ``0.7500`` in dollars.

    ValueError when the price is not on the format's grid (a fraction of a cent in cents
    mode, a fifth decimal place in dollars mode): prices are never rounded silently.
    """
    if not _on_grid(price, fmt):
        raise ValueError(f"price {price} is not a whole number of {fmt.value}-format ticks")
    if fmt is PriceFormat.CENTS:
        return str(int(price.scaleb(2)))
    return format_decimal(price, 4)


def format_avg_price(price: Decimal, fmt: PriceFormat) -> str:
    """AvgPx (6), which may fall between ticks: plain cents (``66.5``) or dollars."""
    if fmt is PriceFormat.CENTS:
        return format_decimal(price.scaleb(2).normalize())
    if _on_grid(price, fmt):
        return format_decimal(price, 4)
    return format_decimal(price)


# One cache per format, picked with ``is`` (hashing an Enum member runs Python code).
_RAW_CENTS: dict[str, Decimal] = {}
_RAW_DOLLARS: dict[str, Decimal] = {}


def parse_price(tag: int, text: str, fmt: PriceFormat) -> Decimal:
    """Dollars from a price's wire text; FieldFormatError if it is not a decimal number.

    No range check: the callers below know what each field allows.
    """
    cache = _RAW_CENTS if fmt is PriceFormat.CENTS else _RAW_DOLLARS
    value = cache.get(text)
    if value is None:
        value = parse_decimal(tag, text)
        if fmt is PriceFormat.CENTS:
            value = value.scaleb(-2)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[text] = value
    return value


_LIMIT_CENTS: dict[str, Decimal] = {}
_LIMIT_DOLLARS: dict[str, Decimal] = {}


def parse_limit_price(tag: int, text: str, fmt: PriceFormat) -> Decimal:
    """A YES price strictly between $0 and $1 on the format's grid (Price 44, LastPx 31)."""
    cache = _LIMIT_CENTS if fmt is PriceFormat.CENTS else _LIMIT_DOLLARS
    value = cache.get(text)
    if value is None:
        value = parse_price(tag, text, fmt)
        if not _ZERO < value < _ONE:
            raise out_of_range(tag, text, "a price must be above 0 and below 1 dollar")
        if not _on_grid(value, fmt):
            raise out_of_range(tag, text, f"not on the {fmt.value} price grid")
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[text] = value
    return value


def parse_avg_price(tag: int, text: str, fmt: PriceFormat) -> Decimal:
    """AvgPx (6): 0 before any fill, otherwise between $0 and $1; any number of decimals."""
    value = parse_price(tag, text, fmt)
    if not _ZERO <= value <= _ONE:
        raise out_of_range(tag, text, "an average price lies between 0 and 1 dollar")
    return value


def parse_quote_price(tag: int, text: str, fmt: PriceFormat) -> Decimal | None:
    """BidPx (132) / OfferPx (133) of a quote: ``None`` for 0 (no quote on that side).

    In cents mode only the integer part counts (SPEC §13.2), so ``75.9`` is 75¢.
    """
    value = parse_price(tag, text, fmt)
    if fmt is PriceFormat.CENTS:
        value = value.scaleb(2).to_integral_value(rounding=ROUND_DOWN).scaleb(-2)
    if value == _ZERO:
        return None
    if not _ZERO < value < _ONE:
        raise out_of_range(tag, text, "a quote price must be 0 (none) or below 1 dollar")
    if not _on_grid(value, fmt):
        raise out_of_range(tag, text, f"not on the {fmt.value} price grid")
    return value


def format_settlement_price(price: Decimal) -> str:
    """SettlementPrice (730): cents with 2 decimals (``100.00``, ``30.60``)."""
    cents = price.scaleb(2)
    if not _is_whole(cents.scaleb(2)):
        raise ValueError(f"settlement price {price} is finer than a hundredth of a cent")
    return format_decimal(cents, 2)


def parse_settlement_price(tag: int, text: str) -> Decimal:
    """Dollars from SettlementPrice (730), which is cents in every version."""
    value = parse_decimal(tag, text).scaleb(-2)
    if not _ZERO <= value <= _ONE:
        raise out_of_range(tag, text, "a settlement price lies between 0 and 100 cents")
    return value
