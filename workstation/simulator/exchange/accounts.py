"""Money and positions: balances per (account, sub-account), net positions, collateral.

Kalshi's model is fully collateralised (SPEC §19.5):

* buying YES at P costs P per contract; buying NO (selling YES at P) costs 1 − P;
* closing releases collateral: selling YES you hold at P gives +P, buying YES against NO you
  hold gives +(1 − P);
* a position is net: YES − NO. Positive means long YES, negative means long NO.

Balances are whole cents, as Kalshi keeps them. On a subpenny market a fill's cash can have a
fraction of a cent: the balance moves by that cash rounded *down* to the cent (against the
account) and the fraction is added to the fee, so ``balance_change + fee`` is always the exact
value of the fill (the same rule UMS follows, SPEC §12.3).

Resting orders reserve what they could cost: an order that would open a position reserves
P (or 1 − P) per open contract plus the taker fee it could pay; the part of a resting order
that would only close a position reserves nothing (shared out in time priority). An order is
accepted only while the reserve of all the account's orders, itself included, fits in the
balance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from workstation.simulator.exchange.fees import cents_floor
from workstation.simulator.exchange.orders import Order
from workstation.simulator.exchange.types import Side
from workstation.simulator.keyword_builder import keyword_builder

__all__ = [
    "MAX_SUB_ACCOUNT",
    "FillMoney",
    "Ledger",
    "SubAccount",
    "opening_unit_cost",
    "reserved_amount",
]

MAX_SUB_ACCOUNT = 63  #: sub-accounts 0 (primary) … 63 (SPEC §9.2 tag 79)
_ZERO = Decimal(0)
_ONE = Decimal(1)


def opening_unit_cost(side: Side, price: Decimal) -> Decimal:
    """What one contract costs when it opens a position: P for YES, 1 − P for NO."""
    return price if side is Side.BUY else _ONE - price


@dataclass(slots=True, kw_only=True)
class SubAccount:
    """The money and positions of one (account, sub-account)."""

    balance: Decimal = Decimal("0.00")  #: dollars, whole cents
    positions: dict[str, Decimal] = field(default_factory=dict)  #: ticker -> net YES
    fees_paid: Decimal = Decimal("0.00")


@dataclass(frozen=True, slots=True, kw_only=True)
class FillMoney:
    """What one fill did to an account."""

    fee: Decimal  #: dollars; the formula fee plus any sub-cent rounding
    balance_change: Decimal  #: signed dollars, whole cents, fee included
    collateral_returned: Decimal  #: the part released by closing a position (≥ 0)
    position_after: Decimal  #: net YES after the fill


@dataclass(slots=True)
class Ledger:
    """Every account's balances and positions. Plain dicts, so it can be persisted."""

    accounts: dict[str, dict[int, SubAccount]] = field(default_factory=dict)
    #: (account, sub-account, ticker) of every position changed since the exchange's reserve
    #: cache last read this (it clears it); a change to ``positions`` must be added here.
    #: Not part of the state: never persisted or compared.
    position_changes: set[tuple[str, int, str]] = field(
        default_factory=set, compare=False, repr=False
    )

    def fund(self, account: str, amount: Decimal, *, sub_account: int = 0) -> SubAccount:
        """Create the sub-account if needed and add ``amount`` dollars (whole cents)."""
        if not 0 <= sub_account <= MAX_SUB_ACCOUNT:
            raise ValueError(f"sub-account {sub_account} is outside 0..{MAX_SUB_ACCOUNT}")
        if amount != cents_floor(amount):
            raise ValueError(f"amount {amount} is not a whole number of cents")
        sub = self.accounts.setdefault(account, {}).setdefault(sub_account, SubAccount())
        sub.balance += amount
        return sub

    def get(self, account: str, sub_account: int = 0) -> SubAccount | None:
        return self.accounts.get(account, {}).get(sub_account)

    def require(self, account: str, sub_account: int = 0) -> SubAccount:
        sub = self.get(account, sub_account)
        if sub is None:
            raise KeyError(f"no sub-account {sub_account} for account {account!r}")
        return sub

    def position(self, account: str, sub_account: int, ticker: str) -> Decimal:
        sub = self.get(account, sub_account)
        return _ZERO if sub is None else sub.positions.get(ticker, _ZERO)

    def apply_fill(
        self,
        *,
        account: str,
        sub_account: int,
        ticker: str,
        side: Side,
        quantity: Decimal,
        price: Decimal,
        fee: Decimal,
    ) -> FillMoney:
        """Book one fill of ``quantity`` at YES ``price`` on ``side`` with ``fee`` dollars."""
        sub = self.require(account, sub_account)
        held = sub.positions.get(ticker, _ZERO)
        if side is Side.BUY:
            closing = min(quantity, max(_ZERO, -held))
            released = closing * (_ONE - price)
            cash = released - (quantity - closing) * price
            after = held + quantity
        else:
            closing = min(quantity, max(_ZERO, held))
            released = closing * price
            cash = released - (quantity - closing) * (_ONE - price)
            after = held - quantity
        self.position_changes.add((account, sub_account, ticker))
        rounded = cents_floor(cash)
        total_fee = fee + (cash - rounded)
        change = rounded - fee
        sub.balance += change
        sub.fees_paid += total_fee
        if after == 0:
            sub.positions.pop(ticker, None)
        else:
            sub.positions[ticker] = after
        return _build_money(
            fee=total_fee,
            balance_change=change,
            collateral_returned=released,
            position_after=after,
        )


def reserved_amount(
    orders: Iterable[Order],
    positions: dict[str, Decimal],
    fee_of: Callable[[Order], Decimal],
) -> Decimal:
    """What ``orders`` (live orders of one sub-account) hold back from its balance.

    ``positions`` maps ticker to net YES; ``fee_of`` gives the most fee an order could pay.
    """
    by_book: dict[tuple[str, Side], list[Order]] = defaultdict(list)
    for order in orders:
        by_book[(order.ticker, order.side)].append(order)
    total = _ZERO
    for (ticker, side), book_orders in by_book.items():
        held = positions.get(ticker, _ZERO)
        closable = max(_ZERO, held) if side is Side.SELL else max(_ZERO, -held)
        for order in sorted(book_orders, key=lambda o: o.priority):
            leaves = order.leaves_qty
            exempt = min(leaves, closable)
            closable -= exempt
            total += (leaves - exempt) * opening_unit_cost(side, order.price) + fee_of(order)
    return total


_build_money = keyword_builder(FillMoney)  #: one per side of every trade
