"""RFQs in both roles through the RFQ panel, against the venue's RFQ desk.

Requester: we ask for quotes from the panel, a simulated maker's quote appears, we accept it
and the block trade reaches the blotter. Maker: an RFQ injected at the admin port appears, we
quote it, the (admin) requester accepts, we confirm inside the window and the trade follows —
or we do not, the venue clock moves past the 30 s window, and the panel shows the quote void.

The venue runs its RFQ timers (maker delays, the confirm window, the 15 s execution timer) on
its own clock, which the admin ``clock`` command moves forward: the tests move it instead of
waiting.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from tests.ui.e2e.harness import MARKET, Workstation, pump, rows, wait_until
from workstation.trading.rfq import RfqStatus
from workstation.trading.rfq_maker import MakerStatus
from workstation.ui.panels.rfq_panel import RfqPanel

Station = Workstation


def rfq_panel(station: Station) -> RfqPanel:
    station.window.dock("rfqPanel").raise_()
    return station.panel("rfqPanel", RfqPanel)


def click_row(qtbot, view: QTableView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def advance_venue_clock_until(
    station: Station, condition: Callable[[], bool], what: str, step: int = 5, steps: int = 12
) -> None:
    """Move the venue clock ``step`` seconds at a time until ``condition()`` holds."""
    for _ in range(steps):
        if condition():
            return
        station.admin("clock", advance=step)
        pump(0.1)
    wait_until(condition, what, timeout=2.0)


def test_requester_asks_gets_a_simulated_quote_accepts_and_trades(qtbot, station: Station):
    panel = rfq_panel(station)
    panel.tabs.setCurrentWidget(panel.requester_tab)
    line = panel.market_combo.lineEdit()
    assert line is not None
    line.selectAll()
    qtbot.keyClicks(line, MARKET)
    qtbot.keyClicks(panel.size_edit, "20")
    qtbot.mouseClick(panel.request_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: len(station.desk.rfqs) == 1, "our RFQ to be sent")
    [rfq] = list(station.desk.rfqs)
    key = rfq.quote_req_id
    wait_until(lambda: panel.rfq_model.row_of(key) is not None, "our RFQ in the panel")

    # A simulated maker quotes within a few (venue) seconds.
    advance_venue_clock_until(
        station,
        lambda: panel.quotes_model.rowCount() > 0,
        "a simulated maker's quote in the quotes table",
        step=1,
    )
    [ours] = rows(panel.rfq_table)
    assert ours["market"] == MARKET and ours["status"] == RfqStatus.OPEN.value, ours
    click_row(qtbot, panel.quotes_table, 0)
    quote = panel.selected_quote()
    assert quote is not None and quote.no_bid is not None
    assert panel.accept_buy_button.isEnabled()
    qtbot.mouseClick(panel.accept_buy_button, Qt.MouseButton.LeftButton)

    # The maker confirms, the execution timer runs out, the trade reaches the blotter.
    blotter = station.blotter
    advance_venue_clock_until(
        station, lambda: len(rows(blotter.fills_table)) > 0, "the RFQ trade's fill", step=2
    )
    # Accepting Buy YES takes the maker's NO bid: we buy YES at 100¢ − NO bid.
    [fill] = rows(blotter.fills_table)
    buy_yes_cents = int((1 - quote.no_bid) * 100)
    assert (fill["market"], fill["side"], fill["quantity"]) == (MARKET, "Buy YES", "20"), fill
    assert fill["price"] == f"{buy_yes_cents}¢", (fill, quote)
    wait_until(
        lambda: [p["held"] for p in rows(blotter.positions_table)] == ["YES"], "a YES position"
    )
    wait_until(
        lambda: rows(panel.rfq_table)[0]["status"] == RfqStatus.ACCEPTED.value,
        "the RFQ shown accepted",
    )


def quote_an_injected_rfq(qtbot, station: Station) -> tuple[RfqPanel, str, str]:
    """An admin-injected RFQ for 10 on MARKET, quoted from the maker tab at 40¢ YES / 55¢
    NO and accepted by its (admin) requester buying YES, i.e. taking our NO bid."""
    panel = rfq_panel(station)
    answer = station.admin("rfq_request", ticker=MARKET, quantity=10)
    rfq_id = str(answer["rfq_id"])
    wait_until(lambda: panel.maker_model.row_of(rfq_id) is not None, "the injected RFQ")
    panel.tabs.setCurrentWidget(panel.maker_tab)
    row = panel.maker_model.row_of(rfq_id)
    assert row is not None
    click_row(qtbot, panel.maker_table, row)
    selected = panel.selected_maker_rfq()
    assert selected is not None and selected.quote_req_id == rfq_id
    for edit, cents in ((panel.yes_edit, "40"), (panel.no_edit, "55")):
        edit.selectAll()
        qtbot.keyClicks(edit, cents)
    assert panel.send_quote_button.isEnabled()
    qtbot.mouseClick(panel.send_quote_button, Qt.MouseButton.LeftButton)
    maker_rfqs = station.desk.maker_rfqs

    def status() -> MakerStatus | None:
        found = maker_rfqs.get(rfq_id)
        return None if found is None else found.status

    wait_until(lambda: status() is MakerStatus.QUOTED, "our quote to be live")
    found = maker_rfqs.get(rfq_id)
    assert found is not None and found.quote is not None
    station.admin("rfq_accept", quote_id=found.quote.quote_id, side="buy")
    wait_until(lambda: status() is MakerStatus.ACCEPTED, "the requester to accept our quote")
    wait_until(panel.confirm_button.isEnabled, "the Confirm button")
    return panel, rfq_id, found.quote.quote_id


def test_maker_quotes_an_injected_rfq_confirms_and_trades(qtbot, station: Station):
    panel, rfq_id, _quote_id = quote_an_injected_rfq(qtbot, station)
    assert "NO" in panel.confirm_trade.text() and "55" in panel.confirm_trade.text()
    left = int("".join(ch for ch in panel.countdown.text() if ch.isdigit()) or "0")
    assert 0 < left <= 30, panel.countdown.text()
    qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
    wait_until(
        lambda: (
            station.desk.maker_rfqs.get(rfq_id).status  # type: ignore[union-attr]
            is MakerStatus.CONFIRMED
        ),
        "the venue to take our confirmation",
    )
    blotter = station.blotter
    advance_venue_clock_until(
        station, lambda: len(rows(blotter.fills_table)) > 0, "the RFQ trade's fill"
    )
    # Our NO bid of 55¢ was hit: we bought 10 NO at 55¢, i.e. sold 10 YES at 45¢ on the wire.
    [fill] = rows(blotter.fills_table)
    assert (fill["market"], fill["side"], fill["price"], fill["quantity"]) == (
        MARKET,
        "Sell YES",
        "45¢",
        "10",
    ), fill
    wait_until(
        lambda: (
            [(p["held"], p["quantity"]) for p in rows(blotter.positions_table)] == [("NO", "10")]
        ),
        "a position of 10 NO",
    )


def test_a_missed_confirm_shows_the_quote_void(qtbot, station: Station):
    panel, rfq_id, _quote_id = quote_an_injected_rfq(qtbot, station)
    station.admin("clock", advance=31)  # past the 30 s confirm window, on the venue's clock
    row = panel.maker_model.row_of(rfq_id)
    assert row is not None
    wait_until(
        lambda: rows(panel.maker_table)[row]["status"] == MakerStatus.VOIDED.value,
        f"the panel to show the quote voided (shows {rows(panel.maker_table)[row]})",
    )
    shown = rows(panel.maker_table)[row]
    assert "not confirmed" in shown["note"], shown
    assert "voided" in panel.confirm_headline.text().lower(), panel.confirm_headline.text()
    assert not panel.confirm_button.isEnabled()
    assert not panel.send_quote_button.isEnabled()
    assert rows(station.blotter.fills_table) == []
