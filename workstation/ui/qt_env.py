"""Binding setup and the headless check, done before any Qt object exists.

Two traps live here (DESIGN.md): qasync picks its Qt binding from ``QT_API`` or from
whatever binding is already imported, so we pin ``QT_API=pyside6`` before qasync is
imported; and Qt aborts the process (SIGABRT, which Python cannot catch) when it is asked
for a window with no display and no ``QT_QPA_PLATFORM``, so we look first and say what to
do instead. This module imports no Qt.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping

__all__ = ["NO_DISPLAY_MESSAGE", "ensure_display"]

NO_DISPLAY_MESSAGE = (
    "No display found. Run headless with QT_QPA_PLATFORM=offscreen (screenshots work), "
    "or under xvfb-run."
)

_DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def ensure_display(environ: MutableMapping[str, str] | None = None) -> str | None:
    """Set ``QT_API=pyside6``; return why Qt cannot open a window here, or ``None``.

    Call it before creating the ``QApplication``. Only X11/Wayland systems need a display
    variable: Windows and macOS always have a window system.
    """
    env = os.environ if environ is None else environ
    env["QT_API"] = "pyside6"
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    if any(env.get(name, "").strip() for name in _DISPLAY_VARIABLES):
        return None
    return NO_DISPLAY_MESSAGE
