"""The message log's table model: every FIX message in and out, newest last.

Records arrive in batches (one ``beginInsertRows`` per batch, never a reset per message)
and the log is capped: beyond ``cap`` records the oldest are dropped with
``beginRemoveRows``. Filtering happens here, in Python, rather than in a
``QSortFilterProxyModel`` (slow over a large Python model, DESIGN.md): the model keeps every
record in ``_all`` and the ones the filter lets through, in order, in ``_rows``. A filter
change is a model reset; an append only tests the new records; more letters typed into the
text filter test only the rows shown.

A record's one-line summary (:func:`~workstation.ui.models.wire_text.summarize`, a parse of
the frame) is worked out when the row is first painted or searched, then kept: a burst
of thousands of messages costs no summaries until someone looks.

The log is chronological and is not sortable: a message log sorted by anything but time
stops being a log.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QColor

from workstation.client.records import Direction, WireRecord
from workstation.fix.dialect import SessionType
from workstation.fix.dictionary import msg_type_name
from workstation.ui.models.wire_text import summarize
from workstation.ui.theme import STATUS_COLORS, StatusColors, Theme
from workstation.ui.timefmt import format_et_full, format_utc_full, format_utc_ms

__all__ = ["DEFAULT_CAP", "LogFilter", "MessageLogModel"]

#: How many records the log keeps before it drops the oldest.
DEFAULT_CAP = 100_000

_Index = QModelIndex | QPersistentModelIndex
_ARROWS = {Direction.OUT: "→ out", Direction.IN: "← in"}
_DIRECTION_TIPS = {Direction.OUT: "Sent by us", Direction.IN: "Received from the venue"}


@dataclass(frozen=True, slots=True, kw_only=True)
class LogFilter:
    """Which records the log shows. Empty sets mean "any"; ``text`` is case-insensitive and
    matches the summary, the type's name or the raw frame (``|`` stands for SOH, so
    ``35=D|`` finds NewOrderSingles)."""

    sessions: frozenset[SessionType] = field(default_factory=frozenset)
    msg_types: frozenset[str] = field(default_factory=frozenset)
    hidden_types: frozenset[str] = field(default_factory=frozenset)
    text: str = ""


_TYPE_LABELS: dict[str, str] = {}  # MsgType -> "8 ExecutionReport", one string per type


def _type_label(msg_type: str) -> str:
    label = _TYPE_LABELS.get(msg_type)
    if label is None:
        label = _TYPE_LABELS[msg_type] = f"{msg_type} {msg_type_name(msg_type)}"
    return label


class _Entry:
    """A record with the text the table shows; the summary is worked out when first asked
    for (a row painted or searched), then kept."""

    __slots__ = ("_summary", "record", "type_label")

    def __init__(self, record: WireRecord) -> None:
        self.record = record
        self.type_label = _type_label(record.msg_type)
        self._summary: str | None = None

    @property
    def summary(self) -> str:
        summary = self._summary
        if summary is None:
            summary = self._summary = summarize(self.record.raw)
        return summary


class _Matcher:
    """A :class:`LogFilter` compiled for fast testing of many entries."""

    def __init__(self, f: LogFilter) -> None:
        self.filter = f
        needle = f.text.strip().lower()
        self._text = needle
        self._raw = needle.encode("latin-1", "replace").replace(b"|", b"\x01")

    def __call__(self, entry: _Entry) -> bool:
        f, rec = self.filter, entry.record
        if f.sessions and rec.session not in f.sessions:
            return False
        if f.msg_types and rec.msg_type not in f.msg_types:
            return False
        if rec.msg_type in f.hidden_types:
            return False
        if not self._text:
            return True
        return (  # the cheap tests first: the summary is worked out (once) only if needed
            self._raw in rec.raw.lower()
            or self._text in entry.type_label.lower()
            or self._text in entry.summary.lower()
        )

    def narrows(self, wider: _Matcher) -> bool:
        """Whether every entry this matches is also matched by ``wider`` (typing on)."""
        mine, theirs = self.filter, wider.filter
        same_choices = (mine.sessions, mine.msg_types, mine.hidden_types) == (
            theirs.sessions,
            theirs.msg_types,
            theirs.hidden_types,
        )
        return same_choices and self._text.startswith(wider._text)


class MessageLogModel(QAbstractTableModel):
    """Table of :class:`WireRecord`\\ s: time (UTC), session, direction, type, seq, summary.

    Attributes:
        cap: how many records are kept; beyond it the oldest are dropped.
        dropped: how many records the cap has dropped so far (held ones included).
    """

    COL_TIME, COL_SESSION, COL_DIRECTION, COL_TYPE, COL_SEQ, COL_SUMMARY = range(6)
    HEADERS = ("Time (UTC)", "Session", "Dir", "MsgType", "Seq", "Summary")
    HEADER_TIPS = (
        "When we sent or received the message, UTC with milliseconds; hover a cell for ET",
        "Kalshi session (TargetCompID) the message belongs to",
        "→ out: sent by us; ← in: received from the venue",
        "MsgType (35) and its name",
        "MsgSeqNum (34)",
        "Key fields of the message; select the row for every field",
    )

    #: data role returning the row's :class:`WireRecord`
    RecordRole = Qt.ItemDataRole.UserRole + 1

    #: emitted with the total number of records held while paused (0 after resume)
    held_changed = QtSignal(int)
    #: emitted when a message type is seen for the first time (for filter choices)
    types_changed = QtSignal()

    def __init__(self, parent: QObject | None = None, *, cap: int = DEFAULT_CAP) -> None:
        super().__init__(parent)
        if cap < 1:
            raise ValueError(f"cap must be at least 1, got {cap}")
        self.cap = cap
        self._all: deque[_Entry] = deque()
        self._rows: list[_Entry] = []
        self._matcher = _Matcher(LogFilter())
        self._paused = False
        self._held: deque[WireRecord] = deque(maxlen=cap)
        self._held_count = 0
        self._types_seen: set[str] = set()
        self._colors = STATUS_COLORS[Theme.LIGHT]
        self._brushes = self._make_colors(self._colors)
        self.dropped = 0  #: records dropped because the cap was reached (held ones included)

    # -- feeding -----------------------------------------------------------------------

    def append(self, records: Sequence[WireRecord]) -> None:
        """Add a batch (one insert for the whole batch); held instead while paused."""
        if not records:
            return
        if self._paused:
            before = len(self._held)
            self._held.extend(records)  # a deque bounded by the cap: the oldest fall out
            self.dropped += before + len(records) - len(self._held)
            self._held_count += len(records)
            self.held_changed.emit(self._held_count)
            return
        self._ingest(records)

    def _ingest(self, records: Sequence[WireRecord]) -> None:
        if len(records) > self.cap:
            self.dropped += len(records) - self.cap
            records = records[-self.cap :]
        entries = [_Entry(r) for r in records]
        self._drop_oldest(len(self._all) + len(entries) - self.cap)
        self._all.extend(entries)
        new_types = {e.record.msg_type for e in entries} - self._types_seen
        shown = [e for e in entries if self._matcher(e)]
        if shown:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(shown) - 1)
            self._rows.extend(shown)
            self.endInsertRows()
        if new_types:
            self._types_seen |= new_types
            self.types_changed.emit()

    def _drop_oldest(self, count: int) -> None:
        if count <= 0:
            return
        dropped = [self._all.popleft() for _ in range(min(count, len(self._all)))]
        self.dropped += len(dropped)
        # Shown rows are an ordered subset of _all, so the dropped ones lead the list.
        gone = {id(e) for e in dropped}
        visible = 0
        while visible < len(self._rows) and id(self._rows[visible]) in gone:
            visible += 1
        if visible:
            self.beginRemoveRows(QModelIndex(), 0, visible - 1)
            del self._rows[:visible]
            self.endRemoveRows()

    def clear(self) -> None:
        """Forget every record, held ones too."""
        self.beginResetModel()
        self._all.clear()
        self._rows.clear()
        self.endResetModel()
        self._held.clear()
        if self._held_count:
            self._held_count = 0
            self.held_changed.emit(0)

    # -- pause ---------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def held_count(self) -> int:
        """Records that arrived while paused (some may since have been dropped by the cap)."""
        return self._held_count

    def set_paused(self, paused: bool) -> None:
        """Pause: hold new records (counted). Resume: add the held records in one batch."""
        if paused == self._paused:
            return
        self._paused = paused
        if not paused:
            held = list(self._held)
            self._held.clear()
            self._held_count = 0
            if held:
                self._ingest(held)
            self.held_changed.emit(0)

    # -- filter --------------------------------------------------------------------------

    @property
    def filter(self) -> LogFilter:
        return self._matcher.filter

    def set_filter(self, new: LogFilter) -> None:
        if new == self._matcher.filter:
            return
        matcher = _Matcher(new)
        candidates = self._rows if matcher.narrows(self._matcher) else self._all
        self.beginResetModel()
        self._matcher = matcher
        self._rows = [e for e in candidates if matcher(e)]
        self.endResetModel()

    def types_seen(self) -> list[str]:
        """Every MsgType logged so far, sorted."""
        return sorted(self._types_seen)

    @property
    def total(self) -> int:
        """Records in the log, shown or filtered out (held ones not counted)."""
        return len(self._all)

    # -- access --------------------------------------------------------------------------

    def record(self, row: int) -> WireRecord:
        return self._rows[row].record

    def records(self, rows: Iterable[int] | None = None) -> list[WireRecord]:
        """The shown records (all of them, or the given rows in the order given)."""
        if rows is None:
            return [e.record for e in self._rows]
        return [self._rows[r].record for r in rows]

    def set_theme(self, theme: Theme) -> None:
        self._colors = STATUS_COLORS[theme]
        self._brushes = self._make_colors(self._colors)
        if self._rows:
            last = self.index(len(self._rows) - 1, self.COL_DIRECTION)
            first = self.index(0, self.COL_DIRECTION)
            self.dataChanged.emit(first, last, [Qt.ItemDataRole.ForegroundRole])

    @staticmethod
    def _make_colors(colors: StatusColors) -> dict[Direction, QColor]:
        return {Direction.IN: QColor(colors.inbound), Direction.OUT: QColor(colors.outbound)}

    # -- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.HEADER_TIPS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_DIRECTION:
            return self._brushes[entry.record.direction]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_SEQ:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == self.RecordRole:
            return entry.record
        return None

    def _display(self, entry: _Entry, col: int) -> str | None:
        rec = entry.record
        if col == self.COL_TIME:
            return format_utc_ms(rec.received_at)
        if col == self.COL_SESSION:
            return rec.session.value
        if col == self.COL_DIRECTION:
            return _ARROWS[rec.direction]
        if col == self.COL_TYPE:
            return entry.type_label
        if col == self.COL_SEQ:
            return "" if rec.msg_seq_num is None else str(rec.msg_seq_num)
        if col == self.COL_SUMMARY:
            return entry.summary
        return None

    def _tooltip(self, entry: _Entry, col: int) -> str | None:
        rec = entry.record
        if col == self.COL_TIME:
            return f"{format_et_full(rec.received_at)}\n{format_utc_full(rec.received_at)}"
        if col == self.COL_DIRECTION:
            return _DIRECTION_TIPS[rec.direction]
        if col == self.COL_SUMMARY:
            return entry.summary or None
        return None
