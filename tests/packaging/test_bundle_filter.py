"""What the build keeps of what PyInstaller collects (packaging/bundle_filter.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bundle_filter", ROOT / "packaging" / "bundle_filter.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bf = _load()
QT = "PySide6/Qt"

# (destination, typecode, the sonames it links against) — the shape of a PySide6 build.
BINARIES: list[tuple[str, str, tuple[str, ...]]] = [
    ("PySide6/QtGui.abi3.so", "EXTENSION", ("libQt6Gui.so.6",)),
    ("python3.11/lib-dynload/_ssl.cpython-311-x86_64-linux-gnu.so", "EXTENSION",
     ("libssl.so.3",)),
    ("libssl.so.3", "BINARY", ("libcrypto.so.3",)),
    ("libcrypto.so.3", "BINARY", ()),
    ("libpython3.11.so.1.0", "BINARY", ("libz.so.1",)),
    ("libz.so.1", "BINARY", ()),
    (f"{QT}/lib/libQt6Gui.so.6", "BINARY", ("libQt6Core.so.6", "libQt6DBus.so.6")),
    (f"{QT}/lib/libQt6Core.so.6", "BINARY", ("libicuuc.so.73", "libc.so.6")),
    (f"{QT}/lib/libicuuc.so.73", "BINARY", ()),
    (f"{QT}/lib/libQt6DBus.so.6", "BINARY", ("libdbus-1.so.3",)),
    ("libdbus-1.so.3", "BINARY", ()),
    (f"{QT}/plugins/platforms/libqxcb.so", "BINARY", ("libQt6XcbQpa.so.6",)),
    (f"{QT}/plugins/platforms/libqoffscreen.so", "BINARY", ("libQt6Gui.so.6",)),
    (f"{QT}/lib/libQt6XcbQpa.so.6", "BINARY", ("libxcb-cursor.so.0",)),
    ("libxcb-cursor.so.0", "BINARY", ()),
    (f"{QT}/plugins/platforms/libqeglfs.so", "BINARY", ("libQt6EglFSDeviceIntegration.so.6",)),
    (f"{QT}/lib/libQt6EglFSDeviceIntegration.so.6", "BINARY", ("libQt6Gui.so.6",)),
    (f"{QT}/plugins/platformthemes/libqgtk3.so", "BINARY", ("libcairo.so.2",)),
    ("libcairo.so.2", "BINARY", ("libpixman-1.so.0", "libz.so.1")),
    ("libpixman-1.so.0", "BINARY", ()),
    (f"{QT}/plugins/imageformats/libqsvg.so", "BINARY", ("libQt6Svg.so.6",)),
    (f"{QT}/lib/libQt6Svg.so.6", "BINARY", ("libQt6Gui.so.6",)),
    (f"{QT}/plugins/imageformats/libqjpeg.so", "BINARY", ("libjpeg.so.62",)),
    ("libjpeg.so.62", "BINARY", ()),
]
DATAS = [
    (f"{QT}/translations/qtbase_de.qm", f"/wheel/{QT}/translations/qtbase_de.qm", "DATA"),
    ("resources/kalshi-fix-workstation.desktop", "/src/resources/x.desktop", "DATA"),
    ("workstation/ui/resources/themes/dark.qss", "/src/dark.qss", "DATA"),
    ("libQt6Core.so.6", f"{QT}/lib/libQt6Core.so.6", "SYMLINK"),
    ("libQt6EglFSDeviceIntegration.so.6", f"{QT}/lib/libQt6EglFSDeviceIntegration.so.6",
     "SYMLINK"),
]
NEEDED = {f"/src/{dest}": libs for dest, _typecode, libs in BINARIES}


def needed(source: str) -> Iterable[str]:
    return NEEDED[source]


def run_filter() -> tuple[set[str], set[str], list[str]]:
    binaries = [(dest, f"/src/{dest}", typecode) for dest, typecode, _libs in BINARIES]
    kept, datas, dropped = bf.filter_bundle(binaries, DATAS, needed)
    return {e[0] for e in kept}, {e[0] for e in datas}, dropped


@pytest.mark.parametrize(
    ("plugin", "kept"),
    [
        ("platforms/libqxcb.so", True),
        ("platforms/libqwayland.so", True),
        ("platforms/libqoffscreen.so", True),
        ("platforms/libqeglfs.so", False),
        ("platforms/libqvnc.so", False),
        ("platforms/libqlinuxfb.so", False),
        ("platformthemes/libqgtk3.so", False),
        ("imageformats/libqsvg.so", True),
        ("imageformats/libqjpeg.so", False),
        ("iconengines/libqsvgicon.so", True),
        ("xcbglintegrations/libqxcb-glx-integration.so", True),
        ("wayland-shell-integration/libxdg-shell.so", True),
        ("platforminputcontexts/libcomposeplatforminputcontextplugin.so", True),
        ("platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        ("tls/libqopensslbackend.so", False),
        ("generic/libqevdevmouseplugin.so", False),
    ],
)
def test_plugins_kept_are_the_ones_a_desktop_and_offscreen_need(plugin: str, kept: bool) -> None:
    dest = f"{QT}/plugins/{plugin}"
    assert bf.is_qt_plugin(dest)
    assert bf.keep_qt_plugin(dest) is kept


def test_dropped_plugins_take_the_libraries_only_they_used_with_them() -> None:
    kept, _datas, dropped = run_filter()
    assert {
        f"{QT}/plugins/platforms/libqeglfs.so",
        f"{QT}/lib/libQt6EglFSDeviceIntegration.so.6",
        f"{QT}/plugins/platformthemes/libqgtk3.so",
        "libcairo.so.2",
        "libpixman-1.so.0",
        f"{QT}/plugins/imageformats/libqjpeg.so",
        "libjpeg.so.62",
    } <= set(dropped)
    assert kept.isdisjoint(dropped)


def test_libraries_still_needed_stay_even_when_a_dropped_plugin_also_used_them() -> None:
    kept, _datas, _dropped = run_filter()
    assert "libz.so.1" in kept  # cairo (dropped) and libpython (kept) both link it
    assert f"{QT}/lib/libQt6Gui.so.6" in kept  # eglfs integration (dropped) linked it too
    assert {"libssl.so.3", "libcrypto.so.3", "libdbus-1.so.3", "libxcb-cursor.so.0",
            f"{QT}/lib/libicuuc.so.73", f"{QT}/lib/libQt6Svg.so.6",
            f"{QT}/lib/libQt6XcbQpa.so.6", "libpython3.11.so.1.0"} <= kept


def test_translations_and_links_to_dropped_libraries_go_and_the_rest_of_datas_stay() -> None:
    _kept, datas, dropped = run_filter()
    assert datas == {
        "resources/kalshi-fix-workstation.desktop",
        "workstation/ui/resources/themes/dark.qss",
        "libQt6Core.so.6",
    }
    assert f"{QT}/translations/qtbase_de.qm" in dropped
    assert "libQt6EglFSDeviceIntegration.so.6" in dropped
