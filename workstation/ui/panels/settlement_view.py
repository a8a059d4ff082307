"""The settlement view: every settled market, reconciled against our own fills.

For someone reviewing settlements: a filter box and CSV export above the table; the table
(one row per market, see :mod:`workstation.ui.models.settlements_model`) with a totals row
pinned under it, column for column; and a detail pane for the selected settlement, party by
party: what the exchange reported, what our fills built, and every difference with both
figures. Updates arrive in batches through :meth:`SettlementView.apply`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workstation.fix.messages.settlement import SettlementParty
from workstation.trading.changes import Change
from workstation.trading.settlements import PartyReconciliation, Settlement
from workstation.ui.format import et_date_time_text, price_text, quantity_text
from workstation.ui.models.orders_model import sub_account_text
from workstation.ui.models.settlements_model import (
    SettlementKey,
    SettlementsModel,
    SettlementTotalsModel,
    check_text,
    cleared_text,
    exact_money_text,
    held_text,
    pages_text,
    result_text,
    source_text,
)
from workstation.ui.theme import STATUS_COLORS, StatusColors, Theme

__all__ = ["SettlementView", "settlement_detail_html"]

#: The text each column is made wide enough for (the last column stretches).
_COLUMN_SAMPLES = {
    "market": "KXNBAGAME-26MAR11LALBOS-LAL",
    "cleared": "2026-03-12",
    "result": "Scalar",
    "price": "30.06¢",
    "yes_held": "YES held",
    "no_held": "NO held",
    "ours": "100 YES · 20 NO",
    "payout": "$10,000.00",
    "fees": "$0.008",
    "reported": "$10,000.00",
    "expected": "$10,000.00",
    "pages": "2 of 3 pages · incomplete",
    "source": "recovered (REST)",
}
_CELL_PADDING = 18
_ZERO = Decimal(0)
_NO_SELECTION = "Select a settlement to see each party's figures."


# -- the detail pane ----------------------------------------------------------------------------


def _cell(text: str, *, right: bool = False, colour: str | None = None) -> str:
    style = []
    if right:
        style.append("text-align:right")
    if colour:
        style.append(f"color:{colour}")
    attr = f' style="{";".join(style)}"' if style else ""
    align = ' align="right"' if right else ""
    return f"<td{align}{attr}>{escape(text)}</td>"


def _matched_text(party: SettlementParty | None, rec: PartyReconciliation) -> str:
    """Which of our positions the party was compared with."""
    if rec.sub_account is not None:
        same = party is not None and rec.sub_account == party.party_id
        return "our sub-account" if same else sub_account_text(rec.sub_account)
    # None is both "the primary account" and "no position of ours": flat reads as none.
    return sub_account_text(None) if rec.our_net != 0 else "no position"


def _party_row(
    party: SettlementParty | None, rec: PartyReconciliation | None, colours: StatusColors
) -> str:
    if party is None:
        who, long, short, changes, fees, reported = "(none)", "", "", "", "", ""
    else:
        who = party.party_id
        long = quantity_text(party.long_qty) if party.long_qty is not None else ""
        short = quantity_text(party.short_qty) if party.short_qty is not None else ""
        changes = ", ".join(
            f"{c.kind.value} {exact_money_text(c.amount)}" for c in party.collateral_changes
        )
        fees = exact_money_text(party.total_fees)
        reported = exact_money_text(party.payout + party.total_fees)
    if rec is None:
        sub, ours, expected, verdict, colour = "", "", "", "waiting", colours.busy
    else:
        sub = _matched_text(party, rec)
        ours = held_text((max(rec.our_net, _ZERO), max(-rec.our_net, _ZERO)))
        expected = exact_money_text(rec.expected_value)
        verdict, colour = ("✓", colours.ok) if rec.ok else ("✗", colours.bad)
    bad = None if rec is None or rec.ok else colours.bad
    return (
        "<tr>"
        + _cell(who)
        + _cell(sub)
        + _cell(long, right=True)
        + _cell(short, right=True)
        + _cell(ours, right=True, colour=bad)
        + _cell(changes or "—")
        + _cell(fees, right=True)
        + _cell(reported, right=True, colour=bad)
        + _cell(expected, right=True, colour=bad)
        + _cell(verdict, colour=colour)
        + "</tr>"
    )


def _verdict_colour(settlement: Settlement, colours: StatusColors) -> str:
    if not settlement.complete:
        return colours.busy
    return colours.bad if settlement.mismatched else colours.ok


def settlement_detail_html(settlement: Settlement, colours: StatusColors) -> str:
    """The detail pane for ``settlement``: heading, one table row per party, differences."""
    s = settlement
    price = f" at {price_text(s.settlement_price)}" if s.settlement_price is not None else ""
    check = check_text(s)
    check_colour = _verdict_colour(s, colours)
    head = [
        f"<h3 style='margin:0'>{escape(s.symbol)} · settled {escape(result_text(s))}"
        f"{escape(price)}</h3>",
        "<p style='margin:2px 0'>"
        f"Cleared {escape(cleared_text(s))} · {escape(pages_text(s))} · first page received "
        f"{escape(et_date_time_text(s.received_at))}<br>"
        f"Account {escape(s.account)} on {escape(s.venue)}<br>"
        f"Report IDs (20105): {escape(', '.join(s.report_ids))}</p>",
        f"<p style='margin:2px 0;color:{check_colour};font-weight:bold'>{escape(check)}</p>",
    ]
    if s.recovered:
        head.append(
            f"<p style='margin:2px 0'><b>{escape(source_text(s))}</b>: KalshiPT could not "
            "resend the report it pushed while the session was down (it resets on every "
            "logon on this dialect), so this settlement was read from the venue's REST "
            "settlement history.</p>"
        )
    header = "".join(
        f"<th align='{'right' if right else 'left'}'>{escape(name)}</th>"
        for name, right in (
            ("Party", False),
            ("Compared with", False),
            ("YES", True),
            ("NO", True),
            ("Our fills", True),
            ("Collateral change", False),
            ("Fees", True),
            ("Reported", True),
            ("Expected", True),
            ("", False),
        )
    )
    rows = []
    recs: Sequence[PartyReconciliation | None] = (
        s.reconciliation if s.complete else [None] * len(s.parties)
    )
    for i, party in enumerate(s.parties):
        rows.append(_party_row(party, recs[i] if i < len(recs) else None, colours))
    for rec in recs[len(s.parties) :]:  # positions of ours no party matched
        rows.append(_party_row(None, rec, colours))
    table = (
        "<table cellspacing='0' cellpadding='3' style='margin-top:6px'>"
        f"<tr>{header}</tr>{''.join(rows)}</table>"
    )
    found = [
        f"{'party ' + r.party_id if r.party_id else 'no party'}: {text}"
        for r in s.reconciliation
        for text in r.differences
    ]
    diffs = ""
    if found:
        items = "".join(f"<li>{escape(text)}</li>" for text in found)
        diffs = f"<p style='margin:6px 0 0 0;color:{colours.bad}'>Differences:</p><ul " + (
            f"style='margin-top:0;color:{colours.bad}'>{items}</ul>"
        )
    return "".join(head) + table + diffs


# -- the panel ----------------------------------------------------------------------------------


class SettlementView(QWidget):
    """Filter, export, the settlements table with its totals row, and the detail pane.

    Attributes:
        model: the settlements model; ``totals_model`` the footer's.
        table: the settlements table (object name ``settlementsTable``, saved with the layout);
            ``totals_view`` the one-row footer under it.
        text_filter, export_button, counts, error: the controls and status lines.
        detail: the selected settlement, party by party.
    """

    def __init__(self, model: SettlementsModel | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("settlementView")
        self.model = model if model is not None else SettlementsModel(self)
        self.totals_model = SettlementTotalsModel(self.model, self)
        self._current: SettlementKey | None = None
        self._build()
        self._connect()
        self._after_change()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.text_filter = QLineEdit(self)
        self.text_filter.setObjectName("settlementFilter")
        self.text_filter.setPlaceholderText("Filter: market, result, party, date, mismatch …")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setToolTip(
            "Case-insensitive search in market, result, clearing date, parties, report IDs and "
            "the check; type 'mismatch' or 'incomplete' to see only those"
        )
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setObjectName("settlementExportButton")
        self.export_button.setToolTip(
            "Save the settlements shown (after filtering) as CSV, with exact figures"
        )
        self.counts = QLabel(self)
        self.counts.setObjectName("settlementCounts")
        self.error = QLabel(self)
        self.error.setObjectName("settlementError")
        self.error.hide()

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(self.text_filter, 1)
        controls.addWidget(self.counts)
        controls.addWidget(self.export_button)

        self.table = QTableView(self)
        self.table.setObjectName("settlementsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        # The indicator first: enabling sorting sorts by it (Qt's default is column 0).
        self.table.horizontalHeader().setSortIndicator(
            self.model.sort_column, self.model.sort_order
        )
        self.table.setSortingEnabled(True)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        row_height = self.fontMetrics().height() + 8
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(row_height)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        metrics = self.table.fontMetrics()
        for name, sample in _COLUMN_SAMPLES.items():
            width = metrics.horizontalAdvance(sample) + _CELL_PADDING
            header.resizeSection(self.model.column_index(name), width)

        self.totals_view = QTableView(self)
        self.totals_view.setModel(self.totals_model)
        self.totals_view.horizontalHeader().hide()
        self.totals_view.verticalHeader().hide()
        self.totals_view.verticalHeader().setDefaultSectionSize(row_height)
        self.totals_view.horizontalHeader().setStretchLastSection(True)
        self.totals_view.setShowGrid(False)
        self.totals_view.setWordWrap(False)
        self.totals_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.totals_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.totals_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.totals_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.totals_view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.totals_view.setFixedHeight(row_height + 2 * self.totals_view.frameWidth())
        self.totals_view.setToolTip("Totals of the complete settlements shown")
        for col in range(self.model.columnCount()):
            self.totals_view.setColumnWidth(col, header.sectionSize(col))

        grid = QWidget(self)
        grid_layout = QVBoxLayout(grid)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.setSpacing(0)
        grid_layout.addWidget(self.table, 1)
        # The footer stops where the table's (always shown) scroll bar starts, so their
        # columns line up.
        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.setSpacing(0)
        footer.addWidget(self.totals_view, 1)
        footer.addSpacing(self.table.verticalScrollBar().sizeHint().width())
        grid_layout.addLayout(footer)

        self.detail = QTextBrowser(self)
        self.detail.setObjectName("settlementDetail")
        self.detail.setOpenLinks(False)
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)
        self.detail.setPlaceholderText(_NO_SELECTION)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("settlementSplitter")
        self.splitter.addWidget(grid)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addWidget(self.error)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self.text_filter.textChanged.connect(self.model.set_text_filter)
        self.export_button.clicked.connect(self._choose_export_file)
        header = self.table.horizontalHeader()
        header.sectionResized.connect(self._sync_width)
        header.sectionMoved.connect(self._sync_move)
        self.table.horizontalScrollBar().valueChanged.connect(
            self.totals_view.horizontalScrollBar().setValue
        )
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        for signal in (
            self.model.modelReset,
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.dataChanged,
            self.model.layoutChanged,
        ):
            signal.connect(self._after_change)
        self.model.modelReset.connect(self._reselect)

    def _sync_width(self, logical: int, _old: int, new: int) -> None:
        self.totals_view.setColumnWidth(logical, new)

    def _sync_move(self, _logical: int, old_visual: int, new_visual: int) -> None:
        self.totals_view.horizontalHeader().moveSection(old_visual, new_visual)

    # -- feeding -------------------------------------------------------------------------

    def apply(self, changes: Sequence[Change]) -> None:
        """One batch of domain changes (``SettlementChanged`` concern this view)."""
        changed = self.model.apply(changes)
        if self._current is not None and self._current in changed:
            self._show_detail()

    def load(self, settlements: Iterable[Settlement]) -> None:
        """Settlements known before the view existed (``desk.settlements``)."""
        self.model.load(settlements)

    def set_theme(self, theme: Theme) -> None:
        dark = theme is Theme.DARK
        self.model.set_dark(dark)
        self.totals_model.set_dark(dark)
        self._show_detail()

    # -- selection and detail ------------------------------------------------------------

    def select_row(self, row: int) -> None:
        """Make ``row`` the current, selected settlement (and show its detail)."""
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def current_settlement(self) -> Settlement | None:
        return None if self._current is None else self.model.record(self._current)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return  # a reset clears the current row; _reselect puts it back if it is shown
        self._current = self.model.key_of(self.model.record_at(current.row()))
        self._show_detail()

    def _reselect(self) -> None:
        row = None if self._current is None else self.model.row_of(self._current)
        if row is None:
            self.detail.clear()
            return
        self.select_row(row)

    def _show_detail(self) -> None:
        settlement = self.current_settlement()
        if settlement is None:
            self.detail.clear()
            return
        colours = STATUS_COLORS[Theme.DARK if self.model.dark else Theme.LIGHT]
        scroll = self.detail.verticalScrollBar().value()
        self.detail.setHtml(settlement_detail_html(settlement, colours))
        self.detail.verticalScrollBar().setValue(scroll)

    # -- totals and counts ---------------------------------------------------------------

    def _after_change(self) -> None:
        self.totals_model.set_totals(self.model.totals())
        shown, total = self.model.rowCount(), len(self.model)
        text = f"{shown:,} shown of {total:,}" if shown != total else f"{total:,} settlements"
        self.counts.setText(text)

    # -- export --------------------------------------------------------------------------

    def export_csv(self, path: Path) -> int:
        """Write the settlements shown to ``path`` as CSV (header first, exact figures);
        returns the number of settlements written; raises ``OSError`` if it cannot."""
        with path.open("w", newline="", encoding="utf-8") as out:
            return self.model.write_csv(out)

    def _choose_export_file(self) -> None:
        # open(), never exec(): a nested event loop inside qasync re-enters running tasks.
        dialog = QFileDialog(self, "Export settlements", "", "CSV files (*.csv);;All files (*)")
        dialog.setObjectName("settlementExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # A method, not a lambda: PySide6 6.12 crashed deleting a WA_DeleteOnClose
        # QMessageBox whose signal fed a lambda holding its panel (see groups_panel).
        dialog.fileSelected.connect(self._export_to_name)
        dialog.open()

    def _export_to_name(self, name: str) -> None:
        self._export_to(Path(name))

    def _export_to(self, path: Path) -> None:
        try:
            count = self.export_csv(path)
        except OSError as exc:
            self.error.setText(f"Export failed: {exc.strerror or exc} ({path})")
            self.error.show()
            return
        self.error.hide()
        self.counts.setText(f"{self.counts.text()} · exported {count:,} to {path.name}")
