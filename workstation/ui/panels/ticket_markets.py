"""The order ticket's market picker: markets grouped by event in the drop-down, a completer
that finds a market by any words of its ticker or title, and the quote line shown under it.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter

from workstation.client.market_data import MarketRow, MarketSnapshot
from workstation.trading.ticket import Intent
from workstation.ui.format import price_text

__all__ = ["TICKER_ROLE", "MarketCompleter", "fill_market_models", "quote_line"]

#: Item data role holding a market row's ticker (event headers have none).
TICKER_ROLE = Qt.ItemDataRole.UserRole + 1
_ONE = Decimal(1)


class MarketCompleter(QCompleter):
    """Matches "TICKER  title" anywhere, case-insensitively; inserts just the ticker."""

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:  # noqa: N802
        ticker = index.data(TICKER_ROLE)
        return str(ticker) if ticker else super().pathFromIndex(index)


def fill_market_models(
    markets: QStandardItemModel, found: QStandardItemModel, snapshot: MarketSnapshot | None
) -> None:
    """Refill the drop-down's model (a bold, unselectable header per event, its markets
    under it) and the completer's ("TICKER — title" per market) from a market poll."""
    markets.clear()
    found.clear()
    if snapshot is None:
        return
    titles = {e.event_ticker: e.title for e in snapshot.events}
    by_event: dict[str, list[MarketRow]] = {}
    for row in snapshot.markets.values():
        by_event.setdefault(row.event_ticker, []).append(row)
    for event_ticker in sorted(by_event, key=lambda e: (titles.get(e) or e).casefold()):
        header = QStandardItem(titles.get(event_ticker) or event_ticker)
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        font = QFont(header.font())
        font.setBold(True)
        header.setFont(font)
        header.setToolTip(event_ticker)
        markets.appendRow(header)
        for row in sorted(by_event[event_ticker], key=lambda r: r.ticker):
            item = QStandardItem(f"   {row.ticker}")
            item.setData(row.ticker, TICKER_ROLE)
            item.setToolTip(row.title)
            if not row.tradable:
                item.setText(f"   {row.ticker} ({row.status})")
            markets.appendRow(item)
            match = QStandardItem(f"{row.ticker} — {row.title}")
            match.setData(row.ticker, TICKER_ROLE)
            found.appendRow(match)


def quote_line(row: MarketRow, intent: Intent) -> str:
    """The market's title and quote in the terms of the contract ``intent`` names:
    ``YES bid 57¢ · ask 59¢ · last 58¢``, or the NO bid and ask (and the YES ones beside)."""
    bid = price_text(row.yes_bid) or "—"
    ask = price_text(row.yes_ask) or "—"
    last = price_text(row.last_price) or "—"
    if intent.contract == "NO":
        no_bid = price_text(None if row.yes_ask is None else _ONE - row.yes_ask) or "—"
        no_ask = price_text(None if row.yes_bid is None else _ONE - row.yes_bid) or "—"
        quote = f"NO bid {no_bid} · ask {no_ask} (YES {bid} / {ask})"
    else:
        quote = f"YES bid {bid} · ask {ask} · last {last}"
    status = "" if row.tradable else f" · {row.status}"
    return f"{row.title}\n{quote}{status}"
