"""Order entry (D, F, G, q): round trips, the SPEC examples, and every kind of bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import (
    alloc_accounts,
    formats,
    ids,
    parties,
    positive_money,
    prices,
    quantities,
    times,
)
from tests.fix.messages.wire import encode, example, fields_of, roundtrip
from workstation.fix.messages import (
    MessageError,
    NewOrderSingle,
    OrderCancelReplaceRequest,
    OrderCancelRequest,
    OrderMassCancelRequest,
    Party,
    PriceFormat,
    RejectKind,
    SelfTradePrevention,
    Side,
    TimeInForce,
)

sides = st.sampled_from(list(Side))
tifs = st.none() | st.sampled_from([t for t in TimeInForce if t is not TimeInForce.GTD])


@st.composite
def new_orders(draw: st.DrawFn, fmt: PriceFormat) -> NewOrderSingle:
    tif = draw(st.none() | st.sampled_from(list(TimeInForce)))
    return NewOrderSingle(
        cl_ord_id=draw(ids),
        symbol=draw(ids),
        side=draw(sides),
        order_qty=draw(quantities),
        price=draw(prices(fmt)),
        time_in_force=tif,
        expire_time=draw(times) if tif is TimeInForce.GTD else draw(st.none() | times),
        post_only=draw(st.booleans()),
        reduce_only=draw(st.booleans()),
        self_trade_prevention=draw(st.none() | st.sampled_from(list(SelfTradePrevention))),
        order_group_id=draw(st.none() | ids),
        cancel_order_on_pause=draw(st.booleans()),
        max_execution_cost=draw(st.none() | positive_money),
        alloc_account=draw(st.none() | alloc_accounts),
        parties=draw(parties),
        ex_destination=draw(st.none() | st.integers(-1, 10)),
        quote_id=draw(st.none() | ids),
        rfq_id=draw(st.none() | ids),
        transact_time=draw(st.none() | times),
    )


@settings(max_examples=150, deadline=None)
@given(st.data(), formats)
def test_new_order_single_round_trips(data: st.DataObject, fmt: PriceFormat) -> None:
    order = data.draw(new_orders(fmt))
    assert roundtrip(order, fmt) == order


@settings(max_examples=100, deadline=None)
@given(st.data(), formats)
def test_cancel_replace_and_mass_cancel_round_trip(data: st.DataObject, fmt: PriceFormat) -> None:
    cancel = OrderCancelRequest(
        cl_ord_id=data.draw(ids),
        orig_cl_ord_id=data.draw(ids),
        symbol=data.draw(ids),
        side=data.draw(sides),
        order_id=data.draw(st.none() | ids),
        order_qty=data.draw(st.none() | quantities),
        alloc_account=data.draw(st.none() | alloc_accounts),
        parties=data.draw(parties),
        ex_destination=data.draw(st.none() | st.integers(-1, 10)),
    )
    assert roundtrip(cancel, fmt) == cancel
    tif = data.draw(st.none() | st.sampled_from(list(TimeInForce)))
    replace = OrderCancelReplaceRequest(
        cl_ord_id=data.draw(ids),
        orig_cl_ord_id=data.draw(ids),
        symbol=data.draw(ids),
        side=data.draw(sides),
        order_qty=data.draw(quantities),
        price=data.draw(st.none() | prices(fmt)),
        order_id=data.draw(st.none() | ids),
        time_in_force=tif,
        expire_time=data.draw(times) if tif is TimeInForce.GTD else None,
        alloc_account=data.draw(st.none() | alloc_accounts),
        parties=data.draw(parties),
    )
    assert roundtrip(replace, fmt) == replace
    mass = OrderMassCancelRequest(cl_ord_id=data.draw(ids))
    assert roundtrip(mass, fmt) == mass


def test_spec_example_in_cents() -> None:
    msg = example(
        "8=FIXT.1.1|9=200|35=D|34=5|52=20230809-12:34:56.789|49=your-api-key|56=KalshiNR|"
        "11=550e8400-e29b-41d4-a716-446655440000|38=10|40=2|54=1|55=HIGHNY-23DEC31|44=75|59=1|10=123|"
    )
    order = NewOrderSingle.from_message(msg, PriceFormat.CENTS)
    assert order == NewOrderSingle(
        cl_ord_id="550e8400-e29b-41d4-a716-446655440000",
        symbol="HIGHNY-23DEC31",
        side=Side.BUY,
        order_qty=Decimal(10),
        price=Decimal("0.75"),
        time_in_force=TimeInForce.GTC,
    )


def test_spec_example_in_dollars() -> None:
    # The published example is abbreviated (no 11, no 55): they are added here.
    msg = example(
        "8=FIXT.1.1|9=200|35=D|34=2|52=20250926-21:54:16.040|11=abc|55=HIGHNY-23DEC31|"
        "38=100.0|40=2|44=0.7500|54=1|60=20250926-21:54:16.040|10=092|"
    )
    order = NewOrderSingle.from_message(msg, PriceFormat.DOLLARS)
    assert (order.price, order.order_qty, order.side) == (Decimal("0.75"), Decimal(100), Side.BUY)
    assert order.transact_time == pytest.approx(1758923656.040)
    # The abbreviated original is refused for its missing ClOrdID.
    with pytest.raises(MessageError) as info:
        NewOrderSingle.from_message(
            example("35=D|38=100.0|40=2|44=0.7500|54=1|60=20250926-21:54:16.040|"),
            PriceFormat.DOLLARS,
        )
    assert (info.value.reason, info.value.tag) == (1, 11)


def test_builder_writes_wire_forms() -> None:
    order = NewOrderSingle(
        cl_ord_id="c1",
        symbol="S",
        side=Side.SELL,
        order_qty=Decimal("10.00"),
        price=Decimal("0.0123"),
        post_only=True,
        reduce_only=True,
        cancel_order_on_pause=True,
        max_execution_cost=Decimal(50),
        order_group_id="g",
        parties=(Party(party_id="fcm_sub", role=24),),
    )
    fields = fields_of(encode(order, PriceFormat.DOLLARS))
    assert fields[38] == "10"
    assert fields[44] == "0.0123"
    assert fields[40] == "2"
    assert fields[18] == "6 E"
    assert fields[21006] == "Y"
    assert fields[21009] == "50.00"
    assert fields[526] == "g"
    assert (fields[453], fields[448], fields[452]) == ("1", "fcm_sub", "24")
    with pytest.raises(ValueError):
        order.to_body(PriceFormat.CENTS)  # 1.23 cents has no cents form


def test_order_group_id_is_also_read_from_20130() -> None:
    msg = example("35=D|11=c|55=S|54=1|38=1|40=2|44=50|20130=grp|")
    assert NewOrderSingle.from_message(msg).order_group_id == "grp"


D_BASE = "35=D|11=c|55=S|54=1|38=10|40=2|44=75|"


@pytest.mark.parametrize("tag", [11, 55, 54, 38, 40, 44])
def test_missing_required_tag_is_reject_1(tag: int) -> None:
    text = "|".join(p for p in D_BASE.split("|") if p and not p.startswith(f"{tag}="))
    with pytest.raises(MessageError) as info:
        NewOrderSingle.from_message(example(text))
    assert (info.value.reason, info.value.tag, info.value.kind) == (1, tag, RejectKind.SESSION)


@pytest.mark.parametrize(
    ("replace", "tag", "reason"),
    [
        ("44=0", 44, 5),
        ("44=100", 44, 5),
        ("44=-1", 44, 5),
        ("44=abc", 44, 6),
        ("38=0", 38, 5),
        ("38=-5", 38, 5),
        ("38=ten", 38, 6),
        ("54=3", 54, 5),
        ("40=1", 40, 5),
        ("59=2", 59, 5),
        ("2964=0", 2964, 5),
        ("18=X", 18, 5),
        ("79=64", 79, 5),
        ("21009=0", 21009, 5),
        ("21006=yes", 21006, 6),
        ("126=2025-01-01", 126, 6),
        ("453=2|448=a|452=24", 453, 16),
    ],
)
def test_bad_values_are_rejected_with_the_right_reason(replace: str, tag: int, reason: int) -> None:
    key = replace.split("=", maxsplit=1)[0] + "="
    parts = [p for p in D_BASE.split("|") if p and not p.startswith(key)]
    with pytest.raises(MessageError) as info:
        NewOrderSingle.from_message(example("|".join([*parts, replace])))
    assert (info.value.reason, info.value.tag) == (reason, tag)


def test_gtd_without_expire_time_is_conditionally_required() -> None:
    with pytest.raises(MessageError) as info:
        NewOrderSingle.from_message(example(D_BASE + "59=6|"))
    assert (info.value.reason, info.value.tag, info.value.kind) == (5, 126, RejectKind.BUSINESS)
    gtd = NewOrderSingle.from_message(example(D_BASE + "59=6|126=20250926-23:59:59.999|"))
    assert gtd.time_in_force is TimeInForce.GTD
    with pytest.raises(ValueError):
        NewOrderSingle(
            cl_ord_id="c",
            symbol="S",
            side=Side.BUY,
            order_qty=Decimal(1),
            price=Decimal("0.5"),
            time_in_force=TimeInForce.GTD,
        ).to_body()


def test_bad_clordid_is_left_to_the_exchange() -> None:
    long_id = "x" * 65
    order = NewOrderSingle.from_message(example(D_BASE.replace("11=c", f"11={long_id}")))
    assert order.cl_ord_id == long_id


def test_cancel_and_replace_requirements() -> None:
    cancel = OrderCancelRequest.from_message(example("35=F|11=c2|41=c1|55=S|54=2|"))
    assert (cancel.orig_cl_ord_id, cancel.order_qty) == ("c1", None)
    with pytest.raises(MessageError) as info:
        OrderCancelRequest.from_message(example("35=F|11=c2|55=S|54=2|"))
    assert (info.value.reason, info.value.tag) == (1, 41)
    with pytest.raises(MessageError) as info:
        OrderCancelRequest.from_message(example("35=F|11=c2|41=c1|55=S|54=2|38=0|"))
    assert (info.value.reason, info.value.tag) == (5, 38)
    replace = OrderCancelReplaceRequest.from_message(
        example("35=G|11=c3|41=c2|55=S|54=1|38=20|40=2|")
    )
    assert (replace.order_qty, replace.price) == (Decimal(20), None)
    for text, tag, reason in [
        ("35=G|11=c3|41=c2|55=S|54=1|40=2|", 38, 1),
        ("35=G|11=c3|41=c2|55=S|54=1|38=0|40=2|", 38, 5),
        ("35=G|11=c3|41=c2|55=S|54=1|38=5|40=2|44=100|", 44, 5),
        ("35=G|11=c3|41=c2|55=S|54=1|38=5|", 40, 1),
    ]:
        with pytest.raises(MessageError) as info:
            OrderCancelReplaceRequest.from_message(example(text))
        assert (info.value.reason, info.value.tag) == (reason, tag)


def test_mass_cancel_supports_only_session_scope() -> None:
    assert OrderMassCancelRequest.from_message(example("35=q|11=m|530=6|")).cl_ord_id == "m"
    with pytest.raises(MessageError) as info:
        OrderMassCancelRequest.from_message(example("35=q|11=m|530=7|"))
    assert (info.value.reason, info.value.tag) == (5, 530)
