"""EXCHANGE_UNAVAILABLE, injected through the simulator's admin port (``fail``): the venue says
it could not confirm an order, which in truth it either placed (``applied=true``: the order
rests, the counterparty fills it, and only its acknowledgement was lost) or did not. Fills keep
arriving meanwhile. The desk marks the order *Unknown — reconciling*, settles it (DECISIONS.md:
an ExecutionReport for it, else a cancel whose answer proves it live or never live), and ends
with the venue's fills, positions and balance."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from workstation.fix.dialect import Dialect
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent

from .rig import Rig, wait_until
from .scenario import fills_at_least, run_scenario
from .simulator import DESK_ACCOUNT, MARKETS


@pytest.mark.parametrize(
    ("dialect", "applied"),
    [(Dialect.CURRENT, True), (Dialect.CURRENT, False), (Dialect.V1_0_13, False)],
    ids=["applied", "not-applied", "1.0.13"],
)
def test_exchange_unavailable(tmp_path: Path, dialect: Dialect, applied: bool) -> None:
    """On ``current`` the venue answers with an ExecutionReport reject, on ``1.0.13`` with a
    BusinessMessageReject 380=4 (where it is a final reject, never applied); the desk reads
    either as *Unknown* and settles it (DECISIONS.md)."""
    sent: list[str] = []

    async def fault(rig: Rig) -> None:
        await rig.sim.admin(
            "fail", account=DESK_ACCOUNT, kind="EXCHANGE_UNAVAILABLE", applied=applied
        )
        # One cent above the desk's resting bid: it takes the maker's offer at once and then
        # leads the bid, where the counterparty sells.
        order = await rig.submit(MARKETS[0], Intent.BUY_YES, Decimal("0.51"), Decimal(25))
        sent.append(order.cl_ord_id)
        desk = rig.the_desk

        def settled() -> bool:
            found = desk.orders.get(order.cl_ord_id)
            return found is not None and any(
                e.status is OrderStatus.UNKNOWN for e in found.history
            ) and found.status is not OrderStatus.UNKNOWN

        await wait_until(settled, 15.0, "the order to be Unknown, then settled")
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault, dialect=dialect)
    assert result.ok, result.describe()
    order = rig.the_desk.orders.get(sent[0])
    assert order is not None
    ours = set(order.cl_ord_ids)  # a reconciling cancel gives the order a new ClOrdID
    venue_orders = [
        o for o in rig.last_snapshot["orders"] if {o["cl_ord_id"], o["orig_cl_ord_id"]} & ours
    ]
    if applied:
        assert len(venue_orders) == 1  # it was live after all
        assert order.status is not OrderStatus.REJECTED
        assert order.cum_qty == Decimal(venue_orders[0]["cum_qty"]) > 0
    else:
        assert venue_orders == []  # it never was
        assert order.status is OrderStatus.REJECTED
        assert order.cum_qty == 0
