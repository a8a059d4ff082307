"""The RFQ panel's requester tab (our order session, SPEC §13): pick a market and a size
and request quotes; our RFQs with their status, size, live quote count, best bids and age;
the quotes of the one selected as they arrive, with what each means to us (Buy YES at
100¢ − the NO bid: AcceptQuote Side 1; Sell YES at the YES bid: Side 2); accept a quote on
either side, or cancel the RFQ.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workstation.fix.messages.enums import Side
from workstation.trading.rfq import Rfq, RfqQuote, RfqStatus
from workstation.ui.format import price_text, quantity_text
from workstation.ui.models.rfq_models import (
    accepted_words,
    rfq_size_text,
)
from workstation.ui.panels.rfq_panel_base import (
    ACTION_ACCEPT,
    ACTION_CANCEL_RFQ,
    ACTION_CREATE,
    RfqPanelBase,
    bold,
)

__all__ = ["RequesterView"]

_CENT = Decimal("0.01")
_CANCELLABLE_RFQ = frozenset({RfqStatus.SENT, RfqStatus.OPEN})


class RequesterView(RfqPanelBase):
    """The requester tab's widgets and behaviour (a part of :class:`~.rfq_panel.RfqPanel`)."""

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
        bold(caption)
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
        bold(self.quotes_title)
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
            bold(button)
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

    def selected_rfq(self) -> Rfq | None:
        key = self._selected_rfq
        return None if key is None else self.rfq_model.record(key)

    def selected_quote(self) -> RfqQuote | None:
        rfq = self.selected_rfq()
        key = self._selected_quote
        return None if rfq is None or key is None else rfq.quote(key)

    def select_rfq(self, quote_req_id: str) -> None:
        self._select_row(self.rfq_table, self.rfq_model.row_of(quote_req_id))

    def select_quote(self, quote_id: str) -> None:
        self._select_row(self.quotes_table, self.quotes_model.row_of(quote_id))

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

    def _can_accept(self, rfq: Rfq, quote: RfqQuote, side: Side) -> bool:
        taken = quote.no_bid if side is Side.BUY else quote.yes_bid
        return rfq.status is RfqStatus.OPEN and taken is not None

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
