"""The order store: every order we sent or saw reported, found by any of its ClOrdIDs or its
OrderID, and moved by typed messages along the table in ``order_state``.

Rules (SPEC §9.6–§9.10, DECISIONS.md, DESIGN.md "Replays"):

- Reports with a real ExecID apply in ExecID order: one no newer than the newest applied to
  the order is kept in its history only, so a replayed New after a Fill never rolls it back.
- Pending reports (ExecID ``-1;-1``) only move PENDING states; rejects carry no valid ExecID
  and answer the request whose ClOrdID they carry.
- Terminal states stay terminal.
- Both dialect forms are read the same: EXCHANGE_UNAVAILABLE (an ER reject or a
  BusinessMessageReject 380=4) makes a new order UNKNOWN; INTERNAL_ERROR rejects it;
  POST_ONLY_CROSS, as a cancel (current) or a reject (1.0.13), is shown as a REJECTED order
  with the reason "post-only would cross" (it was never placed); an amend or cancel failure,
  as a 35=9 or an ER reject, leaves the order in its last good state with the text shown;
  OrdStatus 0, 1 or 5 on a Replaced report; INSUFFICIENT_BALANCE by its Text.
- An UNKNOWN order is resolved by any report for it; otherwise :meth:`Orders.reconcile_request`
  builds the cancel to send (then :meth:`Orders.cancel_requested` records it): a cancel
  acknowledgement proves it was live, an OrderCancelReject "unknown order" proves it never
  reached the exchange (→ REJECTED), any other 35=9 proves it did and its OrdStatus says how
  it stands.
- A cancel or replace of ours that nothing answered (sent on an earlier connection, or
  before a restart) is settled the same way: a reconciling cancel (``reconcile=True``) whose
  acknowledgement proves the order was live and now is not; refused, the order keeps its
  last confirmed state, or takes the terminal OrdStatus the 35=9 reports.

ClOrdIDs are looked up across venues (we generate UUID4s); OrderIDs per venue.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import (
    BusinessRejectReason,
    CxlRejReason,
    CxlRejResponseTo,
    ExecType,
    OrdStatus,
    TimeInForce,
)
from workstation.fix.messages.execution import ExecutionReport, OrderCancelReject
from workstation.fix.messages.orders import (
    NewOrderSingle,
    OrderCancelReplaceRequest,
    OrderCancelRequest,
)
from workstation.trading.changes import Change, OrderChanged, ReportUnmatched
from workstation.trading.order import Order, OrderEvent, PendingRequest
from workstation.trading.order_state import (
    OrderStatus,
    PendingKind,
    can_move,
    reported_status,
    shown_status,
    status_of,
)
from workstation.trading.reasons import Cause, cause_of, explain
from workstation.trading.records import evolve
from workstation.trading.subaccounts import sub_account_of

__all__ = ["NEVER_REACHED", "Orders"]

NEVER_REACHED = "never reached the exchange"
_SEQ_MEMORY = 10_000  # how many sent sequence numbers we remember for 35=j RefSeqNum
_UNANSWERED = frozenset({OrderStatus.PENDING_SUBMIT, OrderStatus.PENDING_NEW, OrderStatus.UNKNOWN})
_PENDING_OF_EXEC_TYPE = {
    ExecType.PENDING_CANCEL: PendingKind.CANCEL,
    ExecType.PENDING_REPLACE: PendingKind.REPLACE,
}
_PENDING_OF_ORD_STATUS = {
    OrdStatus.PENDING_CANCEL: PendingKind.CANCEL,
    OrdStatus.PENDING_REPLACE: PendingKind.REPLACE,
}
_REQUEST_NAME = {PendingKind.CANCEL: "cancel", PendingKind.REPLACE: "replace"}


def _event(
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


_REPORT_NAMES = {t: f"ExecutionReport {t.name.replace('_', ' ').title()}" for t in ExecType}


def _report_name(er: ExecutionReport) -> str:
    return _REPORT_NAMES[er.exec_type]


def _chain(order: Order, *ids: str | None) -> tuple[str, ...]:
    chain = order.cl_ord_ids
    for cl_ord_id in ids:
        if cl_ord_id is not None and cl_ord_id not in chain:
            chain = (*chain, cl_ord_id)
    return chain


class Orders:
    """Every order, by ClOrdID (any in its chain, and requests in flight) and by OrderID."""

    def __init__(self) -> None:
        self._orders: dict[str, Order] = {}  # root ClOrdID -> order
        self._open: dict[str, Order] = {}  # root ClOrdID -> order, those not terminal
        self._root: dict[str, str] = {}  # any ClOrdID -> root ClOrdID
        self._by_order_id: dict[tuple[str, str], str] = {}  # (venue, OrderID) -> root
        self._sent_seq: dict[int, str] = {}  # MsgSeqNum -> ClOrdID we sent with it

    # -- lookups ---------------------------------------------------------------------------

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

    # -- what we send ----------------------------------------------------------------------

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
            return self._note(known, _event(known, now, "NewOrderSingle", applied=True, note=note))
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
        event = _event(
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
            what = _REQUEST_NAME[order.pending.kind]
            note = f"sent to reconcile: the answer to our {what} never came"
            event = _event(
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
        event = _event(order, now, what, applied=True, note="sent", cl_ord_id=pending.cl_ord_id)
        if order.status.is_terminal:
            note = f"sent while the order is {order.status.value}"
            return self._note(order, evolve(event, applied=False, note=note))
        return self._move(order, event, pending=pending)

    def mark_unknown(self, cl_ord_id: str, reason: str, *, now: float) -> list[Change]:
        """The outcome of a request is unknown (e.g. the session dropped before any answer)."""
        order = self._require(cl_ord_id)
        event = _event(order, now, "marked unknown", applied=True, note=reason, cl_ord_id=cl_ord_id)
        if not can_move(order.confirmed_status, OrderStatus.UNKNOWN):
            note = f"not marked unknown: the order is {order.status.value}"
            return self._note(order, evolve(event, applied=False, note=note))
        return self._move(order, event, confirmed=OrderStatus.UNKNOWN, reason=reason)

    # -- what the exchange sends -----------------------------------------------------------

    def apply_execution_report(
        self, er: ExecutionReport, *, venue: str, account: str, now: float, healed: bool = False
    ) -> list[Change]:
        """Apply one ExecutionReport (live, resent, or replayed by drop copy with ``healed``)."""
        order = self._find(venue, er.cl_ord_id, er.orig_cl_ord_id, order_id=er.order_id)
        if order is None:
            if er.exec_type is ExecType.REJECTED and er.orig_cl_ord_id is not None:
                # A refused request on an order we never saw: nothing to show it against.
                return [
                    ReportUnmatched(
                        what="ExecutionReport Rejected",
                        reference=er.orig_cl_ord_id,
                        text=er.text or "",
                    )
                ]
            order = self._adopt(er, venue, account, now, healed)
        if er.order_id is not None and order.order_id is None:
            order = evolve(order, order_id=er.order_id)
        if er.exec_type is ExecType.REJECTED:
            return self._on_reject(order, er, now, healed)
        if er.exec_id is None or er.exec_id.is_pending:
            return self._on_pending(order, er, now, healed)
        return self._on_report(order, er, now, healed)

    def _adopt(
        self, er: ExecutionReport, venue: str, account: str, now: float, healed: bool
    ) -> Order:
        """A report for an order we did not send (another session, a listener, a replay)."""
        ids = tuple(i for i in (er.orig_cl_ord_id, er.cl_ord_id) if i is not None)
        return Order(
            venue=venue,
            account=account,
            sub_account=sub_account_of(er.alloc_account, er.parties),
            cl_ord_id=ids[0],
            cl_ord_ids=ids[:1],
            order_id=er.order_id,
            symbol=er.symbol,
            side=er.side,
            price=er.price,
            order_qty=er.order_qty,
            leaves_qty=er.leaves_qty,
            time_in_force=er.time_in_force,
            expire_time=er.expire_time,
            self_trade_prevention=er.self_trade_prevention,
            alloc_account=er.alloc_account,
            parties=er.parties,
            status=OrderStatus.PENDING_SUBMIT,
            confirmed_status=OrderStatus.PENDING_SUBMIT,
            healed=healed,
            external=True,
            created_at=now,
            updated_at=now,
        )

    def _on_report(
        self, order: Order, er: ExecutionReport, now: float, healed: bool
    ) -> list[Change]:
        assert er.exec_id is not None
        what = _report_name(er)
        event = _event(order, now, what, applied=True, er=er, healed=healed)
        if order.last_exec_id is not None and er.exec_id <= order.last_exec_id:
            note = f"older than {order.last_exec_id}, the newest applied: kept in history only"
            return self._note(order, evolve(event, applied=False, note=note))
        target = reported_status(
            er.exec_type, er.ord_status, er.cum_qty, er.leaves_qty, er.order_qty
        )
        cause = cause_of(er.text)
        if cause is Cause.POST_ONLY_CROSS and target is OrderStatus.CANCELLED:
            target = OrderStatus.REJECTED  # never placed; same result as the 1.0.13 reject
        if not can_move(order.confirmed_status, target):
            note = f"{order.status.value} → {target.value} is not allowed: kept in history only"
            return self._note(order, evolve(event, applied=False, note=note))

        if order.confirmed_status is OrderStatus.UNKNOWN:
            event = evolve(event, note="resolved: the order reached the exchange")
        pending: PendingRequest | bool | None = False
        if er.exec_type is ExecType.REPLACED:  # answers a replace; a cancel may still be out
            replacing = order.pending is not None and order.pending.kind is PendingKind.REPLACE
            pending = None if replacing else False
        elif order.pending is None and er.ord_status in _PENDING_OF_ORD_STATUS:
            pending = PendingRequest(kind=_PENDING_OF_ORD_STATUS[er.ord_status], cl_ord_id=None)
        return self._move(
            order,
            event,
            confirmed=target,
            pending=pending,
            cl_ord_id=er.cl_ord_id,
            cl_ord_ids=_chain(order, er.orig_cl_ord_id, er.cl_ord_id),
            order_id=er.order_id or order.order_id,
            price=order.price if er.price is None else er.price,
            order_qty=er.order_qty,
            cum_qty=er.cum_qty,
            leaves_qty=er.leaves_qty,
            avg_px=er.avg_px,
            time_in_force=er.time_in_force or order.time_in_force,
            expire_time=order.expire_time if er.expire_time is None else er.expire_time,
            text=er.text,
            reason=explain(er.text) if er.text else "",
            healed=order.healed or healed,
            last_exec_id=er.exec_id,
        )

    def _on_pending(
        self, order: Order, er: ExecutionReport, now: float, healed: bool
    ) -> list[Change]:
        event = _event(order, now, _report_name(er), applied=True, er=er, healed=healed)
        kind = _PENDING_OF_EXEC_TYPE.get(er.exec_type)
        if er.exec_type is ExecType.PENDING_NEW:
            if not can_move(order.confirmed_status, OrderStatus.PENDING_NEW):
                note = f"PendingNew after {order.status.value}: kept in history only"
                return self._note(order, evolve(event, applied=False, note=note))
            return self._move(order, event, confirmed=OrderStatus.PENDING_NEW, reason="")
        if kind is None:
            note = "a pending ExecID on a report that is not pending: kept in history only"
            return self._note(order, evolve(event, applied=False, note=note))
        if order.confirmed_status.is_terminal:
            note = f"pending {_REQUEST_NAME[kind]} after {order.status.value}: kept in history only"
            return self._note(order, evolve(event, applied=False, note=note))
        if order.pending is not None and order.pending.kind is kind:
            return self._move(order, event)  # our own request, acknowledged as pending
        request = PendingRequest(kind=kind, cl_ord_id=er.cl_ord_id)
        self._root.setdefault(er.cl_ord_id, order.first_cl_ord_id)
        return self._move(order, event, pending=request)

    def _on_reject(
        self, order: Order, er: ExecutionReport, now: float, healed: bool
    ) -> list[Change]:
        event = _event(order, now, _report_name(er), applied=True, er=er, healed=healed)
        cause = cause_of(er.text)
        pending = order.pending
        if pending is not None and pending.cl_ord_id == er.cl_ord_id:
            return self._request_failed(order, event, er.text, cause)
        if er.cl_ord_id == order.first_cl_ord_id and order.confirmed_status in _UNANSWERED:
            return self._submission_refused(order, event, er.text, cause)
        if er.cl_ord_id not in order.cl_ord_ids and er.orig_cl_ord_id in order.cl_ord_ids:
            # An amend or cancel we did not track (1.0.13 form): show it against the order.
            note = f"a request on this order was refused: {explain(er.text, 'rejected')}"
            return self._note(order, evolve(event, applied=False, note=note), text=er.text)
        note = f"refused: {explain(er.text, 'rejected')}; the order is unchanged"
        return self._note(order, evolve(event, applied=False, note=note), text=er.text)

    def _submission_refused(
        self, order: Order, event: OrderEvent, text: str | None, cause: Cause
    ) -> list[Change]:
        """The NewOrderSingle was refused (ER reject or BusinessMessageReject)."""
        if cause is Cause.OUTCOME_UNKNOWN:
            return self._move(
                order, event, confirmed=OrderStatus.UNKNOWN, text=text, reason=cause.value
            )
        if cause is Cause.DUPLICATE and order.confirmed_status is OrderStatus.UNKNOWN:
            reason = "the exchange already has this ClOrdID: the order reached it; reconciling"
            return self._move(order, evolve(event, note=reason), text=text, reason=reason)
        return self._move(
            order,
            event,
            confirmed=OrderStatus.REJECTED,
            text=text,
            reason=explain(text, "rejected"),
        )

    def _request_failed(
        self,
        order: Order,
        event: OrderEvent,
        text: str | None,
        cause: Cause,
        *,
        unknown_order: bool = False,
        ord_status: OrdStatus | None = None,
    ) -> list[Change]:
        """A cancel or replace we had in flight failed."""
        pending = order.pending
        kind = PendingKind.CANCEL if pending is None else pending.kind
        name = _REQUEST_NAME[kind]
        if order.confirmed_status is OrderStatus.UNKNOWN:
            if unknown_order or cause is Cause.UNKNOWN_ORDER:
                return self._move(
                    order,
                    evolve(event, note=NEVER_REACHED),
                    confirmed=OrderStatus.REJECTED,
                    pending=None,
                    text=text,
                    reason=NEVER_REACHED,
                )
            # Anything else proves it reached the exchange; its 35=9 OrdStatus says how it is.
            found = None if ord_status is None else status_of(ord_status)
            reason = f"reached the exchange; {name} refused: {explain(text, 'no reason given')}"
            if found is not None and can_move(order.confirmed_status, found):
                return self._move(
                    order,
                    evolve(event, note=reason),
                    confirmed=found,
                    pending=None,
                    text=text,
                    reason=reason,
                )
            return self._move(
                order, evolve(event, note=reason), pending=None, text=text, reason=reason
            )
        if pending is not None and pending.reconcile:
            # Our reconciling cancel was refused: the order is as last confirmed, unless the
            # 35=9 says it has ended (filled, cancelled, expired) meanwhile.
            found = None if ord_status is None else status_of(ord_status)
            refused = explain(text, "no reason given")
            if found is not None and found.is_terminal and can_move(order.confirmed_status, found):
                reason = f"reconciled: the exchange reports it {found.value} ({refused})"
                return self._move(
                    order,
                    evolve(event, note=reason),
                    confirmed=found,
                    pending=None,
                    text=text,
                    reason=reason,
                )
            reason = f"reconciling cancel refused: {refused}; the order stands as last confirmed"
            return self._move(
                order, evolve(event, note=reason), pending=None, text=text, reason=reason
            )
        reason = f"{name} rejected: {explain(text, 'no reason given')}"
        return self._move(order, evolve(event, note=reason), pending=None, text=text, reason=reason)

    def apply_cancel_reject(
        self, reject: OrderCancelReject, *, venue: str, now: float
    ) -> list[Change]:
        """A cancel or replace failed (35=9): the order keeps its last good state."""
        order = self._find(venue, reject.cl_ord_id, reject.orig_cl_ord_id, order_id=reject.order_id)
        if order is None:
            return [
                ReportUnmatched(
                    what="OrderCancelReject",
                    reference=reject.orig_cl_ord_id or reject.cl_ord_id,
                    text=reject.text or "",
                )
            ]
        cause = cause_of(reject.text)
        unknown_order = cause is Cause.UNKNOWN_ORDER or (
            reject.reason is CxlRejReason.UNKNOWN_ORDER and cause is not Cause.MISMATCH
        )
        if order.pending is None:
            kind = (
                PendingKind.REPLACE
                if reject.response_to is CxlRejResponseTo.ORDER_CANCEL_REPLACE_REQUEST
                else PendingKind.CANCEL
            )
            order = evolve(order, pending=PendingRequest(kind=kind, cl_ord_id=reject.cl_ord_id))
        event = _event(
            order,
            now,
            "OrderCancelReject",
            applied=True,
            cl_ord_id=reject.cl_ord_id,
            text=reject.text,
        )
        return self._request_failed(
            order,
            event,
            reject.text,
            cause,
            unknown_order=unknown_order,
            ord_status=reject.ord_status,
        )

    def apply_business_reject(self, reject: BusinessMessageReject, *, now: float) -> list[Change]:
        """A BusinessMessageReject (35=j) for a D, F or G, found by RefID (379) or RefSeqNum (45).

        380=4 (1.0.13 "exchange unavailable") or an "exchange unavailable" Text on a
        NewOrderSingle makes the order UNKNOWN; any other refusal of a NewOrderSingle rejects
        it; a refused cancel or replace leaves the order in its last good state.
        """
        cl_ord_id = reject.ref_id
        if cl_ord_id is None or self.get(cl_ord_id) is None:
            seq_id = None if reject.ref_seq_num is None else self._sent_seq.get(reject.ref_seq_num)
            cl_ord_id = seq_id or cl_ord_id
        order = None if cl_ord_id is None else self.get(cl_ord_id)
        if order is None or cl_ord_id is None:
            reference = cl_ord_id or f"MsgSeqNum {reject.ref_seq_num}"
            return [
                ReportUnmatched(
                    what="BusinessMessageReject", reference=reference, text=reject.text or ""
                )
            ]
        cause = cause_of(reject.text)
        if reject.reason is BusinessRejectReason.APPLICATION_NOT_AVAILABLE:
            cause = Cause.OUTCOME_UNKNOWN
        event = _event(
            order, now, "BusinessMessageReject", applied=True, cl_ord_id=cl_ord_id, text=reject.text
        )
        text = reject.text or f"refused: {reject.reason.name.replace('_', ' ').lower()}"
        if order.pending is not None and order.pending.cl_ord_id == cl_ord_id:
            return self._request_failed(order, event, text, cause)
        if cl_ord_id == order.first_cl_ord_id and order.confirmed_status in _UNANSWERED:
            return self._submission_refused(order, event, text, cause)
        note = f"refused: {explain(text)}; the order is unchanged"
        return self._note(order, evolve(event, applied=False, note=note), text=text)
