"""A desk monitor's account filter: "All accounts" or one watched account narrows every
blotter tab — on recorded trading, and live: the real window over a venue, two watched
accounts whose encrypted listener keys the Desk asks for, orders from both accounts."""

from __future__ import annotations

from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from tests.simulator.venue_harness import Client
from workstation.client.desk import Desk
from workstation.client.paths import Paths
from workstation.trading.ticket import Intent
from workstation.ui.dialogs.passphrase_prompt import PassphraseDialog, PassphrasePrompt
from workstation.ui.panels.account_filter import ALL_ACCOUNTS, AccountFilter, attach_account_filter
from workstation.ui.panels.blotter import Blotter
from workstation.ui.wiring import build_window

from .settings_support import deletes_flushed, open_dialog, screenshot
from .settings_venue import MARKET, Exchange, running_loop, wait_until
from .trading_fixtures import FED_CUT, NYC, T0, DeskDouble, Floor

__all__ = ["deletes_flushed", "running_loop"]  # fixtures, imported for pytest


def two_account_floor() -> Floor:
    """Orders and fills on two accounts (as a desk monitor's listener sessions record them)."""
    floor = Floor(account="Desk A")
    a1 = floor.send(FED_CUT, Intent.BUY_YES, "0.40", 10, at=T0)
    floor.ack(a1, at=T0 + 1)
    floor.fill(a1, 4, at=T0 + 2)
    a2 = floor.send(NYC, Intent.BUY_NO, "0.55", 3, at=T0 + 3)
    floor.ack(a2, at=T0 + 4)
    floor.account = "Desk B"
    b1 = floor.send(FED_CUT, Intent.SELL_YES, "0.45", 7, at=T0 + 5)
    floor.ack(b1, at=T0 + 6)
    floor.fill(b1, 7, at=T0 + 7)
    floor.account = "Desk C"  # an account the profile does not list (seen on the wire)
    c1 = floor.send(NYC, Intent.BUY_YES, "0.20", 1, at=T0 + 8)
    floor.ack(c1, at=T0 + 9)
    return floor


def accounts_shown(blotter: Blotter) -> dict[str, set[str]]:
    return {
        "orders": {o.account for o in blotter.orders_model.visible_records()},
        "working": {o.account for o in blotter.working_model.visible_records()},
        "fills": {f.account for f in blotter.fills_model.visible_records()},
        "positions": {p.account for p in blotter.positions_model.visible_records()},
    }


def test_the_account_filter_narrows_every_tab(qtbot) -> None:
    desk = DeskDouble(two_account_floor(), listen_only=True)
    blotter = Blotter(desk, clock=lambda: T0)
    qtbot.addWidget(blotter)
    bar = attach_account_filter(blotter, ["Desk A", "Desk B"])
    blotter.resize(1400, 420)
    blotter.show()
    qtbot.waitExposed(blotter)
    layout = blotter.layout()
    top = None if layout is None else layout.itemAt(0)
    assert top is not None and top.widget() is bar  # above the blotter's filter bar
    combo = bar.combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        ALL_ACCOUNTS, "Desk A", "Desk B", "Desk C"
    ]
    assert blotter.orders_model.rowCount() == 4
    assert blotter.account_column_shown  # two accounts watched: rows say whose they are

    bar.choose("Desk A")
    assert accounts_shown(blotter) == {
        "orders": {"Desk A"}, "working": {"Desk A"}, "fills": {"Desk A"}, "positions": {"Desk A"}
    }
    assert blotter.orders_model.rowCount() == 2 and blotter.fills_model.rowCount() == 1
    assert blotter.tabs.tabText(1) == "All orders (2)"
    screenshot(blotter, "desk-monitor-account-filter.png")

    qtbot.keyClicks(blotter.market_edit, "fed")  # the filter bar still applies on top
    assert [o.symbol for o in blotter.orders_model.visible_records()] == [FED_CUT]
    bar.choose("Desk B")
    assert accounts_shown(blotter)["orders"] == {"Desk B"}
    assert blotter.orders_model.rowCount() == 1
    blotter.market_edit.clear()
    bar.choose("")
    assert combo.currentText() == ALL_ACCOUNTS
    assert accounts_shown(blotter)["orders"] == {"Desk A", "Desk B", "Desk C"}
    for _ in range(3):  # choosing by keyboard, as a trader would
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Desk C"
    assert accounts_shown(blotter)["orders"] == {"Desk C"}


def test_a_live_desk_monitor_asks_for_each_key_and_filters_by_account(
    qtbot, running_loop, tmp_path: Path
) -> None:
    exchange = Exchange(tmp_path / "venue", {"Desk A": "acct-a", "Desk B": "acct-b"})

    def run(coro: Coroutine[Any, Any, Any]) -> Any:
        task = running_loop.create_task(coro)
        wait_until(task.done, "a coroutine to finish")
        return task.result()

    run(exchange.start())
    paths = Paths.resolve(data_dir=tmp_path / "ws")
    desk = Desk(exchange.monitor_config(), data_dir=paths.data_dir)
    window, bridge = build_window(desk, paths, on_closed=lambda: None)
    clients: list[Client] = []
    try:
        window.show()
        qtbot.waitExposed(window)
        prompt = PassphrasePrompt(window)
        start = running_loop.create_task(desk.start(prompt))
        asked: list[Path] = []
        for label in ("Desk A", "Desk B"):  # one listener per watched account, each key asked
            key = exchange.listeners[label]

            def asking(path: Path = key.private_key) -> bool:
                found = open_dialog(PassphraseDialog)
                return found is not None and found.path == path

            wait_until(asking, f"the prompt for {label}'s key")
            dialog = open_dialog(PassphraseDialog)
            assert dialog is not None and dialog.parent() is window
            asked.append(dialog.path)
            qtbot.keyClicks(dialog.edit, key.passphrase)
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        wait_until(start.done, "the Desk to start")
        start.result()
        prompt.forget()
        assert asked == [exchange.listeners[n].private_key for n in ("Desk A", "Desk B")]
        wait_until(lambda: len(desk.links) == 2 and desk.all_logged_on(), "both listeners")
        assert sorted(link.account for link in desk.links) == ["Desk A", "Desk B"]
        assert all(link.settings.listener for link in desk.links)

        clients.append(run(exchange.trade("Desk A", (3, "0.05"))))
        clients.append(run(exchange.trade("Desk B", (2, "0.06"), (4, "0.04"))))
        blotter = window.panel("blotter")
        assert isinstance(blotter, Blotter)
        wait_until(lambda: blotter.orders_model.rowCount() == 3, "three orders in the blotter")
        bar = blotter.findChild(AccountFilter)
        assert bar is not None
        combo = bar.findChild(QComboBox, "accountFilter")
        assert combo is not None and combo.itemText(0) == ALL_ACCOUNTS
        assert not blotter.cancel_all_button.isEnabled()  # listen-only: no trading here
        account = blotter.orders_model.column_index("account")
        assert not blotter.orders_table.horizontalHeader().isSectionHidden(account)

        bar.choose("Desk B")
        shown = blotter.orders_model.visible_records()
        assert [(o.account, o.symbol) for o in shown] == [("Desk B", MARKET)] * 2
        assert sorted(o.order_qty for o in shown) == [2, 4]
        screenshot(window, "desk-monitor-window.png")
        bar.choose("Desk A")
        assert [o.order_qty for o in blotter.orders_model.visible_records()] == [3]
        bar.choose("")
        assert blotter.orders_model.rowCount() == 3
    finally:
        for client in clients:
            run(client.initiator.stop())
        run(bridge.shutdown())
        run(desk.stop())
        window.close()
        window.deleteLater()
        run(exchange.stop())
