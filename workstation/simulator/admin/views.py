"""The exchange's plain data as JSON-ready dicts for admin answers.

Money, prices and quantities are decimal *strings* (``"0.35"``, ``"10"``) so nothing is lost to
binary floats; times are epoch seconds. Sides and statuses are given by name (``"BUY"``,
``"PARTIALLY_FILLED"``) with the FIX value beside them where a reader may want it.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.exchange.market import Market
from workstation.simulator.exchange.orders import OrderView
from workstation.simulator.exchange.results import OrderFilled, Result
from workstation.simulator.exchange.snapshot import AccountSnapshot, SubAccountSnapshot
from workstation.simulator.exchange.types import Side

__all__ = ["effects", "market_view", "money", "snapshot_view"]


def money(value: Decimal | None) -> str | None:
    """A decimal as plain text (no exponent), None kept."""
    if value is None:
        return None
    return f"{value:f}"


def effects(results: list[Result]) -> dict[str, int]:
    """How many results of each kind an action produced, e.g. ``{"OrderCancelled": 2}``."""
    return dict(Counter(type(r).__name__ for r in results))


def market_view(exchange: Exchange, market: Market) -> dict[str, Any]:
    return {
        "ticker": market.ticker,
        "event_ticker": market.event_ticker,
        "title": market.title,
        "status": market.status.value,
        "tick": money(market.tick),
        "best_bid": money(exchange.best_price(market.ticker, Side.BUY)),
        "best_ask": money(exchange.best_price(market.ticker, Side.SELL)),
        "result": None if market.result is None else market.result.value,
        "settlement_value": money(market.settlement_value),
    }


def _order_view(order: OrderView) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "cl_ord_id": order.cl_ord_id,
        "orig_cl_ord_id": order.orig_cl_ord_id,
        "sub_account": order.sub_account,
        "ticker": order.ticker,
        "side": order.side.name,
        "price": money(order.price),
        "order_qty": money(order.order_qty),
        "cum_qty": money(order.cum_qty),
        "leaves_qty": money(order.leaves_qty),
        "avg_px": money(order.avg_px),
        "status": order.status.name,
        "ord_status": order.status.value,
        "time_in_force": order.time_in_force.name,
        "expire_time": order.expire_time,
        "post_only": order.post_only,
        "group_id": order.group_id,
    }


def _fill_view(fill: OrderFilled) -> dict[str, Any]:
    return {
        "exec_id": str(fill.exec_id),
        "order_id": fill.order.order_id,
        "cl_ord_id": fill.order.cl_ord_id,
        "sub_account": fill.order.sub_account,
        "ticker": fill.order.ticker,
        "side": fill.order.side.name,
        "last_qty": money(fill.last_qty),
        "last_px": money(fill.last_px),
        "aggressor": fill.aggressor,
        "trade_id": fill.trade_id,
        "fee": money(fill.fee),
        "balance_change": money(fill.balance_change),
        "transact_time": fill.transact_time,
    }


def _sub_account_view(sub: SubAccountSnapshot) -> dict[str, Any]:
    return {
        "balance": money(sub.balance),
        "reserved": money(sub.reserved),
        "available": money(sub.available),
        "fees_paid": money(sub.fees_paid),
        "positions": {t: money(q) for t, q in sorted(sub.positions.items())},
    }


def snapshot_view(snapshot: AccountSnapshot) -> dict[str, Any]:
    """An account for reconciliation: every sub-account's money and positions, every order,
    and every fill keyed by ExecID. ``balance``/``available``/``positions`` at the top are the
    primary sub-account's (0)."""
    subs = {str(n): _sub_account_view(s) for n, s in sorted(snapshot.sub_accounts.items())}
    primary = subs.get("0", {"balance": "0.00", "available": "0.00", "positions": {}})
    return {
        "account": snapshot.account,
        "balance": primary["balance"],
        "available": primary["available"],
        "positions": primary["positions"],
        "sub_accounts": subs,
        "orders": [_order_view(o) for o in snapshot.orders],
        "open_orders": len(snapshot.open_orders),
        "fills": {exec_id: _fill_view(f) for exec_id, f in snapshot.fills.items()},
    }
