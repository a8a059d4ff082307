"""The order ticket's colours: message tones, and the buy/sell colours of the side buttons
and the submit button, for the light and the dark theme.

Message colours are label palettes (a label's text colour: ~1 µs to set, and nothing when
the tone is unchanged), not style sheets (a restyle of the widget each time, on the way from
a click to the wire). Style sheets are set only when the side or the theme changes.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from workstation.trading.ticket import Intent
from workstation.ui.theme import STATUS_COLORS, StatusColors, Theme

__all__ = [
    "TONES",
    "Tones",
    "intent_button_sheet",
    "notice_sheet",
    "side_colours",
    "status_colours",
    "submit_sheet",
]

#: The tones a message label can take.
TONES = ("bad", "busy", "muted", "ok")


def status_colours(dark: bool) -> StatusColors:
    return STATUS_COLORS[Theme.DARK if dark else Theme.LIGHT]


class Tones:
    """Text colours of message labels: ``bad``, ``busy``, ``muted`` or ``ok`` (a label's
    ``tone`` property says which it has)."""

    def __init__(self, dark: bool) -> None:
        self._palettes: dict[str, QPalette] = {}
        self.set_dark(dark)

    def set_dark(self, dark: bool, labels: tuple[QLabel, ...] = ()) -> None:
        """Use the theme's colours, for ``labels`` already toned too."""
        c = status_colours(dark)
        self._palettes = {}
        for tone, colour in zip(TONES, (c.bad, c.busy, c.muted, c.ok), strict=True):
            palette = QPalette()  # only the text colour is set; the rest follows the theme
            palette.setColor(QPalette.ColorRole.WindowText, QColor(colour))
            self._palettes[tone] = palette
        for label in labels:
            tone = label.property("tone")
            if tone:
                label.setPalette(self._palettes[tone])

    def apply(self, label: QLabel, tone: str) -> None:
        """Colour ``label``'s text for ``tone`` (nothing when it has it already)."""
        if label.property("tone") != tone:
            label.setProperty("tone", tone)
            label.setPalette(self._palettes[tone])


def side_colours(intent: Intent, dark: bool) -> tuple[str, str]:
    """(background, text) of a checked side button and the submit button."""
    buy = intent.value.startswith("Buy")
    if dark:
        return ("#163d24", "#8ff0ad") if buy else ("#4a1d1d", "#ffb3ae")
    return ("#d7f5e1", "#0f5a2a") if buy else ("#fde0de", "#9b1c15")


def intent_button_sheet(intent: Intent, dark: bool) -> str:
    bg, fg = side_colours(intent, dark)
    return (
        f"QPushButton:checked {{ background: {bg}; color: {fg}; border: 2px solid {fg};"
        " font-weight: bold; }"
    )


def submit_sheet(intent: Intent, dark: bool) -> str:
    bg, fg = side_colours(intent, dark)
    return (
        f"QPushButton {{ background: {bg}; color: {fg}; border: 1px solid {fg};"
        " font-weight: bold; }"
        " QPushButton:disabled { background: palette(button); color: palette(mid);"
        " border-color: palette(mid); font-weight: normal; }"
    )


def notice_sheet(dark: bool) -> str:
    """The boxed notice a listen-only desk shows in place of the ticket's controls."""
    c = status_colours(dark)
    return f"color: {c.busy}; font-weight: bold; border: 1px solid {c.busy}; padding: 6px;"
