#!/usr/bin/env bash
# Add the Kalshi FIX Workstation to the current user's application menu.
#
#   ./install-desktop.sh            (inside the built folder, dist/kalshi-fix-workstation/)
#   ./install-desktop.sh --remove
#
# Copies the desktop entry (with Exec= pointing at this folder's executable) to
# ~/.local/share/applications and the icons to ~/.local/share/icons/hicolor (honouring
# XDG_DATA_HOME). The folder itself stays where it is; run this again after moving it.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
app_id=kalshi-fix-workstation
data=${XDG_DATA_HOME:-$HOME/.local/share}
resources=$here/_internal/resources
[ -d "$resources" ] || resources=$here/../resources  # run from a checkout's packaging/

if [ "${1:-}" = "--remove" ]; then
  rm -f "$data/applications/$app_id.desktop"
  find "$data/icons/hicolor" -name "$app_id.*" -delete 2>/dev/null || true
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
  echo "install-desktop: removed $app_id from $data"
  exit 0
fi

exe=$here/workstation
[ -x "$exe" ] || exe=workstation  # a checkout: the workstation on PATH
mkdir -p "$data/applications"
sed -e "s|^Exec=.*|Exec=\"$exe\"|" -e "s|^TryExec=.*|TryExec=$exe|" \
  "$resources/$app_id.desktop" > "$data/applications/$app_id.desktop"
mkdir -p "$data/icons"
cp -r "$resources/icons/hicolor" "$data/icons/"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
echo "install-desktop: $data/applications/$app_id.desktop -> $exe"
