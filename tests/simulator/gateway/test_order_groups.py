"""Order groups end to end (SPEC §11): UOG → UOH, the automatic cancel when fills exceed the
limit, manual trigger, reset, delete, update, and every kind of UOG error."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import OrderGroupAction
from workstation.fix.messages.order_groups import OrderGroupRequest, OrderGroupResponse

from .floor import ALICE, Floor, Side, Trader, kinds

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    floor = Floor(tmp_path_factory.mktemp("order-groups"))
    yield floor
    floor.close()


async def uog(trader: Trader, body: list[tuple[int, str]]) -> FixMessage:
    trader.send("UOG", body)
    (answer,) = await trader.fence()
    return answer


async def act(
    trader: Trader, action: OrderGroupAction, group_id: str | None = None, limit: int | None = None
) -> list[FixMessage]:
    body = OrderGroupRequest(action=action, order_group_id=group_id, contracts_limit=limit)
    trader.send("UOG", body.to_body())
    return await trader.fence()


async def create(trader: Trader, limit: int) -> str:
    (answer,) = await act(trader, OrderGroupAction.CREATE, limit=limit)
    response = OrderGroupResponse.from_message(answer)
    assert response.contracts_limit == limit
    return response.order_group_id


def test_create_answers_with_a_new_group(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice") as (alice,):
            (answer,) = await act(alice, OrderGroupAction.CREATE, limit=5000)
            assert answer.msg_type == "UOH"
            assert UUID.fullmatch(answer.get(20130) or "")
            assert answer.get(20132) == "5000" and 79 not in answer
            answer = await uog(alice, [(20131, "1"), (20132, "10"), (79, "0")])
            assert answer.msg_type == "UOH" and answer.get(79) == "0"

    floor.run(scenario())


def test_fills_over_the_limit_cancel_the_group_until_reset(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            group = await create(alice, 5)
            alice.order(market, Side.BUY, 4, "0.40", order_group_id=group)
            alice.order(market, Side.BUY, 3, "0.39", order_group_id=group)
            await alice.fence()
            bob.order(market, Side.SELL, 6, "0.39")
            assert kinds(await bob.fence()) == ["8:A/A", "8:F/1", "8:F/2"]
            msgs = await alice.fence()
            # 4 + 2 = 6 contracts in the window exceeds 5: the rest of the group is cancelled.
            assert kinds(msgs) == ["8:F/2", "8:F/1", "8:4/4"]
            cancel = alice.er(msgs[2])
            assert cancel.text == "ORDER_GROUP_CANCEL" and cancel.cum_qty == 2
            assert floor.venue.exchange.open_orders(ALICE, market) == []
            # New orders for the group are refused until it is reset.
            alice.order(market, Side.BUY, 1, "0.30", order_group_id=group)
            (refused,) = await alice.fence()
            assert (refused.get(58), refused.get(103)) == ("EXCEEDED_ORDER_GROUP_RISK_LIMIT", "3")
            (answer,) = await act(alice, OrderGroupAction.RESET, group)
            assert answer.msg_type == "UOH" and answer.get(20130) == group
            assert 20132 not in answer
            alice.order(market, Side.BUY, 1, "0.30", order_group_id=group)
            assert kinds(await alice.fence()) == ["8:A/A", "8:0/0"]

    floor.run(scenario())


def test_trigger_delete_and_update(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "alice_watch") as (alice, watch):
            market = floor.market()
            group = await create(alice, 100)
            alice.order(market, Side.BUY, 1, "0.10", order_group_id=group)
            alone = alice.order(market, Side.BUY, 1, "0.11")
            await alice.fence()
            await watch.fence()

            msgs = await act(alice, OrderGroupAction.TRIGGER, group)
            assert kinds(msgs) == ["UOH", "8:4/4"]
            assert alice.er(msgs[1]).text == "ORDER_GROUP_CANCEL"
            assert kinds(await watch.fence()) == ["8:4/4"]
            (answer,) = await act(alice, OrderGroupAction.RESET, group)
            assert answer.msg_type == "UOH"

            (answer,) = await act(alice, OrderGroupAction.UPDATE, group, limit=7)
            assert answer.msg_type == "UOH" and answer.get(20132) == "7"

            alice.order(market, Side.BUY, 1, "0.12", order_group_id=group)
            await alice.fence()
            msgs = await act(alice, OrderGroupAction.DELETE, group)
            assert kinds(msgs) == ["UOH", "8:4/4"]
            assert [o.cl_ord_id for o in floor.venue.exchange.open_orders(ALICE, market)] == [alone]
            alice.order(market, Side.BUY, 1, "0.13", order_group_id=group)
            (refused,) = await alice.fence()
            assert (refused.get(58), refused.get(103)) == ("ORDER_GROUP_NOT_FOUND", "11")

    floor.run(scenario())


def test_update_below_the_rolling_total_triggers(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            market = floor.market()
            group = await create(alice, 10)
            alice.order(market, Side.BUY, 5, "0.40", order_group_id=group)
            await alice.fence()
            bob.order(market, Side.SELL, 3, "0.40")
            await bob.fence()
            await alice.fence()
            msgs = await act(alice, OrderGroupAction.UPDATE, group, limit=2)
            assert kinds(msgs) == ["UOH", "8:4/4"]
            assert msgs[0].get(20132) == "2"
            assert alice.er(msgs[1]).text == "ORDER_GROUP_CANCEL"

    floor.run(scenario())


GROUP = "770e8400-e29b-41d4-a716-446655440002"


def test_uog_errors(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice", "bob") as (alice, bob):
            answer = await uog(alice, [(20131, "2"), (20130, GROUP)])
            assert answer.msg_type == "j"
            assert (answer.get(380), answer.get(58), answer.get(379)) == (
                "1",
                "ORDER_GROUP_NOT_FOUND",
                GROUP,
            )
            assert answer.get(372) == "UOG"
            for action in ("3", "4"):
                answer = await uog(alice, [(20131, action), (20130, GROUP)])
                assert (answer.msg_type, answer.get(58)) == ("j", "ORDER_GROUP_NOT_FOUND")
            # Malformed fields are session Rejects.
            answer = await uog(alice, [(20131, "2"), (20130, "not-a-uuid")])
            assert (answer.msg_type, answer.get(373), answer.get(371)) == ("3", "6", "20130")
            answer = await uog(alice, [(20131, "1"), (20132, "0")])
            assert (answer.msg_type, answer.get(373), answer.get(371)) == ("3", "5", "20132")
            answer = await uog(alice, [(20131, "9")])
            assert (answer.msg_type, answer.get(373), answer.get(371)) == ("3", "5", "20131")
            answer = await uog(alice, [(20132, "5")])
            assert (answer.msg_type, answer.get(373), answer.get(371)) == ("3", "1", "20131")
            # Missing or forbidden combinations are business rejects.
            answer = await uog(alice, [(20131, "1")])
            assert (answer.msg_type, answer.get(380), answer.get(371)) == ("j", "5", "20132")
            answer = await uog(alice, [(20131, "2")])
            assert (answer.msg_type, answer.get(380), answer.get(371)) == ("j", "5", "20130")
            answer = await uog(alice, [(20131, "1"), (20132, "5"), (20130, GROUP)])
            assert (answer.msg_type, answer.get(380)) == ("j", "0")
            # A group belongs to its account (and sub-account).
            group = await create(alice, 5)
            answer = await uog(bob, [(20131, "2"), (20130, group)])
            assert (answer.msg_type, answer.get(58)) == ("j", "ORDER_GROUP_NOT_FOUND")
            answer = await uog(alice, [(20131, "2"), (20130, group), (79, "3")])
            assert (answer.msg_type, answer.get(58)) == ("j", "ORDER_GROUP_NOT_FOUND")
            answer = await uog(alice, [(20131, "2"), (20130, group), (79, "0")])
            assert answer.msg_type == "UOH" and answer.get(79) == "0"

    floor.run(scenario())
