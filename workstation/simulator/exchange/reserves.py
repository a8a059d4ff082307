"""What each sub-account's live orders hold back, kept per book so checking one more order
costs O(1) instead of a pass over every live order of the account.

The rule is :func:`~.accounts.reserved_amount`: an order reserves what it could cost when it
opens a position, plus the most taker fee it could pay; the part that would only close a
position reserves nothing, shared out in time priority within its (ticker, side). That sum is
independent from one (ticker, side) to the next, so :class:`Reserves` keeps, per
(account, sub-account, ticker, side) — a *book* here — the book's live orders, its term of the
sum and its total leaves quantity, and per (account, sub-account) the sum of its terms.

Keeping it right:

* a new order is always the newest in its book, so :meth:`Reserves.add` (and the what-if of
  :meth:`Reserves.reserved` with ``extra``) extends the book's term in O(1): the newest order
  gets whatever closing allowance the older ones left;
* anything else that changes a book makes it *stale*, and a stale book is recomputed from its
  orders with :func:`~.accounts.reserved_amount` itself at the next question. The exchange
  marks a book stale when it cancels an order or amends one (:meth:`Reserves.stale`), and the
  :class:`~.accounts.Ledger` logs every (account, sub-account, ticker) whose position a fill
  or a settlement changed (which covers every fill, block trades included); the log is read
  at the start of each question;
* an account's books are built from ``state.live`` the first time it is asked about, and the
  whole cache starts again if the exchange's state object is replaced (restore from disk).

A book lists its orders in a plain list (a live order costs the cache one reference); the
list is filtered against ``state.live`` on every recomputation, so an order that left the
live set is dropped there even if nobody said so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from workstation.simulator.exchange.accounts import opening_unit_cost, reserved_amount
from workstation.simulator.exchange.orders import Order
from workstation.simulator.exchange.state import ExchangeState
from workstation.simulator.exchange.types import Side

__all__ = ["Reserves"]

_ZERO = Decimal(0)

_Holder = tuple[str, int]  #: (account, sub-account)
_BookKey = tuple[str, Side]  #: (ticker, side)


@dataclass(slots=True)
class _Book:
    orders: list[Order] = field(default_factory=list)  #: live ones, and finished ones until
    #: the next recomputation drops them
    term: Decimal = _ZERO  #: this book's part of the sub-account's reserve
    leaves: Decimal = _ZERO  #: Σ leaves of its orders


@dataclass(slots=True)
class _Holdings:
    books: dict[_BookKey, _Book] = field(default_factory=dict)
    stale: set[_BookKey] = field(default_factory=set)
    total: Decimal = _ZERO  #: Σ term of the books that are not stale


class Reserves:
    """The reserve of every sub-account, kept per book; see the module docstring."""

    def __init__(
        self, state: Callable[[], ExchangeState], fee_of: Callable[[Order], Decimal]
    ) -> None:
        self._state_of = state
        self._fee_of = fee_of
        self._state: ExchangeState | None = None
        self._holders: dict[_Holder, _Holdings] = {}
        #: the last ``extra`` order asked about, the leaves it was added after and its term:
        #: a new order is asked about and then added at once, with nothing changed between
        self._asked: tuple[Order, Decimal, Decimal] | None = None

    # ------------------------------------------------------------------ questions

    def reserved(self, account: str, sub_account: int, extra: Order | None = None) -> Decimal:
        """The reserve of the sub-account's live orders, plus ``extra`` (an order not yet
        registered, newer than every live one) when given."""
        holdings = self._holdings(account, sub_account)
        positions = self._positions(account, sub_account)
        self._refresh(holdings, account, sub_account, positions)
        if extra is None:
            return holdings.total
        book = holdings.books.get((extra.ticker, extra.side))
        leaves_before = _ZERO if book is None else book.leaves
        term = self._newest_term(extra, leaves_before, positions)
        self._asked = (extra, leaves_before, term)
        return holdings.total + term

    # ------------------------------------------------------------------ what the exchange tells

    def add(self, order: Order) -> None:
        """``order`` was just registered (live, newer than every other)."""
        holdings = self._known(order.account, order.sub_account)
        if holdings is None:
            return  # not built yet: the first question reads it from state.live
        key = (order.ticker, order.side)
        book = holdings.books.setdefault(key, _Book())
        book.orders.append(order)
        if key in holdings.stale:
            return
        asked, self._asked = self._asked, None
        if asked is not None and asked[0] is order and asked[1] == book.leaves:
            term = asked[2]  # just asked about, as it is now: the same term
        else:
            positions = self._positions(order.account, order.sub_account)
            term = self._newest_term(order, book.leaves, positions)
        book.term += term
        book.leaves += order.leaves_qty
        holdings.total += term

    def stale(self, order: Order) -> None:
        """``order``'s book changed in a way only a recomputation captures (a cancel, an
        amend, a temporary what-if change and its undoing)."""
        holdings = self._known(order.account, order.sub_account)
        if holdings is not None:
            self._mark(holdings, (order.ticker, order.side))

    # ------------------------------------------------------------------ the machinery

    def _check_state(self) -> ExchangeState:
        state = self._state_of()
        if state is not self._state:
            self._state = state
            self._holders.clear()
            state.ledger.position_changes.clear()
        return state

    def _known(self, account: str, sub_account: int) -> _Holdings | None:
        self._check_state()
        return self._holders.get((account, sub_account))

    def _positions(self, account: str, sub_account: int) -> dict[str, Decimal]:
        sub = self._check_state().ledger.get(account, sub_account)
        return {} if sub is None else sub.positions

    def _holdings(self, account: str, sub_account: int) -> _Holdings:
        state = self._check_state()
        self._drain(state)
        holdings = self._holders.get((account, sub_account))
        if holdings is None:
            holdings = _Holdings()
            for order in state.live.get(account, {}).values():
                if order.sub_account == sub_account:
                    key = (order.ticker, order.side)
                    holdings.books.setdefault(key, _Book()).orders.append(order)
            holdings.stale.update(holdings.books)
            self._holders[(account, sub_account)] = holdings
        return holdings

    def _drain(self, state: ExchangeState) -> None:
        """Turn the ledger's log of position changes into stale books."""
        changes = state.ledger.position_changes
        if not changes:
            return
        for account, sub_account, ticker in changes:
            holdings = self._holders.get((account, sub_account))
            if holdings is not None:
                self._mark(holdings, (ticker, Side.BUY))
                self._mark(holdings, (ticker, Side.SELL))
        changes.clear()

    @staticmethod
    def _mark(holdings: _Holdings, key: _BookKey) -> None:
        book = holdings.books.get(key)
        if book is None or key in holdings.stale:
            return
        holdings.stale.add(key)
        holdings.total -= book.term

    def _refresh(
        self,
        holdings: _Holdings,
        account: str,
        sub_account: int,
        positions: dict[str, Decimal],
    ) -> None:
        if not holdings.stale:
            return
        live = self._check_state().live.get(account, {})
        for key in holdings.stale:
            book = holdings.books[key]
            orders = [o for o in book.orders if live.get(o.order_id) is o]
            if not orders:
                del holdings.books[key]
                continue
            book.orders = orders
            book.term = reserved_amount(orders, positions, self._fee_of)
            book.leaves = sum((o.leaves_qty for o in orders), _ZERO)
            holdings.total += book.term
        holdings.stale.clear()

    def _newest_term(
        self, order: Order, leaves_before: Decimal, positions: dict[str, Decimal]
    ) -> Decimal:
        """What ``order`` adds to its book's term as the newest order there: the closing
        allowance left after the older orders took theirs (as :func:`reserved_amount` shares
        it out in time priority), and the opening cost and fee of the rest."""
        held = positions.get(order.ticker, _ZERO)
        closable = max(_ZERO, held) if order.side is Side.SELL else max(_ZERO, -held)
        allowance = max(_ZERO, closable - leaves_before)
        leaves = order.leaves_qty
        exempt = min(leaves, allowance)
        return (leaves - exempt) * opening_unit_cost(order.side, order.price) + self._fee_of(order)
