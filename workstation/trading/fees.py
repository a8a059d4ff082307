"""Kalshi's trading fee, as published: per fill, rounded up to the next whole cent.

::

    fee = ceil_to_cent(coefficient × C × P × (1 − P))

C is the number of contracts, P the price in dollars (the YES price; the formula is the same
for the NO price 1 − P). The taker coefficient is 0.07; markets that charge makers use
0.0175, others charge makers nothing. Every fill is rounded on its own, so an order filled in
several pieces can pay a little more than one fill of the same size would; the fees an
ExecutionReport reports (136 → 137) are what the exchange actually charged and win over
this estimate wherever they are present.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

__all__ = [
    "MAKER_COEFFICIENT",
    "TAKER_COEFFICIENT",
    "FeeEstimate",
    "estimate_order_fee",
    "fee",
    "maker_fee",
    "taker_fee",
]

TAKER_COEFFICIENT = Decimal("0.07")
MAKER_COEFFICIENT = Decimal("0.0175")  #: on the markets that charge makers
_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
_ONE = Decimal(1)


def fee(quantity: Decimal, price: Decimal, coefficient: Decimal) -> Decimal:
    """The fee in dollars (whole cents) for ``quantity`` contracts at ``price`` dollars."""
    if not Decimal(0) <= price <= _ONE:
        raise ValueError(f"price {price} is not between $0 and $1")
    if quantity < 0:
        raise ValueError(f"quantity {quantity} is negative")
    raw = coefficient * quantity * price * (_ONE - price)
    return raw.quantize(_CENT, rounding=ROUND_CEILING) if raw else _ZERO


def taker_fee(quantity: Decimal, price: Decimal) -> Decimal:
    """The fee for taking liquidity (coefficient 0.07)."""
    return fee(quantity, price, TAKER_COEFFICIENT)


def maker_fee(quantity: Decimal, price: Decimal, *, charged: bool = True) -> Decimal:
    """The fee for a resting order that is hit: 0.0175 where the market charges makers, else 0."""
    return fee(quantity, price, MAKER_COEFFICIENT) if charged else _ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeEstimate:
    """What an order may pay: as taker, as maker, and the worst of the two."""

    taker: Decimal
    maker: Decimal

    @property
    def worst(self) -> Decimal:
        return max(self.taker, self.maker)


def estimate_order_fee(
    quantity: Decimal, price: Decimal, *, maker_fees: bool = False
) -> FeeEstimate:
    """The fee of an order filled whole at its limit ``price``, as taker and as maker."""
    return FeeEstimate(
        taker=taker_fee(quantity, price),
        maker=maker_fee(quantity, price, charged=maker_fees),
    )
