"""Invariants under random order flow: money is conserved, books never stay crossed, ExecIDs
rise, the book holds exactly the live orders, and settlement pays everything out."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workstation.simulator.exchange import (
    Exchange,
    ExecId,
    MarketResult,
    NewOrder,
    ReplaceOrder,
    SelfTradePrevention,
    Side,
    TimeInForce,
)

from .helpers import NOW, SUB, T2, D, T, exchange

ACCOUNTS = ("alice", "bob", "carol")
TICKERS = (T, T2)

new_op = st.tuples(
    st.just("new"),
    st.sampled_from(ACCOUNTS),
    st.sampled_from(TICKERS),
    st.sampled_from(Side),
    st.integers(1, 99),
    st.integers(1, 30),
    st.sampled_from([TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK, TimeInForce.DAY]),
    st.sampled_from(SelfTradePrevention),
    st.booleans(),
)
cancel_op = st.tuples(st.just("cancel"), st.integers(0, 50))
replace_op = st.tuples(
    st.just("replace"), st.integers(0, 50), st.integers(1, 40), st.integers(1, 99)
)
ops = st.lists(st.one_of(new_op, new_op, cancel_op, replace_op), min_size=1, max_size=40)


def _total(x: Exchange) -> Decimal:
    total = Decimal(0)
    for subs in x.ledger.accounts.values():
        for sub in subs.values():
            total += sub.balance + sub.fees_paid
            total += sum((q for q in sub.positions.values() if q > 0), Decimal(0))
    return total


def _check(x: Exchange, funded: Decimal) -> None:
    assert _total(x) == funded
    for ticker in (*TICKERS, SUB):
        bid, ask = x.best_price(ticker, Side.BUY), x.best_price(ticker, Side.SELL)
        assert bid is None or ask is None or bid < ask
    on_book = sum(level.orders for t in TICKERS for s in Side for level in x.depth(t, s))
    live = [o for o in x.state.orders.values() if o.live]
    assert on_book == len(live)
    for o in x.state.orders.values():
        assert 0 <= o.cum_qty <= o.order_qty
        assert (o.leaves_qty > 0) == o.live


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_random_flow_keeps_the_invariants(operations) -> None:
    x = exchange(funds="60.00")
    funded = Decimal("180.00")
    placed: list[tuple[str, str, str, Side]] = []  # account, current ClOrdID, ticker, side
    exec_ids: list[ExecId] = []
    now = NOW
    for n, op in enumerate(operations):
        now += 1
        if op[0] == "new":
            _, account, ticker, side, cents, qty, tif, stp, post_only = op
            post_only = post_only and tif not in (TimeInForce.IOC, TimeInForce.FOK)
            cl = f"o{n}"
            out = x.submit(
                NewOrder(
                    account=account,
                    cl_ord_id=cl,
                    ticker=ticker,
                    side=side,
                    price=D(cents) / 100,
                    quantity=D(qty),
                    time_in_force=tif,
                    stp=stp,
                    post_only=post_only,
                ),
                now,
            )
            placed.append((account, cl, ticker, side))
        elif not placed:
            continue
        elif op[0] == "cancel":
            account, cl, ticker, side = placed[op[1] % len(placed)]
            out = x.cancel(
                account=account,
                cl_ord_id=f"c{n}",
                orig_cl_ord_id=cl,
                ticker=ticker,
                side=side,
                now=now,
            )
        else:
            index = op[1] % len(placed)
            account, cl, ticker, side = placed[index]
            out = x.replace(
                ReplaceOrder(
                    account=account,
                    cl_ord_id=f"r{n}",
                    orig_cl_ord_id=cl,
                    ticker=ticker,
                    side=side,
                    quantity=D(op[2]),
                    price=D(op[3]) / 100,
                ),
                now,
            )
            placed[index] = (account, f"r{n}", ticker, side)
        exec_ids.extend(r.exec_id for r in out if hasattr(r, "exec_id"))
        _check(x, funded)
    assert exec_ids == sorted(exec_ids) and len(set(exec_ids)) == len(exec_ids)
    for ticker, result in zip(TICKERS, (MarketResult.YES, MarketResult.NO), strict=True):
        x.settle_market(ticker, result, now + 10)
    assert _total(x) == funded
    assert all(not sub.positions for subs in x.ledger.accounts.values() for sub in subs.values())
    assert all(x.reserved(a) == 0 for a in ACCOUNTS)
