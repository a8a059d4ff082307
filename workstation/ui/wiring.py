"""Puts the window together: the panels, the bridge, and the signals between them.

The one place that knows which panel shows what; panels know nothing of the Desk beyond the
small protocols they take.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QApplication

from workstation.client.desk import Desk, Notice, NoticeLevel
from workstation.client.market_data import MarketSnapshot
from workstation.client.paths import Paths
from workstation.client.records import SessionInfo, WireRecord
from workstation.fix.dialect import SessionType
from workstation.logging_setup import log_dir_for
from workstation.trading.changes import Change, OrderChanged
from workstation.ui.bridge import DeskBridge
from workstation.ui.dialogs.settings_menu import install_settings_menu
from workstation.ui.help_menu import install_help_menu
from workstation.ui.main_window import MainWindow
from workstation.ui.panels.account_filter import attach_account_filter
from workstation.ui.panels.blotter import Blotter
from workstation.ui.panels.groups_panel import OrderGroupsPanel
from workstation.ui.panels.markets_view import MarketsView
from workstation.ui.panels.message_log import MessageLogPanel
from workstation.ui.panels.rfq_panel import RfqPanel
from workstation.ui.panels.session_status import SessionStatusPanel
from workstation.ui.panels.settlement_view import SettlementView
from workstation.ui.panels.ticket import OrderTicket

__all__ = ["build_window"]


def _venue_label(desk: Desk) -> str:
    """What the banner names besides the venue kind: the profile, or the host it trades on."""
    profile = desk.profile
    return f"profile {profile.name}" if profile.host == "127.0.0.1" else profile.host


def build_window(
    desk: Desk, paths: Paths, *, on_closed: Callable[[], None]
) -> tuple[MainWindow, DeskBridge]:
    window = MainWindow(desk.profile.kind.banner, _venue_label(desk), paths.layout_file)
    bridge = DeskBridge(desk, window)

    log = MessageLogPanel()
    window.set_panel("messageLog", log)
    status = SessionStatusPanel()
    window.set_panel("sessionStatus", status)
    subpenny = desk.profile.session(desk.profile.order_session).use_dollars
    ticket = OrderTicket(desk)
    ticket.set_subpenny(subpenny)
    window.set_panel("orderTicket", ticket)
    blotter = Blotter(desk, subpenny=subpenny)
    window.set_panel("blotter", blotter)
    if desk.listen_only:  # a desk monitor: one account per watched listener session
        attach_account_filter(blotter, [w.label for w in desk.profile.watch])
    ticket.submitted.connect(blotter.note_intent)
    settlements = SettlementView()
    settlements.load(desk.settlements)
    window.set_panel("settlementView", settlements)
    groups = OrderGroupsPanel(desk, bridge.run, clock=desk.clock)
    window.set_panel("orderGroups", groups)
    rfq = RfqPanel(desk, bridge.run, clock=desk.clock)
    rfq_link = desk.profile.session(SessionType.RFQ)
    rfq.set_subpenny(rfq_link.use_dollars)
    window.set_panel("rfqPanel", rfq)
    markets = MarketsView(desk, poll_interval=desk.config.poll_seconds, subpenny=subpenny)
    window.set_panel("marketsView", markets)

    def on_market_chosen(ticker: str) -> None:
        ticket.set_symbol(ticker)
        window.dock("orderTicket").raise_()

    markets.market_chosen.connect(on_market_chosen)

    def on_wire(records: Sequence[WireRecord]) -> None:
        log.model.append(records)

    def on_sessions(infos: Sequence[SessionInfo]) -> None:
        status.update_sessions(infos)

    def on_notices(notices: Sequence[Notice]) -> None:
        last = notices[-1]
        prefix = "⚠ " if last.level is NoticeLevel.WARNING else ""
        window.statusBar().showMessage(prefix + last.text, 15000)

    def on_failed(action: str, message: str) -> None:
        window.statusBar().showMessage(f"⚠ {message}", 15000)

    def on_changes(changes: Sequence[Change]) -> None:
        batch = list(changes)
        for c in batch:  # the intent journaled with each order (known after a restart too)
            if isinstance(c, OrderChanged) and (intent := desk.intent_of(c.order.cl_ord_id)):
                blotter.intents.remember(c.order.cl_ord_ids, intent)
        ticket.apply_changes(batch)
        blotter.apply_changes(batch)
        settlements.apply(batch)
        groups.apply(batch)
        rfq.apply(batch)
        markets.apply_changes(batch)

    def on_market(snapshot: MarketSnapshot) -> None:
        rfq.set_markets(sorted(t for t, m in snapshot.markets.items() if m.tradable))
        ticket.set_market(snapshot)
        blotter.set_market(snapshot)
        markets.set_market(snapshot)

    bridge.changes_arrived.connect(on_changes)
    bridge.market_changed.connect(on_market)
    bridge.wire_arrived.connect(on_wire)
    bridge.sessions_changed.connect(on_sessions)
    bridge.notices_arrived.connect(on_notices)
    bridge.action_failed.connect(on_failed)
    status.update_sessions(desk.session_infos())
    install_settings_menu(window, paths)
    install_help_menu(window, paths, log_dir_for(paths))

    app = QApplication.instance()
    if isinstance(app, QApplication):
        app.lastWindowClosed.connect(on_closed)
    return window, bridge
