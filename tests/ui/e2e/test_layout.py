"""Restart restores the layout: the trader moves a dock, hides another and widens a blotter
column, closes the window, and the workstation started again on the same data directory
shows them as they were left."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.e2e.conftest import Launch
from tests.ui.e2e.harness import Workstation, wait_until


def test_restart_restores_docks_and_column_widths(qtbot, launch: Launch, tmp_path):
    data_dir = tmp_path / "desk"
    first = launch(data_dir)
    first.ready()
    window = first.window
    log = window.dock("messageLog")
    assert window.dockWidgetArea(log) == Qt.DockWidgetArea.BottomDockWidgetArea
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, log)  # dragged to the right
    toggle = window.dock("sessionStatus").toggleViewAction()
    toggle.trigger()  # View → Sessions, unticked
    assert not window.dock("sessionStatus").isVisible()
    header = first.blotter.orders_table.horizontalHeader()
    market = first.blotter.orders_model.column_index("market")
    wider = header.sectionSize(market) + 97
    header.resizeSection(market, wider)
    first.close()

    second = launch(data_dir)
    second.ready()
    window = second.window
    assert window.dockWidgetArea(window.dock("messageLog")) == Qt.DockWidgetArea.RightDockWidgetArea
    assert not window.dock("sessionStatus").isVisible()
    assert not window.dock("sessionStatus").toggleViewAction().isChecked()
    assert window.dock("blotter").isVisible()
    header = second.blotter.orders_table.horizontalHeader()
    assert header.sectionSize(market) == wider
    # The same local account, keys and venue state came back too.
    assert second.desk.accounts == first.desk.accounts


def test_reset_layout_after_a_restart_brings_every_dock_back(qtbot, launch: Launch, tmp_path):
    data_dir = tmp_path / "desk"
    first = launch(data_dir)
    first.ready()
    first.window.dock("blotter").toggleViewAction().trigger()
    first.close()

    second: Workstation = launch(data_dir)
    second.ready()
    window = second.window
    assert not window.dock("blotter").isVisible()
    window.reset_layout_action.trigger()
    wait_until(lambda: window.dock("blotter").isVisible(), "the blotter to be shown again")
    assert (
        window.dockWidgetArea(window.dock("messageLog")) == Qt.DockWidgetArea.BottomDockWidgetArea
    )
