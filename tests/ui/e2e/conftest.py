"""Fixtures for the end-to-end GUI tests: a qasync loop that stays running for the whole test,
a launched workstation on its own data directory (closed — window, Desk, local venue — when
the test ends), and a counterparty account on its venue.

Why not ``qasync_loop`` from ``tests/ui/conftest.py``: between two of its
``run_until_complete`` calls the loop is *not running*, yet qasync's ``run_until_complete``
ends by processing Qt events once more, and Qt delivers asyncio callbacks whenever it
processes events. Network code stepped there fails with "no running event loop" (the FIX
initiators died that way at logon). ``live_loop`` marks its loop running for the whole test
(qasync's ``already_running`` mode, as for an application whose Qt loop is already running),
so every event Qt processes — in :func:`~tests.ui.e2e.harness.wait_until`, in a qtbot click,
in pytest-qt's own hooks — runs the asyncio callbacks with the loop set, exactly as in the
application. Exceptions the loop reports (a task that died, a callback that raised) fail
the test.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.e2e.harness import Counterparty, Workstation, wait_until
from workstation.ui.theme import Theme, apply_theme

Launch = Callable[..., Workstation]


@pytest.fixture
def live_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """An asyncio loop on the test QApplication, running (driven by Qt) for the whole test."""
    import PySide6.QtWidgets  # noqa: F401  (PySide6 before qasync, always)
    import qasync

    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(qapp, already_running=True)
    problems: list[str] = []

    def record(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        problems.append(f"{context.get('message')}: {context.get('exception')!r}")

    loop.set_exception_handler(record)
    asyncio.set_event_loop(loop)
    try:
        yield loop
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        wait_until(lambda: all(task.done() for task in pending), "the last tasks to end")
    finally:
        qapp.aboutToQuit.disconnect(loop._after_run_forever)  # type: ignore[attr-defined]
        # Mark the loop stopped without qasync's stop(): that calls QApplication.exit(), and
        # with no exec() running Qt keeps the quit pending, so every later QEventLoop.exec()
        # (qtbot.wait, waitUntil, a QTimer test in another module) returned at once.
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        asyncio.events._set_running_loop(None)
        loop.close()
        asyncio.set_event_loop(None)
    assert not problems, "the event loop reported: " + "; ".join(problems)


@pytest.fixture
def launch(
    qapp: QApplication, qtbot: Any, live_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> Iterator[Launch]:
    """``launch(data_dir=None, config=None)``: start a workstation (default: tmp_path/"ws")."""
    started: list[Workstation] = []

    def start(data_dir: Path | None = None, **kwargs: Any) -> Workstation:
        station = Workstation.launch(data_dir or tmp_path / "ws", **kwargs)
        started.append(station)
        return station

    yield start
    for station in reversed(started):
        station.close()
    if started:  # the window switched the whole application to its (dark) theme
        apply_theme(qapp, Theme.LIGHT)


@pytest.fixture
def station(launch: Launch) -> Workstation:
    """The default local workstation, every session logged on and markets polled."""
    running = launch()
    running.ready()
    return running


@pytest.fixture
def counterparty(station: Workstation, tmp_path: Path) -> Iterator[Counterparty]:
    """A second account trading on the station's venue over its own KalshiRT session."""
    keys = tmp_path / "counterparty-keys"
    keys.mkdir()
    party = Counterparty.join(station, keys)
    yield party
    if not station.closed:
        party.close()
