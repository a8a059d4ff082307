"""Crash safety with a real ``kill -9``.

A child process (store_writer.py) stores outbound messages and, in transactions, advances the
target sequence number together with a row in an application table of its own, printing each
number once it is committed. The test kills it with SIGKILL after a random short delay, again
and again on the same file, and after every kill reopens the store and checks that nothing
the child reported as committed was lost, that the outbound messages are exactly
1..next_sender-1 with the right bytes, and that the application table holds exactly
1..next_target-1: never an inbound number without its row, nor a row without its number.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.fix.store_writer import SENDER, TARGET, inbound_body, outbound_message
from workstation.fix.database import Database
from workstation.fix.sqlite_store import SqliteStore

WRITER = Path(__file__).with_name("store_writer.py")
PROJECT = Path(__file__).resolve().parents[2]
KILLS = 6
STARTUP_LIMIT = 20.0  # seconds for a child to get going, on a loaded machine


@dataclass
class Reported:
    """The highest numbers a child said it had committed."""

    out: int = 0
    inbound: int = 0


def reported(log: Path) -> Reported:
    """Parse the child's stdout; a line cut short by the kill is not a report."""
    text = log.read_text()
    lines = text.split("\n")[:-1]  # only lines that ended
    seen = Reported()
    for line in lines:
        kind, _, number = line.partition(" ")
        if kind == "out":
            seen.out = max(seen.out, int(number))
        elif kind == "in":
            seen.inbound = max(seen.inbound, int(number))
    return seen


def run_and_kill(path: Path, folder: Path, run: int, rng: random.Random) -> Reported:
    """Start a writer, let it run for a random moment after it is ready, SIGKILL it."""
    log = folder / f"run{run}.out"
    errors = folder / f"run{run}.err"
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    with log.open("wb") as out, errors.open("wb") as err:
        child = subprocess.Popen(
            [sys.executable, str(WRITER), str(path), str(rng.randrange(2**32))],
            stdout=out,
            stderr=err,
            env=env,
        )
    try:
        deadline = time.monotonic() + STARTUP_LIMIT
        while not log.read_bytes().startswith(b"ready\n"):
            assert child.poll() is None, f"writer died: {errors.read_text()}"
            assert time.monotonic() < deadline, "writer never got ready"
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.25))
        assert child.poll() is None, f"writer died: {errors.read_text()}"
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    return reported(log)


def check_store(path: Path, seen: Reported, context: str) -> tuple[int, int]:
    """Reopen the store after a kill; return its (next_sender, next_target)."""
    with Database(path) as db:
        assert db.connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
        store = SqliteStore(db, SENDER, TARGET, 0.0)
        next_sender, next_target = store.next_sender_seq(), store.next_target_seq()
        assert next_sender > seen.out, context
        assert next_target > seen.inbound, context
        assert store.outbound_range(1, None) == [
            (seq, outbound_message(seq)) for seq in range(1, next_sender)
        ], context
        applied = db.connection.execute("SELECT seq, body FROM applied ORDER BY seq").fetchall()
        assert applied == [(seq, inbound_body(seq)) for seq in range(1, next_target)], context
    return next_sender, next_target


def test_kill_9_at_random_moments_loses_nothing_committed(tmp_path: Path) -> None:
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    path = tmp_path / "store.db"
    last = (1, 1)
    for run in range(KILLS):
        context = f"seed {seed}, kill {run + 1}"
        seen = run_and_kill(path, tmp_path, run, rng)
        now = check_store(path, seen, context)
        # A restarted writer continues the sequence: numbers never go backwards.
        assert now[0] >= last[0] and now[1] >= last[1], context
        last = now
    # The writers did real work, in both directions, across the kills.
    assert last[0] > 1 and last[1] > 1, f"seed {seed}: nothing was ever committed"
