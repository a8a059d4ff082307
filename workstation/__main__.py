"""``workstation``: the desktop GUI (default), ``workstation keygen``, and ``workstation sim``
(the local venue headless: everything after ``sim`` goes to ``workstation-sim`` unchanged, so
the standalone build, which has one executable, carries the simulator too)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workstation import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workstation",
        description="Kalshi FIX workstation. With no settings it trades on a local simulator.",
    )
    parser.add_argument("--version", action="version", version=f"workstation {__version__}")
    parser.add_argument("--config", type=Path, help="settings file (TOML)")
    parser.add_argument(
        "--data-dir", type=Path, help="keep every file (settings included) under this directory"
    )
    parser.add_argument(
        "--screenshot", type=Path, metavar="PNG",
        help="start, wait until every session is logged on, save the window, exit",
    )
    parser.add_argument(
        "--no-flow", action="store_true", help="local venue without simulated participants"
    )
    sub = parser.add_subparsers(dest="command")
    from workstation.keygen_cli import add_keygen_parser  # noqa: PLC0415

    add_keygen_parser(sub)
    sim = sub.add_parser(
        "sim", add_help=False, prefix_chars="\0",  # no options of its own: all are passed on
        help="run the local Kalshi venue headless (the same as workstation-sim; sim --help)",
    )
    sim.add_argument("sim_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "keygen":
        from workstation.keygen_cli import run_keygen  # noqa: PLC0415

        return run_keygen(args)
    if args.command == "sim":
        from workstation.simulator.cli import main as sim_main  # noqa: PLC0415

        return sim_main(args.sim_args)
    from workstation.app import run_gui  # noqa: PLC0415

    return run_gui(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
