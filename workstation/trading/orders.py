"""The order store: every order we sent or saw reported, found by any of its ClOrdIDs or its
OrderID, and moved by typed messages along the table in ``order_state``.

:class:`Orders` is the one object the trading state keeps; its parts live in their own
modules:

- ``orders_book``: the orders and their indexes, lookups, and how a change is stored;
- ``orders_requests``: what we send — the requests built from an order, and its state while
  one is on its way (a NewOrderSingle, a cancel, a replace, a reconciling cancel, an order
  marked Unknown);
- ``orders_reports``: what the exchange sends — the rules that apply an ExecutionReport, an
  OrderCancelReject or a BusinessMessageReject (SPEC §9.6–§9.10, DECISIONS.md, DESIGN.md
  "Replays"): ExecID order, pending reports, terminal states, both dialects' forms, and how
  an UNKNOWN order is settled.

ClOrdIDs are looked up across venues (we generate UUID4s); OrderIDs per venue.
"""

from __future__ import annotations

from workstation.trading.orders_reports import NEVER_REACHED, OrderReports
from workstation.trading.orders_requests import OrderRequests

__all__ = ["NEVER_REACHED", "Orders"]


class Orders(OrderRequests, OrderReports):
    """Every order, by ClOrdID (any in its chain, and requests in flight) and by OrderID:
    what we send recorded (:class:`OrderRequests`), what the exchange sends applied
    (:class:`OrderReports`)."""
