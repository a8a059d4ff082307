"""A table model over keyed records that sorts and filters in Python and updates in batches.

Why not a ``QSortFilterProxyModel``: over a Python model it calls ``data()`` for every row
on every batch, hundreds of milliseconds at 20,000 rows (DESIGN.md "Known traps"). Here the
model keeps the work itself:

- Every record has a key (an order's first ClOrdID, a fill's ExecID key, …). The records
  shown are a list of keys kept in *ascending* order of a composite sort key
  ``(column sort key, arrival number)`` precomputed per record for the sort column; a
  descending sort reads the same list backwards, so a row's place is found with ``bisect``
  and ties fall in arrival order.
- ``upsert(records)`` applies one batch: rows updated in place get one ranged
  ``dataChanged`` (the smallest row to the largest); new rows that fall in one place get one
  ``beginInsertRows``; new rows scattered across the sort order are appended in one
  ``beginInsertRows`` and then moved into place with one layout change; rows that stop
  matching (a filled order leaving the working tab) are removed in contiguous runs. A
  model reset happens only when the filter changes.
- The filter (:class:`RowFilter`) matches precomputed *facets* (market, side, status,
  sub-account) exactly and free text as a substring of a precomputed lower-case search
  string, so a keystroke costs one pass over plain strings.

``data()`` never returns a ``Decimal`` (Qt renders it blank): cells are text, formatted when
painted, and only rows on screen are painted.
"""

from __future__ import annotations

import bisect
import csv
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QPalette

__all__ = [
    "Column",
    "Facets",
    "RecordTableModel",
    "RowFilter",
    "is_dark_palette",
]

R = TypeVar("R")
K = TypeVar("K", bound=Hashable)
AnyIndex = QModelIndex | QPersistentModelIndex

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_ROLE = Qt.ItemDataRole


def is_dark_palette(palette: QPalette | None = None) -> bool:
    """Whether the application's colours are a dark theme (the base colour is dark)."""
    pal = QGuiApplication.palette() if palette is None else palette
    return pal.color(QPalette.ColorRole.Base).lightness() < 128


@dataclass(frozen=True, slots=True)
class Column(Generic[R]):
    """One column: its header, how a record reads in it, and how it sorts.

    ``sort_key`` must return values comparable across every record (wrap optional values,
    e.g. ``(0,)`` for none and ``(1, value)`` otherwise); without one the column sorts by
    its text. ``export`` gives the CSV text (exact figures), default the cell text.
    """

    name: str
    header: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    numeric: bool = False  #: right-aligned
    tooltip: str = ""  #: the header's tooltip
    cell_tooltip: Callable[[R], str] | None = None
    export: Callable[[R], str] | None = None


@dataclass(frozen=True, slots=True)
class Facets:
    """The values a record is filtered on, as shown (``""`` when it has none)."""

    market: str = ""
    side: str = ""
    status: str = ""
    sub_account: str = ""
    account: str = ""  #: the session's account (a desk monitor watches several)


@dataclass(frozen=True, slots=True)
class RowFilter:
    """What the trader filters by. Empty fields match everything.

    ``market`` and ``text`` match case-insensitively as substrings (of the ticker, and of
    the record's search text: ids, market, status, reason, …); ``side``, ``status``,
    ``sub_account`` and ``account`` match the shown value exactly.
    """

    text: str = ""
    market: str = ""
    side: str = ""
    status: str = ""
    sub_account: str = ""
    statuses: frozenset[str] = field(default_factory=frozenset)  #: any of these, if given
    account: str = ""

    def narrows(self, wider: RowFilter) -> bool:
        """Whether every row this filter shows is also shown by ``wider`` (typing on)."""
        return (
            self.text.strip().casefold().startswith(wider.text.strip().casefold())
            and self.market.strip().casefold().startswith(wider.market.strip().casefold())
            and (self.side, self.status, self.sub_account, self.statuses, self.account)
            == (wider.side, wider.status, wider.sub_account, wider.statuses, wider.account)
        ) or (
            # a choice made where there was none
            (self.text, self.market) == (wider.text, wider.market)
            and all(
                mine == theirs or not theirs
                for mine, theirs in (
                    (self.side, wider.side),
                    (self.status, wider.status),
                    (self.sub_account, wider.sub_account),
                    (self.account, wider.account),
                )
            )
            and (self.statuses == wider.statuses or not wider.statuses)
        )

    def matcher(self) -> Callable[[Facets, str], bool]:
        """A fast predicate over (facets, lower-case search text)."""
        text = self.text.strip().casefold()
        market = self.market.strip().casefold()
        side, status, sub = self.side, self.status, self.sub_account
        statuses, account = self.statuses, self.account

        def match(facets: Facets, search: str) -> bool:
            return (
                (not text or text in search)
                and (not market or market in facets.market.casefold())
                and (not side or facets.side == side)
                and (not status or facets.status == status)
                and (not statuses or facets.status in statuses)
                and (not sub or facets.sub_account == sub)
                and (not account or facets.account == account)
            )

        return match


class RecordTableModel(QAbstractTableModel, Generic[K, R]):
    """Rows of records of one kind; subclasses say how a record is keyed and read.

    Override :meth:`key_of`, :meth:`facets_of`, :meth:`search_text_of`; optionally
    :meth:`keeps` (a fixed predicate, e.g. "working orders only") and :meth:`cell_style`
    (colours and fonts).
    """

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        sort_column: int = 0,
        descending: bool = False,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._records: dict[K, R] = {}
        self._arrival: dict[K, int] = {}
        self._facets: dict[K, Facets] = {}
        self._search: dict[K, str] = {}
        self._ckey: dict[K, tuple[Any, int]] = {}  # composite sort key of every record
        self._shown: list[K] = []  # ascending composite order
        self._shown_keys: list[tuple[Any, int]] = []  # the composite keys, same order
        self._shown_set: set[K] = set()
        self._next_arrival = 0
        self._sort_column = sort_column
        self._descending = descending
        self._filter = RowFilter()
        self._match = self._filter.matcher()
        self._dark = is_dark_palette()

    # -- what subclasses define -------------------------------------------------------------

    def key_of(self, record: R) -> K:
        # Abstract (Shiboken's metaclass rules out abc): every model says how rows are keyed.
        raise TypeError(f"{type(self).__name__} must define key_of(record)")

    def facets_of(self, record: R) -> Facets:
        return Facets()

    def search_text_of(self, record: R) -> str:
        """Text free-text filtering looks in (lower-cased by the model)."""
        return ""

    def keeps(self, record: R) -> bool:
        """Whether this table shows the record at all, whatever the filter."""
        return True

    def cell_style(self, record: R, column: Column[R], role: int) -> Any:
        """Foreground/background brush or font for a cell; None for the default."""
        return None

    # -- Qt model API -----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._shown) and 0 <= col < len(self._columns)):
            return None
        record = self._records[self._key_at(row)]
        column = self._columns[col]
        if role == _ROLE.DisplayRole:
            return column.text(record)
        if role == _ROLE.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        if role == _ROLE.ToolTipRole:
            return None if column.cell_tooltip is None else column.cell_tooltip(record) or None
        if role in (_ROLE.ForegroundRole, _ROLE.BackgroundRole, _ROLE.FontRole):
            return self.cell_style(record, column, role)
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == _ROLE.DisplayRole:
            return column.header
        if role == _ROLE.ToolTipRole:
            return column.tooltip or None
        if role == _ROLE.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``: keys are computed once per record, then one layout change."""
        if not 0 <= column < len(self._columns):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if column == self._sort_column and descending == self._descending:
            return
        self._relayout(column=column, descending=descending)

    # -- reading ----------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Column[R], ...]:
        return self._columns

    def column_index(self, name: str) -> int:
        """The index of the column called ``name``."""
        for i, column in enumerate(self._columns):
            if column.name == name:
                return i
        raise KeyError(name)

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def record_at(self, row: int) -> R:
        """The record shown in ``row``."""
        return self._records[self._key_at(row)]

    def record(self, key: K) -> R | None:
        """The record with ``key``, shown or not."""
        return self._records.get(key)

    def row_of(self, key: K) -> int | None:
        """The row showing ``key``, or None when it is filtered out."""
        if key not in self._shown_set:
            return None
        i = bisect.bisect_left(self._shown_keys, self._ckey[key])
        return self._view_row(i)

    def visible_records(self) -> list[R]:
        """The records shown, top to bottom."""
        keys = reversed(self._shown) if self._descending else iter(self._shown)
        return [self._records[k] for k in keys]

    def records(self) -> list[R]:
        """Every record, shown or not, in arrival order."""
        return list(self._records.values())

    def __len__(self) -> int:
        return len(self._records)

    @property
    def row_filter(self) -> RowFilter:
        return self._filter

    def facet_values(self, facet: str) -> list[str]:
        """The distinct non-empty values of one facet over every record, sorted."""
        values = {getattr(f, facet) for f in self._facets.values()}
        values.discard("")
        return sorted(values)

    def write_csv(self, stream: IO[str]) -> int:
        """Write the shown rows (header first) as CSV; returns the number of rows written."""
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow([c.header for c in self._columns])
        records = self.visible_records()
        for record in records:
            writer.writerow([(c.export or c.text)(record) for c in self._columns])
        return len(records)

    # -- changing ---------------------------------------------------------------------------

    def set_dark(self, dark: bool) -> None:
        """Use the dark theme's colours (one ``dataChanged`` over the whole table)."""
        if dark == self._dark:
            return
        self._dark = dark
        self._all_changed()

    @property
    def dark(self) -> bool:
        return self._dark

    def set_filter(self, row_filter: RowFilter) -> None:
        """Show only the records that match (one model reset).

        A filter that only narrows the current one (another letter typed) looks at the rows
        shown, already in order; any other change looks at every record and sorts.
        """
        if row_filter == self._filter:
            return
        narrowing = row_filter.narrows(self._filter)
        self._filter = row_filter
        self._match = row_filter.matcher()
        self.beginResetModel()
        records, facets, search = self._records, self._facets, self._search
        keeps, match = self.keeps, self._match
        candidates = self._shown if narrowing else records
        shown = [k for k in candidates if match(facets[k], search[k]) and keeps(records[k])]
        if not narrowing:
            shown.sort(key=self._ckey.__getitem__)
        self._set_shown(shown)
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        for store in (self._records, self._arrival, self._facets, self._search, self._ckey):
            store.clear()
        self._set_shown([])
        self.endResetModel()

    def upsert(self, records: Iterable[R]) -> None:
        """Add or replace a batch of records (the newest of one key wins)."""
        batch: dict[K, R] = {}
        for record in records:
            batch[self.key_of(record)] = record
        if not batch:
            return
        sort_col = self._columns[self._sort_column]
        updated: list[K] = []
        leaving: list[tuple[Any, int]] = []  # old composite keys of rows to take out
        entering: list[K] = []
        for key, record in batch.items():
            arrival = self._arrival.get(key)
            if arrival is None:
                arrival = self._arrival[key] = self._next_arrival
                self._next_arrival += 1
            old_ckey = self._ckey.get(key)
            self._records[key] = record
            self._facets[key] = self.facets_of(record)
            self._search[key] = self.search_text_of(record).casefold()
            new_ckey = (self._sort_value(sort_col, record), arrival)
            self._ckey[key] = new_ckey
            was = key in self._shown_set
            now = self._visible(key, record)
            if was and now and new_ckey == old_ckey:
                updated.append(key)
            else:
                if was:
                    assert old_ckey is not None
                    leaving.append(old_ckey)
                if now:
                    entering.append(key)
        self._remove(leaving)
        self._insert(entering)
        self._changed(updated)

    def refresh(self, keys: Iterable[K] | None = None) -> None:
        """Repaint rows whose text depends on something outside the record (time, marks)."""
        if keys is None:
            self._all_changed()
        else:
            self._changed([k for k in keys if k in self._shown_set])

    # -- internals --------------------------------------------------------------------------

    def _visible(self, key: K, record: R) -> bool:
        return self.keeps(record) and self._match(self._facets[key], self._search[key])

    def _sort_value(self, column: Column[R], record: R) -> Any:
        return column.text(record) if column.sort_key is None else column.sort_key(record)

    def _key_at(self, row: int) -> K:
        return self._shown[len(self._shown) - 1 - row if self._descending else row]

    def _view_row(self, i: int) -> int:
        return len(self._shown) - 1 - i if self._descending else i

    def _set_shown(self, shown: list[K]) -> None:
        self._shown = shown
        self._shown_keys = list(map(self._ckey.__getitem__, shown))
        self._shown_set = set(shown)

    def _all_changed(self) -> None:
        if self._shown:
            last = self.index(len(self._shown) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def _changed(self, keys: list[K]) -> None:
        if not keys:
            return
        rows = [self._view_row(bisect.bisect_left(self._shown_keys, self._ckey[k])) for k in keys]
        top, bottom = min(rows), max(rows)
        self.dataChanged.emit(self.index(top, 0), self.index(bottom, len(self._columns) - 1))

    def _remove(self, old_ckeys: list[tuple[Any, int]]) -> None:
        """Take rows out, one ``beginRemoveRows`` per contiguous run, bottom run first."""
        if not old_ckeys:
            return
        positions = sorted(bisect.bisect_left(self._shown_keys, ck) for ck in old_ckeys)
        runs: list[tuple[int, int]] = []  # (first, last) internal positions
        for pos in positions:
            if runs and pos == runs[-1][1] + 1:
                runs[-1] = (runs[-1][0], pos)
            else:
                runs.append((pos, pos))
        for first, last in reversed(runs):  # from the end: earlier positions stay valid
            top, bottom = sorted((self._view_row(first), self._view_row(last)))
            self.beginRemoveRows(QModelIndex(), top, bottom)
            for key in self._shown[first : last + 1]:
                self._shown_set.discard(key)
            del self._shown[first : last + 1]
            del self._shown_keys[first : last + 1]
            self.endRemoveRows()

    def _insert(self, keys: list[K]) -> None:
        """Insert rows: one ``beginInsertRows`` for the batch (see the module docstring)."""
        if not keys:
            return
        keys.sort(key=self._ckey.__getitem__)
        new_ckeys = [self._ckey[k] for k in keys]
        lo = bisect.bisect_left(self._shown_keys, new_ckeys[0])
        hi = bisect.bisect_left(self._shown_keys, new_ckeys[-1])
        n = len(keys)
        if lo == hi:  # the batch lands in one place
            top = lo if not self._descending else len(self._shown) - lo
            self.beginInsertRows(QModelIndex(), top, top + n - 1)
            self._shown[lo:lo] = keys
            self._shown_keys[lo:lo] = new_ckeys
            self._shown_set.update(keys)
            self.endInsertRows()
            return
        # Scattered: append them after the last row shown, then move them into place.
        end = len(self._shown)
        self.beginInsertRows(QModelIndex(), end, end + n - 1)
        if self._descending:  # the last row shown is the first internal position
            self._shown[0:0] = keys
            self._shown_keys[0:0] = new_ckeys
        else:
            self._shown.extend(keys)
            self._shown_keys.extend(new_ckeys)
        self._shown_set.update(keys)
        self.endInsertRows()
        self._relayout(column=self._sort_column, descending=self._descending)

    def _relayout(self, *, column: int, descending: bool) -> None:
        """Re-sort the shown rows (new sort column or order, or rows out of place)."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self._key_at(p.row()), p.column()) for p in persistent]
        if column != self._sort_column:
            sort_col = self._columns[column]
            self._ckey = {
                k: (self._sort_value(sort_col, r), self._arrival[k])
                for k, r in self._records.items()
            }
        self._sort_column = column
        self._descending = descending
        shown = sorted(self._shown, key=self._ckey.__getitem__)
        self._set_shown(shown)
        moved = []
        for key, col in held:
            row = self.row_of(key)
            moved.append(QModelIndex() if row is None else self.index(row, col))
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
