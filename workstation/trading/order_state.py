"""The order state machine: statuses, the one transition table, and how a report maps to a status.

How it works (SPEC §9.6, §9.10; DECISIONS.md "Resolving an order whose outcome is unknown"):

An order has a *confirmed* status — the last state the exchange confirmed (or, before any
answer, PENDING_SUBMIT) — and at most one request in flight (a cancel or a replace we sent,
or a PendingCancel/PendingReplace the exchange reported). The status shown to the trader is
derived from the two by :func:`shown_status`: a live order with a request in flight shows
PENDING_CANCEL or PENDING_REPLACE; when the request fails (OrderCancelReject, or an ER reject
in the 1.0.13 form) the request is dropped and the order shows its confirmed status again,
its last good state.

The confirmed status moves only along :data:`TRANSITIONS`. A report whose status is not
allowed from the current one (a replayed New after a Fill, anything after a terminal state)
is recorded in the order's history and changes nothing. Reports with a real ExecID are also
ordered: one no newer than the newest applied to the order is history only (see
``orders.py``). Pending reports (ExecID ``-1;-1``) only move PENDING states.

UNKNOWN is the state of an order whose outcome the exchange could not confirm
(EXCHANGE_UNAVAILABLE, a BusinessMessageReject 380=4, or a session lost before any answer).
Any report for it resolves it; otherwise a cancel request settles it (``orders.py``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from workstation.fix.messages.enums import ExecType, OrdStatus

__all__ = [
    "LIVE",
    "TERMINAL",
    "TRANSITIONS",
    "OrderStatus",
    "PendingKind",
    "can_move",
    "reported_status",
    "shown_status",
    "status_of",
]

_ZERO = Decimal(0)


class OrderStatus(Enum):
    """What the blotter shows for an order. The value is the text shown."""

    PENDING_SUBMIT = "Pending submit"  #: sent by us, no answer yet
    PENDING_NEW = "Pending new"  #: the exchange reported PendingNew (150=A)
    NEW = "Working"  #: accepted and resting, nothing filled (39=0)
    PARTIALLY_FILLED = "Partially filled"  #: 39=1
    FILLED = "Filled"  #: 39=2
    PENDING_CANCEL = "Pending cancel"  #: a cancel is in flight
    PENDING_REPLACE = "Pending replace"  #: a replace is in flight
    CANCELLED = "Cancelled"  #: 39=4, possibly after partial fills
    EXPIRED = "Expired"  #: 39=C
    REJECTED = "Rejected"  #: 39=8, or refused before reaching the exchange
    UNKNOWN = "Unknown — reconciling"  #: outcome unknown; being reconciled

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL

    @property
    def is_live(self) -> bool:
        """Working on the exchange (a cancel could still act on it)."""
        return self in LIVE


class PendingKind(Enum):
    """The request in flight on an order."""

    CANCEL = "cancel"
    REPLACE = "replace"


TERMINAL = frozenset(
    {OrderStatus.FILLED, OrderStatus.CANCELLED, OrderStatus.EXPIRED, OrderStatus.REJECTED}
)
LIVE = frozenset({OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED})

_S = OrderStatus
_DONE = frozenset({_S.FILLED, _S.CANCELLED, _S.EXPIRED})

#: confirmed status -> the confirmed statuses a report or a local event may move it to.
#: A status missing from a set (a New after a fill, anything after a terminal status) is
#: recorded in history only.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    _S.PENDING_SUBMIT: frozenset(
        {_S.PENDING_NEW, _S.NEW, _S.PARTIALLY_FILLED, _S.REJECTED, _S.UNKNOWN} | _DONE
    ),
    _S.PENDING_NEW: frozenset({_S.NEW, _S.PARTIALLY_FILLED, _S.REJECTED, _S.UNKNOWN} | _DONE),
    _S.NEW: frozenset({_S.NEW, _S.PARTIALLY_FILLED} | _DONE),
    _S.PARTIALLY_FILLED: frozenset({_S.PARTIALLY_FILLED} | _DONE),
    _S.UNKNOWN: frozenset({_S.PENDING_NEW, _S.NEW, _S.PARTIALLY_FILLED, _S.REJECTED} | _DONE),
    _S.FILLED: frozenset(),
    _S.CANCELLED: frozenset(),
    _S.EXPIRED: frozenset(),
    _S.REJECTED: frozenset(),
    # Never confirmed statuses (shown only, derived from a request in flight):
    _S.PENDING_CANCEL: frozenset(),
    _S.PENDING_REPLACE: frozenset(),
}


def can_move(confirmed: OrderStatus, target: OrderStatus) -> bool:
    """Whether the transition table allows ``confirmed`` → ``target``."""
    return target in TRANSITIONS[confirmed]


def shown_status(confirmed: OrderStatus, pending: PendingKind | None) -> OrderStatus:
    """The status the trader sees: the confirmed one, or the request in flight on a live order."""
    if pending is None or confirmed.is_terminal or confirmed is OrderStatus.UNKNOWN:
        return confirmed
    return (
        OrderStatus.PENDING_CANCEL if pending is PendingKind.CANCEL else OrderStatus.PENDING_REPLACE
    )


def _by_quantities(
    ord_status: OrdStatus, cum_qty: Decimal, leaves_qty: Decimal, order_qty: Decimal
) -> OrderStatus:
    if leaves_qty == _ZERO:
        # Nothing left open: not working any more, whatever 39 said. An IOC remainder may
        # end without its own cancel report (SPEC §20.19): 39=1 with nothing left means the
        # rest was cancelled, not filled.
        filled = cum_qty > _ZERO and cum_qty >= order_qty
        if filled and ord_status is not OrdStatus.PARTIALLY_FILLED:
            return OrderStatus.FILLED
        return OrderStatus.CANCELLED
    return OrderStatus.PARTIALLY_FILLED if cum_qty > _ZERO else OrderStatus.NEW


def reported_status(
    exec_type: ExecType,
    ord_status: OrdStatus,
    cum_qty: Decimal,
    leaves_qty: Decimal,
    order_qty: Decimal,
) -> OrderStatus:
    """The confirmed status a (non-reject, non-pending) ExecutionReport states.

    OrdStatus (39) decides, except that a Replaced report may carry 0, 1 or 5 (SPEC §20.17)
    and pending OrdStatus values on a real report (a fill while a cancel is pending): those
    are read from the quantities. Expiry is read from either 150 or 39.
    """
    if exec_type is ExecType.EXPIRED or ord_status is OrdStatus.EXPIRED:
        return OrderStatus.EXPIRED
    if exec_type is ExecType.CANCELED or ord_status is OrdStatus.CANCELED:
        return OrderStatus.CANCELLED
    if ord_status is OrdStatus.REJECTED or exec_type is ExecType.REJECTED:
        return OrderStatus.REJECTED
    if ord_status is OrdStatus.FILLED:
        return OrderStatus.FILLED
    return _by_quantities(ord_status, cum_qty, leaves_qty, order_qty)


_BY_ORD_STATUS: dict[OrdStatus, OrderStatus] = {
    OrdStatus.NEW: OrderStatus.NEW,
    OrdStatus.PARTIALLY_FILLED: OrderStatus.PARTIALLY_FILLED,
    OrdStatus.FILLED: OrderStatus.FILLED,
    OrdStatus.CANCELED: OrderStatus.CANCELLED,
    OrdStatus.EXPIRED: OrderStatus.EXPIRED,
    OrdStatus.PENDING_NEW: OrderStatus.PENDING_NEW,
}


def status_of(ord_status: OrdStatus) -> OrderStatus | None:
    """The confirmed status an OrdStatus alone states (a 35=9's tag 39), if it states one."""
    return _BY_ORD_STATUS.get(ord_status)
