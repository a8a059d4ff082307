"""Split: every message in both directions of the order session and drop copy is written one
byte at a time, so the readers on both ends meet every byte boundary of every frame — headers,
BodyLength, fields, the CheckSum — while fills stream in. Nothing is lost, garbled or doubled,
and no connection is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation.fix.dialect import SessionType

from .proxy import FaultKind, Leg
from .rig import Rig
from .scenario import fills_at_least, run_scenario


@pytest.mark.parametrize("order_session", [SessionType.RT, SessionType.NR])
def test_split_at_every_byte_boundary(tmp_path: Path, order_session: SessionType) -> None:
    frames_before: dict[SessionType, int] = {}

    async def fault(rig: Rig) -> None:
        for st in (order_session, SessionType.DC):
            rig.proxies[st].split(1, leg=None)
            frames_before[st] = rig.proxies[st].frames[Leg.TO_CLIENT]
        assert rig.the_desk.heal_from_drop_copy()  # a replay through the split DC as well
        await fills_at_least(rig, 15)

    result, rig = run_scenario(tmp_path, fault, order_session=order_session)
    assert result.ok, result.describe()
    for st in (order_session, SessionType.DC):
        proxy = rig.proxies[st]
        assert proxy.accepted == 1  # never dropped
        assert proxy.frames[Leg.TO_CLIENT] > frames_before[st]  # frames really went through
    assert [f.kind for f in rig.faults].count(FaultKind.SPLIT) == 2
    assert not [n for n in rig.notices if "garbled" in n.text.lower()]
