"""kill -9 the workstation in the middle of a stream of fills, and start it again.

The desk runs in a child process (:mod:`tests.faults.desk_child`) behind the rig's proxies; a
burst of fills is under way when it is killed with SIGKILL, and the counterparty and the
simulated flow keep trading while it is dead. A new Desk then opens the same data directory:
its journal restores what the dead one had committed, KalshiRT resumes by ResendRequest from
the durable session store, KalshiNR heals through drop copy from the newest ExecID the journal
holds — and the fills are the venue's, each once, with the same positions and balance.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from workstation.fix.dialect import SessionType

from .desk_child import DeskChild, spawn
from .rig import Rig, wait_until
from .scenario import fills_at_least, record_result


@pytest.mark.parametrize("order_session", [SessionType.RT, SessionType.NR])
def test_kill_9_the_workstation_mid_stream(tmp_path: Path, order_session: SessionType) -> None:
    async def scenario() -> None:
        rig = Rig(tmp_path, order_session=order_session)
        child: DeskChild | None = None
        try:
            await rig.start(desk=False)
            child = await spawn(rig)
            await child.wait_for("ready")
            cp = rig.the_counterparty
            cp.run(0.05)
            await wait_until(lambda: child is not None and child.fills >= 5, 10.0, "fills")
            cp.burst(30)
            seen = child.fills
            await wait_until(lambda: child is not None and child.fills > seen, 5.0, "the burst")
            assert await child.kill() == -9  # mid-stream: the burst is still arriving
            killed_with = child.fills
            await asyncio.sleep(1.0)  # trading goes on while the workstation is dead
            desk = await rig.open_desk()
            assert len(desk.fills) >= killed_with  # the journal kept what it had committed
            await fills_at_least(rig, 5)
            result = await rig.settle()
            record_result(rig, result)
            assert result.ok, result.describe()
            assert result.venue_fills > killed_with  # fills it missed while dead were healed
            if order_session is SessionType.NR:
                assert result.healed > 0
        finally:
            if child is not None:
                await child.kill()
            await rig.close()

    asyncio.run(scenario())
