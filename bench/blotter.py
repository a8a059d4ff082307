"""Blotter model cost at 100,000 orders: load, sort by every column, filter as you type, and
the per-tick batches the Desk delivers.

Prints figures; asserts nothing. Run: ``QT_QPA_PLATFORM=offscreen python bench/blotter.py
[--rows 100000]``.

Targets (brief): a sort under 1 s and a filter keystroke under 200 ms on 100,000 rows.
The orders are real ``trading.order.Order`` records fed as ``OrderChanged`` batches through
``OrdersModel.apply``, the same path the Desk's updates take.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from functools import partial

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from workstation.fix.messages.enums import Side, TimeInForce
from workstation.trading.changes import Change, OrderChanged
from workstation.trading.order import Order
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent
from workstation.ui.models.orders_model import IntentBook, OrdersModel
from workstation.ui.models.table_base import RowFilter

_MARKETS = [f"KXBENCH-26JAN{d:02d}-B{strike}" for d in range(1, 29) for strike in (30, 40, 50)]
_STATUSES = (
    OrderStatus.NEW,
    OrderStatus.PARTIALLY_FILLED,
    OrderStatus.FILLED,
    OrderStatus.CANCELLED,
    OrderStatus.REJECTED,
)


def make_orders(count: int, seed: int = 7) -> tuple[list[Order], IntentBook]:
    rng = random.Random(seed)
    intents = IntentBook()
    start = 1_767_000_000.0
    orders = []
    for i in range(count):
        status = rng.choice(_STATUSES)
        qty = Decimal(rng.randint(1, 500))
        filled = qty if status is OrderStatus.FILLED else Decimal(rng.randint(0, int(qty) - 1))
        cl = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        side = Side.BUY if i % 2 else Side.SELL
        order = Order(
            venue="bench",
            account="acct",
            sub_account=None if i % 7 else str(i % 5 + 1),
            cl_ord_id=cl,
            cl_ord_ids=(cl,),
            order_id=f"ord-{i}",
            symbol=rng.choice(_MARKETS),
            side=side,
            price=Decimal(rng.randint(1, 99)) / 100,
            order_qty=qty,
            cum_qty=filled,
            leaves_qty=qty - filled,
            avg_px=Decimal(rng.randint(1, 99)) / 100 if filled else Decimal(0),
            time_in_force=TimeInForce.GTC,
            status=status,
            confirmed_status=status,
            reason="insufficient balance" if status is OrderStatus.REJECTED else "",
            created_at=start + i * 0.25,
            updated_at=start + i * 0.25,
        )
        orders.append(order)
        if i % 3 == 0:
            intents.remember([cl], Intent.BUY_NO if side is Side.SELL else Intent.SELL_NO)
    return orders, intents


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    orders, intents = make_orders(args.rows)
    changes: list[Change] = [OrderChanged(order=o) for o in orders]
    model = OrdersModel(intents=intents)
    print(f"orders: {args.rows:,}")
    load = timed(lambda: model.apply(changes))
    print(f"load (one batch of {args.rows:,} OrderChanged): {load:.3f} s")

    print("sort, each column (ascending, then descending):")
    worst = 0.0
    for i, column in enumerate(model.columns):
        up = timed(partial(model.sort, i, Qt.SortOrder.AscendingOrder))
        down = timed(partial(model.sort, i, Qt.SortOrder.DescendingOrder))
        worst = max(worst, up, down)
        print(f"  {column.name:<12} {up * 1000:7.1f} ms  {down * 1000:7.1f} ms")
    print(f"  worst sort: {worst * 1000:.1f} ms (target < 1000 ms)")
    model.sort(0, Qt.SortOrder.DescendingOrder)

    print("filter as you type (each keystroke a new filter over every row):")
    worst = 0.0
    for label, filters in (
        ("text 'insuff'", [RowFilter(text="insuff"[:n]) for n in range(1, 7)]),
        ("market 'B40'", [RowFilter(market="B40"[:n]) for n in range(1, 4)]),
        ("ClOrdID prefix", [RowFilter(text=orders[1234].cl_ord_id[:n]) for n in range(1, 9)]),
        ("side + status", [RowFilter(side="Buy NO", status="Working")]),
        ("sub-account", [RowFilter(sub_account="3")]),
    ):
        times = [timed(partial(model.set_filter, f)) for f in filters]
        worst = max(worst, *times)
        print(
            f"  {label:<16} {len(times)} keystrokes: mean {statistics.mean(times) * 1000:6.1f} ms,"
            f" max {max(times) * 1000:6.1f} ms, {model.rowCount():,} rows shown"
        )
        model.set_filter(RowFilter())
    print(f"  worst keystroke: {worst * 1000:.1f} ms (target < 200 ms)")

    print("Desk ticks on the full table (sorted newest first):")
    rng = random.Random(3)
    start = orders[-1].created_at + 1
    fresh, _ = make_orders(200, seed=11)
    fresh = [replace(o, created_at=start + i, updated_at=start + i) for i, o in enumerate(fresh)]
    new_batch: list[Change] = [OrderChanged(order=o) for o in fresh]
    print(f"  200 new orders:        {timed(lambda: model.apply(new_batch)) * 1000:6.1f} ms")
    sample = rng.sample(orders, 500)
    updates: list[Change] = [
        OrderChanged(order=replace(o, text="touched", updated_at=o.updated_at + 1)) for o in sample
    ]
    print(f"  500 updated orders:    {timed(lambda: model.apply(updates)) * 1000:6.1f} ms")
    model.sort(model.column_index("price"), Qt.SortOrder.AscendingOrder)
    more, _ = make_orders(200, seed=12)
    scattered: list[Change] = [OrderChanged(order=o) for o in more]
    print(
        f"  200 new, price sort:   {timed(lambda: model.apply(scattered)) * 1000:6.1f} ms"
        " (scattered: one insert + one layout change)"
    )
    app.processEvents()


if __name__ == "__main__":
    main()
