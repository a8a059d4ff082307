"""The order-groups panel: our groups, their rolling 15-second gauges, and the kill switch.

One row per group we created (SPEC §11; trading-ui-anchors §4 idea 7): the group's id
(shortened; whole in the tooltip), sub-account, contracts limit, state, and a gauge of the
contracts its orders filled in the rolling 15-second window against that limit — a bar that
is green, amber above 80 % and red once the group is triggered (or the total exceeds the
limit, which makes the exchange trigger it). The window moves with the clock, so a QTimer
re-reads the gauges once a second while the panel is shown.

Actions act on the selected group: **Create…** asks for the limit; **Reset** clears the
triggered state and the rolling count; **Trigger…** is the kill switch — the exchange
cancels every order in the group and refuses new ones until it is reset; **Delete…** cancels
its orders and removes it. Trigger and Delete ask for confirmation first (a dialog opened
with ``open()``, never ``exec()``: a nested event loop would re-enter qasync's tasks).

Actions never wait on the network here: each is handed to the runner (the bridge's ``run``)
as a coroutine factory under a fixed action name; every button is disabled from the click
until the coroutine ends, so a double click sends once. A refusal is shown under the table
(and re-raised, so the runner reports it too). A listen-only desk monitor disables every
action and says why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QHideEvent, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.fix.messages.order_groups import MAX_CONTRACTS_LIMIT
from workstation.trading.changes import Change, GroupRequestRefused
from workstation.trading.groups import WINDOW_SECONDS, GroupState, OrderGroup, OrderGroups
from workstation.ui.format import quantity_text
from workstation.ui.models.groups_model import (
    GAUGE_COLOR_ROLE,
    GAUGE_FRACTION_ROLE,
    GroupsModel,
    short_group_id,
)
from workstation.ui.models.orders_model import sub_account_text
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = [
    "ACTION_CREATE",
    "ACTION_DELETE",
    "ACTION_RESET",
    "ACTION_TRIGGER",
    "ActionRunner",
    "GaugeDelegate",
    "GroupActions",
    "OrderGroupsPanel",
]

#: Action names handed to the runner.
ACTION_CREATE = "Create order group"
ACTION_RESET = "Reset order group"
ACTION_TRIGGER = "Trigger order group"
ACTION_DELETE = "Delete order group"

ActionFactory = Callable[[], Coroutine[Any, Any, Any]]
#: ``run(action_name, coroutine_factory)``: starts it (the bridge's ``run``); None if refused.
ActionRunner = Callable[[str, ActionFactory], "asyncio.Future[Any] | None"]

TICK_MS = 1000
DEFAULT_LIMIT = 100
_GAUGE_TEXT_SAMPLE = "0,000 / 0,000"
_TRACK_ALPHA = 55  #: of 255: the empty part of a gauge, in the gauge's own colour
AnyIndex = QModelIndex | QPersistentModelIndex


class GroupActions(Protocol):
    """What the panel needs from the Desk (``workstation.client.desk.Desk`` satisfies it)."""

    @property
    def listen_only(self) -> bool: ...
    @property
    def groups(self) -> OrderGroups: ...
    async def create_group(self, limit: int) -> None: ...
    async def reset_group(self, group_id: str) -> None: ...
    async def trigger_group(self, group_id: str) -> None: ...
    async def delete_group(self, group_id: str) -> None: ...


class GaugeDelegate(QStyledItemDelegate):
    """Paints the gauge cell: a bar filled to the share of the limit used, in the level's
    colour (model roles ``GAUGE_FRACTION_ROLE`` and ``GAUGE_COLOR_ROLE``), and the figures
    (``37 / 50``) to its right."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        fraction = index.data(GAUGE_FRACTION_ROLE)
        colour = index.data(GAUGE_COLOR_ROLE)
        if not isinstance(colour, QColor):
            return
        rect = QRectF(option.rect).adjusted(6, 5, -6, -5)
        metrics = option.fontMetrics
        # A text area as wide for every row (the usual figures), so the bars line up.
        text_width = (
            max(metrics.horizontalAdvance(_GAUGE_TEXT_SAMPLE), metrics.horizontalAdvance(text)) + 10
        )
        bar = QRectF(rect)
        bar.setWidth(max(24.0, rect.width() - text_width))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        track = QColor(colour)
        track.setAlpha(_TRACK_ALPHA)
        if isinstance(fraction, float):  # None: no bar (deleted, or no limit known)
            painter.setBrush(track)
            painter.drawRoundedRect(bar, 3, 3)
        if isinstance(fraction, float) and fraction > 0:
            filled = QRectF(bar)
            filled.setWidth(max(3.0, bar.width() * min(fraction, 1.0)))
            painter.setBrush(colour)
            painter.drawRoundedRect(filled, 3, 3)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = opt.palette.ColorRole.HighlightedText if selected else opt.palette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        text_rect = QRectF(
            bar.right() + 4, rect.top(), rect.right() - bar.right() - 4, rect.height()
        )
        painter.drawText(
            text_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QSize(max(hint.width() + 120, 200), hint.height())


class OrderGroupsPanel(QWidget):
    """See the module docstring. Feed it with :meth:`apply`.

    Attributes:
        model: the groups model; table: its view (object name ``orderGroupsTable``).
        create_button, reset_button, trigger_button, delete_button: the actions.
        counts: "3 groups · 1 triggered"; status: the last action or refusal;
        listen_only_note: shown on a listen-only desk monitor.
        timer: re-reads the gauges every second while the panel is shown.
        dialog: the confirmation or limit dialog open now, if any.
    """

    def __init__(
        self,
        actions: GroupActions,
        run: ActionRunner,
        *,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orderGroups")
        self._actions = actions
        self._run = run
        self._clock = clock
        self._busy: str | None = None
        self.dialog: QInputDialog | QMessageBox | None = None
        self._on_confirm: Callable[[], object] | None = None  #: what the open question does
        self.model = GroupsModel(self)
        self._theme = Theme.DARK if self.model.dark else Theme.LIGHT  # until set_theme
        self._build()
        self._connect()
        self._style_buttons()
        self.model.load(actions.groups)
        self.tick()
        self._refresh()

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.create_button = QPushButton("Create…", self)
        self.create_button.setObjectName("createGroupButton")
        self.create_button.setToolTip(
            f"Create an order group: choose how many contracts its orders may fill in any "
            f"{WINDOW_SECONDS:g} seconds"
        )
        self.reset_button = QPushButton("Reset", self)
        self.reset_button.setObjectName("resetGroupButton")
        self.reset_button.setToolTip(
            "Reset the selected group: clear its triggered state and its rolling count, so its "
            "orders are accepted again"
        )
        self.trigger_button = QPushButton("Trigger…", self)
        self.trigger_button.setObjectName("triggerGroupButton")
        self.trigger_button.setToolTip(
            "Kill switch: the exchange cancels every order in the selected group and refuses "
            "new ones until it is reset (asks first)"
        )
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.setObjectName("deleteGroupButton")
        self.delete_button.setToolTip(
            "Delete the selected group: its resting orders are cancelled (asks first)"
        )
        self.counts = QLabel(self)
        self.counts.setObjectName("groupCounts")

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.create_button,
            self.reset_button,
            self.trigger_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.counts)

        self.listen_only_note = QLabel(
            "Listen-only desk monitor: order-group actions are disabled", self
        )
        self.listen_only_note.setObjectName("groupsListenOnly")
        self.listen_only_note.hide()

        self.table = QTableView(self)
        self.table.setObjectName("orderGroupsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        self.gauge_delegate = GaugeDelegate(self.table)
        gauge = self.model.column_index("gauge")
        self.table.setItemDelegateForColumn(gauge, self.gauge_delegate)
        metrics = self.table.fontMetrics()
        for name, sample in (
            ("group", "770e8400…0002"),
            ("sub_account", "Sub-account"),
            ("limit", "1,000,000"),
            ("state", "Triggered"),
            ("created", "10:30:05.123"),
        ):
            header.resizeSection(
                self.model.column_index(name), metrics.horizontalAdvance(sample) + 22
            )
        header.resizeSection(gauge, 260)

        self.status = QLabel(self)
        self.status.setObjectName("groupStatus")
        self.status.setWordWrap(True)
        self.status.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.listen_only_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

        self.timer = QTimer(self)
        self.timer.setObjectName("groupGaugeTimer")
        self.timer.setInterval(TICK_MS)

    def _connect(self) -> None:
        self.create_button.clicked.connect(self.ask_create)
        self.reset_button.clicked.connect(self.reset_selected)
        self.trigger_button.clicked.connect(self.ask_trigger)
        self.delete_button.clicked.connect(self.ask_delete)
        self.timer.timeout.connect(self.tick)
        self.table.selectionModel().selectionChanged.connect(self._refresh)
        self.model.modelReset.connect(self._refresh)

    # -- feeding -------------------------------------------------------------------------

    def apply(self, changes: Sequence[Change]) -> None:
        """One batch of domain changes: ``GroupChanged`` rows (a fill moves the gauge at
        once, not at the next tick) and ``GroupRequestRefused`` shown as the status."""
        touched = self.model.apply(changes)
        refusals = [c for c in changes if isinstance(c, GroupRequestRefused)]
        if refusals:
            last = refusals[-1]
            which = "" if last.group_id is None else f" for {short_group_id(last.group_id)}"
            self._show(f"{last.action} refused{which}: {last.text}", error=True)
        if touched:
            self.tick()
            self._refresh()

    def load(self, groups: Iterable[OrderGroup]) -> None:
        self.model.load(groups)
        self.tick()
        self._refresh()

    def tick(self) -> None:
        """Re-read every live group's gauge at the clock's now (the timer calls this)."""
        self.model.tick(self._actions.groups, self._clock())

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.model.set_dark(theme is Theme.DARK)
        self._style_buttons()
        self._show(self.status.text(), error=bool(self.status.property("error")))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.tick()
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt's name)
        self.timer.stop()
        super().hideEvent(event)

    # -- selection -----------------------------------------------------------------------

    def selected_group(self) -> OrderGroup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def select_group(self, group_id: str) -> None:
        row = self.model.row_of(group_id)
        if row is not None:
            self.table.selectRow(row)

    # -- actions -------------------------------------------------------------------------

    @property
    def busy(self) -> str | None:
        """The action running now, if any (every button is disabled meanwhile)."""
        return self._busy

    def ask_create(self) -> None:
        """Ask for the limit; create the group when the trader confirms it."""
        if not self._can_act():
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("createGroupDialog")
        dialog.setWindowTitle("Create order group")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(1, MAX_CONTRACTS_LIMIT)
        dialog.setIntStep(10)
        dialog.setIntValue(DEFAULT_LIMIT)
        dialog.setLabelText(
            f"Contracts the group's orders may fill in any {WINDOW_SECONDS:g} seconds "
            f"(1 – {MAX_CONTRACTS_LIMIT:,}).\nAbove that the exchange cancels them all."
        )
        dialog.setOkButtonText("Create")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.intValueSelected.connect(self.create_group)
        self._open(dialog)

    def create_group(self, limit: int) -> bool:
        """Create a group with ``limit`` (no question asked); False if nothing was started."""
        actions = self._actions
        return self._start(
            ACTION_CREATE,
            lambda: actions.create_group(limit),
            f"Create sent (limit {limit:,}); the group appears when the exchange confirms it",
        )

    def reset_selected(self) -> bool:
        group = self.selected_group()
        if group is None or group.state is GroupState.DELETED:
            return False
        gid, actions = group.group_id, self._actions
        return self._start(
            ACTION_RESET,
            lambda: actions.reset_group(gid),
            f"Reset sent for {short_group_id(gid)}",
        )

    def ask_trigger(self) -> None:
        group = self.selected_group()
        if group is None or group.state is not GroupState.ACTIVE or not self._can_act():
            return
        gid, actions = group.group_id, self._actions
        self._confirm(
            "Trigger",
            group,
            "The exchange cancels every resting order in this group and refuses new ones "
            "until you reset it.",
            lambda: self._start(
                ACTION_TRIGGER,
                lambda: actions.trigger_group(gid),
                f"Trigger sent for {short_group_id(gid)}",
            ),
        )

    def ask_delete(self) -> None:
        group = self.selected_group()
        if group is None or group.state is GroupState.DELETED or not self._can_act():
            return
        gid, actions = group.group_id, self._actions
        self._confirm(
            "Delete",
            group,
            "The exchange cancels the group's resting orders and removes it; orders can no "
            "longer join it.",
            lambda: self._start(
                ACTION_DELETE,
                lambda: actions.delete_group(gid),
                f"Delete sent for {short_group_id(gid)}",
            ),
        )

    def _confirm(
        self, verb: str, group: OrderGroup, consequence: str, go: Callable[[], object]
    ) -> None:
        box = QMessageBox(self)
        box.setObjectName("groupConfirmation")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(f"{verb} order group")
        box.setText(f"{verb} order group {short_group_id(group.group_id)}?")
        box.setInformativeText(
            f"{self._group_summary(group)}\n\n{consequence}\n\nOrderGroupID {group.group_id}"
        )
        # Wide enough for the whole UUID on one line (QLabel would break it at a hyphen).
        box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 30em; }")
        confirm = box.addButton(verb, QMessageBox.ButtonRole.AcceptRole)
        confirm.setObjectName("confirmButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._on_confirm = go
        box.buttonClicked.connect(self._confirmation_clicked)
        self._open(box)

    # The dialogs' signals go to methods of the panel, never to lambdas: PySide6 6.12
    # crashed (SIGSEGV in ~QObject) deleting a WA_DeleteOnClose QMessageBox of a shown panel
    # whose signal fed a lambda holding the panel. test_screenshot_of_the_kill_switch_question
    # goes down that path.

    def _group_summary(self, group: OrderGroup) -> str:
        """``Sub-account Primary · limit 100 · 92 filled in the last 15 s``."""
        parts = [f"Sub-account {sub_account_text(group.sub_account)}"]
        if group.contracts_limit is not None:
            parts.append(f"limit {group.contracts_limit:,}")
        gauge = self.model.gauge_of(group.group_id)
        if gauge is not None:
            parts.append(f"{quantity_text(gauge.filled)} filled in the last {WINDOW_SECONDS:g} s")
        return " · ".join(parts)

    def _confirmation_clicked(self, button: QAbstractButton) -> None:
        go, self._on_confirm = self._on_confirm, None
        if go is not None and button.objectName() == "confirmButton":
            go()

    def _open(self, dialog: QInputDialog | QMessageBox) -> None:
        # open(), never exec(): a nested event loop inside qasync re-enters running tasks.
        self.dialog = dialog
        dialog.finished.connect(self._dialog_finished)
        dialog.open()

    def _dialog_finished(self, _result: int) -> None:
        self.dialog = None
        self._on_confirm = None

    def _can_act(self) -> bool:
        return not self._actions.listen_only and self._busy is None

    def _start(self, action: str, factory: ActionFactory, sent: str) -> bool:
        """Hand ``factory`` to the runner as ``action``; every button is disabled until it
        ends. A refusal is shown in the status line (and re-raised for the runner)."""
        if not self._can_act():
            return False

        async def guarded() -> Any:
            try:
                result = await factory()
            except Exception as exc:
                if shiboken6.isValid(self):
                    self._show(f"{action}: {exc}", error=True)
                raise
            if shiboken6.isValid(self):
                self._show(sent)
            return result

        self._busy = action
        self._refresh()
        future = self._run(action, guarded)
        if future is None:  # the runner has that action running already
            self._finished()
            return False
        future.add_done_callback(lambda _f: self._finished())
        return True

    def _finished(self) -> None:
        if shiboken6.isValid(self):
            self._busy = None
            self._refresh()

    # -- showing -------------------------------------------------------------------------

    def _show(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)
        colours = STATUS_COLORS[self._theme]
        self.status.setStyleSheet(f"color: {colours.bad};" if error else "")
        self.status.setVisible(bool(text))

    def _style_buttons(self) -> None:
        bad = STATUS_COLORS[self._theme].bad
        self.trigger_button.setStyleSheet(
            f"QPushButton:enabled {{ color: {bad}; border-color: {bad}; font-weight: bold; }}"
        )

    def _refresh(self, *_args: object) -> None:
        """Enable what may be done now; update the counts."""
        listen_only = self._actions.listen_only
        self.listen_only_note.setVisible(listen_only)
        free = not listen_only and self._busy is None
        group = self.selected_group()
        live = group is not None and group.state is not GroupState.DELETED
        self.create_button.setEnabled(free)
        self.reset_button.setEnabled(free and live)
        self.trigger_button.setEnabled(
            free and group is not None and group.state is GroupState.ACTIVE
        )
        self.delete_button.setEnabled(free and live)
        groups = self.model.records()
        live_count = sum(1 for g in groups if g.state is not GroupState.DELETED)
        triggered = sum(1 for g in groups if g.state is GroupState.TRIGGERED)
        text = f"{live_count:,} group{'s' if live_count != 1 else ''}"
        if triggered:
            text += f" · {triggered:,} triggered"
        self.counts.setText(text)
