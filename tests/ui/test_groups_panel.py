"""The order-groups panel: rows and gauges, the ticking timer, the buttons and their
confirmations, listen-only, refusals; one run against the real Desk on the local venue;
screenshots.

Actions run through the real :class:`DeskBridge` (the runner the app hands the panel) on
the qasync loop. The unit tests give the panel a recorder that satisfies the panel's
protocol with the real ``OrderGroups`` of a scripted trading floor, so the ids each button
sends can be checked without an exchange; the last tests use the real Desk.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QPushButton

from tests.ui.test_groups_model import (
    ACCOUNT,
    BUSY,
    CALM,
    GONE,
    SUB_TWO,
    T0,
    TRIPPED,
    VENUE,
    Floor,
    trading_floor,
)
from workstation.client.config import WorkstationConfig
from workstation.client.desk import ActionRefused, Desk
from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import BusinessRejectReason, OrderGroupAction
from workstation.trading.groups import GroupState, OrderGroups
from workstation.ui.bridge import DeskBridge
from workstation.ui.models.groups_model import GAUGE_COLOURS, GAUGE_LEVEL_ROLE, GaugeLevel
from workstation.ui.panels.groups_panel import (
    ACTION_TRIGGER,
    TICK_MS,
    GroupActions,
    OrderGroupsPanel,
)
from workstation.ui.theme import STATUS_COLORS, Theme, apply_theme

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


class Recorder:
    """Satisfies the panel's protocol: records each call; can hold it open or refuse it."""

    def __init__(self, groups: OrderGroups, *, listen_only: bool = False) -> None:
        self.groups = groups
        self.listen_only = listen_only
        self.calls: list[tuple[str, object]] = []
        self.hold: asyncio.Event | None = None
        self.refusal: str | None = None

    async def _call(self, name: str, arg: object) -> None:
        self.calls.append((name, arg))
        if self.hold is not None:
            await self.hold.wait()
        if self.refusal is not None:
            raise ActionRefused(self.refusal)

    async def create_group(self, limit: int) -> None:
        await self._call("create", limit)

    async def reset_group(self, group_id: str) -> None:
        await self._call("reset", group_id)

    async def trigger_group(self, group_id: str) -> None:
        await self._call("trigger", group_id)

    async def delete_group(self, group_id: str) -> None:
        await self._call("delete", group_id)


@pytest.fixture
def bridge(qasync_loop: asyncio.AbstractEventLoop, tmp_path: Path) -> DeskBridge:
    """The app's runner: a DeskBridge over a Desk that is never started."""
    return DeskBridge(Desk(WorkstationConfig(), data_dir=tmp_path / "desk"))


@pytest.fixture
def floor() -> Floor:
    return trading_floor()


def make_panel(
    qtbot, floor: Floor, bridge: DeskBridge, **kw: bool
) -> tuple[OrderGroupsPanel, Recorder]:
    actions = Recorder(floor.state.groups, **kw)
    panel = OrderGroupsPanel(actions, bridge.run, clock=floor.clock)
    qtbot.addWidget(panel)
    panel.resize(900, 300)
    return panel, actions


def settle(loop: asyncio.AbstractEventLoop, bridge: DeskBridge) -> None:
    """Run the loop until every action the bridge started has ended."""

    async def drain() -> None:
        for _ in range(100):
            await asyncio.sleep(0)
            if not any(bridge.busy(a) for a in bridge._running):
                return

    loop.run_until_complete(drain())


def level(panel: OrderGroupsPanel, group_id: str) -> str:
    row = panel.model.row_of(group_id)
    assert row is not None
    index = panel.model.index(row, panel.model.column_index("gauge"))
    return str(panel.model.data(index, GAUGE_LEVEL_ROLE))


def gauge(panel: OrderGroupsPanel, group_id: str) -> str:
    row = panel.model.row_of(group_id)
    assert row is not None
    return str(panel.model.data(panel.model.index(row, panel.model.column_index("gauge"))))


def dialog_button(panel: OrderGroupsPanel, name: str) -> QPushButton:
    box = panel.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    found = [b for b in box.buttons() if (b.objectName() == "confirmButton") == (name == "confirm")]
    assert len(found) == 1 and isinstance(found[0], QPushButton)
    return found[0]


def open_dialog(panel: OrderGroupsPanel) -> object:
    """The dialog the panel has open (read through a call: it changes as buttons are clicked)."""
    return panel.dialog


def running(panel: OrderGroupsPanel) -> str | None:
    return panel.busy


def test_the_desk_satisfies_the_panel_protocol(tmp_path: Path) -> None:
    actions: GroupActions = Desk(WorkstationConfig(), data_dir=tmp_path)
    assert actions.listen_only is False and len(actions.groups) == 0


def test_rows_and_gauges_from_the_groups(qtbot, floor: Floor, bridge: DeskBridge) -> None:
    panel, _ = make_panel(qtbot, floor, bridge)
    assert panel.objectName() == "orderGroups"
    assert panel.table.objectName() == "orderGroupsTable"
    assert panel.model.rowCount() == 5
    assert gauge(panel, CALM) == "37 / 50"
    assert gauge(panel, BUSY) == "92 / 100"
    assert gauge(panel, TRIPPED) == "30 / 25"
    assert (level(panel, CALM), level(panel, BUSY), level(panel, TRIPPED)) == (
        "normal",
        "warning",
        "triggered",
    )
    assert panel.counts.text() == "4 groups · 1 triggered"


def test_timer_ticks_the_gauges_while_shown(qtbot, floor: Floor, bridge: DeskBridge) -> None:
    panel, _ = make_panel(qtbot, floor, bridge)
    assert not panel.timer.isActive()
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.timer.isActive() and panel.timer.interval() == TICK_MS == 1000
    floor.now = T0 + 23.5  # the fills of T0 + 8 leave the window
    panel.timer.timeout.emit()
    assert gauge(panel, CALM) == "12 / 50"
    assert level(panel, BUSY) == "normal"
    panel.hide()
    assert not panel.timer.isActive()


def test_a_fill_moves_the_gauge_at_once(qtbot, floor: Floor, bridge: DeskBridge) -> None:
    panel, _ = make_panel(qtbot, floor, bridge)
    panel.apply(floor.fill(CALM, 5))
    assert gauge(panel, CALM) == "42 / 50"
    assert level(panel, CALM) == "warning"


def test_buttons_follow_the_selected_group(qtbot, floor: Floor, bridge: DeskBridge) -> None:
    panel, _ = make_panel(qtbot, floor, bridge)

    def enabled() -> tuple[bool, bool, bool, bool]:
        return (
            panel.create_button.isEnabled(),
            panel.reset_button.isEnabled(),
            panel.trigger_button.isEnabled(),
            panel.delete_button.isEnabled(),
        )

    assert enabled() == (True, False, False, False)
    panel.select_group(CALM)
    assert enabled() == (True, True, True, True)
    panel.select_group(TRIPPED)
    assert enabled() == (True, True, False, True)  # triggered already: reset or delete
    panel.select_group(GONE)
    assert enabled() == (True, False, False, False)
    # The selected group changes state under the selection: the buttons follow.
    panel.select_group(CALM)
    panel.apply(floor.act(OrderGroupAction.TRIGGER, CALM))
    assert enabled() == (True, True, False, True)


def test_trigger_asks_then_sends_the_selected_id(
    qtbot, qasync_loop, floor: Floor, bridge: DeskBridge
) -> None:
    panel, actions = make_panel(qtbot, floor, bridge)
    panel.show()
    panel.select_group(BUSY)
    panel.trigger_button.click()
    assert isinstance(panel.dialog, QMessageBox)
    assert panel.dialog.text() == "Trigger order group 770e8400…0002?"
    informative = panel.dialog.informativeText()
    assert "Sub-account Primary · limit 100 · 92 filled in the last 15 s" in informative
    assert f"OrderGroupID {BUSY}" in informative
    assert actions.calls == []  # nothing before the trader confirms
    dialog_button(panel, "confirm").click()
    assert open_dialog(panel) is None
    settle(qasync_loop, bridge)
    assert actions.calls == [("trigger", BUSY)]
    assert panel.status.text() == "Trigger sent for 770e8400…0002"


def test_cancelling_a_confirmation_sends_nothing(
    qtbot, qasync_loop, floor: Floor, bridge: DeskBridge
) -> None:
    panel, actions = make_panel(qtbot, floor, bridge)
    panel.select_group(CALM)
    panel.delete_button.click()
    assert isinstance(panel.dialog, QMessageBox)
    assert panel.dialog.windowTitle() == "Delete order group"
    dialog_button(panel, "cancel").click()
    settle(qasync_loop, bridge)
    assert actions.calls == [] and open_dialog(panel) is None


def test_delete_asks_then_sends_the_id_chosen_when_asked(
    qtbot, qasync_loop, floor: Floor, bridge: DeskBridge
) -> None:
    panel, actions = make_panel(qtbot, floor, bridge)
    panel.select_group(SUB_TWO)
    panel.delete_button.click()
    panel.select_group(CALM)  # the selection moves while the question is open
    dialog_button(panel, "confirm").click()
    settle(qasync_loop, bridge)
    assert actions.calls == [("delete", SUB_TWO)]


def test_reset_sends_at_once(qtbot, qasync_loop, floor: Floor, bridge: DeskBridge) -> None:
    panel, actions = make_panel(qtbot, floor, bridge)
    panel.select_group(TRIPPED)
    panel.reset_button.click()
    assert panel.dialog is None
    settle(qasync_loop, bridge)
    assert actions.calls == [("reset", TRIPPED)]


def test_create_asks_for_the_limit(qtbot, qasync_loop, floor: Floor, bridge: DeskBridge) -> None:
    panel, actions = make_panel(qtbot, floor, bridge)
    panel.show()  # a window-modal dialog over a shown panel, deleted on close
    panel.create_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, QInputDialog) and dialog.isVisible()
    assert (dialog.intMinimum(), dialog.intMaximum(), dialog.intValue()) == (1, 1_000_000, 100)
    dialog.setIntValue(250)
    dialog.accept()
    settle(qasync_loop, bridge)
    assert actions.calls == [("create", 250)]
    assert panel.status.text().startswith("Create sent (limit 250)")
    assert open_dialog(panel) is None


def test_every_button_is_disabled_while_an_action_runs(
    qtbot, qasync_loop, floor: Floor, bridge: DeskBridge
) -> None:
    panel, actions = make_panel(qtbot, floor, bridge)
    actions.hold = asyncio.Event()
    panel.select_group(CALM)
    panel.reset_button.click()
    assert running(panel) == "Reset order group"
    buttons = (panel.create_button, panel.reset_button, panel.trigger_button, panel.delete_button)
    assert not any(b.isEnabled() for b in buttons)
    panel.reset_button.click()  # disabled: a double click sends once
    assert panel.reset_selected() is False
    qasync_loop.run_until_complete(asyncio.sleep(0.01))
    assert actions.calls == [("reset", CALM)]
    actions.hold.set()
    settle(qasync_loop, bridge)
    assert running(panel) is None
    assert all(b.isEnabled() for b in buttons)


def test_a_refusal_is_shown_and_reported(
    qtbot, qasync_loop, floor: Floor, bridge: DeskBridge
) -> None:
    panel, actions = make_panel(qtbot, floor, bridge)
    panel.set_theme(Theme.LIGHT)
    failed: list[tuple[str, str]] = []
    bridge.action_failed.connect(lambda action, text: failed.append((action, text)))
    actions.refusal = "ORDER_SESSION is not logged on; wait for it"
    panel.select_group(CALM)
    panel.trigger_button.click()
    dialog_button(panel, "confirm").click()
    settle(qasync_loop, bridge)
    assert failed == [(ACTION_TRIGGER, "ORDER_SESSION is not logged on; wait for it")]
    assert panel.status.text() == f"{ACTION_TRIGGER}: ORDER_SESSION is not logged on; wait for it"
    assert STATUS_COLORS[Theme.LIGHT].bad in panel.status.styleSheet()
    assert panel.trigger_button.isEnabled()  # free again


def test_an_exchange_refusal_is_shown(qtbot, floor: Floor, bridge: DeskBridge) -> None:
    panel, _ = make_panel(qtbot, floor, bridge)
    panel.apply(floor.refuse(OrderGroupAction.RESET, BUSY, "ORDER_GROUP_NOT_FOUND"))
    assert panel.status.text() == "Reset refused for 770e8400…0002: ORDER_GROUP_NOT_FOUND"
    assert not panel.status.isHidden()
    floor.request(OrderGroupAction.CREATE, contracts_limit=2_000)
    reject = BusinessMessageReject(
        reason=BusinessRejectReason.OTHER, ref_msg_type="UOG", text="TOO_MANY_ORDER_GROUPS"
    )
    panel.apply(floor.state.apply(reject, venue=VENUE, account=ACCOUNT, now=floor.now))
    assert panel.status.text() == "Create refused: TOO_MANY_ORDER_GROUPS"
    assert panel.model.rowCount() == 5


def test_listen_only_disables_every_action(
    qtbot, qasync_loop, floor: Floor, bridge: DeskBridge
) -> None:
    panel, actions = make_panel(qtbot, floor, bridge, listen_only=True)
    panel.select_group(CALM)
    buttons = (panel.create_button, panel.reset_button, panel.trigger_button, panel.delete_button)
    assert not any(b.isEnabled() for b in buttons)
    assert not panel.listen_only_note.isHidden()
    panel.ask_trigger()
    panel.ask_create()
    assert panel.dialog is None
    assert panel.create_group(10) is False and panel.reset_selected() is False
    settle(qasync_loop, bridge)
    assert actions.calls == []
    assert gauge(panel, CALM) == "37 / 50"  # the gauges still work for the monitor


async def _wait_for(condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def test_with_the_real_desk_on_the_local_venue(qtbot, qasync_loop, tmp_path: Path) -> None:
    """Create from the panel, the exchange's answer arrives as a row; trigger it from the
    panel and the row turns Triggered — every hop real (Desk, bridge, sockets, simulator)."""
    desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False)
    bridge = DeskBridge(desk)
    panel = OrderGroupsPanel(desk, bridge.run, clock=desk.clock)
    qtbot.addWidget(panel)
    bridge.changes_arrived.connect(panel.apply)

    async def scenario() -> None:
        await desk.start()
        try:
            await _wait_for(desk.all_logged_on)
            assert panel.create_group(40)
            await _wait_for(lambda: panel.model.rowCount() == 1)
            group = panel.model.record_at(0)
            assert (group.contracts_limit, group.state) == (40, GroupState.ACTIVE)
            assert gauge(panel, group.group_id) == "0 / 40"
            panel.select_group(group.group_id)
            panel.trigger_button.click()
            dialog_button(panel, "confirm").click()
            await _wait_for(lambda: panel.model.record_at(0).state is GroupState.TRIGGERED)
            assert level(panel, group.group_id) == "triggered"
        finally:
            await bridge.shutdown()
            await desk.stop()

    qasync_loop.run_until_complete(scenario())


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[None]:
    style, sheet, pal = qapp.style().name(), qapp.styleSheet(), qapp.palette()
    yield
    qapp.setStyle(style)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(pal)


@pytest.mark.parametrize("theme", [Theme.DARK, Theme.LIGHT])
def test_screenshot(
    qapp: QApplication, themed: None, qtbot, floor: Floor, bridge: DeskBridge, theme: Theme
) -> None:
    apply_theme(qapp, theme)
    panel, _ = make_panel(qtbot, floor, bridge)
    panel.set_theme(theme)
    panel.resize(980, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.select_group(CALM)
    panel.apply(floor.refuse(OrderGroupAction.RESET, SUB_TWO, "ORDER_GROUP_NOT_FOUND"))
    SCREENSHOTS.mkdir(exist_ok=True)
    image = panel.grab().toImage()
    path = SCREENSHOTS / f"order-groups-{theme.value}.png"
    assert image.save(str(path))
    # The gauges are painted in their level's colour: sample the middle of each bar's fill.
    colours = GAUGE_COLOURS[theme]
    viewport = panel.table.viewport()
    origin = viewport.mapTo(panel, viewport.rect().topLeft())
    levels = (
        (CALM, GaugeLevel.NORMAL),
        (BUSY, GaugeLevel.WARNING),
        (TRIPPED, GaugeLevel.TRIGGERED),
    )
    for gid, lv in levels:
        colour = colours[lv]
        row = panel.model.row_of(gid)
        assert row is not None
        rect = panel.table.visualRect(panel.model.index(row, panel.model.column_index("gauge")))
        found = image.pixelColor(origin.x() + rect.left() + 20, origin.y() + rect.center().y())
        assert found.name() == colour, (gid, found.name())


def test_screenshot_of_the_kill_switch_question(
    qapp: QApplication, themed: None, qtbot, floor: Floor, bridge: DeskBridge
) -> None:
    apply_theme(qapp, Theme.DARK)
    panel, actions = make_panel(qtbot, floor, bridge)
    panel.set_theme(Theme.DARK)
    panel.show()
    panel.select_group(BUSY)
    panel.trigger_button.click()
    box = open_dialog(panel)
    assert isinstance(box, QMessageBox)
    qtbot.waitExposed(box)
    SCREENSHOTS.mkdir(exist_ok=True)
    assert box.grab().toImage().save(str(SCREENSHOTS / "order-groups-trigger-dark.png"))
    assert dialog_button(panel, "cancel") is box.defaultButton()  # Enter does not trigger
    dialog_button(panel, "cancel").click()
    assert actions.calls == []
