"""Simulated participants: background makers and takers, so a lone trader sees a market.

For every open market, each :meth:`SimulatedFlow.step`:

1. moves the market's *fair value* one tick up or down now and then (a seeded random walk
   between 0.03 and 0.97, starting at the market's ``reference_price`` or 0.50);
2. lets the **maker** account keep a two-sided ladder around it: ``levels`` bids below and
   ``levels`` asks above, ``half_spread`` ticks from the fair value, one tick apart, each of
   ``level_size`` contracts. Orders no longer on the ladder are cancelled first, then missing
   rungs are placed. A rung that crosses someone's resting order trades with it, which is how
   a trader's order gets filled when the market moves to it;
3. sometimes lets the **taker** account send an IOC that crosses the spread (buy or sell,
   1…``taker_max_qty`` contracts, up to ``taker_reach`` ticks through the fair value), which
   takes the best resting orders — a trader's included — and moves the book.

Everything goes through the same :class:`~.engine.Exchange` calls a FIX client's orders do,
under the flow's own accounts, and ``step`` returns the results so the gateway reports a
trader's passive fills. The random source is seeded and the markets are visited in ticker
order, so the same seed, the same exchange state and the same ``now`` values give the same
trades.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.exchange.market import MarketStatus
from workstation.simulator.exchange.orders import NewOrder
from workstation.simulator.exchange.results import Result
from workstation.simulator.exchange.types import SelfTradePrevention, Side, TimeInForce

__all__ = ["FlowConfig", "SimulatedFlow"]

_CENT = Decimal("0.01")
_LOWEST, _HIGHEST = 3, 97  #: fair value bounds, in cents


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowConfig:
    seed: int = 1
    maker_account: str = "sim-maker"
    taker_account: str = "sim-taker"
    funding: Decimal = Decimal("10000000.00")  #: dollars given to each flow account
    levels: int = 3  #: rungs per side of the maker's ladder
    level_size: Decimal = Decimal(10)  #: contracts per rung
    half_spread: int = 1  #: ticks (cents) from fair value to the best rung
    drift_probability: float = 0.3  #: chance per step that fair value moves one cent
    taker_probability: float = 0.35  #: chance per step and market of a taker order
    taker_max_qty: int = 15
    taker_reach: int = 3  #: ticks beyond fair value the taker is willing to pay
    #: Drop the flow accounts' finished orders and fills after each step (bounded memory).
    forget_history: bool = True


class SimulatedFlow:
    """Seeded background makers and takers on every open market of ``exchange``."""

    def __init__(self, exchange: Exchange, config: FlowConfig | None = None) -> None:
        self.exchange = exchange
        self.config = config if config is not None else FlowConfig()
        self._rng = random.Random(self.config.seed)
        self._next_id = 1
        #: ticker -> fair value in cents
        self.fair_values: dict[str, int] = {}
        for market in sorted(exchange.markets(), key=lambda m: m.ticker):
            start = (
                market.reference_price if market.reference_price is not None else Decimal("0.50")
            )
            cents = int((start * 100).to_integral_value())
            self.fair_values[market.ticker] = min(max(cents, _LOWEST), _HIGHEST)
        for account in (self.config.maker_account, self.config.taker_account):
            if exchange.ledger.get(account) is None:
                exchange.fund(account, self.config.funding)

    def fair_value(self, ticker: str) -> Decimal:
        return Decimal(self.fair_values[ticker]) * _CENT

    def step(self, now: float) -> list[Result]:
        """Move every open market once; returns everything that happened, in order."""
        out: list[Result] = []
        for ticker in sorted(self.fair_values):
            market = self.exchange.market(ticker)
            if market is None or market.status is not MarketStatus.OPEN:
                continue
            self._drift(ticker)
            self._requote(ticker, now, out)
            if self._rng.random() < self.config.taker_probability:
                self._take(ticker, now, out)
        if self.config.forget_history:
            self.exchange.forget_history(self.config.maker_account)
            self.exchange.forget_history(self.config.taker_account)
        return out

    # ------------------------------------------------------------------ internals

    def _cl_ord_id(self) -> str:
        value = f"flow-{self.config.seed}-{self._next_id}"
        self._next_id += 1
        return value

    def _drift(self, ticker: str) -> None:
        if self._rng.random() < self.config.drift_probability:
            move = self._rng.choice((-1, 1))
            self.fair_values[ticker] = min(max(self.fair_values[ticker] + move, _LOWEST), _HIGHEST)

    def _ladder(self, ticker: str) -> dict[tuple[Side, Decimal], None]:
        fair = self.fair_values[ticker]
        wanted: dict[tuple[Side, Decimal], None] = {}
        for rung in range(self.config.levels):
            distance = self.config.half_spread + rung
            if 1 <= fair - distance <= 99:
                wanted[(Side.BUY, Decimal(fair - distance) * _CENT)] = None
            if 1 <= fair + distance <= 99:
                wanted[(Side.SELL, Decimal(fair + distance) * _CENT)] = None
        return wanted

    def _requote(self, ticker: str, now: float, out: list[Result]) -> None:
        account = self.config.maker_account
        wanted = self._ladder(ticker)
        for view in self.exchange.open_orders(account, ticker):
            key = (view.side, view.price)
            if key in wanted:
                del wanted[key]
                continue
            out.extend(
                self.exchange.cancel(
                    account=account,
                    cl_ord_id=self._cl_ord_id(),
                    orig_cl_ord_id=view.cl_ord_id,
                    ticker=ticker,
                    side=view.side,
                    now=now,
                )
            )
        # Place bids best first and asks best first, alternating, so the ladder fills evenly.
        for side, price in sorted(wanted, key=lambda k: (abs(k[1] - self.fair_value(ticker)), k)):
            request = NewOrder(
                account=account,
                cl_ord_id=self._cl_ord_id(),
                ticker=ticker,
                side=side,
                price=price,
                quantity=self.config.level_size,
                stp=SelfTradePrevention.MAKER,
            )
            out.extend(self.exchange.submit(request, now))

    def _take(self, ticker: str, now: float, out: list[Result]) -> None:
        side = self._rng.choice((Side.BUY, Side.SELL))
        quantity = self._rng.randint(1, self.config.taker_max_qty)
        fair = self.fair_values[ticker]
        reach = self.config.taker_reach
        cents = min(fair + reach, 99) if side is Side.BUY else max(fair - reach, 1)
        request = NewOrder(
            account=self.config.taker_account,
            cl_ord_id=self._cl_ord_id(),
            ticker=ticker,
            side=side,
            price=Decimal(cents) * _CENT,
            quantity=Decimal(quantity),
            time_in_force=TimeInForce.IOC,
        )
        out.extend(self.exchange.submit(request, now))
