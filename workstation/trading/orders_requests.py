"""What we send about orders: the requests built from an order, and the order's state once
a request of ours is on its way (SPEC §9.1–§9.4, DECISIONS.md).

- :meth:`OrderRequests.submitted`: a NewOrderSingle makes a new order PENDING_SUBMIT; sent
  again with the ClOrdID of an UNKNOWN order it is the idempotent retry SPEC §9.1 allows.
- :meth:`OrderRequests.cancel_request_for`, :meth:`OrderRequests.replace_request_for`: the
  requests, each with a fresh ClOrdID; :meth:`OrderRequests.cancel_requested` and
  :meth:`OrderRequests.replace_requested` record them sent (the order shows PENDING_CANCEL or
  PENDING_REPLACE until answered).
- :meth:`OrderRequests.reconcile_request`: the cancel that settles an UNKNOWN order, or one
  whose cancel or replace went unanswered (sent with ``reconcile=True``).
- :meth:`OrderRequests.mark_unknown`: a request whose outcome is unknown.
- :meth:`OrderRequests.note_sent`: which request went out with which MsgSeqNum, for a
  BusinessMessageReject that names only its RefSeqNum.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from workstation.fix.messages.enums import TimeInForce
from workstation.fix.messages.orders import (
    NewOrderSingle,
    OrderCancelReplaceRequest,
    OrderCancelRequest,
)
from workstation.trading.changes import Change
from workstation.trading.order import Order, PendingRequest
from workstation.trading.order_state import OrderStatus, PendingKind, can_move
from workstation.trading.orders_book import REQUEST_NAME, OrderBook, order_event
from workstation.trading.records import evolve
from workstation.trading.subaccounts import sub_account_of

__all__ = ["OrderRequests"]

_SEQ_MEMORY = 10_000  # how many sent sequence numbers we remember for 35=j RefSeqNum


class OrderRequests(OrderBook):
    """See the module docstring."""

    @staticmethod
    def new_cl_ord_id() -> str:
        """A fresh ClOrdID: UUID4 text (36 characters, SPEC §9.1)."""
        return str(uuid.uuid4())

    def submitted(
        self, nos: NewOrderSingle, *, venue: str, account: str, now: float
    ) -> list[Change]:
        """We are sending ``nos``: a new order in PENDING_SUBMIT.

        Sending again with the ClOrdID of an UNKNOWN order is the idempotent retry SPEC §9.1
        allows after EXCHANGE_UNAVAILABLE: it is recorded in that order's history.
        """
        known = self.get(nos.cl_ord_id)
        if known is not None:
            if known.status is not OrderStatus.UNKNOWN:
                raise ValueError(
                    f"ClOrdID {nos.cl_ord_id!r} is already used by an order in state "
                    f"{known.status.value}; only an Unknown order may be sent again"
                )
            note = "sent again with the same ClOrdID"
            event = order_event(known, now, "NewOrderSingle", applied=True, note=note)
            return self._note(known, event)
        order = Order(
            venue=venue,
            account=account,
            sub_account=sub_account_of(nos.alloc_account, nos.parties),
            cl_ord_id=nos.cl_ord_id,
            cl_ord_ids=(nos.cl_ord_id,),
            order_id=None,
            symbol=nos.symbol,
            side=nos.side,
            price=nos.price,
            order_qty=nos.order_qty,
            leaves_qty=nos.order_qty,
            time_in_force=nos.time_in_force,
            expire_time=nos.expire_time,
            post_only=nos.post_only,
            self_trade_prevention=nos.self_trade_prevention,
            order_group_id=nos.order_group_id,
            alloc_account=nos.alloc_account,
            parties=nos.parties,
            status=OrderStatus.PENDING_SUBMIT,
            confirmed_status=OrderStatus.PENDING_SUBMIT,
            created_at=now,
            updated_at=now,
        )
        event = order_event(
            order, now, "NewOrderSingle", applied=True, note="sent", cl_ord_id=nos.cl_ord_id
        )
        return self._store(evolve(order, history=(event,)))

    def note_sent(self, cl_ord_id: str, seq_num: int) -> None:
        """Remember which request went out with ``seq_num`` (for a 35=j that names RefSeqNum)."""
        self._sent_seq[seq_num] = cl_ord_id
        if len(self._sent_seq) > _SEQ_MEMORY:
            del self._sent_seq[next(iter(self._sent_seq))]

    def cancel_request_for(
        self, cl_ord_id: str, new_cl_ord_id: str | None = None
    ) -> OrderCancelRequest:
        """The OrderCancelRequest for an order (any of its ClOrdIDs), with a fresh ClOrdID."""
        order = self._require(cl_ord_id)
        return OrderCancelRequest(
            cl_ord_id=new_cl_ord_id or self.new_cl_ord_id(),
            orig_cl_ord_id=order.cl_ord_id,
            symbol=order.symbol,
            side=order.side,
            order_id=order.order_id,
            alloc_account=order.alloc_account,
            parties=order.parties,
        )

    def replace_request_for(
        self,
        cl_ord_id: str,
        *,
        order_qty: Decimal,
        price: Decimal | None = None,
        time_in_force: TimeInForce | None = None,
        expire_time: float | None = None,
        new_cl_ord_id: str | None = None,
    ) -> OrderCancelReplaceRequest:
        """The OrderCancelReplaceRequest: ``order_qty`` is the new total (fills included)."""
        order = self._require(cl_ord_id)
        return OrderCancelReplaceRequest(
            cl_ord_id=new_cl_ord_id or self.new_cl_ord_id(),
            orig_cl_ord_id=order.cl_ord_id,
            symbol=order.symbol,
            side=order.side,
            order_qty=order_qty,
            price=price,
            order_id=order.order_id,
            time_in_force=time_in_force,
            expire_time=expire_time,
            alloc_account=order.alloc_account,
            parties=order.parties,
        )

    def reconcile_request(
        self, cl_ord_id: str, new_cl_ord_id: str | None = None
    ) -> OrderCancelRequest:
        """The cancel that settles an UNKNOWN order, or one whose own cancel or replace went
        unanswered (DECISIONS.md); send it, then call :meth:`cancel_requested` with it and
        ``reconcile=True``."""
        order = self._require(cl_ord_id)
        ours = order.pending is not None and order.pending.sent_at is not None
        live = order.confirmed_status.is_live
        if order.status is not OrderStatus.UNKNOWN and not (ours and live):
            raise ValueError(
                f"order {cl_ord_id!r} is {order.status.value}, not Unknown and no request of "
                "ours is in flight: nothing to reconcile"
            )
        return self.cancel_request_for(cl_ord_id, new_cl_ord_id)

    def cancel_requested(
        self, request: OrderCancelRequest, *, now: float, reconcile: bool = False
    ) -> list[Change]:
        """We are sending ``request``: the order shows PENDING_CANCEL until it is answered.
        ``reconcile``: it is sent to settle the order (see :meth:`reconcile_request`)."""
        order = self._require(request.orig_cl_ord_id)
        self._root.setdefault(request.cl_ord_id, order.first_cl_ord_id)
        pending = PendingRequest(
            kind=PendingKind.CANCEL,
            cl_ord_id=request.cl_ord_id,
            sent_at=now,
            reconcile=reconcile or order.confirmed_status is OrderStatus.UNKNOWN,
        )
        if reconcile and order.pending is not None and order.confirmed_status.is_live:
            what = REQUEST_NAME[order.pending.kind]
            note = f"sent to reconcile: the answer to our {what} never came"
            event = order_event(
                order,
                now,
                "OrderCancelRequest",
                applied=True,
                note=note,
                cl_ord_id=pending.cl_ord_id,
            )
            return self._move(order, event, pending=pending)
        return self._request_sent(order, pending, "OrderCancelRequest", now)

    def replace_requested(self, request: OrderCancelReplaceRequest, *, now: float) -> list[Change]:
        """We are sending ``request``: the order shows PENDING_REPLACE until it is answered."""
        order = self._require(request.orig_cl_ord_id)
        self._root.setdefault(request.cl_ord_id, order.first_cl_ord_id)
        pending = PendingRequest(
            kind=PendingKind.REPLACE,
            cl_ord_id=request.cl_ord_id,
            order_qty=request.order_qty,
            price=request.price,
            sent_at=now,
        )
        return self._request_sent(order, pending, "OrderCancelReplaceRequest", now)

    def _request_sent(
        self, order: Order, pending: PendingRequest, what: str, now: float
    ) -> list[Change]:
        event = order_event(
            order, now, what, applied=True, note="sent", cl_ord_id=pending.cl_ord_id
        )
        if order.status.is_terminal:
            note = f"sent while the order is {order.status.value}"
            return self._note(order, evolve(event, applied=False, note=note))
        return self._move(order, event, pending=pending)

    def mark_unknown(self, cl_ord_id: str, reason: str, *, now: float) -> list[Change]:
        """The outcome of a request is unknown (e.g. the session dropped before any answer)."""
        order = self._require(cl_ord_id)
        event = order_event(
            order, now, "marked unknown", applied=True, note=reason, cl_ord_id=cl_ord_id
        )
        if not can_move(order.confirmed_status, OrderStatus.UNKNOWN):
            note = f"not marked unknown: the order is {order.status.value}"
            return self._note(order, evolve(event, applied=False, note=note))
        return self._move(order, event, confirmed=OrderStatus.UNKNOWN, reason=reason)
