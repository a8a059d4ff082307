"""Where the application's own files (icon, desktop entry) are: the ``resources/`` folder.

One rule, with no case for frozen builds: ``resources/`` sits beside the ``workstation``
package. In a source checkout (and an editable install) that is the repository's
``resources/``; in the PyInstaller one-folder build the spec copies it to the same place
relative to the bundled package (``_internal/resources`` beside ``_internal/workstation``),
because PyInstaller gives every bundled module a ``__file__`` under that folder. A plain wheel
does not carry ``resources/``; asking for a file there raises :class:`ResourceMissing`, which
says where it looked, and the UI goes on without an icon.

Package data that code reads (the ``.qss`` themes) stays inside the package and is read with
:mod:`importlib.resources`, which also works in all three layouts. This module imports no Qt.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "APP_ID",
    "DESKTOP_ENTRY",
    "ICON_SIZES",
    "RESOURCES_DIR",
    "ResourceMissing",
    "desktop_entry_path",
    "icon_png_path",
    "icon_svg_path",
    "resource_path",
]

#: The reverse-DNS-free id the desktop entry, the icon files and Wayland's app id share.
APP_ID = "kalshi-fix-workstation"
DESKTOP_ENTRY = f"{APP_ID}.desktop"
#: Square PNG sizes drawn from the SVG (``resources/icons/hicolor/NxN/apps``).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

RESOURCES_DIR = Path(__file__).resolve().parent.parent / "resources"


class ResourceMissing(FileNotFoundError):
    """A file of ``resources/`` is not where the application expects it."""


def resource_path(*parts: str) -> Path:
    """The path of ``resources/<parts…>``; :class:`ResourceMissing` when it does not exist."""
    path = RESOURCES_DIR.joinpath(*parts)
    if not path.exists():
        raise ResourceMissing(
            f"{'/'.join(parts)} is not in {RESOURCES_DIR} (a wheel install carries no "
            "resources/; run from a checkout or the standalone build)"
        )
    return path


def icon_svg_path() -> Path:
    """The scalable application icon."""
    return resource_path("icons", "hicolor", "scalable", "apps", f"{APP_ID}.svg")


def icon_png_path(size: int) -> Path:
    """The application icon drawn at ``size``×``size`` pixels (one of :data:`ICON_SIZES`)."""
    if size not in ICON_SIZES:
        raise ValueError(f"no {size} px icon; sizes are {', '.join(map(str, ICON_SIZES))}")
    return resource_path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png")


def desktop_entry_path() -> Path:
    """The freedesktop.org desktop entry (``Exec=workstation``)."""
    return resource_path(DESKTOP_ENTRY)
