"""The main window: banner, docks, menus, themes, and a layout that survives a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableView

from workstation.ui.banner import VenueKind
from workstation.ui.docks import restore_table_state, save_table_state
from workstation.ui.main_window import MainWindow
from workstation.ui.models.session_model import SessionStatusModel
from workstation.ui.panels.message_log import MessageLogPanel
from workstation.ui.panels.session_status import SessionStatusPanel
from workstation.ui.theme import STATUS_COLORS, Theme, apply_theme

from .samples import T0, conversation, session_infos

DOCKS = (
    "orderTicket",
    "blotter",
    "rfqPanel",
    "settlementView",
    "messageLog",
    "sessionStatus",
    "marketsView",
    "orderGroups",
)


@pytest.fixture(autouse=True)
def light_theme_afterwards(qapp: QApplication) -> Iterator[None]:
    yield
    apply_theme(qapp, Theme.LIGHT)


@pytest.fixture
def make_window(qtbot, tmp_path: Path):
    def make(kind: str = "LOCAL", *, panels: bool = True) -> MainWindow:
        window = MainWindow(kind, "127.0.0.1 (built-in simulator)", tmp_path / "ui.ini")
        qtbot.addWidget(window)
        if panels:
            log = MessageLogPanel()
            log.model.append(conversation())
            sessions = SessionStatusPanel(clock=lambda: T0)
            sessions.update_sessions(session_infos())
            window.set_panel("messageLog", log)
            window.set_panel("sessionStatus", sessions)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


def top_left(window: MainWindow, name: str) -> QPoint:
    dock = window.dock(name)
    return dock.mapTo(window, QPoint(0, 0))


def test_docks_exist_by_name_with_placeholders(make_window) -> None:
    window = make_window(panels=False)
    assert tuple(window.docks) == DOCKS
    for name in DOCKS:
        dock = window.dock(name)
        assert dock.objectName() == name
        assert isinstance(dock.widget(), QLabel)
        assert dock.widget().text() == "Not connected yet"
        assert window.panel(name) is None
    with pytest.raises(KeyError, match="no dock 'chart'"):
        window.dock("chart")


def test_default_arrangement(make_window) -> None:
    window = make_window()
    area = window.dockWidgetArea
    assert area(window.dock("orderTicket")) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert area(window.dock("rfqPanel")) == Qt.DockWidgetArea.RightDockWidgetArea
    assert area(window.dock("messageLog")) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert area(window.dock("sessionStatus")) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert window.tabifiedDockWidgets(window.dock("rfqPanel")) == [
        window.dock("settlementView"),
        window.dock("orderGroups"),
    ]
    assert window.tabifiedDockWidgets(window.dock("messageLog")) == [window.dock("marketsView")]
    ticket, blotter, rfq = (top_left(window, n) for n in ("orderTicket", "blotter", "rfqPanel"))
    assert ticket.x() < blotter.x() < rfq.x()
    # the markets view is in front of the message log's tab (a tab bar above the pair)
    log, sessions = top_left(window, "marketsView"), top_left(window, "sessionStatus")
    assert log.y() >= sessions.y() > blotter.y()
    assert log.x() < sessions.x()


def test_banner_sits_above_every_dock(make_window) -> None:
    window = make_window("PRODUCTION")
    banner_bottom = window.banner.mapTo(window, QPoint(0, window.banner.height())).y()
    assert window.banner.isVisible()
    assert window.banner.kind is VenueKind.PRODUCTION
    assert "PRODUCTION" in window.windowTitle()
    on_screen = [n for n in DOCKS if not window.dock(n).visibleRegion().isEmpty()]
    assert "settlementView" not in on_screen  # behind the RFQ tab
    assert len(on_screen) == 5
    for name in on_screen:
        assert top_left(window, name).y() >= banner_bottom


def test_set_panel_replaces_the_placeholder(make_window, qtbot) -> None:
    window = make_window(panels=False)
    log = MessageLogPanel()
    window.set_panel("messageLog", log)
    assert window.panel("messageLog") is log
    assert window.dock("messageLog").widget() is log
    window.clear_panel("messageLog")
    assert window.panel("messageLog") is None


def test_view_menu_hides_shows_and_resets(make_window) -> None:
    window = make_window()
    toggles = {a.objectName(): a for a in window.findChildren(type(window.reset_layout_action))}
    for name in DOCKS:
        assert toggles[f"toggle_{name}"].isChecked()
        assert toggles[f"toggle_{name}"].toolTip()
    toggles["toggle_messageLog"].trigger()
    assert not window.dock("messageLog").isVisible()
    window.removeDockWidget(window.dock("orderTicket"))
    window.dock("blotter").setFloating(True)
    window.reset_layout_action.trigger()
    for name in DOCKS:
        assert window.dock(name).isVisible(), name
    assert not window.dock("blotter").isFloating()
    assert window.dockWidgetArea(window.dock("orderTicket")) == Qt.DockWidgetArea.LeftDockWidgetArea


def test_theme_menu_switches_and_recolours_panels(make_window, qapp) -> None:
    window = make_window()
    assert all(action.toolTip() for action in window.theme_actions.values())
    window.theme_actions[Theme.LIGHT].trigger()
    assert window.theme is Theme.LIGHT
    assert window.theme_actions[Theme.LIGHT].isChecked()
    assert not window.theme_actions[Theme.DARK].isChecked()
    log = window.panel("messageLog")
    assert isinstance(log, MessageLogPanel)
    fg = log.model.data(log.model.index(1, 2), Qt.ItemDataRole.ForegroundRole)
    assert fg.name() == STATUS_COLORS[Theme.LIGHT].inbound
    window.theme_actions[Theme.DARK].trigger()
    fg = log.model.data(log.model.index(1, 2), Qt.ItemDataRole.ForegroundRole)
    assert fg.name() == STATUS_COLORS[Theme.DARK].inbound
    assert "#16181c" in qapp.styleSheet()


def test_status_bar_clock_shows_eastern_and_local_time(make_window) -> None:
    window = make_window(panels=False)
    assert window.clock.text().startswith("ET ")
    assert " · Local " in window.clock.text()
    assert window.clock.toolTip()


def test_layout_survives_a_restart(make_window, tmp_path: Path) -> None:
    first = make_window()
    first.set_theme(Theme.LIGHT)
    first.resize(760, 640)
    first.move(12, 34)
    first.dock("settlementView").close()
    first.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, first.dock("sessionStatus"))
    log_table = first.findChild(QTableView, "messageLogTable")
    log_table.horizontalHeader().resizeSection(0, 171)
    session_table = first.findChild(QTableView, "sessionStatusTable")
    session_table.horizontalHeader().resizeSection(SessionStatusModel.COL_STATE, 133)
    session_table.sortByColumn(SessionStatusModel.COL_SESSION, Qt.SortOrder.DescendingOrder)
    first_geometry = first.geometry()
    first.close()
    assert (tmp_path / "ui.ini").exists()

    second = make_window()
    assert second.geometry().size() == first_geometry.size()
    assert second.theme is Theme.LIGHT
    assert not second.dock("settlementView").isVisible()
    assert second.dockWidgetArea(second.dock("sessionStatus")) == (
        Qt.DockWidgetArea.RightDockWidgetArea
    )
    log_table = second.findChild(QTableView, "messageLogTable")
    assert log_table.horizontalHeader().sectionSize(0) == 171
    session_table = second.findChild(QTableView, "sessionStatusTable")
    header = session_table.horizontalHeader()
    assert header.sectionSize(SessionStatusModel.COL_STATE) == 133
    assert header.sortIndicatorSection() == SessionStatusModel.COL_SESSION
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    model = session_table.model()
    names = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert names == sorted(names, reverse=True)  # the model is sorted, not just the arrow


def test_settings_go_only_to_the_given_file(make_window, tmp_path: Path) -> None:
    window = make_window()
    window.save_layout()
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    keys = set(settings.allKeys())
    assert {"mainWindow/geometry", "mainWindow/state", "appearance/theme"} <= keys
    assert "tables/messageLogTable/header" in keys
    assert "tables/sessionStatusTable/header" in keys
    assert str(settings.value("tables/messageLogTable/columns")) == "6"
    assert [p.name for p in tmp_path.iterdir()] == ["ui.ini"]


def test_a_damaged_settings_file_falls_back_to_defaults(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "ui.ini"
    path.write_text(
        "[mainWindow]\ngeometry=garbage\nstate=@ByteArray(nonsense)\n[appearance]\ntheme=purple\n",
        encoding="utf-8",
    )
    window = MainWindow(VenueKind.DEMO, "demo", path)
    qtbot.addWidget(window)
    assert window.theme is Theme.DARK
    assert all(window.dock(name).isVisibleTo(window) for name in DOCKS)


def test_a_header_saved_for_other_columns_is_not_restored(qtbot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    wider = QTableView()
    qtbot.addWidget(wider)
    wider.setObjectName("messageLogTable")
    wider.setModel(SessionStatusModel())  # twelve columns where the log has six
    wider.horizontalHeader().resizeSection(0, 250)
    save_table_state(settings, wider)
    panel = MessageLogPanel()
    qtbot.addWidget(panel)
    assert not restore_table_state(settings, panel.table)
    assert panel.table.horizontalHeader().count() == 6
    assert panel.table.horizontalHeader().sectionSize(0) != 250
