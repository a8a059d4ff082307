"""What the order ticket's fields say: the choices they offer, how their text reads as
numbers, and the problems found in them, per field.

Qt-light (one line-edit subclass); the ticket (:mod:`workstation.ui.panels.ticket`) lays the
fields out and calls these to read them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from workstation.fix.messages.enums import SelfTradePrevention, TimeInForce
from workstation.trading.ticket import Intent, Ticket
from workstation.ui.format import dollars_text

__all__ = [
    "HAS_CANCEL_ON_PAUSE",
    "INTENT_KEYS",
    "INTENT_NAMES",
    "STP_CHOICES",
    "TIF_CHOICES",
    "Problems",
    "SteppingEdit",
    "decimal_of",
    "field_of",
    "parse_price",
    "parse_quantity",
    "price_field_text",
]

_HUNDRED = Decimal(100)

#: Intents in button order; keys 1–4 pick them.
INTENT_KEYS: tuple[Intent, ...] = (Intent.BUY_YES, Intent.BUY_NO, Intent.SELL_YES, Intent.SELL_NO)
#: Object names of the four side buttons.
INTENT_NAMES = {
    Intent.BUY_YES: "ticketBuyYes",
    Intent.BUY_NO: "ticketBuyNo",
    Intent.SELL_YES: "ticketSellYes",
    Intent.SELL_NO: "ticketSellNo",
}
#: (text, TimeInForce, tooltip) in menu order.
TIF_CHOICES: tuple[tuple[str, TimeInForce, str], ...] = (
    ("GTC", TimeInForce.GTC, "Good till cancelled"),
    ("Day", TimeInForce.DAY, "Until 23:59:59.999 Eastern Time today"),
    ("IOC", TimeInForce.IOC, "Immediate or cancel: what does not fill at once is cancelled"),
    ("FOK", TimeInForce.FOK, "Fill or kill: all at once or nothing"),
    ("GTD", TimeInForce.GTD, "Good till the date and time you set (Eastern Time)"),
)
#: (text, SelfTradePrevention or None for the exchange's default) in menu order.
STP_CHOICES: tuple[tuple[str, SelfTradePrevention | None], ...] = (
    ("Exchange default (taker at cross)", None),
    ("Taker at cross: cancel this order", SelfTradePrevention.TAKER_AT_CROSS),
    ("Maker: cancel my resting order", SelfTradePrevention.MAKER),
)
#: Ticket has a CancelOrderOnPause field only once trading.ticket carries it.
HAS_CANCEL_ON_PAUSE = "cancel_order_on_pause" in {f.name for f in dataclasses.fields(Ticket)}


class SteppingEdit(QLineEdit):
    """A line edit whose Up/Down (PageUp/PageDown: ×10) step the number by a tick."""

    def __init__(self, step: Callable[[int], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._step = step

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        steps = {
            Qt.Key.Key_Up: 1,
            Qt.Key.Key_Down: -1,
            Qt.Key.Key_PageUp: 10,
            Qt.Key.Key_PageDown: -10,
        }.get(Qt.Key(event.key()))
        if steps is None:
            super().keyPressEvent(event)
        else:
            self._step(steps)
            event.accept()


def decimal_of(text: str) -> Decimal | None:
    """The number ``text`` says (thousands commas allowed), or None."""
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_price(text: str, *, subpenny: bool) -> tuple[Decimal | None, str]:
    """The price field as dollars (it holds cents, or dollars on a subpenny session), or
    None and what is wrong."""
    text = text.strip()
    if not text:
        return None, "Enter a price"
    value = decimal_of(text.rstrip("¢$").lstrip("$"))
    if value is None:
        unit = "dollars, e.g. 0.4525" if subpenny else "whole cents, e.g. 45"
        return None, f"Price must be a number in {unit}"
    return (value if subpenny else value / _HUNDRED), ""


def parse_quantity(text: str) -> tuple[Decimal | None, str]:
    """The quantity field as contracts, or None and what is wrong."""
    text = text.strip()
    if not text:
        return None, "Enter a quantity"
    value = decimal_of(text)
    if value is None:
        return None, "Quantity must be a whole number of contracts"
    return value, ""


def price_field_text(price: Decimal, *, subpenny: bool) -> str:
    """What the price field shows for ``price`` (dollars): cents, or dollars on subpenny."""
    if subpenny:
        return dollars_text(price)
    cents = price * _HUNDRED
    return f"{cents.normalize():f}" if cents != cents.to_integral_value() else str(int(cents))


class Problems:
    """Errors (blocking) and warnings per field; "required" errors wait for a submit."""

    def __init__(self) -> None:
        self.errors: dict[str, list[tuple[str, bool]]] = {}
        self.warnings: dict[str, list[str]] = {}

    def add(self, field: str, text: str, *, required: bool = False) -> None:
        self.errors.setdefault(field, []).append((text, required))

    def warn(self, field: str, text: str) -> None:
        self.warnings.setdefault(field, []).append(text)

    def texts(self) -> list[str]:
        return [t for items in self.errors.values() for t, _ in items]

    def __bool__(self) -> bool:
        return bool(self.errors)


def field_of(message: str) -> str:
    """Which field a ``check_ticket`` message is about."""
    lowered = message.casefold()
    if lowered.startswith("choose a market"):
        return "market"
    if lowered.startswith("price"):
        return "price"
    if lowered.startswith("quantity"):
        return "quantity"
    if "expiry" in lowered or "good-till-date" in lowered:
        return "expiry"
    return "general"
