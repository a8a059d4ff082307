"""Cancels, cancel/replaces and mass cancels end to end on the ``current`` dialect: pending
reports, queue priority on replace, the replace-quantity rules, OrderCancelRejects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workstation.fix.dialect import SessionType
from workstation.fix.messages.enums import OrdStatus
from workstation.fix.messages.execution import OrderCancelReject, OrderMassCancelReport
from workstation.fix.messages.orders import OrderMassCancelRequest
from workstation.simulator.exchange.types import Side as BookSide

from .floor import ALICE, D, Floor, Side, kinds, plain


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    floor = Floor(tmp_path_factory.mktemp("amend-cancel"))
    yield floor
    floor.close()


def test_cancel_is_pending_then_canceled_with_both_clordids(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice") as (alice,):
            market = floor.market()
            orig = alice.order(market, Side.BUY, 7, "0.25")
            _, new = await alice.fence()
            cancel_id = alice.cancel(orig, market, Side.BUY)
            pending, done = await alice.fence()
            assert kinds([pending, done]) == ["8:6/6", "8:4/4"]
            p, c = alice.er(pending), alice.er(done)
            assert p.is_pending and p.order_id == alice.er(new).order_id
            assert plain(p.cl_ord_id, p.orig_cl_ord_id, p.leaves_qty) == (cancel_id, orig, 7)
            assert (c.cl_ord_id, c.orig_cl_ord_id) == (cancel_id, orig)
            assert plain(c.leaves_qty, c.cum_qty, c.order_qty) == (0, 0, 0)
            assert floor.venue.exchange.open_orders(ALICE, market) == []

    floor.run(scenario())


def test_replace_down_keeps_priority_and_up_loses_it(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob", "carol") as (alice, bob, carol):
            market = floor.market()
            first = alice.order(market, Side.BUY, 10, "0.40")
            await alice.fence()
            bob.order(market, Side.BUY, 5, "0.40")
            await bob.fence()
            smaller = alice.replace(first, market, Side.BUY, 6)
            pending, replaced = await alice.fence()
            assert kinds([pending, replaced]) == ["8:E/E", "8:5/0"]
            p, r = alice.er(pending), alice.er(replaced)
            assert plain(p.cl_ord_id, p.orig_cl_ord_id, p.order_qty) == (smaller, first, 10)
            assert plain(r.cl_ord_id, r.orig_cl_ord_id, r.order_qty, r.leaves_qty) == (
                smaller,
                first,
                6,
                6,
            )
            assert replaced.get(44) == "40"
            # Alice is still first in the queue.
            carol.order(market, Side.SELL, 6, "0.40")
            await carol.fence()
            assert kinds(await alice.fence()) == ["8:F/2"]
            assert await bob.fence() == []

            second = alice.order(market, Side.BUY, 3, "0.40")
            await alice.fence()
            bigger = alice.replace(second, market, Side.BUY, 4)
            assert kinds(await alice.fence()) == ["8:E/E", "8:5/0"]
            # Raising the quantity sent Alice behind Bob.
            carol.order(market, Side.SELL, 5, "0.40")
            await carol.fence()
            assert kinds(await bob.fence()) == ["8:F/2"]
            assert await alice.fence() == []
            assert [o.cl_ord_id for o in floor.venue.exchange.open_orders(ALICE, market)] == [
                bigger
            ]

    floor.run(scenario())


def test_replace_price_that_crosses_trades_at_once(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            bob.order(market, Side.SELL, 2, "0.50")
            await bob.fence()
            orig = alice.order(market, Side.BUY, 2, "0.45")
            await alice.fence()
            alice.replace(orig, market, Side.BUY, 2, "0.50")
            msgs = await alice.fence()
            assert kinds(msgs) == ["8:E/E", "8:5/0", "8:F/2"]
            assert msgs[1].get(44) == "50" and msgs[0].get(44) == "45"
            assert alice.er(msgs[2]).last_px == D("0.50")
            assert kinds(await bob.fence()) == ["8:F/2"]

    floor.run(scenario())


def test_replace_to_the_filled_quantity_cancels_and_below_it_is_refused(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            orig = alice.order(market, Side.BUY, 10, "0.35")
            await alice.fence()
            bob.order(market, Side.SELL, 4, "0.35")
            await bob.fence()
            await alice.fence()

            below = alice.replace(orig, market, Side.BUY, 3)
            (refusal,) = await alice.fence()
            assert refusal.msg_type == "9"
            rej = OrderCancelReject.from_message(refusal)
            assert (rej.cl_ord_id, rej.orig_cl_ord_id, rej.text) == (
                below,
                orig,
                "INVALID_AMEND_QTY_FOR_ORDER",
            )
            assert (refusal.get(102), refusal.get(434)) == ("2", "2")
            assert rej.ord_status is OrdStatus.PARTIALLY_FILLED and rej.order_id != "NONE"
            (view,) = floor.venue.exchange.open_orders(ALICE, market)
            assert plain(view.cl_ord_id, view.order_qty, view.leaves_qty) == (orig, 10, 6)

            equal = alice.replace(orig, market, Side.BUY, 4)
            pending, cancel = await alice.fence()
            assert kinds([pending, cancel]) == ["8:E/E", "8:4/4"]
            c = alice.er(cancel)
            assert (c.cl_ord_id, c.orig_cl_ord_id) == (equal, orig)
            assert plain(c.cum_qty, c.leaves_qty, c.order_qty) == (4, 0, 4)
            assert floor.venue.exchange.open_orders(ALICE, market) == []

    floor.run(scenario())


def test_cancel_rejects_unknown_filled_and_mismatched_orders(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            unknown = alice.cancel("no-such-order", market, Side.BUY)
            (msg,) = await alice.fence()
            rej = OrderCancelReject.from_message(msg)
            assert (rej.cl_ord_id, rej.order_id, rej.text) == (unknown, "NONE", "UNKNOWN_ORDER")
            assert (msg.get(102), msg.get(434), msg.get(39)) == ("1", "1", "8")

            filled = alice.order(market, Side.BUY, 2, "0.35")
            await alice.fence()
            bob.order(market, Side.SELL, 2, "0.35")
            await bob.fence()
            await alice.fence()
            alice.cancel(filled, market, Side.BUY)
            (msg,) = await alice.fence()
            rej = OrderCancelReject.from_message(msg)
            assert rej.text == "CANNOT_UPDATE_FILLED_ORDER" and msg.get(102) == "2"
            assert rej.ord_status is OrdStatus.FILLED

            resting = alice.order(market, Side.BUY, 2, "0.30")
            await alice.fence()
            alice.cancel(resting, market, Side.SELL)  # wrong side
            (msg,) = await alice.fence()
            assert msg.msg_type == "9" and msg.get(102) == "1"
            alice.replace(resting, floor.market(), Side.BUY, 3)  # wrong symbol
            (msg,) = await alice.fence()
            assert msg.msg_type == "9" and (msg.get(102), msg.get(434)) == ("1", "2")
            # Bob cannot touch Alice's order.
            bob.cancel(resting, market, Side.BUY)
            (msg,) = await bob.fence()
            assert msg.msg_type == "9" and msg.get(102) == "1"
            (view,) = floor.venue.exchange.open_orders(ALICE, market)
            assert plain(view.cl_ord_id, view.leaves_qty) == (resting, 2)

    floor.run(scenario())


def test_another_session_of_the_account_may_cancel_and_both_hear_of_it(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "alice2") as (alice, alice2):
            market = floor.market()
            orig = alice.order(market, Side.SELL, 3, "0.70")
            await alice.fence()
            cancel_id = alice2.cancel(orig, market, Side.SELL)
            assert kinds(await alice2.fence()) == ["8:6/6", "8:4/4"]
            msgs = await alice.fence()
            assert kinds(msgs) == ["8:6/6", "8:4/4"]
            assert alice.er(msgs[1]).cl_ord_id == cancel_id

    floor.run(scenario())


def test_mass_cancel_cancels_this_sessions_orders_only(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "alice2", "alice_watch") as (alice, alice2, watch):
            # The session is the key on KalshiNR, across connections: clear what earlier
            # tests left resting under it first.
            alice.send("q", OrderMassCancelRequest(cl_ord_id="mass-0").to_body())
            await alice.fence()
            market = floor.market()
            a1 = alice.order(market, Side.BUY, 1, "0.10")
            a2 = alice.order(market, Side.SELL, 1, "0.90")
            await alice.fence()
            other = alice2.order(market, Side.BUY, 1, "0.11")
            await alice2.fence()
            await watch.fence()
            alice.send("q", OrderMassCancelRequest(cl_ord_id="mass-1").to_body())
            msgs = await alice.fence()
            assert kinds(msgs) == ["r", "8:4/4", "8:4/4"]
            report = OrderMassCancelReport.from_message(msgs[0])
            assert report.cl_ord_id == "mass-1" and not report.rejected
            assert msgs[0].get(531) == "6" and report.order_id
            assert {alice.er(m).cl_ord_id for m in msgs[1:]} == {a1, a2}
            assert kinds(await watch.fence()) == ["8:4/4", "8:4/4"]
            assert await alice2.fence() == []
            assert [o.cl_ord_id for o in floor.venue.exchange.open_orders(ALICE, market)] == [other]
            # Nothing left: still a success, with no reports.
            alice.send("q", OrderMassCancelRequest(cl_ord_id="mass-2").to_body())
            assert kinds(await alice.fence()) == ["r"]
            depth = floor.venue.exchange.depth(market, BookSide.BUY)
            assert [(lv.price, int(lv.quantity)) for lv in depth] == [(D("0.11"), 1)]

    floor.run(scenario())


def test_mass_cancel_is_not_offered_on_kalshi_rt(floor: Floor) -> None:
    async def scenario() -> None:
        alice = await floor.login("alice", SessionType.RT)
        try:
            market = floor.market()
            alice.order(market, Side.BUY, 1, "0.10")
            await alice.fence()
            seq = alice.send("q", OrderMassCancelRequest(cl_ord_id="mass-rt").to_body())
            (msg,) = await alice.fence()
            assert msg.msg_type == "j"
            assert (msg.get(380), msg.get(372), msg.get(45)) == ("3", "q", str(seq))
            assert len(floor.venue.exchange.open_orders(ALICE, market)) == 1
        finally:
            await floor.logout(alice)

    floor.run(scenario())
