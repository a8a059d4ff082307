"""The RFQ panel's table models, fed by real RFQ messages through the Desk's TradingState."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QBrush, QFont

from workstation.fix.messages.enums import QuoteStatus, Side
from workstation.fix.messages.rfq_creator import CreatorQuoteRequest
from workstation.trading.changes import Change
from workstation.ui.models.rfq_models import (
    MakerRfqModel,
    RequesterRfqModel,
    RfqQuotesModel,
    best_no_bid,
    best_yes_bid,
    maker_quote_text,
    rfq_size_text,
    spread_cents,
    whole_seconds_left,
)

from .test_rfq_support import MARKETS, T0, RfqWorld

DISPLAY = Qt.ItemDataRole.DisplayRole


def texts(model: QAbstractItemModel, row: int) -> dict[str, Any]:
    return {
        model.headerData(c, Qt.Orientation.Horizontal, DISPLAY): model.data(
            model.index(row, c), DISPLAY
        )
        for c in range(model.columnCount())
    }


def our_rfq(world: RfqWorld, key: str, symbol: str, qty: int = 100) -> list[Change]:
    request = CreatorQuoteRequest(quote_req_id=key, symbol=symbol, order_qty=Decimal(qty))
    return world.desk.state.rfqs.requested(request, now=world.clock())


def test_words() -> None:
    assert rfq_size_text(Decimal(100), None) == "100"
    assert rfq_size_text(None, Decimal("50")) == "$50.00 cash"
    assert rfq_size_text(None, None) == ""
    assert spread_cents(Decimal("0.45"), Decimal("0.52")) == Decimal(3)
    assert spread_cents(Decimal("0.60"), Decimal("0.45")) == Decimal(-5)
    assert spread_cents(Decimal("0.45"), None) is None
    assert maker_quote_text(Decimal("0.45"), None) == "YES 45¢ · NO —"
    assert whole_seconds_left(29.2) == 30
    assert whole_seconds_left(0.3) == 1
    assert whole_seconds_left(0.0) == 0
    assert whole_seconds_left(-3.0) == 0


def test_requester_model_passes_the_model_tester(qtmodeltester: Any, tmp_path: Path) -> None:
    world = RfqWorld(tmp_path)
    rfqs = RequesterRfqModel(now=T0)
    rfqs.apply(our_rfq(world, "ours-0", MARKETS[2]))
    qtmodeltester.check(rfqs, force_py=True)  # stays connected: every update below is checked
    rfqs.apply(our_rfq(world, "ours-1", MARKETS[0]))
    world.clock.advance(2)
    rfqs.apply(our_rfq(world, "ours-2", MARKETS[1], 40))
    rfqs.apply(world.ack("ours-1", "rfq-1") + world.ack("ours-2", "rfq-2"))
    rfqs.apply(world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-a"))
    rfqs.apply(world.quote("rfq-1", "q-2", MARKETS[0], yes="0.42", no="0.55", maker="mm-b"))
    rfqs.sort(rfqs.column_index("best_yes"), Qt.SortOrder.DescendingOrder)
    rfqs.apply(world.quote("rfq-2", "q-3", MARKETS[1], yes="0.50", no="0.45", maker="mm-a"))
    rfqs.tick(T0 + 10)
    assert rfqs.rowCount() == 3
    assert [r.quote_req_id for r in rfqs.visible_records()] == ["ours-2", "ours-1", "ours-0"]


def test_quotes_model_passes_the_model_tester(qtmodeltester: Any, tmp_path: Path) -> None:
    world = RfqWorld(tmp_path)
    our_rfq(world, "ours-1", MARKETS[0])
    our_rfq(world, "ours-2", MARKETS[1])
    world.ack("ours-1", "rfq-1")
    world.ack("ours-2", "rfq-2")
    world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-a")
    quotes = RfqQuotesModel(now=T0)
    quotes.show_rfq(world.desk.rfqs.get("ours-1"))
    qtmodeltester.check(quotes, force_py=True)
    world.quote("rfq-1", "q-2", MARKETS[0], yes="0.42", no="0.55", maker="mm-b")
    world.quote("rfq-1", "q-3", MARKETS[0], yes="0.45", no="0.53", maker="mm-a")
    quotes.show_rfq(world.desk.rfqs.get("ours-1"))
    quotes.tick(T0 + 3)
    quotes.show_rfq(world.desk.rfqs.get("ours-2"))
    quotes.show_rfq(world.desk.rfqs.get("ours-1"))
    assert [q.quote_id for q in quotes.quotes()] == ["q-2", "q-3"]
    quotes.show_rfq(None)
    assert quotes.rowCount() == 0


def test_our_rfqs_read_newest_first_with_the_best_bids(tmp_path: Path) -> None:
    world = RfqWorld(tmp_path)
    model = RequesterRfqModel(now=T0)
    model.apply(our_rfq(world, "ours-1", MARKETS[0]))
    world.clock.advance(5)
    model.apply(our_rfq(world, "ours-2", MARKETS[1], 40))
    model.tick(world.clock())
    assert texts(model, 0)["Market"] == MARKETS[1]
    assert texts(model, 0)["Status"] == "Sent"
    assert texts(model, 1)["Age"] == "5 s"
    model.apply(world.ack("ours-1", "rfq-1"))
    model.apply(world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-a"))
    model.apply(world.quote("rfq-1", "q-2", MARKETS[0], yes="0.41", no="0.56", maker="mm-b"))
    assert texts(model, 1) == {
        "Status": "Open",
        "Market": MARKETS[0],
        "Size": "100",
        "Quotes": "2",
        "YES bid": "44¢",
        "NO bid": "56¢",
        "Age": "5 s",
        "Note": "",
        "RFQ ID": "rfq-1",
    }
    status = model.index(1, model.column_index("status"))
    assert isinstance(model.data(status, Qt.ItemDataRole.BackgroundRole), QBrush)


def test_age_repaints_once_a_second_on_its_column_only(tmp_path: Path) -> None:
    world = RfqWorld(tmp_path)
    model = RequesterRfqModel(now=T0)
    model.apply(our_rfq(world, "ours-1", MARKETS[0]))
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles=(): changed.append((a.column(), b.column())))
    model.tick(T0 + 0.4)
    assert changed == []
    model.tick(T0 + 1.0)
    age = model.column_index("age")
    assert changed == [(age, age)]
    assert texts(model, 0)["Age"] == "1 s"


def test_quotes_show_the_implied_prices_and_bold_the_best(tmp_path: Path) -> None:
    world = RfqWorld(tmp_path)
    our_rfq(world, "ours-1", MARKETS[0])
    world.ack("ours-1", "rfq-1")
    world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-alpha")
    world.quote("rfq-1", "q-2", MARKETS[0], yes="0.45", no="0.51", maker="mm-beta")
    world.quote("rfq-1", "q-3", MARKETS[0], yes=None, no="0.55", maker="mm-gamma")
    rfq = world.desk.rfqs.get("ours-1")
    assert rfq is not None
    assert best_yes_bid(rfq.quotes) == Decimal("0.45")
    assert best_no_bid(rfq.quotes) == Decimal("0.55")
    model = RfqQuotesModel(now=T0)
    model.show_rfq(rfq)
    assert texts(model, 0) == {
        "Maker": "mm-alpha",
        "YES bid": "44¢",
        "NO bid": "54¢",
        "Buy YES at": "46¢",
        "Sell YES at": "44¢",
        "Size": "100",
        "Age": "0 s",
    }
    assert texts(model, 2)["YES bid"] == "—" and texts(model, 2)["Sell YES at"] == "—"
    assert texts(model, 2)["Buy YES at"] == "45¢"

    def bold(row: int, col: int) -> bool:
        font = model.data(model.index(row, col), Qt.ItemDataRole.FontRole)
        return isinstance(font, QFont) and font.bold()

    buy, sell = RfqQuotesModel.COL_BUY_YES, RfqQuotesModel.COL_SELL_YES
    assert [bold(r, buy) for r in range(3)] == [False, False, True]  # 45¢ is the cheapest YES
    assert [bold(r, sell) for r in range(3)] == [False, True, False]  # 45¢ is the best sale
    tip = model.data(model.index(0, buy), Qt.ItemDataRole.ToolTipRole)
    assert tip == "Buy YES at 46¢ = 100¢ − NO bid 54¢"


def test_a_makers_new_quote_replaces_its_row_in_place(tmp_path: Path) -> None:
    world = RfqWorld(tmp_path)
    our_rfq(world, "ours-1", MARKETS[0])
    world.ack("ours-1", "rfq-1")
    world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-alpha")
    world.quote("rfq-1", "q-2", MARKETS[0], yes="0.45", no="0.51", maker="mm-beta")
    model = RfqQuotesModel(now=T0)
    model.show_rfq(world.desk.rfqs.get("ours-1"))
    resets: list[str] = []
    model.modelReset.connect(lambda: resets.append("reset"))
    removed: list[int] = []
    model.rowsRemoved.connect(lambda _p, first, _last: removed.append(first))
    world.quote("rfq-1", "q-3", MARKETS[0], yes="0.46", no="0.52", maker="mm-alpha")
    model.show_rfq(world.desk.rfqs.get("ours-1"))
    assert resets == [] and removed == [0]
    assert [q.quote_id for q in model.quotes()] == ["q-2", "q-3"]
    assert texts(model, 1)["Buy YES at"] == "48¢"


def test_the_accepted_quote_is_marked(tmp_path: Path, qasync_loop: Any) -> None:
    world = RfqWorld(tmp_path)
    our_rfq(world, "ours-1", MARKETS[0])
    world.ack("ours-1", "rfq-1")
    world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-alpha")
    qasync_loop.run_until_complete(world.desk.accept_quote("q-1", Side.BUY))
    changes = world.accept_status("q-1")
    model = RequesterRfqModel(now=T0)
    model.apply(changes)
    assert texts(model, 0)["Status"] == "Accepted"
    assert texts(model, 0)["Note"] == "Accepted: Buy YES at 46¢ from mm-alpha"
    quotes = RfqQuotesModel(now=T0)
    quotes.show_rfq(model.record("ours-1"))
    assert texts(quotes, 0)["Maker"] == "✓ mm-alpha"


def test_maker_model_passes_the_model_tester(qtmodeltester: Any, tmp_path: Path) -> None:
    world = RfqWorld(tmp_path)
    model = MakerRfqModel(now=T0)
    model.apply(world.request("rfq-1", MARKETS[0]))
    qtmodeltester.check(model, force_py=True)
    world.clock.advance(1)
    model.apply(world.request("rfq-2", MARKETS[1], qty=None, cash="50"))
    model.apply(world.request("rfq-3", MARKETS[2], requester="anon-x"))
    model.sort(model.column_index("market"), Qt.SortOrder.AscendingOrder)
    model.tick(T0 + 3)
    model.apply(world.request_closed("rfq-3", "cancelled by the requester"))
    assert model.rowCount() == 3


def test_maker_rows_count_down_the_confirm_window(tmp_path: Path, qasync_loop: Any) -> None:
    world = RfqWorld(tmp_path)
    model = MakerRfqModel(now=T0)
    model.apply(world.request("rfq-1", MARKETS[0], requester="anon-7f3a"))
    world.clock.advance(1)
    model.apply(world.request("rfq-2", MARKETS[1], qty=None, cash="50", requester="anon-b"))
    assert texts(model, 0)["Size"] == "$50.00 cash"
    quote_id = qasync_loop.run_until_complete(
        world.desk.send_quote("rfq-1", Decimal("0.45"), Decimal("0.52"))
    )
    model.apply(world.quote_status("rfq-1", quote_id, QuoteStatus.PENDING))
    row = model.row_of("rfq-1")
    assert row is not None
    assert texts(model, row)["Status"] == "Quoted"
    assert texts(model, row)["Our quote"] == "YES 45¢ · NO 52¢"
    assert texts(model, row)["Requester"] == "anon-7f3a"
    world.clock.advance(0.4)
    model.apply(world.quote_status("rfq-1", quote_id, QuoteStatus.ACCEPTED, side=Side.SELL))
    model.tick(world.clock())
    assert texts(model, row)["Status"] == "Accepted — confirm now"
    assert texts(model, row)["Confirm"] == "30 s"
    confirm = model.index(row, model.column_index("confirm"))
    amber = model.data(confirm, Qt.ItemDataRole.ForegroundRole)
    world.clock.advance(21)  # 9 s left
    model.tick(world.clock())
    assert texts(model, row)["Confirm"] == "9 s"
    red = model.data(confirm, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(red, QBrush) and isinstance(amber, QBrush)
    assert red.color().name() == "#c62828" and amber.color().name() != red.color().name()
    world.clock.advance(9)
    model.tick(world.clock())
    assert texts(model, row)["Confirm"] == "missed"
    assert texts(model, row)["Status"] == "Voided — not confirmed in time"


def test_an_accepted_row_repaints_its_countdown_every_tick(
    tmp_path: Path, qasync_loop: Any
) -> None:
    world = RfqWorld(tmp_path)
    model = MakerRfqModel(now=T0)
    model.apply(world.request("rfq-1", MARKETS[0]))
    quote_id = qasync_loop.run_until_complete(
        world.desk.send_quote("rfq-1", Decimal("0.45"), Decimal("0.52"))
    )
    model.apply(world.quote_status("rfq-1", quote_id, QuoteStatus.ACCEPTED, side=Side.BUY))
    changed: list[int] = []
    model.dataChanged.connect(lambda a, _b, _roles=(): changed.append(a.column()))
    model.tick(T0 + 0.25)  # same whole second: only the status and countdown
    assert sorted(changed) == sorted([model.column_index("status"), model.column_index("confirm")])
