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

Each tab's widgets and behaviour live in a module of their own (:mod:`.rfq_requester_view`,
:mod:`.rfq_maker_view`), what they share in :mod:`.rfq_panel_base`; the panel here puts
them together: the tabs and the alert above them, the layout, colours, batches and clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.fix.messages.enums import Side
from workstation.trading.changes import Change
from workstation.ui.models.rfq_models import (
    MakerRfqModel,
    RequesterRfqModel,
    RfqQuotesModel,
)
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.panels.rfq_maker_view import MakerView
from workstation.ui.panels.rfq_panel_base import (
    ACTION_ACCEPT,
    ACTION_CANCEL_QUOTE,
    ACTION_CANCEL_RFQ,
    ACTION_CONFIRM,
    ACTION_CREATE,
    ACTION_SEND_QUOTE,
    WIDE_LAYOUT_WIDTH,
    ActionRunner,
    RfqDesk,
    parse_bid_cents,
)
from workstation.ui.panels.rfq_requester_view import RequesterView

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

_TICK_MS = 250
#: Side by side, each half may go narrower than its contents would like (down to this).
_SIDE_MIN_WIDTH = 200


class RfqPanel(RequesterView, MakerView):
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

    def _refresh_all(self) -> None:
        self._refresh_requester()
        self._refresh_maker()
