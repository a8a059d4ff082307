"""A market settles while KalshiPT is down: the venue keeps the MarketSettlementReport for the
disconnected session (KalshiPT retransmits on the ``current`` dialect), the desk's PT session
asks for it by ResendRequest when it logs on again, and the settlement is booked once —
positions closed, the payout in the balance, both agreeing with the venue."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.trading.ticket import Intent

from .rig import Rig, wait_until
from .scenario import fills_at_least, run_scenario
from .simulator import MARKETS


def test_settlement_while_post_trade_is_down(tmp_path: Path) -> None:
    market = MARKETS[2]

    async def fault(rig: Rig) -> None:
        desk = rig.the_desk
        await rig.submit(market, Intent.BUY_YES, Decimal("0.55"), Decimal(6))  # takes the offer
        await wait_until(
            lambda: any(f.symbol == market for f in desk.fills), 10.0, "a position in the market"
        )
        pt = rig.proxies[SessionType.PT]
        pt.refuse(True)
        pt.cut()
        await asyncio.sleep(0.3)
        await rig.sim.admin("settle", ticker=market, result="yes")
        await asyncio.sleep(0.5)
        pt.refuse(False)

        def settled() -> bool:
            found = desk.settlements.get(desk.venue_id, market)
            return found is not None and found.complete

        await wait_until(settled, 15.0, "the settlement, resent on KalshiPT")
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault)
    assert result.ok, result.describe()
    settlement = rig.the_desk.settlements.get(rig.the_desk.venue_id, market)
    assert settlement is not None and not settlement.mismatched
    assert settlement.total_payout > 0
    assert rig.wire[(SessionType.PT, "out", "2")] >= 1  # recovered by ResendRequest
    assert market not in rig.last_snapshot["positions"] or Decimal(
        rig.last_snapshot["positions"][market]
    ) == 0
