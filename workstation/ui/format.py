"""Text for traders: prices in cents (or dollars), money, quantities, sides and times.

Pure functions (no Qt), so every table, ticket and export writes a figure the same way and
the wording is tested once. Prices are ``Decimal`` dollars in the domain (SPEC §8); the
trader reads them in cents (``45¢``, ``45.25¢`` on a subpenny market) or, on a session that
logged on with UseDollars (21005), in dollars with four places (``$0.4525``). Money is
dollars with two places and a real minus sign. Times are shown in the exchange's zone
(America/New_York, DESIGN.md) with the local time beside them where it helps.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal

from workstation.fix.messages.enums import Side, TimeInForce
from workstation.trading.ticket import Intent
from workstation.ui.timefmt import EASTERN

__all__ = [
    "MINUS",
    "contract_price",
    "dollars_text",
    "et_date_time_text",
    "et_time_text",
    "et_with_local_text",
    "intent_of_side",
    "money_text",
    "percent_text",
    "price_text",
    "quantity_text",
    "side_text",
    "signed_money_text",
    "tif_text",
]

MINUS = "\u2212"  #: a real minus sign: lines up with "+" in a table and reads as one
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_DOLLAR_PLACES = Decimal("0.0001")

_TIF_TEXT = {
    TimeInForce.GTC: "GTC",
    TimeInForce.DAY: "Day",
    TimeInForce.IOC: "IOC",
    TimeInForce.FOK: "FOK",
    TimeInForce.GTD: "GTD",
}


def _plain(number: Decimal) -> str:
    """``number`` without exponent or trailing zeros (``45``, ``45.25``)."""
    if number == number.to_integral_value():
        return f"{int(number)}"
    return f"{number.normalize():f}"


def price_text(price: Decimal | None, *, dollars: bool = False) -> str:
    """A contract price: ``45¢`` / ``45.25¢``, or ``$0.4500`` with ``dollars``; ``""`` for None.

    Shown to 0.01¢ at most (an average price can have endless decimals).
    """
    if price is None:
        return ""
    rounded = price.quantize(_DOLLAR_PLACES)
    if dollars:
        return f"${rounded:f}"
    return f"{_plain(rounded * _HUNDRED)}¢"


def dollars_text(price: Decimal) -> str:
    """A price in dollars with four places, as a subpenny price field shows it: ``0.4525``."""
    return f"{price.quantize(_DOLLAR_PLACES):f}"


def money_text(amount: Decimal | None) -> str:
    """``$1,234.56``; negative ``−$3.20``; ``""`` for None. Rounded half-even to the cent."""
    if amount is None:
        return ""
    cents = amount.quantize(_CENT)
    text = f"${abs(cents):,.2f}"
    return f"{MINUS}{text}" if cents < 0 else text


def signed_money_text(amount: Decimal | None) -> str:
    """P&L: ``+$3.20``, ``−$3.20``, ``$0.00``; ``""`` for None."""
    if amount is None:
        return ""
    cents = amount.quantize(_CENT)
    if cents > 0:
        return f"+{money_text(cents)}"
    return money_text(cents)


def percent_text(fraction: Decimal) -> str:
    """A probability: ``0.5312`` → ``53.1%``."""
    return f"{(fraction * _HUNDRED).quantize(Decimal('0.1'))}%"


def quantity_text(quantity: Decimal | None) -> str:
    """Contracts: ``1,000``; fractional ``12.5``; ``""`` for None."""
    if quantity is None:
        return ""
    if quantity == quantity.to_integral_value():
        return f"{int(quantity):,}"
    whole, _, frac = f"{quantity.normalize():f}".partition(".")
    return f"{int(whole):,}.{frac}" if whole != "-0" else f"-0.{frac}"


def intent_of_side(side: Side) -> Intent:
    """The intent a bare FIX side reads as, when the ticket that sent it is not known."""
    return Intent.BUY_YES if side is Side.BUY else Intent.SELL_YES


def side_text(side: Side, intent: Intent | None = None) -> str:
    """``Buy YES`` / ``Buy NO`` / ``Sell YES`` / ``Sell NO``: the trader's words.

    The intent is known for orders sent from this ticket. A bare side reads as it went on
    the wire: Side 1 buys YES, Side 2 sells YES (the same order as buying NO).
    """
    if intent is not None and intent.buys_yes == (side is Side.BUY):
        return intent.value
    return intent_of_side(side).value


def contract_price(yes_price: Decimal | None, side: Side, intent: Intent | None) -> Decimal | None:
    """The price in the terms of the contract the trader named (NO intents: 1 − YES price)."""
    if yes_price is None:
        return None
    if intent is not None and intent.buys_yes == (side is Side.BUY) and intent.contract == "NO":
        return _ONE - yes_price
    return yes_price


def tif_text(tif: TimeInForce | None) -> str:
    """``GTC``, ``Day``, ``IOC``, ``FOK``, ``GTD``; ``""`` when absent."""
    return "" if tif is None else _TIF_TEXT[tif]


def et_time_text(epoch: float | None, *, ms: bool = True) -> str:
    """``14:03:22.123`` (``14:03:22`` without ``ms``) in Eastern Time; ``""`` for None."""
    if epoch is None:
        return ""
    dt = datetime.fromtimestamp(epoch, EASTERN)
    return f"{dt:%H:%M:%S}.{dt.microsecond // 1000:03d}" if ms else f"{dt:%H:%M:%S}"


def et_date_time_text(epoch: float | None) -> str:
    """``2025-01-07 14:03:22.123 EST`` in Eastern Time (exports, tooltips); ``""`` for None."""
    if epoch is None:
        return ""
    dt = datetime.fromtimestamp(epoch, EASTERN)
    return f"{dt:%Y-%m-%d %H:%M:%S}.{dt.microsecond // 1000:03d} {dt:%Z}"


def et_with_local_text(epoch: float, local_zone: tzinfo | None = None) -> str:
    """``Tue 2025-01-07 16:00:00 EST · local 22:00:00 CET (Tue)``.

    ``local_zone`` defaults to the machine's zone; tests pass one. The local day is named
    when it differs from the Eastern one (a Day order's end crosses midnight elsewhere).
    """
    et = datetime.fromtimestamp(epoch, EASTERN)
    local = (
        datetime.fromtimestamp(epoch, local_zone)
        if local_zone is not None
        else datetime.fromtimestamp(epoch).astimezone()
    )
    day = f" ({local:%a %Y-%m-%d})" if local.date() != et.date() else ""
    return f"{et:%a %Y-%m-%d %H:%M:%S %Z} · local {local:%H:%M:%S %Z}{day}".rstrip()
