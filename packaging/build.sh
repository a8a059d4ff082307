#!/usr/bin/env bash
# Build the standalone one-folder Linux application from this checkout.
#
#   packaging/build.sh [--venv DIR] [--archive]
#
# Result: dist/kalshi-fix-workstation/ — run ./workstation inside it (the GUI; `workstation sim`
# or ./workstation-sim for the local venue headless; ./install-desktop.sh adds the menu entry
# and icon for the current user). Nothing outside the folder is needed but the system libraries
# every desktop has (libc, libGL/libEGL, fontconfig, libxkbcommon).
#
#   --venv DIR  the Python environment to build with. Created with `python3 -m venv` and given
#               the project with its `build` extra when it has no PyInstaller yet.
#               Default: build/venv (so a clean checkout needs nothing but python3 and PyPI).
#   --archive   also pack dist/kalshi-fix-workstation-<version>-linux-<arch>.tar.gz
#
# Then check it: packaging/check.sh (what CI runs after this script).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

venv=build/venv
archive=0
while [ $# -gt 0 ]; do
  case "$1" in
    --venv) venv=$2; shift 2 ;;
    --archive) archive=1; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

export PIP_DISABLE_PIP_VERSION_CHECK=1
if [ ! -x "$venv/bin/python" ]; then
  echo "build: creating $venv"
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import PyInstaller' 2>/dev/null; then
  echo "build: installing the project and PyInstaller into $venv"
  "$venv/bin/pip" install -q "$root[build]"
fi

# PyInstaller bundles the system libraries the Qt platform plugins link against; one missing
# here would be missing from the build too, and X11 or Wayland would not start.
qt=$("$venv/bin/python" -c 'import pathlib, PySide6; print(pathlib.Path(PySide6.__file__).parent / "Qt")')
missing=$(ldd "$qt"/plugins/platforms/libq{xcb,wayland}.so "$qt"/plugins/xcbglintegrations/*.so \
  "$qt"/plugins/wayland-*/*.so 2>/dev/null | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
if [ -n "$missing" ]; then
  echo "build: the X11/Wayland plugins need system libraries this machine lacks: $missing" >&2
  echo "build: on Debian/Ubuntu: apt-get install libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0" \
       "libxkbcommon-x11-0 libwayland-cursor0 libwayland-egl1 (see README, Standalone build)" >&2
  exit 1
fi

name=$("$venv/bin/python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["name"])')
version=$("$venv/bin/python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
out=dist/$name

echo "build: $name $version with $("$venv/bin/python" -m PyInstaller --version) (PyInstaller)"
start=$(date +%s)
rm -rf "$out"
"$venv/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/workstation.spec

# The simulator under the name the source install gives it, and the desktop integration.
cat > "$out/workstation-sim" <<'EOF'
#!/bin/sh
# workstation-sim: the local Kalshi venue headless (the same program as `workstation sim`).
exec "$(dirname "$(readlink -f "$0")")/workstation" sim "$@"
EOF
chmod +x "$out/workstation-sim"
install -m 755 packaging/install-desktop.sh "$out/install-desktop.sh"

size=$(du -sm "$out" | cut -f1)
echo "build: $out — ${size} MB, built in $(( $(date +%s) - start )) s"

if [ "$archive" = 1 ]; then
  tarball="dist/$name-$version-linux-$(uname -m).tar.gz"
  tar -C dist -czf "$tarball" "$name"
  echo "build: $tarball — $(du -m "$tarball" | cut -f1) MB"
fi
