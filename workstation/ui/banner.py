"""The venue banner: a strip across the top of the main window that says where orders go.

A trader must never wonder whether an order is real. LOCAL (the built-in simulator) is a
calm slate blue, DEMO (Kalshi's demo environment) amber, PRODUCTION a red that cannot be
missed, and CUSTOM (a host of the trader's own choosing, e.g. a desk monitor's) violet: we
cannot know whether it trades real money, so it says to check. The colours do not follow
the light/dark theme: they mean the venue, not the look.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

__all__ = ["BANNER_STYLES", "BannerStyle", "VenueBanner", "VenueKind", "banner_text"]


class VenueKind(StrEnum):
    LOCAL = "LOCAL"  #: the built-in simulator on this machine; no real money
    DEMO = "DEMO"  #: Kalshi's demo environment; test funds
    PRODUCTION = "PRODUCTION"  #: Kalshi's live exchange; real money
    CUSTOM = "CUSTOM"  #: a host the profile names; it may or may not be real money


@dataclass(frozen=True, slots=True, kw_only=True)
class BannerStyle:
    background: str  #: ``#rrggbb``
    foreground: str
    headline: str  #: the words before the venue label
    tooltip: str


BANNER_STYLES: dict[VenueKind, BannerStyle] = {
    VenueKind.LOCAL: BannerStyle(
        background="#35597a",
        foreground="#ffffff",
        headline="LOCAL SIMULATOR · no real money",
        tooltip="Orders go to the exchange simulator running on this machine.",
    ),
    VenueKind.DEMO: BannerStyle(
        background="#f2a900",
        foreground="#1a1a1a",
        headline="DEMO · Kalshi demo environment, test funds",
        tooltip="Orders go to Kalshi's demo environment: real protocol, no real money.",
    ),
    VenueKind.PRODUCTION: BannerStyle(
        background="#c8102e",
        foreground="#ffffff",
        headline="⚠ PRODUCTION · LIVE TRADING WITH REAL MONEY",
        tooltip="Orders go to Kalshi's live exchange and trade real money.",
    ),
    VenueKind.CUSTOM: BannerStyle(
        background="#5b3b8c",
        foreground="#ffffff",
        headline="CUSTOM VENUE · check where orders go",
        tooltip="Orders go to the host this profile names, which may trade real money.",
    ),
}


def banner_text(kind: VenueKind, label: str) -> str:
    """``LOCAL SIMULATOR · no real money — local venue 127.0.0.1``."""
    headline = BANNER_STYLES[kind].headline
    return f"{headline} — {label}" if label else headline


class VenueBanner(QFrame):
    """The coloured strip; read-only once built (a window trades on one venue)."""

    def __init__(self, kind: VenueKind, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("venueBanner")
        self.kind = kind
        style = BANNER_STYLES[kind]
        self.background = QColor(style.background)
        self.foreground = QColor(style.foreground)
        # Its own stylesheet, so the application theme never recolours it.
        self.setStyleSheet(
            f"QFrame#venueBanner {{ background: {style.background}; border: none; }}"
            f"QLabel {{ color: {style.foreground}; background: transparent; }}"
        )
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, self.background)
        pal.setColor(QPalette.ColorRole.WindowText, self.foreground)
        self.setPalette(pal)

        self._label = QLabel(banner_text(kind, label), self)
        self._label.setObjectName("venueBannerText")
        font = QFont(self._label.font())
        font.setBold(True)
        if kind is VenueKind.PRODUCTION:
            font.setPointSizeF(font.pointSizeF() * 1.25)
        self._label.setFont(font)
        self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QHBoxLayout(self)
        margin = 8 if kind is VenueKind.PRODUCTION else 4
        layout.setContentsMargins(8, margin, 8, margin)
        layout.addWidget(self._label)
        self.setToolTip(style.tooltip)

    def text(self) -> str:
        return self._label.text()
