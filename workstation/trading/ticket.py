"""The order ticket's arithmetic: what the trader means, what Kalshi is sent, what it costs.

The trader picks Buy YES, Buy NO, Sell YES or Sell NO and a price *in that contract's terms*.
Kalshi has one book, on YES (SPEC §8): Side 1 buys YES, Side 2 sells YES (= buys NO), and
Price is always the YES price. So::

    Buy YES  @ p  →  Side 1 (Buy)  @ YES p
    Sell YES @ p  →  Side 2 (Sell) @ YES p
    Buy NO   @ p  →  Side 2 (Sell) @ YES 1 − p      (Buy NO @ 30¢ = Sell YES @ 70¢)
    Sell NO  @ p  →  Side 1 (Buy)  @ YES 1 − p      (Sell NO @ 30¢ = Buy YES @ 70¢)

Figures: every order buys one contract or the other (Buy YES and Sell NO buy YES at the YES
price; Buy NO and Sell YES buy NO at the NO price). Selling contracts you hold closes them
for the same money, because a YES and a NO together are worth exactly $1. For the contract
bought at price c (dollars), quantity C and fee F (the taker fee, the worst case):

- cost = C × c; max payout = C × $1 (if that contract wins);
- max loss = cost + F; max profit = payout − cost − F;
- break-even probability = c + F / C (the chance the contract must have of winning for the
  order to break even, fee included).

Sell intents also give the proceeds when closing held contracts: C × p.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from workstation.fix.messages.enums import SelfTradePrevention, Side, TimeInForce
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.parties import Party
from workstation.trading.fees import taker_fee

__all__ = [
    "CENT_TICK",
    "SUBPENNY_TICK",
    "Intent",
    "OrderTerms",
    "Ticket",
    "TicketCheck",
    "TicketFigures",
    "build_order",
    "check_ticket",
    "new_cl_ord_id",
    "order_terms",
    "ticket_figures",
]

CENT_TICK = Decimal("0.01")
SUBPENNY_TICK = Decimal("0.0001")
_ONE = Decimal(1)
_ZERO = Decimal(0)


class Intent(Enum):
    """What the trader wants to do; the value is how the ticket says it."""

    BUY_YES = "Buy YES"
    BUY_NO = "Buy NO"
    SELL_YES = "Sell YES"
    SELL_NO = "Sell NO"

    @property
    def contract(self) -> str:
        """The contract named: "YES" or "NO"."""
        return "YES" if self in (Intent.BUY_YES, Intent.SELL_YES) else "NO"

    @property
    def buys_yes(self) -> bool:
        """Whether the order adds YES (Buy YES, Sell NO) rather than NO."""
        return self in (Intent.BUY_YES, Intent.SELL_NO)


def _cents(price: Decimal) -> str:
    cents = price * 100
    text = f"{cents.normalize():f}" if cents != cents.to_integral_value() else f"{int(cents)}"
    return f"{text}¢"


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderTerms:
    """What Kalshi is sent for an intent and price, and the sentence that explains it."""

    side: Side
    yes_price: Decimal  #: Price (44), dollars
    words: str  #: e.g. "Buy 10 NO at 30¢ = Sell 10 YES at 70¢ (Side 2, YES price 70¢)"


def order_terms(intent: Intent, price: Decimal, quantity: Decimal | None = None) -> OrderTerms:
    """Kalshi's Side and YES price for ``intent`` at ``price`` (in the contract's terms)."""
    yes_price = price if intent.contract == "YES" else _ONE - price
    side = Side.BUY if intent.buys_yes else Side.SELL
    qty = "" if quantity is None else f" {quantity}"
    said = f"{intent.value.split()[0]}{qty} {intent.contract} at {_cents(price)}"
    if intent.contract == "YES":
        other = f"{'Sell' if intent is Intent.BUY_YES else 'Buy'}{qty} NO at {_cents(_ONE - price)}"
    else:
        other = f"{'Sell' if intent is Intent.BUY_NO else 'Buy'}{qty} YES at {_cents(yes_price)}"
    words = f"{said} = {other} (Side {side.value}, YES price {_cents(yes_price)})"
    return OrderTerms(side=side, yes_price=yes_price, words=words)


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketFigures:
    """The money of an order filled whole at its price, fee as taker (the worst case)."""

    contract_bought: str  #: "YES" or "NO": what the order adds
    price_paid: Decimal  #: per contract bought, dollars
    cost: Decimal
    fee: Decimal
    max_loss: Decimal  #: cost + fee
    max_payout: Decimal  #: $1 per contract if it wins
    max_profit: Decimal  #: payout − cost − fee
    break_even: Decimal  #: price + fee per contract: the win probability to break even
    proceeds_if_closing: Decimal | None  #: sells only: money received for contracts held


def ticket_figures(intent: Intent, price: Decimal, quantity: Decimal) -> TicketFigures:
    """Cost, fee, max loss/payout/profit and break-even for ``quantity`` at ``price``."""
    yes_price = order_terms(intent, price).yes_price
    paid = yes_price if intent.buys_yes else _ONE - yes_price
    cost = quantity * paid
    fee = taker_fee(quantity, yes_price)
    payout = quantity * _ONE
    return TicketFigures(
        contract_bought="YES" if intent.buys_yes else "NO",
        price_paid=paid,
        cost=cost,
        fee=fee,
        max_loss=cost + fee,
        max_payout=payout,
        max_profit=payout - cost - fee,
        break_even=paid + fee / quantity if quantity else paid,
        proceeds_if_closing=quantity * price
        if intent in (Intent.SELL_YES, Intent.SELL_NO)
        else None,
    )


def new_cl_ord_id() -> str:
    """A fresh ClOrdID: UUID4 text (SPEC §9.1 prefers UUIDs)."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True, kw_only=True)
class Ticket:
    """What the trader filled in. ``price`` is in the chosen contract's terms, dollars."""

    symbol: str
    intent: Intent
    price: Decimal
    quantity: Decimal
    time_in_force: TimeInForce = TimeInForce.GTC
    expire_time: float | None = None  #: epoch seconds; GTD only
    post_only: bool = False
    self_trade_prevention: SelfTradePrevention | None = None
    order_group_id: str | None = None
    alloc_account: int | None = None
    parties: tuple[Party, ...] = field(default=())
    cancel_order_on_pause: bool = False  #: CancelOrderOnPause (21006), SPEC §2.4


@dataclass(frozen=True, slots=True, kw_only=True)
class TicketCheck:
    """The result of checking a ticket: errors block sending, warnings are shown."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def _price_problem(price: Decimal, subpenny: bool) -> str | None:
    tick = SUBPENNY_TICK if subpenny else CENT_TICK
    if not tick <= price <= _ONE - tick:
        low, high = ("0.01¢", "99.99¢") if subpenny else ("1¢", "99¢")
        return f"Price must be between {low} and {high} (got {_cents(price)})"
    if price % tick:
        grid = "0.01¢ (subpenny)" if subpenny else "1¢"
        return f"Price {_cents(price)} is not on the {grid} grid"
    return None


def check_ticket(ticket: Ticket, *, now: float, subpenny: bool = False) -> TicketCheck:
    """Check a ticket before sending: price grid, whole quantity ≥ 1, GTD expiry.

    ``subpenny``: the session logged on with dollar prices and the market has a 0.0001
    tick. A GTD expiry already past is not an error: Kalshi treats it as IOC, and the
    warning says so.
    """
    errors: list[str] = []
    warnings: list[str] = []
    if not ticket.symbol.strip():
        errors.append("Choose a market")
    problem = _price_problem(ticket.price, subpenny)
    if problem:
        errors.append(problem)
    if ticket.quantity < 1 or ticket.quantity != ticket.quantity.to_integral_value():
        errors.append(
            f"Quantity must be a whole number of contracts, at least 1 (got {ticket.quantity})"
        )
    if ticket.time_in_force is TimeInForce.GTD:
        if ticket.expire_time is None:
            errors.append("Good-till-date needs an expiry time")
        elif ticket.expire_time <= now:
            warnings.append(
                "The expiry time is already past: Kalshi will treat this order as "
                "immediate-or-cancel (IOC)"
            )
    elif ticket.expire_time is not None:
        warnings.append("An expiry time is used only with good-till-date; it will not be sent")
    if ticket.post_only and ticket.time_in_force in (TimeInForce.IOC, TimeInForce.FOK):
        errors.append("A post-only order must rest: it cannot be IOC or FOK")
    return TicketCheck(errors=tuple(errors), warnings=tuple(warnings))


def build_order(ticket: Ticket, cl_ord_id: str | None = None) -> NewOrderSingle:
    """The NewOrderSingle for a (checked) ticket."""
    terms = order_terms(ticket.intent, ticket.price)
    gtd = ticket.time_in_force is TimeInForce.GTD
    return NewOrderSingle(
        cl_ord_id=cl_ord_id or new_cl_ord_id(),
        symbol=ticket.symbol,
        side=terms.side,
        order_qty=ticket.quantity,
        price=terms.yes_price,
        time_in_force=ticket.time_in_force,
        expire_time=ticket.expire_time if gtd else None,
        post_only=ticket.post_only,
        self_trade_prevention=ticket.self_trade_prevention,
        order_group_id=ticket.order_group_id,
        alloc_account=ticket.alloc_account,
        parties=ticket.parties,
        cancel_order_on_pause=ticket.cancel_order_on_pause,
    )
