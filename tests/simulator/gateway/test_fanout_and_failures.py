"""Who hears of what: listener sessions see their own account's reports and are refused
orders; reports outlive the placing session; CancelOrdersOnDisconnect; armed failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workstation.fix.logon_options import LogonOptions
from workstation.fix.messages.enums import OrderGroupAction
from workstation.fix.messages.order_groups import OrderGroupRequest
from workstation.fix.messages.orders import OrderMassCancelRequest
from workstation.simulator.failures import FailureKind
from workstation.simulator.gateway.fanout import LISTENER_TEXT

from .floor import ALICE, BOB, Floor, Side, kinds


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    floor = Floor(tmp_path_factory.mktemp("fanout"))
    yield floor
    floor.close()


def test_listeners_see_their_own_accounts_reports_only(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob", "alice_watch", "bob_watch") as traders:
            alice, bob, alice_watch, bob_watch = traders
            market = floor.market()
            alice.order(market, Side.BUY, 5, "0.40")
            await alice.fence()
            bob.order(market, Side.SELL, 2, "0.40")
            await bob.fence()
            await alice.fence()
            # Listeners skip pending reports (they must log on with 21011=Y).
            alice_seen = await alice_watch.fence()
            assert kinds(alice_seen) == ["8:0/0", "8:F/1"]
            assert all(alice_watch.er(m).side is Side.BUY for m in alice_seen)
            bob_seen = await bob_watch.fence()
            assert kinds(bob_seen) == ["8:F/2"]
            assert bob_watch.er(bob_seen[0]).side is Side.SELL
            # A refusal answers the request only.
            alice.order("KXNOPE-26NOV24-Z", Side.BUY, 1, "0.40")
            assert kinds(await alice.fence()) == ["8:8/8"]
            assert await alice_watch.fence() == []

    floor.run(scenario())


def test_listener_is_refused_every_order_message(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "alice_watch") as (alice, watch):
            market = floor.market()
            cl = alice.order(market, Side.BUY, 5, "0.40")
            await alice.fence()
            await watch.fence()
            before = floor.venue.exchange.open_orders(ALICE)
            watch.order(market, Side.SELL, 1, "0.40")
            watch.cancel(cl, market, Side.BUY)
            watch.replace(cl, market, Side.BUY, 6)
            watch.send("q", OrderMassCancelRequest(cl_ord_id="mass").to_body())
            group = OrderGroupRequest(action=OrderGroupAction.CREATE, contracts_limit=5)
            watch.send("UOG", group.to_body())
            answers = await watch.fence()
            assert [m.msg_type for m in answers] == ["j"] * 5
            assert [m.get(372) for m in answers] == ["D", "F", "G", "q", "UOG"]
            for msg in answers:
                assert (msg.get(380), msg.get(58)) == ("6", LISTENER_TEXT)
            assert floor.venue.exchange.open_orders(ALICE) == before
            assert await alice.fence() == []

    floor.run(scenario())


def test_reports_of_a_gone_session_still_reach_the_listener_and_history(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob", "alice_watch") as (alice, bob, watch):
            market = floor.market()
            alice.order(market, Side.SELL, 3, "0.66")
            await alice.fence()
            await watch.fence()
            await floor.logout(alice)
            bob.order(market, Side.BUY, 3, "0.66")
            await bob.fence()
            (fill,) = await watch.fence()
            report = watch.er(fill)
            assert kinds([fill]) == ["8:F/2"] and report.side is Side.SELL
            latest = floor.venue.exec_history.latest(ALICE)
            assert latest is not None and latest.exec_id == report.exec_id

    floor.run(scenario())


def test_cancel_on_disconnect_on_logout_and_on_a_dropped_line(floor: Floor) -> None:
    async def scenario() -> None:
        cod = LogonOptions(cancel_orders_on_disconnect=True)
        async with floor.sessions("alice_watch") as (watch,):
            # The session is the key on KalshiNR, across connections: clear what earlier
            # tests left resting under it first.
            alice = await floor.login("alice")
            alice.send("q", OrderMassCancelRequest(cl_ord_id="clear").to_body())
            await alice.fence()
            await floor.logout(alice)
            await watch.fence()
            for ending in ("logout", "drop"):
                market = floor.market()
                alice = await floor.login("alice", options=cod)
                alice2 = await floor.login("alice2")
                mine = {alice.order(market, Side.BUY, 1, "0.20")}
                mine.add(alice.order(market, Side.SELL, 1, "0.80"))
                await alice.fence()
                kept = alice2.order(market, Side.BUY, 1, "0.21")
                await alice2.fence()
                await watch.fence()
                if ending == "logout":
                    await floor.logout(alice)
                else:
                    assert floor.venue.drop(floor.keys["alice"].key_id)
                    await floor.logout(alice)  # stops the client reconnecting
                cancels = await watch.fence()
                assert kinds(cancels) == ["8:4/4", "8:4/4"]
                assert {watch.er(m).cl_ord_id for m in cancels} == mine
                left = floor.venue.exchange.open_orders(ALICE, market)
                assert [o.cl_ord_id for o in left] == [kept]
                await floor.logout(alice2)

    floor.run(scenario())


def test_without_8013_orders_outlive_the_session(floor: Floor) -> None:
    async def scenario() -> None:
        market = floor.market()
        alice = await floor.login("alice")
        cl = alice.order(market, Side.BUY, 1, "0.20")
        await alice.fence()
        await floor.logout(alice)
        assert [o.cl_ord_id for o in floor.venue.exchange.open_orders(ALICE, market)] == [cl]

    floor.run(scenario())


def test_exchange_unavailable_not_applied_is_a_plain_reject(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "alice_watch") as (alice, watch):
            market = floor.market()
            floor.venue.failures.arm(ALICE, FailureKind.EXCHANGE_UNAVAILABLE)
            cl = alice.order(market, Side.BUY, 2, "0.30")
            (answer,) = await alice.fence()
            assert kinds([answer]) == ["8:8/8"]
            assert (answer.get(58), answer.get(103), answer.get(11)) == (
                "EXCHANGE_UNAVAILABLE",
                "99",
                cl,
            )
            assert floor.venue.exchange.open_orders(ALICE, market) == []
            assert await watch.fence() == []
            # The failure was used up: the retry with the same ClOrdID goes through.
            alice.order(market, Side.BUY, 2, "0.30", cl_ord_id=cl)
            assert kinds(await alice.fence()) == ["8:A/A", "8:0/0"]

    floor.run(scenario())


def test_exchange_unavailable_applied_places_the_order_silently(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob", "alice_watch") as (alice, bob, watch):
            market = floor.market()
            floor.venue.failures.arm(ALICE, FailureKind.EXCHANGE_UNAVAILABLE, applied=True)
            cl = alice.order(market, Side.BUY, 2, "0.30")
            (answer,) = await alice.fence()
            assert kinds([answer]) == ["8:8/8"] and answer.get(58) == "EXCHANGE_UNAVAILABLE"
            (view,) = floor.venue.exchange.open_orders(ALICE, market)
            assert view.cl_ord_id == cl
            # The acknowledgement reached the listener and the history, not the trader.
            (ack,) = await watch.fence()
            assert kinds([ack]) == ["8:0/0"] and watch.er(ack).cl_ord_id == cl
            latest = floor.venue.exec_history.latest(ALICE)
            assert latest is not None and latest.report.cl_ord_id == cl
            # A retry with the same ClOrdID finds the order live.
            alice.order(market, Side.BUY, 2, "0.30", cl_ord_id=cl)
            (dup,) = await alice.fence()
            assert dup.get(58) == "ORDER_ALREADY_EXISTS" and dup.get(103) == "6"
            # Its later fills go out normally.
            bob.order(market, Side.SELL, 2, "0.30")
            await bob.fence()
            (fill,) = await alice.fence()
            assert kinds([fill]) == ["8:F/2"] and alice.er(fill).cl_ord_id == cl

    floor.run(scenario())


def test_internal_error_is_a_final_reject(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("bob") as (bob,):
            market = floor.market()
            floor.venue.failures.arm(BOB, FailureKind.INTERNAL_ERROR)
            bob.order(market, Side.SELL, 1, "0.70")
            (answer,) = await bob.fence()
            assert kinds([answer]) == ["8:8/8"]
            assert (answer.get(58), answer.get(103)) == ("INTERNAL_ERROR", "99")
            assert floor.venue.exchange.open_orders(BOB, market) == []
            assert floor.venue.failures.armed(BOB) is None

    floor.run(scenario())
