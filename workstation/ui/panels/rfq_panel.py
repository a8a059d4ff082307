"""The RFQ panel: request quotes as requester, answer and confirm them as market maker.

Two tabs (SPEC §13):

**Requester** (our order session). Pick a market and a size and *Request quotes*; our RFQs
are listed with their status, size, live quote count, best YES and NO bids and age. Select
one to see its quotes as they arrive — maker pseudonym, YES bid, NO bid and what they mean
to us: *Buy YES at 100¢ − NO bid* (AcceptQuote Side 1 takes the maker's NO bid) and *Sell
YES at the YES bid* (Side 2). Select a quote and accept it on either side, or cancel the RFQ.

**Market maker** (KalshiRFQ). Incoming requests — market, size or cash target, requester
pseudonym, age. Select one to quote it: a YES bid and a NO bid in cents, the implied spread
``100 − yes − no`` shown as you type, and what each side means if it is hit. A quote whose
bids add up to more than $1 is refused before anything is sent (inline error, Send disabled).
Our quote's status follows (pending, accepted with the side hit, rejected with the reason,
cancelled). After ACCEPTED the exchange waits for our QuoteConfirm: a large **Confirm**
button with the seconds left of the confirm window beside it (the button and the count turn
red under 10 s), ticking from a QTimer over ``MakerRfq.seconds_to_confirm`` and the clock,
and what confirming will trade. When the window runs out the quote reads as voided at once
and Confirm is disabled. An accepted quote that is not on screen (another request selected,
or the other tab) raises an alert above the tabs that brings it up.

Layout: below 960 px (the default right-hand dock) each tab stacks its table above the
details; wider, they sit side by side.

Actions never wait on the network here: each is handed to the runner (the bridge's ``run``)
as a coroutine factory under a fixed action name. Its button is disabled from the click
until the coroutine ends, so a double click sends once; a refusal is shown next to the
control that caused it (and the runner reports it too). A listen-only desk monitor disables
every action and says why.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.client.desk import ActionRefused
from workstation.fix.messages.enums import Side
from workstation.trading.changes import Change
from workstation.trading.rfq import Rfq, RfqQuote, Rfqs, RfqStatus
from workstation.trading.rfq_maker import MakerRfq, MakerRfqs, MakerStatus, quote_problem
from workstation.ui.format import MINUS, money_text, price_text, quantity_text
from workstation.ui.models.rfq_models import (
    CONFIRM_URGENT_SECONDS,
    MakerRfqModel,
    RequesterRfqModel,
    RfqQuotesModel,
    accepted_words,
    confirm_expired,
    maker_quote_text,
    rfq_size_text,
    spread_cents,
    whole_seconds_left,
)
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = [
    "ACTION_ACCEPT",
    "ACTION_CANCEL_QUOTE",
    "ACTION_CANCEL_RFQ",
    "ACTION_CONFIRM",
    "ACTION_CREATE",
    "ACTION_SEND_QUOTE",
    "WIDE_LAYOUT_WIDTH",
    "ActionRunner",
    "RfqDesk",
    "RfqPanel",
    "parse_bid_cents",
]

#: Action names handed to the runner (one of each may run at a time).
ACTION_CREATE = "Request quotes"
ACTION_CANCEL_RFQ = "Cancel RFQ"
ACTION_ACCEPT = "Accept quote"
ACTION_SEND_QUOTE = "Send quote"
ACTION_CANCEL_QUOTE = "Cancel quote"
ACTION_CONFIRM = "Confirm quote"

ActionFactory = Callable[[], Coroutine[Any, Any, Any]]
#: ``run(action_name, coroutine_factory)``: starts it (the bridge's ``run``); None if refused.
ActionRunner = Callable[[str, ActionFactory], "asyncio.Future[Any] | None"]

_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")
_TICK_MS = 250
#: At this width and more the tables and their details sit side by side.
WIDE_LAYOUT_WIDTH = 960
_SIDE_MIN_WIDTH = 200
_QUOTABLE = frozenset(
    {MakerStatus.OPEN, MakerStatus.QUOTE_SENT, MakerStatus.QUOTED, MakerStatus.QUOTE_REJECTED}
)
_CANCELLABLE_QUOTE = frozenset({MakerStatus.QUOTE_SENT, MakerStatus.QUOTED})
_CANCELLABLE_RFQ = frozenset({RfqStatus.SENT, RfqStatus.OPEN})


class RfqDesk(Protocol):
    """What the panel needs from the Desk (``workstation.client.desk.Desk`` satisfies it)."""

    @property
    def listen_only(self) -> bool: ...
    @property
    def rfqs(self) -> Rfqs: ...
    @property
    def maker_rfqs(self) -> MakerRfqs: ...
    async def create_rfq(self, symbol: str, quantity: Decimal) -> str: ...
    async def cancel_rfq(self, quote_req_id: str) -> None: ...
    async def accept_quote(self, quote_id: str, side: Side) -> None: ...
    async def send_quote(self, quote_req_id: str, yes_bid: Decimal, no_bid: Decimal) -> str: ...
    async def cancel_quote(self, quote_req_id: str) -> None: ...
    async def confirm_quote(self, quote_req_id: str) -> None: ...


def parse_bid_cents(
    text: str, name: str, *, subpenny: bool = False
) -> tuple[Decimal | None, str | None]:
    """A bid typed in cents → (dollars or None for "no bid on this side", problem or None).

    Empty or 0 declines the side. Otherwise 1–99¢, whole cents (hundredths of a cent on a
    subpenny session).
    """
    stripped = text.strip().removesuffix("¢").strip()
    if not stripped:
        return None, None
    try:
        cents = Decimal(stripped)
    except InvalidOperation:
        return None, f"{name} bid must be a number of cents"
    if not cents.is_finite():
        return None, f"{name} bid must be a number of cents"
    if cents == 0:
        return None, None
    step = _CENT if subpenny else Decimal(1)
    grid = "0.01¢ steps" if subpenny else "whole cents"
    if not Decimal(0) < cents < _HUNDRED or cents % step:
        return None, f"{name} bid must be 1–99¢ in {grid} (0 or empty: no {name} bid)"
    return cents / _HUNDRED, None


def _cents_text(price: Decimal | None) -> str:
    """A bid as the editor shows it: ``45`` (cents), ``""`` for none."""
    if not price:
        return ""
    cents = (price * _HUNDRED).normalize()
    return f"{cents:f}"


def _bold(widget: QWidget, size_delta: int = 0) -> None:
    font = QFont(widget.font())
    font.setBold(True)
    if size_delta:
        font.setPointSize(max(1, font.pointSize() + size_delta))
    widget.setFont(font)


class RfqPanel(QWidget):
    """See the module docstring. Feed it with :meth:`apply`; give it tickers with
    :meth:`set_markets`."""

    def __init__(
        self,
        desk: RfqDesk,
        run: ActionRunner,
        *,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rfqPanel")
        self._desk = desk
        self._run = run
        self._clock = clock
        self._listen_only = bool(desk.listen_only)
        self._subpenny = False
        self._busy: set[str] = set()
        self._selected_rfq: str | None = None
        self._selected_quote: str | None = None
        self._selected_maker: str | None = None
        self._select_when_seen: str | None = None
        #: the last refusal shown per area ("create", "requester", "quote", "confirm")
        self._refusals: dict[str, str] = {}
        self._shown_once = False
        self._applying = False  # a batch is being applied: selection changes are not the trader's
        self._was_awaiting = False  # a confirm window was running at the last tick
        now = clock()
        self.rfq_model = RequesterRfqModel(now=now, parent=self)
        self.quotes_model = RfqQuotesModel(now=now, parent=self)
        self.maker_model = MakerRfqModel(now=now, parent=self)
        self._build()
        self._wire()
        self.rfq_model.upsert(list(desk.rfqs))
        self.maker_model.upsert(list(desk.maker_rfqs))
        self._restyle()
        if self._listen_only:
            self.disabled_reason.setText(
                "Listen-only desk monitor: requesting, quoting, accepting and confirming are "
                "disabled."
            )
            self.disabled_reason.show()
        self._adapt_layout(force=True)  # before the first show: a dock sizes us by our minimum
        self._select_first_if_none()
        self._refresh_all()
        self.timer = QTimer(self)
        self.timer.setInterval(_TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.setSpacing(4)
        self.disabled_reason = QLabel()
        self.disabled_reason.setObjectName("rfqDisabledReason")
        self.disabled_reason.setWordWrap(True)
        self.disabled_reason.hide()
        outer.addWidget(self.disabled_reason)
        self.confirm_alert = QPushButton()
        self.confirm_alert.setObjectName("rfqConfirmAlert")
        self.confirm_alert.setToolTip("Show the accepted quote waiting for your confirm")
        # its text never sets the panel's minimum width (a narrow dock clips it instead)
        self.confirm_alert.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.confirm_alert.hide()
        outer.addWidget(self.confirm_alert)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("rfqTabs")
        self.tabs.setDocumentMode(True)
        self.requester_tab = self._build_requester()
        self.maker_tab = self._build_maker()
        self.tabs.addTab(self.requester_tab, "Requester")
        self.tabs.addTab(self.maker_tab, "Market maker")
        self.tabs.setTabToolTip(0, "Ask makers for quotes on the order session (KalshiRT)")
        self.tabs.setTabToolTip(1, "Quote other traders' RFQs on KalshiRFQ")
        outer.addWidget(self.tabs)

    @staticmethod
    def _table(name: str, model: Any, *, sortable: bool = True) -> QTableView:
        """A row-selecting table over ``model``; the header shows the model's own sort."""
        table = QTableView()
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(22)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        if sortable:
            # setSortingEnabled sorts by the header's indicator: point it at the model's sort
            # first, or the table would re-sort by column 0 ascending
            header.setSortIndicator(model.sort_column, model.sort_order)
        table.setSortingEnabled(sortable)
        return table

    @staticmethod
    def _message(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    def _build_requester(self) -> QWidget:
        tab = QWidget()
        tab.setObjectName("rfqRequesterTab")
        split = QSplitter(Qt.Orientation.Horizontal, tab)
        split.setObjectName("rfqRequesterSplit")
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(split)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        left_layout.setSpacing(4)
        form = QHBoxLayout()
        form.setSpacing(6)
        form.addWidget(QLabel("Market"))
        self.market_combo = QComboBox()
        self.market_combo.setObjectName("rfqMarket")
        self.market_combo.setEditable(True)
        self.market_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.market_combo.setMinimumContentsLength(14)
        self.market_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.market_combo.setToolTip("The market to ask quotes for (pick, or type a ticker)")
        line = self.market_combo.lineEdit()
        if line is not None:
            line.setPlaceholderText("Market ticker")
        form.addWidget(self.market_combo, 3)
        form.addWidget(QLabel("Size"))
        self.size_edit = QLineEdit()
        self.size_edit.setObjectName("rfqSize")
        self.size_edit.setPlaceholderText("contracts")
        self.size_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.size_edit.setMaximumWidth(110)
        self.size_edit.setToolTip("Contracts to trade (0.01 steps); makers quote the full size")
        form.addWidget(self.size_edit, 1)
        self.request_button = QPushButton("Request quotes")
        self.request_button.setObjectName("rfqRequest")
        self.request_button.setToolTip("Send the RFQ (QuoteRequest) to the market makers")
        form.addWidget(self.request_button)
        left_layout.addLayout(form)
        self.create_error = self._message("rfqCreateError")
        left_layout.addWidget(self.create_error)
        caption = QLabel("Our RFQs")
        _bold(caption)
        left_layout.addWidget(caption)
        self.rfq_table = self._table("rfqTable", self.rfq_model)
        left_layout.addWidget(self.rfq_table, 1)
        split.addWidget(left)

        right = QGroupBox("Quotes")
        right.setObjectName("rfqQuotesBox")
        right_layout = QVBoxLayout(right)
        right_layout.setSpacing(4)
        self.quotes_title = QLabel("Select an RFQ to see its quotes")
        self.quotes_title.setObjectName("rfqQuotesTitle")
        self.quotes_title.setWordWrap(True)
        _bold(self.quotes_title)
        right_layout.addWidget(self.quotes_title)
        self.quotes_table = self._table("rfqQuotesTable", self.quotes_model, sortable=False)
        right_layout.addWidget(self.quotes_table, 1)
        hint = QLabel(
            "Buy YES pays 100¢ − the maker's NO bid; Sell YES receives the maker's YES bid."
        )
        hint.setObjectName("rfqQuotesHint")
        hint.setWordWrap(True)
        right_layout.addWidget(hint)
        buttons = QHBoxLayout()
        self.accept_buy_button = QPushButton("Buy YES")
        self.accept_buy_button.setObjectName("rfqAcceptBuyYes")
        self.accept_sell_button = QPushButton("Sell YES")
        self.accept_sell_button.setObjectName("rfqAcceptSellYes")
        for button in (self.accept_buy_button, self.accept_sell_button):
            button.setMinimumHeight(32)
            button.setMinimumWidth(150)
            _bold(button)
        self.cancel_rfq_button = QPushButton("Cancel RFQ")
        self.cancel_rfq_button.setObjectName("rfqCancel")
        self.cancel_rfq_button.setMinimumHeight(30)
        self.cancel_rfq_button.setToolTip("Withdraw the RFQ (RFQCancel); its quotes go away")
        buttons.addWidget(self.accept_buy_button)
        buttons.addWidget(self.accept_sell_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_rfq_button)
        right_layout.addLayout(buttons)
        self.requester_message = self._message("rfqRequesterMessage")
        right_layout.addWidget(self.requester_message)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        self.requester_split = split
        return tab

    def _build_maker(self) -> QWidget:
        tab = QWidget()
        tab.setObjectName("rfqMakerTab")
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        split = QSplitter(Qt.Orientation.Horizontal, tab)
        split.setObjectName("rfqMakerSplit")
        layout.addWidget(split, 1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 4, 0)
        caption = QLabel("Incoming RFQs")
        _bold(caption)
        left_layout.addWidget(caption)
        self.maker_table = self._table("rfqMakerTable", self.maker_model)
        left_layout.addWidget(self.maker_table, 1)
        split.addWidget(left)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.setSpacing(6)
        editor = QGroupBox("Our quote")
        editor.setObjectName("rfqQuoteEditor")
        grid = QGridLayout(editor)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        self.maker_title = QLabel("Select an RFQ to quote it")
        self.maker_title.setObjectName("rfqMakerTitle")
        self.maker_title.setWordWrap(True)
        _bold(self.maker_title)
        grid.addWidget(self.maker_title, 0, 0, 1, 4)
        self.yes_edit = QLineEdit()
        self.yes_edit.setObjectName("rfqYesBid")
        self.yes_edit.setPlaceholderText("¢")
        self.yes_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.yes_edit.setToolTip("What you pay for YES, in cents (empty or 0: no YES bid)")
        self.no_edit = QLineEdit()
        self.no_edit.setObjectName("rfqNoBid")
        self.no_edit.setPlaceholderText("¢")
        self.no_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.no_edit.setToolTip("What you pay for NO, in cents (empty or 0: no NO bid)")
        for edit in (self.yes_edit, self.no_edit):
            edit.setFixedWidth(90)
        bids = QHBoxLayout()
        bids.setSpacing(8)
        bids.addWidget(QLabel("YES bid (¢)"))
        bids.addWidget(self.yes_edit)
        bids.addSpacing(12)
        bids.addWidget(QLabel("NO bid (¢)"))
        bids.addWidget(self.no_edit)
        bids.addStretch(1)
        grid.addLayout(bids, 1, 0, 1, 4)
        self.spread_label = QLabel()
        self.spread_label.setObjectName("rfqSpread")
        _bold(self.spread_label)
        self.spread_label.setToolTip(
            "100 − YES bid − NO bid: your edge if both sides were hit. Bids over $1 in total "
            "are rejected by the exchange"
        )
        grid.addWidget(self.spread_label, 2, 0, 1, 4)
        self.quote_meaning = QLabel()
        self.quote_meaning.setObjectName("rfqQuoteMeaning")
        self.quote_meaning.setWordWrap(True)
        grid.addWidget(self.quote_meaning, 3, 0, 1, 4)
        self.quote_error = self._message("rfqQuoteError")
        grid.addWidget(self.quote_error, 4, 0, 1, 4)
        buttons = QHBoxLayout()
        self.send_quote_button = QPushButton("Send quote")
        self.send_quote_button.setObjectName("rfqSendQuote")
        self.send_quote_button.setMinimumHeight(30)
        self.send_quote_button.setToolTip(
            "Send the quote (a new quote replaces your earlier one on this RFQ)"
        )
        self.cancel_quote_button = QPushButton("Cancel quote")
        self.cancel_quote_button.setObjectName("rfqCancelQuote")
        self.cancel_quote_button.setMinimumHeight(30)
        buttons.addWidget(self.send_quote_button)
        buttons.addWidget(self.cancel_quote_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 5, 0, 1, 4)
        self.quote_status = QLabel()
        self.quote_status.setObjectName("rfqQuoteStatus")
        self.quote_status.setWordWrap(True)
        self.quote_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.quote_status, 6, 0, 1, 4)
        right_layout.addWidget(editor)

        self.confirm_box = QFrame()
        self.confirm_box.setObjectName("rfqConfirmBox")
        self.confirm_box.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self.confirm_box)
        box.setSpacing(4)
        self.confirm_headline = QLabel()
        self.confirm_headline.setObjectName("rfqConfirmHeadline")
        self.confirm_headline.setWordWrap(True)
        _bold(self.confirm_headline, 1)
        box.addWidget(self.confirm_headline)
        self.confirm_trade = QLabel()
        self.confirm_trade.setObjectName("rfqConfirmTrade")
        self.confirm_trade.setWordWrap(True)
        box.addWidget(self.confirm_trade)
        row = QHBoxLayout()
        self.confirm_button = QPushButton("Confirm")
        self.confirm_button.setObjectName("rfqConfirm")
        self.confirm_button.setEnabled(False)
        self.confirm_button.setMinimumHeight(44)
        self.confirm_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.confirm_button.setToolTip(
            "Send QuoteConfirm: the trade goes ahead. Without it the quote is voided"
        )
        _bold(self.confirm_button, 3)
        row.addWidget(self.confirm_button, 2)
        self.countdown = QLabel()
        self.countdown.setObjectName("rfqCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setMinimumWidth(150)
        _bold(self.countdown, 8)
        row.addWidget(self.countdown, 1)
        box.addLayout(row)
        self.confirm_error = self._message("rfqConfirmError")
        box.addWidget(self.confirm_error)
        self.confirm_box.hide()
        right_layout.addWidget(self.confirm_box)
        right_layout.addStretch(1)
        split.addWidget(right)
        split.setChildrenCollapsible(False)
        self.maker_split = split
        return tab

    def _wire(self) -> None:
        self.request_button.clicked.connect(self.request_quotes)
        self.size_edit.returnPressed.connect(self.request_quotes)
        self.market_combo.currentTextChanged.connect(lambda _t: self._edited("create"))
        self.size_edit.textChanged.connect(lambda _t: self._edited("create"))
        self.accept_buy_button.clicked.connect(lambda: self.accept_selected(Side.BUY))
        self.accept_sell_button.clicked.connect(lambda: self.accept_selected(Side.SELL))
        self.cancel_rfq_button.clicked.connect(self.cancel_selected_rfq)
        self.send_quote_button.clicked.connect(self.send_quote)
        self.cancel_quote_button.clicked.connect(self.cancel_quote)
        self.confirm_button.clicked.connect(self.confirm)
        self.confirm_alert.clicked.connect(self._show_awaiting_confirm)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_confirm_alert(self._clock()))
        self.yes_edit.textEdited.connect(lambda _t: self._edited("quote"))
        self.no_edit.textEdited.connect(lambda _t: self._edited("quote"))
        self.yes_edit.returnPressed.connect(self.send_quote)
        self.no_edit.returnPressed.connect(self.send_quote)
        rfq_selection = self.rfq_table.selectionModel()
        rfq_selection.selectionChanged.connect(self._on_rfq_selected)
        quote_selection = self.quotes_table.selectionModel()
        quote_selection.selectionChanged.connect(self._on_quote_selected)
        maker_selection = self.maker_table.selectionModel()
        maker_selection.selectionChanged.connect(self._on_maker_selected)

    def _edited(self, area: str) -> None:
        self._refusals.pop(area, None)
        if area == "create":
            self._refresh_requester()
        else:
            self._refresh_editor()

    # ------------------------------------------------------------------ colours

    def _colours(self) -> Any:
        return STATUS_COLORS[Theme.DARK if is_dark_palette(self.palette()) else Theme.LIGHT]

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        """On first show: lay out for the size given, columns fit what they hold."""
        super().showEvent(event)
        if self._shown_once:
            return
        self._shown_once = True
        self._adapt_layout(force=True)
        for table in (self.rfq_table, self.quotes_table, self.maker_table):
            self._fit_columns(table)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._shown_once:
            self._adapt_layout()

    def _adapt_layout(self, *, force: bool = False) -> None:
        """Side by side when the panel is wide (a bottom dock, a window of its own); table
        above details when narrow (the default right-hand dock)."""
        wide = self.width() >= WIDE_LAYOUT_WIDTH
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        for split, table_share in ((self.requester_split, 45), (self.maker_split, 55)):
            if split.orientation() == orientation and not force:
                continue
            split.setOrientation(orientation)
            # Side by side, each half may go narrower than its contents would like, so a
            # shrinking dock can always reach the width where the halves stack instead.
            for i in range(split.count()):
                side = split.widget(i)
                if side is not None:
                    side.setMinimumWidth(_SIDE_MIN_WIDTH if wide else 0)
            total = self.width() if wide else max(self.height() - 60, 300)
            share = table_share if wide else 40
            split.setSizes([total * share // 100, total * (100 - share) // 100])

    @staticmethod
    def _fit_columns(table: QTableView) -> None:
        """Widths to the contents (a few rows: cheap), capped so one long note cannot win."""
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        for col in range(header.count()):
            header.resizeSection(col, min(max(header.sectionSize(col), 64), 260))

    def _restyle(self) -> None:
        c = self._colours()
        for label in (self.create_error, self.quote_error, self.confirm_error):
            label.setStyleSheet(f"color: {c.bad};")
        self.disabled_reason.setStyleSheet(f"color: {c.busy}; font-weight: bold;")
        dark = is_dark_palette(self.palette())
        buy_bg, buy_fg, sell_bg, sell_fg = (
            ("#163d24", "#8ff0ad", "#4a1d1d", "#ffb3ae")
            if dark
            else ("#d7f5e1", "#0f5a2a", "#fde0de", "#9b1c15")
        )
        for button, bg, fg in (
            (self.accept_buy_button, buy_bg, buy_fg),
            (self.accept_sell_button, sell_bg, sell_fg),
        ):
            name = button.objectName()
            button.setStyleSheet(
                f"QPushButton#{name}:enabled {{ background: {bg}; color: {fg}; "
                f"border: 1px solid {fg}; border-radius: 3px; padding: 4px 12px; }}"
            )
        self.confirm_alert.setStyleSheet(
            "QPushButton#rfqConfirmAlert { font-weight: bold; padding: 4px; "
            + (
                "background: #4a3510; color: #ffd166; border: 1px solid #8a6a1f; }"
                if dark
                else "background: #fdefc3; color: #6b3a00; border: 1px solid #d69e2e; }"
            )
        )

    def _confirm_style(self, urgent: bool, enabled: bool) -> None:
        dark = is_dark_palette(self.palette())
        if not enabled:
            self.confirm_button.setStyleSheet("")
            return
        if urgent:
            bg, fg, border = "#b3261e", "#ffffff", "#8c1d17"
        elif dark:
            bg, fg, border = "#238636", "#ffffff", "#2ea043"
        else:
            bg, fg, border = "#1f7a3a", "#ffffff", "#17602d"
        self.confirm_button.setStyleSheet(
            f"QPushButton#rfqConfirm {{ background: {bg}; color: {fg}; "
            f"border: 1px solid {border}; border-radius: 4px; padding: 6px 14px; }}"
        )

    # ------------------------------------------------------------------ public

    def set_markets(self, tickers: Sequence[str]) -> None:
        """The market tickers offered in the requester's market picker (the text typed stays).

        Called on every market poll: an unchanged list leaves the picker alone.
        """
        combo = self.market_combo
        if [combo.itemText(i) for i in range(combo.count())] == list(tickers):
            return
        current = self.market_combo.currentText()
        self.market_combo.blockSignals(True)
        self.market_combo.clear()
        self.market_combo.addItems(list(tickers))
        if current:
            self.market_combo.setCurrentText(current)
        elif tickers:
            self.market_combo.setCurrentIndex(0)
        self.market_combo.blockSignals(False)
        self._refresh_requester()

    def set_subpenny(self, subpenny: bool) -> None:
        """Quote in hundredths of a cent (the RFQ session logged on with UseDollars)."""
        self._subpenny = subpenny
        self._refresh_editor()

    def apply(self, changes: Sequence[Change]) -> None:
        """One batch of domain changes (the bridge's ``changes_arrived``)."""
        empty = (self.rfq_model.rowCount() == 0, self.maker_model.rowCount() == 0)
        # A row whose sort key changed is taken out and put back: its selection goes with it.
        # Keep what the trader selected through the batch, and select it again after.
        self._applying = True
        try:
            rfqs = self.rfq_model.apply(changes)
            makers = self.maker_model.apply(changes)
        finally:
            self._applying = False
        self._reselect(self.rfq_table, self._selected_rfq, self.rfq_model.row_of)
        self._reselect(self.maker_table, self._selected_maker, self.maker_model.row_of)
        for was_empty, table in zip(empty, (self.rfq_table, self.maker_table), strict=True):
            if was_empty and table.model().rowCount() > 0:
                self._fit_columns(table)
        if rfqs:
            pending = self._select_when_seen
            if pending is not None and self.rfq_model.record(pending) is not None:
                self._select_when_seen = None
                self._select_row(self.rfq_table, self.rfq_model.row_of(pending))
            self._refresh_requester()
        if makers:
            self._select_first_if_none()
            self._refresh_maker()

    def tick(self) -> None:
        """Read the clock: ages, and the confirm countdown (the QTimer calls this)."""
        now = self._clock()
        self.rfq_model.tick(now)
        self.quotes_model.tick(now)
        self.maker_model.tick(now)
        awaiting = bool(self._awaiting_confirm(now))
        # one more refresh after the last window closes, so the alert and the tab say so
        if awaiting or self._was_awaiting or self._selected_is_accepted():
            self._refresh_maker()
        self._was_awaiting = awaiting

    def busy(self, action: str) -> bool:
        """Whether ``action`` (one of the ACTION_* names) is running."""
        return action in self._busy

    @property
    def listen_only(self) -> bool:
        return self._listen_only

    # ------------------------------------------------------------------ selection

    def selected_rfq(self) -> Rfq | None:
        key = self._selected_rfq
        return None if key is None else self.rfq_model.record(key)

    def selected_quote(self) -> RfqQuote | None:
        rfq = self.selected_rfq()
        key = self._selected_quote
        return None if rfq is None or key is None else rfq.quote(key)

    def selected_maker_rfq(self) -> MakerRfq | None:
        key = self._selected_maker
        return None if key is None else self.maker_model.record(key)

    def select_rfq(self, quote_req_id: str) -> None:
        self._select_row(self.rfq_table, self.rfq_model.row_of(quote_req_id))

    def select_quote(self, quote_id: str) -> None:
        self._select_row(self.quotes_table, self.quotes_model.row_of(quote_id))

    def select_maker_rfq(self, quote_req_id: str) -> None:
        self._select_row(self.maker_table, self.maker_model.row_of(quote_req_id))

    def _reselect(
        self, table: QTableView, key: str | None, row_of: Callable[[str], int | None]
    ) -> None:
        row = None if key is None else row_of(key)
        if row is not None and self._selected_key(table) != row:
            table.selectRow(row)

    @staticmethod
    def _select_row(table: QTableView, row: int | None) -> None:
        if row is None:
            return
        table.selectRow(row)
        table.scrollTo(table.model().index(row, 0))

    def _selected_key(self, table: QTableView) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _on_rfq_selected(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        if self._applying:
            return
        row = self._selected_key(self.rfq_table)
        key = None if row is None else self.rfq_model.record_at(row).quote_req_id
        if key != self._selected_rfq:
            self._selected_rfq = key
            self._selected_quote = None
            self._refusals.pop("requester", None)
        self._refresh_requester()

    def _on_quote_selected(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        row = self._selected_key(self.quotes_table)
        quote = None if row is None else self.quotes_model.quote_at(row)
        self._selected_quote = None if quote is None else quote.quote_id
        self._refresh_requester_buttons()

    def _on_maker_selected(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        if self._applying:
            return
        row = self._selected_key(self.maker_table)
        key = None if row is None else self.maker_model.record_at(row).quote_req_id
        if key != self._selected_maker:
            self._selected_maker = key
            self._refusals.pop("quote", None)
            self._refusals.pop("confirm", None)
            rfq = self.selected_maker_rfq()
            quote = None if rfq is None else rfq.quote
            live = quote is not None and not quote.cancelled
            self.yes_edit.setText(_cents_text(quote.yes_bid) if live and quote else "")
            self.no_edit.setText(_cents_text(quote.no_bid) if live and quote else "")
        self._refresh_maker()

    def _select_first_if_none(self) -> None:
        if self._selected_maker is None and self.maker_model.rowCount() > 0:
            self._select_row(self.maker_table, 0)

    # ------------------------------------------------------------------ actions

    def _start(
        self,
        action: str,
        factory: ActionFactory,
        *,
        area: str,
        on_ok: Callable[[Any], None] | None = None,
    ) -> bool:
        """Hand ``factory`` to the runner as ``action``; its button is disabled until it ends.

        A refusal is shown in ``area`` (and re-raised, so the runner reports it too).
        """
        if self._listen_only or action in self._busy:
            return False
        self._refusals.pop(area, None)

        async def guarded() -> Any:
            try:
                result = await factory()
            except ActionRefused as exc:
                self._refuse(area, str(exc))
                raise
            except Exception as exc:
                self._refuse(area, f"{action} failed: {exc}")
                raise
            if on_ok is not None and shiboken6.isValid(self):
                on_ok(result)
            return result

        self._busy.add(action)
        self._refresh_all()
        future = self._run(action, guarded)
        if future is None:  # the runner has that action running already
            self._busy.discard(action)
            self._refresh_all()
            return False
        future.add_done_callback(lambda _f: self._finished(action))
        return True

    def _finished(self, action: str) -> None:
        if not shiboken6.isValid(self):
            return
        self._busy.discard(action)
        self._refresh_all()

    def _refuse(self, area: str, text: str) -> None:
        """Show why an action was not done, next to its control, until the next try."""
        if shiboken6.isValid(self):
            self._refusals[area] = text
            self._refresh_all()

    def _size(self) -> tuple[Decimal | None, str | None]:
        text = self.size_edit.text().strip().replace(",", "")
        if not text:
            return None, "Enter a size in contracts"
        try:
            size = Decimal(text)
        except InvalidOperation:
            return None, "The size must be a number of contracts"
        if not size.is_finite() or size <= 0 or size % _CENT:
            return None, "The size must be a positive number of contracts in 0.01 steps"
        return size, None

    def request_quotes(self) -> None:
        """Send an RFQ for the market and size entered."""
        symbol = self.market_combo.currentText().strip()
        size, problem = self._size()
        if not symbol:
            problem = "Pick a market"
        if problem is not None or size is None:
            self._refuse("create", problem or "Enter a size")
            return
        desk = self._desk

        def created(quote_req_id: Any) -> None:
            if isinstance(quote_req_id, str):
                if self.rfq_model.record(quote_req_id) is not None:
                    self.select_rfq(quote_req_id)
                else:
                    self._select_when_seen = quote_req_id

        self._start(
            ACTION_CREATE,
            lambda: desk.create_rfq(symbol, size),
            area="create",
            on_ok=created,
        )

    def accept_selected(self, side: Side) -> None:
        """Accept the selected quote: BUY takes its NO bid (buy YES), SELL its YES bid."""
        quote = self.selected_quote()
        rfq = self.selected_rfq()
        if quote is None or rfq is None or not self._can_accept(rfq, quote, side):
            return
        desk = self._desk
        quote_id = quote.quote_id
        self._start(
            ACTION_ACCEPT,
            lambda: desk.accept_quote(quote_id, side),
            area="requester",
        )

    def cancel_selected_rfq(self) -> None:
        rfq = self.selected_rfq()
        if rfq is None or rfq.status not in _CANCELLABLE_RFQ:
            return
        desk = self._desk
        key = rfq.quote_req_id
        self._start(ACTION_CANCEL_RFQ, lambda: desk.cancel_rfq(key), area="requester")

    def send_quote(self) -> None:
        """Send the quote in the editor for the selected request, if it passes the checks."""
        rfq = self.selected_maker_rfq()
        yes, no, problem = self._editor_bids()
        if rfq is None or rfq.status not in _QUOTABLE or confirm_expired(rfq, self._clock()):
            return
        if problem is not None:
            self._refuse("quote", problem)
            return
        desk = self._desk
        key = rfq.quote_req_id
        yes_bid, no_bid = yes or Decimal(0), no or Decimal(0)
        self._start(
            ACTION_SEND_QUOTE,
            lambda: desk.send_quote(key, yes_bid, no_bid),
            area="quote",
        )

    def cancel_quote(self) -> None:
        rfq = self.selected_maker_rfq()
        if rfq is None or not self._quote_cancellable(rfq):
            return
        desk = self._desk
        key = rfq.quote_req_id
        self._start(ACTION_CANCEL_QUOTE, lambda: desk.cancel_quote(key), area="quote")

    def confirm(self) -> None:
        """Confirm the selected request's accepted quote, inside the window."""
        rfq = self.selected_maker_rfq()
        if rfq is None or rfq.status is not MakerStatus.ACCEPTED:
            return
        if confirm_expired(rfq, self._clock()):
            self._refresh_maker()
            return
        desk = self._desk
        key = rfq.quote_req_id
        self._start(ACTION_CONFIRM, lambda: desk.confirm_quote(key), area="confirm")

    # ------------------------------------------------------------------ requester view

    def _can_accept(self, rfq: Rfq, quote: RfqQuote, side: Side) -> bool:
        taken = quote.no_bid if side is Side.BUY else quote.yes_bid
        return rfq.status is RfqStatus.OPEN and taken is not None

    def _refresh_all(self) -> None:
        self._refresh_requester()
        self._refresh_maker()

    def _refresh_requester(self) -> None:
        rfq = self.selected_rfq()
        before = self.quotes_model.rfq
        count_before = self.quotes_model.rowCount()
        self.quotes_model.show_rfq(rfq)
        another = (before is None) != (rfq is None) or (
            before is not None and rfq is not None and before.quote_req_id != rfq.quote_req_id
        )
        if another or (count_before == 0 and self.quotes_model.rowCount() > 0):
            self._fit_columns(self.quotes_table)
        if self._selected_quote is not None:
            row = self.quotes_model.row_of(self._selected_quote)
            if row is None:
                self._selected_quote = None
            elif self._selected_key(self.quotes_table) != row:
                self.quotes_table.selectRow(row)
        if self._selected_quote is None and self.quotes_model.rowCount() == 1:
            self.quotes_table.selectRow(0)
        if rfq is None:
            self.quotes_title.setText("Select an RFQ to see its quotes")
        else:
            size = rfq_size_text(rfq.order_qty, rfq.cash_order_qty)
            count = len(rfq.quotes)
            quotes = "no quotes yet" if count == 0 else f"{count} quote{'s' * (count != 1)}"
            self.quotes_title.setText(
                f"{rfq.symbol or '(combo)'} · {size} contracts · {rfq.status.value} · {quotes}"
            )
        self._refresh_requester_message(rfq)
        self._refresh_requester_buttons()

    def _refresh_requester_message(self, rfq: Rfq | None) -> None:
        label = self.requester_message
        c = self._colours()
        refusal = self._refusals.get("create")
        self.create_error.setText(f"⚠ {refusal}" if refusal else "")
        self.create_error.setVisible(bool(refusal))
        refusal = self._refusals.get("requester")
        if refusal:
            label.setText(f"⚠ {refusal}")
            label.setStyleSheet(f"color: {c.bad};")
            label.show()
        elif rfq is None:
            label.hide()
        elif rfq.status is RfqStatus.ACCEPTED:
            quote = None if rfq.accepted_quote_id is None else rfq.quote(rfq.accepted_quote_id)
            label.setText(f"{accepted_words(rfq, quote)}. The trade follows as executions.")
            label.setStyleSheet(f"color: {c.ok};")
            label.show()
        elif rfq.text:
            label.setText(rfq.text)
            label.setStyleSheet(f"color: {c.bad if rfq.status.is_closed else c.busy};")
            label.show()
        else:
            label.hide()

    def _refresh_requester_buttons(self) -> None:
        enabled = not self._listen_only
        size_ok = self._size()[1] is None and bool(self.market_combo.currentText().strip())
        self.request_button.setEnabled(enabled and size_ok and not self.busy(ACTION_CREATE))
        rfq, quote = self.selected_rfq(), self.selected_quote()
        accepting = self.busy(ACTION_ACCEPT)
        for side, button in (
            (Side.BUY, self.accept_buy_button),
            (Side.SELL, self.accept_sell_button),
        ):
            button.setText(self._accept_text(rfq, quote, side))
            ok = rfq is not None and quote is not None and self._can_accept(rfq, quote, side)
            button.setEnabled(enabled and ok and not accepting)
        self.accept_buy_button.setToolTip(
            "Accept this quote's NO bid (AcceptQuote Side 1): you buy YES at 100¢ − NO bid"
        )
        self.accept_sell_button.setToolTip(
            "Accept this quote's YES bid (AcceptQuote Side 2): you sell YES at the YES bid, "
            "the same as buying NO at 100¢ − YES bid"
        )
        cancellable = rfq is not None and rfq.status in _CANCELLABLE_RFQ
        self.cancel_rfq_button.setEnabled(
            enabled and cancellable and not self.busy(ACTION_CANCEL_RFQ)
        )

    @staticmethod
    def _accept_text(rfq: Rfq | None, quote: RfqQuote | None, side: Side) -> str:
        verb = "Buy" if side is Side.BUY else "Sell"
        if quote is None:
            return f"{verb} YES"
        price = quote.buy_yes_price if side is Side.BUY else quote.sell_yes_price
        if price is None:
            return f"{verb} YES (no {'NO' if side is Side.BUY else 'YES'} bid)"
        qty = None if rfq is None else rfq.order_qty
        size = f" {quantity_text(qty)}" if qty is not None else ""
        return f"{verb}{size} YES at {price_text(price)}"

    # ------------------------------------------------------------------ maker view

    def _editor_bids(self) -> tuple[Decimal | None, Decimal | None, str | None]:
        yes, yes_problem = parse_bid_cents(self.yes_edit.text(), "YES", subpenny=self._subpenny)
        no, no_problem = parse_bid_cents(self.no_edit.text(), "NO", subpenny=self._subpenny)
        problem = yes_problem or no_problem or quote_problem(yes, no, subpenny=self._subpenny)
        return yes, no, problem

    def _quote_cancellable(self, rfq: MakerRfq) -> bool:
        quote = rfq.quote
        return quote is not None and not quote.cancelled and rfq.status in _CANCELLABLE_QUOTE

    def _selected_is_accepted(self) -> bool:
        rfq = self.selected_maker_rfq()
        return rfq is not None and rfq.status is MakerStatus.ACCEPTED

    def _awaiting_confirm(self, now: float) -> list[MakerRfq]:
        return [
            r
            for r in self.maker_model.records()
            if r.status is MakerStatus.ACCEPTED and not confirm_expired(r, now)
        ]

    def _show_awaiting_confirm(self) -> None:
        waiting = self._awaiting_confirm(self._clock())
        if waiting:
            self.tabs.setCurrentWidget(self.maker_tab)
            self.select_maker_rfq(waiting[0].quote_req_id)

    def _refresh_maker(self) -> None:
        now = self._clock()
        self._refresh_confirm_alert(now)
        rfq = self.selected_maker_rfq()
        if rfq is None:
            self.maker_title.setText("Select an RFQ to quote it")
        else:
            size = rfq_size_text(rfq.order_qty, rfq.cash_order_qty)
            unit = " contracts" if rfq.order_qty is not None else ""
            who = f" · from {rfq.requester}" if rfq.requester else ""
            self.maker_title.setText(f"{rfq.symbol or '(combo)'} · {size}{unit}{who}")
        self._refresh_editor()
        self._refresh_quote_status(rfq, now)
        self._refresh_confirm_box(rfq, now)

    def _refresh_confirm_alert(self, now: float) -> None:
        waiting = self._awaiting_confirm(now)
        count = len(waiting)
        title = "Market maker" if not count else f"Market maker — {count} to confirm"
        self.tabs.setTabText(1, title)
        bar = self.tabs.tabBar()
        colour = QColor(self._colours().bad) if count else QColor()
        bar.setTabTextColor(1, colour if count else bar.tabTextColor(0))
        on_maker_tab = self.tabs.currentWidget() is self.maker_tab
        others = [r for r in waiting if r.quote_req_id != self._selected_maker or not on_maker_tab]
        if others:
            first = others[0]
            left = whole_seconds_left(first.seconds_to_confirm(now) or 0.0)
            self.confirm_alert.setText(
                f"⚠ Confirm {first.symbol or first.quote_req_id}: {left} s left — show it"
            )
            self.confirm_alert.show()
        else:
            self.confirm_alert.hide()

    def _refresh_editor(self) -> None:
        rfq = self.selected_maker_rfq()
        yes, no, problem = self._editor_bids()
        empty = not self.yes_edit.text().strip() and not self.no_edit.text().strip()
        quotable = (
            rfq is not None and rfq.status in _QUOTABLE and not confirm_expired(rfq, self._clock())
        )
        for edit in (self.yes_edit, self.no_edit):
            edit.setEnabled(quotable and not self._listen_only)
        # spread
        spread = spread_cents(yes, no)
        if spread is not None:
            yes_c, no_c = _cents_text(yes), _cents_text(no)
            sign = MINUS if spread < 0 else ""
            shown = f"{sign}{price_text(abs(spread) / _HUNDRED)}"
            self.spread_label.setText(f"Implied spread: 100 − {yes_c} − {no_c} = {shown}")
            bad = self._colours().bad
            self.spread_label.setStyleSheet(f"color: {bad};" if spread < 0 else "")
        elif yes or no:
            self.spread_label.setStyleSheet("")
            side = "YES" if yes else "NO"
            other = "NO" if yes else "YES"
            self.spread_label.setText(f"One-sided: {side} bid only (no {other} bid)")
        else:
            self.spread_label.setStyleSheet("")
            self.spread_label.setText("Implied spread: enter a YES bid and a NO bid in cents")
        # what each side means if hit
        qty = None if rfq is None else rfq.order_qty
        lines = []
        for contract, bid in (("YES", yes), ("NO", no)):
            if not bid:
                continue
            size = f" {quantity_text(qty)}" if qty is not None else ""
            cost = f" ({money_text(qty * bid)})" if qty is not None else ""
            lines.append(
                f"If your {contract} bid is hit: you buy{size} {contract} at "
                f"{price_text(bid)}{cost}"
            )
        self.quote_meaning.setText("\n".join(lines))
        self.quote_meaning.setVisible(bool(lines))
        # the inline error: the bids' problem as soon as something is typed, else a refusal
        error = problem if problem is not None and not empty else self._refusals.get("quote")
        self.quote_error.setText(f"⚠ {error}" if error else "")
        self.quote_error.setVisible(bool(error))
        live = rfq is not None and self._quote_cancellable(rfq)
        self.send_quote_button.setText("Replace quote" if live else "Send quote")
        self.send_quote_button.setEnabled(
            not self._listen_only
            and quotable
            and problem is None
            and not self.busy(ACTION_SEND_QUOTE)
        )
        self.cancel_quote_button.setEnabled(
            not self._listen_only
            and rfq is not None
            and self._quote_cancellable(rfq)
            and not self.busy(ACTION_CANCEL_QUOTE)
        )

    def _refresh_quote_status(self, rfq: MakerRfq | None, now: float) -> None:
        c = self._colours()
        label = self.quote_status
        if rfq is None:
            label.setText("")
            return
        quote = rfq.quote
        bids = "" if quote is None else maker_quote_text(quote.yes_bid, quote.no_bid)
        colour = c.muted
        status = rfq.status
        if confirm_expired(rfq, now):
            text, colour = f"Voided — not confirmed in time ({bids})", c.bad
        elif quote is None:
            text = "No quote sent yet" if status is not MakerStatus.CLOSED else ""
        elif status is MakerStatus.QUOTE_SENT:
            text, colour = f"Sent {bids} — waiting for the exchange", c.busy
        elif status is MakerStatus.QUOTED:
            text, colour = f"Pending — live: {bids}", c.ok
        elif status is MakerStatus.QUOTE_REJECTED:
            text, colour = f"Rejected: {rfq.text or 'no reason given'} ({bids})", c.bad
        elif status is MakerStatus.OPEN and quote.cancelled:
            text = f"Cancelled: {bids}"
        elif status is MakerStatus.ACCEPTED:
            text, colour = f"Accepted {bids}: {self._side_hit_words(rfq)}", c.busy
        elif status is MakerStatus.CONFIRMING:
            text, colour = "Confirm sent — waiting for the exchange", c.busy
        elif status is MakerStatus.CONFIRMED:
            text, colour = "Confirmed — the trade follows as executions", c.ok
        elif status is MakerStatus.VOIDED:
            text, colour = f"Voided — {rfq.text or 'not confirmed'}", c.bad
        else:
            text = f"Our quote: {bids}"
        if status is MakerStatus.CLOSED:
            reason = rfq.text or "cancelled by the requester or expired"
            text, colour = f"RFQ closed: {reason}", c.muted
        if rfq.text and status in (MakerStatus.QUOTED, MakerStatus.OPEN, MakerStatus.ACCEPTED):
            text = f"{text}\n{rfq.text}"
        label.setText(text)
        label.setStyleSheet(f"color: {colour}; font-weight: bold;")

    @staticmethod
    def _side_hit_words(rfq: MakerRfq) -> str:
        if rfq.side_hit is Side.BUY:
            return "your YES bid was hit"
        if rfq.side_hit is Side.SELL:
            return "your NO bid was hit"
        return "the side hit was not given"

    def _refresh_confirm_box(self, rfq: MakerRfq | None, now: float) -> None:
        c = self._colours()
        refusal = self._refusals.get("confirm")
        self.confirm_error.setText(f"⚠ {refusal}" if refusal else "")
        self.confirm_error.setVisible(bool(refusal))
        shown = rfq is not None and (
            rfq.status in (MakerStatus.ACCEPTED, MakerStatus.CONFIRMING, MakerStatus.CONFIRMED)
            or (rfq.status is MakerStatus.VOIDED and rfq.side_hit is not None)
        )
        self.confirm_box.setVisible(shown)
        if rfq is None or not shown:
            return
        words = rfq.trade_words
        expired = confirm_expired(rfq, now)
        if rfq.status is MakerStatus.ACCEPTED and not expired:
            left = whole_seconds_left(rfq.seconds_to_confirm(now) or 0.0)
            urgent = left < CONFIRM_URGENT_SECONDS
            self.confirm_headline.setText(f"ACCEPTED — {self._side_hit_words(rfq)}. Confirm now")
            self.confirm_headline.setStyleSheet(f"color: {c.busy};")
            self.confirm_trade.setText(f"Confirming trades: {words}" if words else "")
            self.countdown.setText(f"{left} s left")
            self.countdown.setToolTip(
                f"{left} seconds left of the confirm window; then the quote is voided"
            )
            self.countdown.setStyleSheet(f"color: {c.bad if urgent else c.busy};")
            busy = self.busy(ACTION_CONFIRM)
            enabled = not self._listen_only and not busy
            self.confirm_button.setText("Confirm")
            self.confirm_button.setEnabled(enabled)
            self._confirm_style(urgent, enabled)
            return
        self.confirm_button.setEnabled(False)
        self._confirm_style(False, False)
        if rfq.status is MakerStatus.CONFIRMING:
            self.confirm_headline.setText("Confirm sent — waiting for the exchange")
            self.confirm_headline.setStyleSheet(f"color: {c.busy};")
            self.confirm_trade.setText(f"Trading: {words}" if words else "")
            self.countdown.setText("…")
            self.countdown.setStyleSheet(f"color: {c.busy};")
            self.confirm_button.setText("Confirming…")
        elif rfq.status is MakerStatus.CONFIRMED:
            self.confirm_headline.setText("Confirmed — the trade follows as executions")
            self.confirm_headline.setStyleSheet(f"color: {c.ok};")
            self.confirm_trade.setText(f"Traded: {words}" if words else "")
            self.countdown.setText("✓")
            self.countdown.setStyleSheet(f"color: {c.ok};")
            self.confirm_button.setText("Confirmed")
        else:
            reason = "not confirmed in time" if expired else (rfq.text or "not confirmed")
            self.confirm_headline.setText(f"Expired — quote voided ({reason})")
            self.confirm_headline.setStyleSheet(f"color: {c.bad};")
            self.confirm_trade.setText(f"Would have traded: {words}" if words else "")
            self.countdown.setText("0 s")
            self.countdown.setStyleSheet(f"color: {c.bad};")
            self.confirm_button.setText("Voided")
