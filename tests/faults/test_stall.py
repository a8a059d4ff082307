"""Stall: the venue's messages stop reaching the desk while trading goes on.

Past the heartbeat (HeartBtInt 3 s): the desk hears nothing, sends a TestRequest that is never
answered, gives up on the connection at about 2.2 × HeartBtInt and reconnects; the fills the
stalled connection never delivered come back by resend and drop copy. Within the heartbeat:
the connection survives and everything held arrives late, in order, once.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from workstation.fix.dialect import SessionType

from .proxy import FaultKind, Leg
from .rig import Rig, wait_until
from .scenario import fills_at_least, run_scenario


def test_stall_past_the_heartbeat(tmp_path: Path) -> None:
    async def fault(rig: Rig) -> None:
        proxy = rig.proxies[SessionType.RT]
        proxy.stall(30.0, Leg.TO_CLIENT)
        await wait_until(lambda: proxy.accepted >= 2, 12.0, "the desk to give up and reconnect")
        proxy.pass_through()
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault, heartbeat=3)
    assert result.ok, result.describe()
    assert [f.kind for f in rig.faults].count(FaultKind.STALL) == 1
    assert rig.wire[(SessionType.RT, "out", "1")] >= 1  # it asked with a TestRequest first
    assert rig.wire[(SessionType.RT, "out", "2")] >= 1  # and resent what the stall swallowed


def test_stall_within_the_heartbeat_delivers_late_and_once(tmp_path: Path) -> None:
    async def fault(rig: Rig) -> None:
        proxy = rig.proxies[SessionType.RT]
        held_from = len(rig.the_desk.fills)
        proxy.stall(1.5, Leg.TO_CLIENT)
        await asyncio.sleep(1.0)
        assert len(rig.the_desk.fills) == held_from  # nothing gets through a stall
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault, heartbeat=3)
    assert result.ok, result.describe()
    assert rig.proxies[SessionType.RT].accepted == 1  # the connection survived
    assert result.healed == 0  # and delivered everything itself
