"""The session status panel: the maintenance notice above a table of every session.

The panel owns the one-second tick that moves ages ("12 s ago") and reconnect countdowns
on, and re-reads the maintenance notice. Time comes from an injected ``clock`` so tests can
stand at any instant.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.client.records import SessionInfo
from workstation.ui.maintenance import maintenance_notice, next_maintenance
from workstation.ui.models.session_model import SessionStatusModel
from workstation.ui.theme import Theme

__all__ = ["SessionStatusPanel"]

_COLUMN_WIDTHS = {
    SessionStatusModel.COL_SESSION: 78,
    SessionStatusModel.COL_STATE: 92,
    SessionStatusModel.COL_ENDPOINT: 116,
    SessionStatusModel.COL_KEY: 112,
    SessionStatusModel.COL_OUT_SEQ: 58,
    SessionStatusModel.COL_IN_SEQ: 58,
    SessionStatusModel.COL_LAST: 100,
    SessionStatusModel.COL_RTT: 56,
    SessionStatusModel.COL_RECONNECT: 76,
    SessionStatusModel.COL_COD: 40,
    SessionStatusModel.COL_LISTENER: 58,
    SessionStatusModel.COL_PROBLEM: 220,
}


class SessionStatusPanel(QWidget):
    """Maintenance notice and the session table.

    Attributes:
        model: the :class:`SessionStatusModel` (fed through :meth:`update_sessions`).
        table: the view (object name ``sessionStatusTable``, saved with the layout).
        notice: the maintenance line.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sessionStatusPanel")
        self._clock = clock
        self.model = SessionStatusModel(self, now=clock())

        self.notice = QLabel(self)
        self.notice.setObjectName("maintenanceNotice")
        self.notice.setToolTip(
            "Kalshi pauses trading every Thursday 03:00–05:00 Eastern Time and drops FIX "
            "sessions; new orders and amends are refused, cancels still work. Sessions log "
            "on again afterwards."
        )

        self.table = QTableView(self)
        self.table.setObjectName("sessionStatusTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, header.sortIndicatorOrder())
        for col, width in _COLUMN_WIDTHS.items():
            header.resizeSection(col, width)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)

        self._timer = QTimer(self)
        self._timer.setObjectName("sessionStatusTick")
        self._timer.timeout.connect(self.tick)
        self._timer.start(1000)
        self.tick()

    def set_theme(self, theme: Theme) -> None:
        """Recolour the state column for ``theme``."""
        self.model.set_theme(theme)

    def update_sessions(self, infos: Sequence[SessionInfo]) -> None:
        """Show this snapshot of every session."""
        self.model.tick(self._clock())
        self.model.update(infos)

    def tick(self) -> None:
        """Move ages, countdowns and the maintenance notice on to ``clock()``."""
        now = self._clock()
        self.model.tick(now)
        active = next_maintenance(now).contains(now)
        self.notice.setText(maintenance_notice(now))
        if self.notice.property("active") != active:
            self.notice.setProperty("active", active)
            self.notice.style().unpolish(self.notice)
            self.notice.style().polish(self.notice)
