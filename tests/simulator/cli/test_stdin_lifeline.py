"""``--stop-on-stdin-eof``: the venue stops cleanly when the pipe on its standard input closes,
which is what happens when the program that started it exits or is killed (the workstation
runs its local venue this way)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ..venue_harness import make_key
from .sim_process import EXIT_TIMEOUT, START_TIMEOUT, key_argument, script_command


def _wait_ready(process: subprocess.Popen[bytes], ready: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not ready.exists():
        assert process.poll() is None, "workstation-sim exited before it was ready"
        assert time.monotonic() < deadline, "no ready file"
        time.sleep(0.02)


def test_closing_stdin_stops_the_venue_cleanly(tmp_path: Path) -> None:
    key = make_key(tmp_path, "alice")
    ready = tmp_path / "ready.json"
    argv = [
        *script_command(), "--base-port", "0", "--ready-file", str(ready),
        "--key", key_argument(key), "--state-dir", str(tmp_path / "state"), "--stop-on-stdin-eof",
    ]
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    try:
        _wait_ready(process, ready)
        time.sleep(0.3)
        assert process.poll() is None, "the venue must keep running while the pipe is open"
        assert process.stdin is not None
        process.stdin.close()
        assert process.wait(timeout=EXIT_TIMEOUT) == 0
        assert (tmp_path / "state").is_dir() and any((tmp_path / "state").iterdir())
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=EXIT_TIMEOUT)


PARENT = """
import subprocess, sys, time
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
print(child.pid, flush=True)
time.sleep(600)
"""


def test_the_venue_stops_when_its_parent_is_killed(tmp_path: Path) -> None:
    """``kill -9`` of the parent closes the pipe: the venue goes too, by itself."""
    key = make_key(tmp_path, "alice")
    ready = tmp_path / "ready.json"
    argv = [
        *script_command(), "--base-port", "0", "--ready-file", str(ready),
        "--key", key_argument(key), "--stop-on-stdin-eof",
    ]
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, *argv], stdout=subprocess.PIPE, text=True
    )
    child_pid = 0
    try:
        assert parent.stdout is not None
        child_pid = int(parent.stdout.readline())
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.exists():
            assert time.monotonic() < deadline, "no ready file"
            time.sleep(0.02)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=EXIT_TIMEOUT)
        deadline = time.monotonic() + EXIT_TIMEOUT
        while _alive(child_pid):
            assert time.monotonic() < deadline, "the venue kept running without its parent"
            time.sleep(0.05)
    finally:
        if parent.poll() is None:
            parent.kill()
        if child_pid and _alive(child_pid):
            os.kill(child_pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie (an orphan is reaped by init)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"
