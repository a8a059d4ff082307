"""Two accounts trading the same markets, as a desk monitor's listener sessions record them:
for the Account column's tests (models, blotter, saved layouts)."""

from __future__ import annotations

from tests.ui.trading_fixtures import CLE, FED_CUT, NYC, T0, Floor
from workstation.trading.ticket import Intent

__all__ = ["DESKS", "two_desks"]

DESKS = ("Desk A", "Desk B")


def two_desks(floor: Floor | None = None) -> Floor:
    """Per account: a partly filled Fed order, a working NYC bid and a partly filled
    Cleveland order; the NYC bids differ only by account."""
    floor = floor or Floor()
    for n, account in enumerate(DESKS):
        floor.account = account
        t = T0 + 100 * n
        fed = floor.send(FED_CUT, Intent.BUY_YES, "0.40", 10, at=t)
        floor.ack(fed, at=t + 1)
        floor.fill(fed, 4, at=t + 2)
        nyc = floor.send(NYC, Intent.BUY_NO, "0.55", 3, at=t + 3)
        floor.ack(nyc, at=t + 4)
        cle = floor.send(CLE, Intent.BUY_YES, f"0.4{5 + n}", 20 - 8 * n, at=t + 5)
        floor.ack(cle, at=t + 6)
        floor.fill(cle, 12 - 7 * n, at=t + 7, taker=True)
    return floor
