#!/usr/bin/env bash
# Check a standalone build: the same --screenshot check as the source install, offscreen, plus
# what only a build can get wrong.
#
#   packaging/check.sh [DIST_DIR]        (default dist/kalshi-fix-workstation)
#
# 1. `workstation --version` prints the version of pyproject.toml.
# 2. The folder holds no Qt translations, no plugin outside the kept list, no QML/Quick/
#    WebEngine/Network library and no broken symbolic link; every shared library it holds
#    finds all its dependencies (in the folder or on the system); it is under 150 MB.
# 3. The local venue runs from the build alone: `workstation-sim` starts on free ports, answers
#    an admin command, and stops cleanly on SIGTERM.
# 4. `workstation --screenshot` (QT_QPA_PLATFORM=offscreen, a fresh --data-dir) starts the
#    local venue, logs every session on, writes a real PNG, and leaves workstation.log (with
#    no private key in it, and no word of a missing icon) in <data dir>/logs.
# Exits non-zero at the first failure, saying which.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist/kalshi-fix-workstation}
[ -x "$dist/workstation" ] || { echo "check: no $dist/workstation (run packaging/build.sh)"; exit 1; }
export QT_QPA_PLATFORM=offscreen
work=$(mktemp -d)
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check: FAIL: $*"; exit 1; }
ok() { echo "check: ok: $*"; }

# 1. version
want=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -1)
got=$("$dist/workstation" --version)
[ "$got" = "workstation $want" ] || fail "--version printed '$got', pyproject.toml says $want"
ok "--version: $got"

# 2. contents
internal=$dist/_internal
[ ! -e "$internal/PySide6/Qt/translations" ] || fail "Qt translations are bundled"
unwanted=$(find "$internal" \( -name 'libQt6Qml*' -o -name 'libQt6Quick*' -o -name 'libQt6WebEngine*' \
  -o -name 'libQt6Network*' -o -name 'libQt6Pdf*' -o -name 'libQt6Multimedia*' -o -name 'Qt*.pyi' \) -print)
[ -z "$unwanted" ] || fail "unneeded Qt parts bundled: $unwanted"
plugins=$(cd "$internal/PySide6/Qt/plugins" && find . -name '*.so' | sed 's|^\./||' | sort)
while read -r plugin; do
  case "$plugin" in
    platforms/libqxcb.so|platforms/libqwayland*.so|platforms/libqoffscreen.so) ;;
    xcbglintegrations/*|wayland-*/*|styles/*) ;;
    platforminputcontexts/libcompose*|platforminputcontexts/libibus*) ;;
    iconengines/libqsvgicon.so|imageformats/libqsvg.so) ;;
    *) fail "plugin $plugin is not one the workstation needs" ;;
  esac
done <<< "$plugins"
[ -e "$internal/PySide6/Qt/plugins/platforms/libqoffscreen.so" ] || fail "no offscreen platform"
[ -e "$internal/PySide6/Qt/plugins/platforms/libqxcb.so" ] || fail "no xcb platform"
broken=$(find "$dist" -xtype l -print)
[ -z "$broken" ] || fail "broken symbolic links: $broken"
missing=$(find "$internal" -name '*.so*' -type f -print0 | xargs -0 -n 20 ldd 2>/dev/null \
  | awk '/:$/ {file=$1} /not found/ {print file, $1}' | sort -u)
[ -z "$missing" ] || fail "libraries with unresolved dependencies:"$'\n'"$missing"
size_mb=$(du -sm "$dist" | cut -f1)
[ "$size_mb" -lt 150 ] || fail "the folder is $size_mb MB (target: under 150 MB)"
ok "contents: $(echo "$plugins" | wc -l) Qt plugins, no translations, every library resolves, ${size_mb} MB"

# 3. the local venue, headless, from the build
"$dist/workstation-sim" --base-port 0 --ready-file "$work/sim.json" > "$work/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do [ -s "$work/sim.json" ] && break; sleep 0.1; done
[ -s "$work/sim.json" ] || { cat "$work/sim.log"; fail "workstation-sim wrote no ready file in 10 s"; }
"$dist/workstation" sim admin --ready-file "$work/sim.json" markets > "$work/markets.json" \
  || fail "the simulator's admin port did not answer 'markets'"
grep -q '"ok": true' "$work/markets.json" || fail "admin 'markets' was refused: $(cat "$work/markets.json")"
kill -TERM "$sim_pid"
sim_status=0
wait "$sim_pid" || sim_status=$?
sim_pid=""
[ "$sim_status" = 0 ] || { cat "$work/sim.log"; fail "workstation-sim exited $sim_status on SIGTERM"; }
ok "workstation-sim: started, answered the admin port, stopped cleanly"

# 4. the --screenshot check, as for the source install
data=$work/data
start=$(date +%s%N)
"$dist/workstation" --data-dir "$data" --screenshot "$work/window.png" \
  || fail "workstation --screenshot exited non-zero"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
seconds=$(printf '%d.%02d' $((ms / 1000)) $((ms % 1000 / 10)))
[ "$(head -c 8 "$work/window.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] \
  || fail "$work/window.png is not a PNG"
png_bytes=$(stat -c %s "$work/window.png")
[ "$png_bytes" -gt 20000 ] || fail "the screenshot is only $png_bytes bytes"
[ -s "$data/logs/workstation.log" ] || fail "no log in $data/logs"
! grep -q "PRIVATE KEY" "$data/logs/workstation.log" || fail "a private key reached the log"
! grep -q "no application icon" "$data/logs/workstation.log" || fail "the build did not find resources/"
if [ -n "${CHECK_SCREENSHOT:-}" ]; then cp "$work/window.png" "$CHECK_SCREENSHOT"; fi
ok "--screenshot offscreen: logged on, ${png_bytes}-byte PNG in ${seconds} s (first run: keys made), log written"
echo "check: all passed for $dist"
