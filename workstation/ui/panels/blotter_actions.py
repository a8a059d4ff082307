"""The trader's actions on orders from the blotter: amend (the dialog, with the queue-position
cue), cancel, and cancel all (confirmed first), and the context menu that offers them.

Each action runs as a task; an order with a request running from here cannot be sent
another, cancel all runs once at a time, and every outcome (sent, refused and why) goes to
the blotter's status line. A listen-only desk allows none of them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable
from decimal import Decimal
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from workstation.client.desk import ActionRefused, NeedsConfirmation
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.orders import Orders
from workstation.ui.models.orders_model import IntentBook
from workstation.ui.panels.amend_dialog import AmendDialog

__all__ = ["OrderActions", "OrderActionsDesk"]

_log = logging.getLogger(__name__)
_AMENDABLE = frozenset({OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED})


class OrderActionsDesk(Protocol):
    """What the actions need from the Desk."""

    @property
    def listen_only(self) -> bool: ...
    @property
    def orders(self) -> Orders: ...
    async def cancel(self, cl_ord_id: str) -> None: ...
    async def replace(
        self, cl_ord_id: str, *, price: Decimal | None = None, quantity: Decimal | None = None
    ) -> None: ...
    async def cancel_all(self) -> int: ...


class OrderActions:
    """See the module docstring. ``parent`` owns the dialogs and menu actions; ``say``
    shows an outcome (``error=True`` for a refusal or failure)."""

    def __init__(
        self,
        desk: OrderActionsDesk,
        parent: QWidget,
        *,
        intents: IntentBook,
        subpenny: Callable[[], bool],
        say: Callable[..., None],
        cancel_all_button: QPushButton,
    ) -> None:
        self._desk = desk
        self._parent = parent
        self._intents = intents
        self._subpenny = subpenny
        self._say = say
        self._cancel_all_button = cancel_all_button
        self._tasks: set[asyncio.Task[None]] = set()
        self._busy: set[str] = set()  # ClOrdIDs with a request running from here
        self._cancel_all_running = False
        self._dialog: QMessageBox | AmendDialog | None = None

    def can_amend(self, order: Order) -> bool:
        return (
            not self._desk.listen_only
            and order.status in _AMENDABLE
            and order.first_cl_ord_id not in self._busy
        )

    def can_cancel(self, order: Order) -> bool:
        return (
            not self._desk.listen_only
            and order.is_open
            and order.status is not OrderStatus.PENDING_CANCEL
            and order.first_cl_ord_id not in self._busy
        )

    def actions_for(self, orders: list[Order]) -> list[QAction]:
        """The context-menu actions for the selected orders (first: Amend…, then Cancel)."""
        parent = self._parent
        amend = QAction("Amend price / quantity…", parent)
        amend.setObjectName("actionAmend")
        amend.setEnabled(len(orders) == 1 and self.can_amend(orders[0]))
        if orders:
            amend.triggered.connect(lambda: self.open_amend(orders[0]))
        cancellable = [o for o in orders if self.can_cancel(o)]
        label = "Cancel order" if len(orders) <= 1 else f"Cancel {len(cancellable)} orders"
        cancel = QAction(label, parent)
        cancel.setObjectName("actionCancel")
        cancel.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        cancel.setEnabled(bool(cancellable))
        cancel.triggered.connect(lambda: self.cancel_orders(cancellable))
        copy = QAction("Copy ClOrdID", parent)
        copy.setObjectName("actionCopyClOrdId")
        copy.setEnabled(bool(orders))
        copy.triggered.connect(
            lambda: QGuiApplication.clipboard().setText("\n".join(o.cl_ord_id for o in orders))
        )
        return [amend, cancel, copy]

    def open_amend(self, order: Order) -> AmendDialog | None:
        """Open the amend dialog (``open()``, not ``exec()``); accepted → ``desk.replace``."""
        if not self.can_amend(order):
            return None
        intent = self._intents.get(order.first_cl_ord_id)
        dialog = AmendDialog(order, intent, subpenny=self._subpenny(), parent=self._parent)
        self._dialog = dialog

        def done(result: int) -> None:
            self._dialog = None
            dialog.deleteLater()
            if result != AmendDialog.DialogCode.Accepted:
                return
            price, quantity = dialog.new_yes_price(), dialog.new_quantity()
            if price is None and quantity is None:
                return
            self._run(
                order.first_cl_ord_id,
                f"Amend {order.symbol}",
                lambda: self._desk.replace(order.cl_ord_id, price=price, quantity=quantity),
            )

        dialog.finished.connect(done)
        dialog.open()
        return dialog

    def cancel_orders(self, orders: Iterable[Order]) -> None:
        for order in orders:
            if self.can_cancel(order):
                self._run(order.first_cl_ord_id, f"Cancel {order.symbol}", self._canceller(order))

    def _canceller(self, order: Order) -> Callable[[], Coroutine[Any, Any, None]]:
        return lambda: self._desk.cancel(order.cl_ord_id)

    def ask_cancel_all(self) -> QMessageBox | None:
        """Ctrl+Shift+X / the button: confirm, then ``desk.cancel_all``."""
        if self._desk.listen_only or self._cancel_all_running or self._dialog is not None:
            return None
        count = len(self._desk.orders.open_orders())
        box = QMessageBox(self._parent)
        box.setObjectName("cancelAllConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Cancel all orders")
        box.setText(f"Cancel all {count} open orders?")
        box.setInformativeText(
            "Every open order on this venue is cancelled (one mass cancel where the session "
            "allows it, otherwise order by order)."
        )
        yes = box.addButton("Cancel all orders", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Keep them", QMessageBox.ButtonRole.RejectRole)
        self._dialog = box

        def done(_result: int) -> None:
            self._dialog = None
            box.deleteLater()
            if box.clickedButton() is yes:
                self._start_cancel_all()

        box.finished.connect(done)
        box.open()
        return box

    @property
    def dialog(self) -> QMessageBox | AmendDialog | None:
        """The confirmation or amend dialog while one is open."""
        return self._dialog

    def _start_cancel_all(self) -> None:
        self._cancel_all_running = True
        self._cancel_all_button.setEnabled(False)

        async def run() -> None:
            try:
                asked = await self._desk.cancel_all()
            except (ActionRefused, NeedsConfirmation) as exc:
                self._say(f"Cancel all not sent: {exc}", error=True)
            except Exception as exc:
                _log.exception("cancel all failed")
                self._say(f"Cancel all failed: {exc}", error=True)
            else:
                self._say(f"Cancel all sent: {asked} open orders asked to cancel")
            finally:
                self._cancel_all_running = False
                self._cancel_all_button.setEnabled(not self._desk.listen_only)

        self._spawn(run())

    def _run(self, key: str, what: str, action: Callable[[], Coroutine[Any, Any, None]]) -> None:
        if key in self._busy:
            return
        self._busy.add(key)

        async def run() -> None:
            try:
                await action()
            except (ActionRefused, NeedsConfirmation) as exc:
                self._say(f"{what} not sent: {exc}", error=True)
            except Exception as exc:
                _log.exception("%s failed", what)
                self._say(f"{what} failed: {exc}", error=True)
            else:
                self._say(f"{what}: sent")
            finally:
                self._busy.discard(key)

        self._spawn(run())

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def busy(self) -> bool:
        """Whether any action started here is still running."""
        return bool(self._tasks)
