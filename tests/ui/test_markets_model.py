"""The markets tree: events grouping their markets, prices, our positions, unrealised P&L."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.ui.trading_fixtures import (
    CLE,
    EUR,
    FED_CUT,
    FED_HOLD,
    NYC,
    NYK,
    T0,
    Floor,
    busy_morning,
    market_snapshot,
)
from workstation.client.market_data import EventRow, MarketRow, MarketSnapshot
from workstation.trading.changes import PositionChanged
from workstation.trading.fees import taker_fee
from workstation.trading.ticket import Intent
from workstation.ui.models.markets_model import OTHER_GROUP, TICKER_ROLE, MarketsModel
from workstation.ui.models.positions_model import PositionsModel

COL = {
    name: i
    for i, name in enumerate(
        ("market", "ticker", "status", "yes_bid", "yes_ask", "last", "position", "unrealized")
    )
}


def text(model: MarketsModel, ticker: str, column: str, role: int = Qt.ItemDataRole.DisplayRole):
    return model.data(model.index_of_market(ticker, COL[column]), role)


def event_text(model: MarketsModel, key: str, column: str) -> str:
    return str(model.data(model.index_of_group(key, COL[column])))


@pytest.fixture
def floor() -> Floor:
    return busy_morning().floor


@pytest.fixture
def model(qapp, floor: Floor) -> MarketsModel:
    m = MarketsModel(clock=lambda: T0 + 4)
    m.load(floor.positions)
    m.set_snapshot(market_snapshot(as_of=T0))
    return m


def test_passes_the_model_tester(qtmodeltester, model: MarketsModel) -> None:
    qtmodeltester.check(model, force_py=True)


def test_passes_the_model_tester_empty_and_while_filtered(qtmodeltester, qapp) -> None:
    empty = MarketsModel()
    qtmodeltester.check(empty, force_py=True)
    floor = busy_morning().floor
    filtered = MarketsModel()
    filtered.load(floor.positions)
    filtered.set_snapshot(market_snapshot(as_of=T0))
    filtered.set_filter("cle", held_only=True)
    qtmodeltester.check(filtered, force_py=True)


def test_events_group_their_markets_in_the_polls_order(model: MarketsModel) -> None:
    snapshot = market_snapshot(as_of=T0)
    assert model.groups() == [(e.event_ticker, e.title, e.markets) for e in snapshot.events]
    assert model.rowCount() == 4
    fed = model.index_of_group("KXFEDDECISION-25MAR")
    assert model.rowCount(fed) == 2
    assert model.data(model.index(0, COL["market"], fed)) == "Hold"
    assert model.index(0, 0, fed).parent() == fed
    assert model.rowCount(model.index(0, 0, fed)) == 0  # markets have no children
    assert model.data(model.index(0, 0, fed), TICKER_ROLE) == "KXFEDDECISION-25MAR-H0"
    assert model.ticker_of(fed) is None
    assert model.group_key_of(fed) == "KXFEDDECISION-25MAR"
    assert event_text(model, "KXFEDDECISION-25MAR", "status") == "2 markets"


def test_market_rows_show_status_and_yes_prices_in_cents(model: MarketsModel) -> None:
    assert text(model, NYC, "market") == "39° to 40°"
    assert text(model, NYC, "ticker") == NYC
    assert text(model, NYC, "status") == "active"
    assert (text(model, NYC, "yes_bid"), text(model, NYC, "yes_ask")) == ("33¢", "36¢")
    assert text(model, NYC, "last") == "35¢"
    assert text(model, EUR, "yes_bid") == ""  # an empty bid side shows blank
    model.set_dollars(True)
    assert text(model, NYC, "yes_bid") == "$0.3300"


def test_positions_show_the_contract_held_and_its_quantity(model: MarketsModel) -> None:
    assert text(model, CLE, "position") == "YES 25"  # bought 40, sold 15
    assert text(model, FED_CUT, "position") == "NO 4"
    assert text(model, NYK, "position") == "YES 14"
    assert text(model, NYC, "position") == ""  # nothing filled there
    assert event_text(model, "KXNBAGAME-25JAN07NYKCLE", "position") == "2 held"


def test_unrealised_pnl_is_the_blotters_figure_at_the_same_prices(
    model: MarketsModel, floor: Floor
) -> None:
    """The markets view and the blotter's positions tab must never disagree."""
    blotter = PositionsModel(clock=lambda: T0 + 4)
    blotter.load(floor.positions)
    blotter.set_snapshot(market_snapshot(as_of=T0))
    held = [p for p in floor.positions if p.net != 0]
    assert {p.symbol for p in held} == {CLE, FED_CUT, NYK, FED_HOLD}
    for position in held:
        expected = blotter.unrealized(position)
        assert expected is not None
        assert model.unrealized(position.symbol) == expected
        shown = text(model, position.symbol, "unrealized")
        row = blotter.row_of(position.key)
        assert row is not None
        assert shown == blotter.data(blotter.index(row, blotter.column_index("unrealized")))


def test_a_no_position_is_marked_at_one_minus_the_yes_ask(model: MarketsModel, floor) -> None:
    # Fed cut: 4 NO bought at 62¢; YES ask 38¢ → NO bid 62¢; flat before the fee to sell.
    position = next(p for p in floor.positions if p.symbol == FED_CUT)
    assert position.cost_basis == Decimal("2.48")
    pnl = model.unrealized(FED_CUT)
    assert pnl is not None and pnl < 0 and pnl > Decimal("-0.10")  # just the fee to sell
    tooltip = text(model, FED_CUT, "unrealized", Qt.ItemDataRole.ToolTipRole)
    assert "NO bid (1 − YES ask) 62¢" in tooltip and "prices 4 s old" in tooltip


def test_event_rows_total_their_markets(model: MarketsModel) -> None:
    total, held, unmarked = model.event_unrealized("KXNBAGAME-25JAN07NYKCLE")
    cle, nyk = model.unrealized(CLE), model.unrealized(NYK)
    assert cle is not None and nyk is not None
    assert (total, held, unmarked) == (cle + nyk, 2, 0)
    assert event_text(model, "KXNBAGAME-25JAN07NYKCLE", "unrealized").endswith(
        f"{abs(total).quantize(Decimal('0.01'))}"
    )
    everything = model.total_unrealized()
    assert everything[1:] == (4, 0)


def test_a_holding_without_a_bid_is_not_marked(qapp) -> None:
    floor = Floor()
    cl = floor.send(EUR, Intent.BUY_YES, "0.50", 10, at=T0)
    floor.ack(cl, at=T0)
    floor.fill(cl, 10, at=T0 + 1)
    model = MarketsModel()
    model.load(floor.positions)
    model.set_snapshot(market_snapshot(as_of=T0))  # EUR has no YES bid
    assert model.unrealized(EUR) is None
    assert text(model, EUR, "unrealized") == "not marked"
    assert model.event_unrealized("EURUSD-25JAN0718") == (Decimal(0), 1, 1)
    assert "not marked" in text(model, EUR, "unrealized", Qt.ItemDataRole.ToolTipRole)


def test_a_held_market_the_poll_does_not_list_is_kept_under_other_markets(qapp) -> None:
    floor = Floor()
    cl = floor.send("KXOLD-24DEC31-X", Intent.BUY_NO, "0.70", 3, at=T0)
    floor.ack(cl, at=T0)
    floor.fill(cl, 3, at=T0 + 1)
    model = MarketsModel()
    model.load(floor.positions)
    model.set_snapshot(market_snapshot(as_of=T0))
    key, title, tickers = model.groups()[-1]
    assert (key, title, tickers) == (OTHER_GROUP, "Other markets", ("KXOLD-24DEC31-X",))
    assert text(model, "KXOLD-24DEC31-X", "status") == "not polled"
    assert text(model, "KXOLD-24DEC31-X", "position") == "NO 3"
    assert text(model, "KXOLD-24DEC31-X", "unrealized") == "not marked"
    # once the poll lists it, it moves under its event
    base = market_snapshot(as_of=T0 + 5)
    row = MarketRow(
        ticker="KXOLD-24DEC31-X",
        event_ticker="KXOLD-24DEC31",
        title="X",
        status="closed",
        yes_bid=Decimal("0.20"),
        yes_ask=Decimal("0.25"),
        last_price=None,
    )
    listed = replace(
        base,
        events=(
            *base.events,
            EventRow(
                event_ticker="KXOLD-24DEC31",
                title="Old",
                mutually_exclusive=False,
                markets=(row.ticker,),
            ),
        ),
        markets={**base.markets, row.ticker: row},
    )
    model.set_snapshot(listed)
    assert model.groups()[-1] == ("KXOLD-24DEC31", "Old", ("KXOLD-24DEC31-X",))
    assert text(model, "KXOLD-24DEC31-X", "unrealized") != "not marked"
    assert text(model, "KXOLD-24DEC31-X", "status") == "closed"


def test_a_poll_of_the_same_markets_repaints_without_a_reset(qtbot, model: MarketsModel) -> None:
    moved = market_snapshot(as_of=T0 + 5)
    cle = moved.markets[CLE]
    moved.markets[CLE] = replace(cle, yes_bid=Decimal("0.70"), yes_ask=Decimal("0.72"))
    before = model.unrealized(CLE)
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.waitSignal(model.dataChanged, timeout=100),
    ):
        model.set_snapshot(moved)
    # 25 YES left at 45¢ (FIFO), now bid 70¢: less the fee to sell 25 there
    expected = 25 * Decimal("0.70") - 25 * Decimal("0.45") - taker_fee(Decimal(25), Decimal("0.70"))
    assert before is not None and before < expected
    assert model.unrealized(CLE) == expected
    assert text(model, CLE, "yes_bid") == "70¢"


def test_a_fill_repaints_its_market_and_event(qtbot, model: MarketsModel, floor) -> None:
    cl = floor.send(NYC, Intent.BUY_YES, "0.36", 7, at=T0 + 10)
    floor.ack(cl, at=T0 + 10)
    changes = floor.fill(cl, 7, at=T0 + 11)
    changed: list[tuple[QModelIndex, QModelIndex]] = []
    model.dataChanged.connect(lambda a, b, *_: changed.append((a, b)))
    with qtbot.assertNotEmitted(model.modelReset):
        model.apply(changes)
    assert text(model, NYC, "position") == "YES 7"
    assert {model.ticker_of(a) for a, _ in changed} == {NYC, None}
    event = model.index_of_group("KXHIGHNY-25JAN07")
    assert any(a == event for a, _ in changed)
    assert event_text(model, "KXHIGHNY-25JAN07", "position") == "1 held"


def test_closing_a_position_empties_the_row(model: MarketsModel, floor) -> None:
    cl = floor.send(FED_HOLD, Intent.SELL_YES, "0.61", 5, at=T0 + 20)
    floor.ack(cl, at=T0 + 20)
    changes = floor.fill(cl, 5, at=T0 + 21)
    assert any(isinstance(c, PositionChanged) for c in changes)
    model.apply(changes)
    assert text(model, FED_HOLD, "position") == ""
    assert text(model, FED_HOLD, "unrealized") == ""
    assert model.holding(FED_HOLD) is None


def test_filter_by_text_and_held_only(model: MarketsModel) -> None:
    model.set_filter("fed")  # the event's title: all its markets
    assert [g[2] for g in model.groups()] == [(FED_HOLD, FED_CUT)]
    model.set_filter("B39")  # one market's ticker
    assert model.groups() == [("KXHIGHNY-25JAN07", "Highest temperature in NYC on Jan 7?", (NYC,))]
    model.set_filter("hold")  # a market's title
    assert [g[2] for g in model.groups()] == [(FED_HOLD,)]
    model.set_filter("cleveland")  # in the event's title: the whole event
    assert [g[2] for g in model.groups()] == [(NYK, CLE)]
    model.set_filter("", held_only=True)
    assert [t for g in model.groups() for t in g[2]] == [FED_HOLD, FED_CUT, NYK, CLE]
    model.set_filter("nothing like this")
    assert model.rowCount() == 0
    model.set_filter("")
    assert model.rowCount() == 4


def test_no_snapshot_yet_shows_only_what_we_hold(qapp, floor) -> None:
    model = MarketsModel()
    model.load(floor.positions)
    held = tuple(sorted((FED_HOLD, FED_CUT, CLE, NYK)))
    assert model.groups() == [(OTHER_GROUP, "Other markets", held)]
    model.set_snapshot(MarketSnapshot(as_of=T0, error="GET /events: connection refused"))
    assert model.groups()[0][0] == OTHER_GROUP


def test_theme_colours_follow_the_sign_and_the_theme(model: MarketsModel) -> None:
    role = Qt.ItemDataRole.ForegroundRole
    model.set_dark(False)  # whatever theme an earlier test left the application in
    light = text(model, FED_CUT, "unrealized", role).color().name()
    model.set_dark(True)
    dark = text(model, FED_CUT, "unrealized", role).color().name()
    assert light != dark
    assert (light, dark) == ("#c62828", "#f85149")  # a loss, in each theme's "bad" colour
