"""The trader's order actions on the Desk: new order, cancel, replace, mass cancel, groups.

Each action checks that trading is possible (not a listen-only monitor, not blocked by the
journal, the order session logged on), builds its request from the trading state, sends it
journaled (``desk_sending``) and only then applies it to the state; the exchange's answer
arrives later as changes. A new order is checked against the ticket rules and the risk
limits first: a failure raises :class:`~workstation.client.desk_errors.ActionRefused` with
the sentence to show, a confirmation threshold
:class:`~workstation.client.desk_errors.NeedsConfirmation`.

Every action returns once its bytes are handed to the transport, in the event-loop turn it
was called in (a click handler sends in the turn of the click).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from workstation.client.config import RiskSettings
from workstation.client.desk_errors import ActionRefused, NeedsConfirmation
from workstation.client.desk_sending import JournaledSender
from workstation.client.profiles import Profile
from workstation.client.session_link import SessionLink
from workstation.fix.dialect import dialect_rules
from workstation.fix.messages import OrderGroupAction, OrderGroupRequest, OrderMassCancelRequest
from workstation.trading.changes import Change
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.orders import Orders
from workstation.trading.risk import RiskLimits, RiskOutcome, check_order
from workstation.trading.state import TradingState
from workstation.trading.ticket import Intent, Ticket, build_order, check_ticket, ticket_figures

__all__ = ["OrderActions", "risk_limits"]


def risk_limits(settings: RiskSettings) -> RiskLimits:
    """The limits a new order is checked against, from the trader's risk settings."""
    return RiskLimits(
        max_contracts_per_order=Decimal(settings.max_contracts),
        max_cost_per_order=settings.max_order_cost,
        max_open_orders=settings.max_open_orders,
        confirm_cost_above=settings.confirm_above_cost,
    )


class OrderActions:
    """See the module docstring.

    ``intents`` (first ClOrdID -> what the trader meant) is the Desk's own dict: a new order's
    intent is added to it. ``trading_blocked`` says why trading is blocked ("" when it is not),
    trying the journal again first."""

    def __init__(
        self,
        state: TradingState,
        *,
        risk: RiskLimits,
        intents: dict[str, Intent],
        profile: Callable[[], Profile],
        venue: Callable[[], str],
        listen_only: bool,
        trading_blocked: Callable[[], str],
        order_link: Callable[[], SessionLink | None],
        sender: JournaledSender,
        clock: Callable[[], float],
        publish: Callable[[list[Change]], None],
    ) -> None:
        self.orders = state.orders
        self.groups = state.groups
        self.risk = risk
        self._intents = intents
        self._profile = profile
        self._venue = venue
        self._listen_only = listen_only
        self._trading_blocked = trading_blocked
        self._order_link = order_link
        self._sender = sender
        self._clock = clock
        self._publish = publish

    def trading_link(self) -> SessionLink:
        """The order session, when the trader may act on it; else ActionRefused says why."""
        if self._listen_only:
            raise ActionRefused("This is a listen-only desk monitor: trading is disabled")
        blocked = self._trading_blocked()
        if blocked:
            raise ActionRefused(blocked)
        link = self._order_link()
        if link is None:
            raise ActionRefused("No order session is configured for this profile")
        if not link.active:
            raise ActionRefused(f"{link.session_type.value} is not logged on; wait for it")
        return link

    def submit(self, ticket: Ticket, *, confirmed: bool = False) -> Order:
        """Check, journal and send a NewOrderSingle; the order as it stands. Raises
        ActionRefused (with the reason to show) or NeedsConfirmation."""
        link = self.trading_link()
        now = self._clock()
        subpenny = link.settings.use_dollars
        check = check_ticket(ticket, now=now, subpenny=subpenny)
        if not check.ok:
            raise ActionRefused("; ".join(check.errors))
        figures = ticket_figures(ticket.intent, ticket.price, ticket.quantity)
        verdict = check_order(
            self.risk,
            quantity=ticket.quantity,
            cost=figures.cost + figures.fee,
            open_orders=self.orders.open_count(),
        )
        if not verdict.allowed:
            if verdict.outcome is RiskOutcome.NEEDS_CONFIRMATION:
                if not confirmed:
                    raise NeedsConfirmation(verdict.message)
            else:
                raise ActionRefused(verdict.message)
        order = build_order(ticket)
        body = order.to_body(link.price_format)
        seq = self._sender.send(link, "D", body, now, intent=ticket.intent)
        self._intents[order.cl_ord_id] = ticket.intent
        changes = self.orders.submitted(order, venue=self._venue(), account=link.account, now=now)
        self.orders.note_sent(order.cl_ord_id, seq)
        self._publish(changes)
        found = self.orders.get(order.cl_ord_id)
        assert found is not None
        return found

    def cancel(self, cl_ord_id: str) -> None:
        link = self.trading_link()
        try:
            request = self.orders.cancel_request_for(cl_ord_id)
        except (KeyError, ValueError) as exc:
            raise ActionRefused(str(exc)) from None
        now = self._clock()
        seq = self._sender.send(link, "F", request.to_body(link.price_format), now)
        changes = self.orders.cancel_requested(request, now=now)
        self.orders.note_sent(request.cl_ord_id, seq)
        self._publish(changes)

    def replace(
        self, cl_ord_id: str, *, price: Decimal | None = None, quantity: Decimal | None = None
    ) -> None:
        link = self.trading_link()
        order = self.orders.get(cl_ord_id)
        if order is None:
            raise ActionRefused(f"No order {cl_ord_id}")
        new_qty = quantity if quantity is not None else order.order_qty
        new_price = price if price is not None else order.price
        if new_qty < order.cum_qty:
            raise ActionRefused(
                f"New quantity {new_qty} is below the {order.cum_qty} already filled"
            )
        request = self.orders.replace_request_for(cl_ord_id, order_qty=new_qty, price=new_price)
        now = self._clock()
        seq = self._sender.send(link, "G", request.to_body(link.price_format), now)
        changes = self.orders.replace_requested(request, now=now)
        self.orders.note_sent(request.cl_ord_id, seq)
        self._publish(changes)

    def cancel_all(self) -> int:
        """One OrderMassCancelRequest where the dialect has it on the order session, else a
        cancel per open order; how many open orders it covers."""
        link = self.trading_link()
        open_orders = [
            o
            for o in self.orders.open_orders(self._venue())
            if o.status not in (OrderStatus.PENDING_CANCEL, OrderStatus.UNKNOWN)
        ]
        rules = dialect_rules(self._profile().dialect)
        if link.session_type in rules.mass_cancel_sessions:
            request = OrderMassCancelRequest(cl_ord_id=Orders.new_cl_ord_id())
            self._sender.send(link, "q", request.to_body(link.price_format), self._clock())
            return len(open_orders)
        for order in open_orders:
            self.cancel(order.cl_ord_id)
        return len(open_orders)

    def create_group(self, limit: int, sub_account: int = 0) -> None:
        if not 1 <= limit <= 1_000_000:
            raise ActionRefused("A group's contracts limit must be 1 to 1,000,000")
        self._group_request(
            OrderGroupRequest(
                action=OrderGroupAction.CREATE,
                contracts_limit=limit,
                alloc_account=sub_account or None,
            )
        )

    def group_action(self, action: OrderGroupAction, group_id: str) -> None:
        """Reset, trigger or delete the order group ``group_id``."""
        self._group_request(OrderGroupRequest(action=action, order_group_id=group_id))

    def _group_request(self, request: OrderGroupRequest) -> None:
        link = self.trading_link()
        now = self._clock()
        seq = self._sender.send(link, "UOG", request.to_body(link.price_format), now)
        self._publish(self.groups.requested(request, now=now, seq_num=seq))
