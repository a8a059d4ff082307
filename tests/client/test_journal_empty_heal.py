"""KalshiNR with a journal that holds no ExecID: what drop copy is asked for (``heal_start``).

Drop copy replays from an ExecID, and the desk asks from the newest its journal holds. With
none held there are two cases, and a desk expects:

- **a fresh journal** (nothing was ever sent from it on this venue and account): nothing can
  have been missed, so nothing is asked and nothing is said;
- **orders sent, no report yet** (the workstation died, or the connection dropped, before any
  answer): the order may rest, and trade, while the desk is away. Drop copy is asked from the
  start of its window, so the acknowledgement and the fills come back (DECISIONS.md step 1:
  the replayed acknowledgement settles the Unknown order, no cancel is needed) and the desk's
  fills equal the venue's. Without this the order was cancelled to reconcile it, its fills
  never reached the desk, and its position and balance were wrong.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

from tests.trading.reports import ACCOUNT as BOOK_ACCOUNT
from tests.trading.reports import VENUE as BOOK_VENUE
from tests.trading.test_orders import sent
from workstation.client.desk import DeskUpdate, NoticeLevel
from workstation.client.heal_start import WINDOW_START, heal_start
from workstation.client.records import Direction
from workstation.fix.dialect import SessionType
from workstation.fix.messages.exec_id import ExecId
from workstation.trading.order_state import OrderStatus
from workstation.trading.orders import Orders

from .journal_child import ACCOUNT, make_desk, start_venue, wait_until
from .test_journal_unknown import PRICE, sent_messages


def u1_sent(updates: list[DeskUpdate]) -> int:
    """EventResendRequests the desk sent (they are on the wire, not in the journal)."""
    return sum(
        1
        for update in updates
        for record in update.wire
        if record.msg_type == "U1" and record.direction is Direction.OUT
    )


def test_a_fresh_journal_asks_drop_copy_for_nothing(tmp_path: Path) -> None:
    updates: list[DeskUpdate] = []

    async def scenario() -> None:
        ext = await start_venue(tmp_path / "venue")
        spec = ext.spec(tmp_path / "desk", SessionType.NR, "none")
        desk = make_desk(spec)
        desk.subscribe(updates.append)
        try:
            await desk.start()
            await wait_until(desk.all_logged_on)
            await asyncio.sleep(0.5)
            assert u1_sent(updates) == 0
            assert desk.journal is not None
            assert desk.journal.count(desk.venue_id)[0] == 0  # nothing arrived
        finally:
            await desk.stop()
            await ext.venue.stop()

    asyncio.run(scenario())
    warnings = [n.text for u in updates for n in u.notices if n.level is NoticeLevel.WARNING]
    assert warnings == []


def test_an_order_sent_before_any_report_is_healed_from_the_window_start(tmp_path: Path) -> None:
    updates: list[DeskUpdate] = []

    async def scenario() -> None:
        ext = await start_venue(tmp_path / "venue")
        desk = None
        try:
            ticker = ext.open_market()
            spec = ext.spec(
                tmp_path / "desk",
                SessionType.NR,
                "submit-and-die",
                symbol=ticker,
                price=str(PRICE),
                quantity="10",
            )
            spec_file = ext.write_spec(tmp_path / "spec.json", spec)
            cl_ord_id = await ext.run_dying_child(spec_file)
            await wait_until(lambda: bool(ext.venue.exchange.open_orders(ACCOUNT)))
            ext.counterparty_sells(ticker, PRICE, Decimal(3))  # it trades while we are away
            ext.counterparty_sells(ticker, PRICE, Decimal(2))
            venue_fills = sorted(ext.fill_ids())
            assert len(venue_fills) == 2

            desk = make_desk(spec)
            desk.reconcile_grace = 0.3
            desk.subscribe(updates.append)
            await desk.start()
            restored = desk.orders.get(cl_ord_id)
            assert restored is not None and restored.status is OrderStatus.UNKNOWN
            await wait_until(lambda: sorted(str(f.exec_id) for f in desk.fills) == venue_fills)
            await asyncio.sleep(0.6)  # past the grace: no reconciling cancel was needed
            final = desk.orders.get(cl_ord_id)
            assert final is not None and final.status is OrderStatus.PARTIALLY_FILLED
            assert final.cum_qty == Decimal(5) and final.healed
            assert all(f.healed for f in desk.fills)
            assert u1_sent(updates) == 1 and sent_messages(desk, "F") == 0
            (position,) = [p for p in desk.positions if p.symbol == ticker]
            assert position.net == Decimal(5)
            assert len(ext.venue.exchange.open_orders(ACCOUNT)) == 1  # still resting
        finally:
            if desk is not None:
                await desk.stop()
            await ext.venue.stop()

    asyncio.run(scenario())


def test_where_the_replay_starts() -> None:
    orders = Orders()
    venue, account = BOOK_VENUE, BOOK_ACCOUNT
    assert heal_start(None, orders, venue=venue, account=account) is None  # nothing sent
    sent(orders)  # the order is in the journal, no report held
    assert heal_start(None, orders, venue=venue, account=account) == WINDOW_START
    assert heal_start(None, orders, venue=venue, account="other") is None
    newest = ExecId(12, 3)
    assert heal_start(newest, orders, venue=venue, account=account) == newest
