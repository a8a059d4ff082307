"""Drop copy on KalshiDC end to end over loopback (SPEC §14.1): two accounts trade on
KalshiNR, then a KalshiDC session asks for the account's reports by ExecID range."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.messages.drop_copy import EventResendRequest
from workstation.fix.messages.enums import Side
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.orders import OrderCancelRequest
from workstation.simulator.gateway.drop_copy import LOOKBACK_SECONDS

from ..venue_harness import wait_for
from .desk import MARKETS, Desk, Peer, exec_ids, only, trade, waiter

HEADER = frozenset({8, 9, 10, 34, 35, 43, 49, 52, 56, 97, 122})


def run(tmp_path: Path, scenario: Callable[[Desk], Awaitable[None]]) -> None:
    async def main() -> None:
        desk = Desk(tmp_path)
        await desk.start()
        try:
            await scenario(desk)
        finally:
            await desk.stop()

    asyncio.run(main())


def body(msg: FixMessage) -> list[tuple[int, str]]:
    return [(t, v) for t, v in msg.fields if t not in HEADER]


def replayable(messages: list[FixMessage]) -> list[FixMessage]:
    """The reports drop copy keeps: ExecutionReports that are neither pending nor rejects."""
    return [m for m in messages if m.msg_type == "8" and m.get(17) != "-1;-1" and m.get(150) != "8"]


async def trading_day(desk: Desk) -> tuple[Peer, Peer, list[FixMessage]]:
    """Alice and Bob trade twice and Alice leaves an order resting then cancels it; returns
    the sessions and every replayable report Alice's session received, in arrival order."""
    alice = await desk.login("alice", SessionType.NR)
    bob = await desk.login("bob", SessionType.NR)
    await trade(desk, alice, bob, MARKETS[0], 10, "0.40")
    await trade(desk, alice, bob, MARKETS[1], 3, "0.55")
    resting = alice.order(MARKETS[2], Side.BUY, 7, "0.20")
    await alice.fence()
    cancel = OrderCancelRequest(
        cl_ord_id="alice-cxl-1", orig_cl_ord_id=resting, symbol=MARKETS[2], side=Side.BUY
    )
    alice.send(cancel.MSG_TYPE, cancel.to_body())
    await alice.fence()
    reports = replayable(alice.received())
    assert len(reports) >= 5
    return alice, bob, reports


async def request(dc: Peer, begin: str, end: str | None = None) -> tuple[int, list[FixMessage]]:
    """Send a U1 (raw ExecID text) and collect the answer up to its U2 or U3."""
    fields = [(21001, begin)] + ([] if end is None else [(21002, end)])
    seq = dc.send("U1", fields)
    await wait_for(lambda: any(m.msg_type in ("U2", "U3", "3") for m in dc.received()[dc.cursor :]))
    answer = await dc.fence()
    return seq, answer


def test_u1_replays_the_account_reports_in_exec_id_order_then_u2_with_the_count(
    tmp_path: Path,
) -> None:
    async def scenario(desk: Desk) -> None:
        _, bob, live = await trading_day(desk)
        dc = await desk.login("alice_dc", SessionType.DC)
        seq, answer = await request(dc, str(exec_ids(live)[0]))
        replayed, (done,) = answer[:-1], answer[-1:]
        assert [m.msg_type for m in replayed] == ["8"] * len(live)
        assert exec_ids(replayed) == sorted(exec_ids(live))
        # Byte for byte the reports Alice was sent live (same price format, same options).
        by_id = {m.get(17): body(m) for m in live}
        assert [body(m) for m in replayed] == [by_id[m.get(17)] for m in replayed]
        assert done.msg_type == "U2"
        assert done.get(45) == str(seq) and done.get(21003) == str(len(live))
        # New sequence numbers on the DC session, one after another, not the live ones.
        numbers = [m.seq_num or 0 for m in answer]
        assert numbers == list(range(numbers[0], numbers[0] + len(answer)))
        # Only Alice's account: Bob's reports of the same trades are not in it.
        bob_ids = set(exec_ids(replayable(bob.received())))
        assert bob_ids and not bob_ids & set(exec_ids(replayed))

    run(tmp_path, scenario)


def test_a_window_in_the_middle_replays_only_that_range(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        _, _, live = await trading_day(desk)
        ids = sorted(exec_ids(live))
        dc = await desk.login("alice_dc", SessionType.DC)
        seq, answer = await request(dc, str(ids[1]), str(ids[3]))
        assert exec_ids(only(answer, "8")) == ids[1:4]
        assert answer[-1].msg_type == "U2" and answer[-1].get(21003) == "3"
        assert answer[-1].get(45) == str(seq)
        # An end before the beginning is an empty range, not an error.
        desk.venue.clock.advance(1.5)
        _, answer = await request(dc, str(ids[3]), str(ids[1]))
        assert [m.msg_type for m in answer] == ["U2"] and answer[0].get(21003) == "0"
        # Dollars on a session that asked for them (21005=Y).
        await dc.stop()
        dollars = await desk.login("alice_dc", SessionType.DC, LogonOptions(use_dollars=True))
        desk.venue.clock.advance(1.5)  # the rate limit is per API key, across connections
        _, answer = await request(dollars, str(ids[0]), str(ids[0]))
        (first,) = only(answer, "8")
        assert first.get(44) in ("0.4000", "0.5500", "0.2000")

    run(tmp_path, scenario)


def test_second_request_within_a_second_is_rate_limited(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        _, _, live = await trading_day(desk)
        begin = str(exec_ids(live)[0])
        dc = await desk.login("alice_dc", SessionType.DC)
        _, answer = await request(dc, begin)
        assert answer[-1].msg_type == "U2"
        seq, answer = await request(dc, begin)
        assert [m.msg_type for m in answer] == ["U3"]
        assert answer[0].get(45) == str(seq) and answer[0].get(21004) == "1"
        desk.venue.clock.advance(1.5)
        _, answer = await request(dc, begin)
        assert answer[-1].msg_type == "U2" and answer[-1].get(21003) == str(len(live))

    run(tmp_path, scenario)


def test_end_exec_id_beyond_the_latest_is_rejected_with_4(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        _, _, live = await trading_day(desk)
        first = exec_ids(live)[0]
        dc = await desk.login("alice_dc", SessionType.DC)
        beyond = ExecId(desk.venue.exchange.state.exec_ids.clock + 1_000_000, 1)
        seq, answer = await request(dc, str(first), str(beyond))
        assert [m.msg_type for m in answer] == ["U3"]
        assert answer[0].get(45) == str(seq) and answer[0].get(21004) == "4"

    run(tmp_path, scenario)


def test_reports_older_than_three_hours_are_gone(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        alice, bob, live = await trading_day(desk)
        await alice.stop()
        await bob.stop()
        desk.venue.clock.advance(LOOKBACK_SECONDS + 1)
        # A report sent now is inside the window.
        alice = await desk.login("alice", SessionType.NR)
        alice.order(MARKETS[3], Side.BUY, 1, "0.10")
        (recent,) = replayable(await alice.fence())
        dc = await desk.login("alice_dc", SessionType.DC)
        seq, answer = await request(dc, str(exec_ids(live)[0]))
        assert [m.msg_type for m in answer] == ["U3"]
        assert answer[0].get(45) == str(seq) and answer[0].get(21004) == "3"
        desk.venue.clock.advance(1.5)
        # Beginning after the last aged-out report: the range is whole again.
        _, answer = await request(dc, str(exec_ids([recent])[0]))
        assert exec_ids(only(answer, "8")) == exec_ids([recent])
        assert answer[-1].get(21003) == "1"

    run(tmp_path, scenario)


def test_malformed_exec_ids_get_a_session_reject_on_the_bad_tag(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        dc = await desk.login("alice_dc", SessionType.DC)
        cases = [
            ([(21001, "abc")], "21001", "6"),
            ([(21001, "1;1"), (21002, "7")], "21002", "6"),
            ([(21001, "-1;-1")], "21001", "5"),
            ([(21002, "3;1")], "21001", "1"),
            ([(21001, "1;1;0"), (21002, "9;1;2")], "21002", "5"),
        ]
        for fields, tag, reason in cases:
            seq = dc.send("U1", fields)
            await wait_for(waiter(dc, "3"))
            (reject,) = await dc.fence()
            assert reject.msg_type == "3", fields
            assert (reject.get(45), reject.get(371), reject.get(373)) == (str(seq), tag, reason)
            assert reject.get(372) == "U1"
        # The session carries on and a good request is served (no rate limit was spent).
        good = EventResendRequest(begin_exec_id=ExecId(1, 1))
        dc.send("U1", good.to_body())
        await wait_for(waiter(dc, "U2"))
        (done,) = await dc.fence()
        assert done.get(21003) == "0"

    run(tmp_path, scenario)
