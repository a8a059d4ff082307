"""The status-bar clock: Eastern Time (the exchange's) beside local time, once a second."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from workstation.ui.timefmt import format_clock

__all__ = ["ClockLabel"]


class ClockLabel(QLabel):
    """Shows :func:`~workstation.ui.timefmt.format_clock` of ``clock()``, refreshed every second.

    ``clock`` returns epoch seconds; tests pass a fixed one.
    """

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.time
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clock")
        self._clock = clock
        self.setToolTip(
            "Exchange time (America/New_York) and this computer's local time. Kalshi days, "
            "Day orders and the Thursday maintenance window follow Eastern Time."
        )
        self._timer = QTimer(self)
        self._timer.setObjectName("clockTimer")
        self._timer.timeout.connect(self.refresh)
        self._timer.start(1000)
        self.refresh()

    def refresh(self) -> None:
        self.setText(format_clock(self._clock()))
