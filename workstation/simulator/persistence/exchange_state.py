"""The exchange's :class:`~workstation.simulator.exchange.state.ExchangeState` as stored documents.

The state is split by how it grows:

- the **core** document: events and markets, the ledger (balances, positions, fees), order
  groups, the ExecID clock, the exchange-pause flag and the next time priority — small, kept
  as one JSON object and rewritten when its text changes;
- **orders**, one JSON object per order (its id and account beside it);
- **ClOrdIDs**, one row per (account, ClOrdID) naming the order;
- **fills**, one JSON object per (account, ExecID).

``live`` is not stored: it is exactly the orders whose status is live, and is rebuilt from them
(the books and the expiry queue are rebuilt by ``Exchange.from_state``). An event's markets are
stored as tickers and linked back to the very market objects of ``markets``, as the engine
shares them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from workstation.simulator.exchange.accounts import Ledger, SubAccount
from workstation.simulator.exchange.exec_ids import ExecIdClock
from workstation.simulator.exchange.groups import OrderGroup
from workstation.simulator.exchange.market import Event, Market
from workstation.simulator.exchange.orders import Order
from workstation.simulator.exchange.results import OrderFilled
from workstation.simulator.exchange.state import ExchangeState
from workstation.simulator.persistence.codec import CodecError, codec_for

__all__ = [
    "HANDLED_FIELDS",
    "decode_fill",
    "decode_order",
    "decode_state",
    "encode_books",
    "encode_core",
    "encode_fill",
    "encode_markets",
    "encode_order",
    "state_field_names",
]

#: Every ExchangeState field this module stores or rebuilds; a test checks it is all of them.
HANDLED_FIELDS = frozenset(
    {
        "events",
        "markets",
        "orders",
        "cl_ord_ids",
        "live",
        "ledger",
        "groups",
        "fills",
        "exec_ids",
        "exchange_paused",
        "next_priority",
    }
)
_CORE_KEYS = frozenset(
    {"events", "markets", "ledger", "groups", "exec_clock", "exchange_paused", "next_priority"}
)

_EVENTS = codec_for(Event)
_MARKETS = codec_for(Market)
_SUB_ACCOUNTS = codec_for(SubAccount)
_GROUPS = codec_for(OrderGroup)
_ORDERS = codec_for(Order)
_FILLS = codec_for(OrderFilled)


def encode_order(order: Order) -> dict[str, Any]:
    return _ORDERS.encode(order)


def decode_order(data: Any) -> Order:
    return _ORDERS.decode(data)


def encode_fill(fill: OrderFilled) -> dict[str, Any]:
    return _FILLS.encode(fill)


def decode_fill(data: Any) -> OrderFilled:
    return _FILLS.decode(data)


def encode_core(state: ExchangeState) -> dict[str, Any]:
    """Everything but orders, ClOrdIDs and fills, as one JSON-ready object: the
    :func:`encode_markets` part, then the :func:`encode_books` part."""
    return {**encode_markets(state), **encode_books(state)}


def encode_markets(state: ExchangeState) -> dict[str, Any]:
    """The core document's events and markets (they change only when a market's status or
    result does)."""
    events = {}
    for ticker, event in state.events.items():
        doc = _EVENTS.encode(event)
        doc["markets"] = [m.ticker for m in event.markets]
        events[ticker] = doc
    return {
        "events": events,
        "markets": {ticker: _MARKETS.encode(m) for ticker, m in state.markets.items()},
    }


def encode_books(state: ExchangeState) -> dict[str, Any]:
    """The rest of the core document: the ledger, order groups, the ExecID clock, the pause
    flag and the next priority."""
    return {
        "ledger": {
            account: {str(n): _SUB_ACCOUNTS.encode(sub) for n, sub in subs.items()}
            for account, subs in state.ledger.accounts.items()
        },
        "groups": {group_id: _GROUPS.encode(g) for group_id, g in state.groups.items()},
        "exec_clock": state.exec_ids.clock,
        "exchange_paused": state.exchange_paused,
        "next_priority": state.next_priority,
    }


def decode_state(
    core: Any,
    orders: Iterable[Any],
    cl_ord_ids: Iterable[tuple[str, str, str]],
    fills: Iterable[tuple[str, Any]],
) -> ExchangeState:
    """Rebuild the state from its documents; :class:`CodecError` says what does not fit.

    ``fills`` must come in ExecID order per account, as the engine keeps them.
    """
    core = _object(core)
    if core.keys() != _CORE_KEYS:
        raise CodecError(f"the exchange document has keys {sorted(core)}, not {sorted(_CORE_KEYS)}")
    markets: dict[str, Market] = {
        _text(ticker): _MARKETS.decode(doc) for ticker, doc in _object(core["markets"]).items()
    }
    events: dict[str, Event] = {}
    for ticker, stored in _object(core["events"]).items():
        doc = dict(_object(stored))
        tickers = doc.get("markets")
        if not isinstance(tickers, list) or not all(t in markets for t in tickers):
            raise CodecError(f"event {ticker!r} names markets that are not stored: {tickers!r}")
        doc["markets"] = []
        event = _EVENTS.decode(doc)
        event.markets = [markets[t] for t in tickers]
        events[_text(ticker)] = event
    ledger = Ledger()
    for account, subs in _object(core["ledger"]).items():
        ledger.accounts[_text(account)] = {
            _number(n): _SUB_ACCOUNTS.decode(doc) for n, doc in _object(subs).items()
        }
    state = ExchangeState(
        events=events,
        markets=markets,
        ledger=ledger,
        groups={_text(g): _GROUPS.decode(doc) for g, doc in _object(core["groups"]).items()},
        exec_ids=ExecIdClock(clock=_count(core["exec_clock"])),
        exchange_paused=_flag(core["exchange_paused"]),
        next_priority=_count(core["next_priority"]),
    )
    for doc in orders:
        order = decode_order(doc)
        state.orders[order.order_id] = order
        if order.live:
            state.live.setdefault(order.account, {})[order.order_id] = order
    for account, cl_ord_id, order_id in cl_ord_ids:
        if order_id not in state.orders:
            raise CodecError(f"ClOrdID {cl_ord_id!r} of {account!r} names a missing order")
        state.cl_ord_ids.setdefault(account, {})[cl_ord_id] = order_id
    for account, doc in fills:
        fill = decode_fill(doc)
        state.fills.setdefault(account, {})[str(fill.exec_id)] = fill
    return state


def state_field_names() -> frozenset[str]:
    """The fields ExchangeState has today (compared with :data:`HANDLED_FIELDS` in tests)."""
    return frozenset(f.name for f in fields(ExchangeState))


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CodecError(f"expected an object, found {value!r}")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise CodecError(f"expected text, found {value!r}")
    return value


def _number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CodecError(f"expected a sub-account number, found {text!r}") from None


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CodecError(f"expected a non-negative integer, found {value!r}")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise CodecError(f"expected true or false, found {value!r}")
    return value
