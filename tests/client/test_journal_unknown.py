"""Orders whose outcome is unknown are shown Unknown and settled as DECISIONS.md says.

Two ways an order's outcome becomes unknown, each with the venue's failure injector arming
EXCHANGE_UNAVAILABLE for the account's next order, applied (the order really rests) or not:

- live: the venue answers EXCHANGE_UNAVAILABLE while we are connected;
- across a restart: the workstation sends the order and is killed (SIGKILL) before it reads
  any answer; the order is in the journal, its answer nowhere.

Either way the order shows *Unknown — reconciling*; once the order session is up the Desk
sends the cancel request of DECISIONS.md (never the NewOrderSingle again): an acknowledgement
proves the order was live (it ends Cancelled), "unknown order" that it never reached the
exchange (it ends Rejected) — unless a report settles it first: after the restart, drop
copy's replay of the acknowledgement of an applied order (``heal_start``). The row, its
history and the reason stay visible throughout.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.client.config import WorkstationConfig
from workstation.client.desk import Desk
from workstation.client.local_venue import LocalVenue
from workstation.fix.dialect import SessionType
from workstation.simulator.failures import FailureKind
from workstation.trading.changes import OrderChanged
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.orders import NEVER_REACHED
from workstation.trading.ticket import Intent, Ticket

from .journal_child import ACCOUNT, make_desk, start_venue, wait_until

PRICE = Decimal("0.20")


def sent_messages(desk: Desk, msg_type: str) -> int:
    assert desk.journal is not None
    rows = desk.journal.database.connection.execute(
        "SELECT COUNT(*) FROM journal_out WHERE kind = 'sent' AND msg_type = ?", (msg_type,)
    ).fetchone()
    return int(rows[0])


def settled(order: Order | None) -> bool:
    return order is not None and order.status in (OrderStatus.CANCELLED, OrderStatus.REJECTED)


def check_outcome(order: Order, applied: bool) -> None:
    notes = [event.note for event in order.history]
    assert any(event.status is OrderStatus.UNKNOWN for event in order.history)
    whats = [event.what for event in order.history]
    assert whats.count("NewOrderSingle") == 1 and "OrderCancelRequest" in whats
    if applied:
        assert order.status is OrderStatus.CANCELLED
        assert any("reached the exchange" in note for note in notes)
    else:
        assert order.status is OrderStatus.REJECTED
        assert order.reason == NEVER_REACHED


@pytest.mark.parametrize("applied", [True, False], ids=["applied", "not-applied"])
def test_exchange_unavailable_is_reconciled_by_a_cancel(tmp_path: Path, applied: bool) -> None:
    seen: list[OrderStatus] = []

    async def scenario() -> None:
        desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False, venue_in_process=True)
        desk.reconcile_grace = 0.3
        await desk.start()
        try:
            await wait_until(desk.all_logged_on)
            assert isinstance(desk.local, LocalVenue)
            venue = desk.local.venue
            ticker = sorted(m.ticker for m in venue.exchange.markets() if m.status == "open")[0]
            desk.subscribe(
                lambda u: seen.extend(
                    c.order.status for c in u.changes if isinstance(c, OrderChanged)
                )
            )
            venue.failures.arm(desk.accounts[0], FailureKind.EXCHANGE_UNAVAILABLE, applied=applied)
            ticket = Ticket(symbol=ticker, intent=Intent.BUY_YES, price=PRICE, quantity=Decimal(3))
            order = await desk.submit(ticket)
            await wait_until(lambda: settled(desk.orders.get(order.cl_ord_id)))
            final = desk.orders.get(order.cl_ord_id)
            assert final is not None
            check_outcome(final, applied)
            assert sent_messages(desk, "D") == 1  # never resent
            assert sent_messages(desk, "F") == 1  # the reconciling cancel
            resting = venue.exchange.open_orders(desk.accounts[0])
            assert resting == []  # an applied order was cancelled; the other never existed
        finally:
            await desk.stop()

    asyncio.run(scenario())
    assert OrderStatus.UNKNOWN in seen


@pytest.mark.parametrize("applied", [True, False], ids=["applied", "not-applied"])
def test_order_sent_before_a_kill_is_reconciled_after_restart(
    tmp_path: Path, applied: bool
) -> None:
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
                quantity="4",
            )
            spec_file = ext.write_spec(tmp_path / "spec.json", spec)
            ext.venue.failures.arm(ACCOUNT, FailureKind.EXCHANGE_UNAVAILABLE, applied=applied)
            cl_ord_id = await ext.run_dying_child(spec_file)
            await wait_until(lambda: ext.venue.failures.armed(ACCOUNT) is None)  # it arrived
            assert bool(ext.venue.exchange.open_orders(ACCOUNT)) == applied

            desk = make_desk(spec)
            desk.reconcile_grace = 0.3
            await desk.start()
            restored = desk.orders.get(cl_ord_id)
            assert restored is not None and restored.status is OrderStatus.UNKNOWN
            assert "restarted" in restored.reason
            assert desk.intent_of(cl_ord_id) is Intent.BUY_YES
            if applied:
                # The journal holds no ExecID, so drop copy is asked from the start of its
                # window (heal_start): it replays the acknowledgement the venue recorded, which
                # settles the order (DECISIONS.md step 1) — no cancel, and it keeps resting.
                await wait_until(lambda: status_is(desk, cl_ord_id, OrderStatus.NEW))
                await asyncio.sleep(0.6)  # past the grace: still no cancel
                final = desk.orders.get(cl_ord_id)
                assert final is not None and final.status is OrderStatus.NEW and final.healed
                assert sent_messages(desk, "F") == 0 and sent_messages(desk, "D") == 1
                assert len(ext.venue.exchange.open_orders(ACCOUNT)) == 1
                return
            await wait_until(lambda: settled(desk.orders.get(cl_ord_id)))
            final = desk.orders.get(cl_ord_id)
            assert final is not None
            check_outcome(final, applied)
            assert sent_messages(desk, "D") == 1
            assert ext.venue.exchange.open_orders(ACCOUNT) == []
        finally:
            if desk is not None:
                await desk.stop()
            await ext.venue.stop()

    asyncio.run(scenario())


def test_a_report_resent_after_restart_settles_an_unknown_order_without_a_cancel(
    tmp_path: Path,
) -> None:
    """KalshiRT keeps the acknowledgement the dead workstation never read and resends it:
    that report settles the order (DECISIONS.md step 1), so no cancel is sent."""

    async def scenario() -> None:
        ext = await start_venue(tmp_path / "venue")
        desk = None
        try:
            ticker = ext.open_market()
            spec = ext.spec(
                tmp_path / "desk",
                SessionType.RT,
                "submit-and-die",
                symbol=ticker,
                price=str(PRICE),
                quantity="2",
            )
            spec_file = ext.write_spec(tmp_path / "spec.json", spec)
            cl_ord_id = await ext.run_dying_child(spec_file)
            await wait_until(lambda: bool(ext.venue.exchange.open_orders(ACCOUNT)))

            desk = make_desk(spec)
            desk.reconcile_grace = 0.3
            await desk.start()
            restored = desk.orders.get(cl_ord_id)
            assert restored is not None and restored.status is OrderStatus.UNKNOWN
            await wait_until(lambda: status_is(desk, cl_ord_id, OrderStatus.NEW))
            await asyncio.sleep(0.6)  # past the grace: still no cancel
            final = desk.orders.get(cl_ord_id)
            assert final is not None and final.status is OrderStatus.NEW
            shown = [event.status for event in final.history]
            assert OrderStatus.UNKNOWN in shown and shown[-1] is OrderStatus.NEW
            assert "OrderCancelRequest" not in [event.what for event in final.history]
            assert sent_messages(desk, "F") == 0 and sent_messages(desk, "D") == 1
            assert len(ext.venue.exchange.open_orders(ACCOUNT)) == 1
        finally:
            if desk is not None:
                await desk.stop()
            await ext.venue.stop()

    asyncio.run(scenario())


def status_is(desk: Desk, cl_ord_id: str, wanted: OrderStatus) -> bool:
    order = desk.orders.get(cl_ord_id)
    return order is not None and order.status is wanted
