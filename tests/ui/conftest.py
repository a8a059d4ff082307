"""Qt test setup for the UI: headless, strict about Qt warnings, with a qasync loop.

- ``QT_QPA_PLATFORM=offscreen`` is set here, before any QApplication exists (pytest-qt
  imports QtCore earlier, which is harmless: the platform is chosen when the application is
  created), so these tests never need a display and never abort for lack of one. The
  offscreen screen is 1600×1000, from ``offscreen_screen.json``.
- Every test in this directory fails on a Qt warning (pytest-qt's ``qt_log_level_fail``),
  except the harmless ones the offscreen platform prints, which are filtered by their text.
- ``qasync_loop`` gives a test an asyncio loop running on the Qt event loop, for code
  driven by coroutines (``asyncSlot`` handlers, the network layer). Run coroutines with
  ``qasync_loop.run_until_complete(...)``; ``qtbot.wait`` alone may not run them.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = Path(__file__).resolve().parent

# One virtual 1600×1000 screen (the size the default layout is designed for) instead of the
# offscreen platform's 800×800, which is narrower than the window's six docks.
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_HERE / 'offscreen_screen.json'}"
os.environ["QT_API"] = "pyside6"  # qasync picks its binding from this (DESIGN.md)

#: Messages the offscreen platform prints for ordinary windows; matched with re.search.
HARMLESS_QT_MESSAGES = (
    r"^This plugin does not support propagateSizeHints\(\)",
    r"^This plugin does not support raise\(\)",
    r"^This plugin does not support grabbing the (keyboard|mouse)",
    r"^This plugin does not support setParent\(\)",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*HARMLESS_QT_MESSAGES, extend=True))


@pytest.fixture
def qasync_loop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """An asyncio event loop on the test QApplication, closed (tasks cancelled) afterwards."""
    import PySide6.QtWidgets  # noqa: F401  (PySide6 before qasync, always)
    import qasync

    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()
        asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def _light_theme_after_each_test() -> Iterator[None]:
    """A window's theme switch is application-wide: put the light theme back after every test,
    so no test sees the colours an earlier one left behind."""
    yield
    from PySide6.QtWidgets import QApplication

    from workstation.ui.theme import Theme, apply_theme

    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_theme(app, Theme.LIGHT)
