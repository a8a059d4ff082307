"""A cancel or replace in flight when the workstation died is settled after the restart.

The workstation (a child process, :mod:`tests.client.amend_child`) places an order, sees it
acknowledged, sends a cancel or a replace and is killed before it reads the answer. The new
Desk restores the order from the journal with that request still in flight (Pending cancel /
Pending replace), and settles it as DECISIONS.md settles an order whose outcome is unknown:

- by a report for it, when one comes: KalshiRT resends the answer the dead workstation never
  read, and drop copy replays an ExecutionReport with an ExecID (a cancel acknowledgement);
- otherwise — KalshiNR, whose refusal of a replace (an OrderCancelReject, or a reject without
  an ExecID on 1.0.13) no one can replay — by a cancel request of its own once the order
  session is up and drop copy has had its chance: the acknowledgement proves the order was
  live and now is not.

Never the replace again under a new ClOrdID; the row, its history and the reason stay shown.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.client.desk import Desk
from workstation.fix.dialect import SessionType
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus

from .amend_child import ROOT
from .journal_child import ACCOUNT, make_desk, start_venue, wait_until
from .test_journal_unknown import PRICE, sent_messages

#: A replace the venue refuses: the new total costs more than the account's balance.
TOO_MANY = "1000000"


def status_is(desk: Desk, cl_ord_id: str, *wanted: OrderStatus) -> bool:
    order = desk.orders.get(cl_ord_id)
    return order is not None and order.status in wanted


@pytest.mark.parametrize(
    ("order_session", "amend"),
    [
        (SessionType.NR, "replace"),
        (SessionType.NR, "cancel"),
        (SessionType.RT, "replace"),
    ],
    ids=["NR-replace-refused", "NR-cancel-applied", "RT-replace-refused"],
)
def test_a_request_in_flight_at_a_kill_is_settled_after_restart(
    tmp_path: Path, order_session: SessionType, amend: str
) -> None:
    async def scenario() -> None:
        ext = await start_venue(tmp_path / "venue")
        desk = None
        try:
            ticker = ext.open_market()
            spec = ext.spec(
                tmp_path / "desk",
                order_session,
                "amend-and-die",
                symbol=ticker,
                price=str(PRICE),
                quantity="4",
                amend=amend,
                new_quantity=TOO_MANY,
            )
            spec_file = ext.write_spec(tmp_path / "spec.json", spec)
            cl_ord_id = await ext.run_dying_child(
                spec_file, [sys.executable, "-m", "tests.client.amend_child"], cwd=ROOT
            )
            resting = 0 if amend == "cancel" else 1  # a refused replace leaves it resting
            await wait_until(lambda: len(ext.venue.exchange.open_orders(ACCOUNT)) == resting)

            desk = make_desk(spec)
            desk.reconcile_grace = 0.3
            await desk.start()
            restored = desk.orders.get(cl_ord_id)
            pending = (
                OrderStatus.PENDING_CANCEL if amend == "cancel" else OrderStatus.PENDING_REPLACE
            )
            assert restored is not None and restored.status is pending
            await wait_until(
                lambda: (
                    status_is(desk, cl_ord_id, OrderStatus.CANCELLED, OrderStatus.NEW)
                    and not (desk.orders.get(cl_ord_id) or restored).pending
                )
            )
            final = desk.orders.get(cl_ord_id)
            assert final is not None
            check(desk, ext.venue.exchange.open_orders(ACCOUNT), final, order_session, amend)
        finally:
            if desk is not None:
                await desk.stop()
            await ext.venue.stop()

    asyncio.run(scenario())


def check(
    desk: Desk, venue_open: Sequence[object], final: Order, order_session: SessionType, amend: str
) -> None:
    whats = [event.what for event in final.history]
    assert sent_messages(desk, "D") == 1 and whats.count("NewOrderSingle") == 1
    if amend == "replace":
        assert sent_messages(desk, "G") == 1  # never sent again
    if order_session is SessionType.RT:
        # KalshiRT resent the OrderCancelReject: the order is as it was, with the reason.
        assert final.status is OrderStatus.NEW and final.order_qty == Decimal(4)
        assert "replace rejected" in final.reason
        assert sent_messages(desk, "F") == 0 and len(venue_open) == 1
    elif amend == "cancel":
        # Drop copy replayed the cancel acknowledgement: no cancel of our own.
        assert final.status is OrderStatus.CANCELLED
        assert sent_messages(desk, "F") == 1 and whats.count("OrderCancelRequest") == 1
        assert any(event.healed for event in final.history)
        assert venue_open == []
    else:
        # Nothing could replay the refusal: the reconciling cancel settled it.
        assert final.status is OrderStatus.CANCELLED
        assert sent_messages(desk, "F") == 1 and whats.count("OrderCancelRequest") == 1
        assert "reconcil" in " ".join(event.note for event in final.history)
        assert venue_open == []
