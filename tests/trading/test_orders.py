"""The order store: lifecycle, ClOrdID chains, report ordering, both dialect forms, Unknown."""

from __future__ import annotations

from typing import Any

import pytest

from tests.trading.reports import (
    ACCOUNT,
    VENUE,
    d,
    new,
    nos,
    pending_new,
    reject,
    report,
    trade,
)
from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import (
    BusinessRejectReason,
    CxlRejReason,
    CxlRejResponseTo,
    ExecType,
    OrdRejReason,
    OrdStatus,
)
from workstation.fix.messages.execution import ExecutionReport, OrderCancelReject
from workstation.fix.messages.prices import PriceFormat
from workstation.trading.changes import Change, OrderChanged, ReportUnmatched
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.orders import NEVER_REACHED, Orders


def order_of(changes: list[Change]) -> Order:
    assert len(changes) == 1 and isinstance(changes[0], OrderChanged)
    return changes[0].order


def apply(orders: Orders, er: ExecutionReport, now: float = 10.0, healed: bool = False) -> Order:
    return order_of(
        orders.apply_execution_report(er, venue=VENUE, account=ACCOUNT, now=now, healed=healed)
    )


def sent(orders: Orders, cl: str = "c1", **kw: Any) -> Order:
    return order_of(orders.submitted(nos(cl, **kw), venue=VENUE, account=ACCOUNT, now=1.0))


def cancel_reject(
    cl: str,
    orig: str,
    *,
    status: OrdStatus = OrdStatus.NEW,
    reason: CxlRejReason | None = None,
    text: str | None = None,
    to: CxlRejResponseTo = CxlRejResponseTo.ORDER_CANCEL_REQUEST,
) -> OrderCancelReject:
    return OrderCancelReject(
        order_id="o1",
        cl_ord_id=cl,
        orig_cl_ord_id=orig,
        ord_status=status,
        response_to=to,
        reason=reason,
        text=text,
    )


def test_full_lifecycle_new_partial_fill() -> None:
    orders = Orders()
    order = sent(orders)
    assert order.status is OrderStatus.PENDING_SUBMIT
    assert (order.order_qty, order.leaves_qty, order.price) == (d(10), d(10), d("0.50"))

    assert apply(orders, pending_new()).status is OrderStatus.PENDING_NEW
    order = apply(orders, new())
    assert order.status is OrderStatus.NEW and order.order_id == "o1"

    order = apply(orders, trade(exec_id="2;1", last_qty=4, last_px="0.50", cum=4))
    assert order.status is OrderStatus.PARTIALLY_FILLED
    assert (order.cum_qty, order.leaves_qty) == (d(4), d(6))

    order = apply(orders, trade(exec_id="3;1", last_qty=6, last_px="0.48", cum=10, avg="0.488"))
    assert order.status is OrderStatus.FILLED
    assert (order.cum_qty, order.leaves_qty, order.avg_px) == (d(10), d(0), d("0.488"))
    assert [e.applied for e in order.history] == [True] * 5
    assert orders.by_order_id(VENUE, "o1") is order
    assert orders.open_orders() == []


def test_replace_and_cancel_chain_found_by_any_cl_ord_id() -> None:
    orders = Orders()
    sent(orders, "c1")
    apply(orders, new("c1"))
    request = orders.replace_request_for("c1", order_qty=d(12), price=d("0.55"), new_cl_ord_id="c2")
    assert (request.orig_cl_ord_id, request.order_id) == ("c1", "o1")
    order = order_of(orders.replace_requested(request, now=2.0))
    assert order.status is OrderStatus.PENDING_REPLACE
    assert order.confirmed_status is OrderStatus.NEW

    replaced = report(
        ExecType.REPLACED,
        OrdStatus.NEW,
        cl="c2",
        orig_cl_ord_id="c1",
        exec_id="2;1",
        qty=12,
        price="0.55",
    )
    order = apply(orders, replaced)
    assert order.status is OrderStatus.NEW
    assert (order.cl_ord_id, order.cl_ord_ids) == ("c2", ("c1", "c2"))
    assert (order.order_qty, order.price) == (d(12), d("0.55"))

    cancel = orders.cancel_request_for("c1", new_cl_ord_id="c3")
    assert cancel.orig_cl_ord_id == "c2"  # the current ClOrdID, whichever one we named
    assert order_of(orders.cancel_requested(cancel, now=3.0)).status is OrderStatus.PENDING_CANCEL
    cancelled = report(
        ExecType.CANCELED,
        OrdStatus.CANCELED,
        cl="c3",
        orig_cl_ord_id="c2",
        exec_id="3;1",
        qty=12,
        leaves=0,
    )
    order = apply(orders, cancelled)
    assert order.status is OrderStatus.CANCELLED and order.pending is None
    assert order.cl_ord_ids == ("c1", "c2", "c3")
    assert orders.get("c1") is orders.get("c2") is orders.get("c3") is order
    assert len(orders) == 1


@pytest.mark.parametrize(
    ("ord_status", "cum", "expected"),
    [
        (OrdStatus.NEW, 0, OrderStatus.NEW),
        (OrdStatus.PARTIALLY_FILLED, 3, OrderStatus.PARTIALLY_FILLED),
        (OrdStatus.REPLACED, 0, OrderStatus.NEW),
        (OrdStatus.REPLACED, 3, OrderStatus.PARTIALLY_FILLED),
    ],
)
def test_replaced_accepts_ord_status_0_1_or_5(
    ord_status: OrdStatus, cum: int, expected: OrderStatus
) -> None:
    orders = Orders()
    sent(orders)
    apply(orders, new())
    if cum:
        apply(orders, trade(exec_id="1;5", last_qty=cum, last_px="0.50", cum=cum))
    replaced = report(
        ExecType.REPLACED, ord_status, cl="c2", orig_cl_ord_id="c1", exec_id="2;1", qty=8, cum=cum
    )
    order = apply(orders, replaced)
    assert order.status is expected
    assert (order.cl_ord_id, order.order_qty, order.cum_qty) == ("c2", d(8), d(cum))


def test_older_replayed_report_never_rolls_back() -> None:
    orders = Orders()
    sent(orders)
    apply(orders, new(exec_id="9;5"))
    filled = apply(orders, trade(exec_id="10;1", last_qty=10, last_px="0.50", cum=10))
    assert filled.status is OrderStatus.FILLED

    # The New again (drop-copy replay): 9;5 is older than 10;1 as numbers, though not as text.
    order = apply(orders, new(exec_id="9;5"), healed=True)
    assert order.status is OrderStatus.FILLED
    assert (order.cum_qty, order.last_exec_id) == (d(10), filled.last_exec_id)
    last = order.history[-1]
    assert not last.applied and last.healed and "older" in last.note
    assert not order.healed  # the replay changed nothing


def test_terminal_state_stays_terminal_even_for_a_newer_report() -> None:
    orders = Orders()
    sent(orders)
    apply(orders, new(exec_id="1;1"))
    cancelled = report(
        ExecType.CANCELED, OrdStatus.CANCELED, cl="c9", orig_cl_ord_id="c1", exec_id="2;1", leaves=0
    )
    assert apply(orders, cancelled).status is OrderStatus.CANCELLED
    order = apply(orders, new(exec_id="3;1"))
    assert order.status is OrderStatus.CANCELLED
    assert "not allowed" in order.history[-1].note


def test_pending_reports_move_pending_states_only() -> None:
    orders = Orders()
    sent(orders)
    apply(orders, new())
    order = apply(orders, pending_new())
    assert order.status is OrderStatus.NEW and not order.history[-1].applied

    pending_cancel = report(
        ExecType.PENDING_CANCEL,
        OrdStatus.PENDING_CANCEL,
        cl="x1",
        orig_cl_ord_id="c1",
        exec_id="-1;-1",
    )
    order = apply(orders, pending_cancel)
    assert order.status is OrderStatus.PENDING_CANCEL
    assert order.confirmed_status is OrderStatus.NEW
    assert orders.get("x1") is order  # the other session's cancel ClOrdID is known now


def test_fill_while_cancel_pending_keeps_pending_then_cancel_lands() -> None:
    orders = Orders()
    sent(orders)
    apply(orders, new())
    orders.cancel_requested(orders.cancel_request_for("c1", "c2"), now=2.0)
    order = apply(orders, trade(exec_id="2;1", last_qty=3, last_px="0.50", cum=3))
    assert order.status is OrderStatus.PENDING_CANCEL
    assert (order.confirmed_status, order.cum_qty) == (OrderStatus.PARTIALLY_FILLED, d(3))
    cancelled = report(
        ExecType.CANCELED,
        OrdStatus.CANCELED,
        cl="c2",
        orig_cl_ord_id="c1",
        exec_id="3;1",
        cum=3,
        leaves=0,
    )
    order = apply(orders, cancelled)
    assert (order.status, order.cum_qty) == (OrderStatus.CANCELLED, d(3))


@pytest.mark.parametrize("form", ["35=9", "ER reject"])
def test_amend_failure_keeps_last_good_state_in_both_forms(form: str) -> None:
    orders = Orders()
    sent(orders)
    apply(orders, new())
    apply(orders, trade(exec_id="2;1", last_qty=4, last_px="0.50", cum=4))
    request = orders.replace_request_for("c1", order_qty=d(2), new_cl_ord_id="c2")
    orders.replace_requested(request, now=3.0)
    if form == "35=9":
        changes = orders.apply_cancel_reject(
            cancel_reject(
                "c2",
                "c1",
                status=OrdStatus.PARTIALLY_FILLED,
                reason=CxlRejReason.BROKER_OPTION,
                text="INVALID_AMEND_QTY_FOR_ORDER",
                to=CxlRejResponseTo.ORDER_CANCEL_REPLACE_REQUEST,
            ),
            venue=VENUE,
            now=4.0,
        )
        order = order_of(changes)
    else:
        order = apply(orders, reject("c2", "INVALID_AMEND_QTY_FOR_ORDER", orig_cl_ord_id="c1"))
    assert order.status is OrderStatus.PARTIALLY_FILLED
    assert order.pending is None and order.cl_ord_id == "c1"
    assert order.text == "INVALID_AMEND_QTY_FOR_ORDER"
    assert order.reason == "replace rejected: invalid amend quantity"


def test_cancel_reject_shows_text_and_keeps_working() -> None:
    orders = Orders()
    sent(orders)
    apply(orders, new())
    orders.cancel_requested(orders.cancel_request_for("c1", "c2"), now=2.0)
    changes = orders.apply_cancel_reject(
        cancel_reject("c2", "c1", reason=CxlRejReason.OTHER, text="TRADING_PAUSED"),
        venue=VENUE,
        now=3.0,
    )
    order = order_of(changes)
    assert order.status is OrderStatus.NEW
    assert order.reason == "cancel rejected: market closed or trading paused"


@pytest.mark.parametrize(
    "er",
    [
        # current: a cancel report with the Text
        report(
            ExecType.CANCELED, OrdStatus.CANCELED, exec_id="1;1", leaves=0, text="POST_ONLY_CROSS"
        ),
        # 1.0.13: a reject with 103=99
        reject(text="POST_ONLY_CROSS", reason=OrdRejReason.OTHER),
    ],
    ids=["current-cancel", "1.0.13-reject"],
)
def test_post_only_cross_shown_the_same_in_both_dialects(er: ExecutionReport) -> None:
    orders = Orders()
    sent(orders, post_only=True)
    order = apply(orders, er)
    assert order.status is OrderStatus.REJECTED
    assert order.reason == "post-only would cross"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("INSUFFICIENT_BALANCE", OrdRejReason.ORDER_EXCEEDS_LIMIT),
        ("Insufficient funds", OrdRejReason.OTHER),
    ],
)
def test_insufficient_balance_read_by_text(text: str, code: OrdRejReason) -> None:
    orders = Orders()
    sent(orders)
    order = apply(orders, reject(text=text, reason=code))
    assert (order.status, order.reason) == (OrderStatus.REJECTED, "insufficient balance")


def test_internal_error_is_a_final_reject() -> None:
    orders = Orders()
    sent(orders)
    order = apply(orders, reject(text="INTERNAL_ERROR"))
    assert order.status is OrderStatus.REJECTED
    assert order.reason == "exchange internal error: the order was not placed"


def _unknown_by_er(orders: Orders) -> Order:
    sent(orders)
    order = apply(orders, reject(text="EXCHANGE_UNAVAILABLE"))
    assert order.status is OrderStatus.UNKNOWN
    return order


def test_exchange_unavailable_reject_is_unknown_then_resolved_by_a_report() -> None:
    orders = Orders()
    _unknown_by_er(orders)
    order = apply(orders, new())
    assert order.status is OrderStatus.NEW
    assert order.history[-1].note == "resolved: the order reached the exchange"


def test_business_reject_380_4_by_ref_id_is_unknown() -> None:
    orders = Orders()
    sent(orders)
    bmr = BusinessMessageReject(
        reason=BusinessRejectReason.APPLICATION_NOT_AVAILABLE,
        ref_msg_type="D",
        ref_seq_num=10,
        ref_id="c1",
        text="Kalshi exchange unavailable",
    )
    order = order_of(orders.apply_business_reject(bmr, now=2.0))
    assert order.status is OrderStatus.UNKNOWN


def test_business_reject_found_by_ref_seq_num() -> None:
    orders = Orders()
    sent(orders)
    orders.note_sent("c1", 10)
    bmr = BusinessMessageReject(
        reason=BusinessRejectReason.APPLICATION_NOT_AVAILABLE, ref_msg_type="D", ref_seq_num=10
    )
    assert order_of(orders.apply_business_reject(bmr, now=2.0)).status is OrderStatus.UNKNOWN

    sent(orders, "c2")
    orders.note_sent("c2", 11)
    rate = BusinessMessageReject(
        reason=BusinessRejectReason.RATE_LIMIT_EXCEEDED, ref_msg_type="D", ref_seq_num=11
    )
    order = order_of(orders.apply_business_reject(rate, now=3.0))
    assert (order.status, order.reason) == (OrderStatus.REJECTED, "refused: rate limit exceeded")

    stray = BusinessMessageReject(
        reason=BusinessRejectReason.OTHER, ref_msg_type="D", ref_seq_num=99
    )
    assert isinstance(orders.apply_business_reject(stray, now=4.0)[0], ReportUnmatched)


def test_unknown_resolved_by_cancel_ack_proves_it_was_live() -> None:
    orders = Orders()
    _unknown_by_er(orders)
    request = orders.reconcile_request("c1", "r1")
    assert (request.orig_cl_ord_id, request.symbol) == ("c1", "HIGHNY-23DEC31")
    order = order_of(orders.cancel_requested(request, now=3.0))
    assert order.status is OrderStatus.UNKNOWN
    assert order.pending is not None and order.pending.reconcile
    cancelled = report(
        ExecType.CANCELED, OrdStatus.CANCELED, cl="r1", orig_cl_ord_id="c1", exec_id="4;1", leaves=0
    )
    order = apply(orders, cancelled)
    assert order.status is OrderStatus.CANCELLED


def test_unknown_resolved_by_unknown_order_reject_never_reached() -> None:
    orders = Orders()
    _unknown_by_er(orders)
    orders.cancel_requested(orders.reconcile_request("c1", "r1"), now=3.0)
    changes = orders.apply_cancel_reject(
        cancel_reject(
            "r1",
            "c1",
            status=OrdStatus.REJECTED,
            reason=CxlRejReason.UNKNOWN_ORDER,
            text="Unknown order",
        ),
        venue=VENUE,
        now=4.0,
    )
    order = order_of(changes)
    assert (order.status, order.reason) == (OrderStatus.REJECTED, NEVER_REACHED)


def test_unknown_resolved_by_too_late_reject_takes_its_ord_status() -> None:
    orders = Orders()
    _unknown_by_er(orders)
    orders.cancel_requested(orders.reconcile_request("c1", "r1"), now=3.0)
    changes = orders.apply_cancel_reject(
        cancel_reject("r1", "c1", status=OrdStatus.FILLED, reason=CxlRejReason.TOO_LATE_TO_CANCEL),
        venue=VENUE,
        now=4.0,
    )
    order = order_of(changes)
    assert order.status is OrderStatus.FILLED
    assert order.reason.startswith("reached the exchange; cancel refused")


def test_reconcile_only_for_unknown_and_mark_unknown_respects_the_table() -> None:
    orders = Orders()
    sent(orders)
    with pytest.raises(ValueError, match="not Unknown"):
        orders.reconcile_request("c1")
    order = order_of(orders.mark_unknown("c1", "session lost before any answer", now=2.0))
    assert (order.status, order.reason) == (OrderStatus.UNKNOWN, "session lost before any answer")
    apply(orders, new())
    apply(orders, trade(exec_id="2;1", last_qty=10, last_px="0.5", cum=10))
    order = order_of(orders.mark_unknown("c1", "again", now=3.0))
    assert order.status is OrderStatus.FILLED and not order.history[-1].applied
    with pytest.raises(LookupError):
        orders.mark_unknown("nope", "x", now=1.0)


def test_same_cl_ord_id_may_be_sent_again_only_while_unknown() -> None:
    orders = Orders()
    _unknown_by_er(orders)
    orders.submitted(nos("c1"), venue=VENUE, account=ACCOUNT, now=5.0)
    again = orders.get("c1")
    assert again is not None and again.history[-1].note == "sent again with the same ClOrdID"
    apply(orders, new())
    with pytest.raises(ValueError, match="already used"):
        orders.submitted(nos("c1"), venue=VENUE, account=ACCOUNT, now=6.0)


def test_report_for_an_order_we_did_not_send_is_adopted() -> None:
    orders = Orders()
    order = apply(orders, new("x1", order_id="o7"), healed=True)
    assert order.external and order.healed
    assert (order.status, order.order_id, order.cl_ord_ids) == (OrderStatus.NEW, "o7", ("x1",))
    unmatched = orders.apply_execution_report(
        reject("x9", "INVALID_ORDER", orig_cl_ord_id="nobody"),
        venue=VENUE,
        account=ACCOUNT,
        now=1.0,
    )
    assert isinstance(unmatched[0], ReportUnmatched)
    stray = orders.apply_cancel_reject(cancel_reject("z1", "z0"), venue=VENUE, now=1.0)
    assert isinstance(stray[0], ReportUnmatched)


def test_ioc_remainder_without_cancel_report_is_not_working() -> None:
    orders = Orders()
    sent(orders)
    er = trade(
        exec_id="2;1",
        last_qty=4,
        last_px="0.50",
        cum=4,
        leaves=0,
        ord_status=OrdStatus.PARTIALLY_FILLED,
    )
    assert apply(orders, er).status is OrderStatus.CANCELLED


def test_report_read_from_the_wire() -> None:
    body = new().to_body(PriceFormat.CENTS)
    frame = encode_message("8", [(49, "KalshiNR"), (56, "key"), (34, "5")], body)
    er = ExecutionReport.from_message(parse_frame(frame), PriceFormat.CENTS)
    orders = Orders()
    sent(orders)
    order = apply(orders, er)
    assert (order.status, order.price) == (OrderStatus.NEW, d("0.50"))


def test_replace_from_elsewhere_keeps_our_cancel_pending() -> None:
    orders = Orders()
    sent(orders)
    apply(orders, new())
    orders.cancel_requested(orders.cancel_request_for("c1", "c3"), now=2.0)
    replaced = report(
        ExecType.REPLACED, OrdStatus.NEW, cl="c2", orig_cl_ord_id="c1", exec_id="2;1", qty=5
    )
    order = apply(orders, replaced)
    assert (order.status, order.order_qty, order.cl_ord_id) == (
        OrderStatus.PENDING_CANCEL,
        d(5),
        "c2",
    )
    cancelled = report(
        ExecType.CANCELED,
        OrdStatus.CANCELED,
        cl="c3",
        orig_cl_ord_id="c2",
        exec_id="3;1",
        qty=5,
        leaves=0,
    )
    assert apply(orders, cancelled).status is OrderStatus.CANCELLED


def test_open_orders_follow_every_status_change() -> None:
    """The open-order index the risk check counts stays equal to a scan of every order,
    through acknowledgements, fills, rejects and cancels, per venue and account too."""
    orders = Orders()

    def scanned() -> list[Order]:
        return [o for o in orders if o.is_open]

    for i in range(6):
        sent(orders, f"c{i}")
    assert orders.open_orders() == scanned() and orders.open_count() == 6
    apply(orders, new("c0", order_id="o0"))
    apply(orders, new("c1", order_id="o1"))
    apply(orders, trade("c1", exec_id="3;1", order_id="o1", last_qty=10, last_px="0.50", cum=10))
    apply(orders, reject("c2"))
    apply(orders, report(ExecType.CANCELED, OrdStatus.CANCELED, cl="c3", exec_id="4;1"))
    assert [o.first_cl_ord_id for o in orders.open_orders()] == ["c0", "c4", "c5"]
    assert orders.open_orders() == scanned() and orders.open_count() == 3
    assert orders.open_orders(VENUE, ACCOUNT) == scanned()
    assert orders.open_orders(VENUE, "someone-else") == []
    assert orders.open_orders("another-venue") == []
