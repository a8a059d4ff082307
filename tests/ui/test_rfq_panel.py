"""The RFQ panel driven like a trader would, on a real Desk and DeskBridge whose sessions record
what would go on the wire; the venue's answers arrive as real messages (test_rfq_support)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from workstation.fix.messages.enums import QuoteStatus, Side
from workstation.trading.changes import Change
from workstation.ui.panels.rfq_panel import (
    ACTION_ACCEPT,
    ACTION_SEND_QUOTE,
    RfqPanel,
    parse_bid_cents,
)

from .test_rfq_support import MARKETS, RfqWorld, settle


class Rig:
    """The panel wired the way the window wires it: bridge.run in, changes_arrived out."""

    def __init__(self, world: RfqWorld, panel: RfqPanel, loop: asyncio.AbstractEventLoop) -> None:
        self.world = world
        self.panel = panel
        self.loop = loop

    def arrive(self, changes: Sequence[Change]) -> None:
        """What the venue sent reaches the panel through the bridge, as one batch."""
        self.world.bridge.changes_arrived.emit(list(changes))

    def settle(self) -> None:
        settle(self.loop, desk=self.world.desk)

    def click(self, button: Any) -> None:
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def make_rig(
    qtbot: QtBot,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    *,
    listen_only: bool = False,
    world: RfqWorld | None = None,
) -> Rig:
    world = world if world is not None else RfqWorld(tmp_path, listen_only=listen_only)
    panel = RfqPanel(world.desk, world.bridge.run, clock=world.clock)
    qtbot.addWidget(panel)
    world.bridge.changes_arrived.connect(panel.apply)
    panel.set_markets(MARKETS)
    panel.resize(1200, 520)
    panel.show()
    return Rig(world, panel, loop)


@pytest.fixture
def rig(qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Rig]:
    made = make_rig(qtbot, qasync_loop, tmp_path)
    yield made
    made.panel.timer.stop()


def type_into(edit: Any, text: str) -> None:
    """Replace an edit's text the way typing does (``textEdited`` fires)."""
    edit.selectAll()
    if text:
        QTest.keyClicks(edit, text)
    else:
        QTest.keyClick(edit, Qt.Key.Key_Delete)


# ---------------------------------------------------------------------------- pure parts


def test_bids_are_typed_in_cents() -> None:
    assert parse_bid_cents("45", "YES") == (Decimal("0.45"), None)
    assert parse_bid_cents(" 45¢ ", "YES") == (Decimal("0.45"), None)
    assert parse_bid_cents("", "NO") == (None, None)
    assert parse_bid_cents("0", "NO") == (None, None)
    assert parse_bid_cents("45.5", "YES")[1] == (
        "YES bid must be 1–99¢ in whole cents (0 or empty: no YES bid)"
    )
    assert parse_bid_cents("45.5", "YES", subpenny=True) == (Decimal("0.455"), None)
    assert parse_bid_cents("100", "NO")[1] is not None
    assert parse_bid_cents("abc", "NO")[1] == "NO bid must be a number of cents"


# ---------------------------------------------------------------------------- requester


def request_rfq(rig: Rig, market: str = MARKETS[0], size: str = "100") -> str:
    panel = rig.panel
    panel.tabs.setCurrentWidget(panel.requester_tab)
    panel.market_combo.setCurrentText(market)
    type_into(panel.size_edit, size)
    rig.click(panel.request_button)
    rig.settle()
    body = rig.world.rt.of_type("R")[-1]
    return body[131]


def test_request_quotes_sends_an_rfq_and_selects_it(rig: Rig) -> None:
    panel = rig.panel
    assert panel.objectName() == "rfqPanel"
    assert [panel.market_combo.itemText(i) for i in range(panel.market_combo.count())] == list(
        MARKETS
    )
    key = request_rfq(rig, MARKETS[1], "250")
    (body,) = rig.world.rt.of_type("R")
    assert body[55] == MARKETS[1] and body[38] == "250" and body[146] == "1"
    assert panel.selected_rfq() is not None and panel.selected_rfq().quote_req_id == key  # type: ignore[union-attr]
    assert panel.quotes_title.text() == f"{MARKETS[1]} · 250 contracts · Sent · no quotes yet"
    rig.arrive(rig.world.ack(key, "rfq-77"))
    assert panel.rfq_model.record(key).status.value == "Open"  # type: ignore[union-attr]
    assert panel.quotes_title.text() == f"{MARKETS[1]} · 250 contracts · Open · no quotes yet"
    assert not panel.accept_buy_button.isEnabled() and panel.cancel_rfq_button.isEnabled()


def test_a_bad_size_is_refused_inline_before_anything_is_sent(rig: Rig) -> None:
    panel = rig.panel
    type_into(panel.size_edit, "")
    assert not panel.request_button.isEnabled()
    type_into(panel.size_edit, "12.345")
    assert not panel.request_button.isEnabled()
    panel.request_quotes()  # Enter in the size box
    assert panel.create_error.isVisible()
    assert panel.create_error.text() == (
        "⚠ The size must be a positive number of contracts in 0.01 steps"
    )
    assert rig.world.rt.sent == []
    type_into(panel.size_edit, "10")
    assert not panel.create_error.isVisible() and panel.request_button.isEnabled()


def test_a_desk_refusal_shows_next_to_the_request_button(rig: Rig) -> None:
    rig.world.rt.active = False
    panel = rig.panel
    type_into(panel.size_edit, "10")
    rig.click(panel.request_button)
    rig.settle()
    assert panel.create_error.isVisible()
    assert panel.create_error.text() == "⚠ KalshiRT is not logged on; wait for it"
    assert panel.request_button.isEnabled()  # the action ended: the button is back
    assert rig.world.rt.sent == []


def test_quotes_arrive_with_implied_prices_and_accept_buy_yes(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    key = request_rfq(rig)
    rig.arrive(world.ack(key, "rfq-1"))
    rig.arrive(world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-alpha"))
    # a single quote is selected for the trader
    assert panel.selected_quote() is not None and panel.selected_quote().quote_id == "q-1"  # type: ignore[union-attr]
    rig.arrive(world.quote("rfq-1", "q-2", MARKETS[0], yes="0.41", no="0.57", maker="mm-beta"))
    model = panel.quotes_model
    assert model.rowCount() == 2
    row = model.row_of("q-2")
    assert row is not None
    assert model.data(model.index(row, model.COL_BUY_YES)) == "43¢"
    assert model.data(model.index(row, model.COL_SELL_YES)) == "41¢"
    assert panel.quotes_title.text() == f"{MARKETS[0]} · 100 contracts · Open · 2 quotes"
    rfq_row = panel.rfq_model.row_of(key)
    assert rfq_row is not None
    best_no = panel.rfq_model.index(rfq_row, panel.rfq_model.column_index("best_no"))
    assert panel.rfq_model.data(best_no) == "57¢"

    panel.select_quote("q-2")
    assert panel.accept_buy_button.text() == "Buy 100 YES at 43¢"
    assert panel.accept_sell_button.text() == "Sell 100 YES at 41¢"
    assert panel.accept_buy_button.isEnabled() and panel.accept_sell_button.isEnabled()
    rig.click(panel.accept_buy_button)
    assert panel.busy(ACTION_ACCEPT) and not panel.accept_buy_button.isEnabled()
    rig.click(panel.accept_buy_button)  # the double click
    panel.accept_selected(Side.BUY)  # and a third try, straight at the slot
    rig.settle()
    (accept,) = world.rt.of_type("UA")
    assert accept[117] == "q-2" and accept[54] == Side.BUY.value and accept[21023] == "rfq-1"
    assert panel.selected_rfq().status.value == "Accepting"  # type: ignore[union-attr]
    assert not panel.accept_buy_button.isEnabled() and not panel.cancel_rfq_button.isEnabled()

    rig.arrive(world.accept_status("q-2"))
    assert panel.requester_message.isVisible()
    assert panel.requester_message.text() == (
        "Accepted: Buy YES at 43¢ from mm-beta. The trade follows as executions."
    )


def test_accept_sell_yes_takes_the_yes_bid(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    key = request_rfq(rig)
    rig.arrive(world.ack(key, "rfq-1"))
    rig.arrive(world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no=None, maker="mm-alpha"))
    panel.select_quote("q-1")
    assert panel.accept_buy_button.text() == "Buy YES (no NO bid)"
    assert not panel.accept_buy_button.isEnabled()
    rig.click(panel.accept_sell_button)
    rig.settle()
    (accept,) = world.rt.of_type("UA")
    assert accept[117] == "q-1" and accept[54] == Side.SELL.value


def test_a_refused_accept_says_why_and_the_quotes_can_be_taken_again(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    key = request_rfq(rig)
    rig.arrive(world.ack(key, "rfq-1"))
    rig.arrive(world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-alpha"))
    rig.click(panel.accept_buy_button)
    rig.settle()
    rig.arrive(world.accept_status("q-1", refused="quote no longer available"))
    assert panel.requester_message.isVisible()
    assert panel.requester_message.text() == "accept refused: quote no longer available"
    assert panel.selected_rfq().status.value == "Open"  # type: ignore[union-attr]
    assert panel.accept_buy_button.isEnabled()


def test_the_selection_holds_when_a_sorted_row_moves(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    first = request_rfq(rig, MARKETS[0])
    world.clock.advance(1)
    second = request_rfq(rig, MARKETS[1])
    rig.arrive(world.ack(first, "rfq-1") + world.ack(second, "rfq-2"))
    model = panel.rfq_model
    panel.rfq_table.sortByColumn(model.column_index("quotes"), Qt.SortOrder.DescendingOrder)
    panel.select_rfq(first)
    type_into(panel.size_edit, "5")
    # a quote moves the selected RFQ to the top of a table sorted by its quote count
    rig.arrive(world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-a"))
    assert model.row_of(first) == 0
    assert [i.row() for i in panel.rfq_table.selectionModel().selectedRows()] == [0]
    assert panel.selected_rfq().quote_req_id == first  # type: ignore[union-attr]
    assert panel.quotes_model.rowCount() == 1


def test_cancel_rfq_sends_the_cancel_by_the_exchange_id(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    key = request_rfq(rig)
    rig.arrive(world.ack(key, "rfq-1"))
    rig.click(panel.cancel_rfq_button)
    rig.settle()
    (cancel,) = world.rt.of_type("UE")
    assert cancel[21023] == "rfq-1"
    assert panel.selected_rfq().status.value == "Cancelling"  # type: ignore[union-attr]
    assert not panel.cancel_rfq_button.isEnabled()


# ---------------------------------------------------------------------------- maker


def quote_it(rig: Rig, yes: str, no: str) -> None:
    rig.panel.tabs.setCurrentWidget(rig.panel.maker_tab)
    type_into(rig.panel.yes_edit, yes)
    type_into(rig.panel.no_edit, no)


def test_bids_over_a_dollar_block_the_send_with_the_reason(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    rig.arrive(world.request("rfq-1", MARKETS[0], requester="anon-7f3a"))
    panel.tabs.setCurrentWidget(panel.maker_tab)
    assert panel.selected_maker_rfq() is not None  # the first request is selected for us
    assert panel.maker_title.text() == f"{MARKETS[0]} · 100 contracts · from anon-7f3a"
    assert not panel.send_quote_button.isEnabled()  # nothing typed yet
    quote_it(rig, "60", "45")
    assert panel.spread_label.text() == "Implied spread: 100 − 60 − 45 = −5¢"
    assert panel.quote_error.isVisible()
    assert panel.quote_error.text() == (
        "⚠ YES bid + NO bid = $1.05 is over $1: the exchange would reject the quote"
    )
    assert not panel.send_quote_button.isEnabled()
    panel.send_quote()  # Enter in a bid box
    assert world.rfq.sent == []
    quote_it(rig, "60", "38")
    assert not panel.quote_error.isVisible()
    assert panel.spread_label.text() == "Implied spread: 100 − 60 − 38 = 2¢"
    assert panel.quote_meaning.text() == (
        "If your YES bid is hit: you buy 100 YES at 60¢ ($60.00)\n"
        "If your NO bid is hit: you buy 100 NO at 38¢ ($38.00)"
    )
    assert panel.send_quote_button.isEnabled()


def test_a_one_sided_quote_is_allowed(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    rig.arrive(world.request("rfq-1", MARKETS[0]))
    quote_it(rig, "", "38")
    assert panel.spread_label.text() == "One-sided: NO bid only (no YES bid)"
    assert panel.send_quote_button.isEnabled()
    rig.click(panel.send_quote_button)
    rig.settle()
    (quote,) = world.rfq.of_type("S")
    assert quote[133] == "38" and quote.get(132, "0") == "0"  # 0 declines a side


def send_valid_quote(rig: Rig, yes: str = "45", no: str = "52") -> str:
    quote_it(rig, yes, no)
    rig.click(rig.panel.send_quote_button)
    rig.settle()
    return rig.world.rfq.of_type("S")[-1][117]


def test_send_quote_then_accepted_shows_confirm_with_the_countdown(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    rig.arrive(world.request("rfq-1", MARKETS[0], requester="anon-7f3a"))
    quote_it(rig, "45", "52")
    rig.click(panel.send_quote_button)
    assert panel.busy(ACTION_SEND_QUOTE) and not panel.send_quote_button.isEnabled()
    rig.click(panel.send_quote_button)  # double click: one quote
    rig.settle()
    (sent,) = world.rfq.of_type("S")
    assert (sent[131], sent[55], sent[132], sent[133]) == ("rfq-1", MARKETS[0], "45", "52")
    quote_id = sent[117]
    assert panel.quote_status.text() == "Sent YES 45¢ · NO 52¢ — waiting for the exchange"
    rig.arrive(world.quote_status("rfq-1", quote_id, QuoteStatus.PENDING))
    assert panel.quote_status.text() == "Pending — live: YES 45¢ · NO 52¢"
    assert panel.send_quote_button.text() == "Replace quote"
    assert panel.cancel_quote_button.isEnabled()
    assert not panel.confirm_box.isVisible()

    world.clock.advance(2.3)
    rig.arrive(world.quote_status("rfq-1", quote_id, QuoteStatus.ACCEPTED, side=Side.SELL))
    assert panel.confirm_box.isVisible()
    assert panel.confirm_headline.text() == "ACCEPTED — your NO bid was hit. Confirm now"
    assert panel.confirm_trade.text() == "Confirming trades: we buy 100 NO at 52¢"
    assert panel.countdown.text() == "30 s left"
    assert panel.confirm_button.text() == "Confirm"
    assert panel.confirm_button.isEnabled()
    assert not panel.send_quote_button.isEnabled() and not panel.yes_edit.isEnabled()
    assert panel.tabs.tabText(1) == "Market maker — 1 to confirm"
    assert "#b3261e" not in panel.confirm_button.styleSheet()

    world.clock.advance(20.5)  # 9.5 s left: shown as 10 s
    panel.tick()
    assert panel.countdown.text() == "10 s left"
    assert "#9a6700" in panel.countdown.styleSheet()  # amber while 10 s or more are left
    world.clock.advance(1)
    panel.tick()
    assert panel.countdown.text() == "9 s left"
    assert "#c62828" in panel.countdown.styleSheet()  # red under 10 s
    assert "#b3261e" in panel.confirm_button.styleSheet()

    rig.click(panel.confirm_button)
    rig.click(panel.confirm_button)
    rig.settle()
    (confirm,) = world.rfq.of_type("U7")
    assert confirm[117] == quote_id and confirm[21023] == "rfq-1"
    assert panel.confirm_headline.text() == "Confirm sent — waiting for the exchange"
    assert not panel.confirm_button.isEnabled()
    assert panel.tabs.tabText(1) == "Market maker"


def test_the_qtimer_ticks_the_countdown_from_the_clock(rig: Rig, qtbot: QtBot) -> None:
    panel, world = rig.panel, rig.world
    rig.arrive(world.request("rfq-1", MARKETS[0]))
    quote_id = send_valid_quote(rig)
    rig.arrive(world.quote_status("rfq-1", quote_id, QuoteStatus.ACCEPTED, side=Side.BUY))
    assert panel.timer.isActive()
    assert panel.countdown.text() == "30 s left"
    world.clock.advance(5)
    qtbot.waitUntil(lambda: panel.countdown.text() == "25 s left", timeout=3000)
    assert panel.confirm_trade.text() == "Confirming trades: we buy 100 YES at 45¢"


def test_a_missed_confirm_shows_expired_and_voided(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    rig.arrive(world.request("rfq-1", MARKETS[0]))
    quote_id = send_valid_quote(rig)
    rig.arrive(world.quote_status("rfq-1", quote_id, QuoteStatus.ACCEPTED, side=Side.BUY))
    world.clock.advance(29.5)
    panel.tick()
    assert panel.countdown.text() == "1 s left" and panel.confirm_button.isEnabled()
    world.clock.advance(0.5)
    panel.tick()
    assert panel.confirm_headline.text() == "Expired — quote voided (not confirmed in time)"
    assert panel.countdown.text() == "0 s"
    assert not panel.confirm_button.isEnabled()
    assert panel.confirm_button.text() == "Voided"
    assert panel.quote_status.text() == "Voided — not confirmed in time (YES 45¢ · NO 52¢)"
    row = panel.maker_model.row_of("rfq-1")
    assert row is not None
    status = panel.maker_model.index(row, panel.maker_model.column_index("status"))
    assert panel.maker_model.data(status) == "Voided — not confirmed in time"
    panel.confirm()  # too late: nothing is sent
    rig.settle()
    assert world.rfq.of_type("U7") == []


def test_rejected_and_cancelled_quotes_say_so(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    rig.arrive(world.request("rfq-1", MARKETS[0]))
    quote_id = send_valid_quote(rig)
    rig.arrive(world.quote_status("rfq-1", None, QuoteStatus.REJECTED, text="market is not open"))
    assert panel.quote_status.text() == "Rejected: market is not open (YES 45¢ · NO 52¢)"
    assert panel.send_quote_button.isEnabled()  # quote again
    quote_id = send_valid_quote(rig, "44", "53")
    rig.arrive(world.quote_status("rfq-1", quote_id, QuoteStatus.PENDING))
    rig.click(panel.cancel_quote_button)
    rig.settle()
    (cancel,) = world.rfq.of_type("Z")
    assert cancel[117] == quote_id
    rig.arrive(world.quote_status("rfq-1", quote_id, QuoteStatus.CANCELLED))
    assert panel.quote_status.text() == "Cancelled: YES 44¢ · NO 53¢"
    assert not panel.cancel_quote_button.isEnabled()
    assert panel.send_quote_button.text() == "Send quote"
    rig.arrive(world.request_closed("rfq-1", "RFQ cancelled by its creator"))
    assert panel.quote_status.text() == "RFQ closed: RFQ cancelled by its creator"
    assert not panel.send_quote_button.isEnabled()


def test_an_accepted_quote_elsewhere_raises_an_alert_that_shows_it(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    rig.arrive(world.request("rfq-1", MARKETS[0]))
    quote_id = send_valid_quote(rig)
    world.clock.advance(1)
    rig.arrive(world.request("rfq-2", MARKETS[1]))
    panel.select_maker_rfq("rfq-2")
    assert panel.yes_edit.text() == ""  # the editor follows the selection
    rig.arrive(world.quote_status("rfq-1", quote_id, QuoteStatus.ACCEPTED, side=Side.BUY))
    assert panel.confirm_alert.isVisible() and panel.confirm_box.isHidden()
    assert panel.confirm_alert.text() == (f"⚠ Confirm {MARKETS[0]}: 30 s left — show it")
    rig.click(panel.confirm_alert)
    assert panel.selected_maker_rfq().quote_req_id == "rfq-1"  # type: ignore[union-attr]
    assert panel.confirm_button.isEnabled() and not panel.confirm_alert.isVisible()
    assert panel.confirm_box.isVisible()
    # on the requester tab, the alert stays up for the quote waiting on the other tab
    panel.tabs.setCurrentWidget(panel.requester_tab)
    assert panel.confirm_alert.isVisible()
    rig.click(panel.confirm_alert)
    assert panel.tabs.currentWidget() is panel.maker_tab
    assert (panel.yes_edit.text(), panel.no_edit.text()) == ("45", "52")


def test_the_alert_goes_when_the_window_it_counts_closes(rig: Rig) -> None:
    panel, world = rig.panel, rig.world
    rig.arrive(world.request("rfq-1", MARKETS[0]))
    quote_id = send_valid_quote(rig)
    world.clock.advance(1)
    rig.arrive(world.request("rfq-2", MARKETS[1]))
    panel.select_maker_rfq("rfq-2")
    rig.arrive(world.quote_status("rfq-1", quote_id, QuoteStatus.ACCEPTED, side=Side.BUY))
    world.clock.advance(29.5)
    panel.tick()
    assert panel.confirm_alert.text() == f"⚠ Confirm {MARKETS[0]}: 1 s left — show it"
    world.clock.advance(1)
    panel.tick()
    assert not panel.confirm_alert.isVisible()
    assert panel.tabs.tabText(1) == "Market maker"


def test_the_panel_opens_on_what_the_desk_already_holds(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    world = RfqWorld(tmp_path)
    world.request("rfq-1", MARKETS[0])
    world.clock.advance(3)
    world.request("rfq-2", MARKETS[1], qty=None, cash="75")
    rig = make_rig(qtbot, qasync_loop, tmp_path, world=world)
    try:
        model = rig.panel.maker_model
        assert model.rowCount() == 2
        assert [r.quote_req_id for r in model.visible_records()] == ["rfq-2", "rfq-1"]
        assert rig.panel.selected_maker_rfq().quote_req_id == "rfq-2"  # type: ignore[union-attr]
        assert rig.panel.maker_title.text() == f"{MARKETS[1]} · $75.00 cash · from anon-7f3a"
    finally:
        rig.panel.timer.stop()


# ---------------------------------------------------------------------------- listen-only


def test_listen_only_disables_every_action(
    qtbot: QtBot, qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    rig = make_rig(qtbot, qasync_loop, tmp_path, listen_only=True)
    panel, world = rig.panel, rig.world
    try:
        assert panel.listen_only
        assert panel.disabled_reason.isVisible()
        assert "Listen-only" in panel.disabled_reason.text()
        rig.arrive(world.request("rfq-2", MARKETS[1]))
        assert panel.maker_model.rowCount() == 1
        type_into(panel.size_edit, "10")
        assert not panel.request_button.isEnabled()
        panel.request_quotes()
        quote_it(rig, "45", "52")
        assert not panel.send_quote_button.isEnabled()
        assert not panel.yes_edit.isEnabled() and not panel.no_edit.isEnabled()
        panel.send_quote()
        rig.settle()
        assert world.rt.sent == [] and world.rfq.sent == []
        for button in (
            panel.accept_buy_button,
            panel.accept_sell_button,
            panel.cancel_rfq_button,
            panel.cancel_quote_button,
            panel.confirm_button,
        ):
            assert not button.isEnabled(), button.objectName()
    finally:
        panel.timer.stop()
