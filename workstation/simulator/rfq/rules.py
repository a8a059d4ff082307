"""The exchange's rules for RFQ sizes and quote prices (SPEC §13.1-§13.3, getting_started/rfqs).

* An RFQ gives a size in contracts (OrderQty 38, 0.01 steps) **or** a cash size
  (CashOrderQty 152, dollars, 0.01 steps), not both, each above zero and within
  :class:`RfqLimits` (over it: 658=3 QUOTE_REQUEST_EXCEEDS_LIMIT).
* A quote is for the full RFQ size: a YES bid and a NO bid in dollars, each 0 (declines that
  side) or strictly between 0 and 1 on the market's grid (1¢, or 0.0001 subpenny); not both 0;
  ``yes_bid + no_bid`` must not exceed $1.
* A cash size is the **creator's** cost: accepting at a price that costs the creator ``c`` per
  contract buys ``floor(cash / c)`` contracts, to 0.01. A quote's side sizes (BidSize 134,
  OfferSize 135) follow from that; for a contract-sized RFQ they are the RFQ size.

Each check returns the refusal text, or None when the input is good.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from workstation.simulator.rfq.types import RequestRejectReason

__all__ = [
    "CASH_STEP",
    "CONTRACT_STEP",
    "RfqLimits",
    "SizeRefusal",
    "contracts_for_cash",
    "quote_price_problem",
    "side_size",
    "size_refusal",
]

CONTRACT_STEP = Decimal("0.01")
CASH_STEP = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqLimits:
    """The largest RFQ the desk takes (Kalshi does not publish its limits)."""

    max_contracts: Decimal = Decimal(1_000_000)
    max_cash: Decimal = Decimal(1_000_000)


@dataclass(frozen=True, slots=True, kw_only=True)
class SizeRefusal:
    """Why an RFQ's size is refused: the 658 reason and the AG Text."""

    reason: RequestRejectReason
    text: str


def _on_step(value: Decimal, step: Decimal) -> bool:
    return value.is_finite() and value % step == 0


def size_refusal(
    quantity: Decimal | None, cash_quantity: Decimal | None, limits: RfqLimits
) -> SizeRefusal | None:
    """Check an RFQ's size; None when it is good."""
    other = RequestRejectReason.OTHER
    if quantity is None and cash_quantity is None:
        return SizeRefusal(reason=other, text="OrderQty or CashOrderQty is required")
    if quantity is not None and cash_quantity is not None:
        return SizeRefusal(reason=other, text="give OrderQty or CashOrderQty, not both")
    if quantity is not None:
        if not _on_step(quantity, CONTRACT_STEP) or quantity <= ZERO:
            return SizeRefusal(
                reason=other, text=f"OrderQty {quantity} must be a positive multiple of 0.01"
            )
        if quantity > limits.max_contracts:
            return SizeRefusal(
                reason=RequestRejectReason.QUOTE_REQUEST_EXCEEDS_LIMIT,
                text=f"OrderQty {quantity} exceeds the limit of {limits.max_contracts}",
            )
        return None
    assert cash_quantity is not None
    if not _on_step(cash_quantity, CASH_STEP) or cash_quantity <= ZERO:
        return SizeRefusal(
            reason=other,
            text=f"CashOrderQty {cash_quantity} must be a positive multiple of $0.01",
        )
    if cash_quantity > limits.max_cash:
        return SizeRefusal(
            reason=RequestRejectReason.QUOTE_REQUEST_EXCEEDS_LIMIT,
            text=f"CashOrderQty {cash_quantity} exceeds the limit of {limits.max_cash}",
        )
    return None


def _price_problem(name: str, price: Decimal, tick: Decimal) -> str | None:
    if not price.is_finite() or price < ZERO or price >= ONE:
        return f"{name} {price} must be 0 (no quote) or between 0 and 1 dollar"
    if price % tick != 0:
        return f"{name} {price} is not on the market's {tick} price grid"
    return None


def quote_price_problem(yes_bid: Decimal, no_bid: Decimal, tick: Decimal) -> str | None:
    """Check a quote's two bids on a market of grid ``tick``; None when they are good."""
    problem = _price_problem("YES bid", yes_bid, tick) or _price_problem("NO bid", no_bid, tick)
    if problem is not None:
        return problem
    if yes_bid == ZERO and no_bid == ZERO:
        return "YES bid and NO bid are both 0: quote at least one side"
    if yes_bid + no_bid > ONE:
        return f"YES bid {yes_bid} + NO bid {no_bid} = {yes_bid + no_bid} exceeds $1"
    return None


def contracts_for_cash(cash: Decimal, cost_per_contract: Decimal) -> Decimal:
    """How many contracts (to 0.01, rounded down) ``cash`` buys at ``cost_per_contract``."""
    steps = (cash / cost_per_contract / CONTRACT_STEP).to_integral_value(rounding=ROUND_FLOOR)
    return steps * CONTRACT_STEP


def side_size(bid: Decimal, *, quantity: Decimal | None, cash_quantity: Decimal | None) -> Decimal:
    """The contracts a creator can trade against one side of a quote bidding ``bid``.

    The creator taking a maker's bid ``b`` (YES or NO) pays ``1 - b`` per contract for the
    other side. 0 when the maker declined the side.
    """
    if bid == ZERO:
        return ZERO
    if quantity is not None:
        return quantity
    assert cash_quantity is not None
    return contracts_for_cash(cash_quantity, ONE - bid)
