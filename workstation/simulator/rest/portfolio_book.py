"""Per-account trading history for the portfolio resources: cost of each position, realized
P&L, fees, money traded and settlements.

The exchange's ledger knows balances and net positions but not what a position cost or what
settled when, which Kalshi's ``/portfolio/positions`` (``market_exposure``, ``realized_pnl``,
``fees_paid``, ``total_traded``) and ``/portfolio/settlements`` report. :class:`PortfolioBook`
follows every fill and settlement the venue publishes, by (account, sub-account, ticker):

* a fill that opens (or adds to) a position adds its cost to the exposure — P per YES
  contract bought, 1 − P per NO contract (a YES sale);
* a fill that reduces a position releases the average cost of the contracts it closes; the
  difference between what they fetch and what they cost is realized P&L (fees apart);
* a settlement pays the position out: payout − exposure is realized, the exposure is gone,
  and a settlement record is kept.

At start the book replays the fills the exchange still holds, then the settlements the venue
issued before (the settlement gateway's history, kept by ``--state-dir``): a market trades no
more once it settled, so each settlement finds its position as the fills left it, and its
record comes back as it was. A position the ledger shows as gone for another reason is simply
cleared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.exchange.results import OrderFilled, PositionSettled, Result
from workstation.simulator.exchange.types import MarketResult, Side

__all__ = ["PortfolioBook", "PositionRecord", "SettlementRecord"]

_ZERO = Decimal(0)
_ONE = Decimal(1)


@dataclass(slots=True)
class PositionRecord:
    """One (account, sub-account, ticker): what the position is and what it cost."""

    position: Decimal = _ZERO  #: net YES (negative: NO held)
    exposure: Decimal = _ZERO  #: cost of the contracts held, dollars
    realized_pnl: Decimal = _ZERO  #: dollars, fees not included
    fees_paid: Decimal = _ZERO
    total_traded: Decimal = _ZERO  #: dollars paid for every contract bought (YES or NO)
    last_updated: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SettlementRecord:
    """One position paid out when its market settled."""

    seq: int  #: order of arrival, for paging
    account: str
    sub_account: int
    ticker: str
    result: MarketResult
    settlement_value: Decimal  #: dollars per YES contract
    yes_count: Decimal
    no_count: Decimal
    yes_total_cost: Decimal
    no_total_cost: Decimal
    payout: Decimal
    fee: Decimal
    settled_time: float


@dataclass(slots=True)
class _Account:
    positions: dict[tuple[int, str], PositionRecord] = field(default_factory=dict)
    settlements: list[SettlementRecord] = field(default_factory=list)


class PortfolioBook:
    """Position costs and settlements of every account, fed by the venue's results."""

    def __init__(self) -> None:
        self._accounts: dict[str, _Account] = {}
        self._seq = 0

    # ------------------------------------------------------------------ queries

    def positions(self, account: str, sub_account: int = 0) -> dict[str, PositionRecord]:
        """Ticker -> record for every market the sub-account has traded, by ticker."""
        book = self._accounts.get(account)
        if book is None:
            return {}
        return {
            ticker: record
            for (sub, ticker), record in sorted(book.positions.items())
            if sub == sub_account
        }

    def settlements(self, account: str, sub_account: int = 0) -> list[SettlementRecord]:
        """The sub-account's settlements, newest first."""
        book = self._accounts.get(account)
        if book is None:
            return []
        return [s for s in reversed(book.settlements) if s.sub_account == sub_account]

    # ------------------------------------------------------------------ feeding

    def seed(self, exchange: Exchange, settled: Iterable[PositionSettled] = ()) -> None:
        """Replay the exchange's fills, then ``settled`` (the settlements issued before, in
        issue order), then clear positions the ledger no longer holds."""
        fills = [f for by_exec in exchange.state.fills.values() for f in by_exec.values()]
        for fill in sorted(fills, key=lambda f: f.exec_id):
            self._fill(fill)
        for settlement in settled:
            self._settled(settlement)
        for account, book in self._accounts.items():
            for (sub, ticker), record in book.positions.items():
                if exchange.ledger.position(account, sub, ticker) != record.position:
                    record.position = exchange.ledger.position(account, sub, ticker)
                    if record.position == 0:
                        record.exposure = _ZERO

    def on_results(self, results: list[Result], now: float) -> None:
        """The venue's result listener."""
        for result in results:
            if isinstance(result, OrderFilled):
                self._fill(result)
            elif isinstance(result, PositionSettled):
                self._settled(result)

    def _record(self, account: str, sub_account: int, ticker: str) -> PositionRecord:
        book = self._accounts.setdefault(account, _Account())
        return book.positions.setdefault((sub_account, ticker), PositionRecord())

    def _fill(self, fill: OrderFilled) -> None:
        order = fill.order
        record = self._record(order.account, order.sub_account, order.ticker)
        quantity, price = fill.last_qty, fill.last_px
        held = record.position
        buying = order.side is Side.BUY
        # Contracts this fill closes: a buy closes NO held, a sell closes YES held.
        closing = min(quantity, max(_ZERO, -held if buying else held))
        if closing > 0:
            cost = record.exposure * closing / abs(held)
            fetched = closing * ((_ONE - price) if buying else price)
            record.realized_pnl += fetched - cost
            record.exposure -= cost
        opening = quantity - closing
        unit = price if buying else _ONE - price
        record.exposure += opening * unit
        record.total_traded += quantity * unit
        record.fees_paid += fill.fee
        record.position = held + quantity if buying else held - quantity
        if record.position == 0:
            record.exposure = _ZERO
        record.last_updated = fill.transact_time

    def _settled(self, settled: PositionSettled) -> None:
        record = self._record(settled.account, settled.sub_account, settled.ticker)
        long_yes = settled.long_qty > 0
        self._seq += 1
        self._accounts[settled.account].settlements.append(
            SettlementRecord(
                seq=self._seq,
                account=settled.account,
                sub_account=settled.sub_account,
                ticker=settled.ticker,
                result=settled.result,
                settlement_value=settled.settlement_value,
                yes_count=settled.long_qty,
                no_count=settled.short_qty,
                yes_total_cost=record.exposure if long_yes else _ZERO,
                no_total_cost=_ZERO if long_yes else record.exposure,
                payout=settled.payout,
                fee=settled.fee,
                settled_time=settled.transact_time,
            )
        )
        record.realized_pnl += settled.payout - record.exposure
        record.fees_paid += settled.fee
        record.exposure = _ZERO
        record.position = _ZERO
        record.last_updated = settled.transact_time
