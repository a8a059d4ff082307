"""The markets view in the real window on a real Desk and its local venue: the venue's events
arrive over REST, our fill shows as a position marked to the polled prices, and double-clicking
a market puts it on the order ticket."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt

from workstation.client.config import WorkstationConfig
from workstation.client.desk import Desk
from workstation.client.local_venue import LocalVenue
from workstation.client.paths import Paths
from workstation.simulator.exchange.orders import NewOrder
from workstation.simulator.exchange.types import Side as VenueSide
from workstation.trading.ticket import Intent, Ticket
from workstation.ui.panels.markets_view import MarketsView
from workstation.ui.panels.ticket import OrderTicket
from workstation.ui.wiring import build_window

MARKET = "KXNBAGAME-26NOV24NYKBOS-NYK"  # open in the built-in market set
COUNTERPARTY = "acct-markets-counterparty"


async def wait_until(done: Callable[[], bool], what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15.0
    while not done():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def test_the_window_shows_the_venues_markets_and_our_marked_position(
    qtbot, qasync_loop, tmp_path: Path
) -> None:
    """One coroutine for the whole test, as the application runs: the loop is running
    whenever Qt delivers an asyncio callback (between two ``run_until_complete`` calls it is
    not, and the network code would fail with "no running event loop")."""
    desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False, venue_in_process=True)
    paths = Paths.resolve(data_dir=tmp_path, config=None)
    window, bridge = build_window(desk, paths, on_closed=lambda: None)
    qtbot.addWidget(window)
    view = window.panel("marketsView")
    ticket = window.panel("orderTicket")
    assert isinstance(view, MarketsView) and isinstance(ticket, OrderTicket)
    assert view.age_label.text().startswith("Waiting for the first market poll")

    async def scenario() -> None:
        await desk.start()
        try:
            await trade_and_look()
        finally:
            await bridge.shutdown()
            await desk.stop()

    async def trade_and_look() -> None:
        assert isinstance(view, MarketsView) and isinstance(ticket, OrderTicket)
        await wait_until(desk.all_logged_on, "logon")
        # a counterparty rests both sides: we buy 5 of its offer at 40¢; its bid is 38¢
        assert isinstance(desk.local, LocalVenue)
        venue = desk.local.venue
        venue.exchange.fund(COUNTERPARTY, Decimal(1000))
        now = venue.clock()
        for cl, side, price in (
            ("cp-ask", VenueSide.SELL, "0.40"),
            ("cp-bid", VenueSide.BUY, "0.38"),
        ):
            order = NewOrder(
                account=COUNTERPARTY,
                cl_ord_id=cl,
                ticker=MARKET,
                side=side,
                price=Decimal(price),
                quantity=Decimal(10),
            )
            venue.publish(venue.exchange.submit(order, now), now)
        buy = Ticket(
            symbol=MARKET, intent=Intent.BUY_YES, price=Decimal("0.40"), quantity=Decimal(5)
        )
        await desk.submit(buy)
        await wait_until(lambda: view.model.holding(MARKET) is not None, "the fill")
        polled = await desk.refresh_market()
        await wait_until(lambda: view.model.snapshot is polled, "the poll to reach the view")

        market = view.model.market(MARKET)
        assert market is not None and desk.market is not None
        assert view.model.index_of_group(market.event_ticker).isValid()
        assert len(view.model.groups()) == len(desk.market.events)
        row = view.model.index_of_market(MARKET)
        cells = [view.model.data(row.siblingAtColumn(c)) for c in range(8)]
        assert cells[2:7] == ["active", "38¢", "40¢", "40¢", "YES 5"]
        position = next(p for p in desk.positions if p.symbol == MARKET)
        blotter = window.panel("blotter")
        blotter_figure = blotter.positions_model.unrealized(position)  # type: ignore[union-attr]
        assert view.model.unrealized(MARKET) == blotter_figure
        assert blotter_figure is not None and blotter_figure < 0  # bought at 40, bid 38
        assert view.age_label.text().endswith("polled every 5 s")
        assert view.error_label.isHidden()

        view.select(MARKET)
        view.tree.setFocus()
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
        assert ticket.symbol() == MARKET

    qasync_loop.run_until_complete(scenario())
