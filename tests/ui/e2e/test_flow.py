"""Fills from the simulator's own (seeded) flow: the venue's makers and takers trade with an
order sent from the ticket, partly at once and the rest when the maker rebuilds its ladder."""

from __future__ import annotations

from decimal import Decimal

from tests.ui.e2e.harness import MARKET, Workstation, cell, rows, submit_order, wait_until
from workstation.simulator.exchange.types import Side as BookSide
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent


def test_simulated_flow_fills_an_order_partly_then_fully(qtbot, station: Workstation):
    exchange = station.venue.exchange
    assert exchange.best_price(MARKET, BookSide.SELL) is None  # flow is off at start
    assert station.admin("flow", on=True)["flow"] is True
    wait_until(
        lambda: exchange.best_price(MARKET, BookSide.SELL) is not None,
        "the simulated maker's ladder",
    )
    # More than the maker's whole ladder (3 rungs of 10), at a price every rung crosses.
    order = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "97", "35")
    key = order.first_cl_ord_id
    working = station.blotter.working_table
    wait_until(
        lambda: cell(working, key, "status") == OrderStatus.PARTIALLY_FILLED.value,
        "the ladder to fill part of the order",
    )
    filled = Decimal(cell(working, key, "filled"))
    assert 0 < filled < 35
    assert Decimal(cell(working, key, "leaves")) == 35 - filled
    orders = station.blotter.orders_table
    wait_until(
        lambda: cell(orders, key, "status") == OrderStatus.FILLED.value,
        "the maker's next ladder to fill the rest",
    )
    fills = [f for f in rows(station.blotter.fills_table) if f["market"] == MARKET]
    assert len(fills) >= 2
    assert sum(Decimal(f["quantity"]) for f in fills) == 35
    wait_until(
        lambda: [p["quantity"] for p in rows(station.blotter.positions_table)] == ["35"],
        "a position of 35",
    )
