"""Writing the exchange state incrementally: only what changed since the last write.

Rewriting the whole state after every publish batch would cost time in proportion to every
order ever placed, and so would comparing every live order with what was written. What a
write costs is in proportion to what changed instead. :class:`ExchangeSync` remembers what is
on disk and, at each write, finds what changed. Why that finds *every* change, part by part
(the engine's code in ``exchange/core.py``, ``order_entry.py``, ``market_admin.py``,
``group_desk.py``, ``block_trades.py`` and ``engine.py`` is what this relies on):

- **Orders.** An order changes only while it is live, and only by an action that reports
  it: registration (every registered order gets an accepted, filled or cancelled result),
  fills (a fill result for each side), cancels and expiries (a cancel result) and replaces
  (a replace result); nothing moves an order out of a final status (filled, cancelled,
  expired). So the orders to write are those the batch's results name, and those gone since
  the last write (``forget_history``, which reports nothing: the flow forgets orders that
  others filled earlier). Whenever the number of orders differs from the number on disk the
  full sets of order ids are compared. An *audit* write (at least once a minute, and when
  the venue stops) also compares every field of every order that was live when written, and
  the full sets of order ids, so a change that came without a result would still reach the
  disk.
- **ClOrdIDs.** An account's map changes only when one of its orders is registered, renamed
  (cancel, replace) or forgotten — all order changes above. For every account with a written
  order, the names of the written orders go to disk (the usual change); for an account with
  a deleted order, and for every account on an audit, the whole map is compared with what is
  on disk, and any other difference written too.
- **Fills.** An account's fills only grow, by new ExecIDs, until ``forget_history`` drops the
  account's whole dict: the same dict with more entries means the newest entries are new; a
  different dict (or a smaller one) is rewritten whole.
- **Everything else** (markets, ledger, groups, the ExecID clock, the pause flag, the next
  priority) is one document, written when its text differs. Its events and markets part is
  the larger (every market's fields) and changes only when a market's status or result does:
  its text is kept and made again only for a write whose batch holds a result other than an
  order's or an order group's (a market's status, a settlement…), for a write with no results
  (the tick's) and for an audit.

:meth:`ExchangeSync.write_all` rewrites everything, for a new file or after a rolled-back
transaction left the disk behind what was remembered.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import fields
from itertools import islice
from operator import attrgetter
from typing import Any

from workstation.simulator.exchange.orders import Order
from workstation.simulator.exchange.results import (
    CancelRejected,
    MassCancelDone,
    MassCancelRejected,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderGroupChanged,
    OrderGroupRejected,
    OrderRejected,
    OrderReplaced,
    Result,
)
from workstation.simulator.exchange.state import ExchangeState
from workstation.simulator.persistence.exchange_state import (
    encode_books,
    encode_fill,
    encode_markets,
    encode_order,
)

__all__ = ["ExchangeSync"]

_fingerprint = attrgetter(*(f.name for f in fields(Order)))
_ORDER_RESULTS = (OrderAccepted, OrderFilled, OrderCancelled, OrderReplaced)
#: results that change no market (orders, order groups, refusals)
_MARKETS_UNCHANGED = frozenset(
    {
        OrderAccepted,
        OrderFilled,
        OrderCancelled,
        OrderReplaced,
        OrderRejected,
        CancelRejected,
        MassCancelDone,
        MassCancelRejected,
        OrderGroupChanged,
        OrderGroupRejected,
    }
)


#: json.dumps(value, separators=(",", ":")), without making an encoder for every row
_dumps: Callable[[Any], str] = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode


class ExchangeSync:
    """What of one exchange state is on disk; writes go through ``connection``, inside the
    caller's transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._core: str | None = None
        #: the text of the core document's events and markets part, as last made
        self._markets: str | None = None
        #: order id -> account, for every order on disk
        self._orders: dict[str, str] = {}
        #: order id -> fingerprint, for the orders that were live when written
        self._live: dict[str, Any] = {}
        #: account -> its ClOrdID map as on disk
        self._names: dict[str, dict[str, str]] = {}
        #: account -> (the fills dict written from, how many of its entries are on disk)
        self._fills: dict[str, tuple[dict[str, OrderFilled], int]] = {}

    def adopt(self, state: ExchangeState) -> None:
        """Take ``state``'s orders, ClOrdIDs and fills as what the disk holds (just read back);
        the core document is written at the next :meth:`write`."""
        self._core = self._markets = None
        self._orders = {oid: order.account for oid, order in state.orders.items()}
        self._live = {oid: _fingerprint(o) for oid, o in state.orders.items() if o.live}
        self._names = {account: dict(names) for account, names in state.cl_ord_ids.items()}
        self._fills = {account: (d, len(d)) for account, d in state.fills.items()}

    def write_all(self, state: ExchangeState) -> None:
        """Replace everything on disk with ``state``."""
        for table in ("venue_orders", "venue_cl_ord_ids", "venue_fills"):
            self._db.execute(f"DELETE FROM {table}")
        self._db.executemany(
            "INSERT INTO venue_orders (order_id, account, data) VALUES (?, ?, ?)",
            [(oid, o.account, _dumps(encode_order(o))) for oid, o in state.orders.items()],
        )
        self._db.executemany(
            "INSERT INTO venue_cl_ord_ids (account, cl_ord_id, order_id) VALUES (?, ?, ?)",
            [
                (account, name, oid)
                for account, names in state.cl_ord_ids.items()
                for name, oid in names.items()
            ],
        )
        for account, fills in state.fills.items():
            self._insert_fills(account, fills.values())
        self.adopt(state)
        self._write_core(state)

    def write(
        self, state: ExchangeState, results: Sequence[Result] = (), *, audit: bool = False
    ) -> None:
        """Write what changed since the last write; see the module docstring. ``audit`` also
        compares everything that could have changed unreported."""
        orders = state.orders
        dirty: set[str] = {r.order.order_id for r in results if isinstance(r, _ORDER_RESULTS)}
        if audit:
            for oid, fingerprint in self._live.items():
                order = orders.get(oid)
                if order is None or _fingerprint(order) != fingerprint:
                    dirty.add(oid)
        names: dict[str, list[tuple[str, str]]] = {}
        whole: set[str] = set()  #: accounts whose ClOrdIDs are compared whole
        self._write_orders(orders, dirty, names, whole)
        if audit or len(orders) != len(self._orders):
            missed = (orders.keys() - self._orders.keys()) | (self._orders.keys() - orders.keys())
            self._write_orders(orders, missed, names, whole)
        if audit:
            whole |= state.cl_ord_ids.keys() | self._names.keys()
            for account in whole:
                names.setdefault(account, [])
        for account, written in names.items():
            self._write_names(
                account, state.cl_ord_ids.get(account, {}), written, whole=account in whole
            )
        self._write_fills(state)
        markets_changed = (
            audit or not results or any(type(r) not in _MARKETS_UNCHANGED for r in results)
        )
        self._write_core(state, markets_changed=markets_changed)

    # ------------------------------------------------------------------ parts

    def _write_orders(
        self,
        orders: dict[str, Order],
        dirty: set[str],
        names: dict[str, list[tuple[str, str]]],
        whole: set[str],
    ) -> None:
        """Write (or delete) the ``dirty`` orders; add to ``names``, per account touched, the
        (ClOrdID, order id) pairs the written orders answer to, and to ``whole`` the accounts
        of the deleted ones."""
        upserts: list[tuple[str, str, str]] = []
        deletes: list[tuple[str]] = []
        for oid in dirty:
            order = orders.get(oid)
            if order is None:
                account = self._orders.pop(oid, None)
                self._live.pop(oid, None)
                if account is not None:
                    deletes.append((oid,))
                    names.setdefault(account, [])
                    whole.add(account)
                continue
            upserts.append((oid, order.account, _dumps(encode_order(order))))
            self._orders[oid] = order.account
            pairs = names.setdefault(order.account, [])
            pairs.append((order.cl_ord_id, oid))
            if order.orig_cl_ord_id is not None:
                pairs.append((order.orig_cl_ord_id, oid))
            if order.live:
                self._live[oid] = _fingerprint(order)
            else:
                self._live.pop(oid, None)
        self._db.executemany(
            "INSERT OR REPLACE INTO venue_orders (order_id, account, data) VALUES (?, ?, ?)",
            upserts,
        )
        self._db.executemany("DELETE FROM venue_orders WHERE order_id = ?", deletes)

    def _write_names(
        self, account: str, names: dict[str, str], written: list[tuple[str, str]], *, whole: bool
    ) -> None:
        """Write the names of the orders just written that the account's ClOrdIDs (``names``)
        now give them; with ``whole``, bring the account's ClOrdIDs on disk to ``names``."""
        on_disk = self._names.setdefault(account, {})
        quick = [(n, oid) for n, oid in written if names.get(n) == oid and on_disk.get(n) != oid]
        if quick:
            self._db.executemany(
                "INSERT OR REPLACE INTO venue_cl_ord_ids (account, cl_ord_id, order_id)"
                " VALUES (?, ?, ?)",
                [(account, n, oid) for n, oid in quick],
            )
            on_disk.update(quick)
        if not whole:
            return
        if names == on_disk:
            if not on_disk:
                del self._names[account]
            return
        gone = on_disk.keys() - names.keys()
        changed = names.items() - on_disk.items()
        self._db.executemany(
            "DELETE FROM venue_cl_ord_ids WHERE account = ? AND cl_ord_id = ?",
            [(account, name) for name in gone],
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO venue_cl_ord_ids (account, cl_ord_id, order_id)"
            " VALUES (?, ?, ?)",
            [(account, name, oid) for name, oid in changed],
        )
        if names:
            self._names[account] = dict(names)
        else:
            self._names.pop(account, None)

    def _write_fills(self, state: ExchangeState) -> None:
        for account, fills in state.fills.items():
            known = self._fills.get(account)
            if known is None or known[0] is not fills or len(fills) < known[1]:
                self._db.execute("DELETE FROM venue_fills WHERE account = ?", (account,))
                self._insert_fills(account, fills.values())
            elif len(fills) > known[1]:
                newest = list(islice(reversed(fills.values()), len(fills) - known[1]))
                self._insert_fills(account, reversed(newest))
            self._fills[account] = (fills, len(fills))
        for account in self._fills.keys() - state.fills.keys():
            self._db.execute("DELETE FROM venue_fills WHERE account = ?", (account,))
            del self._fills[account]

    def _insert_fills(self, account: str, fills: Any) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO venue_fills (account, clock, event, data) VALUES (?, ?, ?, ?)",
            [(account, f.exec_id.clock, f.exec_id.event, _dumps(encode_fill(f))) for f in fills],
        )

    def _write_core(self, state: ExchangeState, *, markets_changed: bool = True) -> None:
        if markets_changed or self._markets is None:
            self._markets = _dumps(encode_markets(state))
        # the text json.dumps(encode_core(state)) gives: the two parts' members, in order
        text = f"{self._markets[:-1]},{_dumps(encode_books(state))[1:]}"
        if text == self._core:
            return
        self._db.execute(
            "INSERT OR REPLACE INTO venue_meta (key, value) VALUES ('exchange', ?)", (text,)
        )
        self._core = text
