"""Size and start-up of the standalone build next to the source install (prints figures).

    python packaging/measure.py [--dist dist/kalshi-fix-workstation] [--runs 5]

Start-up is ``workstation --data-dir TMP --screenshot X.png`` (offscreen) from spawn to exit:
the window shown, the local venue started, every session logged on, the first market poll
applied, the window saved — the ``--screenshot`` path waits a fixed 0.5 s before it grabs,
inside every figure. Each program gets its own data directory; its first run (which makes the
local account's four RSA keys) is reported apart, then ``--runs`` runs reuse the directory
and the median, minimum and maximum are printed. The runs alternate between the two programs
so that a busy moment of the machine does not land on one of them only. The source install
is the ``workstation`` beside this Python (``python -m pip install -e .``).

Targets (issue 6): the folder under 150 MB; start-up within 1.2× the source install's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def folder_bytes(path: Path) -> int:
    """Bytes of the regular files under ``path`` (symbolic links not followed or counted)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def start_once(command: list[str], data_dir: Path) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    shot = data_dir / "startup.png"
    began = time.perf_counter()
    done = subprocess.run(
        [*command, "--data-dir", str(data_dir), "--screenshot", str(shot)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"measure: {command[0]} failed ({done.returncode}): {done.stderr}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "kalshi-fix-workstation")
    parser.add_argument("--runs", type=int, default=5, help="warm runs of each (default 5)")
    args = parser.parse_args(argv)

    built = args.dist / "workstation"
    source = Path(sys.executable).parent / "workstation"
    if not built.exists():
        print(f"measure: no {built}; run packaging/build.sh first", file=sys.stderr)
        return 1
    if not source.exists():
        print(f"measure: no {source}; install the project into this Python", file=sys.stderr)
        return 1

    size = folder_bytes(args.dist)
    print(f"folder: {args.dist} — {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB), "
          f"{sum(1 for _ in args.dist.rglob('*'))} entries")
    programs = {"source": [str(source)], "built": [str(built)]}
    work = Path(tempfile.mkdtemp(prefix="ws-measure-"))
    try:
        first = {name: start_once(cmd, work / name) for name, cmd in programs.items()}
        warm: dict[str, list[float]] = {name: [] for name in programs}
        for _ in range(args.runs):
            for name, cmd in programs.items():
                warm[name].append(start_once(cmd, work / name))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for name in programs:
        times = warm[name]
        print(f"start-up {name:>6}: first run {first[name]:.2f} s (keys made); "
              f"then median {statistics.median(times):.2f} s, "
              f"min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs")
    ratio = statistics.median(warm["built"]) / statistics.median(warm["source"])
    print(f"built / source (median): {ratio:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
