"""The order-groups model: real UOG requests and UOH answers (encoded, framed, parsed) and
real trade ExecutionReports of orders in the groups, through the real trading state; the
15-second gauge read at a test clock.

:func:`trading_floor` is also the data of the panel's tests and screenshot: five groups —
one comfortably under its limit, one above 80 % (amber), one the exchange triggered after
fills exceeded its limit, one deleted, one on sub-account 2 with nothing filled.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.message import FixMessage
from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import (
    BusinessRejectReason,
    ExecType,
    OrderGroupAction,
    OrdStatus,
    Side,
)
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.order_groups import OrderGroupRequest, OrderGroupResponse
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.values import format_utc_timestamp
from workstation.trading.changes import Change
from workstation.trading.groups import GroupState
from workstation.trading.state import TradingState
from workstation.ui.models.groups_model import (
    GAUGE_COLOR_ROLE,
    GAUGE_COLOURS,
    GAUGE_FRACTION_ROLE,
    GAUGE_LEVEL_ROLE,
    GROUP_ID_ROLE,
    GaugeLevel,
    GroupsModel,
    short_group_id,
)
from workstation.ui.theme import STATUS_COLORS, Theme

VENUE = "local:sim-7e21"
ACCOUNT = "3f9c2a41-7d55-4a0e-9b1f-6c0d2e8a7b13"
T0 = 1773325805.0  #: 2026-03-12 14:30:05 UTC (10:30:05 EDT)
MARKET = "KXHIGHNY-26MAR12-B58.5"

CALM = "770e8400-e29b-41d4-a716-446655440001"
BUSY = "770e8400-e29b-41d4-a716-446655440002"
TRIPPED = "770e8400-e29b-41d4-a716-446655440003"
GONE = "770e8400-e29b-41d4-a716-446655440004"
SUB_TWO = "770e8400-e29b-41d4-a716-446655440005"


class Floor:
    """Our order session's side of the groups: what we sent and what came back."""

    def __init__(self, start: float = T0) -> None:
        self.state = TradingState()
        self.now = start
        self.seq = 0
        self.orders = 0
        self.changes: list[Change] = []

    def clock(self) -> float:
        return self.now

    def _receive(self, msg_type: str, body: list[tuple[int, str]]) -> FixMessage:
        """Frame ``body`` as the exchange would send it and parse it back."""
        self.seq += 1
        header = [
            (49, "KalshiRT"),
            (56, "api-key"),
            (34, str(self.seq)),
            (52, format_utc_timestamp(self.now)),
        ]
        return parse_frame(encode_message(msg_type, header, body))

    def _apply(self, message: object) -> list[Change]:
        changes = self.state.apply(message, venue=VENUE, account=ACCOUNT, now=self.now)
        self.changes += changes
        return changes

    def request(
        self, action: OrderGroupAction, group_id: str | None = None, **kw: int | None
    ) -> OrderGroupRequest:
        request = OrderGroupRequest(action=action, order_group_id=group_id, **kw)
        self.state.groups.requested(request, now=self.now, seq_num=100 + self.seq)
        return request

    def answer(self, group_id: str, **kw: int | None) -> list[Change]:
        response = OrderGroupResponse(order_group_id=group_id, **kw)
        msg = self._receive("UOH", response.to_body())
        return self._apply(OrderGroupResponse.from_message(msg))

    def create(self, group_id: str, limit: int, *, alloc: int | None = None) -> list[Change]:
        self.now += 47
        self.request(OrderGroupAction.CREATE, contracts_limit=limit, alloc_account=alloc)
        return self.answer(group_id, contracts_limit=limit, alloc_account=alloc)

    def act(self, action: OrderGroupAction, group_id: str) -> list[Change]:
        self.request(action, group_id)
        return self.answer(group_id)

    def refuse(self, action: OrderGroupAction, group_id: str, text: str) -> list[Change]:
        self.request(action, group_id)
        reject = BusinessMessageReject(
            reason=BusinessRejectReason.UNKNOWN_ID, ref_msg_type="UOG", text=text
        )
        return self._apply(reject)

    def order(self, group_id: str, qty: int, price: str = "0.45") -> str:
        self.orders += 1
        cl = f"g-{self.orders:04d}"
        nos = NewOrderSingle(
            cl_ord_id=cl,
            symbol=MARKET,
            side=Side.BUY,
            order_qty=Decimal(qty),
            price=Decimal(price),
            order_group_id=group_id,
        )
        self.changes += self.state.orders.submitted(nos, venue=VENUE, account=ACCOUNT, now=self.now)
        return cl

    def report(
        self, cl: str, qty: int, cum: int, exec_type: ExecType, *, last: int = 0, text: str = ""
    ) -> list[Change]:
        self.seq += 1
        if exec_type is ExecType.TRADE:
            status = OrdStatus.FILLED if cum >= qty else OrdStatus.PARTIALLY_FILLED
        else:
            status = OrdStatus.CANCELED
        price = Decimal("0.45")
        er = ExecutionReport(
            exec_id=ExecId(5_000 + self.seq, 1),
            order_id=f"ord-{cl}",
            cl_ord_id=cl,
            exec_type=exec_type,
            ord_status=status,
            symbol=MARKET,
            side=Side.BUY,
            order_qty=Decimal(qty),
            cum_qty=Decimal(cum),
            leaves_qty=Decimal(0 if status is OrdStatus.CANCELED else qty - cum),
            avg_px=price,
            price=price,
            last_px=price if last else None,
            last_qty=Decimal(last) if last else None,
            transact_time=self.now,
            text=text or None,
        )
        msg = self._receive("8", er.to_body())
        return self._apply(ExecutionReport.from_message(msg))

    def fill(self, group_id: str, qty: int) -> list[Change]:
        """An order in the group, filled whole at once (received now)."""
        cl = self.order(group_id, qty)
        return self.report(cl, qty, qty, ExecType.TRADE, last=qty)


def trading_floor() -> Floor:
    """The five groups at T0 + 20 s (see the module docstring)."""
    floor = Floor(T0 - 600)
    floor.create(CALM, 50)
    floor.create(BUSY, 100)
    floor.create(TRIPPED, 25)
    floor.create(GONE, 200)
    floor.create(SUB_TWO, 500, alloc=2)
    floor.act(OrderGroupAction.DELETE, GONE)
    floor.now = T0
    floor.fill(CALM, 10)  # leaves the window before the end
    floor.now = T0 + 8
    floor.fill(CALM, 25)
    floor.fill(BUSY, 60)
    floor.now = T0 + 12
    floor.fill(CALM, 12)
    floor.fill(BUSY, 32)
    # 30 of an order of 40 fill, more than TRIPPED's 25: the exchange cancels the rest.
    tripped = floor.order(TRIPPED, 40)
    floor.report(tripped, 40, 30, ExecType.TRADE, last=30)
    floor.report(tripped, 40, 30, ExecType.CANCELED, text="ORDER_GROUP_CANCEL")
    floor.now = T0 + 20
    return floor


def loaded(floor: Floor | None = None) -> tuple[GroupsModel, Floor]:
    floor = floor or trading_floor()
    model = GroupsModel()
    model.apply(floor.changes)
    model.tick(floor.state.groups, floor.now)
    return model, floor


def value(model: GroupsModel, group_id: str, column: str, role: int = 0) -> object:
    row = model.row_of(group_id)
    assert row is not None, group_id
    index = model.index(row, model.column_index(column))
    return model.data(index, role or Qt.ItemDataRole.DisplayRole)


def test_model_passes_the_model_tester(qtmodeltester) -> None:
    model, _ = loaded()
    qtmodeltester.check(model, force_py=True)


def test_rows_in_creation_order_with_short_ids() -> None:
    model, _ = loaded()
    ids = [model.data(model.index(r, 0), GROUP_ID_ROLE) for r in range(model.rowCount())]
    assert ids == [CALM, BUSY, TRIPPED, GONE, SUB_TWO]
    assert value(model, CALM, "group") == "770e8400…0001"
    assert value(model, CALM, "group", Qt.ItemDataRole.ToolTipRole) == CALM
    assert short_group_id("g-1") == "g-1"
    assert value(model, CALM, "sub_account") == "Primary"
    assert value(model, SUB_TWO, "sub_account") == "2"
    assert value(model, SUB_TWO, "limit") == "500"
    assert value(model, CALM, "state") == "Active"
    assert value(model, GONE, "state") == "Deleted"
    assert value(model, TRIPPED, "state") == "Triggered"
    assert value(model, TRIPPED, "note") == "cancelled by its order group"


def test_gauges_count_the_rolling_window() -> None:
    model, _ = loaded()
    # CALM: 10 at T0 left the window at T0 + 15; 25 + 12 remain of 50.
    assert value(model, CALM, "gauge") == "37 / 50"
    assert value(model, CALM, "gauge", GAUGE_FRACTION_ROLE) == 0.74
    assert value(model, CALM, "gauge", GAUGE_LEVEL_ROLE) == "normal"
    assert value(model, BUSY, "gauge") == "92 / 100"
    assert value(model, BUSY, "gauge", GAUGE_LEVEL_ROLE) == "warning"
    assert value(model, TRIPPED, "gauge") == "30 / 25"
    assert value(model, TRIPPED, "gauge", GAUGE_FRACTION_ROLE) == 1.0  # the bar is full
    assert value(model, TRIPPED, "gauge", GAUGE_LEVEL_ROLE) == "triggered"
    assert value(model, GONE, "gauge") == "—"
    assert value(model, GONE, "gauge", GAUGE_LEVEL_ROLE) == "none"
    assert value(model, GONE, "gauge", GAUGE_FRACTION_ROLE) is None  # no bar drawn
    assert value(model, SUB_TWO, "gauge") == "0 / 500"
    tooltip = value(model, BUSY, "gauge", Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tooltip, str)
    assert tooltip.startswith("92 of 100 contracts filled in the last 15 s")
    assert "8 more may fill before the exchange triggers it" in tooltip


def test_gauge_colours_green_amber_red() -> None:
    model, _ = loaded()
    for theme in (Theme.LIGHT, Theme.DARK):
        model.set_dark(theme is Theme.DARK)
        colours = GAUGE_COLOURS[theme]
        expected = {
            CALM: colours[GaugeLevel.NORMAL],
            BUSY: colours[GaugeLevel.WARNING],
            TRIPPED: colours[GaugeLevel.TRIGGERED],
            GONE: colours[GaugeLevel.NONE],
        }
        for gid, colour in expected.items():
            found = value(model, gid, "gauge", GAUGE_COLOR_ROLE)
            assert isinstance(found, QColor) and found.name() == colour, (gid, theme)
    for colours in GAUGE_COLOURS.values():  # green, amber, red by hue
        assert 90 <= QColor(colours[GaugeLevel.NORMAL]).hue() <= 150
        assert 30 <= QColor(colours[GaugeLevel.WARNING]).hue() <= 50
        assert not 15 <= QColor(colours[GaugeLevel.TRIGGERED]).hue() <= 345
    state = value(model, TRIPPED, "state", Qt.ItemDataRole.ForegroundRole)
    assert isinstance(state, QBrush) and state.color().name() == STATUS_COLORS[Theme.DARK].bad


def test_amber_only_above_eighty_percent_and_red_above_the_limit() -> None:
    floor = Floor()
    floor.create(CALM, 10)
    floor.fill(CALM, 8)  # exactly 80 %
    model, _ = loaded(floor)
    assert value(model, CALM, "gauge", GAUGE_LEVEL_ROLE) == GaugeLevel.NORMAL
    floor.fill(CALM, 1)
    model.tick(floor.state.groups, floor.now)
    assert value(model, CALM, "gauge", GAUGE_LEVEL_ROLE) == GaugeLevel.WARNING
    floor.fill(CALM, 1)  # 10 of 10: at the limit, not over it
    model.tick(floor.state.groups, floor.now)
    assert value(model, CALM, "gauge", GAUGE_LEVEL_ROLE) == GaugeLevel.WARNING
    floor.fill(CALM, 1)  # over: the exchange triggers it, shown red before it says so
    model.tick(floor.state.groups, floor.now)
    assert value(model, CALM, "state") == "Active"
    assert value(model, CALM, "gauge", GAUGE_LEVEL_ROLE) == GaugeLevel.TRIGGERED


def test_tick_repaints_only_the_gauges_that_moved(qtbot) -> None:
    model, floor = loaded()
    assert model.tick(floor.state.groups, floor.now) == []  # nothing moved
    floor.now = T0 + 23.5  # the fills of T0 + 8 leave the window
    with qtbot.waitSignal(model.dataChanged) as sig:
        moved = model.tick(floor.state.groups, floor.now)
    assert moved == [CALM, BUSY]
    top, bottom = sig.args[0], sig.args[1]
    assert (top.row(), bottom.row()) == (model.row_of(CALM), model.row_of(BUSY))
    assert value(model, CALM, "gauge") == "12 / 50"
    assert value(model, BUSY, "gauge") == "32 / 100"
    assert value(model, BUSY, "gauge", GAUGE_LEVEL_ROLE) == "normal"
    floor.now = T0 + 40
    model.tick(floor.state.groups, floor.now)
    assert value(model, CALM, "gauge") == "0 / 50"


def test_reset_clears_the_count_and_the_triggered_state() -> None:
    model, floor = loaded()
    model.apply(floor.act(OrderGroupAction.RESET, TRIPPED))
    model.tick(floor.state.groups, floor.now)
    assert value(model, TRIPPED, "state") == "Active"
    assert value(model, TRIPPED, "gauge") == "0 / 25"
    assert value(model, TRIPPED, "gauge", GAUGE_LEVEL_ROLE) == "normal"


def test_our_trigger_and_a_refusal_show_in_the_row() -> None:
    model, floor = loaded()
    model.apply(floor.act(OrderGroupAction.TRIGGER, CALM))
    assert value(model, CALM, "state") == "Triggered"
    assert value(model, CALM, "note") == "triggered by us"
    model.apply(floor.refuse(OrderGroupAction.RESET, BUSY, "ORDER_GROUP_NOT_FOUND"))
    assert value(model, BUSY, "note") == "Reset refused: ORDER_GROUP_NOT_FOUND"


def test_a_batch_is_one_insert_and_no_reset(qtbot) -> None:
    floor = trading_floor()
    model = GroupsModel()
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    with qtbot.assertNotEmitted(model.modelReset):
        touched = model.apply(floor.changes)
    assert inserted == [(0, 4)]
    assert touched == [CALM, BUSY, TRIPPED, GONE, SUB_TWO]


def test_every_display_cell_is_text() -> None:
    model, _ = loaded()
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            assert isinstance(model.data(model.index(row, col)), str)


def test_sorting_by_the_gauge_follows_the_ticks() -> None:
    model, floor = loaded()
    model.sort(model.column_index("gauge"), Qt.SortOrder.DescendingOrder)
    top = model.data(model.index(0, 0), GROUP_ID_ROLE)
    assert top == TRIPPED  # a full bar
    assert model.data(model.index(1, 0), GROUP_ID_ROLE) == BUSY
    floor.now = T0 + 23.5
    model.tick(floor.state.groups, floor.now)
    order = [model.data(model.index(r, 0), GROUP_ID_ROLE) for r in range(model.rowCount())]
    assert order[:3] == [TRIPPED, BUSY, CALM]  # 30/25, 32/100, 12/50
    gone = model.record(GONE)
    assert gone is not None and gone.state is GroupState.DELETED
    assert order[-2:] == [SUB_TWO, GONE]  # ties: later arrivals first, descending
