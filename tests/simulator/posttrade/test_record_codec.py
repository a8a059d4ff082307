"""The record codec's generated encoders: the stored form of orders and fills is exactly what it
was (a file written before reads back, and a new one reads in an older program), every record
of the state file encodes as its per-field converters describe, and the sparse form leaves out
what holds its default and still decodes to an equal record."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

import pytest

from workstation.fix.messages.enums import CollateralAmountType, ExecType, OrdStatus, Side
from workstation.fix.messages.exec_id import ExecId as WireExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.parties import Party
from workstation.simulator.exchange.accounts import SubAccount
from workstation.simulator.exchange.exec_ids import ExecId
from workstation.simulator.exchange.groups import OrderGroup
from workstation.simulator.exchange.market import Event, Market
from workstation.simulator.exchange.orders import Order
from workstation.simulator.exchange.results import OrderFilled
from workstation.simulator.exchange.types import OrdStatus as ExchangeOrdStatus
from workstation.simulator.exchange.types import SelfTradePrevention, TimeInForce
from workstation.simulator.exchange.types import Side as ExchangeSide
from workstation.simulator.gateway.reports import OrderEcho
from workstation.simulator.gateway.rfq_state import SavedDesk, SavedRfq
from workstation.simulator.persistence.codec import CodecError, RecordCodec, codec_for


def order() -> Order:
    return Order(
        order_id="0f4c2b7e-0000-4000-8000-000000000001",
        account="acct-alice",
        sub_account=2,
        session_tag="KalshiNR:key",
        cl_ord_id="r-2",
        orig_cl_ord_id="r-1",
        ticker="KXPT-26NOV24-M1",
        side=ExchangeSide.SELL,
        price=Decimal("0.4025"),
        order_qty=Decimal(10),
        time_in_force=TimeInForce.GTD,
        expire_time=1795536000.25,
        post_only=False,
        stp=SelfTradePrevention.MAKER,
        group_id=None,
        cancel_on_pause=True,
        report_expiry=False,
        created_at=1795530000.5,
        priority=7,
        status=ExchangeOrdStatus.PARTIALLY_FILLED,
        cum_qty=Decimal(4),
        cum_value=Decimal("1.61"),
    )


def fill() -> OrderFilled:
    return OrderFilled(
        exec_id=ExecId(12, 3),
        transact_time=1795530001.125,
        order=order().view(),
        last_qty=Decimal(4),
        last_px=Decimal("0.4025"),
        aggressor=False,
        trade_id="trade-1",
        fee=Decimal("0.0175"),
        balance_change=Decimal("-2.39"),
        collateral_returned=Decimal("0.00"),
        long_qty=Decimal(0),
        short_qty=Decimal(4),
        clearing_date="20261124",
    )


def report() -> ExecutionReport:
    return ExecutionReport(
        exec_id=WireExecId(12, 3, 1),
        order_id="0f4c2b7e-0000-4000-8000-000000000001",
        cl_ord_id="r-2",
        exec_type=ExecType.TRADE,
        ord_status=OrdStatus.PARTIALLY_FILLED,
        symbol="KXPT-26NOV24-M1",
        side=Side.SELL,
        order_qty=Decimal(10),
        cum_qty=Decimal(4),
        leaves_qty=Decimal(6),
        avg_px=Decimal("0.4025"),
        price=Decimal("0.4025"),
        last_px=Decimal("0.4025"),
        last_qty=Decimal(4),
        transact_time=1795530001.125,
        fees=(MiscFee(amount=Decimal("0.0175")),),
        collateral_changes=(
            CollateralChange(amount=Decimal("-2.39"), kind=CollateralAmountType.BALANCE),
        ),
        aggressor=False,
        alloc_account=2,
        parties=(Party(party_id="fcm-1", role=24, id_source="D"),),
    )


ORDER_JSON = (
    '{"order_id":"0f4c2b7e-0000-4000-8000-000000000001","account":"acct-alice",'
    '"sub_account":2,"session_tag":"KalshiNR:key","cl_ord_id":"r-2","orig_cl_ord_id":"r-1",'
    '"ticker":"KXPT-26NOV24-M1","side":"2","price":"0.4025","order_qty":"10",'
    '"time_in_force":"6","expire_time":1795536000.25,"post_only":false,"stp":"2",'
    '"group_id":null,"cancel_on_pause":true,"report_expiry":false,"created_at":1795530000.5,'
    '"priority":7,"status":"1","cum_qty":"4","cum_value":"1.61"}'
)


def text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def by_converters(codec: RecordCodec[Any], record: Any) -> dict[str, Any]:
    """The record as its per-field converters encode it (what the generated encoder must give)."""
    return {name: encode(getattr(record, name)) for name, encode, _ in codec._fields}


def test_an_order_is_stored_exactly_as_before() -> None:
    codec = codec_for(Order)
    assert text(codec.encode(order())) == ORDER_JSON
    assert codec.decode(json.loads(ORDER_JSON)) == order()


def test_a_fill_is_stored_exactly_as_before() -> None:
    codec = codec_for(OrderFilled)
    encoded = codec.encode(fill())
    assert text(encoded["order"]).startswith('{"order_id":"0f4c2b7e-0000-4000-8000-000000000001"')
    assert {k: v for k, v in encoded.items() if k != "order"} == {
        "exec_id": "12;3",
        "transact_time": 1795530001.125,
        "last_qty": "4",
        "last_px": "0.4025",
        "aggressor": False,
        "trade_id": "trade-1",
        "fee": "0.0175",
        "balance_change": "-2.39",
        "collateral_returned": "0.00",
        "long_qty": "0",
        "short_qty": "4",
        "clearing_date": "20261124",
    }
    assert codec.decode(json.loads(text(encoded))) == fill()


@pytest.mark.parametrize(
    ("kind", "record"),
    [
        (Order, order()),
        (OrderFilled, fill()),
        (ExecutionReport, report()),
        (SubAccount, SubAccount(balance=Decimal("12.34"), positions={"M1": Decimal(-3)})),
        (OrderEcho, OrderEcho(alloc_account=3, parties=(Party(party_id="p", role=24),))),
        (SavedDesk, SavedDesk()),
    ],
)
def test_the_generated_encoder_gives_what_the_converters_describe(kind: type, record: Any) -> None:
    codec: RecordCodec[Any] = codec_for(kind)
    assert codec.encode(record) == by_converters(codec, record)
    assert codec.decode(json.loads(text(codec.encode(record)))) == record


def test_every_stored_record_type_has_a_generated_encoder() -> None:
    kinds: tuple[type, ...] = (Event, Market, OrderGroup, SavedRfq, SavedDesk)
    for kind in kinds:
        codec: RecordCodec[Any] = codec_for(kind)
        assert codec.field_names == {f.name for f in dataclasses.fields(kind)}


def test_the_sparse_form_leaves_out_defaults_and_decodes_to_an_equal_record() -> None:
    codec = codec_for(ExecutionReport)
    sparse = codec.encode_sparse(report())
    dense = codec.encode(report())
    assert set(dense) - set(sparse) == {
        name for name, value in dense.items() if value is None or value == []
    }
    assert "text" not in sparse and "fees" in sparse and sparse["exec_id"] == "12;3;1"
    assert codec.decode(json.loads(text(sparse))) == report()
    assert codec.decode(json.loads(text(dense))) == report()


def test_a_stored_report_with_a_bad_value_is_refused() -> None:
    codec = codec_for(ExecutionReport)
    sparse = codec.encode_sparse(report())
    with pytest.raises(CodecError, match="exec_id"):
        codec.decode({**sparse, "exec_id": "12;x"})
    with pytest.raises(CodecError, match="cum_qty"):
        codec.decode({**sparse, "cum_qty": 4})
    with pytest.raises(CodecError, match="missing"):
        codec.decode({k: v for k, v in sparse.items() if k != "symbol"})
