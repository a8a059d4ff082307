"""The RFQ panel's market-maker tab (KalshiRFQ, SPEC §13): incoming requests; quote the one
selected with a YES and a NO bid (the spread shown as typed, a quote over $1 refused before
anything is sent); our quote's status; after ACCEPTED, Confirm with the seconds left of the
confirm window (red under 10 s), and an alert above the tabs while an accepted quote waits
off screen.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workstation.fix.messages.enums import Side
from workstation.trading.rfq_maker import MakerRfq, MakerStatus, quote_problem
from workstation.ui.format import MINUS, money_text, price_text, quantity_text
from workstation.ui.models.rfq_models import (
    CONFIRM_URGENT_SECONDS,
    confirm_expired,
    maker_quote_text,
    rfq_size_text,
    spread_cents,
    whole_seconds_left,
)
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.panels.rfq_panel_base import (
    ACTION_CANCEL_QUOTE,
    ACTION_CONFIRM,
    ACTION_SEND_QUOTE,
    RfqPanelBase,
    bold,
    cents_text,
    parse_bid_cents,
)

__all__ = ["MakerView"]

_HUNDRED = Decimal(100)
_QUOTABLE = frozenset(
    {MakerStatus.OPEN, MakerStatus.QUOTE_SENT, MakerStatus.QUOTED, MakerStatus.QUOTE_REJECTED}
)
_CANCELLABLE_QUOTE = frozenset({MakerStatus.QUOTE_SENT, MakerStatus.QUOTED})


class MakerView(RfqPanelBase):
    """The market-maker tab's widgets and behaviour (a part of :class:`~.rfq_panel.RfqPanel`)."""

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
        bold(caption)
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
        bold(self.maker_title)
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
        bold(self.spread_label)
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
        bold(self.confirm_headline, 1)
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
        bold(self.confirm_button, 3)
        row.addWidget(self.confirm_button, 2)
        self.countdown = QLabel()
        self.countdown.setObjectName("rfqCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setMinimumWidth(150)
        bold(self.countdown, 8)
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

    def set_subpenny(self, subpenny: bool) -> None:
        """Quote in hundredths of a cent (the RFQ session logged on with UseDollars)."""
        self._subpenny = subpenny
        self._refresh_editor()

    def selected_maker_rfq(self) -> MakerRfq | None:
        key = self._selected_maker
        return None if key is None else self.maker_model.record(key)

    def select_maker_rfq(self, quote_req_id: str) -> None:
        self._select_row(self.maker_table, self.maker_model.row_of(quote_req_id))

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
            self.yes_edit.setText(cents_text(quote.yes_bid) if live and quote else "")
            self.no_edit.setText(cents_text(quote.no_bid) if live and quote else "")
        self._refresh_maker()

    def _select_first_if_none(self) -> None:
        if self._selected_maker is None and self.maker_model.rowCount() > 0:
            self._select_row(self.maker_table, 0)

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
            yes_c, no_c = cents_text(yes), cents_text(no)
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
