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
  sub-account) exactly and free text as a substring of a lower-case search string, worked
  out for a record the first time a text filter looks at it and kept until the record
  changes, so a keystroke costs one pass over plain strings and a table nobody searches
  holds none.

Columns are only ever appended (a new one goes last, a view moves it where it belongs): a
header saved before a column existed then still fits the columns it knew, and the model
says which column counts it once had (:attr:`RecordTableModel.earlier_column_counts`, read
by ``ui.docks.restore_table_state``).

Memory: a record is one slotted :class:`_Row` (record, arrival number, facets, search text,
cell texts) in a row store; equal facets are one object. Tables that read the same records
the same way share one store (``share_rows_with``: the blotter's working and all-orders
tabs), and each table keeps only the rows it shows and their sort keys.

``data()`` never returns a ``Decimal`` (Qt renders it blank): cells are text, formatted when
first painted and kept with the row (for the last few thousand rows painted) until the
record changes, :meth:`RecordTableModel.refresh` is called, or the table says its cells
changed (any ``dataChanged`` a subclass emits, e.g. an age column ticking). The display
role of a cell on screen, asked for on every repaint, is two list reads.
"""

from __future__ import annotations

import bisect
import csv
import weakref
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QPalette

__all__ = [
    "CELL_CACHE_ROWS",
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
# Roles as plain ints: data() runs for every role of every cell on screen at each repaint.
_DISPLAY = int(_ROLE.DisplayRole)
_ALIGNMENT = int(_ROLE.TextAlignmentRole)
_TOOLTIP = int(_ROLE.ToolTipRole)
_STYLE_ROLES = frozenset(
    int(r) for r in (_ROLE.ForegroundRole, _ROLE.BackgroundRole, _ROLE.FontRole)
)
_ROLES_READ = _STYLE_ROLES | {_ALIGNMENT, _TOOLTIP}  # besides the display role
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # asked for every cell
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
#: How many rows keep their cell texts (the most recently painted ones; a screenful is ~50).
CELL_CACHE_ROWS = 4096


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

    @property
    def has_text(self) -> bool:
        """Whether the free-text part filters anything (then records need a search text)."""
        return bool(self.text.strip())

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


class _Row(Generic[K, R]):
    """One record as the tables read it; shared by the tables over one store."""

    __slots__ = ("arrival", "cells", "facets", "key", "record", "search")

    def __init__(self, key: K, record: R, arrival: int, facets: Facets) -> None:
        self.key = key
        self.record = record
        self.arrival = arrival  #: ties in the sort order fall in arrival order
        self.facets = facets
        self.search: str | None = None  #: lower-case search text, once a text filter asked
        self.cells: list[str | None] | None = None  #: display texts, once painted


class _RowStore(Generic[K, R]):
    """The rows of one kind of record, by key, in arrival order, and the tables over them."""

    __slots__ = ("_facets", "accounts", "models", "next_arrival", "painted", "rows")

    def __init__(self) -> None:
        self.rows: dict[K, _Row[K, R]] = {}
        self.next_arrival = 0
        self.painted: deque[_Row[K, R]] = deque()  # rows holding cells, oldest first
        self.models: weakref.WeakSet[RecordTableModel[K, R]] = weakref.WeakSet()
        self._facets: dict[Facets, Facets] = {}
        self.accounts: set[str] = set()  #: every non-empty account a record has carried

    def intern(self, facets: Facets) -> Facets:
        """One object for equal facets (most records share a market, side and status)."""
        found = self._facets.get(facets)
        if found is None:
            found = self._facets[facets] = facets
            if facets.account:
                self.accounts.add(facets.account)
        return found

    def cells_for(self, row: _Row[K, R], columns: int) -> list[str | None]:
        """Empty cells for ``row``; the oldest painted row beyond the cap gives its up."""
        cells: list[str | None] = [None] * columns
        row.cells = cells
        painted = self.painted
        painted.append(row)
        if len(painted) > CELL_CACHE_ROWS:
            painted.popleft().cells = None
        return cells

    def clear(self) -> None:
        self.rows.clear()
        self.painted.clear()
        self._facets.clear()
        self.accounts.clear()


class RecordTableModel(QAbstractTableModel, Generic[K, R]):
    """Rows of records of one kind; subclasses say how a record is keyed and read.

    Override :meth:`key_of`, :meth:`facets_of`, :meth:`search_text_of`; optionally
    :meth:`keeps` (a fixed predicate, e.g. "working orders only") and :meth:`cell_style`
    (colours and fonts). ``share_rows_with``: another table over the same records that reads
    them the same way (same columns, facets and search text; its own sort, filter and
    :meth:`keeps`): the two hold one row per record between them.
    """

    #: Column counts this table had before columns were appended to it: a header saved with
    #: one of them is restored onto today's columns (the first ones are the same).
    earlier_column_counts: ClassVar[frozenset[int]] = frozenset()

    def __init__(
        self,
        columns: Sequence[Column[R]],
        *,
        sort_column: int = 0,
        descending: bool = False,
        share_rows_with: RecordTableModel[K, R] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._ncols = len(self._columns)
        self._aligns = tuple(_RIGHT if c.numeric else _LEFT for c in self._columns)
        self._store: _RowStore[K, R] = (
            _RowStore() if share_rows_with is None else share_rows_with._store
        )
        self._store.models.add(self)
        self._shown: list[_Row[K, R]] = []  # ascending composite order
        self._shown_keys: list[tuple[Any, int]] = []  # their composite sort keys, same order
        self._where: dict[K, tuple[Any, int]] = {}  # composite sort key of each row shown
        self._sort_column = sort_column
        self._descending = descending
        self._filter = RowFilter()
        self._match = self._filter.matcher()
        self._dark = is_dark_palette()
        self._quiet = False  # emitting our own dataChanged (cells already dealt with)
        self.dataChanged.connect(self._on_data_changed)

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
        return 0 if parent.isValid() else self._ncols

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        # The hot path: Qt asks for seven roles of every cell on screen at each repaint.
        if role != _DISPLAY and role not in _ROLES_READ:
            return None  # decoration, check state, …: asked for, never set
        shown = self._shown
        n = len(shown)
        i = index.row()  # -1 for an invalid index
        col = index.column()
        if not (0 <= i < n and 0 <= col < self._ncols):
            return None
        row = shown[n - 1 - i] if self._descending else shown[i]
        if role == _DISPLAY:
            cells = row.cells
            if cells is None:
                cells = self._store.cells_for(row, self._ncols)
            text = cells[col]
            if text is None:
                text = cells[col] = self._columns[col].text(row.record)
            return text
        if role == _ALIGNMENT:
            return self._aligns[col]
        if role in _STYLE_ROLES:
            return self.cell_style(row.record, self._columns[col], role)
        if role == _TOOLTIP:
            tooltip = self._columns[col].cell_tooltip
            return None if tooltip is None else tooltip(row.record) or None
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self._ncols:
            return None
        column = self._columns[section]
        if role == _DISPLAY:
            return column.header
        if role == _TOOLTIP:
            return column.tooltip or None
        if role == _ALIGNMENT:
            return self._aligns[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else _NO_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column``: keys are computed once per row shown, then one layout change."""
        if not 0 <= column < self._ncols:
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
        return self._row_at(row).record

    def record(self, key: K) -> R | None:
        """The record with ``key``, shown or not."""
        row = self._store.rows.get(key)
        return None if row is None else row.record

    def row_of(self, key: K) -> int | None:
        """The row showing ``key``, or None when it is filtered out."""
        ckey = self._where.get(key)
        if ckey is None:
            return None
        return self._view_row(bisect.bisect_left(self._shown_keys, ckey))

    def visible_records(self) -> list[R]:
        """The records shown, top to bottom."""
        rows = reversed(self._shown) if self._descending else iter(self._shown)
        return [row.record for row in rows]

    def records(self) -> list[R]:
        """Every record, shown or not, in arrival order."""
        return [row.record for row in self._store.rows.values()]

    def __len__(self) -> int:
        return len(self._store.rows)

    @property
    def row_filter(self) -> RowFilter:
        return self._filter

    def facet_values(self, facet: str) -> list[str]:
        """The distinct non-empty values of one facet over every record, sorted."""
        values = {getattr(row.facets, facet) for row in self._store.rows.values()}
        values.discard("")
        return sorted(values)

    def accounts_seen(self) -> frozenset[str]:
        """Every account any record has carried (kept as rows arrive: costs nothing to ask)."""
        return frozenset(self._store.accounts)

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
        visible = self._visible
        if narrowing:
            shown = [row for row in self._shown if visible(row)]
            where = self._where
            self._where = {row.key: where[row.key] for row in shown}
        else:
            shown = [row for row in self._store.rows.values() if visible(row)]
            sort_value, column = self._sort_value, self._columns[self._sort_column]
            self._where = {row.key: (sort_value(column, row.record), row.arrival) for row in shown}
            shown.sort(key=self._ckey_of)
        self._set_shown(shown)
        self.endResetModel()

    def clear(self) -> None:
        """Forget every record (in every table sharing this one's rows)."""
        models = list(self._store.models)
        for model in models:
            model.beginResetModel()
        self._store.clear()
        for model in models:
            model._where = {}
            model._set_shown([])
            model.endResetModel()

    def upsert(self, records: Iterable[R]) -> None:
        """Add or replace a batch of records (the newest of one key wins); every record in
        the batch is read again, even one that is the same object (its reading may depend
        on something outside it: marks, intents, gauges)."""
        batch: dict[K, R] = {}
        for record in records:
            batch[self.key_of(record)] = record
        if not batch:
            return
        store = self._store
        rows, intern, facets_of = store.rows, store.intern, self.facets_of
        sort_value, sort_col = self._sort_value, self._columns[self._sort_column]
        where = self._where
        updated: list[K] = []
        leaving: list[tuple[Any, int]] = []  # old composite keys of rows to take out
        entering: list[tuple[_Row[K, R], tuple[Any, int]]] = []
        for key, record in batch.items():
            row = rows.get(key)
            if row is None:
                row = rows[key] = _Row(key, record, store.next_arrival, intern(facets_of(record)))
                store.next_arrival += 1
            else:
                row.record = record
                row.facets = intern(facets_of(record))
                row.search = None
                row.cells = None
            old_ckey = where.get(key)
            new_ckey = (sort_value(sort_col, record), row.arrival)
            now = self._visible(row)
            if old_ckey is not None and now and new_ckey == old_ckey:
                updated.append(key)
            else:
                if old_ckey is not None:
                    leaving.append(old_ckey)
                if now:
                    entering.append((row, new_ckey))
        self._remove(leaving)
        self._insert(entering)
        self._changed(updated)

    def refresh(self, keys: Iterable[K] | None = None) -> None:
        """Repaint rows whose text depends on something outside the record (time, marks)."""
        rows = self._store.rows
        if keys is None:
            for row in rows.values():
                row.cells = None
            self._all_changed()
            return
        shown: list[K] = []
        for key in keys:
            found = rows.get(key)
            if found is not None:
                found.cells = None
                if key in self._where:
                    shown.append(key)
        self._changed(shown)

    # -- internals --------------------------------------------------------------------------

    def _visible(self, row: _Row[K, R]) -> bool:
        if not self.keeps(row.record):
            return False
        if self._filter.has_text:
            search = row.search
            if search is None:
                search = row.search = self.search_text_of(row.record).casefold()
            return self._match(row.facets, search)
        return self._match(row.facets, "")

    def _sort_value(self, column: Column[R], record: R) -> Any:
        return column.text(record) if column.sort_key is None else column.sort_key(record)

    def _ckey_of(self, row: _Row[K, R]) -> tuple[Any, int]:
        return self._where[row.key]

    def _row_at(self, row: int) -> _Row[K, R]:
        return self._shown[len(self._shown) - 1 - row if self._descending else row]

    def _view_row(self, i: int) -> int:
        return len(self._shown) - 1 - i if self._descending else i

    def _set_shown(self, shown: list[_Row[K, R]]) -> None:
        self._shown = shown
        where = self._where
        self._shown_keys = [where[row.key] for row in shown]

    def _on_data_changed(
        self,
        top_left: QModelIndex,
        bottom_right: QModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        """A subclass (or anyone) said cells changed: their kept texts are stale."""
        if self._quiet or (roles and _DISPLAY not in roles):
            return
        n = len(self._shown)
        first, last = max(top_left.row(), 0), min(bottom_right.row(), n - 1)
        left, right = max(top_left.column(), 0), min(bottom_right.column(), self._ncols - 1)
        whole = left == 0 and right == self._ncols - 1
        for i in range(first, last + 1):
            row = self._row_at(i)
            cells = row.cells
            if cells is None:
                continue
            if whole:
                row.cells = None
            else:
                for col in range(left, right + 1):
                    cells[col] = None

    def _emit_changed(self, top: int, bottom: int) -> None:
        self._quiet = True
        try:
            self.dataChanged.emit(self.index(top, 0), self.index(bottom, self._ncols - 1))
        finally:
            self._quiet = False

    def _all_changed(self) -> None:
        if self._shown:
            self._emit_changed(0, len(self._shown) - 1)

    def _changed(self, keys: list[K]) -> None:
        if not keys:
            return
        where, shown_keys = self._where, self._shown_keys
        rows = [self._view_row(bisect.bisect_left(shown_keys, where[k])) for k in keys]
        self._emit_changed(min(rows), max(rows))

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
        where = self._where
        for first, last in reversed(runs):  # from the end: earlier positions stay valid
            top, bottom = sorted((self._view_row(first), self._view_row(last)))
            self.beginRemoveRows(QModelIndex(), top, bottom)
            for row in self._shown[first : last + 1]:
                del where[row.key]
            del self._shown[first : last + 1]
            del self._shown_keys[first : last + 1]
            self.endRemoveRows()

    def _insert(self, entering: list[tuple[_Row[K, R], tuple[Any, int]]]) -> None:
        """Insert rows: one ``beginInsertRows`` for the batch (see the module docstring)."""
        if not entering:
            return
        entering.sort(key=lambda pair: pair[1])
        rows = [row for row, _ in entering]
        new_ckeys = [ckey for _, ckey in entering]
        lo = bisect.bisect_left(self._shown_keys, new_ckeys[0])
        hi = bisect.bisect_left(self._shown_keys, new_ckeys[-1])
        n = len(rows)
        where = self._where
        if lo == hi:  # the batch lands in one place
            top = lo if not self._descending else len(self._shown) - lo
            self.beginInsertRows(QModelIndex(), top, top + n - 1)
            self._shown[lo:lo] = rows
            self._shown_keys[lo:lo] = new_ckeys
            for row, ckey in entering:
                where[row.key] = ckey
            self.endInsertRows()
            return
        # Scattered: append them after the last row shown, then move them into place.
        end = len(self._shown)
        self.beginInsertRows(QModelIndex(), end, end + n - 1)
        if self._descending:  # the last row shown is the first internal position
            self._shown[0:0] = rows
            self._shown_keys[0:0] = new_ckeys
        else:
            self._shown.extend(rows)
            self._shown_keys.extend(new_ckeys)
        for row, ckey in entering:
            where[row.key] = ckey
        self.endInsertRows()
        self._relayout(column=self._sort_column, descending=self._descending)

    def _relayout(self, *, column: int, descending: bool) -> None:
        """Re-sort the shown rows (new sort column or order, or rows out of place)."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [(self._row_at(p.row()).key, p.column()) for p in persistent]
        if column != self._sort_column:
            sort_value, sort_col = self._sort_value, self._columns[column]
            self._where = {
                row.key: (sort_value(sort_col, row.record), row.arrival) for row in self._shown
            }
        self._sort_column = column
        self._descending = descending
        shown = sorted(self._shown, key=self._ckey_of)
        self._set_shown(shown)
        moved = []
        for key, col in held:
            row = self.row_of(key)
            moved.append(QModelIndex() if row is None else self.index(row, col))
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()
