"""The trading state end to end: typed messages from the wire routed across every store."""

from __future__ import annotations

import pytest

from tests.trading.reports import ACCOUNT, SYMBOL, VENUE, d, new, nos, report, trade
from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import (
    BusinessRejectReason,
    CollateralAmountType,
    ExecType,
    MarketResult,
    MassCancelResponse,
    OrderGroupAction,
    OrdStatus,
    QuoteRequestRejectReason,
)
from workstation.fix.messages.execution import ExecutionReport, OrderMassCancelReport
from workstation.fix.messages.money_groups import CollateralChange
from workstation.fix.messages.order_groups import OrderGroupRequest, OrderGroupResponse
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.messages.rfq_creator import CreatorQuoteRequest
from workstation.fix.messages.rfq_maker import QuoteRequest, QuoteRequestReject
from workstation.fix.messages.settlement import MarketSettlementReport, SettlementParty
from workstation.trading.changes import (
    Change,
    FillAdded,
    FillDuplicateIgnored,
    GroupChanged,
    GroupRequestRefused,
    MakerRfqChanged,
    MassCancelAnswered,
    OrderChanged,
    PositionChanged,
    ReportUnmatched,
    RfqChanged,
    SettlementChanged,
)
from workstation.trading.groups import GroupState
from workstation.trading.order_state import OrderStatus
from workstation.trading.rfq import RfqStatus
from workstation.trading.rfq_maker import MakerStatus
from workstation.trading.state import TradingState

GROUP = "770e8400-e29b-41d4-a716-446655440002"


def via_wire(er: ExecutionReport) -> ExecutionReport:
    frame = encode_message(
        "8", [(49, "KalshiNR"), (56, "key"), (34, "9")], er.to_body(PriceFormat.CENTS)
    )
    return ExecutionReport.from_message(parse_frame(frame), PriceFormat.CENTS)


def apply(
    state: TradingState, message: object, now: float = 10.0, healed: bool = False
) -> list[Change]:
    return state.apply(message, venue=VENUE, account=ACCOUNT, now=now, healed=healed)


def kinds(changes: list[Change]) -> list[type[Change]]:
    return [type(c) for c in changes]


def test_trade_moves_order_fill_position_once() -> None:
    state = TradingState()
    state.orders.submitted(nos("c1", price="0.40"), venue=VENUE, account=ACCOUNT, now=1.0)
    assert kinds(apply(state, via_wire(new("c1", price="0.40")))) == [OrderChanged]
    fill = trade(
        "c1",
        "2;1",
        last_qty=4,
        last_px="0.40",
        cum=4,
        fee="0.07",
        balance="-1.67",
        price="0.40",
        long_qty=d(4),
        short_qty=d(0),
        transact_time=50.0,
    )
    changes = apply(state, via_wire(fill), now=11.0)
    assert kinds(changes) == [OrderChanged, FillAdded, PositionChanged]
    assert isinstance(changes[-1], PositionChanged)
    position = changes[-1].position
    assert (position.net, position.realized_pnl, position.mismatch) == (d(4), d("-0.07"), None)

    replayed = apply(state, via_wire(fill), now=12.0, healed=True)
    assert kinds(replayed) == [OrderChanged, FillDuplicateIgnored]
    assert len(state.fills) == 1
    assert state.positions.balance_since(49.0) == d("-1.67")
    order = state.orders.get("c1")
    assert order is not None and order.status is OrderStatus.PARTIALLY_FILLED and not order.healed


def test_group_gauge_and_trigger_seen_through_an_order_cancel() -> None:
    state = TradingState()
    state.groups.requested(
        OrderGroupRequest(action=OrderGroupAction.CREATE, contracts_limit=5), now=0.0
    )
    apply(state, OrderGroupResponse(order_group_id=GROUP, contracts_limit=5), now=1.0)
    state.orders.submitted(nos("c1", order_group_id=GROUP), venue=VENUE, account=ACCOUNT, now=1.0)
    apply(state, new("c1"))
    changes = apply(state, trade("c1", "2;1", last_qty=3, last_px="0.50", cum=3), now=12.0)
    assert GroupChanged in kinds(changes)
    assert state.groups.gauge(GROUP, now=13.0).filled == d(3)
    cancel = report(
        ExecType.CANCELED,
        OrdStatus.CANCELED,
        cl="c1",
        exec_id="3;1",
        cum=3,
        leaves=0,
        text="ORDER_GROUP_CANCEL",
    )
    changes = apply(state, cancel, now=13.0)
    group = state.groups.get(GROUP)
    assert group is not None and group.state is GroupState.TRIGGERED
    assert kinds(changes) == [OrderChanged, GroupChanged]
    order = state.orders.get("c1")
    assert order is not None and order.reason == "cancelled by its order group"


def test_business_rejects_routed_by_ref_msg_type() -> None:
    state = TradingState()
    state.groups.requested(
        OrderGroupRequest(action=OrderGroupAction.RESET, order_group_id=GROUP), now=0.0
    )
    uog = BusinessMessageReject(
        reason=BusinessRejectReason.OTHER, ref_msg_type="UOG", text="ORDER_GROUP_NOT_FOUND"
    )
    assert kinds(apply(state, uog)) == [GroupRequestRefused]

    state.orders.submitted(nos("c1"), venue=VENUE, account=ACCOUNT, now=1.0)
    dialect_1013 = BusinessMessageReject(
        reason=BusinessRejectReason.APPLICATION_NOT_AVAILABLE,
        ref_msg_type="D",
        ref_seq_num=10,
        ref_id="c1",
        text="Kalshi exchange unavailable",
    )
    apply(state, dialect_1013)
    order = state.orders.get("c1")
    assert order is not None and order.status is OrderStatus.UNKNOWN

    state.rfqs.requested(
        CreatorQuoteRequest(quote_req_id="r1", symbol=SYMBOL, order_qty=d(5)), now=1.0
    )
    r = BusinessMessageReject(
        reason=BusinessRejectReason.NOT_AUTHORIZED, ref_msg_type="R", ref_id="r1"
    )
    (changed,) = apply(state, r)
    assert isinstance(changed, RfqChanged) and changed.rfq.status is RfqStatus.REJECTED

    other = BusinessMessageReject(
        reason=BusinessRejectReason.UNSUPPORTED_MESSAGE_TYPE, ref_msg_type="H"
    )
    assert kinds(apply(state, other)) == [ReportUnmatched]


def test_quote_request_reject_goes_to_the_right_role() -> None:
    state = TradingState()
    state.rfqs.requested(
        CreatorQuoteRequest(quote_req_id="mine", symbol=SYMBOL, order_qty=d(5)), now=1.0
    )
    apply(state, QuoteRequest(quote_req_id="theirs", symbol=SYMBOL, order_qty=d(5)))
    mine = apply(
        state,
        QuoteRequestReject(quote_req_id="mine", reason=QuoteRequestRejectReason.OTHER, text="no"),
    )
    theirs = apply(
        state,
        QuoteRequestReject(
            quote_req_id="theirs", reason=QuoteRequestRejectReason.OTHER, text="gone"
        ),
    )
    assert isinstance(mine[0], RfqChanged) and isinstance(theirs[0], MakerRfqChanged)
    assert theirs[0].rfq.status is MakerStatus.CLOSED


def test_mass_cancel_report_and_unknown_types() -> None:
    state = TradingState()
    (answer,) = apply(
        state,
        OrderMassCancelReport(
            cl_ord_id="m1", order_id="op1", response=MassCancelResponse.REJECTED, reject_reason=1
        ),
    )
    assert answer == MassCancelAnswered(cl_ord_id="m1", accepted=False, text="rejected (reason 1)")
    with pytest.raises(TypeError, match="no str"):
        apply(state, "8=FIX")


def test_settlement_reconciled_then_booked_into_the_position() -> None:
    state = TradingState()
    state.orders.submitted(nos("c1", price="0.40"), venue=VENUE, account=ACCOUNT, now=1.0)
    apply(state, trade("c1", "2;1", last_qty=10, last_px="0.40", cum=10, fee="0.17"))
    ums = MarketSettlementReport(
        report_id="settle-1",
        symbol=SYMBOL,
        clearing_business_date="20231231",
        result=MarketResult.YES,
        settlement_price=d("1.00"),
        last_fragment=True,
        parties=(
            SettlementParty(
                party_id="user-456",
                long_qty=d(10),
                short_qty=d(0),
                collateral_changes=(
                    CollateralChange(amount=d("10.00"), kind=CollateralAmountType.PAYOUT),
                ),
            ),
        ),
    )
    changes = apply(state, ums, now=20.0)
    assert kinds(changes) == [SettlementChanged, PositionChanged]
    assert isinstance(changes[0], SettlementChanged) and isinstance(changes[1], PositionChanged)
    settlement = changes[0].settlement
    assert settlement.complete and not settlement.mismatched
    position = changes[1].position
    # Paid 4.00 + 0.17 fee for 10 YES that settled at $1: +6.00 − 0.17.
    assert (position.net, position.realized_pnl, position.settled_value) == (d(0), d("5.83"), d(1))
    assert apply(state, ums, now=21.0) == []  # the same page again
