"""The harness itself: the qasync fixture runs coroutines and async slots on the Qt loop,
and this directory's tests really fail on an unexpected Qt warning."""

from __future__ import annotations

import asyncio
import sys

import pytest
from PySide6.QtCore import QObject, QTimer, Signal, qWarning
from PySide6.QtWidgets import QPushButton
from qasync import asyncSlot


def test_coroutines_and_qt_timers_run_on_one_loop(qasync_loop, qtbot) -> None:
    async def wait_for_qt_timer() -> str:
        fired: asyncio.Future[str] = qasync_loop.create_future()
        QTimer.singleShot(5, lambda: fired.set_result("timer fired"))
        await asyncio.sleep(0.01)
        return await fired

    assert qasync_loop.run_until_complete(wait_for_qt_timer()) == "timer fired"


class _Sender(QObject):
    """A widget-side object with an async slot, shaped like the app's (a bound method:
    qasync 0.28 raises "asyncSlot was not callable from Signal" for a plain function that
    takes no arguments, because its argument-trimming loop never runs on an empty list)."""

    def __init__(self, button: QPushButton) -> None:
        super().__init__()
        self.button = button
        self.done = asyncio.Event()
        self.sent: list[str] = []
        button.clicked.connect(self.send)

    @asyncSlot()  # type: ignore[untyped-decorator]  # qasync ships no type hints
    async def send(self) -> None:
        self.button.setEnabled(False)  # no double submission while the coroutine runs
        await asyncio.sleep(0)
        self.sent.append("sent")
        self.button.setEnabled(True)
        self.done.set()


def test_async_slot_runs_when_the_loop_runs(qasync_loop, qtbot) -> None:
    button = QPushButton("Send")
    qtbot.addWidget(button)
    sender = _Sender(button)
    button.click()
    assert sender.sent == []  # the slot made a task; it runs only when the loop does
    qasync_loop.run_until_complete(asyncio.wait_for(sender.done.wait(), timeout=5))
    assert sender.sent == ["sent"]
    assert button.isEnabled()


def test_unfinished_tasks_are_cancelled_at_teardown(qasync_loop) -> None:
    async def forever() -> None:
        await asyncio.Event().wait()

    task = qasync_loop.create_task(forever())
    qasync_loop.run_until_complete(asyncio.sleep(0))
    assert not task.done()  # the fixture cancels it; a leak would show as a warning


@pytest.mark.qt_log_level_fail("NO")
def test_qt_warnings_are_captured_for_the_strict_check(qtlog) -> None:
    qWarning("This plugin does not support propagateSizeHints()")
    qWarning("something unexpected")
    by_text = {record.message: record.ignored for record in qtlog.records}
    assert by_text == {
        "This plugin does not support propagateSizeHints()": True,
        "something unexpected": False,
    }


class _Emitter(QObject):
    fired = Signal(int)


def test_emitting_a_signal_leaks_no_reference_to_true() -> None:
    # PySide6 6.12.0 dropped a reference to True on every Signal.emit(): a few hundred
    # emissions later the interpreter aborts in bool_dealloc. pyproject excludes it.
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(500):
        emitter.fired.emit(i)
    lost = before - sys.getrefcount(True)
    assert lost < 50  # 500 with the bug; a stray reference elsewhere may move it by one
    assert len(received) == 500
