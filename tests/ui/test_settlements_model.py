"""The settlements model: real MarketSettlementReports (encoded, framed and parsed) through the
real trading state, reconciled against positions built from real trade ExecutionReports.

The :class:`Desk` built here is also the data of the settlement view's tests and screenshot:
a day of settlements on one account, with a three-page settlement across three
sub-accounts, a reconciliation mismatch, a scalar settlement with a sub-cent rounding fee,
a 1.0.13-style report in cents, and a settlement still missing a page.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.messages.enums import (
    CollateralAmountType,
    ExecType,
    MarketResult,
    OrdStatus,
    PartyRole,
    Side,
)
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.parties import Party
from workstation.fix.messages.settlement import MarketSettlementReport, SettlementParty
from workstation.fix.values import format_utc_timestamp
from workstation.trading.changes import Change, SettlementChanged
from workstation.trading.fees import taker_fee
from workstation.trading.settlements import Settlement
from workstation.trading.state import TradingState
from workstation.ui.models.settlements_model import (
    SettlementsModel,
    SettlementTotalsModel,
    ShownTotals,
    check_text,
    exact_money_text,
    pages_text,
)
from workstation.ui.theme import STATUS_COLORS, Theme

VENUE = "local:sim-7e21"
ACCOUNT = "3f9c2a41-7d55-4a0e-9b1f-6c0d2e8a7b13"
T0 = 1773325805.0  #: 2026-03-12 14:30:05 UTC (10:30:05 EDT)
SUB_A = "a1c4e2f0-5b7d-4c11-8e3a-2f6b9d0c4e71"
SUB_B = "b7d31e9a-0c2f-4a6e-9d58-3e1f7a2b6c84"
SUB_C = "c2e85f13-9a4d-4b70-8c16-5d3a0f9e2b47"

NY_HIGH = "KXHIGHNY-26MAR11-B58.5"
CPI = "KXCPIYOY-26FEB-T2.8"
NBA = "KXNBAGAME-26MAR11LALBOS-LAL"
BTC = "KXBTCD-26MAR1117-T84999.99"
GDP = "KXGASAVG-26MAR11"
RAIN = "KXRAINNYC-26MAR11"
OLD_STYLE = "KXJOBLESSCLAIMS-26MAR12-T225"

D = Decimal


def d(text: str | int) -> Decimal:
    return Decimal(str(text))


def wire_round_trip(report: MarketSettlementReport, seq: int, at: float) -> MarketSettlementReport:
    """The report as the client reads it off the wire: encoded, framed, parsed, typed."""
    header = [(49, "KalshiPT"), (56, "api-key"), (34, str(seq)), (52, format_utc_timestamp(at))]
    raw = encode_message("UMS", header, report.to_body())
    return MarketSettlementReport.from_message(parse_frame(raw))


def party(party_id: str, yes: int, no: int, payout: str, fee: str = "0.00") -> SettlementParty:
    return SettlementParty(
        party_id=party_id,
        role=PartyRole.CUSTOMER_ACCOUNT,
        long_qty=d(yes),
        short_qty=d(no),
        collateral_changes=(CollateralChange(amount=d(payout), kind=CollateralAmountType.PAYOUT),),
        fees=(MiscFee(amount=d(fee)),),
    )


class Desk:
    """Our side of one trading day: fills from trade ERs, then the settlements that followed."""

    def __init__(self) -> None:
        self.state = TradingState()
        self.now = T0 - 20 * 3600  # the day before, 14:30 ET
        self.orders = 0
        self.pages = 0
        self.changes: list[Change] = []

    def fill(
        self,
        symbol: str,
        side: Side,
        qty: int,
        price: str,
        *,
        sub: str | None = None,
        group: str | None = None,
        step: float = 37.0,
    ) -> list[Change]:
        """Send a NewOrderSingle and receive the trade report that fills it whole."""
        self.orders += 1
        self.now += step
        cl = f"c-{self.orders:04d}"
        parties = () if sub is None else (Party(party_id=sub, role=PartyRole.CUSTOMER_ACCOUNT),)
        quantity, px = d(qty), d(price)
        nos = NewOrderSingle(
            cl_ord_id=cl,
            symbol=symbol,
            side=side,
            order_qty=quantity,
            price=px,
            parties=parties,
            order_group_id=group,
        )
        changes = self.state.orders.submitted(nos, venue=VENUE, account=ACCOUNT, now=self.now)
        er = ExecutionReport(
            exec_id=ExecId(1_000 + self.orders, 1),
            order_id=f"ord-{self.orders:04d}",
            cl_ord_id=cl,
            exec_type=ExecType.TRADE,
            ord_status=OrdStatus.FILLED,
            symbol=symbol,
            side=side,
            order_qty=quantity,
            cum_qty=quantity,
            leaves_qty=d(0),
            avg_px=px,
            price=px,
            last_px=px,
            last_qty=quantity,
            transact_time=self.now,
            aggressor=True,
            fees=(MiscFee(amount=taker_fee(quantity, px)),),
            parties=parties,
        )
        changes += self.state.apply(er, venue=VENUE, account=ACCOUNT, now=self.now)
        self.changes += changes
        return changes

    def settle_page(self, report: MarketSettlementReport, *, step: float = 1.5) -> list[Change]:
        self.pages += 1
        self.now += step
        typed = wire_round_trip(report, self.pages, self.now)
        changes = self.state.apply(typed, venue=VENUE, account=ACCOUNT, now=self.now)
        self.changes += changes
        return changes

    def settle(
        self,
        symbol: str,
        result: MarketResult,
        price: str | None,
        pages: list[tuple[SettlementParty, ...]],
        *,
        date: str = "20260312",
        total: int | None = None,
    ) -> list[Change]:
        """Settlement pages in order; ``total`` pages announced (default: those given)."""
        announced = len(pages) if total is None else total
        changes: list[Change] = []
        for i, parties in enumerate(pages, start=1):
            report = MarketSettlementReport(
                report_id=f"stl-{symbol.lower()}-{i}",
                symbol=symbol,
                clearing_business_date=date,
                result=result,
                settlement_price=None if price is None else d(price),
                total_reports=announced,
                last_fragment=i == announced,
                parties=parties,
            )
            changes += self.settle_page(report)
        return changes

    def settle_1_0_13(self, symbol: str) -> list[Change]:
        """A 1.0.13-style page: ``Yes``, no 730, 1704 in cents with a numeric 1705."""
        self.pages += 1
        self.now += 1.5
        body = (
            f"20105=settle-1013|55={symbol}|715=20260312|20107=Yes|20108=1|20109=user-456|"
            "20110=24|704=0|705=30|1703=1|1704=0|1705=1|136=1|137=0.00|138=USD|139=4|891=0|893=Y"
        )
        fields = [(int(t), v) for t, v in (f.split("=", 1) for f in body.split("|"))]
        header = [
            (49, "KalshiPT"),
            (56, "api-key"),
            (34, str(self.pages)),
            (52, "20260312-15:00:00.000"),
        ]
        msg = parse_frame(encode_message("UMS", header, fields))
        report = MarketSettlementReport.from_message(msg)
        changes = self.state.apply(report, venue=VENUE, account=ACCOUNT, now=self.now)
        self.changes += changes
        return changes

    def settlement(self, symbol: str) -> Settlement:
        found = self.state.settlements.get(VENUE, symbol)
        assert found is not None
        return found


def trading_day() -> Desk:
    """Fills on seven markets, then their settlements (one still missing its last page)."""
    desk = Desk()
    desk.fill(NY_HIGH, Side.BUY, 60, "0.62")
    desk.fill(NY_HIGH, Side.BUY, 40, "0.64")
    desk.fill(CPI, Side.SELL, 40, "0.35")  # selling YES is buying 40 NO
    desk.fill(NBA, Side.BUY, 50, "0.55", sub=SUB_A)
    desk.fill(NBA, Side.SELL, 20, "0.58", sub=SUB_B)
    desk.fill(NBA, Side.BUY, 10, "0.57", sub=SUB_C)
    desk.fill(BTC, Side.BUY, 25, "0.41")
    desk.fill(GDP, Side.BUY, 33, "0.28")
    desk.fill(RAIN, Side.BUY, 15, "0.20", sub=SUB_A)
    desk.fill(RAIN, Side.SELL, 12, "0.22", sub=SUB_B)
    desk.fill(RAIN, Side.BUY, 8, "0.19", sub=SUB_C)
    desk.fill(OLD_STYLE, Side.SELL, 30, "0.12")
    desk.now = T0  # settlements arrive the next morning

    desk.settle(NY_HIGH, MarketResult.YES, "1.00", [(party("user-456", 100, 0, "100.00"),)])
    desk.settle(CPI, MarketResult.NO, "0.00", [(party("user-456", 0, 40, "40.00"),)])
    desk.settle(
        NBA,
        MarketResult.YES,
        "1.00",
        [
            (party(SUB_A, 50, 0, "50.00"),),
            (party(SUB_B, 0, 20, "0.00"),),
            (party(SUB_C, 10, 0, "10.00"),),
        ],
    )
    # The exchange settles 30 YES where our fills hold 25: flagged with both figures.
    desk.settle(BTC, MarketResult.YES, "1.00", [(party("user-456", 30, 0, "30.00"),)])
    # Scalar at 30.6¢: 33 × 0.306 = 10.098, paid 10.09 + a 0.008 rounding fee.
    desk.settle(GDP, MarketResult.SCALAR, "0.306", [(party("user-456", 33, 0, "10.09", "0.008"),)])
    desk.settle_1_0_13(OLD_STYLE)
    # Two of three pages so far.
    desk.settle(
        RAIN,
        MarketResult.NO,
        "0.00",
        [(party(SUB_A, 15, 0, "0.00"),), (party(SUB_B, 0, 12, "12.00"),)],
        total=3,
    )
    return desk


def loaded_model(desk: Desk | None = None) -> tuple[SettlementsModel, Desk]:
    desk = desk or trading_day()
    model = SettlementsModel()
    model.apply(desk.changes)
    return model, desk


def row_of(model: SettlementsModel, symbol: str) -> int:
    row = model.row_of((VENUE, symbol))
    assert row is not None, symbol
    return row


def cell(model: SettlementsModel, symbol: str, column: str, role: int = 0) -> object:
    index = model.index(row_of(model, symbol), model.column_index(column))
    return model.data(index, role or Qt.ItemDataRole.DisplayRole)


def test_model_passes_the_model_tester(qtmodeltester) -> None:
    model, _ = loaded_model()
    qtmodeltester.check(model, force_py=True)
    totals = SettlementTotalsModel(model)
    totals.set_totals(model.totals())
    qtmodeltester.check(totals, force_py=True)


def test_every_cell_is_text_never_a_decimal() -> None:
    model, _ = loaded_model()
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            value = model.data(model.index(row, col))
            assert isinstance(value, str), (row, col, value)


def test_one_row_per_market_with_the_exchange_figures() -> None:
    model, _ = loaded_model()
    assert model.rowCount() == 7
    assert cell(model, NY_HIGH, "result") == "YES"
    assert cell(model, NY_HIGH, "price") == "100¢"
    assert cell(model, NY_HIGH, "cleared") == "2026-03-12"
    assert cell(model, NY_HIGH, "yes_held") == "100"
    assert cell(model, NY_HIGH, "no_held") == "0"
    assert cell(model, NY_HIGH, "ours") == "100 YES"
    assert cell(model, NY_HIGH, "payout") == "$100.00"
    assert cell(model, NY_HIGH, "check") == "✓ Reconciled"
    assert cell(model, CPI, "result") == "NO"
    assert cell(model, CPI, "ours") == "40 NO"
    assert cell(model, CPI, "expected") == "$40.00"


def test_three_pages_reassembled_into_one_reconciled_row() -> None:
    desk = trading_day()
    settled = [c for c in desk.changes if isinstance(c, SettlementChanged)]
    nba = [c.settlement for c in settled if c.settlement.symbol == NBA]
    assert [pages_text(s) for s in nba] == [
        "1 of 3 pages · incomplete",
        "2 of 3 pages · incomplete",
        "3 of 3 pages",
    ]
    model, _ = loaded_model(desk)
    assert model.rowCount() == 7  # three pages, one row
    assert cell(model, NBA, "pages") == "3 of 3 pages"
    assert cell(model, NBA, "yes_held") == "60"
    assert cell(model, NBA, "no_held") == "20"
    assert cell(model, NBA, "ours") == "60 YES · 20 NO"
    assert cell(model, NBA, "payout") == "$60.00"
    assert cell(model, NBA, "check") == "✓ Reconciled"
    tooltip = cell(model, NBA, "pages", Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tooltip, str)
    assert "stl-kxnbagame-26mar11lalbos-lal-1, stl-kxnbagame-26mar11lalbos-lal-2" in tooltip


def test_mismatch_is_flagged_with_colour_and_both_figures() -> None:
    model, _ = loaded_model()
    assert cell(model, BTC, "yes_held") == "30"
    assert cell(model, BTC, "ours") == "25 YES"
    assert cell(model, BTC, "reported") == "$30.00"
    assert cell(model, BTC, "expected") == "$25.00"
    assert cell(model, BTC, "check") == "✗ Mismatch: contracts, payout"
    tooltip = cell(model, BTC, "check", Qt.ItemDataRole.ToolTipRole)
    assert tooltip == (
        "party user-456: held: exchange 30 YES / 0 NO, our fills 25 YES / 0 NO\n"
        "party user-456: payout: exchange $30.00 + fee $0.00 = $30.00, "
        "our position is worth $25.00 at yes"
    )
    bad = STATUS_COLORS[Theme.LIGHT].bad
    model.set_dark(False)
    for column in ("check", "reported", "expected", "ours"):
        brush = cell(model, BTC, column, Qt.ItemDataRole.ForegroundRole)
        assert isinstance(brush, QBrush) and brush.color().name() == bad, column
    tint = cell(model, BTC, "market", Qt.ItemDataRole.BackgroundRole)
    assert isinstance(tint, QBrush) and tint.color().name() == bad and tint.color().alpha() < 255
    font = cell(model, BTC, "check", Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    # A reconciled row is not tinted, and its check is green.
    assert cell(model, NY_HIGH, "market", Qt.ItemDataRole.BackgroundRole) is None
    ok = cell(model, NY_HIGH, "check", Qt.ItemDataRole.ForegroundRole)
    assert isinstance(ok, QBrush) and ok.color().name() == STATUS_COLORS[Theme.LIGHT].ok


def test_dark_theme_uses_the_dark_status_colours() -> None:
    model, _ = loaded_model()
    model.set_dark(True)
    brush = cell(model, BTC, "check", Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color().name() == STATUS_COLORS[Theme.DARK].bad


def test_scalar_settlement_with_a_sub_cent_fee_shown_exactly() -> None:
    model, _ = loaded_model()
    assert cell(model, GDP, "result") == "Scalar"
    assert cell(model, GDP, "price") == "30.6¢"
    assert cell(model, GDP, "payout") == "$10.09"
    assert cell(model, GDP, "fees") == "$0.008"
    assert cell(model, GDP, "reported") == "$10.098"
    assert cell(model, GDP, "expected") == "$10.098"
    assert cell(model, GDP, "check") == "✓ Reconciled"


def test_1_0_13_report_in_cents_without_a_price() -> None:
    model, _ = loaded_model()
    assert cell(model, OLD_STYLE, "result") == "YES"
    assert cell(model, OLD_STYLE, "price") == "—"
    assert cell(model, OLD_STYLE, "no_held") == "30"
    assert cell(model, OLD_STYLE, "payout") == "$0.00"  # NO holders get nothing on YES
    assert cell(model, OLD_STYLE, "pages") == "1 of 1 page"
    assert cell(model, OLD_STYLE, "check") == "✓ Reconciled"


def test_incomplete_settlement_is_marked_and_not_reconciled() -> None:
    model, _ = loaded_model()
    assert cell(model, RAIN, "pages") == "2 of 3 pages · incomplete"
    assert cell(model, RAIN, "check") == "Waiting for pages"
    assert cell(model, RAIN, "ours") == ""
    assert cell(model, RAIN, "expected") == ""
    model.set_dark(False)
    amber = STATUS_COLORS[Theme.LIGHT].busy
    for column in ("pages", "check"):
        brush = cell(model, RAIN, column, Qt.ItemDataRole.ForegroundRole)
        assert isinstance(brush, QBrush) and brush.color().name() == amber


def test_last_page_completes_and_reconciles_in_place(qtbot) -> None:
    desk = trading_day()
    model, _ = loaded_model(desk)
    row = row_of(model, RAIN)
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
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(model.dataChanged) as sig:
        model.apply(desk.settle_page(last))
    top, bottom = sig.args[0], sig.args[1]
    assert top.row() == bottom.row() == row  # one ranged update for the one row
    assert cell(model, RAIN, "pages") == "3 of 3 pages"
    assert cell(model, RAIN, "ours") == "23 YES · 12 NO"
    assert cell(model, RAIN, "expected") == "$12.00"
    assert cell(model, RAIN, "check") == "✓ Reconciled"


def test_a_batch_of_pages_is_one_insert_and_the_newest_page_wins(qtbot) -> None:
    desk = trading_day()
    model = SettlementsModel()
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    with qtbot.assertNotEmitted(model.modelReset):
        keys = model.apply(desk.changes)
    assert len(inserts) == 1 and inserts[0][1] - inserts[0][0] == 6
    assert len(keys) == 7
    assert cell(model, NBA, "pages") == "3 of 3 pages"


def test_totals_of_the_complete_settlements_shown() -> None:
    model, desk = loaded_model()
    totals = model.totals()
    assert totals == ShownTotals(
        count=6,
        incomplete=1,
        payout=d("240.09"),  # 100 + 40 + 60 + 30 + 10.09 + 0
        fees=d("0.008"),
        reported=d("240.098"),
        expected=d("235.098"),  # 25 where 30 was paid
        mismatched=1,
    )
    domain = desk.state.settlements.totals(VENUE)
    assert (domain.count, domain.payout, domain.fees, domain.mismatched) == (
        totals.count,
        totals.payout,
        totals.fees,
        totals.mismatched,
    )
    footer = SettlementTotalsModel(model)
    footer.set_totals(totals)
    texts = {
        name: footer.data(footer.index(0, model.column_index(name)))
        for name in ("market", "payout", "fees", "reported", "expected", "pages", "check")
    }
    assert texts == {
        "market": "Total · 6 settlements",
        "payout": "$240.09",
        "fees": "$0.008",
        "reported": "$240.098",
        "expected": "$235.098",
        "pages": "1 incomplete",
        "check": "✗ 1 mismatch",
    }
    model.set_text_filter("kxhighny")
    assert model.totals() == ShownTotals(
        count=1, payout=d(100), fees=d(0), reported=d(100), expected=d(100)
    )
    footer.set_totals(model.totals())
    assert footer.data(footer.index(0, model.column_index("check"))) == "✓ all reconciled"
    assert footer.data(QModelIndex()) is None


def test_filter_by_text_matches_market_parties_and_status() -> None:
    model, _ = loaded_model()
    model.set_text_filter("NBAGAME")
    assert [s.symbol for s in model.visible_records()] == [NBA]
    model.set_text_filter(SUB_B[:8])  # a party of the three-page settlement and the rain one
    assert {s.symbol for s in model.visible_records()} == {NBA, RAIN}
    model.set_text_filter("mismatch")
    assert [s.symbol for s in model.visible_records()] == [BTC]
    model.set_text_filter("incomplete")
    assert [s.symbol for s in model.visible_records()] == [RAIN]
    model.set_text_filter("scalar")
    assert [s.symbol for s in model.visible_records()] == [GDP]
    model.set_text_filter("")
    assert model.rowCount() == 7


def test_csv_has_exact_figures_and_full_differences() -> None:
    model, _ = loaded_model()
    model.set_text_filter("KX")  # every row
    out = io.StringIO()
    assert model.write_csv(out) == 7
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    by_market = {r["Market"]: r for r in rows}
    assert list(rows[0]) == [
        "Market",
        "Cleared",
        "Result",
        "Settle",
        "YES held",
        "NO held",
        "Our fills",
        "Payout",
        "Fees",
        "Reported",
        "Expected",
        "Pages",
        "Source",
        "Check",
    ]
    gdp = by_market[GDP]
    assert (gdp["Settle"], gdp["Fees"], gdp["Reported"], gdp["Expected"]) == (
        "0.306",
        "0.008",
        "10.098",
        "10.098",
    )
    assert gdp["Check"] == "reconciled"
    btc = by_market[BTC]
    assert (btc["YES held"], btc["Our fills"], btc["Reported"], btc["Expected"]) == (
        "30",
        "25",
        "30.00",
        "25.00",
    )
    assert btc["Check"].startswith("party user-456: held: exchange 30 YES / 0 NO, our fills 25")
    assert by_market[CPI]["Our fills"] == "-40"  # net YES: 40 NO
    assert by_market[RAIN]["Check"] == "incomplete"
    assert by_market[RAIN]["Pages"] == "2 of 3 pages · incomplete"


def test_newest_clearing_date_first_and_sorting_by_a_column() -> None:
    desk = trading_day()
    desk.fill("KXHIGHCHI-26MAR10-B44.5", Side.BUY, 5, "0.30")
    desk.settle(
        "KXHIGHCHI-26MAR10-B44.5",
        MarketResult.NO,
        "0.00",
        [(party("user-456", 5, 0, "0.00"),)],
        date="20260311",
    )
    model, _ = loaded_model(desk)
    symbols = [s.symbol for s in model.visible_records()]
    assert symbols[-1] == "KXHIGHCHI-26MAR10-B44.5"  # the older clearing date last
    assert symbols[0] == RAIN  # the newest first page first within a day
    model.sort(model.column_index("payout"), Qt.SortOrder.DescendingOrder)
    assert model.visible_records()[0].symbol == NY_HIGH


def test_exact_money_text() -> None:
    assert exact_money_text(d("1234.5")) == "$1,234.50"
    assert exact_money_text(d("0.006")) == "$0.006"
    assert exact_money_text(d("-0.0125")) == "−$0.0125"
    assert exact_money_text(d("12.3400")) == "$12.34"
    assert exact_money_text(d("100.0060")) == "$100.006"
    assert exact_money_text(None) == ""


def test_check_text_names_an_unsettled_position() -> None:
    desk = Desk()
    desk.fill(NY_HIGH, Side.BUY, 10, "0.50", sub=SUB_A)
    desk.fill(NY_HIGH, Side.BUY, 5, "0.50", sub=SUB_B)
    # Two parties: SUB_A's position is there, SUB_B's is missing from the settlement.
    desk.settle(
        NY_HIGH,
        MarketResult.YES,
        "1.00",
        [(party(SUB_A, 10, 0, "10.00"), party("someone-else", 0, 0, "0.00"))],
    )
    settlement = desk.settlement(NY_HIGH)
    assert check_text(settlement) == "✗ Mismatch: unsettled position"
