"""What the trader sees when an order is not taken: the exchange's reject with its reason in
the orders table, and the workstation's own risk limits refusing (or asking) in the ticket
before anything is sent."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.e2e.conftest import Launch
from tests.ui.e2e.harness import (
    CLOSED_MARKET,
    MARKET,
    Workstation,
    cell,
    enter_order,
    order_status,
    pump,
    rows,
    submit_order,
    wait_until,
)
from workstation.client.config import RiskSettings, WorkstationConfig
from workstation.client.records import Direction
from workstation.fix.dialect import SessionType
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent

REJECTED = OrderStatus.REJECTED.value


def rejected_text(station: Workstation, key: str) -> str:
    orders = station.blotter.orders_table
    wait_until(
        lambda: cell(orders, key, "status") == REJECTED,
        f"the order to show Rejected (Desk: {order_status(station, key)})",
    )
    assert station.blotter.working_table.model().rowCount() == 0
    return cell(orders, key, "text")


def orders_sent(station: Workstation) -> int:
    """NewOrderSingles in the message log."""
    log = station.message_log.model
    return sum(
        1
        for record in log.records()
        if record.direction is Direction.OUT
        and record.msg_type == "D"
        and record.session is SessionType.RT
    )


def test_an_order_on_a_closed_market_is_rejected_with_the_reason(qtbot, station: Workstation):
    order = submit_order(qtbot, station, CLOSED_MARKET, Intent.BUY_YES, "40", "1")
    text = rejected_text(station, order.first_cl_ord_id)
    assert "closed" in text.lower(), text


def test_an_armed_internal_error_is_shown_as_the_reject_reason(qtbot, station: Workstation):
    station.admin("fail", account=station.desk.accounts[0], kind="INTERNAL_ERROR")
    order = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "40", "1")
    text = rejected_text(station, order.first_cl_ord_id)
    assert "internal" in text.lower(), text
    # Armed for one order only: the next is taken.
    again = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "40", "1")
    wait_until(
        lambda: cell(station.blotter.working_table, again.first_cl_ord_id, "status") == "Working",
        "the next order to work",
    )


def test_an_order_above_the_balance_is_rejected_for_insufficient_balance(qtbot, launch: Launch):
    generous = RiskSettings(
        max_contracts=100_000,
        max_order_cost=Decimal("1000000.00"),
        confirm_above_cost=Decimal("1000000.00"),
    )
    station = launch(config=WorkstationConfig(risk=generous))
    station.ready()
    order = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "99", "20000")
    text = rejected_text(station, order.first_cl_ord_id)
    assert "insufficient" in text.lower() and "balance" in text.lower(), text


def test_a_risk_limit_refuses_in_the_ticket_and_nothing_is_sent(qtbot, launch: Launch):
    station = launch(config=WorkstationConfig(risk=RiskSettings(max_order_cost=Decimal("5.00"))))
    station.ready()
    link = station.desk.order_link()
    assert link is not None
    next_seq = link.session.next_sender_seq
    enter_order(qtbot, station, MARKET, Intent.BUY_YES, "40", "100")
    ticket = station.ticket
    wait_until(lambda: not ticket.in_flight, "the ticket to finish")
    outcome = ticket.outcome.text()
    assert outcome.startswith("Not sent:") and "$5.00" in outcome, outcome
    assert ticket.outcome.property("error") is True
    assert ticket.submit_button.isEnabled()  # the trader can correct and send again
    pump(0.2)
    assert len(station.desk.orders) == 0
    assert rows(station.blotter.orders_table) == []
    assert link.session.next_sender_seq == next_seq
    assert orders_sent(station) == 0
    # Within the limit, the same ticket sends.
    qtbot.keyClick(ticket.qty_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(ticket.qty_edit, "10")
    qtbot.mouseClick(ticket.submit_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: len(station.desk.orders) == 1, "the smaller order to be sent")
    wait_until(lambda: orders_sent(station) == 1, "one NewOrderSingle in the message log")


def test_an_order_above_the_confirmation_threshold_waits_for_the_trader(qtbot, launch: Launch):
    station = launch(
        config=WorkstationConfig(risk=RiskSettings(confirm_above_cost=Decimal("20.00")))
    )
    station.ready()
    enter_order(qtbot, station, MARKET, Intent.BUY_YES, "40", "100")
    ticket = station.ticket
    wait_until(lambda: ticket.confirmation is not None, "the confirmation dialog")
    box = ticket.confirmation
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "confirm" in box.text().lower()
    assert not ticket.submit_button.isEnabled()  # one order, one NewOrderSingle
    pump(0.2)
    assert len(station.desk.orders) == 0 and orders_sent(station) == 0
    send = next(b for b in box.buttons() if b.text() == "Send order")
    qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    wait_until(lambda: len(station.desk.orders) == 1, "the confirmed order to be sent")
    [order] = list(station.desk.orders)
    wait_until(
        lambda: cell(station.blotter.working_table, order.first_cl_ord_id, "status") == "Working",
        "the confirmed order to work",
    )
    assert orders_sent(station) == 1
