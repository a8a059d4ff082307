"""Awaiting a dialog from a coroutine: ``open()`` and a future, never ``exec()``.

``exec()`` inside a coroutine on qasync runs a nested event loop that re-enters the asyncio
loop (DESIGN.md, "Known traps"). :func:`await_dialog` opens the dialog with ``open()`` and
resolves a future from its ``finished`` signal instead.

While it waits, the application does not quit when its last window closes: at start-up the
dialog may be the only window (the bad-settings message), and Qt would otherwise stop the
loop the moment that window is hidden — before the coroutine has its answer.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

from PySide6.QtWidgets import QApplication, QDialog

__all__ = ["await_dialog"]


class _QuitGuard:
    """Counts the dialogs being awaited; the app's quit-on-last-window is off while any is."""

    def __init__(self) -> None:
        self.depth = 0
        self.saved = True

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            yield
            return
        if self.depth == 0:
            self.saved = app.quitOnLastWindowClosed()
            app.setQuitOnLastWindowClosed(False)
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if self.depth == 0:
                app.setQuitOnLastWindowClosed(self.saved)


_GUARD = _QuitGuard()


async def await_dialog(dialog: QDialog) -> int:
    """Open ``dialog`` with ``open()`` and return its result code once it is finished.

    If the awaiting task is cancelled, the dialog is rejected (closed) on the way out.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[int] = loop.create_future()

    def finished(code: int) -> None:
        if not done.done():
            done.set_result(code)

    dialog.finished.connect(finished)
    with _GUARD.holding():
        dialog.open()
        try:
            return await done
        finally:
            if dialog.isVisible():
                dialog.reject()
