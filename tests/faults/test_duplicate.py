"""Duplicate: a message is delivered twice with the same MsgSeqNum and no PossDupFlag.

To the desk: the second copy of an ExecutionReport is below the expected sequence number, which
ends the session (SPEC §7.2: "MsgSeqNum too low"); the desk logs on again and recovers, and the
fill is recorded once. A drop-copy replay delivered twice is handled the same way on KalshiDC.
To the venue: a NewOrderSingle delivered twice places one order, not two.

(TCP never reorders, so there is no reordering scenario: what could arrive out of order — a
resend or a replay after newer live reports — is covered by the cut and corrupt scenarios.)
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from workstation.fix.dialect import SessionType
from workstation.trading.ticket import Intent

from .proxy import FaultKind, Leg
from .rig import Rig, wait_until
from .scenario import ER, fills_at_least, run_scenario
from .simulator import MARKETS


@pytest.mark.parametrize("order_session", [SessionType.RT, SessionType.NR])
def test_duplicate_a_fill(tmp_path: Path, order_session: SessionType) -> None:
    async def fault(rig: Rig) -> None:
        proxy = rig.proxies[order_session]
        proxy.duplicate_next(match=ER)
        await wait_until(lambda: proxy.armed == 0, 10.0, "the duplicate to go out")
        await wait_until(lambda: proxy.accepted >= 2, 10.0, "the desk to log on again")
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault, order_session=order_session)
    assert result.ok, result.describe()
    assert [f.kind for f in rig.faults] == [FaultKind.DUPLICATE]
    assert any("too low" in n.text for n in rig.notices) or rig.wire[
        (order_session, "out", "5")
    ] >= 1  # the desk ended the session over it


def test_duplicate_a_drop_copy_replay(tmp_path: Path) -> None:
    async def fault(rig: Rig) -> None:
        proxy = rig.proxies[SessionType.DC]
        proxy.duplicate_next(match=ER)
        await wait_until(rig.the_desk.heal_from_drop_copy, 5.0, "a drop-copy request")
        await wait_until(lambda: proxy.armed == 0, 10.0, "the duplicate to go out")
        await wait_until(lambda: proxy.accepted >= 2, 10.0, "KalshiDC to log on again")
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault)
    assert result.ok, result.describe()
    assert rig.duplicates_ignored >= 1  # the replayed copies of fills held already


def test_duplicate_an_order_to_the_venue(tmp_path: Path) -> None:
    sent: list[str] = []

    async def fault(rig: Rig) -> None:
        proxy = rig.proxies[SessionType.RT]
        proxy.duplicate_next(leg=Leg.TO_SERVER, match=b"\x0135=D\x01")
        order = await rig.submit(MARKETS[0], Intent.BUY_YES, Decimal("0.50"), Decimal(9))
        sent.append(order.cl_ord_id)
        await wait_until(lambda: proxy.armed == 0, 5.0, "the duplicate to go out")
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault)
    assert result.ok, result.describe()
    venue_ids = [o["cl_ord_id"] for o in rig.last_snapshot["orders"]]
    assert venue_ids.count(sent[0]) == 1
