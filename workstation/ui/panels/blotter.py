"""The blotter: working orders, all orders, fills and positions, with the trader's actions.

Four tabs over the fast table models (``ui.models``): each batch of domain changes from the
Desk is applied to every model at once (:meth:`Blotter.apply_changes`), sorting is done by
the models (click a header) and one filter bar filters every tab as you type: free text,
market, side, status and sub-account (a desk monitor adds an account choice,
:meth:`Blotter.set_account_filter`).

Accounts: every tab has an Account column, just left of Market. It shows when rows of
several accounts can meet: the desk watches several (:meth:`Blotter.set_accounts`, a desk
monitor) or rows of more than one account have arrived; on a trader's own desk (one account)
it stays hidden. That is the desk's to decide, not the saved layout's: a header restored
from a layout saved elsewhere (another profile, or before the column existed) keeps its
widths, order and sort, and the Account column is shown or hidden again at the first show.

Actions: double-click an order (or its context menu → Amend…) opens the amend dialog with
the queue-position cue; Cancel sends a cancel; **Cancel all** (button or Ctrl+Shift+X,
anywhere in the window) asks first, then calls ``desk.cancel_all``. Each action runs as a
task; an order with a request running cannot be sent another from here, and every outcome
(sent, refused and why) is shown in the line under the tables. A listen-only desk disables
every action. Export writes the rows the current tab shows as CSV.

The actions live in :mod:`.blotter_actions`; the table views, filter combos and the P&L
line in :mod:`.blotter_tables`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.client.market_data import MarketSnapshot
from workstation.trading.changes import Change
from workstation.trading.fills import Fills
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.positions import Positions
from workstation.trading.ticket import Intent
from workstation.ui.models.fills_model import FillsModel
from workstation.ui.models.orders_model import IntentBook, OrdersModel
from workstation.ui.models.positions_model import PositionsModel
from workstation.ui.models.table_base import RecordTableModel, RowFilter, is_dark_palette
from workstation.ui.panels.amend_dialog import AmendDialog
from workstation.ui.panels.blotter_actions import OrderActions, OrderActionsDesk
from workstation.ui.panels.blotter_tables import (
    LazyCombo,
    fit_columns,
    make_table,
    move_column_before,
    pnl_summary,
    show_column,
)
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = ["CANCEL_ALL_SHORTCUT", "Blotter", "BlotterDesk"]

CANCEL_ALL_SHORTCUT = "Ctrl+Shift+X"
_ACCOUNT = "account"  #: the Account column's name in every tab's model


class BlotterDesk(OrderActionsDesk, Protocol):
    """What the blotter needs from the Desk (``workstation.client.desk.Desk`` satisfies it)."""

    @property
    def fills(self) -> Fills: ...
    @property
    def positions(self) -> Positions: ...
    @property
    def market(self) -> MarketSnapshot | None: ...


class Blotter(QWidget):
    """See the module docstring."""

    def __init__(
        self,
        desk: BlotterDesk,
        *,
        clock: Callable[[], float] = time.time,
        subpenny: bool = False,
        accounts: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("blotter")
        self._desk = desk
        self._clock = clock
        self._subpenny = subpenny
        self._account = ""  # a desk monitor's account filter ("" = every account)
        self._watched = frozenset(a for a in accounts if a)  # the accounts the desk watches
        self._account_shown = False
        self._built_headers: dict[str, QByteArray] = {}  # filled once built, see below
        self.intents = IntentBook()
        self.orders_model = OrdersModel(intents=self.intents, parent=self)
        self.working_model = OrdersModel(
            working_only=True, share_rows_with=self.orders_model, parent=self
        )
        self.fills_model = FillsModel(intents=self.intents, parent=self)
        self.positions_model = PositionsModel(clock=clock, parent=self)
        self._build()
        self.load()
        # Each header as built. One that differs at the first show had the trader's saved
        # layout restored onto it (MainWindow.set_panel): fitting must not undo that.
        self._built_headers = {
            view.objectName(): view.horizontalHeader().saveState() for view in self._tables()
        }
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)

        bar = QHBoxLayout()
        bar.setSpacing(6)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("blotterFilter")
        self.filter_edit.setPlaceholderText("Filter: ids, market, status, reason…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setToolTip("Shows rows containing this text (any tab), as you type")
        self.market_edit = QLineEdit()
        self.market_edit.setObjectName("blotterMarketFilter")
        self.market_edit.setPlaceholderText("Market")
        self.market_edit.setClearButtonEnabled(True)
        self.market_edit.setMaximumWidth(180)
        self.market_edit.setToolTip("Shows markets whose ticker contains this")
        self.side_combo = LazyCombo(lambda: [i.value for i in Intent])
        self.side_combo.setObjectName("blotterSideFilter")
        self.side_combo.setToolTip("Side (orders and fills)")
        self.status_combo = LazyCombo(lambda: [s.value for s in OrderStatus])
        self.status_combo.setObjectName("blotterStatusFilter")
        self.status_combo.setToolTip("Status (orders)")
        self.sub_combo = LazyCombo(self._sub_accounts)
        self.sub_combo.setObjectName("blotterSubAccountFilter")
        self.sub_combo.setToolTip("Sub-account")
        for caption, widget in (
            ("", self.filter_edit),
            ("", self.market_edit),
            ("Side", self.side_combo),
            ("Status", self.status_combo),
            ("Sub", self.sub_combo),
        ):
            if caption:
                bar.addWidget(QLabel(caption))
            bar.addWidget(widget, 2 if widget is self.filter_edit else 0)
        bar.addStretch(1)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("blotterExport")
        self.export_button.setToolTip("Save the rows this tab shows (after filtering) as CSV")
        bar.addWidget(self.export_button)
        self.cancel_all_button = QPushButton(f"Cancel all  ({CANCEL_ALL_SHORTCUT})")
        self.cancel_all_button.setObjectName("blotterCancelAll")
        self.cancel_all_button.setToolTip(
            "Cancel every open order on this venue (asks first). "
            f"Shortcut {CANCEL_ALL_SHORTCUT} works anywhere in the window"
        )
        bar.addWidget(self.cancel_all_button)
        layout.addLayout(bar)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("blotterTabs")
        self.working_table = make_table("workingTable", self.working_model)
        self.orders_table = make_table("ordersTable", self.orders_model)
        self.fills_table = make_table("fillsTable", self.fills_model)
        self.positions_table = make_table("positionsTable", self.positions_model)
        for view, title in (
            (self.working_table, "Working orders"),
            (self.orders_table, "All orders"),
            (self.fills_table, "Fills"),
            (self.positions_table, "Positions"),
        ):
            self.tabs.addTab(view, title)
            move_column_before(view, _ACCOUNT, "market")
            show_column(view, _ACCOUNT, False)
        layout.addWidget(self.tabs, 1)

        self.status_line = QLabel()
        self.status_line.setObjectName("blotterStatus")
        self.status_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setObjectName("blotterSummary")
        foot = QHBoxLayout()
        foot.addWidget(self.status_line, 1)
        foot.addWidget(self.summary)
        layout.addLayout(foot)
        self.order_actions = OrderActions(
            self._desk,
            self,
            intents=self.intents,
            subpenny=lambda: self._subpenny,
            say=self._say,
            cancel_all_button=self.cancel_all_button,
        )

        self.filter_edit.textChanged.connect(self._filter_changed)
        self.market_edit.textChanged.connect(self._filter_changed)
        for combo in (self.side_combo, self.status_combo, self.sub_combo):
            combo.currentIndexChanged.connect(self._filter_changed)
        self.export_button.clicked.connect(self._export_clicked)
        self.cancel_all_button.clicked.connect(self.ask_cancel_all)
        for view in (self.working_table, self.orders_table):
            view.doubleClicked.connect(lambda index, v=view: self._double_clicked(v, index))
            view.customContextMenuRequested.connect(lambda pos, v=view: self._menu(v, pos))
        self.cancel_all_shortcut = QShortcut(QKeySequence(CANCEL_ALL_SHORTCUT), self)
        self.cancel_all_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        self.cancel_all_shortcut.activated.connect(self.ask_cancel_all)
        for view in (self.working_table, self.orders_table):
            cancel_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), view)
            cancel_key.setContext(Qt.ShortcutContext.WidgetShortcut)
            cancel_key.activated.connect(lambda v=view: self._cancel_selected(v))
        self._apply_listen_only()
        self._widths_set = False

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._widths_set:
            as_built = [
                view
                for view in self._tables()
                if view.horizontalHeader().saveState() == self._built_headers[view.objectName()]
            ]
            self._show_account_column(self._several_accounts())  # whatever was restored
            self._widths_set = True
            self.fit_columns(as_built)

    def _tables(self) -> tuple[QTableView, ...]:
        return (self.working_table, self.orders_table, self.fills_table, self.positions_table)

    def fit_columns(self, views: Iterable[QTableView] | None = None) -> None:
        """Size columns to their contents (the rows loaded so far) once, then leave them.

        Done at the first show for every table whose header is as built, so column widths
        restored from a saved layout are kept (see :func:`.blotter_tables.fit_columns`).
        """
        fit_columns(self._tables() if views is None else views)

    # ------------------------------------------------------------------ feeding

    def load(self) -> None:
        """Show what the desk already holds (at start)."""
        self.orders_model.load(self._desk.orders)
        self.working_model.load(self._desk.orders)
        self.fills_model.load(self._desk.fills)
        self.positions_model.load(self._desk.positions)
        if self._desk.market is not None:
            self.positions_model.set_snapshot(self._desk.market)
        self._after_change()

    def apply_changes(self, changes: list[Change]) -> None:
        """One batch of domain changes (a ``DeskUpdate.changes``) to every table."""
        if not changes:
            return
        self.orders_model.apply(changes)
        self.working_model.apply(changes)
        self.fills_model.apply(changes)
        self.positions_model.apply(changes)
        self._after_change()

    def set_market(self, snapshot: MarketSnapshot) -> None:
        """A new REST poll: marks for unrealised P&L."""
        self.positions_model.set_snapshot(snapshot)
        self._after_change()

    def note_intent(self, order: Order, intent: Intent) -> None:
        """The ticket sent ``order`` meaning ``intent`` (connect ``OrderTicket.submitted``)."""
        self.intents.remember(order.cl_ord_ids, intent)
        for model in (self.orders_model, self.working_model):
            model.note_intent(order, intent)

    def set_subpenny(self, on: bool) -> None:
        """Amend prices in dollars (the order session uses 21005)."""
        self._subpenny = on

    def set_theme(self, theme: Theme) -> None:
        for model in self._models():
            model.set_dark(theme is Theme.DARK)
        self._after_change()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            dark = is_dark_palette(self.palette())
            for model in self._models():
                model.set_dark(dark)
        super().changeEvent(event)

    def _models(self) -> tuple[RecordTableModel[Any, Any], ...]:
        return (self.working_model, self.orders_model, self.fills_model, self.positions_model)

    # ------------------------------------------------------------------ accounts

    def set_accounts(self, accounts: Sequence[str]) -> None:
        """The accounts the desk watches (a desk monitor's): with more than one, every tab
        shows the Account column."""
        self._watched = frozenset(a for a in accounts if a)
        self._show_account_column(self._several_accounts())

    @property
    def account_column_shown(self) -> bool:
        """Whether the tabs show the Account column (rows of several accounts can meet)."""
        return self._account_shown

    def _several_accounts(self) -> bool:
        accounts = set(self._watched)
        for model in (self.orders_model, self.fills_model, self.positions_model):
            accounts |= model.accounts_seen()
        return len(accounts) > 1

    def _show_account_column(self, shown: bool) -> None:
        """Show or hide the Account column on every tab. A header still as built stays
        "as built" (so the first show sizes its columns); one shown already sizes the
        column as it appears."""
        self._account_shown = shown
        for view in self._tables():
            name, header = view.objectName(), view.horizontalHeader()
            as_built = name in self._built_headers and (
                header.saveState() == self._built_headers[name]
            )
            if show_column(view, _ACCOUNT, shown, fit=self._widths_set) and as_built:
                self._built_headers[name] = header.saveState()

    def _after_change(self) -> None:
        if not self._account_shown and self._several_accounts():
            self._show_account_column(True)  # a second account's rows arrived
        titles = ("Working orders", "All orders", "Fills", "Positions")
        for i, (title, model) in enumerate(zip(titles, self._models(), strict=True)):
            self.tabs.setTabText(i, f"{title} ({model.rowCount():,})")
        self._update_summary()

    def _update_summary(self) -> None:
        marks = self._desk.market
        age = None if marks is None else self._clock() - marks.as_of
        self.summary.setText(pnl_summary(self.positions_model, age))

    def _tick(self) -> None:
        self.positions_model.tick()
        self._update_summary()

    # ------------------------------------------------------------------ filtering

    def _sub_accounts(self) -> list[str]:
        values = set(self.orders_model.facet_values("sub_account"))
        values.update(self.positions_model.facet_values("sub_account"))
        return sorted(values)

    def _filter_changed(self, *_args: object) -> None:
        self.apply_filter(
            text=self.filter_edit.text(),
            market=self.market_edit.text(),
            side=self.side_combo.value(),
            status=self.status_combo.value(),
            sub_account=self.sub_combo.value(),
            account=self._account,
        )

    def set_account_filter(self, account: str) -> None:
        """Show one account's rows on every tab (``""``: all); the filter bar still applies."""
        self._account = account
        self._filter_changed()

    def apply_filter(
        self,
        *,
        text: str = "",
        market: str = "",
        side: str = "",
        status: str = "",
        sub_account: str = "",
        account: str = "",
    ) -> None:
        """Filter every tab (side applies to orders and fills, status to orders)."""
        orders = RowFilter(
            text=text,
            market=market,
            side=side,
            status=status,
            sub_account=sub_account,
            account=account,
        )
        self.working_model.set_filter(orders)
        self.orders_model.set_filter(orders)
        self.fills_model.set_filter(
            RowFilter(text=text, market=market, side=side, sub_account=sub_account, account=account)
        )
        self.positions_model.set_filter(
            RowFilter(text=text, market=market, sub_account=sub_account, account=account)
        )
        self._after_change()

    # ------------------------------------------------------------------ export

    def current_model(self) -> RecordTableModel[Any, Any]:
        return self._models()[self.tabs.currentIndex()]

    def export_csv(self, path: Path) -> int:
        """Write the current tab's visible rows to ``path``; returns the number of rows."""
        with path.open("w", encoding="utf-8", newline="") as stream:
            rows = self.current_model().write_csv(stream)
        self._say(f"Exported {rows:,} rows to {path}")
        return rows

    def _export_clicked(self) -> None:
        names = ("working-orders", "orders", "fills", "positions")
        suggested = f"{names[self.tabs.currentIndex()]}.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Export CSV", suggested, "CSV (*.csv)")
        if path:
            try:
                self.export_csv(Path(path))
            except OSError as exc:
                self._say(f"Export failed: {exc.strerror or exc}", error=True)

    # ------------------------------------------------------------------ actions

    def _apply_listen_only(self) -> None:
        listen = self._desk.listen_only
        self.cancel_all_button.setEnabled(not listen)
        self.cancel_all_shortcut.setEnabled(not listen)
        if listen:
            self.cancel_all_button.setToolTip("Listen-only desk monitor: trading is disabled")
            self._say("Listen-only desk monitor: amend and cancel are disabled")

    def order_at(self, view: QTableView, row: int) -> Order:
        model = view.model()
        assert isinstance(model, OrdersModel)
        return model.record_at(row)

    def _selected_orders(self, view: QTableView) -> list[Order]:
        selection = view.selectionModel()
        rows = sorted({i.row() for i in selection.selectedRows()}) if selection else []
        return [self.order_at(view, r) for r in rows]

    def can_amend(self, order: Order) -> bool:
        return self.order_actions.can_amend(order)

    def can_cancel(self, order: Order) -> bool:
        return self.order_actions.can_cancel(order)

    def actions_for(self, orders: list[Order]) -> list[QAction]:
        """The context-menu actions for the selected orders (first: Amend…, then Cancel)."""
        return self.order_actions.actions_for(orders)

    def _menu(self, view: QTableView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        if index.isValid() and not view.selectionModel().isRowSelected(index.row()):
            view.selectRow(index.row())
        orders = self._selected_orders(view)
        if not orders:
            return
        menu = QMenu(self)
        menu.setObjectName("blotterMenu")
        for action in self.actions_for(orders):
            menu.addAction(action)
        menu.popup(view.viewport().mapToGlobal(pos))

    def _double_clicked(self, view: QTableView, index: QModelIndex) -> None:
        if not index.isValid():
            return
        order = self.order_at(view, index.row())
        if self.can_amend(order):
            self.open_amend(order)
        else:
            self._say(f"{order.status.value}: this order cannot be amended now")

    def _cancel_selected(self, view: QTableView) -> None:
        self.cancel_orders([o for o in self._selected_orders(view) if self.can_cancel(o)])

    def open_amend(self, order: Order) -> AmendDialog | None:
        """Open the amend dialog (``open()``, not ``exec()``); accepted → ``desk.replace``."""
        return self.order_actions.open_amend(order)

    def cancel_orders(self, orders: Iterable[Order]) -> None:
        self.order_actions.cancel_orders(orders)

    def ask_cancel_all(self) -> QMessageBox | None:
        """Ctrl+Shift+X / the button: confirm, then ``desk.cancel_all``."""
        return self.order_actions.ask_cancel_all()

    @property
    def dialog(self) -> QMessageBox | AmendDialog | None:
        """The confirmation or amend dialog while one is open."""
        return self.order_actions.dialog

    def busy(self) -> bool:
        """Whether any action started here is still running."""
        return self.order_actions.busy()

    def _say(self, text: str, *, error: bool = False) -> None:
        colours = STATUS_COLORS[Theme.DARK if is_dark_palette(self.palette()) else Theme.LIGHT]
        self.status_line.setStyleSheet(f"color: {colours.bad if error else colours.muted};")
        self.status_line.setText(text)
