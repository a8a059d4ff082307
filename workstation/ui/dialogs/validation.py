"""Inline validation for the settings dialogs: field parsers and the red frame on a bad field.

The parsers accept exactly what ``client.config.load_config`` accepts, so a profile the
dialog lets through is one the settings file reads back. A :class:`Problem` names the
widget to mark and the sentence to show; a non-blocking one is a warning (say, a key file
that is not there yet) and does not stop Save.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = [
    "HEARTBEAT_RANGE",
    "PORT_RANGE",
    "Problem",
    "clear_mark",
    "mark",
    "parse_heartbeat",
    "parse_port",
    "profile_name_problem",
]

PORT_RANGE = (1, 65535)
HEARTBEAT_RANGE = (3, 300)  #: seconds; the settings file's limits (Kalshi: "N > 3")
DEFAULT_HEARTBEAT = 30
_PROFILE_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_BASE_TIP = "baseToolTip"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the form: which widget, and what to do about it."""

    widget: QWidget | None
    text: str
    blocking: bool = True


def _whole(text: str) -> int | None:
    stripped = text.strip()
    if not stripped or not stripped.isascii() or not stripped.isdigit():
        return None
    return int(stripped)


def parse_port(text: str) -> tuple[int | None, str]:
    """(port or None for Kalshi's default, problem text or "")."""
    if not text.strip():
        return None, ""
    value = _whole(text)
    low, high = PORT_RANGE
    if value is None or not low <= value <= high:
        return None, f"port must be a whole number from {low} to {high} (or blank for Kalshi's)"
    return value, ""


def parse_heartbeat(text: str) -> tuple[int, str]:
    """(seconds, problem text or ""); blank means the default of 30 s."""
    if not text.strip():
        return DEFAULT_HEARTBEAT, ""
    value = _whole(text)
    low, high = HEARTBEAT_RANGE
    if value is None or not low <= value <= high:
        return DEFAULT_HEARTBEAT, f"heartbeat must be {low} to {high} seconds"
    return value, ""


def profile_name_problem(name: str, taken: bool) -> str:
    """Why ``name`` cannot name a profile (it is a TOML table key), or ""."""
    if not name:
        return "the profile needs a name"
    if not _PROFILE_NAME.match(name):
        return "a profile name uses letters, digits, '-' and '_' only"
    if taken:
        return f"another profile is already called {name!r}"
    return ""


def mark(widget: QWidget, text: str, *, blocking: bool = True) -> None:
    """Frame ``widget`` in the theme's error (or warning) colour; the tooltip says why."""
    colours = STATUS_COLORS[Theme.DARK if is_dark_palette(widget.palette()) else Theme.LIGHT]
    colour = colours.bad if blocking else colours.busy
    if widget.property(_BASE_TIP) is None:
        widget.setProperty(_BASE_TIP, widget.toolTip())
    name = type(widget).__name__
    widget.setStyleSheet(f"{name} {{ border: 1px solid {colour}; }}")
    widget.setToolTip(text)


def clear_mark(widget: QWidget) -> None:
    """Undo :func:`mark` (no-op on an unmarked widget)."""
    base = widget.property(_BASE_TIP)
    if base is None:
        return
    widget.setStyleSheet("")
    widget.setToolTip(str(base))
    widget.setProperty(_BASE_TIP, None)
