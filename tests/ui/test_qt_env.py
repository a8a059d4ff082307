"""ensure_display: a message instead of Qt's SIGABRT when there is nowhere to draw."""

from __future__ import annotations

import os
import subprocess
import sys

from workstation.ui.qt_env import NO_DISPLAY_MESSAGE, ensure_display

_PROBE = (
    "import os\n"
    "from workstation.ui.qt_env import ensure_display\n"
    "print(ensure_display())\n"
    "print(os.environ['QT_API'])\n"
)


def _run_probe(**extra: str) -> list[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "QT_API"}
    }
    env.update(extra)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def test_no_display_gives_the_message_in_a_clean_process() -> None:
    expected = (
        "No display found. Run headless with QT_QPA_PLATFORM=offscreen (screenshots work), "
        "or under xvfb-run."
        if sys.platform.startswith("linux")
        else "None"  # Windows and macOS always have a window system
    )
    assert _run_probe() == [expected, "pyside6"]


def test_offscreen_platform_is_enough() -> None:
    assert _run_probe(QT_QPA_PLATFORM="offscreen") == ["None", "pyside6"]


def test_any_display_variable_is_enough_and_qt_api_is_pinned() -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env = {name: ":0", "QT_API": "pyqt6"}
        assert ensure_display(env) is None
        assert env["QT_API"] == "pyside6"


def test_blank_variables_do_not_count_as_a_display() -> None:
    env = {"DISPLAY": " ", "QT_QPA_PLATFORM": ""}
    expected = NO_DISPLAY_MESSAGE if sys.platform.startswith("linux") else None
    assert ensure_display(env) == expected
