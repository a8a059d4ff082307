"""The Account column in the blotter: hidden on a trader's own desk, shown left of Market on
every tab when rows of several accounts can meet (a desk monitor watching two accounts, or a
second account's rows arriving), in the CSV export, and on screen in a screenshot."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QTableView

from tests.ui.desk_accounts import DESKS, two_desks
from tests.ui.trading_fixtures import NYC, T0, DeskDouble, Floor, busy_morning, market_snapshot
from workstation.trading.ticket import Intent
from workstation.ui.models.table_base import RecordTableModel
from workstation.ui.panels.account_filter import ALL_ACCOUNTS, attach_account_filter
from workstation.ui.panels.blotter import Blotter
from workstation.ui.theme import Theme, apply_theme

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _texts(model: RecordTableModel[Any, Any], name: str) -> list[str]:
    col = model.column_index(name)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


# -- the blotter ----------------------------------------------------------------------------


def _blotter(qtbot, desk: DeskDouble, **kw: Any) -> Blotter:
    blotter = Blotter(desk, clock=lambda: T0, **kw)
    for cl, intent in desk.floor.intents.items():
        blotter.intents.remember([cl], intent)
    blotter.load()
    qtbot.addWidget(blotter)
    blotter.resize(1500, 480)
    blotter.show()
    qtbot.waitExposed(blotter)
    return blotter


def _shown(blotter: Blotter) -> bool:
    """Whether the blotter says it shows the Account column (read afresh each time)."""
    return blotter.account_column_shown


def _views(blotter: Blotter) -> list[QTableView]:
    return [
        blotter.working_table,
        blotter.orders_table,
        blotter.fills_table,
        blotter.positions_table,
    ]


def _account_shown(view: QTableView) -> bool:
    model = view.model()
    assert isinstance(model, RecordTableModel)
    return not view.horizontalHeader().isSectionHidden(model.column_index("account"))


def _left_of_market(view: QTableView) -> bool:
    model = view.model()
    assert isinstance(model, RecordTableModel)
    header = view.horizontalHeader()
    account = header.visualIndex(model.column_index("account"))
    return account == header.visualIndex(model.column_index("market")) - 1


def _fits(view: QTableView, text: str) -> bool:
    model = view.model()
    assert isinstance(model, RecordTableModel)
    width = view.horizontalHeader().sectionSize(model.column_index("account"))
    return width >= view.fontMetrics().horizontalAdvance(text)


def test_a_traders_own_desk_keeps_the_account_column_hidden(qtbot) -> None:
    blotter = _blotter(qtbot, DeskDouble(busy_morning().floor))
    assert not _shown(blotter)
    for view in _views(blotter):
        assert not _account_shown(view), view.objectName()
        assert _left_of_market(view)  # where it shows, if it ever does
    # The column is there all the same: sortable and in the export.
    stream = io.StringIO()
    blotter.orders_model.write_csv(stream)
    assert stream.getvalue().splitlines()[0].endswith(",Account")


def test_a_desk_watching_two_accounts_shows_it_left_of_market_on_every_tab(qtbot) -> None:
    blotter = _blotter(qtbot, DeskDouble(two_desks(), listen_only=True), accounts=DESKS)
    assert _shown(blotter)
    for view in _views(blotter):
        assert _account_shown(view) and _left_of_market(view), view.objectName()
        assert _fits(view, "Desk B")  # sized with the others at the first show
    orders = blotter.orders_model
    assert set(_texts(orders, "account")) == set(DESKS)


def test_watched_accounts_told_before_any_row_arrives_show_the_column(qtbot) -> None:
    blotter = _blotter(qtbot, DeskDouble(Floor(account="Desk A"), listen_only=True))
    assert not _shown(blotter)
    attach_account_filter(blotter, DESKS)  # the desk monitor's wiring
    assert _shown(blotter)
    assert all(_account_shown(view) for view in _views(blotter))
    blotter.set_accounts(["Desk A"])  # one account watched, none seen: nothing to tell apart
    assert not any(_account_shown(view) for view in _views(blotter))


def test_a_second_accounts_rows_bring_the_column_in(qtbot) -> None:
    floor = Floor(account="Desk A")
    cl = floor.send(NYC, Intent.BUY_YES, "0.30", 5, at=T0)
    floor.ack(cl, at=T0 + 1)
    blotter = _blotter(qtbot, DeskDouble(floor))
    assert not _shown(blotter)
    floor.changes.clear()
    floor.account = "Desk B - the overnight book"
    cl = floor.send(NYC, Intent.BUY_YES, "0.30", 5, at=T0 + 2)
    blotter.intents.remember([cl], Intent.BUY_YES)
    blotter.apply_changes(floor.changes)
    assert _shown(blotter)
    for view in _views(blotter):
        assert _account_shown(view) and _left_of_market(view)
    assert _fits(blotter.orders_table, "Desk B - the overnight book")


def test_the_blotters_csv_export_carries_the_account(qtbot, tmp_path: Path) -> None:
    blotter = _blotter(qtbot, DeskDouble(two_desks(), listen_only=True), accounts=DESKS)
    blotter.tabs.setCurrentIndex(2)  # fills
    blotter.apply_filter(account="Desk B")
    path = tmp_path / "fills.csv"
    assert blotter.export_csv(path) == 2
    with path.open(encoding="utf-8", newline="") as stream:
        table = list(csv.reader(stream))
    account = table[0].index("Account")
    assert [row[account] for row in table[1:]] == ["Desk B", "Desk B"]


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_screenshot_of_a_desk_monitor_watching_two_accounts(qtbot, theme: Theme) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old_palette, old_sheet = app.palette(), app.styleSheet()
    apply_theme(app, theme)
    try:
        desk = DeskDouble(two_desks(), listen_only=True, market=market_snapshot(as_of=T0 - 8))
        blotter = Blotter(desk, clock=lambda: T0)
        for cl, intent in desk.floor.intents.items():
            blotter.intents.remember([cl], intent)
        blotter.load()
        qtbot.addWidget(blotter)
        bar = attach_account_filter(blotter, DESKS)
        blotter.resize(1500, 380)
        blotter.show()
        qtbot.waitExposed(blotter)
        assert bar.combo.currentText() == ALL_ACCOUNTS
        for index, tab in ((1, "orders"), (3, "positions")):
            blotter.tabs.setCurrentIndex(index)
            view = _views(blotter)[index]
            assert _account_shown(view)
            qtbot.wait(10)
            SCREENSHOTS.mkdir(exist_ok=True)
            path = SCREENSHOTS / f"blotter-desk-monitor-{tab}-{theme}.png"
            assert blotter.grab().save(str(path))
            image = QImage(str(path))
            assert (image.width(), image.height()) == (blotter.width(), blotter.height())
            # The Account column is on screen, not scrolled off to the right.
            model = view.model()
            assert isinstance(model, RecordTableModel)
            x = view.horizontalHeader().sectionViewportPosition(model.column_index("account"))
            assert 0 <= x < view.viewport().width() // 2
    finally:
        app.setStyleSheet(old_sheet)
        app.setPalette(old_palette)
