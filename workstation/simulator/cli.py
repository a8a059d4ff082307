"""``workstation-sim``: run the local Kalshi venue, or send it an admin command.

Scripting contract (tests and demos rely on it)::

    workstation-sim --base-port 0 --ready-file PATH --key UUID=PUBKEY.pem [--key …]
        [--accounts FILE] [--markets FILE] [--state-dir DIR] [--flow|--no-flow] [--seed N]
        [--tls-cert C --tls-key K] [--dialect current|1.0.13] [--host 127.0.0.1]

Once every listener is up it writes PATH atomically as JSON::

    {"host": "127.0.0.1", "tls": false,
     "sessions": {"KalshiNR": port, "KalshiDC": port, "KalshiRT": port, "KalshiPT": port,
                  "KalshiRFQ": port},
     "admin": port, "rest": port, "venue_id": "…", "accounts": {"<key UUID>": "<account id>"},
     "dialect": "current"}

Every port is a bare number on ``host``; the REST API is at
``http://{host}:{rest}/trade-api/v2`` (:func:`rest_base_url`). ``dialect`` (``current`` or
``1.0.13``, the ``--dialect`` the venue follows) is an extra beyond the contract, and
``certificate`` (the ``--tls-cert`` path) is there when TLS is on. A ``--ready-file`` whose
directory does not exist is refused before anything listens (exit 2).
SIGINT/SIGTERM: Logout every session, flush state, exit 0; with ``--stop-on-stdin-eof`` the
same when standard input closes (how the workstation ties its local venue to its own life).

    workstation-sim admin (--ready-file PATH | --port N) [--host H] COMMAND [NAME=VALUE …]

sends one admin command (see :mod:`workstation.simulator.admin.protocol`) and prints the
answer as JSON. Each ``NAME=VALUE`` is one argument; VALUE is read as JSON when it is JSON
(``applied=true``, ``advance=3600``, ``value=0.35`` as an exact decimal) and as text otherwise
(``ticker=KXCPIYOY-26OCT-T3.2``); ``--json '{"cmd": …}'`` sends a whole request instead.
Exit status: 0 when the answer is ``ok``, 1 when the command was refused, 2 when the port
cannot be reached or the command line is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.fix.dialect import Dialect
from workstation.fix.keys import KeyFileError, load_public_key
from workstation.runtime import tune_gc
from workstation.simulator.accounts_file import AccountsFileError, load_accounts_file
from workstation.simulator.exchange.markets_file import MarketsFileError
from workstation.simulator.registry import KeyRegistry, RegisteredKey
from workstation.simulator.settings import VenueSettings

__all__ = [
    "REST_PREFIX",
    "admin_main",
    "build_admin_parser",
    "build_parser",
    "main",
    "rest_base_url",
    "settings_from_args",
]

#: The path of the REST API on the ``rest`` port (``rest.handlers.API_PREFIX``).
REST_PREFIX = "/trade-api/v2"


class UsageError(Exception):
    """A command-line value is unusable; the message says which and why."""


def rest_base_url(info: dict[str, Any]) -> str:
    """The REST API's base URL from a ready file's ``host`` and ``rest`` port."""
    return f"http://{info['host']}:{int(info['rest'])}{REST_PREFIX}"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workstation-sim",
        description="Local Kalshi FIX exchange simulator (all five session types on loopback).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default loopback)"
    )
    parser.add_argument(
        "--base-port", type=int, default=8228,
        help="first port of the 8228-8232 layout; 0 lets the OS choose every port",
    )
    parser.add_argument(
        "--ready-file", type=Path,
        help="once listening, write here as JSON: host, tls, sessions {type: port}, admin "
        "(port), rest (port), venue_id, accounts {key: account}, and dialect; its directory "
        "must exist",
    )
    parser.add_argument(
        "--key", action="append", default=[], metavar="UUID=PUBKEY.pem",
        help="register an API key that is its own account (repeatable)",
    )
    parser.add_argument("--accounts", type=Path, help="TOML file of accounts and their keys")
    parser.add_argument("--markets", type=Path, help="TOML file of events and markets")
    parser.add_argument("--state-dir", type=Path, help="keep orders, fills and sequences here")
    parser.add_argument(
        "--flow", action=argparse.BooleanOptionalAction, default=False,
        help="simulated makers and takers on every open market (default off)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the simulated flow")
    parser.add_argument("--tls-cert", type=Path)
    parser.add_argument("--tls-key", type=Path)
    parser.add_argument(
        "--dialect", choices=[d.value for d in Dialect], default=Dialect.CURRENT.value,
        help="which Kalshi rules to follow where versions differ (default current)",
    )
    parser.add_argument(
        "--stop-on-stdin-eof", action="store_true",
        help="stop (as on SIGTERM) when standard input closes: a program that runs the venue "
        "as its child keeps a pipe open, so the venue stops with it even if it is killed",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each connection")
    return parser


def settings_from_args(args: argparse.Namespace) -> VenueSettings:
    registry = KeyRegistry()
    if args.accounts is not None:
        load_accounts_file(args.accounts, registry)
    for item in args.key:
        key_id, sep, path = item.partition("=")
        if not sep or not key_id or not path:
            raise UsageError(f"--key {item!r}: expected UUID=PUBKEY.pem")
        public_key = load_public_key(path)
        registry.add_key(RegisteredKey(key_id=key_id, account=key_id, public_key=public_key))
    if (args.tls_cert is None) != (args.tls_key is None):
        raise UsageError("--tls-cert and --tls-key go together")
    if args.ready_file is not None and not args.ready_file.parent.is_dir():
        directory = args.ready_file.parent
        raise UsageError(f"--ready-file {args.ready_file}: directory {directory} does not exist")
    return VenueSettings(
        host=args.host,
        base_port=args.base_port,
        dialect=Dialect(args.dialect),
        registry=registry,
        markets_file=args.markets,
        state_dir=args.state_dir,
        flow=args.flow,
        seed=args.seed,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        ready_file=args.ready_file,
    )


class _EndOfInput(asyncio.Protocol):
    """Sets ``stop`` when the pipe on standard input reaches its end (the parent is gone)."""

    def __init__(self, stop: asyncio.Event) -> None:
        self._stop = stop

    def eof_received(self) -> bool:
        self._stop.set()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop.set()


async def _serve(settings: VenueSettings, *, stop_on_stdin_eof: bool = False) -> int:
    from workstation.simulator.assembly import build_venue  # noqa: PLC0415 - heavy import

    venue = build_venue(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    if stop_on_stdin_eof:
        await loop.connect_read_pipe(lambda: _EndOfInput(stop), sys.stdin)
    info = await venue.start()
    tune_gc()  # start-up objects frozen; rarer young-generation collections (runtime.py)
    ports = ", ".join(f"{name} {port}" for name, port in info["sessions"].items())
    print(f"workstation-sim: listening on {info['host']}: {ports}", flush=True)
    if "admin" in info:
        print(f"workstation-sim: admin port {info['admin']}", flush=True)
    if "rest" in info:
        print(f"workstation-sim: REST {rest_base_url(info)}", flush=True)
    await stop.wait()
    await venue.stop()
    return 0


def build_admin_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workstation-sim admin",
        description="Send one command to a running simulator's admin port and print the answer.",
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--ready-file", type=Path, help="the ready file the simulator wrote")
    where.add_argument("--port", type=int, help="the admin port")
    parser.add_argument("--host", default="127.0.0.1", help="admin host (default loopback)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait")
    parser.add_argument("--json", dest="request", help="a whole request as a JSON object")
    parser.add_argument("command", nargs="?", help="the command, e.g. settle (try help)")
    parser.add_argument("arguments", nargs="*", metavar="NAME=VALUE", help="its arguments")
    return parser


def _argument_value(text: str) -> Any:
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError:
        return text


def _admin_request(args: argparse.Namespace) -> dict[str, Any]:
    if args.request is not None:
        if args.command is not None:
            raise UsageError("give either --json or COMMAND NAME=VALUE…, not both")
        try:
            request = json.loads(args.request, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise UsageError(f"--json is not JSON: {exc}") from None
        if not isinstance(request, dict):
            raise UsageError("--json must be a JSON object")
        return request
    if args.command is None:
        raise UsageError("name a command (try: help)")
    request = {"cmd": args.command}
    for item in args.arguments:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError(f"{item!r}: expected NAME=VALUE")
        request[name] = _argument_value(value)
    return request


def _admin_address(args: argparse.Namespace) -> tuple[str, int]:
    if args.port is not None:
        return args.host, args.port
    try:
        info = json.loads(Path(args.ready_file).read_text(encoding="utf-8"))
        return str(info["host"]), int(info["admin"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"--ready-file {args.ready_file}: no admin port in it ({exc})") from None


def admin_main(argv: list[str]) -> int:
    """``workstation-sim admin …``: 0 ok, 1 refused, 2 unreachable or bad usage."""
    from workstation.simulator.admin.client import (  # noqa: PLC0415 - only for this command
        AdminConnectionError,
        send_command,
    )

    args = build_admin_parser().parse_args(argv)
    try:
        host, port = _admin_address(args)
        answer = send_command(host, port, _admin_request(args), timeout=args.timeout)
    except (UsageError, AdminConnectionError) as exc:
        print(f"workstation-sim admin: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(_plain(answer), indent=2))
    return 0 if answer.get("ok") is True else 1


def _plain(value: Any) -> Any:
    """JSON numbers the client read as Decimal, back as numbers for printing (the admin port
    sends money as strings, so these are only times, offsets and counts)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["admin"]:
        return admin_main(argv[1:])
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )
    try:
        settings = settings_from_args(args)
        return asyncio.run(_serve(settings, stop_on_stdin_eof=args.stop_on_stdin_eof))
    except (UsageError, AccountsFileError, MarketsFileError, KeyFileError, ValueError) as exc:
        print(f"workstation-sim: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"workstation-sim: cannot start: {exc}", file=sys.stderr)
        return 1
