"""``--state-dir`` end to end over loopback: a venue with resting orders, fills and history is
stopped and started again from the same directory, and everything a trader can observe
carries on — orders, fills, balances, ExecIDs, the venue_id, drop-copy history, settlement
history and KalshiRT sequence numbers. A new directory is a new venue."""

from __future__ import annotations

import asyncio
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.fix.events import (
    GapDetected,
    LogonAccepted,
    MessageReceived,
    SequenceResetReceived,
)
from workstation.fix.messages.enums import Side
from workstation.fix.store import MemoryStore
from workstation.simulator.exchange.types import MarketResult
from workstation.simulator.exchange.types import Side as BookSide

from ..venue_harness import wait_for
from .desk import ALICE, BOB, MARKETS, Desk, exec_ids, only, settlement_gateway, trade, waiter


def test_a_restarted_venue_carries_on_where_it_stopped(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    rt_store = MemoryStore()

    async def first_run() -> dict[str, object]:
        desk = Desk(tmp_path, state_dir=state_dir)
        info = await desk.start()
        try:
            alice = await desk.login("alice", SessionType.NR)
            bob = await desk.login("bob", SessionType.NR)
            await trade(desk, alice, bob, MARKETS[0], 10, "0.40")
            alice.order(MARKETS[1], Side.BUY, 5, "0.30")  # rests
            bob.order(MARKETS[1], Side.SELL, 3, "0.70")  # rests
            await alice.fence()
            await bob.fence()
            rt = await desk.login("alice_rt", SessionType.RT, store=rt_store)
            rt.order(MARKETS[2], Side.BUY, 2, "0.10")
            await wait_for(waiter(rt, "8"))
            await rt.fence()
            await trade(desk, alice, bob, MARKETS[3], 2, "0.50")
            desk.settle(MARKETS[3], MarketResult.YES)
            venue = desk.venue
            return {
                "info": info,
                "alice": venue.exchange.snapshot(ALICE),
                "bob": venue.exchange.snapshot(BOB),
                "depth": (
                    venue.exchange.depth(MARKETS[1], BookSide.BUY),
                    venue.exchange.depth(MARKETS[1], BookSide.SELL),
                ),
                "history": [e.exec_id for e in venue.exec_history.entries(ALICE)],
                "settlements": settlement_gateway(venue).settlement_history(ALICE),
                "rt_seqs": rt.seqs(),
            }
        finally:
            await desk.stop()

    async def second_run(before: dict[str, object]) -> None:
        desk = Desk(tmp_path, state_dir=state_dir)
        info = await desk.start()
        venue = desk.venue
        try:
            first_info = before["info"]
            assert isinstance(first_info, dict)
            assert info["venue_id"] == first_info["venue_id"]
            assert info["state_dir"] == str(state_dir)
            assert venue.exchange.snapshot(ALICE) == before["alice"]
            assert venue.exchange.snapshot(BOB) == before["bob"]
            assert (
                venue.exchange.depth(MARKETS[1], BookSide.BUY),
                venue.exchange.depth(MARKETS[1], BookSide.SELL),
            ) == before["depth"]
            old_history = before["history"]
            assert isinstance(old_history, list)
            assert [e.exec_id for e in venue.exec_history.entries(ALICE)] == old_history
            assert settlement_gateway(venue).settlement_history(ALICE) == before["settlements"]

            # KalshiRT: the client's stored numbers carry on; no reset, no gap.
            expected = rt_store.next_target_seq()
            rt = await desk.login("alice_rt", SessionType.RT, store=rt_store)
            (logon,) = [e for e in rt.events if isinstance(e, LogonAccepted)]
            assert logon.message.seq_num == expected and logon.message.get(141) != "Y"
            assert not [e for e in rt.events if isinstance(e, SequenceResetReceived | GapDetected)]
            old_seqs = before["rt_seqs"]
            assert isinstance(old_seqs, list) and expected > max(old_seqs)

            # The restored book trades: Bob sells into Alice's resting bid.
            alice = await desk.login("alice", SessionType.NR)
            bob = await desk.login("bob", SessionType.NR)
            bob.order(MARKETS[1], Side.SELL, 5, "0.30")
            await bob.fence()
            await wait_for(lambda: bool(only(alice.received(), "8")))
            (fill,) = only(await alice.fence(), "8")
            assert fill.get(150) == "F" and fill.get(32) == "5" and fill.get(31) == "30"
            (new_id,) = exec_ids([fill])
            assert new_id > max(old_history)
            # RT carries on numbering its own traffic from where it stood.
            rt.order(MARKETS[2], Side.BUY, 1, "0.11")
            await wait_for(waiter(rt, "8"))
            got = [e.message.seq_num for e in rt.events if isinstance(e, MessageReceived)]
            assert got == list(range(expected, expected + len(got)))

            # Drop copy replays reports from before and after the restart.
            dc = await desk.login("alice_dc", SessionType.DC)
            dc.send("U1", [(21001, str(old_history[0]))])
            await wait_for(waiter(dc, "U2"))
            answer = await dc.fence()
            replayed = exec_ids(only(answer, "8"))
            assert replayed[: len(old_history)] == old_history and new_id in replayed
        finally:
            await desk.stop()

    before = asyncio.run(first_run())
    asyncio.run(second_run(before))


def test_a_new_state_dir_is_a_new_venue(tmp_path: Path) -> None:
    async def venue_id(state_dir: Path) -> str:
        desk = Desk(tmp_path, state_dir=state_dir)
        info = await desk.start()
        await desk.stop()
        return str(info["venue_id"])

    first = asyncio.run(venue_id(tmp_path / "one"))
    again = asyncio.run(venue_id(tmp_path / "one"))
    other = asyncio.run(venue_id(tmp_path / "two"))
    assert first == again and first != other
