"""Pre-trade risk limits and their verdicts."""

from __future__ import annotations

from tests.trading.reports import d
from workstation.trading.risk import RiskLimits, RiskOutcome, check_order

LIMITS = RiskLimits(
    max_contracts_per_order=d(1000),
    max_cost_per_order=d(500),
    max_open_orders=3,
    confirm_contracts_above=d(100),
    confirm_cost_above=d(50),
)


def test_within_limits_is_allowed() -> None:
    verdict = check_order(LIMITS, quantity=d(10), cost=d("4.17"), open_orders=2)
    assert verdict.allowed and verdict.outcome is RiskOutcome.ALLOWED and verdict.message == ""


def test_hard_limits_block_with_every_reason() -> None:
    verdict = check_order(LIMITS, quantity=d(1001), cost=d("500.01"), open_orders=3)
    assert verdict.outcome is RiskOutcome.BLOCKED and not verdict.allowed
    assert verdict.message == (
        "Order not sent: 1001 contracts is above the limit of 1000 per order; "
        "$500.01 at risk is above the limit of $500.00 per order; "
        "3 orders are open: the limit is 3"
    )
    assert len(verdict.reasons) == 3


def test_confirmation_threshold() -> None:
    verdict = check_order(LIMITS, quantity=d(150), cost=d("60.50"), open_orders=0)
    assert verdict.outcome is RiskOutcome.NEEDS_CONFIRMATION
    assert verdict.message == (
        "Please confirm: 150 contracts (more than 100); $60.50 at risk (more than $50.00)"
    )


def test_blocked_wins_over_confirmation_and_no_limits_allow_anything() -> None:
    verdict = check_order(LIMITS, quantity=d(150), cost=d(1000), open_orders=0)
    assert verdict.outcome is RiskOutcome.BLOCKED
    assert check_order(RiskLimits(), quantity=d(10**6), cost=d(10**6), open_orders=10**4).allowed
