"""A full disk blocks trading instead of trading unjournaled.

The Desk's database is capped at the pages it has (SQLite's ``max_page_count``: writes that
need a new page fail with "database or disk is full", as on a full disk). The trader keeps
sending orders; the first journal write that fails blocks trading: a notice says why, every
action is refused with that reason, and nothing more reaches the venue.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.client.config import WorkstationConfig
from workstation.client.desk import ActionRefused, Desk, DeskUpdate
from workstation.client.local_venue import LocalVenue
from workstation.trading.ticket import Intent, Ticket

from .journal_child import wait_until


def test_a_full_disk_blocks_trading(tmp_path: Path) -> None:
    updates: list[DeskUpdate] = []

    async def scenario() -> None:
        desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False, venue_in_process=True)
        desk.subscribe(updates.append)
        await desk.start()
        assert desk.journal is not None and isinstance(desk.local, LocalVenue)
        connection = desk.journal.database.connection
        account = desk.accounts[0]
        venue = desk.local.venue
        try:
            await wait_until(desk.all_logged_on)
            ticker = sorted(m.ticker for m in venue.exchange.markets() if m.status == "open")[0]
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")
            sent = 0
            for _ in range(300):  # bounded: a few pages' worth of rows at most
                ticket = Ticket(
                    symbol=ticker, intent=Intent.BUY_YES, price=Decimal("0.05"), quantity=Decimal(1)
                )
                try:
                    await desk.submit(ticket)
                except ActionRefused as exc:
                    assert "Trading is blocked" in str(exc)
                    break
                sent += 1
                await asyncio.sleep(0.01)  # let acknowledgements be journaled (or fail) too
            assert desk.trading_blocked, "the journal never filled up"
            assert "full" in desk.trading_blocked
            await asyncio.sleep(0.3)
            placed = len(venue.exchange.snapshot(account).orders)
            assert placed <= sent  # nothing went out unjournaled

            # every action is refused now, with the reason, and nothing is sent
            link = desk.order_link()
            assert link is not None
            seq = link.session.next_sender_seq
            actions = [
                desk.submit(ticket),
                desk.cancel_all(),
                desk.create_group(5),
                desk.create_rfq(ticker, Decimal(5)),
            ]
            if desk.orders.open_orders():
                actions.append(desk.cancel(desk.orders.open_orders()[0].cl_ord_id))
            for action in actions:
                with pytest.raises(ActionRefused, match=r"Trading is blocked.*full"):
                    await action
            assert link.session.next_sender_seq == seq
            assert len(venue.exchange.snapshot(account).orders) == placed
        finally:
            connection.execute("PRAGMA max_page_count = 1073741823")  # room again, to stop
            await desk.stop()

    asyncio.run(scenario())
    notices = [n.text for u in updates for n in u.notices]
    assert any("Trading is blocked" in text and "full" in text for text in notices)
