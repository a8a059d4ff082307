"""A catalogue of bad order-entry messages, each answered as the reference says (SPEC §7.6,
§7.7, §9.1, §9.6, §9.7), with the book left exactly as it was."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from workstation.fix.message import FixMessage
from workstation.simulator.exchange.types import Side as BookSide

from .floor import ALICE, CLOSED_MARKET, Floor, Side, Trader, kinds


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Floor]:
    floor = Floor(tmp_path_factory.mktemp("bad-messages"))
    yield floor
    floor.close()


#: Set a tag's value; None removes it. A tag not in the body is appended.
Edit = dict[int, str | None]


def edited(body: list[tuple[int, str]], edit: Edit) -> list[tuple[int, str]]:
    out = [(tag, edit[tag]) if tag in edit else (tag, value) for tag, value in body]
    out = [(tag, value) for tag, value in out if value is not None]
    present = {tag for tag, _ in body}
    out += [(tag, value) for tag, value in edit.items() if tag not in present and value]
    return out  # type: ignore[return-value]


@dataclass(frozen=True)
class Expect:
    """The one answer: a Reject (373, 371), a BusinessMessageReject (380, 371), an ER reject
    (103, 58) or an OrderCancelReject (102, 58)."""

    msg_type: str
    code: str
    detail: str | None = None  #: 371 for 3/j, 58 for 8/9


def check(answer: FixMessage, expect: Expect) -> None:
    assert answer.msg_type == expect.msg_type, answer
    code_tag = {"3": 373, "j": 380, "8": 103, "9": 102}[expect.msg_type]
    assert answer.get(code_tag) == expect.code, answer
    if expect.msg_type in ("3", "j"):
        assert answer.get(371) == expect.detail, answer
    else:
        assert answer.get(58) == expect.detail, answer
    if expect.msg_type == "8":
        assert kinds([answer]) == ["8:8/8"] and 17 not in answer


def reject(tag: int, reason: int) -> Expect:
    return Expect("3", str(reason), str(tag))


LONG_ID = "x" * 65
NEW_ORDER_CASES: dict[str, tuple[Edit, Expect]] = {
    "missing ClOrdID": ({11: None}, reject(11, 1)),
    "missing Symbol": ({55: None}, reject(55, 1)),
    "missing Side": ({54: None}, reject(54, 1)),
    "missing OrderQty": ({38: None}, reject(38, 1)),
    "missing OrdType": ({40: None}, reject(40, 1)),
    "missing Price": ({44: None}, reject(44, 1)),
    "price 0": ({44: "0"}, reject(44, 5)),
    "price 100": ({44: "100"}, reject(44, 5)),
    "price -1": ({44: "-1"}, reject(44, 5)),
    "price abc": ({44: "abc"}, reject(44, 6)),
    "price between cents": ({44: "40.5"}, reject(44, 5)),
    "quantity 0": ({38: "0"}, reject(38, 5)),
    "quantity -3": ({38: "-3"}, reject(38, 5)),
    "quantity abc": ({38: "abc"}, reject(38, 6)),
    "side 3": ({54: "3"}, reject(54, 5)),
    "market order": ({40: "1"}, reject(40, 5)),
    "unknown TimeInForce": ({59: "9"}, reject(59, 5)),
    "unknown STP": ({2964: "7"}, reject(2964, 5)),
    "sub-account 64": ({79: "64"}, reject(79, 5)),
    "zero MaxExecutionCost": ({21009: "0"}, reject(21009, 5)),
    "undefined tag": ({333333: "test"}, reject(333333, 3)),
    "GTD without ExpireTime": ({59: "6"}, Expect("j", "5", "126")),
    "unknown symbol": ({55: "KXNOPE-26NOV24-Z"}, Expect("8", "1", "MARKET_NOT_FOUND")),
    "closed market": ({55: CLOSED_MARKET}, Expect("8", "2", "MARKET_ALREADY_CLOSED")),
    "ClOrdID of 65 characters": ({11: LONG_ID}, Expect("8", "11", "INVALID_ORDER")),
    "ClOrdID with a space": ({11: "bad id"}, Expect("8", "11", "INVALID_ORDER")),
    "ClOrdID with #": ({11: "bad#id"}, Expect("8", "11", "INVALID_ORDER")),
    "post-only IOC": ({18: "6", 59: "3"}, Expect("8", "11", "INVALID_ORDER")),
    "reduce-only": ({18: "E", 59: "3"}, Expect("8", "11", "INVALID_ORDER")),
    "unknown order group": (
        {526: "770e8400-e29b-41d4-a716-446655440002"},
        Expect("8", "11", "ORDER_GROUP_NOT_FOUND"),
    ),
    "more than the balance": ({38: "1000000", 44: "99"}, Expect("8", "3", "INSUFFICIENT_BALANCE")),
}


def book(floor: Floor, market: str) -> tuple[object, ...]:
    exchange = floor.venue.exchange
    return (
        [(lv.price, lv.quantity) for lv in exchange.depth(market, BookSide.BUY)],
        [(lv.price, lv.quantity) for lv in exchange.depth(market, BookSide.SELL)],
        [(o.cl_ord_id, o.order_qty, o.leaves_qty) for o in exchange.open_orders(ALICE)],
        floor.venue.exchange.snapshot(ALICE).sub_accounts[0].balance,
    )


async def resting(floor: Floor, trader: Trader) -> tuple[str, str]:
    market = floor.market()
    cl = trader.order(market, Side.BUY, 5, "0.40")
    await trader.fence()
    return market, cl


@pytest.mark.parametrize("case", list(NEW_ORDER_CASES), ids=list(NEW_ORDER_CASES))
def test_bad_new_order_is_refused_and_the_book_is_intact(floor: Floor, case: str) -> None:
    edit, expect = NEW_ORDER_CASES[case]

    async def scenario() -> None:
        async with floor.sessions("alice") as (alice,):
            market, _ = await resting(floor, alice)
            before = book(floor, market)
            body = [(11, alice.new_id()), (55, market), (54, "1"), (38, "5"), (40, "2")]
            body += [(44, "45")]
            seq = alice.send("D", edited(body, edit))
            (answer,) = await alice.fence()
            check(answer, expect)
            if expect.msg_type in ("3", "j"):
                assert (answer.get(45), answer.get(372)) == (str(seq), "D")
            if expect.msg_type == "8" and 11 in edit and edit[11]:
                assert answer.get(11) == edit[11]
            assert book(floor, market) == before

    floor.run(scenario())


def test_duplicate_clordid_of_a_live_order(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice") as (alice,):
            market, cl = await resting(floor, alice)
            before = book(floor, market)
            alice.order(market, Side.SELL, 1, "0.90", cl_ord_id=cl)
            (answer,) = await alice.fence()
            check(answer, Expect("8", "6", "ORDER_ALREADY_EXISTS"))
            assert book(floor, market) == before

    floor.run(scenario())


def test_clordid_of_64_characters_is_accepted(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice") as (alice,):
            market = floor.market()
            alice.order(market, Side.BUY, 1, "0.40", cl_ord_id="a-Z_0+=:/" + "y" * 55)
            assert kinds(await alice.fence()) == ["8:A/A", "8:0/0"]

    floor.run(scenario())


AMEND_CASES: dict[str, tuple[str, Edit, Expect]] = {
    "cancel without OrigClOrdID": ("F", {41: None}, reject(41, 1)),
    "cancel without Side": ("F", {54: None}, reject(54, 1)),
    "cancel with an undefined tag": ("F", {333333: "x"}, reject(333333, 3)),
    "cancel with a bad ClOrdID": ("F", {11: "bad id"}, Expect("9", "99", "INVALID_ORDER")),
    "replace to price 100": ("G", {44: "100"}, reject(44, 5)),
    "replace to quantity 0": ("G", {38: "0"}, reject(38, 5)),
    "replace without OrdType": ("G", {40: None}, reject(40, 1)),
    "replace with a long ClOrdID": ("G", {11: LONG_ID}, Expect("9", "99", "INVALID_ORDER")),
}


@pytest.mark.parametrize("case", list(AMEND_CASES), ids=list(AMEND_CASES))
def test_bad_cancel_or_replace_is_refused_and_the_order_stays(floor: Floor, case: str) -> None:
    msg_type, edit, expect = AMEND_CASES[case]

    async def scenario() -> None:
        async with floor.sessions("alice") as (alice,):
            market, cl = await resting(floor, alice)
            before = book(floor, market)
            body = [(11, alice.new_id()), (41, cl), (55, market), (54, "1")]
            if msg_type == "G":
                body += [(38, "6"), (40, "2"), (44, "41")]
            alice.send(msg_type, edited(body, edit))
            (answer,) = await alice.fence()
            check(answer, expect)
            if expect.msg_type == "9":
                assert answer.get(434) == ("1" if msg_type == "F" else "2")
                assert answer.get(41) == cl and answer.get(39) == "0"
            assert book(floor, market) == before

    floor.run(scenario())


def test_duplicate_clordid_on_a_cancel(floor: Floor) -> None:
    async def scenario() -> None:
        async with floor.sessions("alice") as (alice,):
            market, first = await resting(floor, alice)
            second = alice.order(market, Side.BUY, 1, "0.39")
            await alice.fence()
            before = book(floor, market)
            alice.cancel(second, market, Side.BUY, cl_ord_id=first)
            (answer,) = await alice.fence()
            check(answer, Expect("9", "99", "ORDER_ALREADY_EXISTS"))
            assert book(floor, market) == before

    floor.run(scenario())
