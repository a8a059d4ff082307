"""The session status panel: rows from snapshots, ticking countdowns, the maintenance line."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from workstation.ui.models.session_model import SessionStatusModel
from workstation.ui.panels.session_status import SessionStatusPanel
from workstation.ui.timefmt import EASTERN

from .samples import T0, session_infos


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def text(panel: SessionStatusPanel, row: int, col: int) -> str:
    model = panel.table.model()
    return str(model.data(model.index(row, col), Qt.ItemDataRole.DisplayRole))


def test_rows_and_countdown_follow_the_clock(qtbot) -> None:
    clock = Clock(T0)
    panel = SessionStatusPanel(clock=clock)
    qtbot.addWidget(panel)
    panel.update_sessions(session_infos())
    m = SessionStatusModel
    assert panel.table.model().rowCount() == 5
    assert [text(panel, r, m.COL_SESSION) for r in range(5)] == [
        "KalshiRT",
        "KalshiNR",
        "KalshiDC",
        "KalshiPT",
        "KalshiRFQ",
    ]
    assert text(panel, 1, m.COL_STATE) == "reconnecting"
    assert text(panel, 1, m.COL_RECONNECT) == "in 5 s"
    clock.now = T0 + 2
    panel.tick()
    assert text(panel, 1, m.COL_RECONNECT) == "in 3 s"
    assert text(panel, 0, m.COL_LAST) == "5 s ago"


def test_the_panel_ticks_on_its_own(qtbot) -> None:
    clock = Clock(T0)
    panel = SessionStatusPanel(clock=clock)
    qtbot.addWidget(panel)
    panel.update_sessions(session_infos())
    clock.now = T0 + 60
    qtbot.waitUntil(lambda: text(panel, 0, SessionStatusModel.COL_LAST) == "1 min 3 s ago")


def test_maintenance_notice_before_and_during_the_window(qtbot) -> None:
    clock = Clock(datetime(2026, 3, 11, 22, 30, tzinfo=EASTERN).timestamp())
    panel = SessionStatusPanel(clock=clock)
    qtbot.addWidget(panel)
    assert panel.notice.text() == "Kalshi maintenance (Thu 03:00–05:00 ET) in 4 h"
    assert panel.notice.property("active") is False
    clock.now = datetime(2026, 3, 12, 3, 30, tzinfo=EASTERN).timestamp()
    panel.tick()
    assert panel.notice.text() == (
        "Kalshi maintenance (Thu 03:00–05:00 ET) now: trading paused, sessions dropped; "
        "ends in 1 h 30 min"
    )
    assert panel.notice.property("active") is True


def test_sorting_by_header_click(qtbot) -> None:
    panel = SessionStatusPanel(clock=Clock(T0))
    qtbot.addWidget(panel)
    panel.update_sessions(session_infos())
    panel.table.sortByColumn(SessionStatusModel.COL_SESSION, Qt.SortOrder.AscendingOrder)
    assert text(panel, 0, SessionStatusModel.COL_SESSION) == "KalshiDC"
    panel.update_sessions(session_infos())
    assert text(panel, 0, SessionStatusModel.COL_SESSION) == "KalshiDC"


def test_headers_and_notice_explain_themselves(qtbot) -> None:
    panel = SessionStatusPanel(clock=Clock(T0))
    qtbot.addWidget(panel)
    model = panel.table.model()
    for col in range(model.columnCount()):
        assert model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Thursday" in panel.notice.toolTip()
