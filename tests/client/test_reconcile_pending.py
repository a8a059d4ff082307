"""A cancel or replace of ours that nothing answered is settled by a reconciling cancel, as an
Unknown order is (DECISIONS.md): which orders qualify, and what each answer proves."""

from __future__ import annotations

import pytest

from tests.trading.reports import ACCOUNT, VENUE, d, new, report
from tests.trading.test_orders import apply, cancel_reject, order_of, sent
from workstation.client.reconcile_pending import orders_to_reconcile, unanswered_request
from workstation.fix.messages.enums import CxlRejReason, CxlRejResponseTo, ExecType, OrdStatus
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.orders import Orders


def replace_in_flight(orders: Orders, at: float = 5.0) -> Order:
    """c1 acknowledged (Working), then our replace r1 to 20 contracts, never answered."""
    sent(orders)
    apply(orders, new())
    request = orders.replace_request_for("c1", order_qty=d(20), new_cl_ord_id="r1")
    return order_of(orders.replace_requested(request, now=at))


def reconciling_cancel(orders: Orders, at: float = 20.0) -> Order:
    request = orders.reconcile_request("c1", "x1")
    return order_of(orders.cancel_requested(request, now=at, reconcile=True))


def test_only_requests_sent_before_the_current_logon_are_unanswered() -> None:
    orders = Orders()
    order = replace_in_flight(orders, at=5.0)
    assert order.status is OrderStatus.PENDING_REPLACE
    assert unanswered_request(order, sent_before=6.0)
    assert not unanswered_request(order, sent_before=5.0)  # sent on this connection: wait
    assert orders_to_reconcile(orders, venue=VENUE, account=ACCOUNT, sent_before=6.0) == [order]
    assert orders_to_reconcile(orders, venue=VENUE, account="other", sent_before=6.0) == []
    sent(orders, "c2")
    apply(orders, new("c2", exec_id="1;2", order_id="o2"))  # Working, nothing in flight
    due = orders_to_reconcile(orders, venue=VENUE, account=ACCOUNT, sent_before=6.0)
    assert [o.cl_ord_id for o in due] == ["c1"]
    with pytest.raises(ValueError, match="nothing to reconcile"):
        orders.reconcile_request("c2")


def test_the_reconciling_cancel_acknowledged_proves_it_was_live() -> None:
    orders = Orders()
    replace_in_flight(orders)
    shown = reconciling_cancel(orders)
    assert shown.status is OrderStatus.PENDING_CANCEL and shown.pending is not None
    assert shown.pending.reconcile and shown.pending.cl_ord_id == "x1"
    assert "never came" in shown.history[-1].note
    done = apply(
        orders,
        report(ExecType.CANCELED, OrdStatus.CANCELED, cl="x1", orig_cl_ord_id="c1", exec_id="3;1"),
    )
    assert done.status is OrderStatus.CANCELLED and done.pending is None


def test_refused_with_a_terminal_status_takes_it() -> None:
    orders = Orders()
    replace_in_flight(orders)
    reconciling_cancel(orders)
    reject = cancel_reject(
        "x1", "c1", status=OrdStatus.FILLED, reason=CxlRejReason.TOO_LATE_TO_CANCEL
    )
    done = order_of(orders.apply_cancel_reject(reject, venue=VENUE, now=21.0))
    assert done.status is OrderStatus.FILLED and done.pending is None
    assert done.reason.startswith("reconciled: the exchange reports it Filled")


def test_refused_otherwise_the_order_stands_as_last_confirmed() -> None:
    orders = Orders()
    replace_in_flight(orders)
    reconciling_cancel(orders)
    reject = cancel_reject(
        "x1",
        "c1",
        status=OrdStatus.NEW,
        reason=CxlRejReason.UNKNOWN_ORDER,
        to=CxlRejResponseTo.ORDER_CANCEL_REQUEST,
    )
    done = order_of(orders.apply_cancel_reject(reject, venue=VENUE, now=21.0))
    assert done.status is OrderStatus.NEW and done.pending is None  # not Rejected: it was live
    assert "reconciling cancel refused" in done.reason and done.order_qty == d(10)


def test_a_trader_cancel_is_not_a_reconciling_one() -> None:
    orders = Orders()
    replace_in_flight(orders)
    request = orders.cancel_request_for("c1", "t1")
    shown = order_of(orders.cancel_requested(request, now=20.0))
    assert shown.pending is not None and not shown.pending.reconcile
    reject = cancel_reject("t1", "c1", status=OrdStatus.FILLED)
    done = order_of(orders.apply_cancel_reject(reject, venue=VENUE, now=21.0))
    assert done.status is OrderStatus.NEW and done.reason.startswith("cancel rejected")
