"""Amend (cancel/replace) an order's price or quantity, with the queue-position cue.

Kalshi amends with an OrderCancelReplaceRequest carrying the new *total* quantity and the
YES price (SPEC §9.3). The trader edits the price in the terms of the contract they named
(a Buy NO at 62¢ is amended in NO cents) and the total quantity. Like TT's order book, the
dialog says before sending whether the order keeps its place in the queue: lowering the
quantity keeps it; changing the price or raising the quantity sends it to the back.

A new total equal to the filled quantity cancels the rest (said as a warning); below it
the exchange would refuse, so the dialog does too. Open it with ``open()``; on ``accepted``
read :meth:`AmendDialog.new_yes_price` and :meth:`AmendDialog.new_quantity` (None = unchanged).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.trading.order import Order
from workstation.trading.ticket import CENT_TICK, SUBPENNY_TICK, Intent
from workstation.ui.format import (
    contract_price,
    dollars_text,
    price_text,
    quantity_text,
    side_text,
)
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = ["AmendDialog", "QueueCue", "queue_cue"]

_ONE = Decimal(1)
_HUNDRED = Decimal(100)


class QueueCue:
    """What an amend does to the order's place in the queue (the text shown)."""

    KEEPS = "Keeps queue position: only the quantity goes down"
    LOSES_PRICE = "Loses queue position: a new price joins the back of the queue at that price"
    LOSES_SIZE = "Loses queue position: raising the quantity sends the order to the back"
    NOTHING = "Nothing changed"


def queue_cue(
    old_price: Decimal | None, old_qty: Decimal, new_price: Decimal | None, new_qty: Decimal
) -> str:
    """The :class:`QueueCue` text for changing (price, quantity) to the new values."""
    if new_price is not None and new_price != old_price:
        return QueueCue.LOSES_PRICE
    if new_qty > old_qty:
        return QueueCue.LOSES_SIZE
    if new_qty < old_qty:
        return QueueCue.KEEPS
    return QueueCue.NOTHING


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class AmendDialog(QDialog):
    """See the module docstring."""

    def __init__(
        self,
        order: Order,
        intent: Intent | None,
        *,
        subpenny: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("amendDialog")
        self.setWindowTitle("Amend order")
        self.order = order
        self.intent = intent
        self._subpenny = subpenny
        self._old_price = contract_price(order.price, order.side, intent)
        dark = is_dark_palette(self.palette())
        self._colours = STATUS_COLORS[Theme.DARK if dark else Theme.LIGHT]

        layout = QVBoxLayout(self)
        side = side_text(order.side, intent)
        summary = QLabel(
            f"<b>{side} {quantity_text(order.order_qty)} {order.symbol}</b> at "
            f"{price_text(self._old_price)}<br>"
            f"{quantity_text(order.cum_qty)} filled, {quantity_text(order.leaves_qty)} open · "
            f"{order.status.value}<br><small>ClOrdID {order.cl_ord_id}</small>"
        )
        summary.setObjectName("amendSummary")
        summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(summary)

        form = QFormLayout()
        self.price_edit = QLineEdit(self._price_field_text(self._old_price))
        self.price_edit.setObjectName("amendPrice")
        self.price_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        contract = "NO" if side.endswith("NO") else "YES"
        unit = "$" if subpenny else "¢"
        self.price_edit.setToolTip(f"New price of the {contract} contract, in {unit}")
        form.addRow(f"Price ({contract}, {unit})", self.price_edit)
        self.qty_edit = QLineEdit(quantity_text(order.order_qty).replace(",", ""))
        self.qty_edit.setObjectName("amendQuantity")
        self.qty_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.qty_edit.setToolTip(
            "New total quantity (filled + open). Equal to the filled quantity cancels the rest"
        )
        form.addRow("Total quantity", self.qty_edit)
        layout.addLayout(form)

        self.wire = QLabel()
        self.wire.setObjectName("amendWire")
        self.wire.setStyleSheet(f"color: {self._colours.muted};")
        layout.addWidget(self.wire)
        self.cue = QLabel()
        self.cue.setObjectName("amendQueueCue")
        self.cue.setWordWrap(True)
        layout.addWidget(self.cue)
        self.error = QLabel()
        self.error.setObjectName("amendError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {self._colours.bad};")
        layout.addWidget(self.error)

        self.buttons = QDialogButtonBox()
        self.send_button = QPushButton("Send amend")
        self.send_button.setObjectName("amendSend")
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.price_edit.textEdited.connect(self._validate)
        self.qty_edit.textEdited.connect(self._validate)
        self._validate()
        self.price_edit.setFocus()
        self.price_edit.selectAll()

    def _price_field_text(self, price: Decimal | None) -> str:
        if price is None:
            return ""
        if self._subpenny:
            return dollars_text(price)
        return price_text(price).rstrip("¢")

    def _read_price(self) -> Decimal | None:
        value = _decimal(self.price_edit.text().rstrip("¢").lstrip("$"))
        if value is None:
            return None
        return value if self._subpenny else value / _HUNDRED

    def _read_quantity(self) -> Decimal | None:
        return _decimal(self.qty_edit.text())

    def _problem(self, price: Decimal | None, qty: Decimal | None) -> str:
        tick = SUBPENNY_TICK if self._subpenny else CENT_TICK
        if price is None:
            return "Enter a price"
        if not tick <= price <= _ONE - tick or price % tick:
            low, high = ("0.0001", "0.9999") if self._subpenny else ("1¢", "99¢")
            return f"Price must be on the {price_text(tick)} grid between {low} and {high}"
        if qty is None or qty != qty.to_integral_value():
            return "Quantity must be a whole number of contracts"
        if qty < self.order.cum_qty:
            return (
                f"Quantity {quantity_text(qty)} is below the {quantity_text(self.order.cum_qty)}"
                " already filled"
            )
        return ""

    def _validate(self, *_args: object) -> None:
        price, qty = self._read_price(), self._read_quantity()
        problem = self._problem(price, qty)
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        if problem or qty is None:
            self.cue.setText("")
            self.wire.setText("")
            self.send_button.setEnabled(False)
            return
        yes = contract_price(price, self.order.side, self.intent)
        self.wire.setText(
            f"Kalshi gets: Side {self.order.side.value}, YES price {price_text(yes)}, "
            f"total {quantity_text(qty)}"
        )
        cue = queue_cue(self._old_price, self.order.order_qty, price, qty)
        if qty == self.order.cum_qty:
            cue = f"{cue}. The new total equals the filled quantity: this cancels the rest"
        colour = (
            self._colours.busy
            if cue.startswith("Loses") or qty == self.order.cum_qty
            else self._colours.ok
            if cue.startswith("Keeps")
            else self._colours.muted
        )
        self.cue.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.cue.setText(cue)
        self.send_button.setEnabled(cue != QueueCue.NOTHING)

    # -- results ----------------------------------------------------------------------------

    def new_price(self) -> Decimal | None:
        """The new price in the contract's terms, or None if unchanged."""
        price = self._read_price()
        return None if price is None or price == self._old_price else price

    def new_yes_price(self) -> Decimal | None:
        """The new YES price to send (what Kalshi's Price 44 means), or None if unchanged."""
        price = self.new_price()
        if price is None:
            return None
        yes = contract_price(price, self.order.side, self.intent)  # NO ↔ YES is symmetric
        return yes

    def new_quantity(self) -> Decimal | None:
        """The new total quantity, or None if unchanged."""
        qty = self._read_quantity()
        return None if qty is None or qty == self.order.order_qty else qty
