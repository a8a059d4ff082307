"""Corrupt: one byte of an ExecutionReport on its way to the desk is changed — in the
BeginString, in the BodyLength, in a field's value, in the CheckSum. The desk's reader discards
the garbled frame without advancing its sequence number (FIX's rule for garbled messages), so
the next message shows a gap: KalshiRT fills it by ResendRequest, and on KalshiNR, which
cannot resend, drop copy heals the fill. One byte of a message from the desk to the venue is
corrupted too: the venue discards it, asks the desk to resend, and the order arrives once."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.fix.dialect import SessionType
from workstation.trading.ticket import Intent

from .proxy import FaultKind, FaultProxy, Leg
from .rig import Rig, wait_until
from .scenario import ER, fills_at_least, run_scenario
from .simulator import MARKETS

#: Offsets into the frame: BeginString, BodyLength, MsgType's value, the middle of the body
#: (a field value), the CheckSum's digits, the final SOH.
OFFSETS = (0, 12, 17, 130, -3, -1)


async def corrupt_each(proxy: FaultProxy, offsets: tuple[int, ...]) -> None:
    for offset in offsets:
        proxy.corrupt_next(offset, match=ER)
        await wait_until(lambda: proxy.armed == 0, 10.0, "the corruption to apply")
        await asyncio.sleep(0.2)


@pytest.mark.parametrize("order_session", [SessionType.RT, SessionType.NR])
def test_corrupt_one_byte_of_a_fill(tmp_path: Path, order_session: SessionType) -> None:
    async def fault(rig: Rig) -> None:
        await corrupt_each(rig.proxies[order_session], OFFSETS)
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault, order_session=order_session)
    assert result.ok, result.describe()
    corrupted = [f for f in rig.faults if f.kind is FaultKind.CORRUPT]
    assert len(corrupted) == len(OFFSETS), corrupted
    if order_session is SessionType.RT:
        assert rig.wire[(SessionType.RT, "out", "2")] >= 1  # ResendRequest filled the gaps


def test_corrupt_one_byte_of_an_order(tmp_path: Path) -> None:
    sent: list[str] = []

    async def fault(rig: Rig) -> None:
        proxy = rig.proxies[SessionType.RT]
        proxy.corrupt_next(60, leg=Leg.TO_SERVER, match=b"\x0135=D\x01")
        for quantity in (7, 8):  # the second shows the venue the gap the first left
            order = await rig.submit(MARKETS[0], Intent.BUY_YES, Decimal("0.50"), Decimal(quantity))
            sent.append(order.cl_ord_id)
        await wait_until(lambda: proxy.armed == 0, 5.0, "the corruption to apply")
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault)
    assert result.ok, result.describe()
    venue_ids = [o["cl_ord_id"] for o in rig.last_snapshot["orders"]]
    assert [venue_ids.count(c) for c in sent] == [1, 1]  # both arrived, each once
    assert rig.wire[(SessionType.RT, "in", "2")] >= 1  # the venue asked for the resend
    for cl_ord_id in sent:
        order = rig.the_desk.orders.get(cl_ord_id)
        assert order is not None and order.order_id is not None  # and acknowledged it


def test_corrupt_a_resent_fill(tmp_path: Path) -> None:
    """KalshiRT is cut while fills go on; one of the messages the venue resends when the desk
    logs on again is garbled. The desk's ResendRequest (to EndSeqNo 0) is still open, so no
    later message would ask for the lost one again, and everything behind it would wait in the
    gap queue: a heartbeat interval later the desk asks again from the gap."""

    async def fault(rig: Rig) -> None:
        proxy = rig.proxies[SessionType.RT]
        proxy.refuse(True)
        proxy.cut()
        await asyncio.sleep(1.0)  # fills the venue keeps for the resend
        proxy.corrupt_next(40, match=b"\x0143=Y\x01", skip=2)  # a PossDup copy
        proxy.refuse(False)
        await wait_until(lambda: proxy.armed == 0, 15.0, "the corruption")
        # Without asking again, every later message waits behind the gap: no more fills.
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault, heartbeat=3)
    assert result.ok, result.describe()
    assert rig.wire[(SessionType.RT, "out", "2")] >= 1


def test_corrupt_a_replayed_fill(tmp_path: Path) -> None:
    """KalshiNR is cut, so the fills it misses can only come from drop copy; a fill of the
    replay is garbled on KalshiDC, which cannot resend either: the desk asks drop copy again."""

    async def fault(rig: Rig) -> None:
        dc = rig.proxies[SessionType.DC]
        # The first report of a replay is the newest the desk already holds (BeginExecID is
        # inclusive): garble the second, a fill the desk has not seen.
        dc.corrupt_next(40, match=ER, skip=1)
        rig.proxies[SessionType.NR].cut()
        await wait_until(lambda: dc.armed == 0, 15.0, "the corruption")
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault, order_session=SessionType.NR)
    assert result.ok, result.describe()
    assert result.healed > 0
    assert rig.wire[(SessionType.DC, "out", "U1")] >= 2  # asked again after the gap


def test_corrupt_the_end_of_a_replay(tmp_path: Path) -> None:
    """The EventResendComplete (U2) that ends a replay is garbled: the desk learns of the gap
    at KalshiDC's next heartbeat and must not wait for that U2 forever — the fills missed in
    a second cut of KalshiNR are healed too."""

    async def fault(rig: Rig) -> None:
        dc, nr = rig.proxies[SessionType.DC], rig.proxies[SessionType.NR]
        dc.corrupt_next(20, match=b"\x0135=U2\x01")
        nr.cut()
        await wait_until(lambda: dc.armed == 0, 15.0, "the corruption")
        await wait_until(
            lambda: any("KalshiDC: messages" in n.text for n in rig.notices),
            10.0,
            "the gap on KalshiDC",
        )
        await wait_until(rig.the_desk.all_logged_on, 10.0, "KalshiNR back")
        nr.cut()
        await fills_at_least(rig, 5)

    result, rig = run_scenario(tmp_path, fault, order_session=SessionType.NR, heartbeat=3)
    assert result.ok, result.describe()
    assert rig.proxies[SessionType.NR].accepted >= 3
