"""The order ticket, driven as a trader would: real widgets, the real ticket arithmetic, and a
desk whose submit runs the Desk's own checks on the real stores."""

from __future__ import annotations

import asyncio
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from tests.ui.trading_fixtures import (
    CLE,
    FED_CUT,
    NYK,
    T0,
    DeskDouble,
    Floor,
    market_snapshot,
    run_until,
)
from workstation.fix.messages.enums import (
    OrderGroupAction,
    SelfTradePrevention,
    Side,
    TimeInForce,
)
from workstation.fix.messages.order_groups import OrderGroupRequest, OrderGroupResponse
from workstation.trading.risk import RiskLimits
from workstation.trading.ticket import Intent, build_order
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.panels.ticket import OrderTicket
from workstation.ui.theme import STATUS_COLORS, Theme


@pytest.fixture
def desk() -> DeskDouble:
    return DeskDouble(market=market_snapshot(as_of=T0 - 5))


@pytest.fixture
def ticket(qtbot, qasync_loop, desk) -> OrderTicket:
    widget = OrderTicket(desk, clock=lambda: T0)
    qtbot.addWidget(widget)
    widget.resize(380, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _fill(ticket: OrderTicket, symbol: str, intent: Intent, price: str, qty: str) -> None:
    ticket.set_symbol(symbol)
    ticket.set_intent(intent)
    ticket.price_edit.setText(price)
    ticket.price_edit.textEdited.emit(price)
    ticket.qty_edit.setText(qty)
    ticket.qty_edit.textEdited.emit(qty)


def _sent(desk: DeskDouble) -> list[Any]:
    return [call for call in desk.calls if call[0] == "submit"]


def _wait_idle(loop, ticket: OrderTicket) -> None:
    run_until(loop, lambda: not ticket.in_flight)


# -- the four intents ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("intent", "side", "yes_price", "words"),
    [
        (
            Intent.BUY_YES,
            Side.BUY,
            "0.30",
            "Buy 10 YES at 30¢ = Sell 10 NO at 70¢ (Side 1, YES price 30¢)",
        ),
        (
            Intent.BUY_NO,
            Side.SELL,
            "0.70",
            "Buy 10 NO at 30¢ = Sell 10 YES at 70¢ (Side 2, YES price 70¢)",
        ),
        (
            Intent.SELL_YES,
            Side.SELL,
            "0.30",
            "Sell 10 YES at 30¢ = Buy 10 NO at 70¢ (Side 2, YES price 30¢)",
        ),
        (
            Intent.SELL_NO,
            Side.BUY,
            "0.70",
            "Sell 10 NO at 30¢ = Buy 10 YES at 70¢ (Side 1, YES price 70¢)",
        ),
    ],
)
def test_each_intent_shows_and_sends_the_order_kalshi_gets(
    ticket, desk, qasync_loop, intent, side, yes_price, words
):
    _fill(ticket, FED_CUT, intent, "30", "10")
    assert ticket.equivalent.text() == words
    ticket.submit_button.click()
    _wait_idle(qasync_loop, ticket)
    [(_, sent, confirmed)] = _sent(desk)
    assert (sent.symbol, sent.intent, sent.price, sent.quantity) == (
        FED_CUT,
        intent,
        Decimal("0.30"),
        Decimal(10),
    )
    assert not confirmed
    nos = build_order(sent)
    assert (nos.side, nos.price) == (side, Decimal(yes_price))
    assert ticket.outcome.text().startswith("Sent")
    assert words in ticket.outcome.text()


def test_figures_for_a_buy(ticket):
    _fill(ticket, FED_CUT, Intent.BUY_YES, "30", "10")
    f = {k: label.text() for k, label in ticket.figure_labels.items()}
    assert f["cost"].startswith("$3.00")
    assert f["fee"] == "$0.15"  # ceil(0.07 × 10 × 0.30 × 0.70 = 0.147)
    assert f["max_loss"] == "$3.15"
    assert f["max_payout"] == "$10.00"
    assert f["max_profit"] == "$6.85"
    assert f["break_even"].startswith("31.5%")
    assert f["balance"].startswith("$1,250.00")
    assert not ticket.figure_labels["proceeds"].isVisibleTo(ticket)


def test_figures_for_a_sell_include_the_proceeds_of_closing(ticket):
    _fill(ticket, FED_CUT, Intent.SELL_YES, "60", "5")
    # Selling YES at 60¢ buys NO at 40¢: cost 5 × 40¢; closing held YES brings 5 × 60¢.
    assert ticket.figure_labels["cost"].text().startswith("$2.00  (5 NO × 40¢)")
    assert ticket.figure_labels["proceeds"].text() == "$3.00 for 5 YES held"
    assert ticket.figure_labels["proceeds"].isVisibleTo(ticket)


def test_available_balance_is_adjusted_by_fills_since_the_poll(qtbot, qasync_loop):
    floor = Floor()
    cl = floor.send(CLE, Intent.BUY_YES, "0.45", 10, at=T0 - 100)
    floor.fill(cl, 10, at=T0 - 10, taker=True)  # after the poll below: −$4.50 − 18¢ fee
    desk = DeskDouble(floor, market=market_snapshot(as_of=T0 - 60, balance="100.00"))
    ticket = OrderTicket(desk, clock=lambda: T0)
    qtbot.addWidget(ticket)
    _fill(ticket, CLE, Intent.SELL_YES, "58", "10")
    text = ticket.figure_labels["balance"].text()
    assert text.startswith("$95.32")
    assert "−$4.68 from fills since" in text
    assert ticket.figure_labels["position"].text() == "10 YES avg 45¢"


def test_batches_of_fills_move_the_balance_position_and_warning(qtbot, qasync_loop):
    floor = Floor()
    desk = DeskDouble(floor, market=market_snapshot(as_of=T0 - 60, balance="10.00"))
    ticket = OrderTicket(desk, clock=lambda: T0)
    qtbot.addWidget(ticket)
    _fill(ticket, CLE, Intent.BUY_YES, "40", "20")  # max loss $8.00 + fee: under $10.00
    assert not ticket.balance_warning.isVisibleTo(ticket)
    cle = floor.send(CLE, Intent.BUY_YES, "0.45", 10, at=T0 - 30)
    nyk = floor.send(NYK, Intent.BUY_YES, "0.20", 10, at=T0 - 30)
    floor.ack(cle, at=T0 - 30)
    floor.ack(nyk, at=T0 - 30)
    ticket.apply_changes(floor.fill(nyk, 5, at=T0 - 20))  # another market: −$1.00
    assert ticket.figure_labels["balance"].text().startswith("$9.00")
    assert ticket.figure_labels["position"].text() == "none"
    assert not ticket.balance_warning.isVisibleTo(ticket)
    batch = floor.fill(cle, 4, at=T0 - 10) + floor.fill(cle, 6, at=T0 - 5)  # −$4.50
    ticket.apply_changes(batch)
    assert ticket.figure_labels["balance"].text().startswith("$4.50")
    assert "−$5.50 from fills since" in ticket.figure_labels["balance"].text()
    assert ticket.figure_labels["position"].text() == "10 YES avg 45¢"
    assert ticket.balance_warning.isVisibleTo(ticket)
    assert "above the available $4.50" in ticket.balance_warning.text()
    assert ticket.balance_warning.property("tone") == "busy"
    colours = STATUS_COLORS[Theme.DARK if is_dark_palette() else Theme.LIGHT]
    shown = ticket.balance_warning.palette().color(QPalette.ColorRole.WindowText)
    assert shown.name() == colours.busy
    # A new poll that already holds those fills: nothing is added twice.
    ticket.set_market(market_snapshot(as_of=T0, balance="4.50"))
    assert ticket.figure_labels["balance"].text().startswith("$4.50  (poll")
    assert "from fills since" not in ticket.figure_labels["balance"].text()


def test_max_loss_above_the_balance_is_a_warning_not_a_block(ticket, desk, qasync_loop):
    _fill(ticket, FED_CUT, Intent.BUY_YES, "50", "5000")
    assert ticket.balance_warning.isVisibleTo(ticket)
    assert "above the available $1,250.00" in ticket.balance_warning.text()
    ticket.submit()
    _wait_idle(qasync_loop, ticket)
    assert len(_sent(desk)) == 1


# -- inline validation --------------------------------------------------------------------------


def test_inline_errors_block_the_submit(ticket, desk, qasync_loop):
    _fill(ticket, FED_CUT, Intent.BUY_YES, "150", "2.5")
    # Shown as soon as the field holds something wrong.
    assert ticket.price_error.isVisibleTo(ticket)
    assert "between 1¢ and 99¢" in ticket.price_error.text()
    assert "whole number" in ticket.qty_error.text()
    ticket.submit()
    qasync_loop.run_until_complete(asyncio.sleep(0.02))
    assert desk.calls == []
    assert ticket.outcome.text().startswith("Not sent")
    assert ticket.submit_button.isEnabled()


def test_required_fields_turn_red_only_after_a_submit(ticket, desk):
    ticket.set_symbol("")
    assert not ticket.market_error.isVisibleTo(ticket)
    assert not ticket.price_error.isVisibleTo(ticket)
    ticket.submit()
    assert ticket.market_error.text() == "Choose a market"
    assert ticket.price_error.text() == "Enter a price"
    assert ticket.qty_error.text() == "Enter a quantity"
    assert desk.calls == []


def test_a_ticker_not_in_the_poll_can_still_be_typed(ticket, desk, qasync_loop):
    _fill(ticket, "kxnew-26jan01-x", Intent.BUY_YES, "40", "1")
    assert "Not in the last market poll" in ticket.market_info.text()
    ticket.submit()
    _wait_idle(qasync_loop, ticket)
    assert _sent(desk)[0][1].symbol == "KXNEW-26JAN01-X"


# -- sending once ----------------------------------------------------------------------------


def _double_click(button: QWidget) -> None:
    """What a window system delivers for a double click: press, release, double-click
    (the second press), release."""
    centre = QPointF(button.rect().center())
    left = Qt.MouseButton.LeftButton
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
        (QEvent.Type.MouseButtonDblClick, left),
        (QEvent.Type.MouseButtonRelease, Qt.MouseButton.NoButton),
    ):
        event = QMouseEvent(
            kind, centre, button.mapToGlobal(centre), left, buttons, Qt.KeyboardModifier.NoModifier
        )
        QApplication.sendEvent(button, event)


def test_a_click_sends_before_the_loop_turns_and_a_double_click_sends_once(ticket, desk, qtbot):
    _fill(ticket, FED_CUT, Intent.BUY_YES, "30", "10")
    qtbot.mouseClick(ticket.submit_button, Qt.MouseButton.LeftButton)
    assert len(_sent(desk)) == 1  # sent inside the click handler: no event-loop turn needed
    assert ticket.outcome.text().startswith("Sent")
    assert ticket.submit_button.isEnabled() and not ticket.in_flight
    _double_click(ticket.submit_button)
    assert len(_sent(desk)) == 2  # the double click: its second press presses nothing
    qtbot.mouseClick(ticket.submit_button, Qt.MouseButton.LeftButton)  # a click of its own
    assert len(_sent(desk)) == 3
    assert len({order.cl_ord_id for order in desk.orders}) == 3


def test_needs_confirmation_opens_a_dialog_and_sends_confirmed(qtbot, qasync_loop):
    desk = DeskDouble(
        market=market_snapshot(as_of=T0), risk=RiskLimits(confirm_contracts_above=Decimal(100))
    )
    ticket = OrderTicket(desk, clock=lambda: T0)
    qtbot.addWidget(ticket)
    sent: list[Any] = []
    ticket.submitted.connect(lambda order, intent: sent.append((order, intent)))
    _fill(ticket, FED_CUT, Intent.BUY_NO, "62", "150")
    ticket.submit()
    run_until(qasync_loop, lambda: ticket.confirmation is not None)
    box = ticket.confirmation
    assert isinstance(box, QMessageBox)
    assert box.isVisible() and box.isModal()
    assert "150 contracts" in box.text()
    assert "Buy 150 NO at 62¢" in box.informativeText()
    assert not ticket.submit_button.isEnabled()  # still busy while the trader decides
    ticket.submit()  # Enter behind the dialog does nothing
    send = next(b for b in box.buttons() if b.text() == "Send order")
    send.click()
    _wait_idle(qasync_loop, ticket)
    assert [c[2] for c in _sent(desk)] == [False, True]
    assert len(sent) == 1 and sent[0][1] is Intent.BUY_NO
    assert sent[0][0].order_qty == Decimal(150)


def test_declining_the_confirmation_sends_nothing(qtbot, qasync_loop):
    desk = DeskDouble(risk=RiskLimits(confirm_cost_above=Decimal(1)))
    ticket = OrderTicket(desk, clock=lambda: T0)
    qtbot.addWidget(ticket)
    _fill(ticket, FED_CUT, Intent.BUY_YES, "50", "10")
    ticket.submit()
    run_until(qasync_loop, lambda: ticket.confirmation is not None)
    box = ticket.confirmation
    assert box is not None
    box.button(QMessageBox.StandardButton.Cancel).click()
    _wait_idle(qasync_loop, ticket)
    assert len(_sent(desk)) == 1
    assert len(desk.orders) == 0
    assert ticket.outcome.text() == "Not sent: not confirmed"
    assert ticket.submit_button.isEnabled()


def test_a_refusal_is_shown_with_its_reason(ticket, desk, qasync_loop):
    desk.refuse = "KalshiNR is not logged on; wait for it"
    _fill(ticket, FED_CUT, Intent.BUY_YES, "30", "10")
    ticket.submit()
    _wait_idle(qasync_loop, ticket)
    assert ticket.outcome.text() == "Not sent: KalshiNR is not logged on; wait for it"
    assert ticket.outcome.property("error") is True
    assert ticket.submit_button.isEnabled()


def test_a_risk_block_is_refused_by_the_desk_and_shown(qtbot, qasync_loop):
    desk = DeskDouble(risk=RiskLimits(max_contracts_per_order=Decimal(50)))
    ticket = OrderTicket(desk, clock=lambda: T0)
    qtbot.addWidget(ticket)
    _fill(ticket, FED_CUT, Intent.BUY_YES, "30", "60")
    ticket.submit()
    _wait_idle(qasync_loop, ticket)
    assert "above the limit of 50 per order" in ticket.outcome.text()
    assert len(desk.orders) == 0


# -- listen-only ------------------------------------------------------------------------------


def test_listen_only_disables_every_control_and_says_why(qtbot, qasync_loop):
    desk = DeskDouble(market=market_snapshot(as_of=T0), listen_only=True)
    ticket = OrderTicket(desk, clock=lambda: T0)
    qtbot.addWidget(ticket)
    ticket.show()
    assert ticket.disabled_reason.isVisible()
    assert "Listen-only" in ticket.disabled_reason.text()
    for name in (
        "ticketMarket",
        "ticketSide",
        "ticketPrice",
        "ticketQuantity",
        "ticketTimeInForce",
        "ticketSubmit",
        "ticketBuyNo",
        "ticketPostOnly",
    ):
        widget = ticket.findChild(QWidget, name)
        assert widget is not None, name
        assert not widget.isEnabled(), name
    _fill(ticket, FED_CUT, Intent.BUY_YES, "30", "10")
    ticket.submit()
    qasync_loop.run_until_complete(asyncio.sleep(0.02))
    assert desk.calls == []


# -- keyboard ---------------------------------------------------------------------------------


def test_keys_pick_the_intent_enter_submits_and_escape_clears(ticket, desk, qasync_loop, qtbot):
    ticket.activateWindow()
    ticket.set_symbol(FED_CUT)
    ticket.intent_buttons[Intent.BUY_YES].setFocus()
    for key, intent in (
        (Qt.Key.Key_2, Intent.BUY_NO),
        (Qt.Key.Key_4, Intent.SELL_NO),
        (Qt.Key.Key_3, Intent.SELL_YES),
        (Qt.Key.Key_1, Intent.BUY_YES),
    ):
        qtbot.keyClick(ticket.intent_buttons[Intent.BUY_YES], key)
        assert ticket.intent() is intent
    qtbot.keyClick(ticket.qty_edit, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert ticket.intent() is Intent.BUY_NO
    # Digits typed into a field stay in the field.
    ticket.price_edit.setFocus()
    qtbot.keyClicks(ticket.price_edit, "41")
    assert ticket.price_edit.text() == "41"
    assert ticket.intent() is Intent.BUY_NO
    qtbot.keyClick(ticket.price_edit, Qt.Key.Key_Up)
    assert ticket.price_edit.text() == "42"
    qtbot.keyClicks(ticket.qty_edit, "7")
    qtbot.keyClick(ticket.qty_edit, Qt.Key.Key_PageUp)
    assert ticket.qty_edit.text() == "17"
    qtbot.keyClick(ticket.qty_edit, Qt.Key.Key_Return)
    _wait_idle(qasync_loop, ticket)
    [(_, sent, _)] = _sent(desk)
    assert (sent.intent, sent.price, sent.quantity) == (Intent.BUY_NO, Decimal("0.42"), 17)
    ticket.tif_combo.setCurrentIndex(2)
    qtbot.keyClick(ticket.qty_edit, Qt.Key.Key_Escape)
    assert ticket.price_edit.text() == "" and ticket.qty_edit.text() == ""
    assert ticket.tif_combo.currentText() == "GTC"
    assert ticket.symbol() == FED_CUT  # the market stays


# -- prices, time in force and options --------------------------------------------------------


def test_subpenny_prices_are_dollars_with_four_places(ticket, desk, qasync_loop):
    _fill(ticket, FED_CUT, Intent.BUY_YES, "45.25", "3")
    assert "grid" in ticket.price_error.text()  # 45.25¢ is off the 1¢ grid
    ticket.set_subpenny(True)
    assert ticket.price_caption.text() == "Price ($)"
    assert ticket.price_edit.text() == "0.4525"  # converted, not lost
    assert not ticket.price_error.isVisibleTo(ticket)
    assert ticket.submit_button.text().startswith("Buy 3 YES at $0.4525")
    ticket.submit()
    _wait_idle(qasync_loop, ticket)
    assert _sent(desk)[0][1].price == Decimal("0.4525")
    ticket.set_subpenny(False)
    assert ticket.price_edit.text() == "45.25"


def test_gtd_shows_et_and_local_time_and_warns_that_a_past_time_is_ioc(ticket, desk, qasync_loop):
    ticket.tif_combo.setCurrentIndex(ticket.tif_combo.findText("GTD"))
    assert ticket.expiry_edit.isVisible()
    _fill(ticket, FED_CUT, Intent.BUY_YES, "30", "10")
    future = datetime(2025, 1, 7, 16, 0, tzinfo=ZoneInfo("America/New_York")).timestamp()
    ticket.set_expiry(future)
    info = ticket.expiry_info.text()
    assert info.startswith("Tue 2025-01-07 16:00:00 EST · local ")
    assert not ticket.expiry_error.isVisibleTo(ticket)
    ticket.set_expiry(T0 - 60)
    assert ticket.expiry_error.isVisibleTo(ticket)
    assert "immediate-or-cancel" in ticket.expiry_error.text()
    assert ticket.expiry_error.property("severity") == "warning"
    ticket.set_expiry(future)
    ticket.submit()
    _wait_idle(qasync_loop, ticket)
    sent = _sent(desk)[0][1]
    assert sent.time_in_force is TimeInForce.GTD and sent.expire_time == future


def test_day_orders_say_when_they_end(ticket):
    ticket.tif_combo.setCurrentIndex(ticket.tif_combo.findText("Day"))
    assert not ticket.expiry_edit.isVisible()
    assert ticket.expiry_info.text().startswith(
        "Day: ends 23:59:59.999 ET — Tue 2025-01-07 23:59:59"
    )


def test_options_reach_the_ticket(ticket, desk, qasync_loop):
    desk.groups.requested(
        OrderGroupRequest(action=OrderGroupAction.CREATE, contracts_limit=100), now=T0
    )
    desk.groups.apply_response(
        OrderGroupResponse(order_group_id="grp-5e1d2c3b4a", contracts_limit=100), now=T0
    )
    ticket.refresh_groups()
    assert ticket.group_combo.count() == 2
    ticket.group_combo.setCurrentIndex(1)
    ticket.post_only.setChecked(True)
    ticket.stp_combo.setCurrentIndex(2)
    ticket.sub_account.setValue(7)
    _fill(ticket, FED_CUT, Intent.BUY_YES, "30", "10")
    ticket.submit()
    _wait_idle(qasync_loop, ticket)
    sent = _sent(desk)[0][1]
    assert sent.order_group_id == "grp-5e1d2c3b4a"
    assert sent.post_only
    assert sent.self_trade_prevention is SelfTradePrevention.MAKER
    assert sent.alloc_account == 7


def test_post_only_with_ioc_is_an_inline_error(ticket, desk):
    _fill(ticket, FED_CUT, Intent.BUY_YES, "30", "10")
    ticket.post_only.setChecked(True)
    ticket.tif_combo.setCurrentIndex(ticket.tif_combo.findText("IOC"))
    assert "post-only" in ticket.general_error.text()
    ticket.submit()
    assert desk.calls == []


def test_market_picker_groups_by_event_and_completes_on_title_words(ticket):
    model = ticket.market_combo.model()
    texts = [model.index(r, 0).data() for r in range(model.rowCount())]
    headers = [r for r in range(model.rowCount()) if not model.flags(model.index(r, 0))]
    assert [texts[r] for r in headers] == [
        "EUR/USD at 6pm ET on Jan 7?",
        "Fed decision in March 2025?",
        "Highest temperature in NYC on Jan 7?",
        "New York vs Cleveland: who wins?",
    ]
    assert texts[headers[3] + 1].strip() == CLE
    completer = ticket.market_combo.completer()
    completer.setCompletionPrefix("cleveland")
    assert completer.completionCount() == 1
    assert completer.pathFromIndex(completer.currentIndex()) == CLE
    # Picking a market shows its quote in the contract named.
    ticket.set_symbol(CLE)
    assert "YES bid 57¢ · ask 59¢" in ticket.market_info.text()
    ticket.set_intent(Intent.BUY_NO)
    assert "NO bid 41¢ · ask 43¢" in ticket.market_info.text()
