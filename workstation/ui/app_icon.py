"""The application icon as a :class:`QIcon` (window, About dialog, welcome)."""

from __future__ import annotations

import logging

from PySide6.QtGui import QIcon

from workstation.resources import ICON_SIZES, ResourceMissing, icon_png_path, icon_svg_path

__all__ = ["app_icon"]

_log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    """Every drawn PNG size plus the SVG for the sizes in between; an empty icon (and one
    warning in the log) when ``resources/`` is not installed."""
    icon = QIcon()
    try:
        for size in ICON_SIZES:
            icon.addFile(str(icon_png_path(size)))
        icon.addFile(str(icon_svg_path()))
    except ResourceMissing as exc:
        _log.warning("no application icon: %s", exc)
        return QIcon()
    return icon
