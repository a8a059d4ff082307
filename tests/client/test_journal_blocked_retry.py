"""Trading blocked by a full disk resumes once the journal can be written again, without a
restart — and still nothing is ever sent unjournaled.

The full disk is the technique of ``test_journal_blocked``: the database is capped at the
pages it has (SQLite's ``max_page_count``), so a write that needs a new page fails with
"database or disk is full". Freeing space is lifting the cap. The block lifts by itself (the
Desk probes the journal on a timer) or at the trader's next action (which probes first).
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.client.config import WorkstationConfig
from workstation.client.desk import ActionRefused, Desk, DeskUpdate
from workstation.client.journal_retry import probe_room
from workstation.client.local_venue import LocalVenue
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent, Ticket

from .journal_child import wait_until
from .test_journal_unknown import sent_messages

UNCAPPED = 1073741823


async def block_by_a_full_disk(desk: Desk, ticker: str) -> None:
    """Cap the database, then send orders until a journal write fails."""
    assert desk.journal is not None
    connection = desk.journal.database.connection
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")
    for _ in range(300):  # bounded: a few pages' worth of rows at most
        try:
            await desk.submit(ticket(ticker))
        except ActionRefused as exc:
            assert "Trading is blocked" in str(exc)
            return
        await asyncio.sleep(0.01)  # let acknowledgements be journaled (or fail) too
    raise AssertionError("the journal never filled up")


def ticket(ticker: str) -> Ticket:
    return Ticket(symbol=ticker, intent=Intent.BUY_YES, price=Decimal("0.05"), quantity=Decimal(1))


def free_space(desk: Desk) -> None:
    assert desk.journal is not None
    desk.journal.database.connection.execute(f"PRAGMA max_page_count = {UNCAPPED}")


@pytest.mark.parametrize("how", ["probe", "action"])
def test_trading_resumes_once_the_journal_can_be_written(tmp_path: Path, how: str) -> None:
    updates: list[DeskUpdate] = []

    async def scenario() -> None:
        desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False, venue_in_process=True)
        desk.subscribe(updates.append)
        # the timer's first probe: soon when it is the one tested, else never during the test
        desk.journal_retry.first = 0.2 if how == "probe" else 600.0
        await desk.start()
        assert desk.journal is not None and isinstance(desk.local, LocalVenue)
        account = desk.accounts[0]
        venue = desk.local.venue
        try:
            await wait_until(desk.all_logged_on)
            ticker = sorted(m.ticker for m in venue.exchange.markets() if m.status == "open")[0]
            await block_by_a_full_disk(desk, ticker)
            assert "full" in desk.trading_blocked and "resumes" in desk.trading_blocked
            assert desk.journal_retry.running or how == "action"

            # Still full: the trader's retry and the timer's probes fail; nothing is sent.
            placed = len(venue.exchange.snapshot(account).orders)
            with pytest.raises(ActionRefused, match=r"Trading is blocked.*full"):
                await desk.submit(ticket(ticker))
            assert desk.journal_retry.probes >= 1 and "full" in desk.journal_retry.last_problem
            await asyncio.sleep(0.5)
            assert desk.trading_blocked
            assert len(venue.exchange.snapshot(account).orders) == placed

            free_space(desk)
            if how == "probe":
                await wait_until(lambda: not desk.trading_blocked, 5.0)
                assert not desk.journal_retry.running
            # The sessions' stores could not take the venue's messages either: they reconnect.
            await wait_until(desk.all_logged_on, 30.0)
            assert bool(desk.trading_blocked) is (how == "action")
            journaled = sent_messages(desk, "D")
            order = await desk.submit(ticket(ticker))  # "action": this retry lifts the block
            assert not desk.trading_blocked
            assert sent_messages(desk, "D") == journaled + 1  # journaled before it was sent
            await wait_until(
                lambda: (desk.orders.get(order.cl_ord_id) or order).order_id is not None
            )
            found = desk.orders.get(order.cl_ord_id)
            assert found is not None and found.status is OrderStatus.NEW
            assert len(venue.exchange.snapshot(account).orders) == placed + 1
        finally:
            free_space(desk)
            await desk.stop()

    asyncio.run(scenario())
    notices = [n.text for u in updates for n in u.notices]
    assert any("can be written again" in text for text in notices)


def test_a_probe_needs_room_for_a_write_and_leaves_none_of_it(tmp_path: Path) -> None:
    from workstation.client.journal import Journal

    journal = Journal.open(tmp_path / "sessions.db")
    try:
        connection = journal.database.connection
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        problem = probe_room(journal)
        assert problem is not None and "full" in problem
        connection.execute(f"PRAGMA max_page_count = {UNCAPPED}")
        assert probe_room(journal) is None
        keys = [k for (k,) in connection.execute("SELECT key FROM journal_meta")]
        assert "space_probe" not in keys
    finally:
        journal.close()
