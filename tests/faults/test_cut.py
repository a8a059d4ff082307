"""Cut: the connection between the desk and the venue is reset in the middle of a burst of
fills, while the counterparty and the simulated flow keep trading against the desk's resting
orders. After recovery the desk holds exactly the venue's fills — KalshiRT by ResendRequest,
KalshiNR (which resets on every logon) by a drop-copy request — with the same positions and
balance."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation.fix.dialect import Dialect, SessionType
from workstation.net.backoff import BackoffSettings, ReconnectPolicy

from .proxy import FaultKind, Leg
from .rig import Rig, wait_until
from .scenario import fills_at_least, frames_through, initiator, run_scenario


@pytest.mark.parametrize(
    ("order_session", "dialect"),
    [
        (SessionType.RT, Dialect.CURRENT),
        (SessionType.NR, Dialect.CURRENT),
        (SessionType.RT, Dialect.V1_0_13),
        (SessionType.NR, Dialect.V1_0_13),
    ],
    ids=["KalshiRT", "KalshiNR", "KalshiRT-1.0.13", "KalshiNR-1.0.13"],
)
def test_cut_mid_burst(tmp_path: Path, order_session: SessionType, dialect: Dialect) -> None:
    before: dict[str, int] = {}

    async def fault(rig: Rig) -> None:
        proxy = rig.proxies[order_session]
        before["U1"] = rig.wire[(SessionType.DC, "out", "U1")]
        link = rig.the_desk.link(order_session)
        assert link is not None
        before["in_seq"] = link.session.next_target_seq
        rig.the_counterparty.burst(30)
        await frames_through(proxy, 5)  # part of the burst's reports are through
        assert proxy.cut() == 1
        await fills_at_least(rig, 10)  # the desk is back, and trading goes on

    result, rig = run_scenario(tmp_path, fault, order_session=order_session, dialect=dialect)
    assert result.ok, result.describe()
    assert rig.proxies[order_session].accepted >= 2  # it really reconnected
    if order_session is SessionType.NR:
        # drop copy was asked for what NR may have missed (how much that was depends on how
        # far the venue had got with the burst when the line was cut; result.ok says every
        # fill is held exactly once)
        assert rig.wire[(SessionType.DC, "out", "U1")] > before["U1"]
    else:
        link = rig.the_desk.link(SessionType.RT)
        assert link is not None and not link.logon_reset  # resumed, not reset
        assert link.session.next_target_seq > before["in_seq"]


def test_every_session_cut_at_once(tmp_path: Path) -> None:
    async def fault(rig: Rig) -> None:
        rig.the_counterparty.burst(20)
        await frames_through(rig.proxies[SessionType.RT], 3)
        for proxy in rig.proxies.values():
            proxy.cut()
        await wait_until(rig.the_desk.all_logged_on, 15.0, "every session back")
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault)
    assert result.ok, result.describe()
    assert all(p.accepted >= 2 for p in rig.proxies.values())


def test_half_open_cut_waits_out_already_exists(tmp_path: Path) -> None:
    """Only the desk's end is reset: the venue keeps the dead connection until its heartbeat
    timeout, refuses the desk's next Logon with ``already exists``, and the desk waits before
    trying again (here 8 s instead of 60, just past the venue's 2.2 × HeartBtInt of 3 s, to keep
    the test short)."""

    async def fault(rig: Rig) -> None:
        rt = initiator(rig.the_desk, SessionType.RT)
        rt.policy = ReconnectPolicy(
            BackoffSettings(initial=0.2, min_logon_interval=0.2, already_exists_floor=8.0)
        )
        rig.proxies[SessionType.RT].cut(keep_server_side=True)
        await wait_until(lambda: "already exists" in rt.last_error, 10.0, "already exists")
        assert rt.next_attempt_at is not None  # a countdown the status panel shows
        await wait_until(rig.the_desk.all_logged_on, 20.0, "the desk back on KalshiRT")
        await fills_at_least(rig, 3)

    result, rig = run_scenario(tmp_path, fault, heartbeat=3)
    assert result.ok, result.describe()
    kinds = [f.kind for f in rig.faults]
    assert FaultKind.HALF_OPEN in kinds
    assert rig.proxies[SessionType.RT].frames[Leg.TO_CLIENT] > 0
