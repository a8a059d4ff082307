"""The crash handler: an unexpected exception is logged with its traceback and shown in a
dialog, and the workstation keeps running instead of vanishing.

Three roads lead here (DESIGN.md: exceptions in qasync's ``asyncSlot`` land in
``sys.excepthook``): :data:`sys.excepthook` (Qt slots and virtual methods, ``asyncSlot``
coroutines, the main thread), the asyncio loop's exception handler (a callback or a task
nobody awaited), and :data:`threading.excepthook`. Each writes the traceback to the log
(through the redacting file handler of :mod:`workstation.logging_setup`), then asks for the
dialog through a queued signal, so the dialog is built on the GUI thread after the failing
code has unwound, never inside a paint event or another thread.

The dialog is not modal and never blocks the loop. While it is open, later errors add to it
(a count and the newest traceback) instead of stacking windows. ``KeyboardInterrupt`` and
``SystemExit`` go to Python's own hook unchanged.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.logging_setup import redact_text
from workstation.ui.log_folder import open_log_folder

__all__ = ["CrashDialog", "CrashHandler", "install_crash_handler"]

_log = logging.getLogger("workstation.crash")

ExceptHook = Callable[
    [type[BaseException], BaseException, TracebackType | None], Any
]
LoopHandler = Callable[[asyncio.AbstractEventLoop, dict[str, Any]], object]


class CrashDialog(QDialog):
    """What went wrong, that the workstation is still running, and where the log is."""

    def __init__(self, log_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("Kalshi FIX Workstation — unexpected error")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.log_dir = log_dir
        self.count = 0

        self.headline = QLabel()
        self.headline.setObjectName("crashHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel(
            "The workstation kept running, but what failed may not have finished: check the "
            f"blotter before acting again. The full traceback is in the log folder:\n{log_dir}"
        )
        self.note.setObjectName("crashNote")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit()
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setMinimumSize(640, 220)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_logs_button = QPushButton("Open log folder")
        self.open_logs_button.setObjectName("crashOpenLogs")
        self.copy_button = QPushButton("Copy details")
        self.copy_button.setObjectName("crashCopy")
        buttons.addButton(self.open_logs_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.open_logs_button.clicked.connect(lambda: open_log_folder(self.log_dir))
        self.copy_button.clicked.connect(self.copy_details)

        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.note)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def add(self, summary: str, details: str) -> None:
        """Show one more error: the newest summary and traceback, and how many so far."""
        self.count += 1
        more = "" if self.count == 1 else f" ({self.count} errors since this window opened)"
        self.headline.setText(f"<b>Unexpected error{more}</b><br>{_escape(summary)}")
        self.details.setPlainText(details)

    def copy_details(self) -> None:
        clipboard = QApplication.clipboard()
        clipboard.setText(f"{self.headline.text()}\n\n{self.details.toPlainText()}")


class CrashHandler(QObject):
    """Installs the three hooks; logs every unexpected exception; shows :class:`CrashDialog`.

    Attributes:
        dialog: the dialog on screen, or None (closed dialogs are forgotten).
        errors: how many unexpected exceptions were handled.
    """

    #: emitted (queued, so on the GUI thread) with a summary and the redacted traceback
    crashed = Signal(str, str)

    def __init__(self, log_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_dir = log_dir
        self.dialog: CrashDialog | None = None
        self.errors = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous_excepthook: ExceptHook | None = None
        self._previous_thread_hook: Callable[[threading.ExceptHookArgs], Any] | None = None
        self._previous_loop_handler: LoopHandler | None = None
        self.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # -- installing ----------------------------------------------------------------------

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Become ``sys.excepthook``, ``threading.excepthook`` and ``loop``'s handler."""
        self._previous_excepthook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.handle_exception
        threading.excepthook = self._handle_thread_exception
        if loop is not None:
            self._loop = loop
            self._previous_loop_handler = loop.get_exception_handler()
            loop.set_exception_handler(self.handle_loop_exception)

    def uninstall(self) -> None:
        """Put back the hooks that were there before :meth:`install`."""
        if self._previous_excepthook is not None:
            sys.excepthook = self._previous_excepthook
        if self._previous_thread_hook is not None:
            threading.excepthook = self._previous_thread_hook
        if self._loop is not None and not self._loop.is_closed():
            self._loop.set_exception_handler(self._previous_loop_handler)
        self._loop = None

    # -- the hooks -----------------------------------------------------------------------

    def handle_exception(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """``sys.excepthook``: log the traceback, then show it."""
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            sys.__excepthook__(exc_type, exc, tb)
            return
        _log.critical("unhandled exception", exc_info=(exc_type, exc, tb))
        self._report(exc_type, exc, tb, context="")

    def handle_loop_exception(
        self, loop: asyncio.AbstractEventLoop, context: Mapping[str, Any]
    ) -> None:
        """The asyncio loop's exception handler: log, and show when there is an exception.

        Messages without one (a task destroyed while pending, at shutdown) are logged only.
        """
        message = str(context.get("message") or "error in the event loop")
        exc = context.get("exception")
        if not isinstance(exc, BaseException):
            _log.warning("asyncio: %s", message)
            return
        _log.error("asyncio: %s", message, exc_info=(type(exc), exc, exc.__traceback__))
        self._report(type(exc), exc, exc.__traceback__, context=message)

    def _handle_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a thread"
        _log.critical(
            "unhandled exception in %s", name,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
        )
        self._report(args.exc_type, args.exc_value, args.exc_traceback, context=f"in {name}")

    # -- the dialog ----------------------------------------------------------------------

    def _report(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        *,
        context: str,
    ) -> None:
        self.errors += 1
        summary = redact_text(f"{exc_type.__name__}: {exc}")
        if context:
            summary = f"{summary}\n({redact_text(context)})"
        details = redact_text("".join(traceback.format_exception(exc_type, exc, tb)))
        if sys.stderr is not None:  # for whoever started it from a terminal
            sys.stderr.write(details)
        if QApplication.instance() is not None:  # none yet (or any more): the log has it
            self.crashed.emit(summary, details)

    def _show(self, summary: str, details: str) -> None:
        if self.dialog is None:
            dialog = CrashDialog(self.log_dir, _main_window())
            dialog.finished.connect(lambda _result: self._forget(dialog))
            self.dialog = dialog
        self.dialog.add(summary, details)
        self.dialog.show()
        self.dialog.raise_()

    def _forget(self, dialog: CrashDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()


def install_crash_handler(
    log_dir: Path, loop: asyncio.AbstractEventLoop | None = None
) -> CrashHandler:
    """A :class:`CrashHandler` for the running application, installed on ``loop``."""
    app = QApplication.instance()
    handler = CrashHandler(log_dir, parent=app)
    handler.install(loop)
    return handler


def _main_window() -> QWidget | None:
    """The workstation's window, so the dialog sits over it; None before it exists."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMainWindow) and widget.isVisible():
            return widget
    return None


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\n", "<br>")
    )
