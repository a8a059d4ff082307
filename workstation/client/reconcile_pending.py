"""Which orders the desk must reconcile once its order session is up (DECISIONS.md).

Two kinds of order have an outcome the desk cannot know without asking:

- an order shown *Unknown — reconciling*: a NewOrderSingle never answered (the connection
  dropped, the workstation died, or EXCHANGE_UNAVAILABLE);
- an order with a cancel or a replace of ours in flight that was sent on an earlier
  connection of the order session, or before the workstation restarted, and that nothing has
  answered since. KalshiRT resends the answer and drop copy replays an acknowledgement, which
  settle most of them during the grace period; what neither can bring back (a refusal — an
  OrderCancelReject, or a reject without an ExecID on 1.0.13 — on KalshiNR, or a request
  that never reached the venue) would leave the order *Pending* for good.

Both are settled the same way, by a cancel request whose answer proves the state
(``trading.orders``): the Desk sends one per order per connection, after the grace period
and once drop copy has replayed what it owes. The replace itself is never sent again: only
the trader may ask for that.
"""

from __future__ import annotations

from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.orders import Orders

__all__ = ["orders_to_reconcile", "unanswered_request"]


def unanswered_request(order: Order, *, sent_before: float) -> bool:
    """Whether ``order``, live as last confirmed, has a cancel or replace of ours in flight that
    was sent before ``sent_before`` (the order session's current logon)."""
    pending = order.pending
    return (
        pending is not None
        and pending.sent_at is not None
        and pending.sent_at < sent_before
        and order.confirmed_status.is_live
    )


def orders_to_reconcile(
    orders: Orders, *, venue: str, account: str, sent_before: float
) -> list[Order]:
    """The orders of ``venue`` and ``account`` sent from this desk that need a reconciling
    cancel now: every Unknown one, and every one with an unanswered request of ours (see
    the module docstring), oldest first."""
    found = [
        order
        for order in orders.open_orders(venue, account)
        if not order.external
        and (
            order.status is OrderStatus.UNKNOWN
            or unanswered_request(order, sent_before=sent_before)
        )
    ]
    return sorted(found, key=lambda order: order.created_at)
