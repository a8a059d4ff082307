"""The public trade tape of each market: last price, time of the last trade and volume.

The exchange keeps books and fills per account, not a market's trade history, so
:class:`TradeTape` listens to the results the venue publishes (every trade reaches it as one
:class:`~workstation.simulator.exchange.results.OrderFilled` per side, sharing a trade id) and
counts each trade once. At start it replays the fills the exchange still holds, so a venue
restored from disk shows its last prices again (fills the exchange has forgotten — the
simulated participants' — are not replayed).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.exchange.results import OrderFilled, Result

__all__ = ["MarketTape", "TradeTape"]


@dataclass(slots=True)
class MarketTape:
    """What has traded in one market."""

    last_price: Decimal | None = None  #: YES dollars of the latest trade
    last_trade_time: float | None = None
    volume: Decimal = Decimal(0)  #: contracts traded, each trade counted once
    last_trade_id: str | None = None


class TradeTape:
    """Every market's :class:`MarketTape`, fed by the venue's published results."""

    def __init__(self) -> None:
        self._markets: dict[str, MarketTape] = {}

    def market(self, ticker: str) -> MarketTape:
        return self._markets.get(ticker) or MarketTape()

    def seed(self, exchange: Exchange) -> None:
        """Replay the fills the exchange holds, in ExecID order."""
        fills = [f for by_exec in exchange.state.fills.values() for f in by_exec.values()]
        for fill in sorted(fills, key=lambda f: f.exec_id):
            self._record(fill)

    def on_results(self, results: list[Result], now: float) -> None:
        """The venue's result listener."""
        for result in results:
            if isinstance(result, OrderFilled):
                self._record(result)

    def _record(self, fill: OrderFilled) -> None:
        tape = self._markets.setdefault(fill.order.ticker, MarketTape())
        if tape.last_trade_id == fill.trade_id:
            return  # the other side of a trade already counted
        tape.last_trade_id = fill.trade_id
        tape.last_price = fill.last_px
        tape.last_trade_time = fill.transact_time
        tape.volume += fill.last_qty
