"""The workstation as a trader runs it, for end-to-end GUI tests: the real Desk starting the
real local venue (over loopback, flow off for determinism) and the real window from
``build_window``, plus the people around it — a counterparty account trading the other side
through its own signed FIX session, and the venue's operator at the admin port.

Everything runs on the test's qasync loop, which the ``live_loop`` fixture keeps *running*
for the whole test (see ``conftest.py``), so whatever processes Qt events also runs the
asyncio callbacks. :func:`wait_until` processes events until a condition holds and fails
naming what it waited for after a few seconds, so every test is bounded; :func:`finish`
runs a coroutine to its end the same way.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView, QWidget

from tests.simulator.venue_harness import Client, ClientKey, connect, make_key, register
from workstation.client.config import WorkstationConfig
from workstation.client.desk import Desk
from workstation.client.local_venue import LocalVenue
from workstation.client.paths import Paths
from workstation.fix.dialect import SessionType
from workstation.fix.events import MessageReceived
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import Side
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.prices import PriceFormat
from workstation.net.initiator import InitiatorState
from workstation.simulator.admin import AdminClient
from workstation.simulator.venue import Venue
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent
from workstation.ui.bridge import DeskBridge
from workstation.ui.main_window import MainWindow
from workstation.ui.models.table_base import RecordTableModel
from workstation.ui.panels.blotter import Blotter
from workstation.ui.panels.message_log import MessageLogPanel
from workstation.ui.panels.session_status import SessionStatusPanel
from workstation.ui.panels.ticket import OrderTicket
from workstation.ui.wiring import build_window

__all__ = [
    "CLOSED_MARKET",
    "COUNTERPARTY",
    "MARKET",
    "WAIT_S",
    "Counterparty",
    "Workstation",
    "cell",
    "double_click",
    "enter_order",
    "finish",
    "order_status",
    "pump",
    "rows",
    "submit_order",
    "wait_until",
]

T = TypeVar("T")

#: An open market of the built-in set (reference price 45¢), and one that is closed.
MARKET = "KXNBAGAME-26NOV24NYKBOS-NYK"
CLOSED_MARKET = "KXCPIYOY-26OCT-T3.2"
COUNTERPARTY = "acct-counterparty"
#: How long any one thing may take before a test fails (loopback, two cores, a busy CI box).
WAIT_S = 10.0


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    """Process events (Qt's and so the running loop's) until ``condition()`` holds; fail
    naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        QTest.qWait(10)


def pump(seconds: float) -> None:
    """Let the loop and Qt run for ``seconds`` (to show that something does *not* happen)."""
    QTest.qWait(int(seconds * 1000))


def finish(coro: Coroutine[Any, Any, T], timeout: float = WAIT_S) -> T:
    """Run ``coro`` as a task on the running loop until it ends; its result."""
    task = asyncio.get_running_loop().create_task(coro)
    wait_until(task.done, f"{getattr(coro, '__qualname__', 'a coroutine')} to finish", timeout)
    return task.result()


def rows(view: QTableView) -> list[dict[str, str]]:
    """Every row the table shows, top to bottom, as {column name: text shown}."""
    model = view.model()
    assert isinstance(model, RecordTableModel)
    names = [column.name for column in model.columns]
    return [
        {name: str(model.data(model.index(row, col)) or "") for col, name in enumerate(names)}
        for row in range(model.rowCount())
    ]


def cell(view: QTableView, key: Any, column: str) -> str:
    """The text the table shows for the record ``key`` in ``column`` ("" if not shown)."""
    model = view.model()
    assert isinstance(model, RecordTableModel)
    row = model.row_of(key)
    if row is None:
        return ""
    value = model.data(model.index(row, model.column_index(column)))
    return "" if value is None else str(value)


@dataclass
class Workstation:
    """One running workstation: Desk, window and bridge on a data directory."""

    paths: Paths
    desk: Desk
    window: MainWindow
    bridge: DeskBridge
    closed: bool = False
    _admin: AdminClient | None = None

    @classmethod
    def launch(cls, data_dir: Path, config: WorkstationConfig | None = None) -> Workstation:
        """Start as ``workstation --data-dir data_dir --no-flow`` does: the window first,
        then the Desk (which starts the local venue when the profile is local)."""
        paths = Paths.resolve(data_dir=data_dir)
        desk = Desk(
            config or WorkstationConfig(),
            data_dir=paths.data_dir,
            local_flow=False,
            venue_in_process=True,
        )
        window, bridge = build_window(desk, paths, on_closed=lambda: None)
        window.show()
        station = cls(paths=paths, desk=desk, window=window, bridge=bridge)
        finish(desk.start())
        return station

    def ready(self) -> None:
        """Wait until every session is logged on and the first market poll is shown."""
        wait_until(self.desk.all_logged_on, "every session to log on")
        wait_until(lambda: self.desk.market is not None, "the first market poll")
        wait_until(lambda: self.ticket.market_combo.count() > 0, "the ticket's market list")

    def close(self) -> None:
        """Close the window (it saves its layout) and stop the Desk and the local venue."""
        if self.closed:
            return
        self.closed = True
        self.window.close()
        if self._admin is not None:
            finish(self._admin.close())
        finish(self.bridge.shutdown())
        finish(self.desk.stop())
        self.window.deleteLater()
        QApplication.sendPostedEvents(None, 0)

    # ------------------------------------------------------------------ panels

    def panel(self, name: str, kind: type[T]) -> T:
        widget = self.window.panel(name)
        assert isinstance(widget, kind), f"dock {name} holds {widget!r}, not a {kind.__name__}"
        return widget

    @property
    def ticket(self) -> OrderTicket:
        return self.panel("orderTicket", OrderTicket)

    @property
    def blotter(self) -> Blotter:
        return self.panel("blotter", Blotter)

    @property
    def message_log(self) -> MessageLogPanel:
        return self.panel("messageLog", MessageLogPanel)

    @property
    def session_status(self) -> SessionStatusPanel:
        return self.panel("sessionStatus", SessionStatusPanel)

    # ------------------------------------------------------------------ the venue

    @property
    def venue(self) -> Venue:
        assert isinstance(self.desk.local, LocalVenue), "no in-process local venue"
        return self.desk.local.venue

    def port(self, session_type: SessionType) -> int:
        assert self.desk.local is not None
        return int(self.desk.local.ready["sessions"][session_type.value])

    def admin(self, cmd: str, **args: Any) -> dict[str, Any]:
        """One command at the venue's admin port (over loopback); fails if it is refused."""
        if self._admin is None:
            assert self.desk.local is not None
            ready = self.desk.local.ready
            self._admin = finish(AdminClient.connect(ready["host"], int(ready["admin"])))
        answer = finish(self._admin.send(cmd, **args))
        assert answer.get("ok"), f"admin {cmd} refused: {answer}"
        return answer


@dataclass
class Counterparty:
    """Another account on the workstation's venue, trading through its own signed KalshiRT
    session (``tests.simulator.venue_harness``).

    It joins the running venue with no hook: the venue reads its key registry at each Logon,
    and funding an account is an exchange call.
    """

    station: Workstation
    account: str
    key: ClientKey
    client: Client

    @classmethod
    def join(
        cls,
        station: Workstation,
        key_dir: Path,
        *,
        account: str = COUNTERPARTY,
        balance: Decimal = Decimal("100000.00"),
    ) -> Counterparty:
        """Register a trading key for ``account`` on the running venue, fund it, log on."""
        key = make_key(key_dir, f"{account}-{uuid.uuid4().hex[:6]}")
        register(station.venue.registry, key, account)
        if account not in station.venue.exchange.ledger.accounts:
            station.venue.exchange.fund(account, balance)
        client = connect(station.port(SessionType.RT), key, SessionType.RT)
        party = cls(station=station, account=account, key=key, client=client)
        wait_until(
            lambda: client.initiator.state is InitiatorState.ACTIVE,
            f"{account} to log on",
        )
        return party

    def order(self, symbol: str, side: Side, quantity: int, price: str) -> str:
        """Send a limit NewOrderSingle (price: the YES price in dollars); its ClOrdID."""
        cl_ord_id = f"cp-{uuid.uuid4().hex[:12]}"
        order = NewOrderSingle(
            cl_ord_id=cl_ord_id,
            symbol=symbol,
            side=side,
            order_qty=Decimal(quantity),
            price=Decimal(price),
        )
        self.client.initiator.send("D", order.to_body(PriceFormat.CENTS))
        return cl_ord_id

    def reports(self, cl_ord_id: str) -> list[FixMessage]:
        """The ExecutionReports received for one of our orders, oldest first."""
        return [
            e.message
            for e in self.client.events
            if isinstance(e, MessageReceived)
            and e.message.msg_type == "8"
            and e.message.get(11) == cl_ord_id
        ]

    def close(self) -> None:
        finish(self.client.initiator.stop())


def enter_order(
    qtbot: Any, station: Workstation, symbol: str, intent: Intent, cents: str, quantity: str
) -> None:
    """Fill the ticket in as a trader does — type the market, click the side, type price and
    quantity — and click the submit button."""
    ticket = station.ticket
    line = ticket.market_combo.lineEdit()
    assert line is not None
    qtbot.mouseClick(line, Qt.MouseButton.LeftButton)
    line.selectAll()
    qtbot.keyClicks(line, symbol)
    qtbot.mouseClick(ticket.intent_buttons[intent], Qt.MouseButton.LeftButton)
    for edit, text in ((ticket.price_edit, cents), (ticket.qty_edit, quantity)):
        edit.selectAll()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(ticket.submit_button, Qt.MouseButton.LeftButton)


def double_click(qtbot: Any, widget: QWidget, pos: QPoint) -> None:
    """A double click as the mouse makes it: press and release, then the double-click press
    and release (QTest's ``mouseDClick`` alone is only the second half)."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=pos)


def submit_order(
    qtbot: Any, station: Workstation, symbol: str, intent: Intent, cents: str, quantity: str
) -> Order:
    """:func:`enter_order`, then wait until the Desk holds the new order; that order."""
    before = {order.first_cl_ord_id for order in station.desk.orders}
    enter_order(qtbot, station, symbol, intent, cents, quantity)
    wait_until(
        lambda: any(o.first_cl_ord_id not in before for o in station.desk.orders),
        f"the order for {symbol} to be sent (ticket says: {station.ticket.outcome.text()!r})",
    )
    return next(o for o in station.desk.orders if o.first_cl_ord_id not in before)


def order_status(station: Workstation, key: str) -> OrderStatus | None:
    order = station.desk.orders.get(key)
    return None if order is None else order.status
