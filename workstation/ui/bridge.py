"""The one object between the Desk and the widgets.

Inbound: the Desk delivers one coalesced :class:`~workstation.client.desk.DeskUpdate` per
event-loop turn; the bridge re-emits its parts as Qt signals, so each model applies a whole
batch at once (DESIGN.md: never a model reset per message).

Outbound: a view never awaits the network. It asks the bridge to :meth:`run` an action
coroutine; the bridge keeps a strong reference to the task (qasync's ``asyncSlot`` does not),
reports ``busy`` so the control that started it stays disabled until it ends, and routes every
failure to ``action_failed`` — a visible place — never to a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal

from workstation.client.desk import ActionRefused, Desk, DeskUpdate, NeedsConfirmation

__all__ = ["DeskBridge"]

_log = logging.getLogger(__name__)


class DeskBridge(QObject):
    """See the module docstring."""

    changes_arrived = Signal(list)  #: list[trading.changes.Change]
    wire_arrived = Signal(list)  #: list[WireRecord]
    sessions_changed = Signal(list)  #: list[SessionInfo]
    notices_arrived = Signal(list)  #: list[Notice]
    market_changed = Signal(object)  #: MarketSnapshot
    action_failed = Signal(str, str)  #: (action, message for the trader)
    action_needs_confirmation = Signal(str, str)  #: (action, what to confirm)
    busy_changed = Signal(str, bool)  #: (action, running)

    def __init__(self, desk: Desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self._tasks: set[asyncio.Task[Any]] = set()
        self._running: dict[str, int] = {}
        desk.subscribe(self._on_update)

    def _on_update(self, update: DeskUpdate) -> None:
        if update.changes:
            self.changes_arrived.emit(update.changes)
        if update.wire:
            self.wire_arrived.emit(update.wire)
        if update.sessions is not None:
            self.sessions_changed.emit(update.sessions)
        if update.notices:
            self.notices_arrived.emit(update.notices)
        if update.market is not None:
            self.market_changed.emit(update.market)

    def busy(self, action: str) -> bool:
        return self._running.get(action, 0) > 0

    def run(
        self,
        action: str,
        factory: Callable[[], Coroutine[Any, Any, Any]],
        *,
        on_done: Callable[[Any], None] | None = None,
    ) -> asyncio.Task[Any] | None:
        """Start ``factory()`` as a task named ``action``; None if that action is running.

        The refusal of a second start while the first runs is what keeps a double click
        from sending twice.
        """
        if self.busy(action):
            return None
        task = asyncio.get_event_loop().create_task(self._guard(action, factory, on_done))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _guard(
        self,
        action: str,
        factory: Callable[[], Coroutine[Any, Any, Any]],
        on_done: Callable[[Any], None] | None,
    ) -> None:
        self._running[action] = self._running.get(action, 0) + 1
        self.busy_changed.emit(action, True)
        try:
            result = await factory()
        except NeedsConfirmation as exc:
            self.action_needs_confirmation.emit(action, str(exc))
        except ActionRefused as exc:
            self.action_failed.emit(action, str(exc))
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            _log.exception("action %s failed", action)
            self.action_failed.emit(action, f"{action} failed: {exc}")
        else:
            if on_done is not None:
                on_done(result)
        finally:
            self._running[action] -= 1
            self.busy_changed.emit(action, self.busy(action))

    async def shutdown(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
