"""One order as the workstation knows it: the :class:`Order` record and its history entries.

Records are frozen; :class:`~workstation.trading.orders.Orders` replaces an order's record on
every change, so an :class:`~workstation.trading.changes.OrderChanged` always holds the state
as it was when the change happened. Prices are the YES price in dollars (SPEC §8);
quantities are contracts (``Decimal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workstation.fix.messages.enums import SelfTradePrevention, Side, TimeInForce
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.parties import Party
from workstation.trading.order_state import OrderStatus, PendingKind

__all__ = ["Order", "OrderEvent", "PendingRequest"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PendingRequest:
    """A cancel or replace in flight: ours (``sent_at`` set) or one the exchange reported."""

    kind: PendingKind
    cl_ord_id: str | None  #: the request's ClOrdID; None if the exchange reported it bare
    order_qty: Decimal | None = None  #: a replace's new total quantity
    price: Decimal | None = None  #: a replace's new YES price
    sent_at: float | None = None  #: when we sent it (None: not ours)
    reconcile: bool = False  #: a cancel sent to settle an UNKNOWN order


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderEvent:
    """One line of an order's history: what happened, and whether it moved the order."""

    at: float  #: when the workstation saw it (epoch seconds)
    what: str  #: e.g. "sent", "ExecutionReport Trade", "OrderCancelReject"
    status: OrderStatus  #: the status shown after it
    applied: bool  #: False for a report recorded only (replayed, older, not allowed)
    note: str = ""  #: why it was not applied, or what it meant
    exec_id: ExecId | None = None
    cl_ord_id: str | None = None
    text: str | None = None  #: the exchange's Text (58)
    healed: bool = False  #: came from a drop-copy replay


@dataclass(frozen=True, slots=True, kw_only=True)
class Order:
    """An order: identity, terms, figures, status and history."""

    venue: str
    account: str
    sub_account: str | None  #: see ``subaccounts.sub_account_of``
    cl_ord_id: str  #: the current ClOrdID (use it as OrigClOrdID on the next request)
    cl_ord_ids: tuple[str, ...]  #: every ClOrdID the order has carried, first one first
    order_id: str | None  #: the exchange's OrderID, once known
    symbol: str
    side: Side
    price: Decimal | None  #: YES limit price, dollars
    order_qty: Decimal
    cum_qty: Decimal = Decimal(0)
    leaves_qty: Decimal = Decimal(0)
    avg_px: Decimal = Decimal(0)  #: average YES fill price, dollars
    time_in_force: TimeInForce | None = None
    expire_time: float | None = None
    post_only: bool = False
    self_trade_prevention: SelfTradePrevention | None = None
    order_group_id: str | None = None
    alloc_account: int | None = None  #: repeated on cancel/replace requests
    parties: tuple[Party, ...] = ()  #: repeated on cancel/replace requests
    status: OrderStatus  #: what the trader sees
    confirmed_status: OrderStatus  #: the last state the exchange confirmed (last good state)
    pending: PendingRequest | None = None
    text: str | None = None  #: the last Text (58) the exchange sent about it
    reason: str = ""  #: the phrase shown for the status (reject reason, why unknown, …)
    healed: bool = False  #: a drop-copy replay filled in some of its state
    external: bool = False  #: first seen in a report, not sent from this workstation
    last_exec_id: ExecId | None = None  #: the newest real ExecID applied
    created_at: float
    updated_at: float
    history: tuple[OrderEvent, ...] = ()

    @property
    def first_cl_ord_id(self) -> str:
        """The ClOrdID of the NewOrderSingle (the root of the chain)."""
        return self.cl_ord_ids[0]

    @property
    def is_open(self) -> bool:
        """Counts against a max-open-orders limit: anything not terminal."""
        return not self.status.is_terminal
