"""The Account column in the blotter's models: each row's account under an "Account" header
with a tooltip, sortable, found by the text filter, exported to CSV, appended last (so older
saved headers still fit), and Qt's model contract kept through two accounts' batches."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from tests.ui.desk_accounts import DESKS, two_desks
from tests.ui.trading_fixtures import FED_CUT, T0, Floor, market_snapshot
from workstation.trading.ticket import Intent
from workstation.ui.models.fills_model import FillsModel
from workstation.ui.models.orders_model import IntentBook, OrdersModel
from workstation.ui.models.positions_model import PositionsModel
from workstation.ui.models.table_base import RecordTableModel, RowFilter


def _book(floor: Floor) -> IntentBook:
    book = IntentBook()
    for cl, intent in floor.intents.items():
        book.remember([cl], intent)
    return book


def _orders(floor: Floor) -> OrdersModel:
    return OrdersModel(intents=_book(floor))


def _fills(floor: Floor) -> FillsModel:
    return FillsModel(intents=_book(floor))


def _positions(floor: Floor) -> PositionsModel:
    model = PositionsModel(clock=lambda: T0)
    model.set_snapshot(market_snapshot(as_of=T0 - 5))
    return model


MODELS: dict[str, Callable[[Floor], RecordTableModel[Any, Any]]] = {
    "orders": _orders,
    "fills": _fills,
    "positions": _positions,
}


def _loaded(kind: str) -> tuple[RecordTableModel[Any, Any], Floor]:
    floor = two_desks()
    model = MODELS[kind](floor)
    model.upsert(_records(kind, floor))
    return model, floor


def _records(kind: str, floor: Floor) -> list[Any]:
    if kind == "orders":
        return list(floor.orders)
    if kind == "fills":
        return list(floor.fills)
    return list(floor.positions)


def _texts(model: RecordTableModel[Any, Any], name: str) -> list[str]:
    col = model.column_index(name)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


# -- the models -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", MODELS)
def test_every_tab_reads_each_rows_account_under_an_account_header(kind: str) -> None:
    model, _ = _loaded(kind)
    col = model.column_index("account")
    assert model.headerData(col, Qt.Orientation.Horizontal) == "Account"
    tooltip = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "account" in tooltip and "desk monitor" in tooltip
    assert _texts(model, "account") == [r.account for r in model.visible_records()]
    assert set(_texts(model, "account")) == set(DESKS)
    # Appended last, so a header saved before it still fits the columns it knew.
    assert col == model.columnCount() - 1
    assert col in model.earlier_column_counts
    assert model.accounts_seen() == frozenset(DESKS)


@pytest.mark.parametrize("kind", MODELS)
def test_sorting_by_account_groups_each_accounts_rows(kind: str) -> None:
    model, _ = _loaded(kind)
    col = model.column_index("account")
    model.sort(model.column_index("market"), Qt.SortOrder.AscendingOrder)
    model.sort(col, Qt.SortOrder.AscendingOrder)
    accounts = _texts(model, "account")
    assert accounts == sorted(accounts) and accounts[0] == "Desk A"
    model.sort(col, Qt.SortOrder.DescendingOrder)
    assert _texts(model, "account") == sorted(accounts, reverse=True)
    assert model.sort_column == col


@pytest.mark.parametrize("kind", MODELS)
def test_the_text_filter_finds_an_accounts_rows(kind: str) -> None:
    model, floor = _loaded(kind)
    everything = model.rowCount()
    model.set_filter(RowFilter(text="desk b"))
    shown = model.visible_records()
    expected = [r for r in _records(kind, floor) if r.account == "Desk B"]
    assert shown and len(shown) == len(expected) < everything
    assert {r.account for r in shown} == {"Desk B"}
    model.set_filter(RowFilter(text="desk"))  # both accounts' rows
    assert model.rowCount() == everything


@pytest.mark.parametrize("kind", MODELS)
def test_csv_export_names_each_rows_account(kind: str) -> None:
    model, _ = _loaded(kind)
    stream = io.StringIO()
    rows = model.write_csv(stream)
    table = list(csv.reader(io.StringIO(stream.getvalue())))
    assert table[0][-1] == "Account"
    assert [row[-1] for row in table[1:]] == [r.account for r in model.visible_records()]
    assert rows == len(table) - 1 == model.rowCount()


@pytest.fixture
def model_testers(request: pytest.FixtureRequest) -> Iterator[Callable[[], ModelTester]]:
    """pytest-qt's ``qtmodeltester``, one per model (a tester follows a single model)."""
    made: list[ModelTester] = []

    def make() -> ModelTester:
        made.append(ModelTester(request.config))  # type: ignore[no-untyped-call]
        return made[-1]

    yield make
    for tester in made:
        tester._cleanup()  # type: ignore[no-untyped-call]


def test_the_models_pass_the_model_tester_with_two_accounts(model_testers) -> None:
    floor = Floor(account="Desk A")
    orders, fills, positions = _orders(floor), _fills(floor), _positions(floor)
    working = OrdersModel(working_only=True, share_rows_with=orders)
    for model in (orders, working, fills, positions):
        model_testers().check(model, force_py=True)  # stays connected: checks every signal
    two_desks(floor)
    half = len(floor.changes) // 2
    for batch in (floor.changes[:half], floor.changes[half:]):
        for model in (orders, working, fills, positions):
            model.apply(batch)
    for model in (orders, working, fills, positions):
        model.sort(model.column_index("account"), Qt.SortOrder.DescendingOrder)
        model.set_filter(RowFilter(account="Desk B"))
        model.set_filter(RowFilter(account="Desk B", text="kx"))
        model.set_filter(RowFilter(text="desk a"))
        model.set_filter(RowFilter())
    floor.changes.clear()
    floor.account = "Desk B"
    late = floor.send(FED_CUT, Intent.SELL_YES, "0.47", 2, at=T0 + 500)
    floor.ack(late, at=T0 + 501)
    floor.fill(late, 2, at=T0 + 502)
    for model in (orders, working, fills, positions):
        model.apply(floor.changes)
    assert orders.rowCount() == 7 and working.rowCount() == 6  # the late one filled
    assert _texts(orders, "account")[:4] == ["Desk B"] * 4
