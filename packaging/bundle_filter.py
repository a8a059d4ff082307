"""What goes into the standalone build: the Qt plugins the workstation needs, nothing else.

PyInstaller's Qt hooks collect every plugin of every type QtGui and QtWidgets *might* use
(EGLFS, VNC, Linux framebuffer, GTK platform theme, TLS backends, …) and every Qt
translation, and then every shared library those plugins link against. The spec passes its
lists through :func:`filter_bundle`, which keeps:

- the platforms a desktop trader or a CI check runs on: ``xcb`` (X11), ``wayland`` and
  ``offscreen`` (``--screenshot`` checks), with the xcb GL integrations and the Wayland
  shell/decoration/graphics plugins they load;
- input contexts (compose keys, IBus), the SVG icon engine and image format (PNG is built
  into QtGui), and any widget style plugin;
- no translations (the UI is English) and no other plugin type;

and then drops every shared library no kept binary needs any more (the libraries are kept
when reachable through ELF ``NEEDED`` entries from the Python extension modules, libpython
and the kept plugins). The functions are plain Python over PyInstaller's ``(dest, source,
typecode)`` tuples, so they are tested without building.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

__all__ = [
    "KEPT_PLUGINS",
    "Entry",
    "filter_bundle",
    "is_qt_plugin",
    "is_translation",
    "keep_qt_plugin",
    "reachable_libraries",
]

Entry = tuple[str, str, str]  #: PyInstaller TOC entry: (destination, source, typecode)

#: plugin type -> the plugin file names kept (None: every plugin of that type)
KEPT_PLUGINS: dict[str, frozenset[str] | None] = {
    "platforms": frozenset({"libqxcb.so", "libqwayland.so", "libqoffscreen.so",
                            "libqwayland-egl.so", "libqwayland-generic.so"}),
    "xcbglintegrations": None,
    "wayland-shell-integration": None,
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": None,
    "platforminputcontexts": frozenset({"libcomposeplatforminputcontextplugin.so",
                                        "libibusplatforminputcontextplugin.so"}),
    "iconengines": frozenset({"libqsvgicon.so"}),
    "imageformats": frozenset({"libqsvg.so"}),
    "styles": None,
}

_LIBRARY_TYPES = frozenset({"BINARY", "EXTENSION"})
_PLUGIN_ROOT = ("PySide6", "Qt", "plugins")
_TRANSLATIONS = ("PySide6", "Qt", "translations")


def _link_target(entry: Entry) -> str:
    link, target = entry[0].replace("\\", "/"), entry[1].replace("\\", "/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(link), target))


def _parts(dest: str) -> tuple[str, ...]:
    return PurePosixPath(dest.replace("\\", "/")).parts


def is_qt_plugin(dest: str) -> bool:
    parts = _parts(dest)
    return parts[:3] == _PLUGIN_ROOT and len(parts) >= 5


def keep_qt_plugin(dest: str) -> bool:
    """Whether a file under ``PySide6/Qt/plugins/<type>/`` is one the workstation needs."""
    parts = _parts(dest)
    kind, name = parts[3], parts[-1]
    if kind not in KEPT_PLUGINS:
        return False
    names = KEPT_PLUGINS[kind]
    return names is None or name in names


def is_translation(dest: str) -> bool:
    return _parts(dest)[:3] == _TRANSLATIONS


def _is_root(entry: Entry) -> bool:
    dest, _source, typecode = entry
    name = _parts(dest)[-1]
    return typecode == "EXTENSION" or is_qt_plugin(dest) or name.startswith("libpython")


def reachable_libraries(
    binaries: Iterable[Entry], needed: Callable[[str], Iterable[str]]
) -> set[str]:
    """Destinations of the binaries reachable from the roots through ``needed``.

    ``needed(source)`` gives the library names (ELF sonames) a binary links against; a name
    matches every binary whose destination's last part is that name.
    """
    entries = list(binaries)
    by_name: dict[str, list[Entry]] = {}
    for entry in entries:
        by_name.setdefault(_parts(entry[0])[-1], []).append(entry)
    seen: set[str] = set()
    todo = [entry for entry in entries if _is_root(entry)]
    while todo:
        dest, source, _typecode = todo.pop()
        if dest in seen:
            continue
        seen.add(dest)
        for lib in needed(source):
            todo.extend(e for e in by_name.get(PurePosixPath(lib).name, []) if e[0] not in seen)
    return seen


def filter_bundle(
    binaries: Iterable[Entry],
    datas: Iterable[Entry],
    needed: Callable[[str], Iterable[str]],
) -> tuple[list[Entry], list[Entry], list[str]]:
    """(binaries, datas, dropped destinations) with unneeded plugins, translations, the
    libraries only they used, and the symbolic links to any of those taken out."""
    gone: set[str] = set()
    kept = []
    for entry in binaries:
        if is_qt_plugin(entry[0]) and not keep_qt_plugin(entry[0]):
            gone.add(entry[0])
        else:
            kept.append(entry)
    reachable = reachable_libraries(kept, needed)
    gone.update(e[0] for e in kept if e[2] in _LIBRARY_TYPES and e[0] not in reachable)
    gone.update(
        e[0] for e in datas
        if is_translation(e[0]) or (is_qt_plugin(e[0]) and not keep_qt_plugin(e[0]))
    )
    # PyInstaller puts a SYMLINK entry (link, target relative to the link's folder) in the
    # top folder for libraries collected deeper; it goes when its target went.
    for entry in (*kept, *datas):
        if entry[2] == "SYMLINK" and _link_target(entry) in gone:
            gone.add(entry[0])
    return (
        [e for e in kept if e[0] not in gone],
        [e for e in datas if e[0] not in gone],
        sorted(gone),
    )
