"""``workstation --version`` and the one-executable entry points the build relies on."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import workstation

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workstation", *args],
        capture_output=True, text=True, timeout=60, check=False,
    )


def test_the_package_version_is_pyprojects() -> None:
    assert workstation.__version__ == PROJECT["version"]


def test_workstation_version_prints_the_version() -> None:
    done = run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"workstation {PROJECT['version']}"


def test_workstation_sim_hands_every_argument_to_the_simulator() -> None:
    done = run("sim", "--help")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: workstation-sim")
    assert "--base-port" in done.stdout
    bad = run("sim", "--base-port", "not-a-number")
    assert bad.returncode == 2
    assert "workstation-sim: error: argument --base-port" in bad.stderr


def test_the_build_runs_the_console_scripts_entry_point() -> None:
    assert PROJECT["scripts"]["workstation"] == "workstation.__main__:main"
    launcher = (ROOT / "packaging" / "launcher.py").read_text(encoding="utf-8")
    assert "from workstation.__main__ import main" in launcher
    assert PROJECT["optional-dependencies"]["build"] == ["pyinstaller>=6.10"]
