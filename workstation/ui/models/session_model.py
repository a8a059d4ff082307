"""The session status table: one row per Kalshi session, from :class:`SessionInfo` snapshots.

``update(infos)`` applies a whole snapshot in as few signals as it can: rows that vanished
are removed, changed rows get one ranged ``dataChanged``, new rows one insert. Times are
shown relative to ``now``, which the panel moves on with :meth:`SessionStatusModel.tick`
once a second (only the two time columns are re-read). Sorting is done here, in Python, on
native values (``SortRole``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from workstation.client.records import SessionInfo, SessionPhase
from workstation.fix.dialect import SessionType
from workstation.ui.theme import STATUS_COLORS, StatusColors, Theme
from workstation.ui.timefmt import format_age, format_countdown, format_utc_full

__all__ = ["SessionStatusModel", "shorten_key"]

_Index = QModelIndex | QPersistentModelIndex

_PHASE_COLOR: dict[SessionPhase, Callable[[StatusColors], str]] = {
    SessionPhase.DISABLED: lambda c: c.muted,
    SessionPhase.STOPPED: lambda c: c.muted,
    SessionPhase.CONNECTING: lambda c: c.busy,
    SessionPhase.LOGGING_ON: lambda c: c.busy,
    SessionPhase.ACTIVE: lambda c: c.ok,
    SessionPhase.WAITING_TO_RECONNECT: lambda c: c.busy,
    SessionPhase.FAILED: lambda c: c.bad,
}


def shorten_key(key_id: str) -> str:
    """An API key id short enough for a column: ``a952bcbe…f3c1`` (ids of 13 chars or fewer
    are shown whole)."""
    return key_id if len(key_id) <= 13 else f"{key_id[:8]}…{key_id[-4:]}"


def _row_key(info: SessionInfo) -> tuple[SessionType, str]:
    return (info.session, info.api_key_id)


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


class SessionStatusModel(QAbstractTableModel):
    """Table of :class:`SessionInfo` rows, sortable, with ticking ages and countdowns."""

    (
        COL_SESSION,
        COL_STATE,
        COL_OUT_SEQ,
        COL_IN_SEQ,
        COL_LAST,
        COL_RTT,
        COL_RECONNECT,
        COL_COD,
        COL_LISTENER,
        COL_PROBLEM,
        COL_ENDPOINT,
        COL_KEY,
        COL_ACCOUNT,
    ) = range(13)
    HEADERS = (
        "Session",
        "State",
        "Out seq",
        "In seq",
        "Last msg",
        "RTT",
        "Reconnect",
        "CoD",
        "Listener",
        "Problem",
        "Endpoint",
        "API key",
        "Account",
    )
    HEADER_TIPS = (
        "Kalshi session type (TargetCompID)",
        "Where the session stands; hover for the reason when it is not logged on",
        "Next MsgSeqNum we will send",
        "Next MsgSeqNum we expect from the venue",
        "Time since the last message in either direction",
        "Heartbeat round trip: TestRequest to its Heartbeat, in milliseconds",
        "Time until the next connection attempt",
        "CancelOrdersOnDisconnect (8013): the venue cancels our resting orders if we drop",
        "ListenerSession (20126): sees the account's reports but cannot trade",
        "Why the session is not logged on, in words",
        "Host and port the session connects to",
        "API key id (our SenderCompID), shortened; hover for all of it",
        "The account the session trades or watches (a desk monitor watches several)",
    )
    _TICKING = (COL_LAST, COL_RECONNECT)
    _NUMERIC = frozenset({COL_OUT_SEQ, COL_IN_SEQ, COL_RTT})

    #: data role returning native values to sort on
    SortRole = Qt.ItemDataRole.UserRole + 1
    #: data role returning the row's :class:`SessionInfo`
    InfoRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: QObject | None = None, *, now: float = 0.0) -> None:
        super().__init__(parent)
        self._rows: list[SessionInfo] = []
        self._now = now
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._colors: dict[SessionPhase, QColor] = {}
        self.set_theme(Theme.LIGHT)

    # -- feeding -----------------------------------------------------------------------

    def update(self, infos: Sequence[SessionInfo]) -> None:
        """Show exactly ``infos``: one row per session and API key (a desk monitor has one
        listener session per watched account); a later duplicate wins."""
        incoming = {_row_key(info): info for info in infos}
        for row in reversed(range(len(self._rows))):
            if _row_key(self._rows[row]) not in incoming:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        where = {_row_key(info): row for row, info in enumerate(self._rows)}
        changed = [row for key, row in where.items() if self._rows[row] != incoming[key]]
        for row in changed:
            self._rows[row] = incoming[_row_key(self._rows[row])]
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), 0), self.index(max(changed), len(self.HEADERS) - 1)
            )
        added = [info for key, info in incoming.items() if key not in where]
        if added:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._rows.extend(added)
            self.endInsertRows()
        if changed or added:
            self._resort()

    def tick(self, now: float) -> None:
        """Move the clock the ages and countdowns are shown against."""
        self._now = now
        if self._rows:
            last = len(self._rows) - 1
            for col in self._TICKING:
                self.dataChanged.emit(
                    self.index(0, col), self.index(last, col), [Qt.ItemDataRole.DisplayRole]
                )

    def infos(self) -> list[SessionInfo]:
        """The rows in the order shown."""
        return list(self._rows)

    def set_theme(self, theme: Theme) -> None:
        colors = STATUS_COLORS[theme]
        self._colors = {phase: QColor(pick(colors)) for phase, pick in _PHASE_COLOR.items()}
        if self._rows:
            self.dataChanged.emit(
                self.index(0, self.COL_STATE),
                self.index(len(self._rows) - 1, self.COL_STATE),
                [Qt.ItemDataRole.ForegroundRole],
            )

    def phase_color(self, phase: SessionPhase) -> QColor:
        return QColor(self._colors[phase])

    # -- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.HEADERS):
            self._sort = None
            return
        self._sort = (column, order)
        self._resort()

    def _resort(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        reverse = order == Qt.SortOrder.DescendingOrder
        new_order = sorted(
            range(len(self._rows)),
            key=lambda row: self._sort_key(self._rows[row], column),
            reverse=reverse,
        )
        if new_order == list(range(len(self._rows))):
            return
        self.layoutAboutToBeChanged.emit()
        new_row_of = {old: new for new, old in enumerate(new_order)}
        old_indexes = self.persistentIndexList()
        new_indexes = [
            self.index(new_row_of[i.row()], i.column()) if i.isValid() else QModelIndex()
            for i in old_indexes
        ]
        self._rows = [self._rows[row] for row in new_order]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def _sort_key(self, info: SessionInfo, column: int) -> tuple[bool, Any]:
        value = self._sort_value(info, column)
        return (value is None, value if value is not None else 0)

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
        info = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(info, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(info, col)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_STATE:
            return self._colors[info.phase]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self._NUMERIC:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == self.SortRole:
            return self._sort_value(info, col)
        if role == self.InfoRole:
            return info
        return None

    def _display(self, info: SessionInfo, col: int) -> str | None:
        if col == self.COL_SESSION:
            return info.session.value
        if col == self.COL_STATE:
            return info.phase.value
        if col == self.COL_ENDPOINT:
            return f"{info.host}:{info.port}"
        if col == self.COL_KEY:
            return shorten_key(info.api_key_id)
        if col == self.COL_OUT_SEQ:
            return str(info.next_out_seq)
        if col == self.COL_IN_SEQ:
            return str(info.next_in_seq)
        if col == self.COL_LAST:
            if info.last_message_at is None:
                return "—"
            return f"{format_age(self._now - info.last_message_at)} ago"
        if col == self.COL_RTT:
            return "—" if info.heartbeat_rtt is None else f"{info.heartbeat_rtt * 1000:.0f} ms"
        if col == self.COL_RECONNECT:
            if info.phase is not SessionPhase.WAITING_TO_RECONNECT:
                return ""
            return format_countdown(info.reconnect_at, self._now)
        if col == self.COL_COD:
            return _yes_no(info.cancel_on_disconnect)
        if col == self.COL_LISTENER:
            return _yes_no(info.listener)
        if col == self.COL_PROBLEM:
            return info.last_error
        if col == self.COL_ACCOUNT:
            return info.account
        return None

    def _tooltip(self, info: SessionInfo, col: int) -> str | None:
        if col == self.COL_SESSION:
            kind = (
                "keeps sequence numbers and serves resends"
                if info.retransmits
                else "resets sequence numbers at every logon; no resends"
            )
            return f"{info.session.value}: {kind}"
        if col == self.COL_STATE:
            return info.last_error or f"Session is {info.phase.value}"
        if col == self.COL_KEY:
            return info.api_key_id
        if col == self.COL_LAST and info.last_message_at is not None:
            return format_utc_full(info.last_message_at)
        if col == self.COL_PROBLEM:
            return info.last_error or None
        return None

    def _sort_value(self, info: SessionInfo, col: int) -> Any:
        values: dict[int, Any] = {
            self.COL_SESSION: info.session.value,
            self.COL_STATE: info.phase.value,
            self.COL_ENDPOINT: (info.host, info.port),
            self.COL_KEY: info.api_key_id,
            self.COL_OUT_SEQ: info.next_out_seq,
            self.COL_IN_SEQ: info.next_in_seq,
            # Most recent first when ascending: sort on age, not on the timestamp.
            self.COL_LAST: None if info.last_message_at is None else -info.last_message_at,
            self.COL_RTT: info.heartbeat_rtt,
            self.COL_RECONNECT: info.reconnect_at,
            self.COL_COD: info.cancel_on_disconnect,
            self.COL_LISTENER: info.listener,
            self.COL_PROBLEM: info.last_error,
            self.COL_ACCOUNT: info.account,
        }
        return values.get(col)
