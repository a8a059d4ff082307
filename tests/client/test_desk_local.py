"""The Desk against the local venue it starts itself: provisioning, logon on every session,
an order's round trip, markets over REST, and the batched updates the GUI consumes."""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from workstation.client.config import WorkstationConfig
from workstation.client.desk import ActionRefused, Desk, DeskUpdate
from workstation.client.records import Direction, SessionPhase
from workstation.fix.dialect import SessionType
from workstation.trading.changes import OrderChanged
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent, Ticket


def status_of(desk: Desk, cl_ord_id: str) -> OrderStatus | None:
    order = desk.orders.get(cl_ord_id)
    return None if order is None else order.status


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def test_desk_trades_on_the_local_venue(tmp_path: Path) -> None:
    updates: list[DeskUpdate] = []

    async def scenario() -> None:
        desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False)
        desk.subscribe(updates.append)
        await desk.start()
        try:
            await wait_for(desk.all_logged_on)
            phases = {i.session: i.phase for i in desk.session_infos()}
            assert phases == {
                SessionType.RT: SessionPhase.ACTIVE,
                SessionType.DC: SessionPhase.ACTIVE,
                SessionType.PT: SessionPhase.ACTIVE,
                SessionType.RFQ: SessionPhase.ACTIVE,
            }
            snapshot = await desk.refresh_market()
            assert snapshot is not None and not snapshot.error, snapshot
            open_market = next(m for m in snapshot.markets.values() if m.tradable)
            assert snapshot.balance is not None and snapshot.balance > 0

            ticket = Ticket(
                symbol=open_market.ticker,
                intent=Intent.BUY_YES,
                price=Decimal("0.03"),
                quantity=Decimal(5),
            )
            order = await desk.submit(ticket)
            await wait_for(lambda: status_of(desk, order.cl_ord_id) is OrderStatus.NEW)
            await desk.cancel(order.cl_ord_id)
            await wait_for(lambda: status_of(desk, order.cl_ord_id) is OrderStatus.CANCELLED)
        finally:
            await desk.stop()

    asyncio.run(scenario())
    changes = [c for u in updates for c in u.changes if isinstance(c, OrderChanged)]
    statuses = [c.order.status for c in changes]
    assert OrderStatus.PENDING_SUBMIT in statuses and OrderStatus.CANCELLED in statuses
    wire = [r for u in updates for r in u.wire]
    assert any(r.direction is Direction.OUT and r.msg_type == "D" for r in wire)
    assert any(r.direction is Direction.IN and r.msg_type == "8" for r in wire)
    logon = next(r for r in wire if r.msg_type == "A" and r.direction is Direction.OUT)
    signature = logon.raw.split(b"\x0196=", 1)[1].split(b"\x01", 1)[0]
    assert set(signature) == {ord("*")}  # RawData never reaches the log
    # keys were provisioned owner-only, and reused on the next start
    keys = sorted((tmp_path / "local-venue" / "keys").glob("*.key.pem"))
    assert len(keys) == 4
    assert all(stat.S_IMODE(os.stat(k).st_mode) == 0o600 for k in keys)


def test_ticket_errors_refuse_before_anything_is_sent(tmp_path: Path) -> None:
    async def scenario() -> None:
        desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False)
        await desk.start()
        try:
            await wait_for(desk.all_logged_on)
            sent_before = desk.order_link().session.next_sender_seq  # type: ignore[union-attr]
            bad = Ticket(
                symbol="X", intent=Intent.BUY_YES, price=Decimal("1.50"), quantity=Decimal(1)
            )
            try:
                await desk.submit(bad)
            except ActionRefused as exc:
                assert "price" in str(exc).lower()
            else:
                raise AssertionError("a $1.50 price was sent")
            assert desk.order_link().session.next_sender_seq == sent_before  # type: ignore[union-attr]
        finally:
            await desk.stop()

    asyncio.run(scenario())


def test_nothing_is_delivered_after_stop_returns(tmp_path: Path) -> None:
    """Updates are batched on a timer; stop() delivers what is pending itself, and none come
    after it (a desk opened next on the same journal would count them twice)."""
    updates: list[DeskUpdate] = []

    async def scenario() -> int:
        desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False, venue_in_process=True)
        desk.subscribe(updates.append)
        await desk.start()
        await wait_for(desk.all_logged_on)
        for _ in range(3):  # a burst of changes: the next update waits for the timer
            desk._notice("a notice")
        await desk.stop()
        delivered = len(updates)
        await asyncio.sleep(0.3)
        assert len(updates) == delivered, "an update arrived after stop() returned"
        return delivered

    asyncio.run(scenario())
    notices = [n.text for u in updates for n in u.notices]
    assert notices.count("a notice") == 3
