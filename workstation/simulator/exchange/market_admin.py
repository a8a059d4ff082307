"""Market administration: trading and exchange pauses, close, settlement (SPEC §2.4, §12).

Which status a market may move to is decided by :data:`~.market.MARKET_TRANSITIONS`; an
illegal call raises ``ValueError`` naming the call and the market's status, before anything
changes. A trading pause cancels CancelOrderOnPause orders of that market (Text
``TRADING_PAUSED``); an exchange pause those of every market (``EXCHANGE_PAUSED``) and then
refuses everything, cancels included. Closing cancels every resting order as an expiry
(CloseCancel, reported Expired with 21012); settling closes the market if needed and pays
every net position (:mod:`.settlement`).
"""

from __future__ import annotations

from decimal import Decimal

from workstation.simulator.exchange.clock import clearing_date
from workstation.simulator.exchange.core import ExchangeCore
from workstation.simulator.exchange.market import MARKET_TRANSITIONS, Market, MarketStatus
from workstation.simulator.exchange.reasons import Reason
from workstation.simulator.exchange.results import ExchangeStatusChanged, MarketSettled, Result
from workstation.simulator.exchange.settlement import settle_positions, settlement_value_of
from workstation.simulator.exchange.types import MarketResult

__all__ = ["MarketAdmin"]


class MarketAdmin(ExchangeCore):
    """Pauses, close and settlement."""

    def pause_market(self, ticker: str, now: float) -> list[Result]:
        """A trading pause: CancelOrderOnPause orders are cancelled, the rest stay."""
        market = self._market_moving(ticker, "pause", MarketStatus.PAUSED)
        out = self._begin(now)
        self._set_status(market, MarketStatus.PAUSED, now, out)
        for order in list(self.state.live_orders()):
            if order.ticker == ticker and order.cancel_on_pause:
                self._cancel(order, now, out, reason=Reason.TRADING_PAUSED)
        return out

    def resume_market(self, ticker: str, now: float) -> list[Result]:
        market = self._market_moving(ticker, "resume", MarketStatus.OPEN)
        out = self._begin(now)
        self._set_status(market, MarketStatus.OPEN, now, out)
        return out

    def close_market(self, ticker: str, now: float) -> list[Result]:
        """End trading: every resting order is cancelled as expired (CloseCancel)."""
        market = self._market_moving(ticker, "close", MarketStatus.CLOSED)
        out = self._begin(now)
        self._close(market, now, out)
        return out

    def reopen_market(self, ticker: str, now: float) -> list[Result]:
        """Open a closed market to trading again (Kalshi reopens a closed market whose close
        time is moved later). Its book is empty; a settled market never reopens."""
        market = self.state.markets.get(ticker)
        if market is None:
            raise KeyError(f"reopen: no market {ticker!r}")
        if market.status is not MarketStatus.CLOSED:
            raise ValueError(
                f"reopen: market {ticker} is {market.status.value}; only a closed market reopens"
            )
        out = self._begin(now)
        self._set_status(market, MarketStatus.OPEN, now, out)
        return out

    def settle_market(
        self,
        ticker: str,
        result: MarketResult,
        now: float,
        *,
        value: Decimal | None = None,
    ) -> list[Result]:
        """Determine ``ticker``: close it if open, pay every net position, mark it settled."""
        value = settlement_value_of(result, value)
        market = self._market_moving(ticker, "settle", MarketStatus.CLOSED, MarketStatus.SETTLED)
        out = self._begin(now)
        if market.status is not MarketStatus.CLOSED:
            self._close(market, now, out)
        market.result = result
        market.settlement_value = value
        self._set_status(market, MarketStatus.SETTLED, now, out)
        date = clearing_date(now)
        settled = settle_positions(
            self.ledger, ticker=ticker, result=result, value=value, now=now, clearing_date=date
        )
        out.append(
            MarketSettled(
                transact_time=now,
                ticker=ticker,
                result=result,
                settlement_value=value,
                clearing_date=date,
                positions=len(settled),
            )
        )
        out.extend(settled)
        return out

    def pause_exchange(self, now: float) -> list[Result]:
        """An exchange pause: nothing is accepted, not even cancels (SPEC §2.4)."""
        if self.state.exchange_paused:
            raise ValueError("pause_exchange: the exchange is already paused")
        out = self._begin(now)
        self.state.exchange_paused = True
        out.append(ExchangeStatusChanged(transact_time=now, paused=True))
        for order in list(self.state.live_orders()):
            if order.cancel_on_pause:
                self._cancel(order, now, out, reason=Reason.EXCHANGE_PAUSED)
        return out

    def resume_exchange(self, now: float) -> list[Result]:
        if not self.state.exchange_paused:
            raise ValueError("resume_exchange: the exchange is not paused")
        out = self._begin(now)
        self.state.exchange_paused = False
        out.append(ExchangeStatusChanged(transact_time=now, paused=False))
        return out

    def _market_moving(self, ticker: str, verb: str, *path: MarketStatus) -> Market:
        """The market, if it may go through ``path`` (MARKET_TRANSITIONS); else raise."""
        market = self.state.markets.get(ticker)
        if market is None:
            raise KeyError(f"{verb}: no market {ticker!r}")
        status = market.status
        for step in path:
            if step is status and step is not path[-1]:
                continue  # already there (settling a market that is closed)
            if step not in MARKET_TRANSITIONS[status]:
                raise ValueError(
                    f"{verb}: market {ticker} is {market.status.value} and cannot become "
                    f"{path[-1].value}"
                )
            status = step
        return market
