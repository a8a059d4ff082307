"""The markets view panel: the poll line, choosing a market, filters, expansion, refresh."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.trading_fixtures import (
    CLE,
    FED_CUT,
    NYC,
    NYK,
    T0,
    busy_morning,
    market_snapshot,
    run_until,
)
from workstation.client.market_data import EventRow, MarketRow, MarketSnapshot
from workstation.trading.positions import Positions
from workstation.trading.ticket import Intent
from workstation.ui.panels.markets_view import MarketsView, poll_status
from workstation.ui.theme import STATUS_COLORS, Theme, apply_theme

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class MarketsDeskDouble:
    """What the view reads of the Desk, with a refresh that can be held open."""

    def __init__(self, positions: Positions, market: MarketSnapshot | None) -> None:
        self.positions = positions
        self.market = market
        self.refreshes = 0
        self.gate: asyncio.Event | None = None
        self.next_poll: MarketSnapshot | None = None

    async def refresh_market(self) -> MarketSnapshot | None:
        self.refreshes += 1
        if self.gate is not None:
            await self.gate.wait()
        if self.next_poll is not None:
            self.market = self.next_poll
        return self.market


@pytest.fixture
def clock() -> Clock:
    return Clock(T0 + 3)


@pytest.fixture
def desk() -> MarketsDeskDouble:
    return MarketsDeskDouble(busy_morning().floor.positions, market_snapshot(as_of=T0))


@pytest.fixture
def view(qtbot, desk: MarketsDeskDouble, clock: Clock) -> MarketsView:
    panel = MarketsView(desk, poll_interval=5.0, clock=clock)
    qtbot.addWidget(panel)
    panel.resize(900, 420)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


# -- the poll line (pure) ------------------------------------------------------------------


def test_poll_status_before_any_poll() -> None:
    status = poll_status(None, now=T0, interval=5)
    assert status.text == "Waiting for the first market poll · polled every 5 s"
    assert (status.stale, status.error) == (False, "")


def test_poll_status_says_how_old_the_prices_are_and_turns_stale_after_three_polls() -> None:
    snapshot = market_snapshot(as_of=T0)
    fresh = poll_status(snapshot, now=T0 + 3.4, interval=5)
    assert fresh.text == "Prices 3 s old · polled every 5 s"
    assert not fresh.stale
    assert not poll_status(snapshot, now=T0 + 15, interval=5).stale  # exactly three intervals
    late = poll_status(snapshot, now=T0 + 15.5, interval=5)
    assert late.stale and late.text == "Prices 15 s old · polled every 5 s"
    assert poll_status(snapshot, now=T0 + 125, interval=0.5).text == (
        "Prices 2 min 5 s old · polled every 0.5 s"
    )
    assert poll_status(snapshot, now=T0, interval=300).text.endswith("polled every 5 min 0 s")


def test_poll_status_shows_the_error_of_a_failed_poll() -> None:
    failed = replace(market_snapshot(as_of=T0), error="GET /events: connection refused")
    status = poll_status(failed, now=T0 + 7, interval=5)
    assert status.text == "Prices 7 s old · polled every 5 s"
    assert status.error == "Last poll failed: GET /events: connection refused"
    nothing = MarketSnapshot(as_of=T0, error="GET /events: HTTP 503")
    empty = poll_status(nothing, now=T0, interval=5)
    assert empty.text == "No prices yet · polled every 5 s"
    assert empty.stale and empty.error == "Last poll failed: GET /events: HTTP 503"


# -- the panel -------------------------------------------------------------------------------


def test_the_panel_shows_every_event_expanded_with_the_poll_line(view: MarketsView) -> None:
    assert view.objectName() == "marketsView"
    assert view.tree.objectName() == "marketsTree"
    assert view.model.rowCount() == 4
    assert all(view.is_expanded(key) for key, _title, _tickers in view.model.groups())
    assert view.age_label.text() == "Prices 3 s old · polled every 5 s"
    assert view.age_label.styleSheet() == ""
    assert view.error_label.isHidden()
    assert view.summary_label.text().startswith("Unrealised ")
    assert view.summary_label.text().endswith("over 4 markets")


def test_the_age_ticks_and_turns_amber_then_shows_a_failed_poll(
    qtbot, view: MarketsView, desk: MarketsDeskDouble, clock: Clock
) -> None:
    clock.now = T0 + 16
    qtbot.waitUntil(lambda: view.age_label.text().startswith("Prices 16 s old"), timeout=3000)
    amber = STATUS_COLORS[Theme.LIGHT].busy
    assert amber in view.age_label.styleSheet()
    assert view.age_label.property("stale") is True
    failed = replace(market_snapshot(as_of=T0), error="GET /events: connection refused")
    view.set_market(failed)
    assert not view.error_label.isHidden()
    assert view.error_label.text() == "Last poll failed: GET /events: connection refused"
    assert STATUS_COLORS[Theme.LIGHT].bad in view.error_label.styleSheet()
    view.set_market(market_snapshot(as_of=T0 + 16))
    assert view.error_label.isHidden()
    assert view.age_label.text().startswith("Prices 0 s old")
    assert view.age_label.styleSheet() == ""


def _market_point(view: MarketsView, ticker: str):
    index = view.model.index_of_market(ticker)
    view.tree.scrollTo(index)
    return view.tree.visualRect(index).center()


def test_double_clicking_a_market_chooses_it(qtbot, view: MarketsView) -> None:
    chosen: list[str] = []
    view.market_chosen.connect(chosen.append)
    point = _market_point(view, FED_CUT)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert chosen == [FED_CUT]
    assert view.selected_ticker() == FED_CUT


def test_double_clicking_an_event_folds_it_and_chooses_nothing(qtbot, view: MarketsView) -> None:
    chosen: list[str] = []
    view.market_chosen.connect(chosen.append)
    event = view.model.index_of_group("KXFEDDECISION-25MAR")
    point = view.tree.visualRect(event).center()
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert chosen == []
    assert not view.is_expanded("KXFEDDECISION-25MAR")


def test_enter_on_a_market_chooses_it(qtbot, view: MarketsView) -> None:
    with qtbot.waitSignal(view.market_chosen, timeout=1000) as signal:
        view.select(NYK)
        view.tree.setFocus()
        qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert signal.args == [NYK]


def test_typing_in_the_filter_and_held_only(qtbot, view: MarketsView) -> None:
    qtbot.keyClicks(view.filter_edit, "fed")
    assert [key for key, _t, _m in view.model.groups()] == ["KXFEDDECISION-25MAR"]
    assert view.is_expanded("KXFEDDECISION-25MAR")
    view.filter_edit.clear()
    view.held_check.setChecked(True)
    assert [t for _k, _t, tickers in view.model.groups() for t in tickers] == [
        "KXFEDDECISION-25MAR-H0",
        FED_CUT,
        NYK,
        CLE,
    ]
    assert view.model.index_of_market(NYC).isValid() is False


def _with_new_market(snapshot: MarketSnapshot) -> MarketSnapshot:
    row = MarketRow(
        ticker="KXHIGHNY-25JAN07-B35.5",
        event_ticker="KXHIGHNY-25JAN07",
        title="35° to 36°",
        status="active",
        yes_bid=Decimal("0.05"),
        yes_ask=Decimal("0.07"),
        last_price=None,
    )
    events = tuple(
        replace(e, markets=(row.ticker, *e.markets)) if e.event_ticker == row.event_ticker else e
        for e in snapshot.events
    )
    return replace(snapshot, events=events, markets={row.ticker: row, **snapshot.markets})


def test_a_new_market_keeps_folded_events_folded_and_the_selection(
    qtbot, view: MarketsView
) -> None:
    fed = view.model.index_of_group("KXFEDDECISION-25MAR")
    view.tree.collapse(fed)
    assert view.select(CLE)
    with qtbot.waitSignal(view.model.modelReset, timeout=100):
        view.set_market(_with_new_market(market_snapshot(as_of=T0 + 5)))
    assert view.model.groups()[0][2][0] == "KXHIGHNY-25JAN07-B35.5"
    assert not view.is_expanded("KXFEDDECISION-25MAR")
    assert view.is_expanded("KXHIGHNY-25JAN07")
    assert view.selected_ticker() == CLE
    view.tree.expand(view.model.index_of_group("KXFEDDECISION-25MAR"))
    view.set_market(market_snapshot(as_of=T0 + 10))  # the market is gone again: a reset
    assert view.is_expanded("KXFEDDECISION-25MAR")


def test_position_changes_reach_the_rows_and_the_summary(view: MarketsView) -> None:
    floor = busy_morning().floor
    cl = floor.send(NYC, Intent.BUY_YES, "0.36", 9, at=T0 + 1)
    floor.ack(cl, at=T0 + 1)
    view.apply_changes(floor.fill(cl, 9, at=T0 + 2))
    index = view.model.index_of_market(NYC, 6)
    assert view.model.data(index) == "YES 9"
    assert view.summary_label.text().endswith("over 5 markets")


def test_refresh_polls_once_while_in_flight(
    qtbot, qasync_loop, view: MarketsView, desk: MarketsDeskDouble, clock: Clock
) -> None:
    desk.gate = asyncio.Event()
    desk.next_poll = market_snapshot(as_of=T0 + 3)
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.refresh_button, Qt.MouseButton.LeftButton)
    run_until(qasync_loop, lambda: desk.refreshes == 1)
    assert not view.refresh_button.isEnabled()
    assert view.refreshing
    desk.gate.set()
    run_until(qasync_loop, lambda: not view.refreshing)
    assert desk.refreshes == 1
    assert view.refresh_button.isEnabled()
    assert view.age_label.text().startswith("Prices 0 s old")


def test_subpenny_prices_show_in_dollars(view: MarketsView) -> None:
    view.set_subpenny(True)
    assert view.model.data(view.model.index_of_market(NYC, 3)) == "$0.3300"


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_screenshot_of_the_markets_view(qtbot, view: MarketsView, theme: Theme) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, theme)
    try:
        view.set_theme(theme)
        view.resize(1000, 460)
        view.select(CLE)
        qtbot.wait(20)
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"markets_view_{theme.value}.png"
        assert view.grab().save(str(path))
        assert path.stat().st_size > 0
        assert view.model.data(
            view.model.index_of_market(FED_CUT, 7), Qt.ItemDataRole.ForegroundRole
        ).color().name() == (STATUS_COLORS[theme].bad)
    finally:
        apply_theme(app, Theme.LIGHT)


def test_an_invalid_index_chooses_nothing(view: MarketsView) -> None:
    chosen: list[str] = []
    view.market_chosen.connect(chosen.append)
    view.tree.activated.emit(QModelIndex())
    assert chosen == []
    view.choose(NYK)
    assert chosen == [NYK]
    assert not view.select("NO-SUCH-MARKET")


def test_events_tooltip_says_whether_outcomes_exclude_each_other(view: MarketsView) -> None:
    base = market_snapshot(as_of=T0)
    independent = replace(
        base,
        events=(
            *(replace(e, mutually_exclusive=False) for e in base.events),
            EventRow(event_ticker="X", title="x", mutually_exclusive=False, markets=()),
        ),
    )
    tip = view.model.data(
        view.model.index_of_group("KXFEDDECISION-25MAR"), Qt.ItemDataRole.ToolTipRole
    )
    assert "one outcome wins" in tip
    view.set_market(independent)
    tip = view.model.data(
        view.model.index_of_group("KXFEDDECISION-25MAR"), Qt.ItemDataRole.ToolTipRole
    )
    assert "independent" in tip
    assert not view.model.index_of_group("X").isValid()  # an event without markets is not shown
