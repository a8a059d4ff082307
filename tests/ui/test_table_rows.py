"""What the record tables keep per row: rows shared by two tables, cell texts kept until
something says they changed (and only for the rows painted last), search text worked out
only for a text filter."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.trading_fixtures import CLE, NYK, T0, Floor, busy_morning
from workstation.trading.ticket import Intent
from workstation.ui.models.orders_model import OrdersModel
from workstation.ui.models.table_base import (
    CELL_CACHE_ROWS,
    Column,
    Facets,
    RecordTableModel,
    RowFilter,
)

_DISPLAY = Qt.ItemDataRole.DisplayRole


@dataclass(frozen=True)
class Item:
    key: int
    name: str
    size: int = 1


class Counting(RecordTableModel[int, Item]):
    """Items whose second column reads an outside suffix; counts what it works out."""

    def __init__(self, share_rows_with: Counting | None = None) -> None:
        self.suffix = "a"
        self.texts = 0  # cell texts worked out
        self.searches = 0  # search texts worked out
        super().__init__(
            [
                Column("name", "Name", self._name),
                Column("tagged", "Tagged", lambda i: f"{i.name}-{self.suffix}"),
                Column("key", "Key", lambda i: str(i.key), sort_key=lambda i: i.key),
                Column("size", "Size", lambda i: str(i.size), sort_key=lambda i: i.size),
            ],
            sort_column=2,  # by key: the name column's text is worked out only to be shown
            share_rows_with=share_rows_with,
        )

    def _name(self, item: Item) -> str:
        self.texts += 1
        return item.name

    def key_of(self, record: Item) -> int:
        return record.key

    def facets_of(self, record: Item) -> Facets:
        return Facets(market=record.name[:1])

    def search_text_of(self, record: Item) -> str:
        self.searches += 1
        return record.name

    def keeps(self, record: Item) -> bool:
        return record.size > 0


def cell(model: RecordTableModel[Any, Any], row: int, name: str) -> Any:
    return model.data(model.index(row, model.column_index(name)), _DISPLAY)


def names(model: RecordTableModel[Any, Any]) -> list[str]:
    return [cell(model, r, "name") for r in range(model.rowCount())]


def test_a_cell_text_is_worked_out_once_and_again_when_its_record_changes() -> None:
    model = Counting()
    model.upsert([Item(1, "apple"), Item(2, "pear")])
    assert names(model) == ["apple", "pear"]
    assert names(model) == ["apple", "pear"]
    assert model.texts == 2  # painted twice, worked out once
    model.upsert([Item(2, "plum")])
    assert names(model) == ["apple", "plum"]
    assert model.texts == 3


def test_kept_texts_follow_what_the_table_says_changed() -> None:
    model = Counting()
    model.upsert([Item(1, "apple"), Item(2, "pear")])
    assert cell(model, 0, "tagged") == "apple-a"
    model.suffix = "b"
    assert cell(model, 0, "tagged") == "apple-a"  # nothing said so yet
    tagged = model.column_index("tagged")
    model.dataChanged.emit(model.index(0, tagged), model.index(1, tagged))  # e.g. a tick
    assert [cell(model, r, "tagged") for r in range(2)] == ["apple-b", "pear-b"]
    model.suffix = "c"
    model.refresh([2])
    assert [cell(model, r, "tagged") for r in range(2)] == ["apple-b", "pear-c"]
    model.refresh()
    assert cell(model, 0, "tagged") == "apple-c"
    model.suffix = "d"
    model.dataChanged.emit(model.index(0, 0), model.index(1, 2), [Qt.ItemDataRole.FontRole])
    assert cell(model, 0, "tagged") == "apple-c"  # a font changed, not the text
    model.set_dark(not model.dark)
    assert cell(model, 0, "tagged") == "apple-c"


def test_only_the_rows_painted_last_keep_their_texts() -> None:
    model = Counting()
    model.upsert([Item(k, f"item{k:05d}") for k in range(CELL_CACHE_ROWS + 10)])
    for row in range(model.rowCount()):
        cell(model, row, "name")
    painted = model.texts
    cell(model, model.rowCount() - 1, "name")  # painted last: kept
    assert model.texts == painted
    cell(model, 0, "name")  # painted first, beyond the cap: worked out again
    assert model.texts == painted + 1


def test_search_text_is_worked_out_only_for_a_text_filter() -> None:
    model = Counting()
    model.upsert([Item(k, name) for k, name in enumerate(["apple", "apricot", "pear", "plum"])])
    model.set_filter(RowFilter(market="p"))
    assert names(model) == ["pear", "plum"]
    assert model.searches == 0
    model.set_filter(RowFilter(text="ap"))
    assert names(model) == ["apple", "apricot"]
    assert model.searches == 4
    model.set_filter(RowFilter(text="apr"))  # typing on: the rows shown, texts kept
    assert names(model) == ["apricot"]
    assert model.searches == 4
    model.upsert([Item(2, "april"), Item(5, "grape")])  # the new and the changed are read
    assert names(model) == ["apricot", "april"]
    assert model.searches == 6
    model.set_filter(RowFilter(text="ap"))  # back: every record, kept texts
    assert names(model) == ["apple", "apricot", "april", "grape"]
    assert model.searches == 6


def test_two_tables_share_their_rows_but_not_their_sort_filter_or_rows_kept() -> None:
    first = Counting()
    second = Counting(share_rows_with=first)
    items = [Item(1, "apple", 3), Item(2, "pear", 1), Item(3, "plum", 2)]
    for model in (first, second):
        model.upsert(items)
    assert first.record(2) is second.record(2)
    second.sort(second.column_index("size"), Qt.SortOrder.DescendingOrder)
    assert names(first) == ["apple", "pear", "plum"]
    assert names(second) == ["apple", "plum", "pear"]
    second.set_filter(RowFilter(market="p"))
    assert names(second) == ["plum", "pear"]
    gone = replace(items[2], size=0)  # kept by neither table now
    for model in (first, second):
        model.upsert([gone])
    assert names(first) == ["apple", "pear"]
    assert names(second) == ["pear"]
    assert len(first) == len(second) == 3  # still known, shown or not
    first.clear()
    assert (first.rowCount(), second.rowCount(), len(second)) == (0, 0, 0)


@pytest.mark.parametrize("checked", ["every", "working"])
def test_working_and_all_orders_share_rows_and_pass_the_model_tester(qtmodeltester, checked):
    morning = busy_morning()
    floor = morning.floor
    every = OrdersModel()
    working = OrdersModel(working_only=True, share_rows_with=every)
    assert working.intents is every.intents
    for cl, intent in floor.intents.items():
        every.intents.remember([cl], intent)
    half = len(floor.changes) // 2
    for model in (every, working):
        model.apply(floor.changes[:half])
    qtmodeltester.check(every if checked == "every" else working, force_py=True)
    for model in (every, working):
        model.apply(floor.changes[half:])
        model.set_filter(RowFilter(text="nba"))
        model.set_filter(RowFilter())
    for order in floor.orders:
        assert every.record(order.first_cl_ord_id) is working.record(order.first_cl_ord_id)
        assert (working.row_of(order.first_cl_ord_id) is not None) == order.is_open
        assert every.row_of(order.first_cl_ord_id) is not None
    assert working.rowCount() == sum(1 for o in floor.orders if o.is_open) < every.rowCount()


def test_an_intent_noted_later_rereads_the_side_in_both_tables() -> None:
    floor = Floor()
    cl = floor.send(CLE, Intent.BUY_NO, "0.30", 5, at=T0)
    floor.send(NYK, Intent.BUY_YES, "0.40", 5, at=T0)
    floor.ack(cl, at=T0 + 1)
    every = OrdersModel()
    working = OrdersModel(working_only=True, share_rows_with=every)
    for model in (every, working):
        model.apply(floor.changes)
    row = every.row_of(floor.order(cl).first_cl_ord_id)
    assert row is not None
    assert cell(every, row, "side") == "Sell YES"  # as it went on the wire
    for model in (every, working):
        model.note_intent(floor.order(cl), Intent.BUY_NO)
    for model in (every, working):
        row = model.row_of(floor.order(cl).first_cl_ord_id)
        assert row is not None
        assert (cell(model, row, "side"), cell(model, row, "price")) == ("Buy NO", "30¢")
