"""Market settlement reports end to end over loopback (SPEC §12): two accounts trade, the market
settles, and each account's KalshiPT sessions (and KalshiRT sessions that asked with
20127=Y) get MarketSettlementReports whose positions and payouts match the trades."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path

from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import CollateralAmountType, MarketResult
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.messages.settlement import MarketSettlementReport
from workstation.fix.store import MemoryStore
from workstation.simulator.exchange.types import MarketResult as ExchangeResult

from ..venue_harness import wait_for
from .desk import ALICE, BOB, MARKETS, D, Desk, Peer, only, settlement_gateway, trade, waiter

OPT_IN = LogonOptions(receive_settlement_reports=True)
OPT_OUT = LogonOptions(receive_settlement_reports=False)


def run(
    tmp_path: Path,
    scenario: Callable[[Desk], Awaitable[None]],
    *,
    dialect: Dialect = Dialect.CURRENT,
    sub_accounts: dict[str, tuple[int, ...]] | None = None,
) -> None:
    async def main() -> None:
        desk = Desk(tmp_path, dialect=dialect, sub_accounts=sub_accounts)
        await desk.start()
        try:
            await scenario(desk)
        finally:
            await desk.stop()

    asyncio.run(main())


def ums(msg: FixMessage) -> MarketSettlementReport:
    assert msg.msg_type == "UMS", msg
    return MarketSettlementReport.from_message(msg, PriceFormat.CENTS)


async def received_ums(peer: Peer, count: int = 1) -> list[FixMessage]:
    await wait_for(waiter(peer, "UMS", count))
    return only(await peer.fence(), "UMS")


async def book_two_trades(desk: Desk, ticker: str) -> None:
    """Alice buys 10 YES at 40¢ and 5 at 55¢ from Bob: Alice holds 15 YES, Bob 15 NO."""
    alice = await desk.login("alice", SessionType.NR)
    bob = await desk.login("bob", SessionType.NR)
    await trade(desk, alice, bob, ticker, 10, "0.40")
    await trade(desk, alice, bob, ticker, 5, "0.55")
    await alice.stop()
    await bob.stop()


def test_settle_yes_reaches_each_account_pt_and_the_rt_session_that_asked(
    tmp_path: Path,
) -> None:
    async def scenario(desk: Desk) -> None:
        ticker = MARKETS[0]
        await book_two_trades(desk, ticker)
        before = {a: desk.venue.exchange.snapshot(a).sub_accounts[0].balance for a in (ALICE, BOB)}
        alice_pt = await desk.login("alice_pt", SessionType.PT)
        bob_pt = await desk.login("bob_pt", SessionType.PT)
        alice_rt = await desk.login("alice_rt", SessionType.RT, OPT_IN)
        bob_rt = await desk.login("bob_rt", SessionType.RT)
        desk.settle(ticker, ExchangeResult.YES)

        (alice_msg,) = await received_ums(alice_pt)
        (bob_msg,) = await received_ums(bob_pt)
        alice_report, bob_report = ums(alice_msg), ums(bob_msg)
        for msg, report in ((alice_msg, alice_report), (bob_msg, bob_report)):
            assert report.symbol == ticker and report.result is MarketResult.YES
            assert msg.get(20107) == "yes" and msg.get(730) == "100.00"
            assert report.settlement_price == D(1)
            assert report.total_reports == 1 and report.last_fragment is True
            assert len(report.clearing_business_date) == 8
            (party,) = report.parties
            assert party.party_id == "0" and party.role == 24
            (change,) = party.collateral_changes
            assert change.kind is CollateralAmountType.PAYOUT
            assert [f.amount for f in party.fees] == [Decimal("0.00")]
        alice_party, bob_party = alice_report.parties[0], bob_report.parties[0]
        assert (alice_party.long_qty, alice_party.short_qty) == (D(15), D(0))
        assert (bob_party.long_qty, bob_party.short_qty) == (D(0), D(15))
        assert alice_party.payout == D("15.00") and bob_party.payout == D("0.00")
        assert alice_msg.get(1704) == "15.00" and alice_msg.get(1705) == "PAYOUT"
        assert alice_report.report_id != bob_report.report_id

        # The RT session that asked (20127=Y) gets the same page; the one that did not, nothing.
        (rt_msg,) = await received_ums(alice_rt)
        assert ums(rt_msg) == alice_report
        assert only(await bob_rt.fence(), "UMS") == []

        # The money moved by exactly the payouts, and each page is kept for the account.
        after = {a: desk.venue.exchange.snapshot(a).sub_accounts[0].balance for a in (ALICE, BOB)}
        assert after[ALICE] - before[ALICE] == D("15.00") and after[BOB] == before[BOB]
        (kept,) = settlement_gateway(desk.venue).settlement_history(ALICE)
        assert kept.report == alice_report and kept.ticker == ticker
        assert (kept.long_qty, kept.payout, kept.fee) == (D(15), D("15.00"), D(0))

    run(tmp_path, scenario)


def test_settle_no_pays_the_no_holder(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        ticker = MARKETS[1]
        await book_two_trades(desk, ticker)
        alice_pt = await desk.login("alice_pt", SessionType.PT)
        bob_pt = await desk.login("bob_pt", SessionType.PT)
        desk.settle(ticker, ExchangeResult.NO)
        (alice_msg,) = await received_ums(alice_pt)
        (bob_msg,) = await received_ums(bob_pt)
        assert alice_msg.get(20107) == bob_msg.get(20107) == "no"
        assert alice_msg.get(730) == "0.00"
        assert (alice_msg.get(704), alice_msg.get(1704)) == ("15", "0.00")
        assert (bob_msg.get(705), bob_msg.get(1704)) == ("15", "15.00")

    run(tmp_path, scenario)


def test_pt_session_that_opted_out_gets_nothing_on_current(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        ticker = MARKETS[2]
        await book_two_trades(desk, ticker)
        alice_pt = await desk.login("alice_pt", SessionType.PT, OPT_OUT)
        bob_pt = await desk.login("bob_pt", SessionType.PT)
        desk.settle(ticker, ExchangeResult.YES)
        await received_ums(bob_pt)
        assert only(await alice_pt.fence(), "UMS") == []
        # ...but the page is kept for the account all the same.
        assert len(settlement_gateway(desk.venue).settlement_history(ALICE)) == 1

    run(tmp_path, scenario)


def test_sub_accounts_get_one_page_each(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        ticker = MARKETS[3]
        now = desk.venue.clock()
        desk.venue.exchange.fund(ALICE, D("500.00"), sub_account=3)
        alice = await desk.login("alice", SessionType.NR)
        bob = await desk.login("bob", SessionType.NR)
        await trade(desk, alice, bob, ticker, 10, "0.40")
        await trade(desk, alice, bob, ticker, 4, "0.45", buy={"alloc_account": 3})
        assert desk.venue.exchange.ledger.position(ALICE, 3, ticker) == 4
        alice_pt = await desk.login("alice_pt", SessionType.PT)
        bob_pt = await desk.login("bob_pt", SessionType.PT)
        desk.settle(ticker, ExchangeResult.YES)

        first, second = (ums(m) for m in await received_ums(alice_pt, 2))
        assert (first.total_reports, first.last_fragment) == (2, False)
        assert (second.total_reports, second.last_fragment) == (2, True)
        assert first.report_id != second.report_id and first.symbol == second.symbol
        assert [(p.party_id, p.long_qty, p.payout) for p in first.parties + second.parties] == [
            ("0", D(10), D("10.00")),
            ("3", D(4), D("4.00")),
        ]
        (bob_page,) = (ums(m) for m in await received_ums(bob_pt))
        assert (bob_page.total_reports, bob_page.last_fragment) == (1, True)
        assert bob_page.parties[0].short_qty == 14
        kept = settlement_gateway(desk.venue).settlement_history(ALICE)
        assert [(r.sub_account, r.payout) for r in kept] == [(0, D("10.00")), (3, D("4.00"))]
        assert all(r.sent_at >= now for r in kept)

    run(tmp_path, scenario, sub_accounts={ALICE: (3,)})


def test_1013_dialect_sends_to_pt_and_to_rt_that_asked(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        ticker = MARKETS[4]
        await book_two_trades(desk, ticker)
        alice_pt = await desk.login("alice_pt", SessionType.PT)
        alice_rt = await desk.login("alice_rt", SessionType.RT, OPT_IN)
        bob_rt = await desk.login("bob_rt", SessionType.RT)
        desk.settle(ticker, ExchangeResult.YES)
        (pt_msg,) = await received_ums(alice_pt)
        (rt_msg,) = await received_ums(alice_rt)
        assert ums(pt_msg) == ums(rt_msg)
        assert only(await bob_rt.fence(), "UMS") == []

    run(tmp_path, scenario, dialect=Dialect.V1_0_13)


def test_a_pt_session_logged_off_at_settlement_gets_the_page_by_resend(tmp_path: Path) -> None:
    async def scenario(desk: Desk) -> None:
        ticker = MARKETS[5]
        await book_two_trades(desk, ticker)
        pt_store, rt_store = MemoryStore(), MemoryStore()
        alice_pt = await desk.login("alice_pt", SessionType.PT, store=pt_store)
        bob_rt = await desk.login("bob_rt", SessionType.RT, store=rt_store)  # did not ask
        await alice_pt.fence()
        await alice_pt.stop()
        await bob_rt.fence()
        await bob_rt.stop()
        desk.settle(ticker, ExchangeResult.YES)

        again = await desk.login("alice_pt", SessionType.PT, store=pt_store)
        (resent,) = await received_ums(again)
        assert resent.get(43) == "Y"  # PossDupFlag: a retransmission
        (kept,) = settlement_gateway(desk.venue).settlement_history(ALICE)
        assert ums(resent) == kept.report
        bob_again = await desk.login("bob_rt", SessionType.RT, store=rt_store)
        assert only(await bob_again.fence(), "UMS") == []

    run(tmp_path, scenario)
