"""The crash handler: an unexpected exception (asyncio callback, forgotten task, Qt slot,
thread) is written to the log with its traceback and shown in a dialog, and the event loop
keeps running."""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workstation.logging_setup import InstalledLogging, setup_logging
from workstation.ui.crash import CrashDialog, CrashHandler

SECRET = "hunter2-not-for-logs"


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[InstalledLogging]:
    installed = setup_logging(tmp_path / "logs")
    try:
        yield installed
    finally:
        installed.remove()


@pytest.fixture
def crash(
    qapp: QApplication, qasync_loop: asyncio.AbstractEventLoop, logs: InstalledLogging
) -> Iterator[CrashHandler]:
    handler = CrashHandler(logs.log_dir)
    hook_before = sys.excepthook
    handler.install(qasync_loop)
    try:
        yield handler
    finally:
        handler.uninstall()
        assert sys.excepthook is hook_before
        if handler.dialog is not None:
            handler.dialog.close()
        handler.deleteLater()


def log_text(logs: InstalledLogging) -> str:
    logs.handler.flush()
    return logs.log_file.read_text(encoding="utf-8")


def shown_dialog(qtbot, crash: CrashHandler) -> CrashDialog:
    qtbot.waitUntil(lambda: crash.dialog is not None and crash.dialog.isVisible(), timeout=5000)
    assert crash.dialog is not None
    return crash.dialog


def explode() -> None:
    raise RuntimeError(f"the order book broke (passphrase={SECRET})")


def test_an_error_in_a_loop_callback_is_logged_shown_and_the_loop_runs_on(
    qtbot, qasync_loop: asyncio.AbstractEventLoop, crash: CrashHandler, logs: InstalledLogging
) -> None:
    async def scenario() -> str:
        qasync_loop.call_soon(explode)
        await asyncio.sleep(0.05)
        return "still running"

    assert qasync_loop.run_until_complete(scenario()) == "still running"
    dialog = shown_dialog(qtbot, crash)
    text = log_text(logs)
    assert "Traceback (most recent call last)" in text
    assert "in explode" in text
    assert "RuntimeError: the order book broke" in text
    assert SECRET not in text
    assert "RuntimeError: the order book broke" in dialog.headline.text()
    assert "in explode" in dialog.details.toPlainText()
    assert SECRET not in dialog.details.toPlainText() + dialog.headline.text()
    assert not dialog.isModal()
    assert str(logs.log_dir) in dialog.note.text()
    # the loop still runs coroutines
    assert qasync_loop.run_until_complete(asyncio.sleep(0.01, result=42)) == 42


def test_a_forgotten_task_that_failed_is_logged_and_shown(
    qtbot, qasync_loop: asyncio.AbstractEventLoop, crash: CrashHandler, logs: InstalledLogging
) -> None:
    async def fails() -> None:
        explode()

    async def scenario() -> None:
        qasync_loop.create_task(fails())  # forgotten on purpose
        await asyncio.sleep(0.05)
        gc.collect()  # the task is collected: "Task exception was never retrieved"
        await asyncio.sleep(0.05)

    qasync_loop.run_until_complete(scenario())
    dialog = shown_dialog(qtbot, crash)
    assert "Task exception was never retrieved" in dialog.headline.text()
    assert "in fails" in log_text(logs)


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_qt_slot_goes_through_excepthook_to_the_log_and_dialog(
    qtbot, qasync_loop: asyncio.AbstractEventLoop, crash: CrashHandler, logs: InstalledLogging
) -> None:
    async def scenario() -> str:
        QTimer.singleShot(0, explode)  # Qt calls the Python slot; PySide6 reports via excepthook
        await asyncio.sleep(0.05)
        return "still running"

    assert qasync_loop.run_until_complete(scenario()) == "still running"
    dialog = shown_dialog(qtbot, crash)
    assert "unhandled exception" in log_text(logs)
    assert "in explode" in dialog.details.toPlainText()


def test_an_exception_in_a_thread_reaches_the_dialog_on_the_gui_thread(
    qtbot, crash: CrashHandler, logs: InstalledLogging
) -> None:
    worker = threading.Thread(target=explode, name="exporter")
    worker.start()
    worker.join()
    dialog = shown_dialog(qtbot, crash)
    assert dialog.thread() is QApplication.instance().thread()  # type: ignore[union-attr]
    assert "in exporter" in dialog.headline.text()
    assert "unhandled exception in exporter" in log_text(logs)


def test_later_errors_add_to_the_open_dialog_instead_of_stacking_windows(
    qtbot, qasync_loop: asyncio.AbstractEventLoop, crash: CrashHandler
) -> None:
    async def scenario() -> None:
        for _ in range(3):
            qasync_loop.call_soon(explode)
        await asyncio.sleep(0.05)

    qasync_loop.run_until_complete(scenario())
    dialog = shown_dialog(qtbot, crash)
    qtbot.waitUntil(lambda: dialog.count == 3)
    assert crash.errors == 3
    assert "3 errors since this window opened" in dialog.headline.text()
    assert [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)] == [dialog]
    dialog.reject()
    qtbot.waitUntil(lambda: crash.dialog is None)


def test_a_loop_message_without_an_exception_is_only_logged(
    qtbot, qasync_loop: asyncio.AbstractEventLoop, crash: CrashHandler, logs: InstalledLogging
) -> None:
    qasync_loop.call_exception_handler({"message": "Task was destroyed but it is pending!"})
    QApplication.processEvents()
    assert crash.dialog is None
    assert "WARNING" in log_text(logs) and "Task was destroyed" in log_text(logs)
