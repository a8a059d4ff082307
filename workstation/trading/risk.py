"""Pre-trade risk limits: checked before an order leaves the workstation.

Limits are configured per profile; each is optional (None = no limit). A check returns a
:class:`RiskVerdict`: BLOCKED (a hard limit is crossed: the order is not sent), or
NEEDS_CONFIRMATION (a confirmation threshold is crossed: the trader must confirm), or
ALLOWED. The verdict's message is the text to show. Hard limits are checked first, so a
blocked order never asks for confirmation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

__all__ = ["RiskLimits", "RiskOutcome", "RiskVerdict", "check_order"]


class RiskOutcome(Enum):
    ALLOWED = "allowed"
    NEEDS_CONFIRMATION = "needs confirmation"
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskVerdict:
    """The outcome of a risk check and the message to show (empty when allowed)."""

    outcome: RiskOutcome
    message: str = ""
    reasons: tuple[str, ...] = ()  #: every limit crossed at the outcome's level

    @property
    def allowed(self) -> bool:
        """Whether the order may be sent without asking."""
        return self.outcome is RiskOutcome.ALLOWED


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskLimits:
    """The trader's limits; None switches a limit off."""

    max_contracts_per_order: Decimal | None = None
    max_cost_per_order: Decimal | None = None  #: dollars: cost + worst-case fee
    max_open_orders: int | None = None
    confirm_contracts_above: Decimal | None = None
    confirm_cost_above: Decimal | None = None  #: dollars


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def check_order(
    limits: RiskLimits, *, quantity: Decimal, cost: Decimal, open_orders: int
) -> RiskVerdict:
    """Check one new order: ``cost`` is its max loss (cost + fee), ``open_orders`` how many
    orders are open now (the new one not included)."""
    blocked: list[str] = []
    if limits.max_contracts_per_order is not None and quantity > limits.max_contracts_per_order:
        blocked.append(
            f"{quantity} contracts is above the limit of {limits.max_contracts_per_order} per order"
        )
    if limits.max_cost_per_order is not None and cost > limits.max_cost_per_order:
        blocked.append(
            f"{_money(cost)} at risk is above the limit of "
            f"{_money(limits.max_cost_per_order)} per order"
        )
    if limits.max_open_orders is not None and open_orders >= limits.max_open_orders:
        blocked.append(f"{open_orders} orders are open: the limit is {limits.max_open_orders}")
    if blocked:
        return RiskVerdict(
            outcome=RiskOutcome.BLOCKED,
            message="Order not sent: " + "; ".join(blocked),
            reasons=tuple(blocked),
        )
    confirm: list[str] = []
    if limits.confirm_contracts_above is not None and quantity > limits.confirm_contracts_above:
        confirm.append(f"{quantity} contracts (more than {limits.confirm_contracts_above})")
    if limits.confirm_cost_above is not None and cost > limits.confirm_cost_above:
        confirm.append(f"{_money(cost)} at risk (more than {_money(limits.confirm_cost_above)})")
    if confirm:
        return RiskVerdict(
            outcome=RiskOutcome.NEEDS_CONFIRMATION,
            message="Please confirm: " + "; ".join(confirm),
            reasons=tuple(confirm),
        )
    return RiskVerdict(outcome=RiskOutcome.ALLOWED)
