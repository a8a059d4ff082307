"""The venue banner says which venue the window trades on, in that venue's colour."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from workstation.ui.banner import BANNER_STYLES, VenueBanner, VenueKind, banner_text

from .test_theme import contrast


def painted_colour(banner: VenueBanner) -> str:
    """The colour actually drawn near the banner's left edge (where no text is)."""
    image = banner.grab().toImage()
    return QColor(image.pixel(3, image.height() // 2)).name()


@pytest.mark.parametrize(
    ("kind", "background", "words"),
    [
        (VenueKind.LOCAL, "#35597a", "LOCAL SIMULATOR · no real money"),
        (VenueKind.DEMO, "#f2a900", "DEMO · Kalshi demo environment, test funds"),
        (VenueKind.PRODUCTION, "#c8102e", "⚠ PRODUCTION · LIVE TRADING WITH REAL MONEY"),
    ],
)
def test_each_venue_has_its_words_and_colour(qtbot, kind, background, words) -> None:
    banner = VenueBanner(kind, "fix.elections.kalshi.com")
    qtbot.addWidget(banner)
    banner.resize(900, banner.sizeHint().height())
    assert banner.text() == f"{words} — fix.elections.kalshi.com"
    assert painted_colour(banner) == background
    assert banner.toolTip()


def test_production_is_bolder_and_taller_than_local(qtbot) -> None:
    local = VenueBanner(VenueKind.LOCAL, "x")
    prod = VenueBanner(VenueKind.PRODUCTION, "x")
    qtbot.addWidget(local)
    qtbot.addWidget(prod)
    assert prod.sizeHint().height() > local.sizeHint().height()


@pytest.mark.parametrize("kind", list(VenueKind))
def test_banner_text_is_readable_on_its_colour(kind: VenueKind) -> None:
    style = BANNER_STYLES[kind]
    assert contrast(style.foreground, style.background) >= 4.5


def test_banner_colour_ignores_the_application_theme(qtbot, qapp) -> None:
    from workstation.ui.theme import Theme, apply_theme

    banner = VenueBanner(VenueKind.DEMO, "demo")
    qtbot.addWidget(banner)
    banner.resize(600, 40)
    try:
        apply_theme(qapp, Theme.DARK)
        assert painted_colour(banner) == "#f2a900"
    finally:
        apply_theme(qapp, Theme.LIGHT)


def test_label_can_be_empty() -> None:
    assert banner_text(VenueKind.LOCAL, "") == "LOCAL SIMULATOR · no real money"
