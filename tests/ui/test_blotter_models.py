"""The blotter's table models, fed Changes built from real typed ExecutionReports through the
real trading.Orders / Fills / Positions: Qt's model contract, batching, sort, filter, colours
and the figures they show."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

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
from workstation.fix.messages.enums import Side
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent
from workstation.ui.models.fills_model import FillsModel
from workstation.ui.models.orders_model import (
    STATUS_COLOURS,
    IntentBook,
    OrdersModel,
    status_colour,
)
from workstation.ui.models.positions_model import PositionsModel
from workstation.ui.models.table_base import RowFilter

_ROLE = Qt.ItemDataRole
_ALLOWED = {
    _ROLE.DisplayRole: (str,),
    _ROLE.ToolTipRole: (str,),
    _ROLE.ForegroundRole: (QBrush, QColor),
    _ROLE.BackgroundRole: (QBrush, QColor),
    _ROLE.FontRole: (QFont,),
}


def _book(floor: Floor) -> IntentBook:
    book = IntentBook()
    for cl, intent in floor.intents.items():
        book.remember([cl], intent)
    return book


def _column(model, name: str) -> list[str]:
    col = model.column_index(name)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def _row(model, key) -> int:
    row = model.row_of(key)
    assert row is not None
    return int(row)


def _every_cell_has_plain_types(model) -> None:
    """data() never returns a Decimal or anything Qt cannot show, in any cell or role."""
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            for role, types in _ALLOWED.items():
                value = model.data(index, role)
                assert value is None or isinstance(value, types), (row, col, role, value)
            align = model.data(index, _ROLE.TextAlignmentRole)
            assert int(align) & int(Qt.AlignmentFlag.AlignHorizontal_Mask)


class _Signals:
    """Counts a model's structural and data signals."""

    def __init__(self, model) -> None:
        self.inserted: list[tuple[int, int]] = []
        self.removed: list[tuple[int, int]] = []
        self.changed: list[tuple[int, int]] = []
        self.resets = 0
        self.layouts = 0
        model.rowsInserted.connect(lambda _p, a, b: self.inserted.append((a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.removed.append((a, b)))
        model.dataChanged.connect(lambda tl, br, _r=(): self.changed.append((tl.row(), br.row())))
        model.modelReset.connect(lambda: setattr(self, "resets", self.resets + 1))
        model.layoutChanged.connect(lambda *_: setattr(self, "layouts", self.layouts + 1))


# -- Qt's model contract ------------------------------------------------------------------------


def test_orders_model_passes_the_model_tester_through_batches_sorts_and_filters(qtmodeltester):
    morning = busy_morning()
    model = OrdersModel(intents=_book(morning.floor))
    half = len(morning.floor.changes) // 2
    model.apply(morning.floor.changes[:half])
    # check() tests the model now, then stays connected and checks every later signal.
    qtmodeltester.check(model, force_py=True)
    model.apply(morning.floor.changes[half:])
    model.sort(model.column_index("price"), Qt.SortOrder.AscendingOrder)
    model.apply(morning.floor.changes)  # replayed: updates only
    model.set_filter(RowFilter(text="nba"))
    model.set_dark(True)
    model.set_filter(RowFilter())
    _every_cell_has_plain_types(model)


def test_working_model_passes_the_model_tester_as_orders_leave_it(qtmodeltester):
    floor = Floor()
    model = OrdersModel(intents=_book(floor), working_only=True)
    ids = [floor.send(NYC, Intent.BUY_YES, f"0.{30 + i}", 10, at=T0 + i) for i in range(6)]
    for cl in ids:
        floor.ack(cl, at=T0 + 10)
    model.apply(floor.changes)
    qtmodeltester.check(model, force_py=True)
    floor.changes.clear()
    floor.fill(ids[1], 10, at=T0 + 20)
    floor.cancel(ids[4], at=T0 + 21)
    floor.fill(ids[2], 3, at=T0 + 22)
    model.sort(model.column_index("filled"), Qt.SortOrder.AscendingOrder)
    model.apply(floor.changes)
    assert model.rowCount() == 4
    assert _column(model, "filled") == ["0", "0", "0", "3"]


def test_fills_and_positions_models_pass_the_model_tester(qtmodeltester):
    morning = busy_morning()
    fills = FillsModel(intents=_book(morning.floor))
    fills.apply(morning.floor.changes)
    qtmodeltester.check(fills, force_py=True)
    _every_cell_has_plain_types(fills)
    positions = PositionsModel(clock=lambda: T0 + 5)
    positions.apply(morning.floor.changes)
    positions.set_snapshot(market_snapshot(as_of=T0))
    qtmodeltester.check(positions, force_py=True)
    _every_cell_has_plain_types(positions)


# -- batching ------------------------------------------------------------------------------------


def test_a_batch_of_new_orders_is_one_insert_and_updates_are_one_ranged_change():
    floor = Floor()
    model = OrdersModel(intents=_book(floor))
    signals = _Signals(model)
    ids = [floor.send(NYC, Intent.BUY_YES, "0.30", 10, at=T0 + i) for i in range(50)]
    model.apply(floor.changes)
    assert signals.inserted == [(0, 49)]
    assert model.rowCount() == 50
    floor.changes.clear()
    for cl in ids[10:20]:
        floor.ack(cl, at=T0 + 100)
    model.apply(floor.changes)
    assert signals.inserted == [(0, 49)]  # nothing new
    # Newest first: orders 10..19 sit in rows 30..39; one dataChanged covers them.
    assert signals.changed == [(30, 39)]
    assert signals.resets == 0 and signals.layouts == 0
    assert _column(model, "status")[30:40] == ["Working"] * 10


def test_new_rows_scattered_across_the_sort_order_are_one_insert_then_placed():
    floor = Floor()
    model = OrdersModel(intents=_book(floor))
    for i, price in enumerate(("0.20", "0.40", "0.60")):
        floor.send(NYC, Intent.BUY_YES, price, 10, at=T0 + i)
    model.apply(floor.changes)
    model.sort(model.column_index("price"), Qt.SortOrder.AscendingOrder)
    signals = _Signals(model)
    floor.changes.clear()
    for i, price in enumerate(("0.10", "0.50", "0.90")):
        floor.send(NYC, Intent.BUY_YES, price, 10, at=T0 + 10 + i)
    model.apply(floor.changes)
    assert len(signals.inserted) == 1
    assert signals.layouts == 1
    assert _column(model, "price") == ["10¢", "20¢", "40¢", "50¢", "60¢", "90¢"]


def test_orders_leave_the_working_tab_when_done_and_stay_in_all_orders():
    floor = Floor()
    working = OrdersModel(intents=_book(floor), working_only=True)
    every = OrdersModel(intents=_book(floor))
    a = floor.send(NYC, Intent.BUY_YES, "0.30", 10, at=T0)
    b = floor.send(FED_CUT, Intent.BUY_NO, "0.62", 10, at=T0 + 1)
    floor.ack(a, at=T0 + 2)
    floor.ack(b, at=T0 + 2)
    for model in (working, every):
        model.apply(floor.changes)
    signals = _Signals(working)
    floor.changes.clear()
    floor.fill(a, 10, at=T0 + 3)
    working.apply(floor.changes)
    every.apply(floor.changes)
    assert signals.removed == [(1, 1)]  # a was the older row, below b
    assert [o.first_cl_ord_id for o in working.visible_records()] == [b]
    assert _column(every, "status") == ["Working", "Filled"]


# -- sorting and filtering ----------------------------------------------------------------------


def test_sort_by_each_kind_of_column_both_ways():
    morning = busy_morning()
    model = OrdersModel(intents=_book(morning.floor))
    model.apply(morning.floor.changes)
    model.sort(model.column_index("quantity"), Qt.SortOrder.DescendingOrder)
    quantities = [o.order_qty for o in model.visible_records()]
    assert quantities == sorted(quantities, reverse=True)
    assert _column(model, "quantity")[0] == "2,000"
    model.sort(model.column_index("market"), Qt.SortOrder.AscendingOrder)
    markets = _column(model, "market")
    assert markets == sorted(markets)
    model.sort(model.column_index("avg"), Qt.SortOrder.AscendingOrder)
    avgs = _column(model, "avg")
    assert avgs[: avgs.count("")] == [""] * avgs.count("")  # unfilled first
    model.sort(model.column_index("time"), Qt.SortOrder.AscendingOrder)
    times = [o.created_at for o in model.visible_records()]
    assert times == sorted(times)


def test_sort_keeps_the_selected_row_on_the_same_order(qtbot):
    from PySide6.QtCore import QPersistentModelIndex

    morning = busy_morning()
    model = OrdersModel(intents=_book(morning.floor))
    model.apply(morning.floor.changes)
    target = morning.ids["fed_no"]
    row = _row(model, target)
    assert row is not None
    held = QPersistentModelIndex(model.index(row, 2))
    model.sort(model.column_index("price"), Qt.SortOrder.AscendingOrder)
    assert held.isValid()
    assert model.record_at(held.row()).first_cl_ord_id == target
    assert held.column() == 2


def test_filter_by_text_market_side_status_and_sub_account():
    morning = busy_morning()
    model = OrdersModel(intents=_book(morning.floor))
    model.apply(morning.floor.changes)
    total = model.rowCount()

    model.set_filter(RowFilter(market="nbagame"))
    assert set(_column(model, "market")) == {NYK, CLE}
    model.set_filter(RowFilter(side="Buy NO"))
    assert set(_column(model, "side")) == {"Buy NO"}
    assert model.rowCount() == 3
    model.set_filter(RowFilter(status=OrderStatus.REJECTED.value))
    assert set(_column(model, "text")) == {"insufficient balance", "post-only would cross"}
    model.set_filter(RowFilter(sub_account="3"))
    assert [o.first_cl_ord_id for o in model.visible_records()] == [morning.ids["hot_no"]]
    model.set_filter(RowFilter(text="RECONCIL"))  # the status text, any case
    assert [o.first_cl_ord_id for o in model.visible_records()] == [morning.ids["unknown"]]
    model.set_filter(RowFilter(text=morning.ids["fed_no"][:8]))  # part of a ClOrdID
    assert [o.first_cl_ord_id for o in model.visible_records()] == [morning.ids["fed_no"]]
    model.set_filter(RowFilter(text="healed"))
    assert [o.first_cl_ord_id for o in model.visible_records()] == [morning.ids["cle_buy"]]
    model.set_filter(RowFilter(market="fed", side="Buy YES"))
    assert set(_column(model, "market")) == {FED_HOLD}
    model.set_filter(RowFilter())
    assert model.rowCount() == total


def test_rows_arriving_while_filtered_respect_the_filter():
    floor = Floor()
    model = OrdersModel(intents=_book(floor))
    model.set_filter(RowFilter(market="fed"))
    floor.send(NYC, Intent.BUY_YES, "0.30", 10, at=T0)
    floor.send(FED_CUT, Intent.BUY_YES, "0.30", 10, at=T0 + 1)
    model.apply(floor.changes)
    assert _column(model, "market") == [FED_CUT]
    assert len(model) == 2


def test_sort_and_filter_on_many_rows_give_the_right_rows():
    """Correctness at scale (timings are for bench/blotter.py)."""
    floor = Floor()
    markets = (NYC, FED_CUT, NYK, EUR)
    for i in range(3000):
        floor.send(
            markets[i % 4],
            Intent.BUY_YES if i % 3 else Intent.BUY_NO,
            f"0.{10 + i % 80:02d}",
            1 + i % 50,
            at=T0 + i,
        )
    model = OrdersModel(intents=_book(floor))
    model.apply(floor.changes)
    assert model.rowCount() == 3000
    model.sort(model.column_index("price"), Qt.SortOrder.DescendingOrder)
    prices = [model.price_of(o) or Decimal(0) for o in model.visible_records()]
    assert prices == sorted(prices, reverse=True)
    model.set_filter(RowFilter(market="FED", side="Buy NO"))
    shown = model.visible_records()
    assert len(shown) == sum(1 for i in range(3000) if i % 4 == 1 and i % 3 == 0)
    assert all(o.symbol == FED_CUT for o in shown)
    prices = [model.price_of(o) or Decimal(0) for o in shown]
    assert prices == sorted(prices, reverse=True)


# -- what the rows say ------------------------------------------------------------------------


def test_rows_read_in_the_traders_terms():
    morning = busy_morning()
    model = OrdersModel(intents=_book(morning.floor))
    model.apply(morning.floor.changes)
    fed = _row(model, morning.ids["fed_no"])
    row = {c.name: model.data(model.index(fed, i)) for i, c in enumerate(model.columns)}
    # Buy NO at 62¢ went out as Side 2 at YES 38¢; the blotter shows what the trader typed.
    assert morning.floor.order(morning.ids["fed_no"]).side is Side.SELL
    assert (row["side"], row["price"], row["avg"]) == ("Buy NO", "62¢", "62¢")
    assert (row["quantity"], row["filled"], row["leaves"]) == ("10", "4", "6")
    assert row["status"] == "Partially filled"
    assert row["time"] == "09:36:00"  # Eastern Time
    external = _row(model, morning.ids["external"])
    assert model.data(model.index(external, model.column_index("side"))) == "Sell YES"
    assert model.data(model.index(external, model.column_index("source"))) == "external"
    rejected = _row(model, morning.ids["rejected"])
    assert model.data(model.index(rejected, model.column_index("leaves"))) == "0"


def test_status_colours_are_distinct_and_follow_the_theme():
    morning = busy_morning()
    model = OrdersModel(intents=_book(morning.floor))
    model.apply(morning.floor.changes)
    status_col = model.column_index("status")

    def colours(key: str) -> tuple[str, str]:
        index = model.index(_row(model, morning.ids[key]), status_col)
        bg = model.data(index, _ROLE.BackgroundRole).color().name()
        fg = model.data(index, _ROLE.ForegroundRole).color().name()
        return bg, fg

    model.set_dark(False)
    unknown = colours("unknown")
    assert unknown == (
        STATUS_COLOURS[OrderStatus.UNKNOWN].light_bg,
        STATUS_COLOURS[OrderStatus.UNKNOWN].light_fg,
    )
    seen = {
        colours(k)
        for k in (
            "nyc_bid",
            "fed_no",
            "cle_buy",
            "nyc_cancel",
            "rejected",
            "unknown",
            "pending",
            "expired",
        )
    }
    assert len(seen) == 8  # working, partial, filled, pending cancel, rejected, unknown, …
    # Amber for UNKNOWN: red well above blue in both themes.
    for dark in (False, True):
        bg, fg = status_colour(OrderStatus.UNKNOWN, dark)
        assert fg.red() > fg.blue() + 60 and bg.red() > bg.blue()
    changed: list[int] = []
    model.dataChanged.connect(lambda *_: changed.append(1))
    model.set_dark(True)
    assert changed == [1]  # one signal for the whole table
    assert colours("unknown") == (
        STATUS_COLOURS[OrderStatus.UNKNOWN].dark_bg,
        STATUS_COLOURS[OrderStatus.UNKNOWN].dark_fg,
    )
    # Non-status cells keep the view's colours.
    index = model.index(0, model.column_index("market"))
    assert model.data(index, _ROLE.BackgroundRole) is None


def _contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("dark", [False, True])
def test_every_status_colour_is_readable_on_its_theme(dark):
    for status in OrderStatus:
        bg, fg = status_colour(status, dark)
        assert _contrast(bg, fg) >= 4.5, (status, dark)


def test_healed_rows_are_marked():
    morning = busy_morning()
    book = _book(morning.floor)
    orders = OrdersModel(intents=book)
    fills = FillsModel(intents=book)
    orders.apply(morning.floor.changes)
    fills.apply(morning.floor.changes)
    row = _row(orders, morning.ids["cle_buy"])
    assert orders.data(orders.index(row, orders.column_index("source"))) == "healed"
    assert orders.data(orders.index(row, 0), _ROLE.FontRole).italic()
    tip = orders.data(orders.index(row, orders.column_index("status")), _ROLE.ToolTipRole)
    assert "drop-copy" in tip
    healed = [f for f in fills.visible_records() if f.healed]
    assert len(healed) == 1
    r = _row(fills, healed[0].key)
    assert fills.data(fills.index(r, fills.column_index("source"))) == "healed"


def test_a_replayed_fill_adds_no_row():
    floor = Floor()
    model = FillsModel(intents=_book(floor))
    cl = floor.send(NYC, Intent.BUY_YES, "0.34", 10, at=T0)
    floor.ack(cl, at=T0 + 1)
    floor.fill(cl, 4, at=T0 + 2)
    model.apply(floor.changes)
    first = floor.fills.newest_exec_id(floor.venue, floor.account)
    floor.changes.clear()
    # The same trade again by drop copy: same ExecID, recorded once.
    changes = floor.fills.add(
        _replay_of(floor, cl, first),
        venue=floor.venue,
        account=floor.account,
        now=T0 + 9,
        healed=True,
    )
    model.apply(changes)
    assert model.rowCount() == 1


def _replay_of(floor: Floor, cl: str, exec_id: Any) -> Any:
    from workstation.fix.messages.enums import ExecType, OrdStatus
    from workstation.fix.messages.execution import ExecutionReport

    o = floor.order(cl)
    return ExecutionReport(
        exec_id=exec_id,
        order_id=o.order_id,
        cl_ord_id=cl,
        exec_type=ExecType.TRADE,
        ord_status=OrdStatus.PARTIALLY_FILLED,
        symbol=o.symbol,
        side=o.side,
        order_qty=o.order_qty,
        cum_qty=Decimal(4),
        leaves_qty=Decimal(6),
        avg_px=o.avg_px,
        last_px=o.price,
        last_qty=Decimal(4),
    )


def test_fills_show_price_cost_fee_and_liquidity():
    morning = busy_morning()
    model = FillsModel(intents=_book(morning.floor))
    model.apply(morning.floor.changes)
    model.set_filter(RowFilter(market=FED_CUT))
    row = {c.name: model.data(model.index(0, i)) for i, c in enumerate(model.columns)}
    # Buy NO 4 at 62¢: cost 4 × 62¢.
    assert (row["side"], row["price"], row["quantity"]) == ("Buy NO", "62¢", "4")
    assert row["value"] == "$2.48"
    assert row["liquidity"] == "Maker"
    model.set_filter(RowFilter(market=FED_HOLD))
    row = {c.name: model.data(model.index(0, i)) for i, c in enumerate(model.columns)}
    assert row["liquidity"] == "Taker"
    assert row["fee"] == "$0.09"  # ceil(0.07 × 5 × 0.62 × 0.38) = 9¢


def test_positions_show_average_exposure_and_pnl_after_fees_marked_to_the_poll():
    morning = busy_morning()
    now = [T0 + 12.0]
    model = PositionsModel(clock=lambda: now[0])
    model.apply(morning.floor.changes)
    model.set_snapshot(market_snapshot(as_of=T0))

    def row(symbol: str) -> dict[str, str]:
        model.set_filter(RowFilter(market=symbol))
        assert model.rowCount() == 1
        return {c.name: model.data(model.index(0, i)) for i, c in enumerate(model.columns)}

    cle = row(CLE)
    # Bought 40 at 45¢ (fee 44¢ on the 25 taken), sold 15 at 58¢: 25 YES left.
    assert (cle["held"], cle["quantity"], cle["avg"]) == ("YES", "25", "45¢")
    assert cle["exposure"] == "$11.25"
    assert cle["realized"] == "+$1.51"  # 15 × 13¢ − 44¢
    assert cle["fees"] == "$0.44"
    # Marked at the YES bid 57¢: 25 × 12¢ = $3.00, less the 43¢ taker fee to sell there.
    assert cle["mark"] == "57¢"
    assert cle["unrealized"] == "+$2.57"
    assert cle["total"] == "+$4.08"
    assert cle["mark_age"] == "12 s"
    fed = row(FED_CUT)
    # 4 NO at 62¢, marked at the NO bid 1 − 38¢ = 62¢: nothing but the fee to close.
    assert (fed["held"], fed["mark"]) == ("NO", "62¢")
    assert fed["unrealized"] == "−$0.07"
    nyk = row(NYK)
    assert nyk["check"] == "MISMATCH"
    tip = model.data(model.index(0, model.column_index("check")), _ROLE.ToolTipRole)
    assert "exchange reports 4 YES" in tip and "14 YES" in tip
    # P&L colours: green gain, red loss.
    model.set_filter(RowFilter(market=CLE))
    fg = model.data(model.index(0, model.column_index("unrealized")), _ROLE.ForegroundRole)
    assert fg.color().green() > fg.color().red()
    # Marks age as time passes.
    now[0] = T0 + 75
    model.tick()
    assert model.data(model.index(0, model.column_index("mark_age"))) == "1 min 15 s"


def test_an_unmarked_position_says_so():
    floor = Floor()
    cl = floor.send(EUR, Intent.BUY_NO, "0.55", 3, at=T0)
    floor.fill(cl, 3, at=T0 + 1)
    model = PositionsModel(clock=lambda: T0 + 2)
    model.apply(floor.changes)
    snapshot = market_snapshot(as_of=T0)
    model.set_snapshot(snapshot)
    # EUR has no YES bid but an ask of 52¢: the NO bid is 48¢, so NO is marked.
    assert model.data(model.index(0, model.column_index("mark"))) == "48¢"
    floor2 = Floor()
    cl = floor2.send(EUR, Intent.BUY_YES, "0.50", 3, at=T0)
    floor2.fill(cl, 3, at=T0 + 1)
    model2 = PositionsModel(clock=lambda: T0 + 2)
    model2.apply(floor2.changes)
    model2.set_snapshot(snapshot)
    index = model2.index(0, model2.column_index("unrealized"))
    assert model2.data(index) == ""
    assert "not marked" in model2.data(index, _ROLE.ToolTipRole)


def test_note_intent_rewords_a_row_sent_from_the_ticket():
    floor = Floor()
    model = OrdersModel()
    cl = floor.send(FED_CUT, Intent.BUY_NO, "0.62", 10, at=T0)
    model.apply(floor.changes)
    assert _column(model, "side") == ["Sell YES"] and _column(model, "price") == ["38¢"]
    model.note_intent(floor.order(cl), Intent.BUY_NO)
    assert _column(model, "side") == ["Buy NO"] and _column(model, "price") == ["62¢"]


def test_csv_export_writes_the_visible_rows_with_exact_figures():
    morning = busy_morning()
    model = OrdersModel(intents=_book(morning.floor))
    model.apply(morning.floor.changes)
    model.set_filter(RowFilter(market=FED_CUT))
    out = io.StringIO()
    assert model.write_csv(out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Time (ET),Market,Side,Price,Qty,Filled,Leaves,Avg,Status")
    fields = lines[1].split(",")
    assert fields[:9] == [
        "2025-01-07 09:36:00.000 EST",
        FED_CUT,
        "Buy NO",
        "0.62",
        "10",
        "4",
        "6",
        "0.6200",
        "Partially filled",
    ]
    assert morning.ids["fed_no"] in fields


def test_header_and_invalid_index_answers():
    model = OrdersModel()
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Time (ET)"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0


def test_typing_on_narrows_from_the_rows_shown_and_gives_the_same_rows_as_a_fresh_filter():
    morning = busy_morning()
    book = _book(morning.floor)
    typed = OrdersModel(intents=book)
    typed.apply(morning.floor.changes)
    typed.sort(typed.column_index("price"), Qt.SortOrder.AscendingOrder)
    steps = [
        RowFilter(text="k"),
        RowFilter(text="kx"),
        RowFilter(text="kxh"),
        RowFilter(text="kx"),  # backspace: wider again
        RowFilter(text="kx", side="Buy YES"),  # a choice where there was none
        RowFilter(text="kx", side="Buy YES", status="Working"),
        RowFilter(text="kx", side="Buy NO", status="Working"),  # a different choice
        RowFilter(market="b3", text="kx"),
        RowFilter(market="b39", text="kx"),
        RowFilter(),
    ]
    assert steps[2].narrows(steps[1]) and not steps[3].narrows(steps[2])
    assert steps[4].narrows(steps[3]) and not steps[6].narrows(steps[5])
    for row_filter in steps:
        typed.set_filter(row_filter)
        fresh = OrdersModel(intents=book)
        fresh.apply(morning.floor.changes)
        fresh.sort(fresh.column_index("price"), Qt.SortOrder.AscendingOrder)
        fresh.set_filter(row_filter)
        assert [o.first_cl_ord_id for o in typed.visible_records()] == [
            o.first_cl_ord_id for o in fresh.visible_records()
        ], row_filter
