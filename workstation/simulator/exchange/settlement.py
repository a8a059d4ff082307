"""Paying out a determined market (SPEC §12.3, §19.7).

Only net positions settle. A YES contract is worth the settlement value V (1 for a YES
result, 0 for NO, anything between for a scalar result) and a NO contract 1 − V. The payout
is rounded down to whole cents, since balances are kept in cents; the fraction kept back is
reported as the fee, so ``payout + fee`` is the exact value (the UMS rule "1704 + 137 = the
settlement value before rounding"). The collateral was paid when the position was opened, so
the balance rises by exactly the payout and the position is gone.
"""

from __future__ import annotations

from decimal import Decimal

from workstation.simulator.exchange.accounts import Ledger
from workstation.simulator.exchange.fees import cents_floor
from workstation.simulator.exchange.results import PositionSettled
from workstation.simulator.exchange.types import MarketResult

__all__ = ["settle_positions", "settlement_value_of"]

_ZERO = Decimal(0)


def settlement_value_of(result: MarketResult, value: Decimal | None) -> Decimal:
    """The dollar value of one YES contract; a scalar result needs ``value`` in [0, 1]."""
    if result is MarketResult.YES:
        return Decimal(1)
    if result is MarketResult.NO:
        return _ZERO
    if value is None or not _ZERO <= value <= 1:
        raise ValueError(f"a scalar settlement needs a value between 0 and 1, not {value}")
    return value


def settle_positions(
    ledger: Ledger,
    *,
    ticker: str,
    result: MarketResult,
    value: Decimal,
    now: float,
    clearing_date: str,
) -> list[PositionSettled]:
    """Pay every holder of ``ticker`` and clear their positions, account by account."""
    settled: list[PositionSettled] = []
    for account in sorted(ledger.accounts):
        for sub_account in sorted(ledger.accounts[account]):
            sub = ledger.accounts[account][sub_account]
            net = sub.positions.pop(ticker, _ZERO)
            if net == 0:
                continue
            ledger.position_changes.add((account, sub_account, ticker))
            exact = net * value if net > 0 else -net * (1 - value)
            payout = cents_floor(exact)
            sub.balance += payout
            sub.fees_paid += exact - payout
            settled.append(
                PositionSettled(
                    transact_time=now,
                    ticker=ticker,
                    account=account,
                    sub_account=sub_account,
                    result=result,
                    settlement_value=value,
                    long_qty=max(net, _ZERO),
                    short_qty=max(-net, _ZERO),
                    payout=payout,
                    fee=exact - payout,
                    balance_change=payout,
                    clearing_date=clearing_date,
                )
            )
    return settled
