"""Themes: both stylesheets load and parse, the palette switches, status colours contrast."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from workstation.ui.theme import STATUS_COLORS, Theme, apply_theme, palette, stylesheet


def luminance(color: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    q = QColor(color)
    return 0.2126 * channel(q.redF()) + 0.7152 * channel(q.greenF()) + 0.0722 * channel(q.blueF())


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("theme", list(Theme))
def test_stylesheet_loads_from_the_package(theme: Theme) -> None:
    text = stylesheet(theme)
    assert "QTableView" in text and "QToolTip" in text
    assert text.count("{") == text.count("}")


@pytest.mark.parametrize("theme", list(Theme))
def test_status_colours_are_readable_on_the_table_background(theme: Theme) -> None:
    base = palette(theme).color(QPalette.ColorRole.Base).name()
    colors = STATUS_COLORS[theme]
    for name in ("ok", "busy", "bad", "muted", "inbound", "outbound"):
        # WCAG AA for normal text is 4.5:1; state words are short and bold-free, so hold it.
        assert contrast(getattr(colors, name), base) >= 4.5, name


def test_apply_theme_switches_palette_and_stylesheet(qapp: QApplication) -> None:
    try:
        apply_theme(qapp, Theme.DARK)
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == "#1e2126"
        assert qapp.styleSheet() == stylesheet(Theme.DARK)
        apply_theme(qapp, Theme.LIGHT)
        assert qapp.palette().color(QPalette.ColorRole.Base).name() == "#ffffff"
        assert qapp.styleSheet() == stylesheet(Theme.LIGHT)
    finally:
        apply_theme(qapp, Theme.LIGHT)
