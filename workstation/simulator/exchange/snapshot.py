"""Plain-data views of one account for the admin port's reconciliation (``snapshot()``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workstation.simulator.exchange.orders import OrderView
from workstation.simulator.exchange.results import OrderFilled

__all__ = ["AccountSnapshot", "SubAccountSnapshot"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SubAccountSnapshot:
    sub_account: int
    balance: Decimal  #: dollars, whole cents
    reserved: Decimal  #: held back by resting orders
    available: Decimal  #: balance − reserved
    positions: dict[str, Decimal]  #: ticker -> net YES (negative: NO held)
    fees_paid: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountSnapshot:
    account: str
    sub_accounts: dict[int, SubAccountSnapshot]
    orders: list[OrderView]  #: every order of the account, live and done, oldest first
    fills: dict[str, OrderFilled]  #: by ExecID text, in ExecID order

    @property
    def open_orders(self) -> list[OrderView]:
        return [o for o in self.orders if o.leaves_qty > 0]
