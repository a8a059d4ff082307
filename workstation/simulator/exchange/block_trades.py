"""Block trades: a trade two accounts agreed off the book — an executed RFQ (SPEC §13.1).

When an RFQ's execution timer ends, Kalshi enters both sides' orders and they trade with each
other at the agreed YES price. The simulator does that in one step, beside the book: no one
else's resting order takes part and neither order rests. Everything else is a trade like any
other, so reports, snapshots, drop copy and reconciliation treat it the same way:

- each side gets an order of its own (the exchange's record, with an OrderID; ``session_tag``
  None, since no session placed it), created already filled;
- the fill is booked with full trade economics: the fee from the schedule (the taker's for the
  side that took the other's quote, the maker's for the quoter), collateral, the net position;
- one ExecID cycle reports, in order: the expiries due by ``now`` (every action starts so), an
  :class:`~.results.OrderAccepted` per side (``traded_at_once``, so FIX folds it into the trade
  report unless the session asked for AlwaysEmitNewBeforeTrade 21026), then an
  :class:`~.results.OrderFilled` per side, taker first, both with one TrdMatchID.

All or nothing. Checks, first failure wins: exchange paused, market exists, market open,
price on the market's grid and quantity a positive multiple of 0.01 (RFQ sizes), then for
each side (taker first) that its sub-account exists and that it can afford its part — the
reserve of its live orders plus this trade, at the taker fee, within its balance, as a new
order is checked. A refused trade changes nothing and reports an
:class:`~.results.OrderRejected` for **each** side with the reason that stopped it (the side
without a problem of its own is told why its trade did not happen).

A side's ClOrdID is whatever the caller names (the RFQ gateway uses the acceptance's ClOrdID
or the QuoteID). The order is findable by it afterwards unless a live order of that account
already uses it, which keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workstation.simulator.exchange.clock import clearing_date
from workstation.simulator.exchange.core import ExchangeCore
from workstation.simulator.exchange.market import Market, MarketStatus
from workstation.simulator.exchange.orders import NewOrder, Order
from workstation.simulator.exchange.reasons import Reason, ord_rej_reason
from workstation.simulator.exchange.results import (
    OrderAccepted,
    OrderFilled,
    OrderRejected,
    Result,
)
from workstation.simulator.exchange.types import OrdStatus, SelfTradePrevention, Side, TimeInForce

__all__ = ["BLOCK_QTY_STEP", "BlockTrade", "BlockTradeSide", "execute_block_trade"]

#: RFQ sizes are contracts in 0.01 steps (SPEC §13.3 OrderQty).
BLOCK_QTY_STEP = Decimal("0.01")
_ZERO = Decimal(0)

_NOT_OPEN = {
    MarketStatus.PAUSED: Reason.TRADING_PAUSED,
    MarketStatus.CLOSED: Reason.MARKET_ALREADY_CLOSED,
    MarketStatus.SETTLED: Reason.MARKET_INACTIVE,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockTradeSide:
    """One party to a block trade."""

    account: str
    cl_ord_id: str  #: ClOrdID (11) of this side's order
    sub_account: int = 0
    #: The OrderID to give the order (e.g. one already announced to the client in a pending
    #: report); None draws a fresh one.
    order_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BlockTrade:
    """A trade agreed off the book: ``buyer`` buys ``quantity`` YES from ``seller``."""

    ticker: str
    yes_price: Decimal  #: dollars
    quantity: Decimal  #: contracts, 0.01 steps
    buyer: BlockTradeSide  #: buys YES
    seller: BlockTradeSide  #: sells YES (buys NO)
    #: The buyer took the seller's quote (else the seller took the buyer's): the taker is the
    #: aggressor (1057=Y) and pays the taker fee; the other side pays the maker fee.
    taker_is_buyer: bool

    def __post_init__(self) -> None:
        if self.buyer.account == self.seller.account:
            raise ValueError(f"a block trade needs two accounts, not {self.buyer.account} twice")


def execute_block_trade(core: ExchangeCore, trade: BlockTrade, now: float) -> list[Result]:
    """Book ``trade`` (see the module docstring); the results of what happened, in order."""
    out = core._begin(now)
    taker, maker = _sides(trade)
    requests = [(side, _request(trade, side, book_side)) for side, book_side in (taker, maker)]
    reason = _problem(core, trade, [request for _, request in requests], now)
    if reason is not None:
        code = ord_rej_reason(reason, core.rules)
        out += [
            OrderRejected(transact_time=now, request=r, reason=reason, ord_rej_reason=code)
            for _, r in requests
        ]
        return out
    market = core.state.markets[trade.ticker]
    orders = [_register(core, side, request, now) for side, request in requests]
    for order in orders:
        out.append(
            OrderAccepted(
                exec_id=core.state.exec_ids.next(),
                transact_time=now,
                order=order.view(),
                traded_at_once=True,
            )
        )
    trade_id = core.ids.trade_id()
    date = clearing_date(now)
    for order, is_taker in zip(orders, (True, False), strict=True):
        out.append(_fill(core, market, order, is_taker, trade_id, date, now))
    return out


def _sides(
    trade: BlockTrade,
) -> tuple[tuple[BlockTradeSide, Side], tuple[BlockTradeSide, Side]]:
    buyer, seller = (trade.buyer, Side.BUY), (trade.seller, Side.SELL)
    return (buyer, seller) if trade.taker_is_buyer else (seller, buyer)


def _request(trade: BlockTrade, side: BlockTradeSide, book_side: Side) -> NewOrder:
    """The order one side enters, as the exchange's new-order record."""
    return NewOrder(
        account=side.account,
        cl_ord_id=side.cl_ord_id,
        ticker=trade.ticker,
        side=book_side,
        price=trade.yes_price,
        quantity=trade.quantity,
        sub_account=side.sub_account,
    )


def _problem(
    core: ExchangeCore, trade: BlockTrade, requests: list[NewOrder], now: float
) -> Reason | None:
    if core.state.exchange_paused:
        return Reason.EXCHANGE_PAUSED
    market = core.state.markets.get(trade.ticker)
    if market is None:
        return Reason.MARKET_NOT_FOUND
    if market.status is not MarketStatus.OPEN:
        return _NOT_OPEN[market.status]
    quantity = trade.quantity
    on_step = quantity.is_finite() and quantity % BLOCK_QTY_STEP == 0
    if not market.valid_price(trade.yes_price) or not on_step or quantity <= _ZERO:
        return Reason.INVALID_ORDER
    for request in requests:
        if core.ledger.get(request.account, request.sub_account) is None:
            return Reason.CUSTOMER_ACCOUNT_NOT_FOUND
        if not core._affordable(request.account, request.sub_account, _probe(core, request, now)):
            return Reason.INSUFFICIENT_BALANCE
    return None


def _probe(core: ExchangeCore, request: NewOrder, now: float) -> Order:
    """The side's order as it would stand before trading: what it must be able to afford."""
    return _order(request, order_id="", priority=core.state.next_priority, now=now)


def _order(request: NewOrder, *, order_id: str, priority: int, now: float) -> Order:
    return Order(
        order_id=order_id,
        account=request.account,
        sub_account=request.sub_account,
        session_tag=None,
        cl_ord_id=request.cl_ord_id,
        orig_cl_ord_id=None,
        ticker=request.ticker,
        side=request.side,
        price=request.price,
        order_qty=request.quantity,
        time_in_force=TimeInForce.GTC,
        expire_time=None,
        post_only=False,
        stp=SelfTradePrevention.TAKER_AT_CROSS,
        group_id=None,
        cancel_on_pause=False,
        report_expiry=False,
        created_at=now,
    )


def _register(core: ExchangeCore, side: BlockTradeSide, request: NewOrder, now: float) -> Order:
    """Record the side's order (never live, never in a book)."""
    order_id = side.order_id if side.order_id is not None else core.ids.order_id()
    order = _order(request, order_id=order_id, priority=core._next_priority(), now=now)
    core.state.orders[order_id] = order
    names = core.state.cl_ord_ids.setdefault(order.account, {})
    holder = names.get(order.cl_ord_id)
    live = core.state.live.get(order.account, {})
    if holder is None or holder not in live:
        names[order.cl_ord_id] = order_id
    return order


def _fill(
    core: ExchangeCore,
    market: Market,
    order: Order,
    is_taker: bool,
    trade_id: str,
    date: str,
    now: float,
) -> OrderFilled:
    quantity, price = order.order_qty, order.price
    fee = core.fees.fee(market, quantity, price, maker=not is_taker)
    money = core.ledger.apply_fill(
        account=order.account,
        sub_account=order.sub_account,
        ticker=order.ticker,
        side=order.side,
        quantity=quantity,
        price=price,
        fee=fee,
    )
    order.cum_qty = quantity
    order.cum_value = quantity * price
    order.status = OrdStatus.FILLED
    fill = OrderFilled(
        exec_id=core.state.exec_ids.next(),
        transact_time=now,
        order=order.view(),
        last_qty=quantity,
        last_px=price,
        aggressor=is_taker,
        trade_id=trade_id,
        fee=money.fee,
        balance_change=money.balance_change,
        collateral_returned=money.collateral_returned,
        long_qty=max(money.position_after, _ZERO),
        short_qty=max(-money.position_after, _ZERO),
        clearing_date=date,
    )
    core.state.fills.setdefault(order.account, {})[str(fill.exec_id)] = fill
    return fill
