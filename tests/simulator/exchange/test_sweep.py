"""One order sweeping hundreds of resting orders: price-time priority holds however many orders
leave a level at once (the book copies a level that removals have left mostly holes), and the
identifiers the exchange hands out are canonical random UUID4s."""

from __future__ import annotations

import uuid

from workstation.simulator.exchange import OrderFilled, Side, TimeInForce
from workstation.simulator.exchange.ids import random_uuid

from .helpers import D, T, exchange, of_type, order


def test_a_sweep_takes_every_order_in_price_then_time_order() -> None:
    x = exchange(funds="100000.00")
    placed: dict[str, list[str]] = {"0.41": [], "0.40": []}
    for n in range(300):
        price = "0.41" if n % 3 == 0 else "0.40"
        placed[price].append(f"bid-{n}")
        x.submit(order("alice", Side.BUY, price, 1, cl_ord_id=f"bid-{n}"), 0.0)
    # cancel a block from the middle of the 0.40 level, and its first order
    for name in placed["0.40"][50:90] + placed["0.40"][:1]:
        found = next(o for o in x.open_orders("alice") if o.cl_ord_id == name)
        x.cancel(
            account="alice",
            cl_ord_id=f"x-{name}",
            orig_cl_ord_id=name,
            ticker=found.ticker,
            side=Side.BUY,
            now=0.0,
        )
    expected = placed["0.41"] + placed["0.40"][1:50] + placed["0.40"][90:]
    first = x.submit(order("bob", Side.SELL, "0.40", 150, time_in_force=TimeInForce.IOC), 0.0)
    second = x.submit(order("bob", Side.SELL, "0.40", 500, time_in_force=TimeInForce.IOC), 0.0)
    makers = [
        f.order
        for f in of_type(first, OrderFilled) + of_type(second, OrderFilled)
        if not f.aggressor
    ]
    # price first, then arrival; the cancelled ones never trade
    assert [m.cl_ord_id for m in makers] == expected
    assert [m.price for m in makers[:100]] == [D("0.41")] * 100
    assert x.open_orders("alice") == []
    assert x.depth(T, Side.BUY) == []


def test_a_level_keeps_its_order_as_it_empties_from_the_front_and_refills() -> None:
    x = exchange(funds="100000.00")
    for n in range(100):
        x.submit(order("alice", Side.BUY, "0.30", 1, cl_ord_id=f"a-{n}"), 0.0)
    taken = x.submit(order("bob", Side.SELL, "0.30", 80, time_in_force=TimeInForce.IOC), 0.0)
    for n in range(100, 110):
        x.submit(order("alice", Side.BUY, "0.30", 1, cl_ord_id=f"a-{n}"), 0.0)
    rest = x.submit(order("bob", Side.SELL, "0.30", 30, time_in_force=TimeInForce.IOC), 0.0)
    names = [f.order.cl_ord_id for f in of_type(taken + rest, OrderFilled) if not f.aggressor]
    assert names == [f"a-{n}" for n in range(110)]


def test_random_ids_are_canonical_uuid4s() -> None:
    ids = [random_uuid() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    parsed = [uuid.UUID(text) for text in ids]
    assert all(str(u) == t and u.version == 4 for u, t in zip(parsed, ids, strict=True))
    assert all(u.variant == uuid.RFC_4122 for u in parsed)
    # every one of the 122 random bits takes both values
    fixed = (0xF << 76) | (0x3 << 62)
    ones = 0
    zeros = 0
    for u in parsed:
        ones |= u.int
        zeros |= ~u.int
    assert ones & ~fixed == zeros & ~fixed & ((1 << 128) - 1)
