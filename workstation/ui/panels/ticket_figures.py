"""The order ticket's "If it fills" box: the order Kalshi will get, its cost, fee, max loss,
max payout, max profit, break-even, what closing brings in, our position in the market and
the available balance (the last poll, adjusted by the fills since), with a warning when the
max loss is above it. Figures from ``trading.ticket``; nothing here sends anything.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from workstation.client.market_data import MarketSnapshot
from workstation.trading.positions import Positions
from workstation.trading.ticket import Intent, Ticket, order_terms, ticket_figures
from workstation.ui.format import (
    et_time_text,
    money_text,
    percent_text,
    price_text,
    quantity_text,
    signed_money_text,
)
from workstation.ui.panels.ticket_style import Tones

__all__ = ["FIGURES", "FiguresBox", "available_balance", "position_text"]

#: (key, caption, tooltip) of each figure, in the order shown.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("cost", "Cost", "Contracts × the price of the contract bought"),
    ("fee", "Fee (taker)", "Kalshi's taker fee, the worst case; resting orders pay less"),
    ("max_loss", "Max loss", "Cost + fee: lost if the contract bought settles at $0"),
    ("max_payout", "Max payout", "$1 per contract if the contract bought wins"),
    ("max_profit", "Max profit", "Payout − cost − fee"),
    ("break_even", "Break-even", "The chance of winning at which the order breaks even"),
    ("proceeds", "If closing", "What selling contracts you hold brings in"),
    ("position", "Position", "What you hold in this market now"),
    ("balance", "Available", "Balance from the last poll, adjusted by fills since"),
)
_ORDER_FIGURES = ("cost", "fee", "max_loss", "max_payout", "max_profit", "break_even")


def available_balance(
    snapshot: MarketSnapshot | None, positions: Positions
) -> tuple[Decimal | None, str]:
    """The balance last polled plus the collateral changes of the fills since, and how it
    reads: ``$95.32  (poll 10:29:00 ET, −$4.68 from fills since)``."""
    if snapshot is None or snapshot.balance is None:
        return None, "unknown (no balance poll yet)"
    since = positions.balance_since(snapshot.as_of)
    text = f"{money_text(snapshot.balance + since)}"
    detail = f"poll {et_time_text(snapshot.as_of)[:8]} ET"
    if since:
        detail += f", {signed_money_text(since)} from fills since"
    return snapshot.balance + since, f"{text}  ({detail})"


def position_text(positions: Positions, symbol: str) -> str:
    """What we hold in ``symbol``: ``10 YES avg 45¢``, one part per sub-account."""
    if not symbol:
        return "—"
    held = [p for p in positions if p.symbol == symbol and p.net != 0]
    if not held:
        return "none"
    parts = []
    for p in held:
        who = "" if p.sub_account is None else f" (sub {p.sub_account})"
        avg = p.avg_entry_price
        at = "" if avg is None else f" avg {price_text(avg)}"
        parts.append(f"{quantity_text(p.quantity)} {p.held.value}{at}{who}")
    return "; ".join(parts)


class FiguresBox(QGroupBox):
    """See the module docstring. ``labels`` by figure key (:data:`FIGURES`); ``equivalent``
    the order in words; ``balance_warning`` the max-loss warning."""

    def __init__(self, tones: Tones, parent: QWidget | None = None) -> None:
        super().__init__("If it fills", parent)
        self.setObjectName("ticketFigures")
        self._tones = tones
        self.max_loss: Decimal | None = None  #: of the order shown; None without one
        form = QFormLayout(self)
        self.form = form
        form.setVerticalSpacing(2)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.equivalent = QLabel()
        self.equivalent.setObjectName("ticketEquivalent")
        self.equivalent.setWordWrap(True)
        bold = QFont(self.equivalent.font())
        bold.setBold(True)
        self.equivalent.setFont(bold)
        form.addRow(self.equivalent)
        self.labels: dict[str, QLabel] = {}
        for key, caption, tip in FIGURES:
            label = QLabel()
            label.setObjectName(f"ticketFigure_{key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setToolTip(tip)
            caption_label = QLabel(caption)
            caption_label.setToolTip(tip)
            form.addRow(caption_label, label)
            self.labels[key] = label
        self.balance_warning = QLabel()
        self.balance_warning.setObjectName("ticketBalanceWarning")
        self.balance_warning.setWordWrap(True)
        form.addRow(self.balance_warning)

    def show_order(self, ticket: Ticket | None, intent: Intent) -> None:
        """The figures of ``ticket`` (dashes, and what to enter, while it cannot be read)."""
        labels = self.labels
        self.max_loss = None
        if ticket is None or not (0 < ticket.price < 1) or ticket.quantity <= 0:
            self.equivalent.setText(
                f"{intent.value}: enter a price and a quantity to see the order"
            )
            for key in _ORDER_FIGURES:
                labels[key].setText("—")
            self.form.setRowVisible(labels["proceeds"], False)
            return
        terms = order_terms(ticket.intent, ticket.price, ticket.quantity)
        figures = ticket_figures(ticket.intent, ticket.price, ticket.quantity)
        self.equivalent.setText(terms.words)
        labels["cost"].setText(
            f"{money_text(figures.cost)}  ({quantity_text(ticket.quantity)} "
            f"{figures.contract_bought} × {price_text(figures.price_paid)})"
        )
        labels["fee"].setText(money_text(figures.fee))
        labels["max_loss"].setText(money_text(figures.max_loss))
        labels["max_payout"].setText(money_text(figures.max_payout))
        labels["max_profit"].setText(money_text(figures.max_profit))
        labels["break_even"].setText(
            f"{percent_text(figures.break_even)} chance that {figures.contract_bought} wins"
        )
        self.form.setRowVisible(labels["proceeds"], figures.proceeds_if_closing is not None)
        if figures.proceeds_if_closing is not None:
            labels["proceeds"].setText(
                f"{money_text(figures.proceeds_if_closing)} for {quantity_text(ticket.quantity)} "
                f"{ticket.intent.contract} held"
            )
        self.max_loss = figures.max_loss

    def show_position(self, text: str) -> None:
        self.labels["position"].setText(text)

    def show_balance(self, available: Decimal | None, text: str) -> None:
        """The available balance, and the warning when the max loss of the order shown is
        above it."""
        self.labels["balance"].setText(text)
        max_loss = self.max_loss
        if available is not None and max_loss is not None and max_loss > available:
            self._tones.apply(self.balance_warning, "busy")
            self.balance_warning.setText(
                f"Max loss {money_text(max_loss)} is above the available "
                f"{money_text(available)}: the exchange may refuse it (insufficient balance)"
            )
            self.balance_warning.show()
        else:
            self.balance_warning.hide()
