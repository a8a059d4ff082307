"""The blotter's saved layout and the Account column.

``data/layout_before_account_column.ini`` was written by the workstation as it was before
the column existed (its blotter tables had 15, 15, 14 and 14 columns): the trader widened
Market on All orders to 213 px and dragged Status next to Time, sorted it by Price, widened
Fee on Fills to 131 px, sorted Positions by Total P&L (descending) with Market at 187 px,
and moved the message log to the right. That layout must come back whole, with the Account
column added where the blotter puts it. Whether Account shows is the desk's to say (several
accounts watched or seen), not the saved file's.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTableView

from tests.ui.desk_accounts import DESKS, two_desks
from tests.ui.trading_fixtures import T0, DeskDouble, busy_morning
from workstation.ui.docks import LAYOUT_VERSION
from workstation.ui.main_window import MainWindow
from workstation.ui.models.orders_model import OrdersModel
from workstation.ui.models.table_base import RecordTableModel
from workstation.ui.panels.account_filter import attach_account_filter
from workstation.ui.panels.blotter import Blotter
from workstation.ui.theme import Theme

BEFORE = Path(__file__).resolve().parent / "data" / "layout_before_account_column.ini"
TABLES = ("workingTable", "ordersTable", "fillsTable", "positionsTable")


def _open(qtbot, ini: Path, *, desk_monitor: bool) -> tuple[MainWindow, Blotter]:
    """The window as ``wiring.build_window`` puts it together: blotter in its dock (its saved
    headers restored), then a desk monitor's account choice, then shown."""
    window = MainWindow("LOCAL", "127.0.0.1 (built-in simulator)", ini)
    qtbot.addWidget(window)
    floor = two_desks() if desk_monitor else busy_morning().floor
    blotter = Blotter(DeskDouble(floor, listen_only=desk_monitor), clock=lambda: T0)
    for cl, intent in floor.intents.items():
        blotter.intents.remember([cl], intent)
    blotter.load()
    window.set_panel("blotter", blotter)
    if desk_monitor:
        attach_account_filter(blotter, DESKS)
    window.show()
    qtbot.waitExposed(window)
    return window, blotter


def _table(blotter: Blotter, name: str) -> tuple[QTableView, RecordTableModel[Any, Any]]:
    view = blotter.findChild(QTableView, name)
    assert isinstance(view, QTableView)
    model = view.model()
    assert isinstance(model, RecordTableModel)
    return view, model


def _visual(view: QTableView, model: RecordTableModel[Any, Any]) -> list[str]:
    header = view.horizontalHeader()
    order = [model.columns[header.logicalIndex(v)].name for v in range(header.count())]
    return [name for name in order if not header.isSectionHidden(model.column_index(name))]


def _width(view: QTableView, model: RecordTableModel[Any, Any], name: str) -> int:
    return view.horizontalHeader().sectionSize(model.column_index(name))


def _before(tmp_path: Path) -> Path:
    ini = tmp_path / "layout.ini"
    shutil.copyfile(BEFORE, ini)
    return ini


def _check_the_old_layout_came_back(window: MainWindow, blotter: Blotter) -> None:
    assert window.dockWidgetArea(window.dock("messageLog")) == Qt.DockWidgetArea.RightDockWidgetArea
    orders, model = _table(blotter, "ordersTable")
    header = orders.horizontalHeader()
    assert header.count() == model.columnCount() == 16
    assert _width(orders, model, "market") == 213
    assert header.sortIndicatorSection() == model.column_index("price")
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert isinstance(model, OrdersModel)
    prices = [model.price_of(o) for o in model.visible_records()]  # sorted, not just the arrow
    assert prices == sorted(prices, key=lambda p: (p is not None, p or 0))
    fills, fills_model = _table(blotter, "fillsTable")
    assert _width(fills, fills_model, "fee") == 131
    positions, positions_model = _table(blotter, "positionsTable")
    assert _width(positions, positions_model, "market") == 187
    assert positions_model.sort_column == positions_model.column_index("total")
    assert positions_model.sort_order == Qt.SortOrder.DescendingOrder


def test_a_layout_saved_before_the_account_column_comes_back_on_a_traders_desk(
    qtbot, tmp_path: Path
) -> None:
    assert LAYOUT_VERSION == 3  # the dock set did not change: the window's state stays valid
    window, blotter = _open(qtbot, _before(tmp_path), desk_monitor=False)
    _check_the_old_layout_came_back(window, blotter)
    orders, model = _table(blotter, "ordersTable")
    assert _visual(orders, model)[:3] == ["time", "status", "market"]  # as the trader left it
    for name in TABLES:
        view, model = _table(blotter, name)
        assert "account" not in _visual(view, model), name  # one account: hidden


def test_a_layout_saved_before_the_account_column_comes_back_on_a_desk_monitor(
    qtbot, tmp_path: Path
) -> None:
    window, blotter = _open(qtbot, _before(tmp_path), desk_monitor=True)
    _check_the_old_layout_came_back(window, blotter)
    orders, model = _table(blotter, "ordersTable")
    # Account takes the place the blotter gives it (second), the trader's order otherwise.
    assert _visual(orders, model)[:4] == ["time", "account", "status", "market"]
    fills, fills_model = _table(blotter, "fillsTable")
    assert _visual(fills, fills_model)[:3] == ["time", "account", "market"]
    positions, positions_model = _table(blotter, "positionsTable")
    assert _visual(positions, positions_model)[:2] == ["account", "market"]
    for name in TABLES:
        view, model = _table(blotter, name)
        assert 48 <= _width(view, model, "account") <= 280
        assert len(_visual(view, model)) == model.columnCount()  # nothing else hidden


def test_the_account_columns_place_width_and_sort_survive_a_restart(qtbot, tmp_path: Path) -> None:
    ini = _before(tmp_path)
    first, blotter = _open(qtbot, ini, desk_monitor=True)
    fills, model = _table(blotter, "fillsTable")
    header = fills.horizontalHeader()
    account = model.column_index("account")
    header.resizeSection(account, 151)
    header.moveSection(header.visualIndex(account), header.count() - 1)  # dragged to the end
    fills.sortByColumn(account, Qt.SortOrder.AscendingOrder)
    first.set_theme(Theme.LIGHT)
    first.close()
    saved = QSettings(str(ini), QSettings.Format.IniFormat)
    assert str(saved.value("tables/fillsTable/columns")) == "15"  # 14 before, and Account

    second, blotter = _open(qtbot, ini, desk_monitor=True)
    fills, model = _table(blotter, "fillsTable")
    assert _visual(fills, model)[-1] == "account"
    assert _width(fills, model, "account") == 151
    assert model.sort_column == account
    assert [f.account for f in model.visible_records()] == ["Desk A"] * 2 + ["Desk B"] * 2
    _check_the_old_layout_came_back(second, blotter)  # the rest of it saved again too


def test_the_desk_not_the_saved_layout_decides_whether_account_shows(qtbot, tmp_path: Path) -> None:
    ini = tmp_path / "layout.ini"
    monitor, blotter = _open(qtbot, ini, desk_monitor=True)
    assert all("account" in _visual(*_table(blotter, n)) for n in TABLES)
    monitor.close()  # saved with Account shown

    trader, blotter = _open(qtbot, ini, desk_monitor=False)  # same data directory
    assert not any("account" in _visual(*_table(blotter, n)) for n in TABLES)
    trader.close()  # saved with Account hidden

    monitor, blotter = _open(qtbot, ini, desk_monitor=True)
    for name in TABLES:
        view, model = _table(blotter, name)
        assert "account" in _visual(view, model), name
        assert _width(view, model, "account") >= view.fontMetrics().horizontalAdvance("Desk B")
