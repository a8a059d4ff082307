"""The settlement view: table, totals row, filter, detail pane, CSV export, screenshots."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.ui.test_settlements_model import (
    BTC,
    GDP,
    NBA,
    NY_HIGH,
    RAIN,
    SUB_A,
    SUB_C,
    VENUE,
    d,
    party,
    trading_day,
)
from workstation.fix.messages.enums import MarketResult
from workstation.fix.messages.settlement import MarketSettlementReport
from workstation.ui.panels.settlement_view import SettlementView, settlement_detail_html
from workstation.ui.theme import STATUS_COLORS, Theme, apply_theme

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


@pytest.fixture
def view(qtbot) -> SettlementView:
    panel = SettlementView()
    qtbot.addWidget(panel)
    panel.resize(1280, 640)
    panel.apply(trading_day().changes)
    return panel


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[None]:
    """The application in the workstation's theme for a screenshot, put back afterwards."""
    style, sheet, pal = qapp.style().name(), qapp.styleSheet(), qapp.palette()
    yield
    qapp.setStyle(style)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(pal)


def select(view: SettlementView, symbol: str) -> None:
    row = view.model.row_of((VENUE, symbol))
    assert row is not None
    view.select_row(row)


def test_panel_is_named_and_shows_every_settlement(view: SettlementView) -> None:
    assert view.objectName() == "settlementView"
    assert view.table.objectName() == "settlementsTable"
    assert view.model.rowCount() == 7
    assert view.counts.text() == "7 settlements"


def test_totals_row_follows_the_batches_and_the_filter(view: SettlementView, qtbot) -> None:
    footer = view.totals_model
    col = view.model.column_index
    assert footer.data(footer.index(0, col("market"))) == "Total · 6 settlements"
    assert footer.data(footer.index(0, col("payout"))) == "$240.09"
    assert footer.data(footer.index(0, col("check"))) == "✗ 1 mismatch"
    qtbot.keyClicks(view.text_filter, "kxbtcd")
    assert view.model.rowCount() == 1
    assert view.counts.text() == "1 shown of 7"
    assert footer.data(footer.index(0, col("market"))) == "Total · 1 settlement"
    assert footer.data(footer.index(0, col("expected"))) == "$25.00"


def test_totals_row_lines_up_with_the_table(view: SettlementView) -> None:
    header = view.table.horizontalHeader()
    payout = view.model.column_index("payout")
    header.resizeSection(payout, 140)
    assert view.totals_view.columnWidth(payout) == 140
    for col in range(view.model.columnCount() - 1):
        assert view.totals_view.columnWidth(col) == header.sectionSize(col)


def test_detail_pane_shows_each_party_and_the_differences(view: SettlementView) -> None:
    assert view.detail.toPlainText() == ""
    select(view, NBA)
    text = view.detail.toPlainText()
    assert f"{NBA} · settled YES at 100¢" in text
    assert "3 of 3 pages" in text and "✓ Reconciled" in text
    assert SUB_A in text and SUB_C in text
    assert "PAYOUT $50.00" in text
    select(view, BTC)
    text = view.detail.toPlainText()
    assert "✗ Mismatch: contracts, payout" in text
    assert "held: exchange 30 YES / 0 NO, our fills 25 YES / 0 NO" in text
    assert "our position is worth $25.00 at yes" in text
    current = view.current_settlement()
    assert current is not None and current.symbol == BTC


def test_detail_html_colours_a_mismatch_red() -> None:
    desk = trading_day()
    colours = STATUS_COLORS[Theme.LIGHT]
    html = settlement_detail_html(desk.settlement(BTC), colours)
    assert f"color:{colours.bad}" in html
    html = settlement_detail_html(desk.settlement(NY_HIGH), colours)
    assert f"color:{colours.bad}" not in html and f"color:{colours.ok}" in html


def test_detail_follows_the_selected_settlement_when_its_last_page_arrives(qtbot) -> None:
    desk = trading_day()
    view = SettlementView()
    qtbot.addWidget(view)
    view.apply(desk.changes)
    select(view, RAIN)
    assert "Waiting for pages" in view.detail.toPlainText()
    last = MarketSettlementReport(
        report_id="stl-kxrainnyc-26mar11-3",
        symbol=RAIN,
        clearing_business_date="20260312",
        result=MarketResult.NO,
        settlement_price=d("0.00"),
        total_reports=3,
        last_fragment=True,
        parties=(party(SUB_C, 8, 0, "0.00"),),
    )
    view.apply(desk.settle_page(last))
    text = view.detail.toPlainText()
    assert "3 of 3 pages" in text and "✓ Reconciled" in text
    footer = view.totals_model
    assert footer.data(footer.index(0, view.model.column_index("market"))) == (
        "Total · 7 settlements"
    )


def test_selection_survives_a_filter_that_keeps_it(view: SettlementView, qtbot) -> None:
    select(view, GDP)
    qtbot.keyClicks(view.text_filter, "GASAVG")
    current = view.current_settlement()
    assert current is not None and current.symbol == GDP
    assert view.table.selectionModel().hasSelection()
    assert f"{GDP} · settled Scalar at 30.6¢" in view.detail.toPlainText()


def test_export_writes_the_rows_shown(view: SettlementView, tmp_path: Path, qtbot) -> None:
    qtbot.keyClicks(view.text_filter, "mismatch")
    path = tmp_path / "settlements.csv"
    assert view.export_csv(path) == 1
    with path.open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["Market"] == BTC
    assert (row["Reported"], row["Expected"]) == ("30.00", "25.00")


def test_export_failure_is_shown(view: SettlementView, tmp_path: Path) -> None:
    view._export_to(tmp_path / "missing-dir" / "x.csv")
    assert view.error.text().startswith("Export failed:")
    assert not view.error.isHidden()


def _grab(view: SettlementView, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / name
    image = view.grab().toImage()
    assert image.save(str(path))
    return path


def _row_pixel(view: SettlementView, symbol: str) -> tuple[int, int, int]:
    """The colour at the right end of the row's Result cell (background, no text)."""
    image = view.grab().toImage()
    viewport = view.table.viewport()
    origin = viewport.mapTo(view, viewport.rect().topLeft())
    row = view.model.row_of((VENUE, symbol))
    assert row is not None
    rect = view.table.visualRect(view.model.index(row, view.model.column_index("result")))
    colour = image.pixelColor(origin.x() + rect.right() - 3, origin.y() + rect.center().y())
    return colour.red(), colour.green(), colour.blue()


@pytest.mark.parametrize("theme", [Theme.DARK, Theme.LIGHT])
def test_screenshot(qapp: QApplication, themed: None, qtbot, theme: Theme) -> None:
    apply_theme(qapp, theme)
    view = SettlementView()
    qtbot.addWidget(view)
    view.set_theme(theme)
    view.apply(trading_day().changes)
    view.resize(1500, 620)
    view.show()
    qtbot.waitExposed(view)
    # The mismatched row is tinted red on screen; a reconciled one is not.
    red, green, _ = _row_pixel(view, BTC)
    assert red > green + 15
    red, green, _ = _row_pixel(view, GDP)
    assert abs(red - green) < 15
    # Dark shows the mismatch's detail, light the three-page settlement's.
    select(view, BTC if theme is Theme.DARK else NBA)
    path = _grab(view, f"settlement-view-{theme.value}.png")
    assert path.stat().st_size > 10_000


def test_export_button_asks_for_a_file_then_writes_it(
    view: SettlementView, tmp_path: Path, qtbot
) -> None:
    view.show()
    qtbot.waitExposed(view)
    view.export_button.click()
    dialog = view.findChild(QFileDialog, "settlementExportDialog")
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    path = tmp_path / "day.csv"
    dialog.selectFile(str(path))
    dialog.accept()
    qtbot.wait(10)  # the dialog deletes itself on close
    with path.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == 7
    assert view.counts.text() == "7 settlements · exported 7 to day.csv"
