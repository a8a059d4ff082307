"""A desk monitor: a listen-only profile whose listener session uses a read-scope key on a
trader's account. Every trading control is disabled, and the trader's fills — made on the
trader's own session, in another workstation — appear in the monitor's blotter."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tests.simulator.venue_harness import make_key, register
from tests.ui.e2e.conftest import Launch
from tests.ui.e2e.harness import (
    MARKET,
    Counterparty,
    Workstation,
    cell,
    double_click,
    rows,
    submit_order,
    wait_until,
)
from workstation.client.config import WorkstationConfig
from workstation.client.profiles import Profile, SessionSettings, VenueKind, WatchedAccount
from workstation.fix.dialect import SessionType
from workstation.fix.messages.enums import Side
from workstation.simulator.registry import KeyScope
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent

#: Every control that sends something to the venue, by object name.
TRADING_CONTROLS = (
    "ticketSubmit",
    "ticketMarket",
    "ticketBuyYes",
    "ticketSellNo",
    "ticketPrice",
    "ticketQuantity",
    "ticketTimeInForce",
    "blotterCancelAll",
    "createGroupButton",
    "resetGroupButton",
    "triggerGroupButton",
    "deleteGroupButton",
    "rfqRequest",
    "rfqAcceptBuyYes",
    "rfqAcceptSellYes",
    "rfqCancel",
    "rfqSendQuote",
    "rfqCancelQuote",
    "rfqConfirm",
)


def monitor_config(trader: Workstation, key_dir: Path) -> WorkstationConfig:
    """A desk-monitor profile on the trader's venue, watching the trader's account with a
    read-scope key registered there."""
    account = trader.desk.accounts[0]
    name = f"watch-{uuid.uuid4().hex[:6]}"
    key = make_key(key_dir, name)
    register(trader.venue.registry, key, account, KeyScope.READ)
    profile = Profile(
        name="monitor",
        kind=VenueKind.CUSTOM,
        host="127.0.0.1",
        tls=False,
        listen_only=True,
        rest_url=trader.desk.profile.rest_url,
        sessions={
            SessionType.RT: SessionSettings(
                session_type=SessionType.RT, enabled=True, port=trader.port(SessionType.RT)
            )
        },
        watch=(
            WatchedAccount(
                label=account, api_key_id=key.key_id, private_key=key_dir / f"{name}.key.pem"
            ),
        ),
    )
    return WorkstationConfig(profile="monitor", profiles={"monitor": profile})


def test_a_desk_monitor_disables_trading_and_shows_the_traders_fills(
    qtbot, launch: Launch, station: Workstation, counterparty: Counterparty, tmp_path
):
    key_dir = tmp_path / "monitor-keys"
    key_dir.mkdir()
    monitor = launch(tmp_path / "monitor", config=monitor_config(station, key_dir))
    monitor.ready()
    [info] = [i for i in monitor.desk.session_infos() if i.session is SessionType.RT]
    assert info.listener
    assert monitor.window.banner.text().startswith("CUSTOM VENUE")  # not LOCAL: not its venue

    for name in TRADING_CONTROLS:
        widget = monitor.window.findChild(QWidget, name)
        assert widget is not None, f"no {name} in the monitor's window"
        assert not widget.isEnabled(), f"{name} is enabled on a listen-only desk"
    reason = monitor.ticket.disabled_reason
    assert reason.isVisibleTo(monitor.ticket) and "Listen-only" in reason.text()

    # The trader trades on its own workstation; the counterparty fills part of it.
    order = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "41", "10")
    counterparty.order(MARKET, Side.SELL, 3, "0.41")
    wait_until(
        lambda: (
            station.desk.orders.get(order.first_cl_ord_id) is not None
            and station.desk.orders.get(order.first_cl_ord_id).status  # type: ignore[union-attr]
            is OrderStatus.PARTIALLY_FILLED
        ),
        "the trader's order to fill partly",
    )
    blotter = monitor.blotter
    wait_until(lambda: len(rows(blotter.fills_table)) == 1, "the fill on the monitor")
    [fill] = rows(blotter.fills_table)
    assert (fill["market"], fill["price"], fill["quantity"]) == (MARKET, "41¢", "3")
    wait_until(lambda: len(rows(blotter.working_table)) == 1, "the order on the monitor")
    [seen] = blotter.working_model.records()
    assert seen.cl_ord_id == order.cl_ord_id
    assert cell(blotter.working_table, seen.first_cl_ord_id, "filled") == "3"

    # Nothing the monitor's trader does sends anything.
    link = monitor.desk.order_link()
    assert link is not None
    next_seq = link.session.next_sender_seq
    amend, cancel, _copy = blotter.actions_for([seen])
    assert not amend.isEnabled() and not cancel.isEnabled()
    view = blotter.working_table
    model = blotter.working_model
    row = model.row_of(seen.first_cl_ord_id)
    assert row is not None
    double_click(qtbot, view.viewport(), view.visualRect(model.index(row, 1)).center())
    assert blotter.dialog is None
    qtbot.keyClick(
        view,
        Qt.Key.Key_X,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert blotter.dialog is None
    monitor.ticket.submit()
    assert link.session.next_sender_seq == next_seq
