"""Restart the simulator: ``workstation-sim --state-dir`` is killed (``SIGKILL``: no Logout, no
flush) or stopped (``SIGTERM``) in the middle of a stream of fills, and started again from the
same state directory on new ports. The desk reconnects with backoff; KalshiRT resumes its
sequence (the venue kept it), and the desk ends with exactly the fills the restarted venue has
on record — nothing the dead venue sent is lost or doubled, and nothing the venue forgot is
kept. (A kill landing between a report's write and the state's commit is rare here; the venue
writing only after its commit is shown deterministically in ``test_venue_writes.py``.)"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from workstation.fix.dialect import SessionType

from .rig import Rig, wait_until
from .scenario import fills_at_least, run_scenario


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "term"])
def test_restart_the_simulator_mid_stream(tmp_path: Path, signum: signal.Signals) -> None:
    venue_ids: list[str] = []
    in_seq_before: list[int] = []

    async def fault(rig: Rig) -> None:
        venue_ids.append(rig.sim.venue_id)
        rig.the_counterparty.burst(20)
        link = rig.the_desk.link(SessionType.RT)
        assert link is not None
        in_seq_before.append(link.session.next_target_seq)
        await rig.restart_simulator(signum)
        venue_ids.append(rig.sim.venue_id)
        await wait_until(rig.the_desk.all_logged_on, 20.0, "the desk back on the new venue")
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault)
    assert result.ok, result.describe()
    assert venue_ids[0] == venue_ids[1]  # the same venue, restored from its state directory
    assert rig.sim.starts == 2
    link = rig.the_desk.link(SessionType.RT)
    # resumed, not reset: the inbound sequence went on from where it stood before the restart
    assert link is not None and not link.logon_reset
    assert link.session.next_target_seq > in_seq_before[0] > 1
