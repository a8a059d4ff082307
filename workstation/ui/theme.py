"""Light and dark themes: a Fusion palette, a stylesheet from ``resources/themes``, and the
status colours models use (readable on both backgrounds).

The stylesheets are package data read with :mod:`importlib.resources`, so they load from a
source tree, a wheel or a frozen build alike. Colours used in Python (palette, status
colours) and in the ``.qss`` files describe the same theme; change them together.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

__all__ = ["STATUS_COLORS", "StatusColors", "Theme", "apply_theme", "palette", "stylesheet"]


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusColors:
    """Foreground colours for states, as ``#rrggbb``; each reads on its theme's background."""

    ok: str  #: logged on, working
    busy: str  #: connecting, logging on, reconnecting
    bad: str  #: failed, rejected
    muted: str  #: stopped, disabled, placeholder text
    inbound: str  #: messages received from the venue
    outbound: str  #: messages we sent


STATUS_COLORS: dict[Theme, StatusColors] = {
    Theme.LIGHT: StatusColors(
        ok="#1a7f37",
        busy="#9a6700",
        bad="#c62828",
        muted="#6b7280",
        inbound="#0b6e4f",
        outbound="#1f4fbf",
    ),
    Theme.DARK: StatusColors(
        ok="#3fb950",
        busy="#d29922",
        bad="#f85149",
        muted="#8b949e",
        inbound="#56d4a8",
        outbound="#79a8ff",
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class _PaletteColors:
    window: str
    base: str  #: table and text-box background
    alternate: str  #: every other table row
    text: str
    muted: str  #: placeholder and disabled text
    button: str
    highlight: str  #: selection background
    highlighted_text: str


_PALETTES: dict[Theme, _PaletteColors] = {
    Theme.LIGHT: _PaletteColors(
        window="#f4f5f7",
        base="#ffffff",
        alternate="#f3f5f8",
        text="#1d2430",
        muted="#8a929e",
        button="#f7f8fa",
        highlight="#cfe0ff",
        highlighted_text="#1d2430",
    ),
    Theme.DARK: _PaletteColors(
        window="#1e2126",
        base="#16181c",
        alternate="#1c1f24",
        text="#e6e8eb",
        muted="#7d8590",
        button="#2a2f36",
        highlight="#2c4a7a",
        highlighted_text="#ffffff",
    ),
}


def stylesheet(theme: Theme) -> str:
    """The theme's Qt stylesheet text."""
    source = resources.files("workstation.ui").joinpath("resources", "themes", f"{theme}.qss")
    return source.read_text(encoding="utf-8")


def palette(theme: Theme) -> QPalette:
    """A full palette for the Fusion style, so widgets the stylesheet leaves alone match."""
    colors = _PALETTES[theme]
    text, muted = QColor(colors.text), QColor(colors.muted)
    pal = QPalette()
    role = QPalette.ColorRole
    for r, c in (
        (role.Window, QColor(colors.window)),
        (role.Base, QColor(colors.base)),
        (role.AlternateBase, QColor(colors.alternate)),
        (role.Text, text),
        (role.WindowText, text),
        (role.ButtonText, text),
        (role.ToolTipText, text),
        (role.ToolTipBase, QColor(colors.button)),
        (role.Button, QColor(colors.button)),
        (role.Highlight, QColor(colors.highlight)),
        (role.HighlightedText, QColor(colors.highlighted_text)),
        (role.PlaceholderText, muted),
    ):
        pal.setColor(r, c)
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.Text, role.WindowText, role.ButtonText):
        pal.setColor(disabled, r, muted)
    return pal


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Switch the whole application to ``theme`` (Fusion style, palette, stylesheet)."""
    app.setStyle("Fusion")  # the palette is drawn faithfully by Fusion on every platform
    app.setPalette(palette(theme))
    app.setStyleSheet(stylesheet(theme))
