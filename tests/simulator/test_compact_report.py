"""A packed ExecutionReport comes back equal, whichever fields it set, and takes less room."""

from __future__ import annotations

import dataclasses
import sys
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.fix.messages.enums import (
    CollateralAmountType,
    ExecType,
    OrdStatus,
    Side,
    TimeInForce,
)
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.parties import Party
from workstation.simulator.compact_report import pack_report, unpack_report

ACK = ExecutionReport(
    exec_id=ExecId(clock=12, event=1),
    order_id="6f1c2b7e-0000-4000-8000-000000000001",
    cl_ord_id="c-1",
    exec_type=ExecType.NEW,
    ord_status=OrdStatus.NEW,
    symbol="KXCPI-26OCT-T3.2",
    side=Side.BUY,
    order_qty=Decimal(5),
    cum_qty=Decimal(0),
    leaves_qty=Decimal(5),
    avg_px=Decimal(0),
    price=Decimal("0.42"),
    transact_time=1_790_000_000.125,
    time_in_force=TimeInForce.GTC,
)

FILL = ExecutionReport(
    exec_id=ExecId(clock=13, event=2, exchange=1),
    order_id=ACK.order_id,
    cl_ord_id="c-2",
    orig_cl_ord_id="c-1",
    exec_type=ExecType.TRADE,
    ord_status=OrdStatus.PARTIALLY_FILLED,
    symbol=ACK.symbol,
    side=Side.SELL,
    order_qty=Decimal(5),
    cum_qty=Decimal(2),
    leaves_qty=Decimal(3),
    avg_px=Decimal("0.4200"),
    price=Decimal("0.42"),
    last_px=Decimal("0.42"),
    last_qty=Decimal(2),
    transact_time=1_790_000_001.5,
    text="partial",
    time_in_force=TimeInForce.GTD,
    expire_time=1_790_003_600.0,
    long_qty=Decimal(0),
    short_qty=Decimal(2),
    fees=(MiscFee(amount=Decimal("0.02")),),
    trd_match_id="m-9",
    aggressor=False,
    collateral_changes=(
        CollateralChange(amount=Decimal("-1.16"), kind=next(iter(CollateralAmountType))),
    ),
    single_market_collateral_return=Decimal("0.00"),
    alloc_account=3,
    last_mkt="0",
    clearing_business_date="20261030",
    parties=(Party(party_id="fcm-7", role=24),),
)


def test_an_acknowledgement_and_a_rich_fill_come_back_equal() -> None:
    for report in (ACK, FILL):
        packed = pack_report(report)
        assert unpack_report(packed, report.exec_id) == report
        assert report.exec_id not in packed  # the caller keeps the ExecID


def test_reports_of_one_shape_share_their_layout_and_take_less_room() -> None:
    other = pack_report(dataclasses.replace(ACK, cl_ord_id="c-3"))
    packed = pack_report(ACK)
    assert packed[0] is other[0]
    assert sys.getsizeof(packed) < sys.getsizeof(ACK) * 6 // 10  # 152 of 296 bytes (3.11)


OPTIONAL_VALUES = {
    "text": st.none() | st.text(max_size=5),
    "last_qty": st.none() | st.just(Decimal(0)) | st.just(Decimal(1)),
    "aggressor": st.none() | st.booleans(),
    "alloc_account": st.none() | st.integers(0, 9),
    "fees": st.just(()) | st.just(FILL.fees),
    "parties": st.just(()) | st.just(FILL.parties),
    "expire_time": st.none() | st.floats(0, 2e9),
}


@settings(max_examples=60, deadline=None)
@given(st.fixed_dictionaries(OPTIONAL_VALUES), st.none() | st.just(ExecId(clock=1, event=1)))
def test_any_mix_of_set_and_unset_fields_round_trips(
    values: dict[str, Any], exec_id: ExecId | None
) -> None:
    report = dataclasses.replace(ACK, exec_id=exec_id, **values)
    assert unpack_report(pack_report(report), report.exec_id) == report
