"""Orders from the ticket to the blotter and back, against the real local venue: submit,
partial and full fills from a counterparty, amend through the blotter's dialog, cancel from
the context menu, cancel all."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QTableView

from tests.ui.e2e.harness import (
    MARKET,
    Counterparty,
    Workstation,
    cell,
    double_click,
    order_status,
    rows,
    submit_order,
    wait_until,
)
from workstation.fix.messages.enums import Side
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent
from workstation.ui.panels.amend_dialog import AmendDialog

WORKING = OrderStatus.NEW.value


def row_center(view: QTableView, key: str, column: str = "market") -> QPoint:
    model = view.model()
    row = model.row_of(key)  # type: ignore[attr-defined]
    assert row is not None, f"{key} is not shown in {view.objectName()}"
    col = model.column_index(column)  # type: ignore[attr-defined]
    return view.visualRect(model.index(row, col)).center()


def open_context_menu(station: Workstation, view: QTableView, key: str) -> QMenu:
    """Right-click the order's row, as the mouse does: a context-menu event on the viewport."""
    station.blotter.tabs.setCurrentWidget(view)
    pos = row_center(view, key)
    viewport = view.viewport()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos))
    QApplication.sendEvent(viewport, event)
    menus = [m for m in station.blotter.findChildren(QMenu, "blotterMenu") if m.isVisible()]
    assert len(menus) == 1, "the context menu did not open"
    return menus[0]


def test_an_order_from_the_ticket_works_then_fills_partly_then_fully(
    qtbot, station: Workstation, counterparty: Counterparty
):
    order = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "40", "10")
    key = order.first_cl_ord_id
    blotter = station.blotter
    working = blotter.working_table
    wait_until(lambda: cell(working, key, "status") == WORKING, "the order to be working")
    shown = rows(working)[0]
    assert (shown["market"], shown["side"], shown["price"], shown["quantity"]) == (
        MARKET,
        "Buy YES",
        "40¢",
        "10",
    )
    assert "Sent" in station.ticket.outcome.text() and key in station.ticket.outcome.text()
    assert rows(blotter.fills_table) == [] and rows(blotter.positions_table) == []

    counterparty.order(MARKET, Side.SELL, 4, "0.40")
    wait_until(
        lambda: cell(working, key, "status") == OrderStatus.PARTIALLY_FILLED.value,
        "the order to be partially filled",
    )
    assert (cell(working, key, "filled"), cell(working, key, "leaves")) == ("4", "6")
    wait_until(lambda: len(rows(blotter.positions_table)) == 1, "a position row")
    [fill] = rows(blotter.fills_table)
    assert (fill["market"], fill["side"], fill["price"], fill["quantity"]) == (
        MARKET,
        "Buy YES",
        "40¢",
        "4",
    )
    [position] = rows(blotter.positions_table)
    assert (position["market"], position["held"], position["quantity"]) == (MARKET, "YES", "4")

    second = counterparty.order(MARKET, Side.SELL, 6, "0.40")
    orders = blotter.orders_table
    wait_until(lambda: cell(orders, key, "status") == OrderStatus.FILLED.value, "the order filled")
    assert working.model().rowCount() == 0  # done: no longer a working order
    assert (cell(orders, key, "filled"), cell(orders, key, "leaves")) == ("10", "0")
    assert cell(orders, key, "avg") == "40¢"
    wait_until(lambda: len(rows(blotter.fills_table)) == 2, "the second fill row")
    assert sorted(f["quantity"] for f in rows(blotter.fills_table)) == ["4", "6"]
    wait_until(
        lambda: rows(blotter.positions_table)[0]["quantity"] == "10", "the position to be 10"
    )
    # The counterparty, on its own session, was told of its side of the same two trades.
    wait_until(
        lambda: ("2", "6") in [(m.get(39), m.get(32)) for m in counterparty.reports(second)],
        "the counterparty's own report of its fill",
    )
    held = station.desk.positions.get(station.desk.venue_id, station.desk.accounts[0], None, MARKET)
    assert held is not None and held.net == Decimal(10)


def test_amend_through_the_blotter_dialog_replaces_the_order(qtbot, station: Workstation):
    order = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "30", "5")
    key = order.first_cl_ord_id
    working = station.blotter.working_table
    wait_until(lambda: cell(working, key, "status") == WORKING, "the order to be working")

    double_click(qtbot, working.viewport(), row_center(working, key))
    dialog = station.blotter.dialog
    assert isinstance(dialog, AmendDialog) and dialog.isVisible()
    for edit, text in ((dialog.price_edit, "32"), (dialog.qty_edit, "8")):
        edit.selectAll()
        qtbot.keyClicks(edit, text)
    assert dialog.send_button.isEnabled(), dialog.error.text()
    qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)

    wait_until(
        lambda: (
            (cell(working, key, "price"), cell(working, key, "quantity")) == ("32¢", "8")
            and cell(working, key, "status") == WORKING
        ),
        "the replaced order to be working at 32¢ for 8",
    )
    amended = station.desk.orders.get(key)
    assert amended is not None
    assert len(amended.cl_ord_ids) == 2  # a replace gives the order a new ClOrdID
    assert cell(working, key, "cl_ord_id") == amended.cl_ord_id != key
    venue_orders = station.admin("snapshot", account=station.desk.accounts[0])["orders"]
    [resting] = [o for o in venue_orders if o["cl_ord_id"] == amended.cl_ord_id]
    assert (Decimal(resting["price"]), Decimal(resting["order_qty"])) == (
        Decimal("0.32"),
        Decimal(8),
    )


def test_cancel_from_the_context_menu(qtbot, station: Workstation):
    order = submit_order(qtbot, station, MARKET, Intent.BUY_NO, "20", "3")
    key = order.first_cl_ord_id
    blotter = station.blotter
    working = blotter.working_table
    wait_until(lambda: cell(working, key, "status") == WORKING, "the order to be working")
    assert cell(working, key, "side") == "Buy NO" and cell(working, key, "price") == "20¢"

    menu = open_context_menu(station, working, key)
    cancel = next(a for a in menu.actions() if a.objectName() == "actionCancel")
    assert cancel.isEnabled()
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(cancel).center())

    orders = blotter.orders_table
    wait_until(
        lambda: cell(orders, key, "status") == OrderStatus.CANCELLED.value, "the order cancelled"
    )
    assert working.model().rowCount() == 0
    assert "Cancel" in blotter.status_line.text() and "sent" in blotter.status_line.text()


def test_cancel_all_asks_then_cancels_every_working_order(qtbot, station: Workstation):
    keys = [
        submit_order(qtbot, station, MARKET, intent, cents, "2").first_cl_ord_id
        for intent, cents in ((Intent.BUY_YES, "10"), (Intent.BUY_YES, "11"), (Intent.BUY_NO, "12"))
    ]
    blotter = station.blotter
    working = blotter.working_table
    wait_until(
        lambda: [cell(working, k, "status") for k in keys] == [WORKING] * 3, "three working orders"
    )
    qtbot.mouseClick(blotter.cancel_all_button, Qt.MouseButton.LeftButton)
    box = blotter.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == "Cancel all 3 open orders?"
    yes = next(b for b in box.buttons() if b.text() == "Cancel all orders")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)

    wait_until(
        lambda: all(order_status(station, k) is OrderStatus.CANCELLED for k in keys),
        "every order cancelled",
    )
    wait_until(lambda: working.model().rowCount() == 0, "Working orders to be empty")
    assert [cell(blotter.orders_table, k, "status") for k in keys] == ["Cancelled"] * 3
    assert blotter.status_line.text() == "Cancel all sent: 3 open orders asked to cancel"
    venue_orders = station.admin("snapshot", account=station.desk.accounts[0])["orders"]
    assert [o["status"] for o in venue_orders] == ["CANCELED"] * 3


def test_an_ioc_order_takes_what_rests_and_the_rest_is_cancelled(
    qtbot, station: Workstation, counterparty: Counterparty
):
    resting = counterparty.order(MARKET, Side.SELL, 3, "0.44")
    wait_until(
        lambda: any(m.get(39) == "0" for m in counterparty.reports(resting)),
        "the counterparty's offer to rest",
    )
    ticket = station.ticket
    qtbot.keyClicks(ticket.tif_combo, "IOC")  # type-ahead in the closed combo
    assert ticket.tif_combo.currentText() == "IOC"
    order = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "44", "5")
    key = order.first_cl_ord_id
    orders = station.blotter.orders_table
    wait_until(
        lambda: cell(orders, key, "status") == OrderStatus.CANCELLED.value,
        "the unfilled rest of the IOC to be cancelled",
    )
    assert (cell(orders, key, "filled"), cell(orders, key, "leaves")) == ("3", "0")
    assert cell(orders, key, "tif") == "IOC"
    assert [f["quantity"] for f in rows(station.blotter.fills_table)] == ["3"]
