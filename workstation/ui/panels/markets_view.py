"""The markets view (object name ``marketsView``): every event of the last REST poll with its
outcomes' markets — status, YES bid, YES ask, last — our position in each and its unrealised
P&L marked to those prices.

FIX carries no prices, so they come from the venue's REST API on an interval; the view says how
old they are ("Prices 3 s old · polled every 5 s"), turns that line amber once the prices are
older than three poll intervals, and shows the error of a failed poll beside it (the previous
prices stay, marked by their age). Double-clicking a market (or Enter on it) emits
:attr:`MarketsView.market_chosen` with its ticker: the window puts it on the order ticket.

Filtering (text, held only) and the expanded/collapsed state of each event survive every poll;
the selected market stays selected when the tree's shape changes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workstation.client.market_data import MarketSnapshot
from workstation.trading.changes import Change
from workstation.trading.positions import Positions
from workstation.ui.format import signed_money_text
from workstation.ui.models.markets_model import COLUMNS, MarketsModel
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme
from workstation.ui.timefmt import format_age

__all__ = ["STALE_POLLS", "MarketsDesk", "MarketsView", "PollStatus", "poll_status"]

#: Prices older than this many poll intervals are shown as stale (amber).
STALE_POLLS = 3

_WIDTHS = {
    "market": 230,
    "ticker": 200,
    "status": 80,
    "yes_bid": 64,
    "yes_ask": 64,
    "last": 64,
    "position": 84,
    "unrealized": 96,
}


class MarketsDesk(Protocol):
    """What the view needs of the Desk (the real Desk satisfies it)."""

    @property
    def market(self) -> MarketSnapshot | None: ...
    @property
    def positions(self) -> Positions: ...
    async def refresh_market(self) -> MarketSnapshot | None: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class PollStatus:
    """What the view says about the prices it shows."""

    text: str  #: "Prices 3 s old · polled every 5 s"
    stale: bool  #: older than STALE_POLLS intervals, or no prices at all after a failure
    error: str  #: "" or "Last poll failed: …"


def _interval_text(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:g} s"
    return format_age(seconds)


def poll_status(snapshot: MarketSnapshot | None, *, now: float, interval: float) -> PollStatus:
    """The poll line for ``snapshot`` at ``now`` (pure, so it is tested at any instant)."""
    every = f"polled every {_interval_text(interval)}"
    if snapshot is None:
        text = f"Waiting for the first market poll · {every}"
        return PollStatus(text=text, stale=False, error="")
    error = f"Last poll failed: {snapshot.error}" if snapshot.error else ""
    if not snapshot.markets and snapshot.error:
        return PollStatus(text=f"No prices yet · {every}", stale=True, error=error)
    age = now - snapshot.as_of
    return PollStatus(
        text=f"Prices {format_age(age)} old · {every}",
        stale=age > STALE_POLLS * interval,
        error=error,
    )


class MarketsView(QWidget):
    """See the module docstring."""

    #: a market was double-clicked (or activated with Enter): its ticker
    market_chosen = Signal(str)

    def __init__(
        self,
        desk: MarketsDesk,
        *,
        poll_interval: float,
        clock: Any = time.time,
        subpenny: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("marketsView")
        self._desk = desk
        self._clock = clock
        self.poll_interval = poll_interval
        self._collapsed: set[str] = set()  #: events the trader folded
        self._restoring = False
        self._fitted = False  #: the name columns were sized to their text
        self._selected: str | None = None
        self._refresh_task: asyncio.Task[None] | None = None
        self.model = MarketsModel(clock=clock, parent=self)
        self.model.set_dollars(subpenny)
        self._build()
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_view_state)
        self.load()
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._update_status)
        self._ticker.start()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("marketsFilter")
        self.filter_edit.setPlaceholderText("Filter: event, market, ticker…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip(
            "Shows markets whose ticker or title, or whose event's, contains this"
        )
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.held_check = QCheckBox("Held only")
        self.held_check.setObjectName("marketsHeldOnly")
        self.held_check.setToolTip("Show only the markets we hold a position in")
        self.held_check.toggled.connect(self._filter_changed)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("marketsRefresh")
        self.refresh_button.setToolTip("Poll the venue's prices and balance now")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.held_check)
        bar.addWidget(self.refresh_button)
        layout.addLayout(bar)

        status = QHBoxLayout()
        status.setSpacing(12)
        self.age_label = QLabel()
        self.age_label.setObjectName("marketsAge")
        self.age_label.setToolTip(
            "When the prices shown were polled from the venue's REST API (FIX carries no "
            f"prices); amber once older than {STALE_POLLS} poll intervals"
        )
        self.error_label = QLabel()
        self.error_label.setObjectName("marketsError")
        self.error_label.setWordWrap(True)
        self.error_label.setToolTip("The last poll failed: the prices shown are the previous ones")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("marketsSummary")
        self.summary_label.setToolTip(
            "Σ unrealised P&L over the markets held, marked to the prices shown, after the "
            "estimated fee to sell"
        )
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        status.addWidget(self.age_label)
        status.addWidget(self.error_label, 1)
        status.addWidget(self.summary_label)
        layout.addLayout(status)

        self.tree = QTreeView()
        self.tree.setObjectName("marketsTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.setToolTip("Double-click a market (or press Enter) to put it on the order ticket")
        header = self.tree.header()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for i, column in enumerate(COLUMNS):
            header.resizeSection(i, _WIDTHS[column.name])
        self.tree.activated.connect(self._activated)
        self.tree.expanded.connect(self._expanded)
        self.tree.collapsed.connect(self._collapsed_event)
        layout.addWidget(self.tree, 1)

    # ------------------------------------------------------------------ feeding

    def load(self) -> None:
        """Read every position and the last poll from the desk (at start-up)."""
        self.model.load(self._desk.positions)
        self.model.set_snapshot(self._desk.market)
        self._update_status()

    def set_market(self, snapshot: MarketSnapshot) -> None:
        """A new REST poll (``DeskUpdate.market``)."""
        self.model.set_snapshot(snapshot)
        self._update_status()

    def apply_changes(self, changes: Iterable[Change]) -> None:
        """One batch of domain changes (``DeskUpdate.changes``): positions move."""
        batch = list(changes)
        self.model.apply(batch)
        self._update_summary()

    def set_subpenny(self, on: bool) -> None:
        """Prices in dollars with four places (the order session uses 21005)."""
        self.model.set_dollars(on)

    def set_theme(self, theme: Theme) -> None:
        self.model.set_dark(theme is Theme.DARK)
        self._update_status()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self.model.set_dark(is_dark_palette(self.palette()))
            self._update_status()
        super().changeEvent(event)

    # ------------------------------------------------------------------ actions

    def refresh(self) -> None:
        """Poll now (the Refresh button); the button is disabled until the poll ends."""
        if self._refresh_task is not None:
            return
        self.refresh_button.setEnabled(False)
        self._refresh_task = asyncio.get_event_loop().create_task(self._refresh())

    async def _refresh(self) -> None:
        try:
            snapshot = await self._desk.refresh_market()
            if snapshot is not None:
                self.set_market(snapshot)
        finally:
            self._refresh_task = None
            self.refresh_button.setEnabled(True)

    @property
    def refreshing(self) -> bool:
        return self._refresh_task is not None

    def choose(self, ticker: str) -> None:
        """Select ``ticker``'s row and emit :attr:`market_chosen` (as a double-click does)."""
        self.select(ticker)
        self.market_chosen.emit(ticker)

    def select(self, ticker: str) -> bool:
        index = self.model.index_of_market(ticker)
        if not index.isValid():
            return False
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        return True

    def selected_ticker(self) -> str | None:
        return self.model.ticker_of(self.tree.currentIndex())

    def is_expanded(self, event_ticker: str) -> bool:
        index = self.model.index_of_group(event_ticker)
        return index.isValid() and self.tree.isExpanded(index)

    # ------------------------------------------------------------------ internals

    def _activated(self, index: QModelIndex) -> None:
        ticker = self.model.ticker_of(index)
        if ticker is not None:
            self.market_chosen.emit(ticker)

    def _expanded(self, index: QModelIndex) -> None:
        key = self._group_key(index)
        if key is not None and not self._restoring:
            self._collapsed.discard(key)

    def _collapsed_event(self, index: QModelIndex) -> None:
        key = self._group_key(index)
        if key is not None and not self._restoring:
            self._collapsed.add(key)

    def _group_key(self, index: QModelIndex) -> str | None:
        return self.model.group_key_of(index)

    def _remember_selection(self) -> None:
        self._selected = self.selected_ticker()

    def _fit_names(self) -> None:
        """Widen the Market and Ticker columns to their text once, on the first rows."""
        if self._fitted or self.model.rowCount() == 0:
            return
        self._fitted = True
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)
            width = self.tree.columnWidth(column)
            self.tree.setColumnWidth(
                column, min(max(width + 28, _WIDTHS[COLUMNS[column].name]), 380)
            )

    def _restore_view_state(self) -> None:
        self._restoring = True  # expandAll() reports every event as expanded by the trader
        try:
            self.tree.expandAll()
            for key in self._collapsed:
                index = self.model.index_of_group(key)
                if index.isValid():
                    self.tree.collapse(index)
        finally:
            self._restoring = False
        self._fit_names()
        if self._selected is not None:
            index = self.model.index_of_market(self._selected)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        self._update_summary()

    def _filter_changed(self, *_args: object) -> None:
        self.model.set_filter(self.filter_edit.text(), held_only=self.held_check.isChecked())

    def _colours(self) -> Any:
        return STATUS_COLORS[Theme.DARK if is_dark_palette(self.palette()) else Theme.LIGHT]

    def poll_status(self) -> PollStatus:
        return poll_status(self.model.snapshot, now=self._clock(), interval=self.poll_interval)

    def _update_status(self) -> None:
        status = self.poll_status()
        colours = self._colours()
        self.age_label.setText(status.text)
        self.age_label.setStyleSheet(f"color: {colours.busy};" if status.stale else "")
        self.age_label.setProperty("stale", status.stale)
        self.error_label.setText(status.error)
        self.error_label.setStyleSheet(f"color: {colours.bad};" if status.error else "")
        self.error_label.setVisible(bool(status.error))
        self._update_summary()

    def _update_summary(self) -> None:
        total, held, unmarked = self.model.total_unrealized()
        if not held:
            self.summary_label.setText("No positions")
            return
        note = f" ({unmarked} not marked)" if unmarked else ""
        plural = "s" if held != 1 else ""
        self.summary_label.setText(
            f"Unrealised {signed_money_text(total)} over {held} market{plural}{note}"
        )
