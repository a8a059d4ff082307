"""``workstation-sim`` as a real child process: start it, wait for its ready file, signal it,
read what it printed. Every wait is bounded; a child left running is killed at the end.

The child's stdout and stderr go to files in the test's directory (never to pipes nobody
reads), so a chatty child cannot block and a failed assertion can show what it said.
"""

from __future__ import annotations

import json
import shutil
import signal
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workstation.fix.auth import LogonSigner
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.events import Event
from workstation.fix.logon_options import LogonOptions
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.net.initiator import Initiator

from ..venue_harness import Client, ClientKey

#: Seconds a child may take to write its ready file, and to exit once signalled.
START_TIMEOUT = 20.0
EXIT_TIMEOUT = 15.0

#: The ready file's keys (the issue's scripting contract, plus the dialect the venue follows);
#: ``certificate`` joins them when TLS is on.
READY_KEYS = frozenset(
    {"host", "tls", "sessions", "admin", "rest", "venue_id", "accounts", "dialect"}
)
SESSION_NAMES = frozenset(st.value for st in SessionType)


def script_command() -> list[str]:
    """The ``workstation-sim`` console script of the environment running the tests."""
    beside = Path(sys.executable).with_name("workstation-sim")
    found = str(beside) if beside.exists() else shutil.which("workstation-sim")
    assert found is not None, "workstation-sim is not installed (pip install -e .)"
    return [found]


def module_command() -> list[str]:
    return [sys.executable, "-m", "workstation.simulator"]


def key_argument(key: ClientKey) -> str:
    return f"{key.key_id}={key.public_path}"


@dataclass
class SimProcess:
    """A running (or finished) ``workstation-sim`` child."""

    process: subprocess.Popen[bytes]
    directory: Path
    ready_file: Path

    @property
    def stdout(self) -> str:
        return (self.directory / "stdout.txt").read_text(encoding="utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return (self.directory / "stderr.txt").read_text(encoding="utf-8", errors="replace")

    def info(self) -> dict[str, Any]:
        data = json.loads(self.ready_file.read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    def wait_ready(self, timeout: float = START_TIMEOUT) -> dict[str, Any]:
        """The ready file's contents once it appears; fails if the child exits first."""
        deadline = time.monotonic() + timeout
        while not self.ready_file.exists():
            code = self.process.poll()
            assert code is None, f"workstation-sim exited {code} before ready:\n{self.stderr}"
            assert time.monotonic() < deadline, f"no ready file in {timeout} s:\n{self.stderr}"
            time.sleep(0.02)
        return self.info()

    def send_signal(self, signum: signal.Signals) -> None:
        self.process.send_signal(signum)

    def wait_exit(self, timeout: float = EXIT_TIMEOUT) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self, signum: signal.Signals = signal.SIGTERM) -> int:
        """Signal the child and return its exit status."""
        if self.process.poll() is None:
            self.send_signal(signum)
        return self.wait_exit()

    def kill(self) -> None:
        """Make sure the child is gone (cleanup after a failed test)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=EXIT_TIMEOUT)


def launch(
    directory: Path,
    *arguments: str,
    command: list[str] | None = None,
    ready_file: Path | None = None,
) -> SimProcess:
    """Start ``workstation-sim --ready-file DIR/ready.json ARGUMENTS`` (the console script
    unless ``command`` is given) without waiting for it."""
    directory.mkdir(parents=True, exist_ok=True)
    ready = ready_file if ready_file is not None else directory / "ready.json"
    argv = [*(command or script_command()), "--ready-file", str(ready), *arguments]
    with (
        (directory / "stdout.txt").open("wb") as out,
        (directory / "stderr.txt").open("wb") as err,
    ):
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    return SimProcess(process=process, directory=directory, ready_file=ready)


@dataclass(frozen=True)
class Finished:
    """A child run to completion: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def run_to_exit(*arguments: str, timeout: float = START_TIMEOUT) -> Finished:
    """Run ``workstation-sim ARGUMENTS`` expecting it to end by itself (bad input)."""
    done = subprocess.run(
        [*script_command(), *arguments],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Finished(done.returncode, done.stdout, done.stderr)


def connect(
    host: str,
    port: int,
    key: ClientKey,
    session_type: SessionType,
    *,
    options: LogonOptions | None = None,
    dialect: Dialect = Dialect.CURRENT,
    ssl_context: ssl.SSLContext | None = None,
) -> Client:
    """A signed initiator (TLS when given a context) that records every event it sees."""
    opts = options if options is not None else LogonOptions()
    session = Session(
        SessionConfig(
            role=Role.INITIATOR,
            session_type=session_type,
            sender_comp_id=key.key_id,
            dialect=dialect,
            logon_fields=opts.to_fields(dialect),
            emit_wire_events=True,
        ),
        signer=LogonSigner(key.private_key),
    )
    events: list[Event] = []
    initiator = Initiator(session, host=host, port=port, ssl=ssl_context, on_events=events.extend)
    initiator.start()
    return Client(initiator=initiator, events=events)
