"""Settlement arriving and reconciling: we hold a position built from our own fills, the
exchange settles the market (admin ``settle``), the settlement report arrives on KalshiPT and
the settlement view shows it reconciled against those fills, with no mismatch."""

from __future__ import annotations

from tests.ui.e2e.harness import (
    MARKET,
    Counterparty,
    Workstation,
    cell,
    rows,
    submit_order,
    wait_until,
)
from workstation.fix.messages.enums import Side
from workstation.trading.order_state import OrderStatus
from workstation.trading.ticket import Intent
from workstation.ui.panels.settlement_view import SettlementView


def test_a_settled_market_reconciles_against_our_fills(
    qtbot, station: Workstation, counterparty: Counterparty
):
    order = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "40", "10")
    key = order.first_cl_ord_id
    counterparty.order(MARKET, Side.SELL, 10, "0.40")
    wait_until(
        lambda: cell(station.blotter.orders_table, key, "status") == OrderStatus.FILLED.value,
        "our order to fill",
    )
    wait_until(
        lambda: [p["quantity"] for p in rows(station.blotter.positions_table)] == ["10"],
        "a position of 10 YES",
    )
    view = station.panel("settlementView", SettlementView)
    assert rows(view.table) == []

    answer = station.admin("settle", ticker=MARKET, result="yes")
    assert answer["positions"] >= 2  # ours and the counterparty's
    wait_until(lambda: len(rows(view.table)) == 1, "the settlement in the settlement view")
    wait_until(
        lambda: rows(view.table)[0]["check"] != "Waiting for pages", "every page of the report"
    )
    [shown] = rows(view.table)
    assert shown["market"] == MARKET
    assert shown["check"] == "✓ Reconciled", shown
    assert "yes" in shown["result"].lower()
    assert shown["yes_held"] == "10" and shown["ours"].startswith("10"), shown
    assert shown["payout"] == "$10.00", shown
    totals = view.totals_model.totals
    assert (totals.count, totals.mismatched) == (1, 0)
    # The detail pane of the selected settlement agrees.
    view.select_row(0)
    assert MARKET in view.detail.toPlainText()
    assert "Mismatch" not in view.detail.toPlainText()
