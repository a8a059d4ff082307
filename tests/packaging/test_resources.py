"""Resources found from source the way the build finds them: icon, PNG sizes, desktop entry."""

from __future__ import annotations

import configparser
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import workstation
from workstation.resources import (
    APP_ID,
    ICON_SIZES,
    RESOURCES_DIR,
    ResourceMissing,
    desktop_entry_path,
    icon_png_path,
    icon_svg_path,
    resource_path,
)

ROOT = Path(__file__).resolve().parents[2]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_resources_sit_beside_the_package_in_the_checkout() -> None:
    # The spec copies resources/ to _internal/resources, beside _internal/workstation: the
    # same relation, so the same rule finds it in the build.
    assert RESOURCES_DIR == ROOT / "resources"
    assert RESOURCES_DIR.parent == Path(workstation.__file__).resolve().parent.parent
    spec = (ROOT / "packaging" / "workstation.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources"), "resources")' in spec


def test_the_svg_icon_is_square_svg() -> None:
    root = ET.parse(icon_svg_path()).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"


@pytest.mark.parametrize("size", ICON_SIZES)
def test_each_png_is_drawn_at_its_size(size: int) -> None:
    path = icon_png_path(size)
    assert path.parent.parent.name == f"{size}x{size}"  # the hicolor theme layout
    assert png_size(path) == (size, size)


def test_a_size_that_was_not_drawn_is_refused() -> None:
    with pytest.raises(ValueError, match="no 20 px icon"):
        icon_png_path(20)


def test_a_missing_resource_says_where_it_looked() -> None:
    with pytest.raises(ResourceMissing, match=r"nothing\.txt is not in .*resources"):
        resource_path("nothing.txt")


def test_the_desktop_entry_launches_the_workstation_with_its_icon() -> None:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(desktop_entry_path(), encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Kalshi FIX Workstation"
    assert entry["Exec"] == "workstation"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";") and "Finance" in entry["Categories"].split(";")
    assert desktop_entry_path().name == f"{APP_ID}.desktop"
