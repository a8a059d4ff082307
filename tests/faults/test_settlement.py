"""A market settles while KalshiPT is down.

On the ``current`` dialect the venue keeps the MarketSettlementReport for the disconnected
session (KalshiPT retransmits), the desk's PT session asks for it by ResendRequest when it
logs on again, and the settlement is booked once — positions closed, the payout in the
balance, both agreeing with the venue.

On ``1.0.13`` KalshiPT must reset on every logon and cannot resend: the report pushed while it
was down is gone. The desk reads the venue's REST settlement history for the disconnected
period instead (``client.settlement_recovery``), books the settlement once and marks it
recovered; after a restart the journal brings it back, still recovered, and the REST check
the new logon makes finds nothing more to book (the balance would show a second payout).
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.client.journal import NoteKind
from workstation.fix.dialect import Dialect, SessionType
from workstation.trading.ticket import Intent

from .rig import Rig, wait_until
from .scenario import fills_at_least, run_scenario
from .simulator import MARKETS


def recovered_notes(rig: Rig) -> int:
    journal = rig.the_desk.journal
    assert journal is not None
    row = journal.database.connection.execute(
        "SELECT COUNT(*) FROM journal_out WHERE kind = ?", (NoteKind.SETTLEMENT_RECOVERED.value,)
    ).fetchone()
    return int(row[0])


@pytest.mark.parametrize("dialect", [Dialect.CURRENT, Dialect.V1_0_13], ids=["current", "1.0.13"])
def test_settlement_while_post_trade_is_down(tmp_path: Path, dialect: Dialect) -> None:
    market = MARKETS[2]
    resends = dialect is Dialect.CURRENT

    def settled(rig: Rig) -> bool:
        desk = rig.the_desk
        found = desk.settlements.get(desk.venue_id, market)
        return found is not None and found.complete

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
        how = "resent on KalshiPT" if resends else "recovered over REST"
        await wait_until(lambda: settled(rig), 15.0, f"the settlement, {how}")
        await fills_at_least(rig, 5)
        if not resends:
            assert desk.settlement_recovery.checks == 1 and recovered_notes(rig) == 1
            # Restart: the journal restores it (still recovered); the new PT logon reads the
            # REST history again and finds it held.
            await rig.close_desk()
            desk = await rig.open_desk()
            assert settled(rig)
            restored = desk.settlements.get(desk.venue_id, market)
            assert restored is not None and restored.recovered
            await wait_until(
                lambda: desk.settlement_recovery.checks == 1, 10.0, "the REST check after restart"
            )
            assert recovered_notes(rig) == 1
            await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault, dialect=dialect)
    assert result.ok, result.describe()
    settlement = rig.the_desk.settlements.get(rig.the_desk.venue_id, market)
    assert settlement is not None and not settlement.mismatched
    assert settlement.total_payout > 0
    assert settlement.recovered is not resends
    if resends:
        assert rig.wire[(SessionType.PT, "out", "2")] >= 1  # recovered by ResendRequest
    else:
        assert rig.wire[(SessionType.PT, "out", "2")] == 0  # KalshiPT cannot resend
        assert any("recovered from the venue's REST history" in n.text for n in rig.notices)
    assert market not in rig.last_snapshot["positions"] or Decimal(
        rig.last_snapshot["positions"][market]
    ) == 0
