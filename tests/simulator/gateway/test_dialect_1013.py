"""The order gateway under ``--dialect 1.0.13`` (DECISIONS.md): the rules that differ from
``current``, each checked over loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.logon_options import LogonOptions
from workstation.fix.messages.orders import OrderMassCancelRequest
from workstation.simulator.failures import FailureKind
from workstation.simulator.gateway.fanout import LISTENER_TEXT
from workstation.simulator.gateway.order_entry import UNAVAILABLE_TEXT

from .floor import ALICE, BOB, Floor, Side, kinds, plain


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    floor = Floor(tmp_path_factory.mktemp("dialect-1013"), Dialect.V1_0_13)
    yield floor
    floor.close()


def test_post_only_that_would_cross_is_rejected(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            alice.order(market, Side.SELL, 5, "0.60")
            await alice.fence()
            bob.order(market, Side.BUY, 5, "0.60", post_only=True)
            (answer,) = await bob.fence()
            assert kinds([answer]) == ["8:8/8"]
            assert (answer.get(58), answer.get(103)) == ("POST_ONLY_CROSS", "99")
            assert len(floor.venue.exchange.open_orders(ALICE, market)) == 1

    floor.run(scenario())


def test_amend_failures_are_execution_report_rejects(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            orig = alice.order(market, Side.BUY, 10, "0.35")
            await alice.fence()
            bob.order(market, Side.SELL, 4, "0.35")
            await bob.fence()
            await alice.fence()
            below = alice.replace(orig, market, Side.BUY, 3)
            (answer,) = await alice.fence()
            report = alice.er(answer)
            assert answer.msg_type == "8" and answer.get(150) == "8"
            assert (report.cl_ord_id, report.orig_cl_ord_id) == (below, orig)
            assert (answer.get(58), answer.get(103)) == ("INVALID_AMEND_QTY_FOR_ORDER", "99")
            # The order keeps its state, and the report says so.
            assert answer.get(39) == "1" and plain(report.cum_qty, report.leaves_qty) == (4, 6)

            done = alice.order(market, Side.SELL, 1, "0.80")
            await alice.fence()
            bob.order(market, Side.BUY, 1, "0.80")
            await bob.fence()
            await alice.fence()
            alice.cancel(done, market, Side.SELL)
            (answer,) = await alice.fence()
            assert answer.msg_type == "8" and answer.get(150) == "8" and answer.get(39) == "2"
            assert (answer.get(58), answer.get(103)) == ("CANNOT_UPDATE_FILLED_ORDER", "4")
            # An unknown order is an OrderCancelReject in every version.
            alice.cancel("never-was", market, Side.BUY)
            (answer,) = await alice.fence()
            assert answer.msg_type == "9" and answer.get(102) == "1"

    floor.run(scenario())


def test_exchange_unavailable_is_a_business_reject(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "alice_watch") as (alice, watch):
            market = floor.market()
            for kind in (FailureKind.EXCHANGE_UNAVAILABLE, FailureKind.INTERNAL_ERROR):
                floor.venue.failures.arm(ALICE, kind)
                seq = alice.send(
                    "D",
                    [
                        (11, alice.new_id()),
                        (55, market),
                        (54, "1"),
                        (38, "1"),
                        (40, "2"),
                        (44, "30"),
                    ],
                )
                (answer,) = await alice.fence()
                assert answer.msg_type == "j"
                assert (answer.get(380), answer.get(58), answer.get(372), answer.get(45)) == (
                    "4",
                    UNAVAILABLE_TEXT,
                    "D",
                    str(seq),
                )
            assert floor.venue.exchange.open_orders(ALICE, market) == []
            floor.venue.failures.arm(ALICE, FailureKind.EXCHANGE_UNAVAILABLE, applied=True)
            cl = alice.order(market, Side.BUY, 1, "0.30")
            assert [m.msg_type for m in await alice.fence()] == ["j"]
            assert [o.cl_ord_id for o in floor.venue.exchange.open_orders(ALICE, market)] == [cl]
            assert kinds(await watch.fence()) == ["8:0/0"]

    floor.run(scenario())


def test_listener_refusal_uses_reason_other(floor: Floor) -> None:
    async def scenario() -> None:
        # 1.0.13 listeners ask for SkipPendingExecReports with tag 21003.
        async with floor.sessions("alice", "alice_watch") as (alice, watch):
            assert 21003 in dict(
                LogonOptions(listener_session=True, skip_pending_exec_reports=True).to_fields(
                    Dialect.V1_0_13
                )
            )
            market = floor.market()
            watch.order(market, Side.BUY, 1, "0.30")
            (answer,) = await watch.fence()
            assert (answer.msg_type, answer.get(380), answer.get(58)) == ("j", "0", LISTENER_TEXT)
            alice.order(market, Side.BUY, 1, "0.30")
            assert kinds(await alice.fence()) == ["8:A/A", "8:0/0"]
            assert kinds(await watch.fence()) == ["8:0/0"]  # no pending: 21003=Y

    floor.run(scenario())


def test_mass_cancel_on_kalshi_rt_and_insufficient_balance_code(floor: Floor) -> None:
    async def scenario() -> None:
        bob = await floor.login("bob", SessionType.RT)
        try:
            market = floor.market()
            bob.order(market, Side.SELL, 1, "0.90")
            bob.order(market, Side.BUY, 1000000, "0.99")
            msgs = await bob.fence()
            assert kinds(msgs) == ["8:A/A", "8:0/0", "8:8/8"]
            assert (msgs[2].get(58), msgs[2].get(103)) == ("INSUFFICIENT_BALANCE", "99")
            bob.send("q", OrderMassCancelRequest(cl_ord_id="mass-rt").to_body())
            msgs = await bob.fence()
            assert kinds(msgs) == ["r", "8:4/4"] and msgs[0].get(531) == "6"
            assert floor.venue.exchange.open_orders(BOB, market) == []
        finally:
            await floor.logout(bob)

    floor.run(scenario())
