"""Simulated participants: deterministic by seed, liquid on both sides, and they fill us."""

from __future__ import annotations

from decimal import Decimal

from workstation.simulator.exchange import (
    Exchange,
    MarketStatus,
    OrderFilled,
    SequentialIds,
    Side,
)
from workstation.simulator.exchange.flow import FlowConfig, SimulatedFlow
from workstation.simulator.exchange.markets_default import default_events

from .helpers import NOW, D, of_type, order

NYC = "KXHIGHNY-26NOV24-B46.5"


def _run(seed: int, steps: int = 25) -> list[tuple[str, Decimal, Decimal, str, str]]:
    x = Exchange(events=default_events(), ids=SequentialIds())
    flow = SimulatedFlow(x, FlowConfig(seed=seed))
    trades = []
    for n in range(steps):
        for fill in of_type(flow.step(NOW + n), OrderFilled):
            if fill.aggressor:
                trades.append(
                    (
                        fill.order.ticker,
                        fill.last_px,
                        fill.last_qty,
                        fill.trade_id,
                        str(fill.exec_id),
                    )
                )
    return trades


def test_same_seed_same_trades_and_another_seed_differs() -> None:
    first = _run(seed=7)
    assert first, "the flow should trade within 25 steps"
    assert _run(seed=7) == first
    assert _run(seed=8) != first


def test_every_open_market_gets_a_two_sided_ladder_and_closed_ones_none() -> None:
    x = Exchange(events=default_events(), ids=SequentialIds())
    flow = SimulatedFlow(x, FlowConfig(seed=1, taker_probability=0.0))
    flow.step(NOW)
    for market in x.markets():
        bids = x.depth(market.ticker, Side.BUY)
        asks = x.depth(market.ticker, Side.SELL)
        if market.status is MarketStatus.OPEN:
            fair = flow.fair_value(market.ticker)
            cents = int(fair * 100)
            assert len(bids) == min(3, cents - 1), market.ticker  # never below 1¢
            assert len(asks) == min(3, 99 - cents), market.ticker
            assert bids[0].price < fair < asks[0].price
        else:
            assert bids == [] and asks == [], market.ticker


def test_the_ladder_follows_the_fair_value_without_piling_up_orders() -> None:
    x = Exchange(events=default_events(), ids=SequentialIds())
    flow = SimulatedFlow(x, FlowConfig(seed=3, taker_probability=0.0, drift_probability=1.0))
    for n in range(20):
        flow.step(NOW + n)
        fair = flow.fair_value(NYC)
        assert x.best_price(NYC, Side.BUY) == fair - D("0.01")
        assert x.best_price(NYC, Side.SELL) == fair + D("0.01")
    assert len(x.open_orders("sim-maker", NYC)) == 6


def test_our_resting_order_gets_filled_by_flow() -> None:
    x = Exchange(events=default_events(), ids=SequentialIds())
    x.fund("trader", D("100.00"))
    flow = SimulatedFlow(x, FlowConfig(seed=11))
    flow.step(NOW)
    # Improve the best bid by a cent: the next seller, or the ladder moving down, hits us.
    price = x.best_price(NYC, Side.BUY)
    assert price is not None
    ours = order("trader", Side.BUY, str(price + D("0.01")), 5, ticker=NYC)
    x.submit(ours, NOW)
    filled = Decimal(0)
    for n in range(1, 60):
        for fill in of_type(flow.step(NOW + n), OrderFilled):
            if fill.order.account == "trader":
                assert fill.aggressor is False
                filled += fill.last_qty
        if filled == 5:
            break
    assert filled > 0
    position = x.ledger.position("trader", 0, NYC)
    assert position == filled


def test_flow_forgets_its_own_history_but_not_ours() -> None:
    x = Exchange(events=default_events(), ids=SequentialIds())
    x.fund("trader", D("100.00"))
    x.submit(order("trader", Side.BUY, "0.02", 1, ticker=NYC, cl_ord_id="mine"), NOW)
    flow = SimulatedFlow(x, FlowConfig(seed=5, drift_probability=1.0))
    sizes = []
    for n in range(60):
        flow.step(NOW + n)
        sizes.append(len(x.state.orders))
    # Only live orders of the flow remain: the count stays flat instead of growing each step.
    assert max(sizes[30:]) <= max(sizes[:30])
    assert x.snapshot("sim-taker").fills == {}
    assert [o.cl_ord_id for o in x.snapshot("trader").orders] == ["mine"]
    assert x.open_orders("sim-maker")
