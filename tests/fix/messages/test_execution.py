"""ExecutionReport (8), OrderCancelReject (9), OrderMassCancelReport (r): SPEC §9.5–§9.8."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import (
    alloc_accounts,
    avg_prices,
    exec_ids,
    formats,
    ids,
    money,
    parties,
    prices,
    quantities,
    texts,
    times,
    whole_or_zero,
)
from tests.fix.messages.wire import encode, example, fields_of, roundtrip
from workstation.fix.messages import (
    CollateralAmountType,
    CollateralChange,
    CxlRejReason,
    CxlRejResponseTo,
    ExecId,
    ExecType,
    ExecutionReport,
    MassCancelRequestType,
    MassCancelResponse,
    MessageError,
    MiscFee,
    OrderCancelReject,
    OrderMassCancelReport,
    OrdRejReason,
    OrdStatus,
    PriceFormat,
    RejectKind,
    SelfTradePrevention,
    Side,
    TimeInForce,
)

fees = st.lists(st.builds(MiscFee, amount=money), max_size=2).map(tuple)
collateral = st.lists(
    st.builds(CollateralChange, amount=money, kind=st.sampled_from(list(CollateralAmountType))),
    max_size=2,
).map(tuple)


@st.composite
def execution_reports(draw: st.DrawFn, fmt: PriceFormat) -> ExecutionReport:
    exec_type = draw(st.sampled_from(list(ExecType)))
    trade = exec_type is ExecType.TRADE
    reject = exec_type is ExecType.REJECTED
    return ExecutionReport(
        exec_id=draw(st.none() | exec_ids) if reject else draw(exec_ids),
        order_id=draw(st.none() | ids) if reject else draw(ids),
        cl_ord_id=draw(ids),
        exec_type=exec_type,
        ord_status=draw(st.sampled_from(list(OrdStatus))),
        symbol=draw(ids),
        side=draw(st.sampled_from(list(Side))),
        order_qty=draw(quantities | whole_or_zero),
        cum_qty=draw(quantities | whole_or_zero),
        leaves_qty=draw(quantities | whole_or_zero),
        avg_px=draw(avg_prices(fmt)),
        price=draw(st.none() | prices(fmt)),
        orig_cl_ord_id=draw(st.none() | ids),
        last_px=draw(prices(fmt)) if trade else draw(st.none() | prices(fmt)),
        last_qty=draw(quantities) if trade else draw(st.none() | quantities),
        transact_time=draw(st.none() | times),
        text=draw(st.none() | texts),
        ord_rej_reason=draw(st.none() | st.sampled_from(list(OrdRejReason))),
        time_in_force=draw(st.none() | st.sampled_from(list(TimeInForce))),
        expire_time=draw(st.none() | times),
        long_qty=draw(st.none() | whole_or_zero),
        short_qty=draw(st.none() | whole_or_zero),
        fees=draw(fees),
        trd_match_id=draw(st.none() | ids),
        aggressor=draw(st.none() | st.booleans()),
        collateral_changes=draw(collateral),
        single_market_collateral_return=draw(st.none() | money),
        ranged_market_collateral_return=draw(st.none() | money),
        alloc_account=draw(st.none() | alloc_accounts),
        last_mkt=draw(st.none() | st.sampled_from(["0", "1"])),
        clearing_business_date=draw(st.none() | st.just("20250926")),
        self_trade_prevention=draw(st.none() | st.sampled_from(list(SelfTradePrevention))),
        parties=draw(parties),
    )


@settings(max_examples=200, deadline=None)
@given(st.data(), formats)
def test_execution_report_round_trips(data: st.DataObject, fmt: PriceFormat) -> None:
    report = data.draw(execution_reports(fmt))
    assert roundtrip(report, fmt) == report


def test_subpenny_spec_example() -> None:
    # SPEC §10: "6=0.6600|14=100|31=0.7000|32=60|38=100.0000|39=2|44=0.7500" (abbreviated; the
    # identifying fields are added here).
    msg = example(
        "8=FIXT.1.1|9=400|35=8|34=4|52=20250926-21:54:16.159|6=0.6600|14=100|31=0.7000|32=60|"
        "38=100.0000|39=2|44=0.7500|"
        "11=c1|17=4;7|37=o1|54=1|55=HIGHNY-23DEC31|150=F|151=0|"
    )
    report = ExecutionReport.from_message(msg, PriceFormat.DOLLARS)
    assert report.avg_px == Decimal("0.66")
    assert report.last_px == Decimal("0.70")
    assert report.price == Decimal("0.75")
    assert (report.last_qty, report.cum_qty, report.order_qty) == (
        Decimal(60),
        Decimal(100),
        Decimal(100),
    )
    assert report.ord_status is OrdStatus.FILLED and report.is_trade


def trade_er(extra: str = "") -> str:
    return (
        "35=8|37=o1|11=c1|17=12;40|150=F|39=1|55=HIGHNY-23DEC31|54=2|38=10.00|44=75|32=4.00|"
        "31=75|151=6.00|14=4.00|6=75|60=20250926-21:54:16.159|880=trd-1|1057=Y|704=0|705=4|"
        "136=1|137=0.07|138=USD|139=4|891=0|1703=1|1704=-1.0000|1705=BALANCE|" + extra
    )


def test_trade_report_reads_every_block() -> None:
    report = ExecutionReport.from_message(
        example(trade_er("21030=0.25|21031=0.10|79=3|30=1|715=20250926|453=1|448=p|452=24|"))
    )
    assert report.exec_id == ExecId(12, 40)
    assert report.side is Side.SELL
    assert (report.last_px, report.last_qty, report.leaves_qty) == (
        Decimal("0.75"),
        Decimal(4),
        Decimal(6),
    )
    assert report.fees == (MiscFee(amount=Decimal("0.07")),)
    assert report.collateral_changes == (
        CollateralChange(amount=Decimal("-1"), kind=CollateralAmountType.BALANCE),
    )
    assert (report.long_qty, report.short_qty, report.aggressor) == (Decimal(0), Decimal(4), True)
    assert report.trd_match_id == "trd-1"
    assert report.single_market_collateral_return == Decimal("0.25")
    assert report.ranged_market_collateral_return == Decimal("0.10")
    assert (report.alloc_account, report.last_mkt, report.clearing_business_date) == (
        3,
        "1",
        "20250926",
    )
    assert report.parties[0].party_id == "p"
    assert report.transact_time == pytest.approx(1758923656.159)


@pytest.mark.parametrize(
    ("text", "reason", "rej"),
    [
        ("58=Insufficient funds|103=99|", "Insufficient funds", OrdRejReason.OTHER),
        (
            "58=INSUFFICIENT_BALANCE|103=3|",
            "INSUFFICIENT_BALANCE",
            OrdRejReason.ORDER_EXCEEDS_LIMIT,
        ),
        ("58=EXCHANGE_PAUSED|103=2|", "EXCHANGE_PAUSED", OrdRejReason.EXCHANGE_CLOSED),
    ],
)
def test_reject_examples_need_no_exec_id(text: str, reason: str, rej: OrdRejReason) -> None:
    # SPEC §18 reject examples (abbreviated with "..."; the order fields are added here).
    msg = example(f"35=8|11=789|150=8|39=8|{text}55=S|54=1|38=10|14=0|151=0|6=0|")
    report = ExecutionReport.from_message(msg)
    assert (report.exec_id, report.order_id) == (None, None)
    assert (report.text, report.ord_rej_reason) == (reason, rej)
    bogus = ExecutionReport.from_message(
        example(f"35=8|11=789|150=8|39=8|17=0|{text}55=S|54=1|38=10|14=0|151=0|6=0|")
    )
    assert bogus.exec_id is None


def test_pending_report() -> None:
    report = ExecutionReport.from_message(
        example("35=8|37=o|11=c|17=-1;-1|150=A|39=A|55=S|54=1|38=5|44=40|14=0|151=5|6=0|")
    )
    assert report.is_pending and not report.is_trade


def test_replaced_report_accepts_any_live_status() -> None:
    for status in "015":
        report = ExecutionReport.from_message(
            example(
                f"35=8|37=o|11=c2|41=c1|17=3;4|150=5|39={status}|55=S|54=1|38=5|44=40|"
                "14=0|151=5|6=0|59=6|126=20250927-03:59:59.999|"
            )
        )
        assert report.exec_type is ExecType.REPLACED
        assert report.orig_cl_ord_id == "c1"


def test_text_is_utf8() -> None:
    report = ExecutionReport(
        exec_id=ExecId(1, 1),
        order_id="o",
        cl_ord_id="c",
        exec_type=ExecType.CANCELED,
        ord_status=OrdStatus.CANCELED,
        symbol="S",
        side=Side.BUY,
        order_qty=Decimal(0),
        cum_qty=Decimal(0),
        leaves_qty=Decimal(0),
        avg_px=Decimal(0),
        text="annulé ✓",
    )
    assert roundtrip(report).text == "annulé ✓"


def test_times_read_from_the_wire_are_written_back_unchanged() -> None:
    msg = example(
        "35=8|37=o|11=c|17=1;1|150=0|39=0|55=S|54=1|38=5|14=0|151=5|6=0|60=20390623-08:45:53.200|"
    )
    report = ExecutionReport.from_message(msg)
    assert fields_of(encode(report))[60] == "20390623-08:45:53.200"


ER_BASE = "35=8|37=o|11=c|17=1;2|150=0|39=0|55=S|54=1|38=5|14=0|151=5|6=0|"


@pytest.mark.parametrize("tag", [37, 11, 17, 150, 39, 55, 54, 38, 14, 151, 6])
def test_missing_required_tag(tag: int) -> None:
    text = "|".join(p for p in ER_BASE.split("|") if p and not p.startswith(f"{tag}="))
    with pytest.raises(MessageError) as info:
        ExecutionReport.from_message(example(text))
    assert (info.value.reason, info.value.tag, info.value.kind) == (1, tag, RejectKind.SESSION)


@pytest.mark.parametrize(
    ("extra", "tag", "reason"),
    [
        ("44=0|", 44, 5),
        ("44=100|", 44, 5),
        ("44=-1|", 44, 5),
        ("44=abc|", 44, 6),
        ("31=100|32=1|", 31, 5),
        ("32=0|31=50|", 32, 5),
        ("103=77|", 103, 5),
        ("1057=T|", 1057, 6),
        ("60=yesterday|", 60, 6),
        ("136=2|137=0.01|138=USD|", 136, 16),
        ("136=1|138=USD|", 136, 16),
        ("1703=1|1704=1.00|1705=CASH|", 1705, 5),
        ("1703=1|1705=BALANCE|1704=1|", 1703, 16),
        ("1703=1|1704=1.00|", 1705, 1),
        ("453=1|452=24|", 453, 16),
    ],
)
def test_bad_fields(extra: str, tag: int, reason: int) -> None:
    with pytest.raises(MessageError) as info:
        ExecutionReport.from_message(example(ER_BASE + extra))
    assert (info.value.reason, info.value.tag) == (reason, tag)


@pytest.mark.parametrize(
    ("replace", "tag"), [("150=Z", 150), ("39=3", 39), ("54=0", 54), ("17=4-7", 17)]
)
def test_unknown_enum_values_and_bad_exec_id(replace: str, tag: int) -> None:
    key = replace.split("=", maxsplit=1)[0] + "="
    text = "|".join([p for p in ER_BASE.split("|") if p and not p.startswith(key)] + [replace])
    with pytest.raises(MessageError) as info:
        ExecutionReport.from_message(example(text))
    assert info.value.tag == tag
    assert info.value.reason == (6 if tag == 17 else 5)


def test_trade_without_last_px_is_conditionally_required() -> None:
    text = ER_BASE.replace("150=0", "150=F").replace("39=0", "39=1") + "32=1|"
    with pytest.raises(MessageError) as info:
        ExecutionReport.from_message(example(text))
    assert (info.value.reason, info.value.tag, info.value.kind) == (5, 31, RejectKind.BUSINESS)


def test_cents_price_on_a_dollars_session_is_out_of_range() -> None:
    with pytest.raises(MessageError) as info:
        ExecutionReport.from_message(example(ER_BASE + "44=75|"), PriceFormat.DOLLARS)
    assert (info.value.reason, info.value.tag) == (5, 44)


def test_order_cancel_reject() -> None:
    reject = OrderCancelReject(
        order_id="NONE",
        cl_ord_id="c3",
        orig_cl_ord_id="c2",
        ord_status=OrdStatus.REJECTED,
        response_to=CxlRejResponseTo.ORDER_CANCEL_REPLACE_REQUEST,
        reason=CxlRejReason.BROKER_OPTION,
        text="INVALID_AMEND_QTY_FOR_ORDER",
    )
    assert roundtrip(reject) == reject
    parsed = OrderCancelReject.from_message(example("35=9|37=o|11=c|39=0|434=1|102=18|"))
    assert parsed.reason is CxlRejReason.INVALID_PRICE_INCREMENT
    for text, tag, reason in [
        ("35=9|37=o|11=c|39=0|", 434, 1),
        ("35=9|37=o|11=c|39=0|434=3|", 434, 5),
        ("35=9|37=o|11=c|39=0|434=1|102=42|", 102, 5),
    ]:
        with pytest.raises(MessageError) as info:
            OrderCancelReject.from_message(example(text))
        assert (info.value.tag, info.value.reason) == (tag, reason)


@settings(max_examples=100, deadline=None)
@given(
    st.builds(
        OrderCancelReject,
        order_id=ids,
        cl_ord_id=ids,
        ord_status=st.sampled_from(list(OrdStatus)),
        response_to=st.sampled_from(list(CxlRejResponseTo)),
        orig_cl_ord_id=st.none() | ids,
        reason=st.none() | st.sampled_from(list(CxlRejReason)),
        text=st.none() | texts,
    ),
    st.builds(
        OrderMassCancelReport,
        cl_ord_id=ids,
        order_id=ids,
        response=st.sampled_from(list(MassCancelResponse)),
        request_type=st.none() | st.just(MassCancelRequestType.CANCEL_SESSION_ORDERS),
        reject_reason=st.none() | st.integers(0, 99),
        text=st.none() | texts,
    ),
)
def test_cancel_reject_and_mass_cancel_report_round_trip(
    reject: OrderCancelReject, report: OrderMassCancelReport
) -> None:
    assert roundtrip(reject) == reject
    assert roundtrip(report) == report


def test_order_mass_cancel_report() -> None:
    report = OrderMassCancelReport(
        cl_ord_id="m",
        order_id="op-1",
        response=MassCancelResponse.REJECTED,
        request_type=MassCancelRequestType.CANCEL_SESSION_ORDERS,
        reject_reason=99,
        text="rate limited",
    )
    assert roundtrip(report) == report
    assert report.rejected
    ok = OrderMassCancelReport.from_message(example("35=r|11=m|37=op|531=6|"))
    assert not ok.rejected
    with pytest.raises(MessageError) as info:
        OrderMassCancelReport.from_message(example("35=r|11=m|531=6|"))
    assert (info.value.reason, info.value.tag) == (1, 37)
