"""Screenshots of the RFQ panel with a realistic desk, both tabs, light and dark, written to
``screenshots/`` (not committed) for people to look at; the test checks each was drawn."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from workstation.fix.messages.enums import QuoteStatus, Side
from workstation.fix.messages.rfq_creator import CreatorQuoteRequest
from workstation.ui.panels.rfq_panel import RfqPanel
from workstation.ui.theme import Theme, apply_theme

from .test_rfq_support import MARKETS, RfqWorld, settle

SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """Leave the application's look as it was found."""
    sheet, pal, style = qapp.styleSheet(), qapp.palette(), qapp.style().name()
    try:
        yield qapp
    finally:
        qapp.setStyle(style)
        qapp.setPalette(pal)
        qapp.setStyleSheet(sheet)


def requester_desk(world: RfqWorld) -> None:
    """Four RFQs of ours: quoted by three makers, accepted, cancelled, just sent."""
    rfqs, clock = world.desk.state.rfqs, world.clock

    def ours(key: str, symbol: str, qty: int) -> None:
        rfqs.requested(
            CreatorQuoteRequest(quote_req_id=key, symbol=symbol, order_qty=Decimal(qty)),
            now=clock(),
        )

    ours("c-1", MARKETS[2], 500)
    world.ack("c-1", "rfq-8c21")
    clock.advance(3)
    world.quote("rfq-8c21", "q-11", MARKETS[2], yes="0.61", no="0.36", maker="mm-kestrel")
    clock.advance(20)
    world.cancelled("c-1")
    ours("c-2", MARKETS[3], 200)
    world.ack("c-2", "rfq-91f0")
    clock.advance(2)
    world.quote("rfq-91f0", "q-21", MARKETS[3], yes="0.12", no="0.85", maker="mm-heron")
    clock.advance(40)
    ours("c-3", MARKETS[0], 100)
    world.ack("c-3", "rfq-a4d7")
    clock.advance(1.5)
    world.quote("rfq-a4d7", "q-31", MARKETS[0], yes="0.44", no="0.54", maker="mm-alpha")
    clock.advance(2.2)
    world.quote("rfq-a4d7", "q-32", MARKETS[0], yes="0.45", no="0.51", maker="mm-beta")
    clock.advance(0.8)
    world.quote("rfq-a4d7", "q-33", MARKETS[0], yes=None, no="0.55", maker="mm-gamma")
    clock.advance(6)
    ours("c-4", MARKETS[1], 40)
    clock.advance(4)


def maker_desk(world: RfqWorld, loop: asyncio.AbstractEventLoop) -> None:
    """Incoming requests: accepted (confirm running), quoted, open, cash-sized, closed."""
    clock = world.clock
    world.request("r-3391", MARKETS[3], qty="300", requester="anon-51c2")
    world.request_closed("r-3391", "RFQ cancelled by its creator")
    clock.advance(30)
    world.request("r-3402", MARKETS[2], qty="250", requester="anon-0b7e")
    q1 = loop.run_until_complete(world.desk.send_quote("r-3402", Decimal("0.58"), Decimal("0.38")))
    world.quote_status("r-3402", q1, QuoteStatus.PENDING)
    clock.advance(12)
    world.request("r-3417", MARKETS[0], qty="100", requester="anon-7f3a")
    q2 = loop.run_until_complete(world.desk.send_quote("r-3417", Decimal("0.45"), Decimal("0.52")))
    world.quote_status("r-3417", q2, QuoteStatus.PENDING)
    clock.advance(4)
    world.quote_status("r-3417", q2, QuoteStatus.ACCEPTED, side=Side.SELL)
    clock.advance(1)
    world.request("r-3420", MARKETS[1], qty=None, cash="75", requester="anon-e19d")
    clock.advance(2)
    world.request("r-3421", MARKETS[2], qty="40", requester="anon-22aa")
    clock.advance(15.2)  # 11.8 s left to confirm r-3417


def shoot(panel: RfqPanel, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / name
    QApplication.processEvents()  # let layouts settle (a hidden alert gives back its room)
    assert panel.grab().save(str(path)), path
    image = QImage(str(path))
    assert image.width() == panel.width() and image.height() == panel.height()
    return path


@pytest.mark.parametrize("theme", list(Theme))
def test_screenshots_of_both_tabs(
    themed: QApplication,
    qtbot: QtBot,
    qasync_loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    theme: Theme,
) -> None:
    apply_theme(themed, theme)
    world = RfqWorld(tmp_path)
    requester_desk(world)
    maker_desk(world, qasync_loop)
    panel = RfqPanel(world.desk, world.bridge.run, clock=world.clock)
    qtbot.addWidget(panel)
    world.bridge.changes_arrived.connect(panel.apply)
    try:
        panel.set_markets(MARKETS)
        panel.resize(1280, 440)
        panel.show()
        # requester: the quoted RFQ selected, the best quote picked
        panel.select_rfq("c-3")
        panel.select_quote("q-32")
        panel.market_combo.setCurrentText(MARKETS[1])
        panel.size_edit.setText("100")
        assert panel.request_button.isEnabled()
        panel.tick()
        shoot(panel, f"rfq-requester-{theme}.png")
        # market maker: the accepted quote, its confirm counting down
        panel.tabs.setCurrentWidget(panel.maker_tab)
        panel.select_maker_rfq("r-3417")
        panel.tick()
        assert panel.countdown.text() == "12 s left"
        shoot(panel, f"rfq-maker-{theme}.png")
        # the last seconds, and another request being quoted over $1
        world.clock.advance(5)
        panel.tick()
        assert panel.countdown.text() == "7 s left"
        shoot(panel, f"rfq-maker-urgent-{theme}.png")
        panel.select_maker_rfq("r-3421")
        panel.yes_edit.setText("62")
        panel.no_edit.setText("41")
        panel.yes_edit.textEdited.emit("62")
        assert panel.quote_error.isVisible()
        shoot(panel, f"rfq-maker-over-a-dollar-{theme}.png")
        # the default dock: narrow and tall, tables above their details
        panel.resize(470, 640)
        QApplication.processEvents()
        assert panel.maker_split.orientation() is Qt.Orientation.Vertical
        panel.select_maker_rfq("r-3417")
        shoot(panel, f"rfq-maker-dock-{theme}.png")
        panel.tabs.setCurrentWidget(panel.requester_tab)
        shoot(panel, f"rfq-requester-dock-{theme}.png")
        settle(qasync_loop)
    finally:
        panel.timer.stop()
