"""Trading fees: Kalshi's published formula, with coefficients that can be changed.

A fee is charged on each fill::

    fee = round up to the next cent of (coefficient × C × P × (1 − P))

where C is the number of contracts filled and P the fill price in dollars. Kalshi's general
taker coefficient is 0.07; makers pay nothing by default, and some markets charge makers
0.0175. A market may override either coefficient (:class:`~.market.Market`). The FIX documents
do not state the formula (SPEC §19.5), so the schedule is configurable.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from workstation.simulator.exchange.market import PENNY, Market

__all__ = [
    "DEFAULT_MAKER_COEFFICIENT",
    "DEFAULT_TAKER_COEFFICIENT",
    "KALSHI_MAKER_COEFFICIENT",
    "FeeSchedule",
    "cents_ceil",
    "cents_floor",
]

DEFAULT_TAKER_COEFFICIENT = Decimal("0.07")
DEFAULT_MAKER_COEFFICIENT = Decimal(0)
#: The maker coefficient Kalshi charges on the markets that have maker fees.
KALSHI_MAKER_COEFFICIENT = Decimal("0.0175")


def cents_ceil(amount: Decimal) -> Decimal:
    """Round dollars up to the next whole cent."""
    return amount.quantize(PENNY, rounding=ROUND_CEILING)


def cents_floor(amount: Decimal) -> Decimal:
    """Round dollars down to a whole cent."""
    return amount.quantize(PENNY, rounding=ROUND_FLOOR)


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeSchedule:
    """Default coefficients; a market's own coefficients win over these."""

    taker_coefficient: Decimal = DEFAULT_TAKER_COEFFICIENT
    maker_coefficient: Decimal = DEFAULT_MAKER_COEFFICIENT

    def coefficient(self, market: Market, *, maker: bool) -> Decimal:
        if maker:
            own = market.maker_fee_coefficient
            return self.maker_coefficient if own is None else own
        own = market.taker_fee_coefficient
        return self.taker_coefficient if own is None else own

    def fee(self, market: Market, quantity: Decimal, price: Decimal, *, maker: bool) -> Decimal:
        """Fee in dollars (whole cents) for one fill of ``quantity`` at YES price ``price``."""
        coefficient = self.coefficient(market, maker=maker)
        if coefficient == 0:
            return Decimal("0.00")
        return cents_ceil(coefficient * quantity * price * (1 - price))
