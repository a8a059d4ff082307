"""The order ticket: a keyboard-first, fee-aware binary order entry panel.

The trader picks a market (search by ticker or title, grouped by event, or type any ticker),
one of Buy YES / Buy NO / Sell YES / Sell NO (keys 1–4), a price in that contract's terms
(cents, or dollars with four places on a session that uses 21005) and a quantity. The
ticket shows, as it is filled in, the order Kalshi will actually get ("Buy 10 NO at 30¢ =
Sell 10 YES at 70¢"), its cost, fee, max loss, max payout, break-even and the available
balance (last poll, adjusted by fills since) — all from ``trading.ticket``.

Sending (Enter, or the button): fields are checked first (``check_ticket``; problems are
shown in red under their field and nothing is sent); then ``desk.submit_now`` sends inside
the click (or key) handler, so the NewOrderSingle's bytes reach the transport before the
event loop turns again (nothing a coroutine would wait behind: a repaint, a batch of
reports). The second press of a double click does not press the button, so a double click
is one NewOrderSingle. A risk threshold (``NeedsConfirmation``) opens a confirmation dialog
with ``open()`` (never ``exec()`` inside a coroutine); while it is open the ticket is busy
(the button disabled, Enter ignored) and it sends again with ``confirmed=True`` only if the
trader says so; a refusal (``ActionRefused``) is shown with its reason. Esc clears the
ticket. A listen-only desk shows why and disables every control.

The parts live beside it: reading the fields (:mod:`.ticket_fields`), the market picker
(:mod:`.ticket_markets`), the "If it fills" box (:mod:`.ticket_figures`) and the colours
(:mod:`.ticket_style`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from PySide6.QtCore import QDateTime, QEvent, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QFont, QKeySequence, QMouseEvent, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workstation.client.desk import ActionRefused, NeedsConfirmation
from workstation.client.market_data import MarketRow, MarketSnapshot
from workstation.fix.messages.enums import SelfTradePrevention, TimeInForce
from workstation.trading.changes import Change, FillAdded, GroupChanged, PositionChanged
from workstation.trading.groups import GroupState, OrderGroups
from workstation.trading.order import Order
from workstation.trading.positions import Positions
from workstation.trading.ticket import (
    CENT_TICK,
    SUBPENNY_TICK,
    Intent,
    Ticket,
    check_ticket,
    order_terms,
)
from workstation.ui.format import et_time_text, et_with_local_text, price_text, quantity_text
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.panels.ticket_fields import (
    HAS_CANCEL_ON_PAUSE,
    INTENT_KEYS,
    INTENT_NAMES,
    STP_CHOICES,
    TIF_CHOICES,
    Problems,
    SteppingEdit,
    field_of,
    parse_price,
    parse_quantity,
    price_field_text,
)
from workstation.ui.panels.ticket_figures import FiguresBox, available_balance, position_text
from workstation.ui.panels.ticket_markets import (
    TICKER_ROLE,
    MarketCompleter,
    fill_market_models,
    quote_line,
)
from workstation.ui.panels.ticket_style import (
    Tones,
    intent_button_sheet,
    notice_sheet,
    submit_sheet,
)
from workstation.ui.theme import Theme
from workstation.ui.timefmt import EASTERN

__all__ = ["INTENT_KEYS", "OrderTicket", "TicketDesk"]

_log = logging.getLogger(__name__)
_ONE = Decimal(1)


class TicketDesk(Protocol):
    """What the ticket needs from the Desk (``workstation.client.desk.Desk`` satisfies it)."""

    @property
    def listen_only(self) -> bool: ...
    @property
    def market(self) -> MarketSnapshot | None: ...
    @property
    def groups(self) -> OrderGroups: ...
    @property
    def positions(self) -> Positions: ...
    def submit_now(self, ticket: Ticket, *, confirmed: bool = False) -> Order: ...


class _SubmitButton(QPushButton):
    """The send button: the second press of a double click does not press it again."""

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        event.accept()


class OrderTicket(QWidget):
    """See the module docstring. Emits ``submitted(order, intent)`` for each order sent."""

    submitted = QtSignal(object, object)  #: (trading.order.Order, Intent)

    def __init__(
        self,
        desk: TicketDesk,
        *,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orderTicket")
        self._desk = desk
        self._clock = clock
        self._subpenny = False
        self._in_flight = False
        self._attempted = False  # a submit was tried: show "required" errors too
        self._confirm: QMessageBox | None = None
        self._market_keys: tuple[tuple[str, str], ...] = ()
        self._snapshot: MarketSnapshot | None = None
        self._dark = is_dark_palette()
        self._tones = Tones(self._dark)
        self._submit_sheet = ""
        self._build()
        self._wire()
        self.set_market(desk.market)
        self.refresh_groups()
        self._apply_listen_only()
        self._update()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(6)

        self.disabled_reason = QLabel()
        self.disabled_reason.setObjectName("ticketDisabledReason")
        self.disabled_reason.setWordWrap(True)
        self.disabled_reason.hide()
        outer.addWidget(self.disabled_reason)

        self.form = QWidget()
        self.form.setObjectName("ticketForm")
        form = QVBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(4)
        outer.addWidget(self.form)

        # Market
        form.addWidget(self._caption("Market"))
        self.market_combo = QComboBox()
        self.market_combo.setObjectName("ticketMarket")
        self.market_combo.setEditable(True)
        self.market_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.market_combo.setMaxVisibleItems(20)
        self.market_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.market_combo.setMinimumContentsLength(18)
        line = self.market_combo.lineEdit()
        assert line is not None
        line.setPlaceholderText("Ticker or words of the title…")
        self.market_combo.setToolTip(
            "Type a ticker or part of a market's title; any ticker can be typed in"
        )
        self._market_model = QStandardItemModel(self)
        self.market_combo.setModel(self._market_model)
        self._completer_model = QStandardItemModel(self)
        self._completer = MarketCompleter(self._completer_model, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self._completer.setMaxVisibleItems(12)
        self.market_combo.setCompleter(self._completer)
        form.addWidget(self.market_combo)
        self.market_info = QLabel()
        self.market_info.setObjectName("ticketMarketInfo")
        self.market_info.setWordWrap(True)
        form.addWidget(self.market_info)
        self.market_error = self._error_label("ticketMarketError")
        form.addWidget(self.market_error)

        # Side: four checkable buttons, keys 1-4
        self.side_box = QWidget()
        self.side_box.setObjectName("ticketSide")
        side_layout = QGridLayout(self.side_box)
        side_layout.setContentsMargins(0, 4, 0, 4)
        side_layout.setSpacing(4)
        self.side_group = QButtonGroup(self)
        self.side_group.setExclusive(True)
        self.intent_buttons: dict[Intent, QPushButton] = {}
        for i, intent in enumerate(INTENT_KEYS):
            button = QPushButton(f"{intent.value}  [{i + 1}]")
            button.setObjectName(INTENT_NAMES[intent])
            button.setCheckable(True)
            button.setMinimumHeight(30)
            button.setToolTip(
                f"{intent.value} (key {i + 1}): "
                + order_terms(intent, Decimal("0.30")).words.replace("30¢", "p")
            )
            self.side_group.addButton(button, i)
            self.intent_buttons[intent] = button
            side_layout.addWidget(button, i // 2, i % 2)
        self.intent_buttons[Intent.BUY_YES].setChecked(True)
        form.addWidget(self.side_box)

        # Price and quantity
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        self.price_caption = self._caption("Price (¢)")
        grid.addWidget(self.price_caption, 0, 0)
        grid.addWidget(self._caption("Quantity"), 0, 1)
        self.price_edit = SteppingEdit(self._step_price)
        self.price_edit.setObjectName("ticketPrice")
        self.price_edit.setPlaceholderText("1–99")
        self.price_edit.setToolTip(
            "Price of the contract you named (YES or NO), in cents. Up/Down: one tick"
        )
        self.price_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.qty_edit = SteppingEdit(self._step_quantity)
        self.qty_edit.setObjectName("ticketQuantity")
        self.qty_edit.setPlaceholderText("contracts")
        self.qty_edit.setToolTip("Number of contracts. Up/Down: ±1, PageUp/PageDown: ±10")
        self.qty_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.price_edit, 1, 0)
        grid.addWidget(self.qty_edit, 1, 1)
        self.price_error = self._error_label("ticketPriceError")
        self.qty_error = self._error_label("ticketQuantityError")
        grid.addWidget(self.price_error, 2, 0)
        grid.addWidget(self.qty_error, 2, 1)
        form.addLayout(grid)

        # Time in force and expiry
        options = QFormLayout()
        options.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        options.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        options.setVerticalSpacing(4)
        self.tif_combo = QComboBox()
        self.tif_combo.setObjectName("ticketTimeInForce")
        # Item data would turn the StrEnum into a plain str: map by index instead.
        for text, _tif, tip in TIF_CHOICES:
            self.tif_combo.addItem(text)
            self.tif_combo.setItemData(self.tif_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.tif_combo.setToolTip("Time in force")
        options.addRow("Time in force", self.tif_combo)
        self.expiry_edit = QDateTimeEdit()
        self.expiry_edit.setObjectName("ticketExpiry")
        self.expiry_edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss 'ET'")
        self.expiry_edit.setCalendarPopup(True)
        self.expiry_edit.setToolTip("Good-till-date expiry, in Eastern Time (the exchange's)")
        self.expiry_row_label = QLabel("Expires (ET)")
        options.addRow(self.expiry_row_label, self.expiry_edit)
        form.addLayout(options)
        self.expiry_info = QLabel()
        self.expiry_info.setObjectName("ticketExpiryInfo")
        self.expiry_info.setWordWrap(True)
        form.addWidget(self.expiry_info)
        self.expiry_error = self._error_label("ticketExpiryError")
        form.addWidget(self.expiry_error)

        # Order options
        more = QFormLayout()
        more.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        more.setVerticalSpacing(4)
        flags = QHBoxLayout()
        self.post_only = QCheckBox("Post-only")
        self.post_only.setObjectName("ticketPostOnly")
        self.post_only.setToolTip(
            "Must rest on the book as a maker; not placed if it would trade at once"
        )
        self.cancel_on_pause = QCheckBox("Cancel on pause")
        self.cancel_on_pause.setObjectName("ticketCancelOnPause")
        if HAS_CANCEL_ON_PAUSE:
            self.cancel_on_pause.setToolTip(
                "Cancel this order if trading pauses while it is open (CancelOrderOnPause)"
            )
        else:
            self.cancel_on_pause.setEnabled(False)
            self.cancel_on_pause.setToolTip(
                "Not available yet: the trading layer's Ticket has no CancelOrderOnPause field"
            )
        flags.addWidget(self.post_only)
        flags.addWidget(self.cancel_on_pause)
        flags.addStretch(1)
        more.addRow(flags)
        self.stp_combo = QComboBox()
        self.stp_combo.setObjectName("ticketSelfTrade")
        for text, _stp in STP_CHOICES:
            self.stp_combo.addItem(text)
        self.stp_combo.setToolTip(
            "Self-trade prevention: what happens if this order would trade with your own"
        )
        more.addRow("Self-trade", self.stp_combo)
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("ticketOrderGroup")
        self.group_combo.setToolTip(
            "Order group: the exchange cancels the group's orders when its fills in 15 s "
            "pass its limit"
        )
        more.addRow("Order group", self.group_combo)
        self.sub_account = QSpinBox()
        self.sub_account.setObjectName("ticketSubAccount")
        self.sub_account.setRange(0, 63)
        self.sub_account.setSpecialValueText("Primary")
        self.sub_account.setToolTip("Sub-account number (AllocAccount); 0 is the primary account")
        more.addRow("Sub-account", self.sub_account)
        form.addLayout(more)
        self.general_error = self._error_label("ticketError")
        form.addWidget(self.general_error)

        # Figures
        self.figures_box = FiguresBox(self._tones)
        self.figure_labels = self.figures_box.labels
        self.equivalent = self.figures_box.equivalent
        self.balance_warning = self.figures_box.balance_warning
        outer.addWidget(self.figures_box)

        self.submit_button = _SubmitButton("Submit")
        self.submit_button.setObjectName("ticketSubmit")
        self.submit_button.setMinimumHeight(34)
        self.submit_button.setToolTip("Send the order (Enter). Esc clears the ticket")
        outer.addWidget(self.submit_button)
        self.outcome = QLabel()
        self.outcome.setObjectName("ticketOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        outer.addWidget(self.outcome)
        outer.addStretch(1)
        self._restyle()
        self._reset_expiry()

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
        return label

    def _error_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.hide()
        return label

    def _wire(self) -> None:
        self.market_combo.editTextChanged.connect(self._on_edit)
        self.market_combo.activated.connect(self._on_market_chosen)
        self.side_group.idToggled.connect(self._on_intent_toggled)
        self.price_edit.textEdited.connect(self._on_edit)
        self.qty_edit.textEdited.connect(self._on_edit)
        self.tif_combo.currentIndexChanged.connect(self._on_tif_changed)
        self.expiry_edit.dateTimeChanged.connect(self._on_edit)
        for box in (self.post_only, self.cancel_on_pause):
            box.toggled.connect(self._on_edit)
        for combo in (self.stp_combo, self.group_combo):
            combo.currentIndexChanged.connect(self._on_edit)
        self.sub_account.valueChanged.connect(self._on_edit)
        self.submit_button.clicked.connect(self.submit)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for i, intent in enumerate(INTENT_KEYS):
            for keys in (str(i + 1), f"Ctrl+{i + 1}"):
                shortcut = QShortcut(QKeySequence(keys), self)
                shortcut.setContext(context)
                shortcut.activated.connect(lambda chosen=intent: self.set_intent(chosen))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self)
            enter.setContext(context)
            enter.activated.connect(self.submit)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(context)
        escape.activated.connect(self.clear)

    # ------------------------------------------------------------------ theme

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            dark = is_dark_palette(self.palette())
            if dark != self._dark:
                self._dark = dark
                self._restyle()
                self._update()
        super().changeEvent(event)

    def set_theme(self, theme: Theme) -> None:
        """Use ``theme``'s colours for messages and side buttons."""
        self._dark = theme is Theme.DARK
        self._restyle()
        self._update()

    def _restyle(self) -> None:
        self._tones.set_dark(self._dark, self._toned_labels())
        for intent, button in self.intent_buttons.items():
            button.setStyleSheet(intent_button_sheet(intent, self._dark))
        self.disabled_reason.setStyleSheet(notice_sheet(self._dark))

    def _toned_labels(self) -> tuple[QLabel, ...]:
        return (
            self.market_error,
            self.price_error,
            self.qty_error,
            self.expiry_error,
            self.general_error,
            self.market_info,
            self.expiry_info,
            self.balance_warning,
            self.outcome,
        )

    def _tone(self, label: QLabel, tone: str) -> None:
        self._tones.apply(label, tone)

    # ------------------------------------------------------------------ public API

    @property
    def in_flight(self) -> bool:
        """Whether a submit waits for the trader's confirmation (the button is disabled)."""
        return self._in_flight

    @property
    def subpenny(self) -> bool:
        return self._subpenny

    def set_subpenny(self, on: bool) -> None:
        """Prices in dollars with four places (the order session logged on with 21005=Y)."""
        if on == self._subpenny:
            return
        price = self._parse_price()[0]
        self._subpenny = on
        self.price_caption.setText("Price ($)" if on else "Price (¢)")
        self.price_edit.setPlaceholderText("0.0001–0.9999" if on else "1–99")
        self.price_edit.setToolTip(
            "Price of the contract you named (YES or NO), in dollars. Up/Down: one tick"
            if on
            else "Price of the contract you named (YES or NO), in cents. Up/Down: one tick"
        )
        if price is not None:
            self._set_price(price)
        self._update()

    def intent(self) -> Intent:
        checked = self.side_group.checkedId()
        return INTENT_KEYS[checked if checked >= 0 else 0]

    def set_intent(self, intent: Intent) -> None:
        if self.intent_buttons[intent].isEnabled():
            self.intent_buttons[intent].setChecked(True)

    def symbol(self) -> str:
        return self.market_combo.currentText().strip().upper()

    def set_symbol(self, ticker: str) -> None:
        """Choose a market (the blotter or a market list can call this)."""
        self.market_combo.setEditText(ticker)
        self._update()

    def set_price(self, price: Decimal) -> None:
        """Fill the price field (dollars, in the chosen contract's terms)."""
        self._set_price(price)
        self._update()

    def set_quantity(self, quantity: Decimal) -> None:
        self.qty_edit.setText(quantity_text(quantity).replace(",", ""))
        self._update()

    def set_market(self, snapshot: MarketSnapshot | None) -> None:
        """A new market poll: market list (rebuilt only if it changed), quotes, balance."""
        self._snapshot = snapshot
        keys: tuple[tuple[str, str], ...] = ()
        if snapshot is not None:
            keys = tuple((m.event_ticker, m.ticker) for m in snapshot.markets.values())
        if keys != self._market_keys:
            self._market_keys = keys
            self._fill_markets(snapshot)
        self._update()

    def apply_changes(self, changes: Iterable[Change]) -> None:
        """Domain changes of one batch: groups refresh the group list; fills the balance,
        and positions in the chosen market the position line. Costs O(batch): a burst of
        fills re-reads neither the fields nor every fill."""
        refresh_groups = False
        balance = False
        position = False
        symbol = self.symbol()
        for change in changes:
            if isinstance(change, GroupChanged):
                refresh_groups = True
            elif isinstance(change, FillAdded):
                balance = True
            elif isinstance(change, PositionChanged) and change.position.symbol == symbol:
                position = True
        if refresh_groups:
            self.refresh_groups()
            self._update()
            return
        if position:
            self.figures_box.show_position(position_text(self._desk.positions, symbol))
        if balance:
            self._show_balance()

    def refresh_groups(self) -> None:
        """Re-read the order groups (keeps the chosen one if it still exists)."""
        chosen = self.group_combo.currentData()
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem("None", None)
        model = self.group_combo.model()
        assert isinstance(model, QStandardItemModel)
        for group in sorted(self._desk.groups, key=lambda g: g.created_at):
            if group.state is GroupState.DELETED:
                continue
            limit = "limit ?" if group.contracts_limit is None else f"limit {group.contracts_limit}"
            text = f"{group.group_id[:8]}… ({limit})"
            if group.state is GroupState.TRIGGERED:
                text += " — triggered"
            self.group_combo.addItem(text, group.group_id)
            index = self.group_combo.count() - 1
            self.group_combo.setItemData(
                index, f"{group.group_id}\n{group.note}".strip(), Qt.ItemDataRole.ToolTipRole
            )
            if group.state is GroupState.TRIGGERED:
                item = model.item(index)
                item.setEnabled(False)
        found = self.group_combo.findData(chosen)
        self.group_combo.setCurrentIndex(max(found, 0))
        self.group_combo.blockSignals(False)

    def build_ticket(self) -> Ticket | None:
        """The ticket the fields describe, or None while a field cannot be read."""
        return self._read()[0]

    def clear(self) -> None:
        """Esc: empty price and quantity, back to GTC and no options; keep the market."""
        if self._in_flight:
            return
        self.price_edit.clear()
        self.qty_edit.clear()
        self.tif_combo.setCurrentIndex(0)
        self.post_only.setChecked(False)
        self.cancel_on_pause.setChecked(False)
        self.stp_combo.setCurrentIndex(0)
        self._attempted = False
        self._reset_expiry()
        self.outcome.clear()
        self._update()

    def submit(self) -> None:
        """Check the fields and send (Enter, or the button). Does nothing while a
        confirmation is open."""
        if self._in_flight or self._desk.listen_only:
            return
        self._attempted = True
        ticket, problems = self._read()
        if ticket is None or problems.errors:
            self._show_problems(problems)
            self._set_outcome("Not sent: correct the fields marked in red", error=True)
            return
        self._send(ticket, confirmed=False)  # first: nothing below is on the way to the wire
        self._show_problems(problems)  # the warnings

    # ------------------------------------------------------------------ sending

    def _send(self, ticket: Ticket, *, confirmed: bool) -> None:
        """Send now (the bytes reach the transport before this returns), then say how it
        went; a risk threshold asks the trader first."""
        try:
            order = self._desk.submit_now(ticket, confirmed=confirmed)
        except NeedsConfirmation as exc:
            self._set_in_flight(True)
            self._ask_confirmation(ticket, str(exc))
            return
        except ActionRefused as exc:
            self._set_outcome(f"Not sent: {exc}", error=True)
        except Exception as exc:
            _log.exception("submit failed")
            self._set_outcome(f"Not sent: {exc}", error=True)
        else:
            words = order_terms(ticket.intent, ticket.price, ticket.quantity).words
            self._set_outcome(
                f"Sent {et_time_text(self._clock())} ET: {words}\nClOrdID {order.cl_ord_id}",
                error=False,
                ok=True,
            )
            self._attempted = False
            self.submitted.emit(order, ticket.intent)
        if self._in_flight:  # confirmed, or not, after the dialog
            self._set_in_flight(False)

    def _ask_confirmation(self, ticket: Ticket, message: str) -> None:
        words = order_terms(ticket.intent, ticket.price, ticket.quantity).words
        box = QMessageBox(self)
        box.setObjectName("ticketConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Confirm order")
        box.setText(message)
        box.setInformativeText(f"{ticket.symbol}: {words}\n\nSend it?")
        send = box.addButton("Send order", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self._confirm = box

        def finished(_result: int) -> None:
            self._confirm = None
            box.deleteLater()
            if box.clickedButton() is send:
                self._send(ticket, confirmed=True)
            else:
                self._set_in_flight(False)
                self._set_outcome("Not sent: not confirmed", error=True)

        box.finished.connect(finished)
        self._set_outcome(f"Waiting for confirmation: {message}", error=False)
        box.open()

    @property
    def confirmation(self) -> QMessageBox | None:
        """The confirmation dialog while it is open."""
        return self._confirm

    def _set_in_flight(self, busy: bool) -> None:
        self._in_flight = busy
        self.submit_button.setEnabled(not busy and not self._desk.listen_only)
        self._update_submit_text()

    def _set_outcome(self, text: str, *, error: bool, ok: bool = False) -> None:
        self._tone(self.outcome, "bad" if error else "ok" if ok else "muted")
        self.outcome.setText(text)
        self.outcome.setProperty("error", error)

    # ------------------------------------------------------------------ reading the fields

    def _parse_price(self) -> tuple[Decimal | None, str]:
        return parse_price(self.price_edit.text(), subpenny=self._subpenny)

    def _parse_quantity(self) -> tuple[Decimal | None, str]:
        return parse_quantity(self.qty_edit.text())

    def _expiry_epoch(self) -> float:
        qdt = self.expiry_edit.dateTime()
        d, t = qdt.date(), qdt.time()
        wall = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second())
        return wall.replace(tzinfo=EASTERN).timestamp()

    def expiry_time(self) -> float | None:
        """The GTD expiry (epoch seconds) when GTD is chosen."""
        return self._expiry_epoch() if self._tif() is TimeInForce.GTD else None

    def set_expiry(self, epoch: float) -> None:
        et = datetime.fromtimestamp(epoch, EASTERN)
        self.expiry_edit.setDateTime(
            QDateTime(et.year, et.month, et.day, et.hour, et.minute, et.second)
        )

    def _reset_expiry(self) -> None:
        now = datetime.fromtimestamp(self._clock(), EASTERN)
        later = (now + timedelta(hours=1)).replace(second=0, microsecond=0)
        later += timedelta(minutes=(5 - later.minute % 5) % 5)
        self.expiry_edit.blockSignals(True)
        self.set_expiry(later.timestamp())
        self.expiry_edit.blockSignals(False)

    def _tif(self) -> TimeInForce:
        index = self.tif_combo.currentIndex()
        return TIF_CHOICES[index][1] if index >= 0 else TimeInForce.GTC

    def _stp(self) -> SelfTradePrevention | None:
        index = self.stp_combo.currentIndex()
        return STP_CHOICES[index][1] if index >= 0 else None

    def _read(self) -> tuple[Ticket | None, Problems]:
        problems = Problems()
        symbol = self.symbol()
        price, price_problem = self._parse_price()
        quantity, qty_problem = self._parse_quantity()
        if price_problem:
            problems.add("price", price_problem, required=price_problem.startswith("Enter"))
        if qty_problem:
            problems.add("quantity", qty_problem, required=qty_problem.startswith("Enter"))
        if price is None or quantity is None:
            if not symbol:
                problems.add("market", "Choose a market", required=True)
            return None, problems
        tif = self._tif()
        group = self.group_combo.currentData()
        alloc = self.sub_account.value()
        extra: dict[str, Any] = {}
        if HAS_CANCEL_ON_PAUSE:
            extra["cancel_order_on_pause"] = self.cancel_on_pause.isChecked()
        ticket = Ticket(
            symbol=symbol,
            intent=self.intent(),
            price=price,
            quantity=quantity,
            time_in_force=tif,
            expire_time=self._expiry_epoch() if tif is TimeInForce.GTD else None,
            post_only=self.post_only.isChecked(),
            self_trade_prevention=self._stp(),
            order_group_id=group if isinstance(group, str) else None,
            alloc_account=alloc or None,
            **extra,
        )
        check = check_ticket(ticket, now=self._clock(), subpenny=self._subpenny)
        for error in check.errors:
            field = field_of(error)
            problems.add(field, error, required=field == "market")
        for warning in check.warnings:
            problems.warn(field_of(warning), warning)
        return ticket, problems

    # ------------------------------------------------------------------ reacting

    def _on_edit(self, *_args: object) -> None:
        self._update()

    def _on_intent_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._update()

    def _on_tif_changed(self, _index: int) -> None:
        if self._tif() is TimeInForce.GTD and self._expiry_epoch() <= self._clock():
            self._reset_expiry()
        self._update()

    def _on_market_chosen(self, index: int) -> None:
        ticker = self.market_combo.itemData(index, TICKER_ROLE)
        if ticker:
            self.market_combo.setEditText(str(ticker))
        self._update()

    def _market_row(self) -> MarketRow | None:
        snapshot = self._snapshot
        return None if snapshot is None else snapshot.markets.get(self.symbol())

    def _fill_markets(self, snapshot: MarketSnapshot | None) -> None:
        text = self.market_combo.currentText()
        self.market_combo.blockSignals(True)
        fill_market_models(self._market_model, self._completer_model, snapshot)
        self.market_combo.setCurrentIndex(-1)
        self.market_combo.setEditText(text)
        self.market_combo.blockSignals(False)

    def _step_price(self, steps: int) -> None:
        price = self._parse_price()[0]
        row = self._market_row()
        tick = (
            SUBPENNY_TICK
            if self._subpenny and row is not None and row.tick < CENT_TICK
            else (CENT_TICK)
        )
        if price is None:
            price = Decimal("0.50")
            steps = 0
        low, high = tick, _ONE - tick
        self._set_price(min(max(price + steps * tick, low), high))
        self._update()

    def _set_price(self, price: Decimal) -> None:
        self.price_edit.setText(price_field_text(price, subpenny=self._subpenny))

    def _step_quantity(self, steps: int) -> None:
        quantity = self._parse_quantity()[0] or Decimal(0)
        self.set_quantity(max(quantity + steps, _ONE))

    # ------------------------------------------------------------------ showing

    def _apply_listen_only(self) -> None:
        listen = self._desk.listen_only
        self.form.setEnabled(not listen)
        self.submit_button.setEnabled(not listen and not self._in_flight)
        if listen:
            self.disabled_reason.setText(
                "Listen-only desk monitor: this session cannot send orders, so the ticket is "
                "disabled."
            )
            self.disabled_reason.show()
        else:
            self.disabled_reason.hide()

    def _update(self) -> None:
        ticket, problems = self._read()
        self._show_problems(problems)
        self._show_market()
        self._show_expiry()
        self._show_figures(ticket)
        self._update_submit_text()

    def _show_problems(self, problems: Problems) -> None:
        labels = {
            "market": self.market_error,
            "price": self.price_error,
            "quantity": self.qty_error,
            "expiry": self.expiry_error,
            "general": self.general_error,
        }
        for field, label in labels.items():
            errors = [
                text
                for text, required in problems.errors.get(field, [])
                if self._attempted or not required
            ]
            warnings = problems.warnings.get(field, [])
            if errors:
                self._tone(label, "bad")
                label.setText("\n".join(errors))
                label.setProperty("severity", "error")
                label.show()
            elif warnings:
                self._tone(label, "busy")
                label.setText("\n".join(warnings))
                label.setProperty("severity", "warning")
                label.show()
            else:
                label.clear()
                label.setProperty("severity", "")
                label.hide()

    def _show_market(self) -> None:
        symbol = self.symbol()
        row = self._market_row()
        if not symbol:
            self.market_info.setText("")
            self.market_info.hide()
            return
        self.market_info.show()
        if row is None:
            known = self._snapshot is not None and bool(self._snapshot.markets)
            self._tone(self.market_info, "busy" if known else "muted")
            self.market_info.setText(
                "Not in the last market poll: check the ticker" if known else "No market data yet"
            )
            return
        self._tone(self.market_info, "muted")
        self.market_info.setText(quote_line(row, self.intent()))

    def _show_expiry(self) -> None:
        tif = self._tif()
        gtd = tif is TimeInForce.GTD
        self.expiry_edit.setVisible(gtd)
        self.expiry_row_label.setVisible(gtd)
        if gtd:
            self._tone(self.expiry_info, "muted")
            self.expiry_info.setText(et_with_local_text(self._expiry_epoch()))
            self.expiry_info.show()
        elif tif is TimeInForce.DAY:
            now = datetime.fromtimestamp(self._clock(), EASTERN)
            end = now.replace(hour=23, minute=59, second=59, microsecond=0)
            self._tone(self.expiry_info, "muted")
            self.expiry_info.setText(
                f"Day: ends 23:59:59.999 ET — {et_with_local_text(end.timestamp())}"
            )
            self.expiry_info.show()
        else:
            self.expiry_info.clear()
            self.expiry_info.hide()

    def _show_balance(self) -> None:
        available, text = available_balance(self._snapshot, self._desk.positions)
        self.figures_box.show_balance(available, text)

    def _show_figures(self, ticket: Ticket | None) -> None:
        box = self.figures_box
        box.show_position(position_text(self._desk.positions, self.symbol()))
        box.show_order(ticket, self.intent())
        self._show_balance()

    def _update_submit_text(self) -> None:
        sheet = submit_sheet(self.intent(), self._dark)
        if sheet != self._submit_sheet:  # a restyle only when the side or theme changed
            self._submit_sheet = sheet
            self.submit_button.setStyleSheet(sheet)
        if self._in_flight:
            self.submit_button.setText("Sending…")
            return
        intent = self.intent()
        price, _ = self._parse_price()
        quantity, _ = self._parse_quantity()
        if price is not None and quantity is not None and 0 < price < 1:
            shown = price_text(price, dollars=self._subpenny)
            self.submit_button.setText(
                f"{intent.value.split()[0]} {quantity_text(quantity)} {intent.contract} "
                f"at {shown}   ⏎"
            )
        else:
            self.submit_button.setText(f"{intent.value}   ⏎")

    def intent_button(self, intent: Intent) -> QAbstractButton:
        return self.intent_buttons[intent]
