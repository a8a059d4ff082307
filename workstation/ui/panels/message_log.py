"""The message log panel: every message in and out of every session, decoded.

A filter row (session, message type, free text), pause, copy raw and export above the table;
the selected message field by field below it, as ``Name(tag)=Value (ValueName)`` indented by
repeating group. RawData (96) and Password (554) are masked everywhere: in the summary and
the detail (by :mod:`workstation.fix.describe`) and in copied or exported frames (by
:func:`workstation.fix.describe.redact`).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.client.records import Direction, WireRecord
from workstation.fix.describe import redact
from workstation.fix.dialect import SessionType
from workstation.fix.dictionary import msg_type_name
from workstation.ui.models.message_log_model import LogFilter, MessageLogModel
from workstation.ui.models.wire_text import detail_lines, pipe_text
from workstation.ui.theme import Theme
from workstation.ui.timefmt import format_et_full, format_utc_full

__all__ = ["MessageLogPanel", "detail_text"]

_HEARTBEAT = "0"
_ALL_BUT_HEARTBEATS = "__no_heartbeats__"
_FILTER_DELAY_MS = 250
_COLUMN_WIDTHS = {
    MessageLogModel.COL_TIME: 100,
    MessageLogModel.COL_SESSION: 82,
    MessageLogModel.COL_DIRECTION: 56,
    MessageLogModel.COL_TYPE: 190,
    MessageLogModel.COL_SEQ: 60,
}
_NO_SELECTION = "Select a message to see every field."


def detail_text(record: WireRecord) -> str:
    """What the detail pane shows for ``record``: a heading, then one line per field."""
    arrow = "← in from" if record.direction is Direction.IN else "→ out to"
    seq = "" if record.msg_seq_num is None else f" · MsgSeqNum {record.msg_seq_num}"
    heading = [
        f"{arrow} {record.session.value} · {msg_type_name(record.msg_type)} "
        f"({record.msg_type}){seq}",
        f"{format_utc_full(record.received_at)} · {format_et_full(record.received_at)}",
        "",
    ]
    return "\n".join(heading + detail_lines(record.raw))


class MessageLogPanel(QWidget):
    """Filter row, log table and detail pane over one :class:`MessageLogModel`.

    Attributes:
        model: the log model (the app appends to it; the panel only reads and filters).
        table: the log table view (object name ``messageLogTable``, saved with the layout).
        detail: the read-only field-by-field pane.
        session_filter, type_filter, text_filter: the filter controls.
        pause_button, copy_button, export_button: the actions.
        counts: "N shown of M" line; error: where a failed export says why.
    """

    def __init__(self, model: MessageLogModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageLogPanel")
        self.model = model if model is not None else MessageLogModel(self)
        self._follow_tail = True
        self._build()
        self._connect_signals()
        self._refresh_types()
        self._refresh_counts()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.session_filter = QComboBox(self)
        self.session_filter.setObjectName("sessionFilter")
        self.session_filter.setToolTip("Show messages of one session only")
        self.session_filter.addItem("All sessions", None)
        for session in SessionType:
            self.session_filter.addItem(session.value, session.value)

        self.type_filter = QComboBox(self)
        self.type_filter.setObjectName("typeFilter")
        self.type_filter.setToolTip("Show one message type only, or hide heartbeats")
        self.type_filter.setMinimumContentsLength(14)
        self.type_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )

        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("textFilter")
        self.text_filter.setPlaceholderText("Filter text: symbol, ClOrdID, 39=2|, …")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setToolTip(
            "Case-insensitive search in the summary, the type name and the raw message; "
            "write | for the SOH separator (35=D| finds NewOrderSingles)"
        )

        self.pause_button = QPushButton("Pause", self)
        self.pause_button.setObjectName("pauseButton")
        self.pause_button.setCheckable(True)
        self.pause_button.setToolTip(
            "Freeze the log to read it; new messages are held and counted, and added on resume"
        )
        self.copy_button = QPushButton("Copy raw", self)
        self.copy_button.setObjectName("copyRawButton")
        self.copy_button.setToolTip(
            "Copy the selected messages as raw FIX, one per line, | for SOH (RawData masked)"
        )
        self.export_button = QPushButton("Export…", self)
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip(
            "Save the messages shown (after filtering) to a .log file: raw FIX, one per line, "
            "RawData masked"
        )

        self.counts = QLabel(self)
        self.counts.setObjectName("logCounts")
        self.error = QLabel(self)
        self.error.setObjectName("logError")
        self.error.hide()

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.session_filter)
        controls.addWidget(self.type_filter)
        controls.addWidget(self.text_filter, 1)
        controls.addWidget(self.pause_button)
        controls.addWidget(self.copy_button)
        controls.addWidget(self.export_button)

        status = QHBoxLayout()
        status.setContentsMargins(0, 0, 0, 0)
        status.addWidget(self.counts)
        status.addWidget(self.error, 1)

        self.table = QTableView(self)
        self.table.setObjectName("messageLogTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for col, width in _COLUMN_WIDTHS.items():
            header.resizeSection(col, width)

        self.detail = QPlainTextEdit(self)
        self.detail.setObjectName("messageDetail")
        self.detail.setReadOnly(True)
        self.detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail.setPlaceholderText(_NO_SELECTION)
        self.detail.setToolTip("Every field of the selected message: Name(tag)=Value (ValueName)")

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("messageLogSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addLayout(status)
        layout.addWidget(self.splitter, 1)

        self._filter_timer = QTimer(self)
        self._filter_timer.setObjectName("logFilterDelay")
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(_FILTER_DELAY_MS)

    def _connect_signals(self) -> None:
        self.session_filter.currentIndexChanged.connect(self.apply_filters)
        self.type_filter.currentIndexChanged.connect(self.apply_filters)
        self.text_filter.textChanged.connect(self._filter_timer.start)
        self._filter_timer.timeout.connect(self.apply_filters)
        self.pause_button.toggled.connect(self.model.set_paused)
        self.copy_button.clicked.connect(self.copy_raw)
        self.export_button.clicked.connect(self._choose_export_file)
        self.model.held_changed.connect(self._show_held)
        self.model.types_changed.connect(self._refresh_types)
        self.model.rowsAboutToBeInserted.connect(self._note_tail)
        self.model.rowsInserted.connect(self._after_insert)
        self.model.rowsRemoved.connect(self._refresh_counts)
        self.model.modelReset.connect(self._after_reset)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._show_current)

    def set_theme(self, theme: Theme) -> None:
        """Recolour the direction column for ``theme``."""
        self.model.set_theme(theme)

    # -- filters -------------------------------------------------------------------------

    def apply_filters(self) -> None:
        """Read the filter controls into the model (the text box waits for a pause in typing)."""
        self._filter_timer.stop()
        session = self.session_filter.currentData()
        chosen = self.type_filter.currentData()
        msg_types: frozenset[str] = frozenset()
        hidden: frozenset[str] = frozenset()
        if chosen == _ALL_BUT_HEARTBEATS:
            hidden = frozenset({_HEARTBEAT})
        elif isinstance(chosen, str):
            msg_types = frozenset({chosen})
        self.model.set_filter(
            LogFilter(
                sessions=frozenset({SessionType(session)}) if session else frozenset(),
                msg_types=msg_types,
                hidden_types=hidden,
                text=self.text_filter.text(),
            )
        )

    def _refresh_types(self) -> None:
        current = self.type_filter.currentData()
        self.type_filter.blockSignals(True)
        self.type_filter.clear()
        self.type_filter.addItem("All types", None)
        self.type_filter.addItem("All but heartbeats", _ALL_BUT_HEARTBEATS)
        self.type_filter.insertSeparator(2)
        for msg_type in self.model.types_seen():
            self.type_filter.addItem(f"{msg_type} {msg_type_name(msg_type)}", msg_type)
        found = self.type_filter.findData(current)
        self.type_filter.setCurrentIndex(max(0, found))
        self.type_filter.blockSignals(False)

    # -- actions -------------------------------------------------------------------------

    def selected_records(self) -> list[WireRecord]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return self.model.records(rows)

    def copy_raw(self) -> str:
        """Put the selected messages on the clipboard as raw FIX with ``|`` for SOH."""
        text = "\n".join(pipe_text(record.raw) for record in self.selected_records())
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def export(self, path: Path) -> int:
        """Write the shown messages to ``path``: raw frames (SOH kept, RawData masked), one
        per line. Returns how many were written; raises ``OSError`` if the file cannot be."""
        records = self.model.records()
        with path.open("wb") as out:
            for record in records:
                out.write(redact(record.raw))
                out.write(b"\n")
        return len(records)

    def _choose_export_file(self) -> None:
        # open(), never exec(): a nested event loop inside qasync re-enters running tasks.
        dialog = QFileDialog(self, "Export message log", "", "FIX logs (*.log);;All files (*)")
        dialog.setObjectName("exportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("log")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: self._export_to(Path(name)))
        dialog.open()

    def _export_to(self, path: Path) -> None:
        try:
            count = self.export(path)
        except OSError as exc:
            self.error.setText(f"Export failed: {exc.strerror or exc} ({path})")
            self.error.show()
            return
        self.error.hide()
        self.counts.setText(f"{self._counts_text()} · exported {count:,} to {path.name}")

    # -- reacting to the model -----------------------------------------------------------

    def _show_held(self, held: int) -> None:
        self.pause_button.setText(f"Resume ({held:,} new)" if self.model.paused else "Pause")
        self._refresh_counts()

    def _note_tail(self) -> None:
        bar = self.table.verticalScrollBar()
        self._follow_tail = bar.value() >= bar.maximum()

    def _after_insert(self) -> None:
        if self._follow_tail:
            self.table.scrollToBottom()
        self._refresh_counts()

    def _after_reset(self) -> None:
        self._follow_tail = True
        self.table.scrollToBottom()
        self._show_current(QModelIndex())
        self._refresh_counts()

    def _show_current(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        self.detail.setPlainText(detail_text(self.model.record(current.row())))

    def select_row(self, row: int) -> None:
        """Make ``row`` the current, selected row (and show its detail)."""
        index = self.model.index(row, 0)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)

    def _counts_text(self) -> str:
        text = f"{self.model.rowCount():,} shown of {self.model.total:,}"
        if self.model.dropped:
            text += f" · {self.model.dropped:,} oldest dropped (cap {self.model.cap:,})"
        if self.model.paused:
            text += f" · paused, {self.model.held_count:,} held"
        return text

    def _refresh_counts(self) -> None:
        self.counts.setText(self._counts_text())
