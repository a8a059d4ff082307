"""``workstation-sim admin …`` from the shell, against a ``workstation-sim`` in a subprocess."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..venue_harness import make_key

SIM = [sys.executable, "-m", "workstation.simulator"]


@pytest.fixture(scope="module")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    directory = tmp_path_factory.mktemp("sim")
    key = make_key(directory, "trader")
    ready = directory / "ready.json"
    process = subprocess.Popen(
        [
            *SIM,
            "--base-port",
            "0",
            "--ready-file",
            str(ready),
            "--key",
            f"{key.key_id}={key.public_path}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while not ready.exists():
            assert process.poll() is None, process.communicate()[1].decode()
            assert time.monotonic() < deadline, "the simulator never wrote its ready file"
            time.sleep(0.05)
        yield ready
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0


def admin(*argv: str) -> tuple[int, Any, str]:
    done = subprocess.run(
        [*SIM, "admin", *argv], capture_output=True, text=True, timeout=30, check=False
    )
    answer = json.loads(done.stdout) if done.stdout.strip() else None
    return done.returncode, answer, done.stderr


def test_ready_file_names_the_admin_and_rest_ports(simulator: Path) -> None:
    info = json.loads(simulator.read_text())
    assert info["host"] == "127.0.0.1"
    assert isinstance(info["admin"], int) and 0 < info["admin"] < 65536
    assert isinstance(info["rest"], int) and 0 < info["rest"] < 65536
    assert info["rest"] not in (info["admin"], *info["sessions"].values())


def test_commands_round_trip(simulator: Path) -> None:
    code, answer, _ = admin("--ready-file", str(simulator), "markets", "status=closed")
    assert code == 0 and answer["ok"] is True
    assert [m["ticker"] for m in answer["markets"]] == ["KXCPIYOY-26OCT-T3.2"]

    code, answer, _ = admin(
        "--ready-file",
        str(simulator),
        "settle",
        "ticker=KXCPIYOY-26OCT-T3.2",
        "result=scalar",
        "value=0.35",
    )
    assert code == 0 and answer["settlement_value"] == "0.35"

    port = str(json.loads(simulator.read_text())["admin"])
    code, answer, _ = admin("--port", port, "--json", '{"cmd": "clock", "advance": 60}')
    assert code == 0 and answer["offset"] == 60


def test_a_refused_command_exits_1(simulator: Path) -> None:
    code, answer, _ = admin("--ready-file", str(simulator), "snapshot", "account=nobody")
    assert code == 1
    assert answer["ok"] is False and "no account 'nobody'" in answer["error"]


def test_unreachable_port_and_bad_usage_exit_2(simulator: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = str(probe.getsockname()[1])
    code, answer, err = admin("--port", free, "help")
    assert code == 2 and answer is None and "cannot reach the admin port" in err

    code, _, err = admin("--ready-file", str(simulator), "settle", "ticker")
    assert code == 2 and "expected NAME=VALUE" in err

    code, _, err = admin("--ready-file", str(tmp_path / "missing.json"), "help")
    assert code == 2 and "no admin port" in err
