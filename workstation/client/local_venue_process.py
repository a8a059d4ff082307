"""The local venue as a child process: ``workstation-sim`` on the identity's keys.

The workstation runs its local simulator beside itself rather than on its own event loop, so
the venue's matching, report fan-out and simulated flow use the machine's other core and never
stall the window. The child is started through the simulator's scripting contract:

* an accounts file (``<local-venue>/accounts.toml``) declares the local account and its four
  public keys; the state directory is ``<local-venue>/state`` (the venue's orders, fills and
  ExecIDs agree with the workstation's journal across restarts);
* ``--base-port 0`` (free loopback ports) and ``--ready-file``; the ready file's ports make the
  profile (:func:`~workstation.client.local_identity.local_profile`);
* ``--stop-on-stdin-eof`` with a pipe on its standard input that only this process holds: when
  the workstation exits — or is killed — the pipe closes and the venue stops cleanly by itself.

What the child writes goes to ``<local-venue>/venue.log``; a child that exits before it is
ready is reported as :class:`LocalVenueFailed` with the end of that log. In a standalone build
the one executable carries the simulator as ``workstation sim``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from workstation.client.local_identity import LocalIdentity, local_profile
from workstation.client.profiles import Profile
from workstation.fix.dialect import Dialect

__all__ = ["LocalVenueFailed", "LocalVenueProcess", "simulator_command"]

#: Seconds the child may take to write its ready file.
START_TIMEOUT_S = 30.0
#: Seconds it may take to stop once its pipe is closed (Logout, state flushed), before SIGKILL.
STOP_TIMEOUT_S = 10.0
#: How often the ready file is looked for while the child starts.
POLL_S = 0.01


class LocalVenueFailed(RuntimeError):
    """The local venue could not start; the message says why (the end of its log)."""


def simulator_command() -> list[str]:
    """How to run ``workstation-sim`` from this program: the standalone build's own executable
    (``workstation sim``), or this Python with ``-m workstation.simulator``."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "sim"]
    return [sys.executable, "-m", "workstation.simulator"]


def write_accounts_file(identity: LocalIdentity) -> Path:
    """The ``--accounts`` file for the local account and its keys (key paths relative)."""
    lines = ["[[account]]", f"id = {json.dumps(identity.account)}", ""]
    for key in identity.keys.values():
        public = os.path.relpath(key.public_key, identity.directory)
        lines += [
            "  [[account.key]]",
            f"  id = {json.dumps(key.key_id)}",
            f"  public_key = {json.dumps(Path(public).as_posix())}",
            "",
        ]
    path = identity.directory / "accounts.toml"
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.replace(tmp, path)
    return path


class LocalVenueProcess:
    """``workstation-sim`` as this process's child, and the profile that trades on it."""

    def __init__(
        self,
        identity: LocalIdentity,
        *,
        flow: bool = True,
        seed: int = 7,
        dialect: Dialect = Dialect.CURRENT,
        persist: bool = True,
    ) -> None:
        self.identity = identity
        self.flow = flow
        self.seed = seed
        self.dialect = dialect
        self.persist = persist
        self.ready: dict[str, Any] = {}
        self.ready_file = identity.directory / "ready.json"
        self.log_file = identity.directory / "venue.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def arguments(self) -> list[str]:
        """The command line that starts the venue (the scripting contract)."""
        args = [
            *simulator_command(),
            "--base-port", "0",
            "--ready-file", str(self.ready_file),
            "--accounts", str(write_accounts_file(self.identity)),
            "--dialect", self.dialect.value,
            "--seed", str(self.seed),
            "--flow" if self.flow else "--no-flow",
            "--stop-on-stdin-eof",
        ]  # fmt: skip
        if self.persist:
            self.identity.state_dir.mkdir(parents=True, exist_ok=True)
            args += ["--state-dir", str(self.identity.state_dir)]
        return args

    async def start(self) -> dict[str, Any]:
        """Start the child and wait for its ready file; its contents.

        The child is spawned with :class:`subprocess.Popen` and watched by polling, which
        works the same on every event loop (qasync's included)."""
        self.ready_file.unlink(missing_ok=True)
        argv = self.arguments()
        with self.log_file.open("wb") as log:
            self._process = subprocess.Popen(
                argv, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, env=_env()
            )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT_S
        while not self.ready_file.exists():
            code = self._process.poll()
            if code is not None:
                self._process = None
                raise LocalVenueFailed(
                    f"the local venue exited ({code}) before it was ready: {self._log_tail()}"
                )
            if loop.time() > deadline:
                await self.stop()
                raise LocalVenueFailed(
                    f"the local venue was not ready within {START_TIMEOUT_S:.0f} s: "
                    f"{self._log_tail()}"
                )
            await asyncio.sleep(POLL_S)
        self.ready = json.loads(self.ready_file.read_text(encoding="utf-8"))
        return self.ready

    async def stop(self) -> None:
        """Close the child's pipe (it logs every session out and flushes its state), wait;
        kill it if it does not stop in time."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STOP_TIMEOUT_S
        while process.poll() is None and loop.time() < deadline:
            await asyncio.sleep(0.02)
        if process.poll() is None:
            process.kill()
            process.wait()
        self.ready_file.unlink(missing_ok=True)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def venue_id(self) -> str:
        return str(self.ready.get("venue_id", ""))

    def profile(self, base: Profile | None = None) -> Profile:
        """The local profile with the child's ports and the identity's keys filled in."""
        return local_profile(self.identity, self.ready, base)

    def _log_tail(self, lines: int = 5) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return "(no log)"
        tail = text.splitlines()[-lines:]
        return " | ".join(tail) if tail else "(nothing in its log)"


def _env() -> dict[str, str]:
    """The child's environment: this one, with Python's output unbuffered (its log is
    current when it is read after a failure)."""
    return {**os.environ, "PYTHONUNBUFFERED": "1"}
