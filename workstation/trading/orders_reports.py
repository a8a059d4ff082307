"""What the exchange sends about orders: the rules that apply a report to the order book
(SPEC §9.6–§9.10, DECISIONS.md, DESIGN.md "Replays").

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
- An UNKNOWN order is resolved by any report for it; the answer to its reconciling cancel
  settles it: a cancel acknowledgement proves it was live, an OrderCancelReject "unknown
  order" proves it never reached the exchange (→ REJECTED, :data:`NEVER_REACHED`), any other
  35=9 proves it did and its OrdStatus says how it stands.
- A reconciling cancel for a cancel or replace of ours that nothing answered: its
  acknowledgement proves the order was live and now is not; refused, the order keeps its
  last confirmed state, or takes the terminal OrdStatus the 35=9 reports.
- A report for an order we did not send (another session, a listener, a replay) adopts it.
"""

from __future__ import annotations

from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import (
    BusinessRejectReason,
    CxlRejReason,
    CxlRejResponseTo,
    ExecType,
    OrdStatus,
)
from workstation.fix.messages.execution import ExecutionReport, OrderCancelReject
from workstation.trading.changes import Change, ReportUnmatched
from workstation.trading.order import Order, OrderEvent, PendingRequest
from workstation.trading.order_state import (
    OrderStatus,
    PendingKind,
    can_move,
    reported_status,
    status_of,
)
from workstation.trading.orders_book import REQUEST_NAME, OrderBook, order_event
from workstation.trading.reasons import Cause, cause_of, explain
from workstation.trading.records import evolve
from workstation.trading.subaccounts import sub_account_of

__all__ = ["NEVER_REACHED", "OrderReports"]

NEVER_REACHED = "never reached the exchange"
_UNANSWERED = frozenset({OrderStatus.PENDING_SUBMIT, OrderStatus.PENDING_NEW, OrderStatus.UNKNOWN})
_PENDING_OF_EXEC_TYPE = {
    ExecType.PENDING_CANCEL: PendingKind.CANCEL,
    ExecType.PENDING_REPLACE: PendingKind.REPLACE,
}
_PENDING_OF_ORD_STATUS = {
    OrdStatus.PENDING_CANCEL: PendingKind.CANCEL,
    OrdStatus.PENDING_REPLACE: PendingKind.REPLACE,
}

_REPORT_NAMES = {t: f"ExecutionReport {t.name.replace('_', ' ').title()}" for t in ExecType}


def _report_name(er: ExecutionReport) -> str:
    return _REPORT_NAMES[er.exec_type]


def _chain(order: Order, *ids: str | None) -> tuple[str, ...]:
    chain = order.cl_ord_ids
    for cl_ord_id in ids:
        if cl_ord_id is not None and cl_ord_id not in chain:
            chain = (*chain, cl_ord_id)
    return chain


class OrderReports(OrderBook):
    """See the module docstring."""

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
        event = order_event(order, now, what, applied=True, er=er, healed=healed)
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
        event = order_event(order, now, _report_name(er), applied=True, er=er, healed=healed)
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
            note = f"pending {REQUEST_NAME[kind]} after {order.status.value}: kept in history only"
            return self._note(order, evolve(event, applied=False, note=note))
        if order.pending is not None and order.pending.kind is kind:
            return self._move(order, event)  # our own request, acknowledged as pending
        request = PendingRequest(kind=kind, cl_ord_id=er.cl_ord_id)
        self._root.setdefault(er.cl_ord_id, order.first_cl_ord_id)
        return self._move(order, event, pending=request)

    def _on_reject(
        self, order: Order, er: ExecutionReport, now: float, healed: bool
    ) -> list[Change]:
        event = order_event(order, now, _report_name(er), applied=True, er=er, healed=healed)
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
        name = REQUEST_NAME[kind]
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
        event = order_event(
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
        event = order_event(
            order, now, "BusinessMessageReject", applied=True, cl_ord_id=cl_ord_id, text=reject.text
        )
        text = reject.text or f"refused: {reject.reason.name.replace('_', ' ').lower()}"
        if order.pending is not None and order.pending.cl_ord_id == cl_ord_id:
            return self._request_failed(order, event, text, cause)
        if cl_ord_id == order.first_cl_ord_id and order.confirmed_status in _UNANSWERED:
            return self._submission_refused(order, event, text, cause)
        note = f"refused: {explain(text)}; the order is unchanged"
        return self._note(order, evolve(event, applied=False, note=note), text=text)
