"""The settlement view marks a settlement recovered from REST (KalshiPT could not resend its
report) as the blotter marks a healed fill: a Source column, the detail pane, the filter."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.test_settlements_model import (
    BTC,
    NY_HIGH,
    VENUE,
    Desk,
    cell,
    loaded_model,
    trading_day,
)
from workstation.fix.messages.enums import MarketResult, Side
from workstation.fix.messages.settlement import MarketSettlementReport
from workstation.trading.changes import Change
from workstation.ui.panels.settlement_view import SettlementView, settlement_detail_html
from workstation.ui.theme import STATUS_COLORS, Theme

from .test_settlements_model import ACCOUNT, d, party

RECOVERED = "KXRECOVERED-26MAR11"


def with_a_recovered_settlement() -> Desk:
    desk = trading_day()
    desk.fill(RECOVERED, Side.BUY, 12, "0.45")
    report = MarketSettlementReport(
        report_id="REST 2026-03-12T14:00:00.000Z",
        symbol=RECOVERED,
        clearing_business_date="20260312",
        result=MarketResult.YES,
        settlement_price=d("1.00"),
        total_reports=1,
        last_fragment=True,
        parties=(party("0", 12, 0, "12.00"),),
    )
    changes: list[Change] = desk.state.recover_settlement(
        report, venue=VENUE, account=ACCOUNT, now=desk.now + 1
    )
    desk.changes += changes
    return desk


def test_the_source_column_says_recovered_only_for_a_recovered_settlement(qtmodeltester) -> None:
    model, _ = loaded_model(with_a_recovered_settlement())
    qtmodeltester.check(model, force_py=True)
    assert cell(model, RECOVERED, "source") == "recovered (REST)"
    assert "REST settlement history" in str(
        model.headerData(
            model.column_index("source"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
        )
    )
    for symbol in (NY_HIGH, BTC):
        assert cell(model, symbol, "source") == ""
    assert cell(model, RECOVERED, "check") == "✓ Reconciled"
    model.set_text_filter("recovered")
    assert [r.symbol for r in model.visible_records()] == [RECOVERED]


def test_the_detail_pane_says_where_a_recovered_settlement_came_from(qtbot) -> None:
    desk = with_a_recovered_settlement()
    colours = STATUS_COLORS[Theme.LIGHT]
    html = settlement_detail_html(desk.settlement(RECOVERED), colours)
    assert "recovered (REST)" in html and "could not" in html and "REST" in html
    assert "recovered (REST)" not in settlement_detail_html(desk.settlement(NY_HIGH), colours)
    view = SettlementView()
    qtbot.addWidget(view)
    view.apply(desk.changes)
    row = view.model.row_of((VENUE, RECOVERED))
    assert row is not None
    view.select_row(row)
    assert "recovered (REST)" in view.detail.toPlainText()
