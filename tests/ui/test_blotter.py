"""The blotter panel: tabs, the filter bar, the order actions (amend with the queue cue,
cancel, cancel all), CSV export and listen-only, on a realistic morning of real orders."""

from __future__ import annotations

import asyncio
import csv
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QTableView

from tests.ui.trading_fixtures import (
    FED_CUT,
    NYC,
    T0,
    DeskDouble,
    Morning,
    busy_morning,
    market_snapshot,
    run_until,
)
from workstation.trading.ticket import Intent
from workstation.ui.models.orders_model import OrdersModel
from workstation.ui.panels.amend_dialog import AmendDialog, QueueCue
from workstation.ui.panels.blotter import Blotter
from workstation.ui.panels.ticket import OrderTicket
from workstation.ui.theme import Theme, apply_theme

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

if TYPE_CHECKING:
    from workstation.client.desk import Desk
    from workstation.ui.panels.blotter import BlotterDesk
    from workstation.ui.panels.ticket import TicketDesk

    def _the_desk_fits_both_panels(desk: Desk) -> tuple[TicketDesk, BlotterDesk]:
        """mypy checks that the real Desk satisfies the panels' protocols."""
        return desk, desk


def _blotter(qtbot, morning: Morning, **kw) -> tuple[Blotter, DeskDouble]:
    desk = DeskDouble(morning.floor, market=market_snapshot(as_of=T0 - 8), **kw)
    blotter = Blotter(desk, clock=lambda: T0)
    for cl, intent in morning.floor.intents.items():
        blotter.intents.remember([cl], intent)
    blotter.load()
    qtbot.addWidget(blotter)
    blotter.resize(1500, 520)
    blotter.show()
    qtbot.waitExposed(blotter)
    return blotter, desk


@pytest.fixture
def morning() -> Morning:
    return busy_morning()


def _row(view: QTableView, cl: str) -> int:
    model = view.model()
    assert isinstance(model, OrdersModel)
    row = model.row_of(cl)
    assert row is not None
    return int(row)


def _select(view: QTableView, *cls: str) -> None:
    view.clearSelection()
    for cl in cls:
        view.selectionModel().select(
            view.model().index(_row(view, cl), 0),
            view.selectionModel().SelectionFlag.Select | view.selectionModel().SelectionFlag.Rows,
        )


def _activate(qtbot, blotter: Blotter) -> None:
    blotter.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is blotter)


def _settle(loop, blotter: Blotter) -> None:
    run_until(loop, lambda: not blotter.busy())


# -- what it shows --------------------------------------------------------------------------


def test_tabs_hold_the_desks_orders_fills_and_positions(qtbot, qasync_loop, morning):
    blotter, _ = _blotter(qtbot, morning)
    titles = [blotter.tabs.tabText(i) for i in range(blotter.tabs.count())]
    assert titles == ["Working orders (7)", "All orders (15)", "Fills (7)", "Positions (4)"]
    for name in ("workingTable", "ordersTable", "fillsTable", "positionsTable"):
        assert blotter.findChild(QTableView, name) is not None
    assert blotter.summary.text().startswith("Realised +$1.28 · Unrealised +$2.04")


def test_a_desk_batch_updates_every_tab(qtbot, qasync_loop, morning):
    blotter, _ = _blotter(qtbot, morning)
    floor = morning.floor
    floor.changes.clear()
    floor.fill(morning.ids["fed_no"], 6, at=T0 + 1)
    cl = floor.send(NYC, Intent.BUY_YES, "0.30", 5, at=T0 + 2)
    blotter.apply_changes(floor.changes)
    blotter.note_intent(floor.order(cl), Intent.BUY_YES)
    titles = [blotter.tabs.tabText(i) for i in range(blotter.tabs.count())]
    # fed_no filled (leaves Working), the new order arrives: still 7 working, 16 in all.
    assert titles == ["Working orders (7)", "All orders (16)", "Fills (8)", "Positions (4)"]


def test_the_filter_bar_filters_every_tab_as_you_type(qtbot, qasync_loop, morning):
    blotter, _ = _blotter(qtbot, morning)
    qtbot.keyClicks(blotter.market_edit, "fed")
    assert blotter.orders_model.rowCount() == 4
    assert blotter.fills_model.rowCount() == 2
    assert blotter.positions_model.rowCount() == 2
    blotter.side_combo.refill()
    blotter.side_combo.setCurrentText("Buy NO")
    assert {o.symbol for o in blotter.orders_model.visible_records()} == {FED_CUT}
    assert blotter.positions_model.rowCount() == 2  # positions have no side filter
    blotter.market_edit.clear()
    blotter.side_combo.setCurrentIndex(0)
    blotter.status_combo.refill()
    blotter.status_combo.setCurrentText("Unknown — reconciling")
    assert [o.first_cl_ord_id for o in blotter.orders_model.visible_records()] == [
        morning.ids["unknown"]
    ]
    blotter.status_combo.setCurrentIndex(0)
    blotter.sub_combo.refill()
    assert [blotter.sub_combo.itemText(i) for i in range(blotter.sub_combo.count())] == [
        "Any",
        "3",
        "Primary",
    ]
    qtbot.keyClicks(blotter.filter_edit, "ord-5003")
    assert blotter.orders_model.rowCount() == 1
    assert blotter.fills_model.rowCount() == 1
    assert blotter.tabs.tabText(1) == "All orders (1)"


def test_csv_export_writes_the_rows_the_tab_shows(qtbot, qasync_loop, morning, tmp_path):
    blotter, _ = _blotter(qtbot, morning)
    blotter.tabs.setCurrentIndex(2)  # fills
    blotter.apply_filter(market="NBAGAME")
    path = tmp_path / "fills.csv"
    assert blotter.export_csv(path) == 5
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0][:6] == ["Time (ET)", "Market", "Side", "Price", "Qty", "Value"]
    assert len(rows) == 6
    assert all("NBAGAME" in r[1] for r in rows[1:])
    healed = [r for r in rows[1:] if "healed" in r]
    assert len(healed) == 1 and healed[0][3] == "0.45" and healed[0][4] == "15"
    assert "Exported 5 rows" in blotter.status_line.text()


# -- order actions ------------------------------------------------------------------------------


def test_context_menu_cancel_names_the_orders_current_clordid(qtbot, qasync_loop, morning):
    blotter, desk = _blotter(qtbot, morning)
    view = blotter.working_table
    cl = morning.ids["nyc_bid"]
    _select(view, cl)
    rect = view.visualRect(view.model().index(_row(view, cl), 1))
    view.customContextMenuRequested.emit(rect.center())
    menu = blotter.findChild(QMenu, "blotterMenu")
    assert menu is not None
    names = [a.objectName() for a in menu.actions()]
    assert names == ["actionAmend", "actionCancel", "actionCopyClOrdId"]
    cancel = menu.actions()[1]
    assert cancel.isEnabled()
    cancel.trigger()
    menu.close()
    _settle(qasync_loop, blotter)
    assert desk.calls == [("cancel", morning.floor.order(cl).cl_ord_id)]
    assert "Cancel KXHIGHNY-25JAN07-B39.5: sent" in blotter.status_line.text()


def test_actions_follow_the_order_state(qtbot, qasync_loop, morning):
    blotter, _ = _blotter(qtbot, morning)
    order = morning.floor.order

    def enabled(key: str) -> tuple[bool, bool]:
        amend, cancel, _copy = blotter.actions_for([order(morning.ids[key])])
        return amend.isEnabled(), cancel.isEnabled()

    assert enabled("nyc_bid") == (True, True)  # working
    assert enabled("fed_no") == (True, True)  # partially filled
    assert enabled("hot_no") == (False, True)  # a replace in flight: cancel only
    assert enabled("nyc_cancel") == (False, False)  # a cancel in flight
    assert enabled("unknown") == (False, True)  # a cancel settles an unknown order
    assert enabled("cle_buy") == (False, False)  # filled
    assert enabled("rejected") == (False, False)
    amend, cancel, _ = blotter.actions_for(
        [order(morning.ids["nyc_bid"]), order(morning.ids["fed_no"]), order(morning.ids["cle_buy"])]
    )
    assert not amend.isEnabled()
    assert cancel.text() == "Cancel 2 orders"


def test_cancelling_several_orders_cancels_each_once(qtbot, qasync_loop, morning):
    blotter, desk = _blotter(qtbot, morning)
    desk.gate = asyncio.Event()
    view = blotter.working_table
    _select(view, morning.ids["nyc_bid"], morning.ids["fed_no"])
    _activate(qtbot, blotter)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    qtbot.keyClick(view, Qt.Key.Key_Delete)  # again while the first cancels run
    qasync_loop.run_until_complete(asyncio.sleep(0.05))
    assert sorted(c[1] for c in desk.calls) == sorted(
        morning.floor.order(morning.ids[k]).cl_ord_id for k in ("nyc_bid", "fed_no")
    )
    desk.gate.set()
    _settle(qasync_loop, blotter)
    assert len(desk.calls) == 2


def test_double_click_amends_with_the_queue_cue_in_the_traders_terms(qtbot, qasync_loop, morning):
    blotter, desk = _blotter(qtbot, morning)
    view = blotter.working_table
    cl = morning.ids["fed_no"]  # Buy NO 10 at 62¢ (Side 2 at YES 38¢), 4 filled
    index = view.model().index(_row(view, cl), 1)
    view.doubleClicked.emit(index)
    dialog = blotter.dialog
    assert isinstance(dialog, AmendDialog)
    assert dialog.isVisible() and dialog.isModal()
    assert dialog.price_edit.text() == "62"
    assert dialog.qty_edit.text() == "10"
    assert not dialog.send_button.isEnabled()  # nothing changed yet

    def edit(price: str, qty: str) -> str:
        dialog.price_edit.setText(price)
        dialog.qty_edit.setText(qty)
        dialog.qty_edit.textEdited.emit(qty)
        return dialog.cue.text() if dialog.send_button.isEnabled() else dialog.error.text()

    assert edit("62", "8") == QueueCue.KEEPS
    assert edit("62", "12") == QueueCue.LOSES_SIZE
    assert edit("60", "8") == QueueCue.LOSES_PRICE
    assert edit("62", "3") == "Quantity 3 is below the 4 already filled"
    assert edit("62", "4").endswith("this cancels the rest")
    assert edit("99.5", "10").startswith("Price must be on the 1¢ grid")
    edit("60", "10")
    dialog.send_button.click()
    _settle(qasync_loop, blotter)
    # 60¢ for NO is 40¢ for YES: what Price (44) carries.
    assert desk.calls == [("replace", morning.floor.order(cl).cl_ord_id, Decimal("0.40"), None)]
    assert blotter.dialog is None


def test_amend_of_a_yes_order_sends_the_yes_price_and_new_total(qtbot, qasync_loop, morning):
    blotter, desk = _blotter(qtbot, morning)
    dialog = blotter.open_amend(morning.floor.order(morning.ids["nyc_bid"]))
    assert dialog is not None
    dialog.qty_edit.setText("20")
    dialog.qty_edit.textEdited.emit("20")
    dialog.send_button.click()
    _settle(qasync_loop, blotter)
    assert desk.calls == [
        ("replace", morning.floor.order(morning.ids["nyc_bid"]).cl_ord_id, None, Decimal(20))
    ]


def test_double_click_on_a_done_order_explains_instead(qtbot, qasync_loop, morning):
    blotter, _desk = _blotter(qtbot, morning)
    view = blotter.orders_table
    view.doubleClicked.emit(view.model().index(_row(view, morning.ids["cle_buy"]), 0))
    assert blotter.dialog is None
    assert blotter.status_line.text() == "Filled: this order cannot be amended now"


def test_cancel_all_asks_first_then_cancels_everything(qtbot, qasync_loop, morning):
    blotter, desk = _blotter(qtbot, morning)
    _activate(qtbot, blotter)
    blotter.orders_table.setFocus()
    qtbot.keyClick(
        blotter.orders_table,
        Qt.Key.Key_X,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    box = blotter.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == "Cancel all 7 open orders?"
    keep = next(b for b in box.buttons() if b.text() == "Keep them")
    keep.click()
    qasync_loop.run_until_complete(asyncio.sleep(0.02))
    assert desk.calls == []
    box = blotter.ask_cancel_all()
    assert box is not None
    assert blotter.ask_cancel_all() is None  # one confirmation at a time
    yes = next(b for b in box.buttons() if b.text() == "Cancel all orders")
    yes.click()
    _settle(qasync_loop, blotter)
    assert desk.calls == [("cancel_all",)]
    assert blotter.status_line.text() == "Cancel all sent: 7 open orders asked to cancel"


def test_a_refused_action_is_shown(qtbot, qasync_loop, morning):
    blotter, desk = _blotter(qtbot, morning)
    desk.refuse = "KalshiNR went offline; not sent"
    blotter.cancel_orders([morning.floor.order(morning.ids["nyc_bid"])])
    _settle(qasync_loop, blotter)
    assert blotter.status_line.text() == (
        "Cancel KXHIGHNY-25JAN07-B39.5 not sent: KalshiNR went offline; not sent"
    )


def test_listen_only_disables_every_action(qtbot, qasync_loop, morning):
    blotter, desk = _blotter(qtbot, morning, listen_only=True)
    assert not blotter.cancel_all_button.isEnabled()
    assert blotter.ask_cancel_all() is None
    for action in blotter.actions_for([morning.floor.order(morning.ids["nyc_bid"])])[:2]:
        assert not action.isEnabled()
    view = blotter.working_table
    view.doubleClicked.emit(view.model().index(_row(view, morning.ids["nyc_bid"]), 0))
    assert blotter.dialog is None
    assert desk.calls == []
    assert "Listen-only" in blotter.cancel_all_button.toolTip()


# -- screenshots ---------------------------------------------------------------------------------


def _save(widget, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / name
    assert widget.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() == widget.width() and image.height() == widget.height()
    return path


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_screenshots_of_the_ticket_and_blotter(qtbot, qasync_loop, morning, theme):
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old_palette, old_sheet = app.palette(), app.styleSheet()
    apply_theme(app, theme)
    try:
        blotter, desk = _blotter(qtbot, morning)
        blotter.fit_columns()
        for index, tab in enumerate(("working", "orders", "fills", "positions")):
            blotter.tabs.setCurrentIndex(index)
            qtbot.wait(10)
            _save(blotter, f"blotter-{tab}-{theme}.png")
        ticket = OrderTicket(desk, clock=lambda: T0)
        qtbot.addWidget(ticket)
        ticket.resize(380, 720)
        ticket.show()
        ticket.set_symbol(FED_CUT)
        ticket.set_intent(Intent.BUY_NO)
        ticket.set_price(Decimal("0.62"))
        ticket.set_quantity(Decimal(25))
        qtbot.wait(10)
        _save(ticket, f"ticket-{theme}.png")
        dialog = blotter.open_amend(morning.floor.order(morning.ids["fed_no"]))
        assert dialog is not None
        dialog.price_edit.setText("60")
        dialog.price_edit.textEdited.emit("60")
        qtbot.wait(10)
        _save(dialog, f"amend-{theme}.png")
        dialog.reject()
    finally:
        app.setStyleSheet(old_sheet)
        app.setPalette(old_palette)


def test_switching_the_theme_recolours_the_tables(qtbot, qasync_loop, morning):
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old_palette, old_sheet = app.palette(), app.styleSheet()
    try:
        apply_theme(app, Theme.LIGHT)
        blotter, _ = _blotter(qtbot, morning)
        assert not blotter.orders_model.dark
        apply_theme(app, Theme.DARK)
        qtbot.waitUntil(lambda: blotter.orders_model.dark)
        assert all(
            m.dark for m in (blotter.working_model, blotter.fills_model, blotter.positions_model)
        )
        blotter.set_theme(Theme.LIGHT)
        assert not blotter.orders_model.dark
    finally:
        app.setStyleSheet(old_sheet)
        app.setPalette(old_palette)
