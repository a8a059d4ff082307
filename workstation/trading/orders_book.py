"""The order book under :class:`~workstation.trading.orders.Orders`: every order we sent or
saw reported, found by any of its ClOrdIDs (the chain, and requests in flight) or its OrderID,
and how a change is stored.

:class:`OrderBook` keeps the orders and their indexes; :meth:`OrderBook._move` is the one way
an order changes state (a new confirmed status and/or request in flight, with the event in
its history), :meth:`OrderBook._note` records an event that was not applied. What we send
(``orders_requests``) and what the exchange sends (``orders_reports``) are built on it.

ClOrdIDs are looked up across venues (we generate UUID4s); OrderIDs per venue.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from workstation.fix.messages.execution import ExecutionReport
from workstation.trading.changes import Change, OrderChanged
from workstation.trading.order import Order, OrderEvent, PendingRequest
from workstation.trading.order_state import OrderStatus, PendingKind, shown_status
from workstation.trading.records import evolve

__all__ = ["REQUEST_NAME", "OrderBook", "order_event"]

#: How a cancel or replace is named in notes and reasons.
REQUEST_NAME = {PendingKind.CANCEL: "cancel", PendingKind.REPLACE: "replace"}


def order_event(
    order: Order,
    now: float,
    what: str,
    *,
    applied: bool,
    note: str = "",
    er: ExecutionReport | None = None,
    cl_ord_id: str | None = None,
    text: str | None = None,
    healed: bool = False,
    status: OrderStatus | None = None,
) -> OrderEvent:
    """The history entry for ``what`` on ``order`` at ``now`` (the ExecutionReport's ExecID,
    ClOrdID and Text when it is one)."""
    return OrderEvent(
        at=now,
        what=what,
        status=order.status if status is None else status,
        applied=applied,
        note=note,
        exec_id=None if er is None else er.exec_id,
        cl_ord_id=cl_ord_id if er is None else er.cl_ord_id,
        text=text if er is None else er.text,
        healed=healed,
    )


class OrderBook:
    """Every order, by ClOrdID (any in its chain, and requests in flight) and by OrderID."""

    def __init__(self) -> None:
        self._orders: dict[str, Order] = {}  # root ClOrdID -> order
        self._open: dict[str, Order] = {}  # root ClOrdID -> order, those not terminal
        self._root: dict[str, str] = {}  # any ClOrdID -> root ClOrdID
        self._by_order_id: dict[tuple[str, str], str] = {}  # (venue, OrderID) -> root
        self._sent_seq: dict[int, str] = {}  # MsgSeqNum -> ClOrdID we sent with it

    def get(self, cl_ord_id: str) -> Order | None:
        """The order that carries or carried ``cl_ord_id`` (or has a request with it in flight)."""
        root = self._root.get(cl_ord_id)
        return None if root is None else self._orders[root]

    def by_order_id(self, venue: str, order_id: str) -> Order | None:
        root = self._by_order_id.get((venue, order_id))
        return None if root is None else self._orders[root]

    def __iter__(self) -> Iterator[Order]:
        return iter(self._orders.values())

    def __len__(self) -> int:
        return len(self._orders)

    def open_orders(self, venue: str | None = None, account: str | None = None) -> list[Order]:
        """Orders not in a terminal state (what a max-open-orders limit counts); kept as they
        change, so this costs the open orders, not every order of the day."""
        if venue is None and account is None:
            return list(self._open.values())
        return [
            o
            for o in self._open.values()
            if (venue is None or o.venue == venue) and (account is None or o.account == account)
        ]

    def open_count(self) -> int:
        """How many orders are not in a terminal state."""
        return len(self._open)

    def with_status(self, status: OrderStatus) -> list[Order]:
        return [o for o in self._orders.values() if o.status is status]

    def _find(
        self, venue: str, *cl_ord_ids: str | None, order_id: str | None = None
    ) -> Order | None:
        for cl_ord_id in cl_ord_ids:
            if cl_ord_id is not None:
                root = self._root.get(cl_ord_id)
                if root is not None:
                    return self._orders[root]
        if order_id is not None and order_id != "NONE":
            return self.by_order_id(venue, order_id)
        return None

    def _require(self, cl_ord_id: str) -> Order:
        order = self.get(cl_ord_id)
        if order is None:
            raise LookupError(f"no order has ClOrdID {cl_ord_id!r}")
        return order

    def _store(self, order: Order, *extra_ids: str) -> list[Change]:
        root = order.first_cl_ord_id
        self._orders[root] = order
        if order.is_open:
            self._open[root] = order
        else:
            self._open.pop(root, None)
        for cl_ord_id in (*order.cl_ord_ids, *extra_ids):
            self._root.setdefault(cl_ord_id, root)
        if order.order_id is not None:
            self._by_order_id.setdefault((order.venue, order.order_id), root)
        return [OrderChanged(order=order)]

    def _move(
        self,
        order: Order,
        event: OrderEvent,
        *,
        confirmed: OrderStatus | None = None,
        pending: PendingRequest | bool | None = False,
        **fields: Any,
    ) -> list[Change]:
        """Store ``order`` with a new confirmed status and/or request in flight, and ``event``.

        ``pending=False`` keeps the request in flight; ``None`` drops it. A terminal status
        drops it too.
        """
        new_confirmed = order.confirmed_status if confirmed is None else confirmed
        new_pending = order.pending if pending is False else pending
        assert new_pending is None or isinstance(new_pending, PendingRequest)
        if new_confirmed.is_terminal:
            new_pending = None
        status = shown_status(new_confirmed, None if new_pending is None else new_pending.kind)
        event = evolve(event, status=status)
        updated = evolve(
            order,
            confirmed_status=new_confirmed,
            pending=new_pending,
            status=status,
            updated_at=event.at,
            history=(*order.history, event),
            **fields,
        )
        return self._store(updated)

    def _note(self, order: Order, event: OrderEvent, **fields: Any) -> list[Change]:
        """Record ``event`` (not applied) in the order's history; ``fields`` may update text."""
        updated = evolve(order, updated_at=event.at, history=(*order.history, event), **fields)
        return self._store(updated)
