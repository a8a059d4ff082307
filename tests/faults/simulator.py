"""The venue for the fault scenarios: ``workstation-sim`` as a child process, as a trader runs it.

:class:`Simulator` writes an accounts file (the desk's account with one key per session type,
and a counterparty account) and a markets file, then starts ``python -m workstation.simulator``
on OS-assigned loopback ports with ``--state-dir`` and seeded ``--flow``. It can be killed
(``SIGKILL``, the harshest restart) or stopped (``SIGTERM``: Logout every session, flush) and
started again from the same state directory; the ports change, so everything that talks to it
goes through a proxy that is retargeted (:class:`~tests.faults.proxy.FaultProxy`).

:meth:`Simulator.admin` sends one admin command (``snapshot``, ``fail``, ``flow`` …) and returns
the answer. Every wait is bounded, and a child left running is killed by :meth:`Simulator.kill`.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.keys import generate_key_pair
from workstation.simulator.admin.client import AdminClient

__all__ = [
    "COUNTERPARTY",
    "DESK_ACCOUNT",
    "DESK_BALANCE",
    "MARKETS",
    "AccountKey",
    "Simulator",
    "desk_key",
    "keys",
    "keys_dir",
    "use_keys",
]

DESK_ACCOUNT = "acct-desk"
COUNTERPARTY = "acct-counterparty"
DESK_BALANCE = Decimal("1000000.00")
EVENT = "KXFAULT-26DEC"
#: The desk bids in the first and offers in the second, at the middle of the simulated maker's
#: spread, so the counterparty's and the flow's takers trade with it first; the third has the
#: desk's orders one tick behind the maker's, for the flow's deeper takers.
MARKETS = (f"{EVENT}-B", f"{EVENT}-A", f"{EVENT}-F")
START_TIMEOUT = 20.0
EXIT_TIMEOUT = 15.0

#: Key name → (account, session type it logs on to). One connection per key (SPEC §2.3).
_KEY_PLAN: dict[str, str] = {
    "desk-rt": DESK_ACCOUNT,
    "desk-nr": DESK_ACCOUNT,
    "desk-dc": DESK_ACCOUNT,
    "desk-pt": DESK_ACCOUNT,
    "cp": COUNTERPARTY,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountKey:
    name: str
    account: str
    key_id: str
    private_key: Path
    public_key: Path


_keys: dict[str, AccountKey] = {}
_KEYS_FILE = "keys.json"


def keys() -> dict[str, AccountKey]:
    """RSA keys for the desk's sessions and the counterparty, made once per process (or
    loaded by :func:`use_keys`)."""
    if not _keys:
        directory = Path(tempfile.mkdtemp(prefix="fault-keys-"))
        for name, account in _KEY_PLAN.items():
            private, public = directory / f"{name}.key.pem", directory / f"{name}.pub.pem"
            generate_key_pair(private, public)
            _keys[name] = AccountKey(
                name=name,
                account=account,
                key_id=str(uuid.uuid4()),
                private_key=private,
                public_key=public,
            )
        ids = {name: key.key_id for name, key in _keys.items()}
        (directory / _KEYS_FILE).write_text(json.dumps(ids), encoding="utf-8")
    return _keys


def keys_dir() -> Path:
    """Where :func:`keys` keeps the key files (for a child process to :func:`use_keys`)."""
    return next(iter(keys().values())).private_key.parent


def use_keys(directory: Path) -> None:
    """Use the keys another process made in ``directory`` (a desk in a child process)."""
    ids = json.loads((directory / _KEYS_FILE).read_text(encoding="utf-8"))
    _keys.clear()
    for name, account in _KEY_PLAN.items():
        _keys[name] = AccountKey(
            name=name,
            account=account,
            key_id=ids[name],
            private_key=directory / f"{name}.key.pem",
            public_key=directory / f"{name}.pub.pem",
        )


def desk_key(session_type: SessionType) -> AccountKey:
    names = {
        SessionType.RT: "desk-rt",
        SessionType.NR: "desk-nr",
        SessionType.DC: "desk-dc",
        SessionType.PT: "desk-pt",
    }
    return keys()[names[session_type]]


def _accounts_toml() -> str:
    lines: list[str] = []
    for account, balance in ((DESK_ACCOUNT, DESK_BALANCE), (COUNTERPARTY, Decimal("10000000.00"))):
        lines += ["[[account]]", f'id = "{account}"', f'balance = "{balance}"', ""]
        for key in keys().values():
            if key.account == account:
                lines += [
                    "[[account.key]]",
                    f'id = "{key.key_id}"',
                    f'public_key = "{key.public_key}"',
                    "",
                ]
    return "\n".join(lines)


def _markets_toml() -> str:
    lines = ["[[event]]", f'ticker = "{EVENT}"', 'title = "Fault-injection markets"', ""]
    for ticker in MARKETS:
        lines += [
            "[[event.market]]",
            f'ticker = "{ticker}"',
            f'title = "{ticker}"',
            'reference_price = "0.50"',
            "",
        ]
    return "\n".join(lines)


#: ``python -c`` this, then the simulator's arguments: the child first asks Linux to SIGKILL
#: it when the test process dies (PR_SET_PDEATHSIG, so a test killed by its timeout leaves no
#: venue running; nothing happens elsewhere), then runs ``python -m workstation.simulator``.
_LAUNCH = """
import ctypes, runpy, signal
try:
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)
except (OSError, AttributeError):
    pass
runpy.run_module("workstation.simulator", run_name="__main__")
"""


class Simulator:
    """One ``workstation-sim`` child and the files it runs from; see the module docstring."""

    def __init__(
        self,
        directory: Path,
        *,
        seed: int = 11,
        flow: bool = True,
        dialect: Dialect = Dialect.CURRENT,
    ) -> None:
        self.directory = directory
        self.dialect = dialect
        self.state_dir = directory / "state"
        self.seed = seed
        self.flow = flow
        self.process: subprocess.Popen[bytes] | None = None
        self.info: dict[str, Any] = {}
        self.starts = 0
        directory.mkdir(parents=True, exist_ok=True)
        self.accounts_file = directory / "accounts.toml"
        self.accounts_file.write_text(_accounts_toml(), encoding="utf-8")
        self.markets_file = directory / "markets.toml"
        self.markets_file.write_text(_markets_toml(), encoding="utf-8")

    @property
    def ready_file(self) -> Path:
        return self.directory / "ready.json"

    def port(self, session_type: SessionType) -> int:
        return int(self.info["sessions"][session_type.value])

    @property
    def rest_port(self) -> int:
        return int(self.info["rest"])

    @property
    def admin_port(self) -> int:
        return int(self.info["admin"])

    @property
    def venue_id(self) -> str:
        return str(self.info["venue_id"])

    # ------------------------------------------------------------------ life cycle

    async def start(self) -> dict[str, Any]:
        """Start the child and wait (without blocking the loop) for its ready file."""
        assert self.process is None or self.process.poll() is not None, "already running"
        self.ready_file.unlink(missing_ok=True)
        self.starts += 1
        argv = [
            sys.executable, "-c", _LAUNCH,
            "--base-port", "0",
            "--ready-file", str(self.ready_file),
            "--accounts", str(self.accounts_file),
            "--markets", str(self.markets_file),
            "--state-dir", str(self.state_dir),
            "--seed", str(self.seed),
            "--flow" if self.flow else "--no-flow",
            "--dialect", self.dialect.value,
        ]  # fmt: skip
        with (
            (self.directory / f"stdout-{self.starts}.txt").open("wb") as out,
            (self.directory / f"stderr-{self.starts}.txt").open("wb") as err,
        ):
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        deadline = time.monotonic() + START_TIMEOUT
        while not self.ready_file.exists():
            code = self.process.poll()
            if code is not None:
                raise AssertionError(f"workstation-sim exited {code} before ready:\n{self.stderr}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no ready file in {START_TIMEOUT} s:\n{self.stderr}")
            await asyncio.sleep(0.02)
        self.info = json.loads(self.ready_file.read_text(encoding="utf-8"))
        return self.info

    @property
    def stderr(self) -> str:
        path = self.directory / f"stderr-{self.starts}.txt"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    async def stop(self, signum: signal.Signals = signal.SIGTERM) -> int:
        """Signal the child (SIGKILL: no clean-up at all) and wait for it to exit."""
        process = self.process
        assert process is not None
        if process.poll() is None:
            process.send_signal(signum)
        deadline = time.monotonic() + EXIT_TIMEOUT
        while process.poll() is None:
            if time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"workstation-sim ignored {signum.name}")
            await asyncio.sleep(0.02)
        return process.returncode

    async def restart(self, signum: signal.Signals = signal.SIGKILL) -> dict[str, Any]:
        """Stop the child with ``signum`` and start it again from the same state directory."""
        await self.stop(signum)
        return await self.start()

    def kill(self) -> None:
        """Make sure the child is gone (clean-up, also after a failed test)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=EXIT_TIMEOUT)

    # ------------------------------------------------------------------ admin port

    async def admin(self, cmd: str, **args: Any) -> dict[str, Any]:
        """One admin command; raises if the venue refused it."""
        client = await AdminClient.connect("127.0.0.1", self.admin_port)
        try:
            answer = await asyncio.wait_for(client.send(cmd, **args), 10.0)
        finally:
            await client.close()
        if not answer.get("ok"):
            raise AssertionError(f"admin {cmd} refused: {answer.get('error')}")
        return answer

    async def snapshot(self, account: str = DESK_ACCOUNT) -> dict[str, Any]:
        """The venue's record of ``account``: orders, fills by ExecID, positions, balance."""
        return await self.admin("snapshot", account=account)
