"""New orders end to end over loopback: acknowledgements, pending reports, trades between two
accounts, every TimeInForce, post-only, self-trade prevention, dollars mode and the Logon
options that shape ExecutionReports (21008, 21012, 21026, 21027, 21007)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from workstation.fix.logon_options import LogonOptions
from workstation.fix.messages.enums import (
    CollateralAmountType,
    OrdStatus,
    SelfTradePrevention,
)
from workstation.fix.messages.parties import Party
from workstation.fix.values import format_utc_timestamp
from workstation.simulator.exchange.types import Side as BookSide

from .floor import ALICE, BOB, D, Floor, Side, TimeInForce, kinds, plain


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    floor = Floor(tmp_path_factory.mktemp("new-orders"))
    yield floor
    floor.close()


def test_resting_order_is_pending_then_new_unless_pending_reports_are_skipped(
    floor: Floor,
) -> None:
    async def scenario() -> None:
        skip = LogonOptions(skip_pending_exec_reports=True)
        async with floor.sessions("alice", "bob", bob=skip) as (alice, bob):
            market = floor.market()
            cl = alice.order(market, Side.BUY, 10, "0.40")
            pending, new = await alice.fence()
            assert kinds([pending, new]) == ["8:A/A", "8:0/0"]
            p, n = alice.er(pending), alice.er(new)
            assert p.is_pending and str(p.exec_id) == "-1;-1"
            assert p.order_id == n.order_id and p.order_id
            assert (p.cl_ord_id, n.cl_ord_id) == (cl, cl)
            assert plain(n.order_qty, n.cum_qty, n.leaves_qty, n.avg_px) == (10, 0, 10, 0)
            assert new.get(44) == "40" and n.price == D("0.40")
            assert n.time_in_force is TimeInForce.GTC and n.expire_time is None
            assert n.exec_id is not None and not n.is_pending
            assert n.transact_time is not None

            bob_cl = bob.order(market, Side.SELL, 5, "0.45")
            assert kinds(await bob.fence()) == ["8:0/0"]
            bob.cancel(bob_cl, market, Side.SELL)
            assert kinds(await bob.fence()) == ["8:4/4"]
            alice.cancel(cl, market, Side.BUY)
            assert kinds(await alice.fence()) == ["8:6/6", "8:4/4"]

    floor.run(scenario())


def test_trade_between_two_accounts_reports_both_sides(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            alice_cl = alice.order(market, Side.BUY, 10, "0.40")
            assert kinds(await alice.fence()) == ["8:A/A", "8:0/0"]
            bob_cl = bob.order(market, Side.SELL, 4, "0.38")
            pending, trade = await bob.fence()
            # The New is folded into the first Trade when the order trades at once.
            assert kinds([pending, trade]) == ["8:A/A", "8:F/2"]
            (passive,) = await alice.fence()
            assert kinds([passive]) == ["8:F/1"]
            taker, maker = bob.er(trade), alice.er(passive)
            assert taker.cl_ord_id == bob_cl and maker.cl_ord_id == alice_cl
            assert taker.last_px == maker.last_px == D("0.40")  # the resting order's price
            assert trade.get(31) == "40" and trade.get(32) == "4"
            assert plain(taker.last_qty, taker.cum_qty, taker.leaves_qty) == (4, 4, 0)
            assert plain(maker.last_qty, maker.cum_qty, maker.leaves_qty, maker.order_qty) == (
                4,
                4,
                6,
                10,
            )
            assert taker.aggressor is True and maker.aggressor is False
            assert taker.trd_match_id == maker.trd_match_id and taker.trd_match_id
            assert plain(taker.long_qty, taker.short_qty) == (0, 4)
            assert plain(maker.long_qty, maker.short_qty) == (4, 0)
            assert taker.avg_px == D("0.40")
            assert taker.clearing_business_date and len(taker.clearing_business_date) == 8
            assert taker.exec_id is not None and maker.exec_id is not None
            assert taker.exec_id < maker.exec_id
            for report, cost in ((taker, D("0.60") * 4), (maker, D("0.40") * 4)):
                (fee,) = report.fees
                (change,) = report.collateral_changes
                assert fee.currency == "USD" and fee.fee_type == "4" and fee.basis == "0"
                assert change.kind is CollateralAmountType.BALANCE
                assert change.amount == -(cost + fee.amount)
            # Drop copy keeps each replayable report once per account.
            alice_ids = [e.exec_id for e in floor.venue.exec_history.entries(ALICE)]
            bob_ids = [e.exec_id for e in floor.venue.exec_history.entries(BOB)]
            assert maker.exec_id in alice_ids and taker.exec_id in bob_ids
            assert taker.exec_id not in alice_ids

    floor.run(scenario())


def test_always_emit_new_before_trade(floor: Floor) -> None:
    async def scenario() -> None:
        emit = LogonOptions(always_emit_new_before_trade=True, skip_pending_exec_reports=True)
        async with floor.sessions("alice", "bob", bob=emit) as (alice, bob):
            market = floor.market()
            alice.order(market, Side.BUY, 3, "0.52")
            await alice.fence()
            bob.order(market, Side.SELL, 3, "0.52")
            new, trade = await bob.fence()
            assert kinds([new, trade]) == ["8:0/0", "8:F/2"]
            n = bob.er(new)
            assert plain(n.cum_qty, n.leaves_qty, n.order_qty) == (0, 3, 3)
            trade_id = bob.er(trade).exec_id
            assert n.exec_id is not None and trade_id is not None
            assert n.exec_id < trade_id

    floor.run(scenario())


def test_ioc_rest_is_cancelled_and_21007_decides_the_separate_report(floor: Floor) -> None:
    async def scenario() -> None:
        report = LogonOptions(enable_ioc_cancel_report=True)
        async with floor.sessions("alice", "bob", "carol", carol=report) as (alice, bob, carol):
            market = floor.market()
            ioc = {"time_in_force": TimeInForce.IOC}
            # Nothing to trade with: cancelled at once.
            bob.order(market, Side.BUY, 5, "0.50", **ioc)
            pending, cancel = await bob.fence()
            assert kinds([pending, cancel]) == ["8:A/A", "8:4/4"]
            c = bob.er(cancel)
            assert c.text == "IMMEDIATE_OR_CANCELLED"
            assert plain(c.order_qty, c.cum_qty, c.leaves_qty) == (0, 0, 0)

            # Partly filled, default: the last Trade carries the end state.
            alice.order(market, Side.SELL, 3, "0.50")
            await alice.fence()
            bob.order(market, Side.BUY, 5, "0.50", **ioc)
            msgs = await bob.fence()
            assert kinds(msgs) == ["8:A/A", "8:F/4"]
            t = bob.er(msgs[1])
            assert plain(t.last_qty, t.cum_qty, t.leaves_qty, t.order_qty) == (3, 3, 0, 3)
            assert t.text == "IMMEDIATE_OR_CANCELLED"

            # Partly filled with 21007: a Trade, then the cancel of the rest.
            alice.order(market, Side.SELL, 2, "0.50")
            await alice.fence()
            carol.order(market, Side.BUY, 5, "0.50", **ioc)
            msgs = await carol.fence()
            assert kinds(msgs) == ["8:A/A", "8:F/1", "8:4/4"]
            t, c = carol.er(msgs[1]), carol.er(msgs[2])
            assert plain(t.cum_qty, t.leaves_qty, t.order_qty) == (2, 3, 5)
            assert plain(c.cum_qty, c.leaves_qty, c.order_qty, c.text) == (
                2,
                0,
                2,
                "IMMEDIATE_OR_CANCELLED",
            )

            # Filled completely: no cancel at all.
            alice.order(market, Side.SELL, 2, "0.50")
            await alice.fence()
            carol.order(market, Side.BUY, 2, "0.50", **ioc)
            assert kinds(await carol.fence()) == ["8:A/A", "8:F/2"]

    floor.run(scenario())


def test_fok_fills_whole_or_not_at_all_and_leaves_the_book_alone(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            alice.order(market, Side.SELL, 4, "0.30")
            await alice.fence()
            fok = {"time_in_force": TimeInForce.FOK}
            bob.order(market, Side.BUY, 5, "0.30", **fok)
            pending, cancel = await bob.fence()
            assert kinds([pending, cancel]) == ["8:A/A", "8:4/4"]
            assert bob.er(cancel).text == "FOK_INSUFFICIENT_VOLUME"
            depth = floor.venue.exchange.depth(market, BookSide.SELL)
            assert [(lv.price, int(lv.quantity)) for lv in depth] == [(D("0.30"), 4)]
            assert await alice.fence() == []
            bob.order(market, Side.BUY, 4, "0.30", **fok)
            assert kinds(await bob.fence()) == ["8:A/A", "8:F/2"]
            assert kinds(await alice.fence()) == ["8:F/2"]

    floor.run(scenario())


def test_day_order_expires_at_end_of_eastern_day(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice") as (alice,):
            market = floor.market()
            alice.order(market, Side.BUY, 1, "0.20", time_in_force=TimeInForce.DAY)
            _, new = await alice.fence()
            n = alice.er(new)
            assert n.time_in_force is TimeInForce.DAY and n.expire_time is not None
            eastern = datetime.fromtimestamp(n.expire_time, UTC).astimezone(
                ZoneInfo("America/New_York")
            )
            assert (eastern.hour, eastern.minute, eastern.second) == (23, 59, 59)
            assert eastern.microsecond == 999_000
            today = datetime.fromtimestamp(floor.venue.clock(), UTC).astimezone(
                ZoneInfo("America/New_York")
            )
            assert eastern.date() == today.date()

    floor.run(scenario())


def test_gtd_expiry_reported_as_canceled_or_expired_per_21012(floor: Floor) -> None:
    async def scenario() -> None:
        expired = LogonOptions(use_expired_ord_status=True)
        async with floor.sessions("alice", "bob", bob=expired) as (alice, bob):
            market = floor.market()
            end = floor.venue.clock() + 0.4
            gtd = TimeInForce.GTD
            alice.order(market, Side.BUY, 2, "0.21", time_in_force=gtd, expire_time=end)
            bob.order(market, Side.SELL, 2, "0.80", time_in_force=gtd, expire_time=end)
            _, alice_new = await alice.fence()
            await bob.fence()
            assert alice_new.get(126) == format_utc_timestamp(end)
            assert alice.er(alice_new).time_in_force is TimeInForce.GTD
            (alice_end,) = await alice.wait(1)
            (bob_end,) = await bob.wait(1)
            assert kinds([alice_end, bob_end]) == ["8:4/4", "8:C/C"]
            assert alice.er(alice_end).text is None
            assert floor.venue.exchange.open_orders(ALICE, market) == []

            # A GTD whose time has already passed acts as IOC.
            past = floor.venue.clock() - 60
            alice.order(market, Side.BUY, 2, "0.21", time_in_force=gtd, expire_time=past)
            _, cancel = await alice.fence()
            assert alice.er(cancel).text == "IMMEDIATE_OR_CANCELLED"

    floor.run(scenario())


def test_post_only_that_would_cross_is_cancelled_on_current(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            alice.order(market, Side.SELL, 5, "0.60")
            await alice.fence()
            bob.order(market, Side.BUY, 5, "0.60", post_only=True)
            pending, cancel = await bob.fence()
            assert kinds([pending, cancel]) == ["8:A/A", "8:4/4"]
            assert bob.er(cancel).text == "POST_ONLY_CROSS"
            assert await alice.fence() == []
            bob.order(market, Side.BUY, 5, "0.59", post_only=True)
            assert kinds(await bob.fence()) == ["8:A/A", "8:0/0"]
            depth = floor.venue.exchange.depth(market, BookSide.SELL)
            assert [(lv.price, int(lv.quantity)) for lv in depth] == [(D("0.60"), 5)]

    floor.run(scenario())


def test_self_trade_prevention_taker_and_maker(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice") as (alice,):
            market = floor.market()
            resting = alice.order(market, Side.SELL, 5, "0.55")
            await alice.fence()
            # 1 (default): the incoming order is cancelled, the resting one stays.
            taker = alice.order(market, Side.BUY, 5, "0.55")
            pending, cancel = await alice.fence()
            assert kinds([pending, cancel]) == ["8:A/A", "8:4/4"]
            c = alice.er(cancel)
            assert c.cl_ord_id == taker and c.text == "TAKER_CANCEL_FOR_SELF_TRADE_PREVENTION"
            assert [o.cl_ord_id for o in floor.venue.exchange.open_orders(ALICE, market)] == [
                resting
            ]
            # 2: the resting own order is cancelled and the incoming one rests.
            maker_stp = alice.order(
                market, Side.BUY, 5, "0.55", self_trade_prevention=SelfTradePrevention.MAKER
            )
            msgs = await alice.fence()
            assert kinds(msgs) == ["8:A/A", "8:0/0", "8:4/4"]
            assert alice.er(msgs[1]).cl_ord_id == maker_stp
            c = alice.er(msgs[2])
            assert c.cl_ord_id == resting and c.text == "MAKER_CANCEL_FOR_SELF_TRADE_PREVENTION"
            assert [o.cl_ord_id for o in floor.venue.exchange.open_orders(ALICE, market)] == [
                maker_stp
            ]

    floor.run(scenario())


def test_dollars_mode_prices_and_subpenny_fills(floor: Floor) -> None:
    async def scenario() -> None:
        dollars = LogonOptions(use_dollars=True)
        async with floor.sessions("alice", "bob", alice=dollars) as (alice, bob):
            market = floor.market()
            alice.order(market, Side.BUY, 2, "0.42")
            pending, new = await alice.fence()
            assert new.get(44) == "0.4200" and pending.get(44) == "0.4200"
            bob.order(market, Side.SELL, 2, "0.41")
            _, bob_trade = await bob.fence()
            (alice_trade,) = await alice.fence()
            assert alice_trade.get(31) == "0.4200" and alice_trade.get(6) == "0.4200"
            assert bob_trade.get(31) == "42" and bob_trade.get(6) == "42"

            sub = floor.subpenny_market()
            alice.order(sub, Side.BUY, 1, "0.5251")
            _, new = await alice.fence()
            assert new.get(44) == "0.5251"
            bob.order(sub, Side.SELL, 1, "0.52")
            _, bob_trade = await bob.fence()
            (alice_trade,) = await alice.fence()
            assert alice_trade.get(31) == "0.5251"
            assert alice.er(alice_trade).last_px == D("0.5251")
            # A cents session cannot be told a sub-penny price: it is rounded to the cent;
            # the money is exact.
            assert bob_trade.get(31) == "53"
            (change,) = bob.er(bob_trade).collateral_changes
            (fee,) = bob.er(bob_trade).fees
            assert change.amount == -(D("0.4749") + fee.amount)

    floor.run(scenario())


def test_alloc_account_and_parties_are_echoed(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            party = Party(party_id="550e8400-e29b-41d4-a716-446655440000", role=24)
            alice.order(market, Side.BUY, 3, "0.33", alloc_account=0, parties=(party,))
            for msg in await alice.fence():
                er = alice.er(msg)
                assert er.alloc_account == 0 and er.parties == (party,)
            bob.order(market, Side.SELL, 1, "0.33")
            await bob.fence()
            (fill,) = await alice.fence()
            assert alice.er(fill).alloc_account == 0 and alice.er(fill).parties == (party,)
            # No such sub-account: refused, and the refusal still names it.
            alice.order(market, Side.BUY, 1, "0.33", alloc_account=5)
            (reject,) = await alice.fence()
            r = alice.er(reject)
            assert kinds([reject]) == ["8:8/8"]
            assert (r.alloc_account, r.text, reject.get(103)) == (
                5,
                "CUSTOMER_ACCOUNT_NOT_FOUND",
                "15",
            )
            # An order without 79 on the primary account carries none.
            alice.order(market, Side.BUY, 1, "0.31")
            for msg in await alice.fence():
                assert 79 not in msg and 453 not in msg

    floor.run(scenario())


def test_preserve_original_order_qty(floor: Floor) -> None:
    async def scenario() -> None:
        keep = LogonOptions(preserve_original_order_qty=True)
        async with floor.sessions("alice", "bob", "carol", alice=keep) as (alice, bob, carol):
            market = floor.market()
            cancels = []
            for trader in (alice, bob):
                cl = trader.order(market, Side.BUY, 10, "0.44")
                await trader.fence()
                carol.order(market, Side.SELL, 4, "0.44")
                await carol.fence()
                (fill,) = await trader.fence()
                assert trader.er(fill).order_qty == 10  # still open: 4 + 6 either way
                trader.cancel(cl, market, Side.BUY)
                _, cancel = await trader.fence()
                cancels.append(trader.er(cancel))
            kept, default = cancels
            assert plain(kept.order_qty, kept.cum_qty, kept.leaves_qty) == (10, 4, 0)
            # Without 21008, OrderQty = CumQty + LeavesQty.
            assert plain(default.order_qty, default.cum_qty, default.leaves_qty) == (4, 4, 0)
            assert kept.ord_status is default.ord_status is OrdStatus.CANCELED

    floor.run(scenario())


def test_split_collateral_return_only_when_reducing(floor: Floor) -> None:
    async def scenario() -> None:
        split = LogonOptions(split_collateral_return=True)
        async with floor.sessions("alice", "bob", bob=split) as (alice, bob):
            market = floor.market()
            alice.order(market, Side.SELL, 5, "0.40")
            await alice.fence()
            bob.order(market, Side.BUY, 5, "0.40")
            _, opening = await bob.fence()
            assert 21030 not in opening and 21031 not in opening
            alice.order(market, Side.BUY, 3, "0.45")
            await alice.fence()
            bob.order(market, Side.SELL, 3, "0.45")
            _, reducing = await bob.fence()
            returned = bob.er(reducing).single_market_collateral_return
            assert returned is not None and returned > 0
            assert 21031 not in reducing
            # Alice did not ask: never on her reports.
            for msg in await alice.fence():
                assert 21030 not in msg

    floor.run(scenario())
