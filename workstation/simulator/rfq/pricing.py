"""How the simulated participants price: a fair YES price per market and two-sided quotes
around it, on the 1¢ grid (which every market's grid contains, subpenny included)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "CENT",
    "DEFAULT_FAIR",
    "FairPrice",
    "TwoSided",
    "clamp_fair",
    "creator_edge",
    "two_sided",
]

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
DEFAULT_FAIR = Decimal("0.50")

#: The fair YES price of a market in dollars (say its mid or reference price), or None.
FairPrice = Callable[[str], Decimal | None]


@dataclass(frozen=True, slots=True, kw_only=True)
class TwoSided:
    yes_bid: Decimal
    no_bid: Decimal


def clamp_fair(price: Decimal | None) -> Decimal:
    """A fair YES price on the cent grid within [0.01, 0.99]; 0.50 when unknown."""
    if price is None or not price.is_finite():
        return DEFAULT_FAIR
    cents = price.quantize(CENT)
    return min(max(cents, CENT), ONE - CENT)


def two_sided(fair: Decimal, half_spread: Decimal) -> TwoSided:
    """Bids ``half_spread`` under the fair YES and NO prices. A bid that would be below 1¢ is
    0 (that side declined); the two never sum over $1 since ``half_spread`` is at least 0."""
    yes_bid = fair - half_spread
    no_bid = (ONE - fair) - half_spread
    return TwoSided(
        yes_bid=yes_bid if yes_bid >= CENT else ZERO,
        no_bid=no_bid if no_bid >= CENT else ZERO,
    )


def creator_edge(*, buy: bool, yes_bid: Decimal, no_bid: Decimal, fair: Decimal) -> Decimal:
    """How much better than ``fair`` a creator trades by taking a quote: buying YES at
    ``1 - no_bid``, or selling YES at ``yes_bid``. Negative: worse than fair."""
    return fair - (ONE - no_bid) if buy else yes_bid - fair
