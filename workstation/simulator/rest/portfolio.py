"""The signed portfolio resources: balance, positions and settlement history of the account
whose API key signed the request (Kalshi's ``GET /portfolio/balance``, ``/portfolio/positions``
and ``/portfolio/settlements``).

Each takes ``subaccount`` (0, the primary, by default). Shapes follow Kalshi's
``GetBalanceResponse``, ``MarketPosition``/``EventPosition`` and ``Settlement`` models: money
both as legacy integer cents and as ``_dollars`` strings, counts as integers and ``_fp``
strings.

* ``balance`` is what the sub-account can trade with: its cash less what its resting orders
  hold back (the exchange's reserve). ``portfolio_value`` marks each position at its market's
  last trade price (a NO contract at 1 − that), or at its cost where nothing has traded.
* Positions list every market the sub-account has traded or has resting orders in
  (``count_filter`` narrows to ``position``, ``total_traded`` or ``resting_order_count``).
* Settlements come newest first.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.rest.formats import cents, count_fp, dollars, iso_time
from workstation.simulator.rest.messages import HttpRequest
from workstation.simulator.rest.params import BadRequest, int_param, limit_param, paginate
from workstation.simulator.rest.portfolio_book import PortfolioBook, PositionRecord
from workstation.simulator.rest.tape import TradeTape

__all__ = ["PortfolioResources"]

_ZERO = Decimal(0)
_ONE = Decimal(1)
_COUNT_FILTERS = ("position", "total_traded", "resting_order_count")


def _money(prefix: str, value: Decimal) -> dict[str, Any]:
    return {prefix: cents(value), f"{prefix}_dollars": dollars(value)}


class PortfolioResources:
    """Answers the portfolio endpoints from the exchange, the tape and the portfolio book."""

    def __init__(self, exchange: Exchange, tape: TradeTape, book: PortfolioBook) -> None:
        self.exchange = exchange
        self.tape = tape
        self.book = book

    def _sub_account(self, request: HttpRequest, account: str) -> int:
        number = int_param(request, "subaccount", 0)
        assert number is not None
        if self.exchange.ledger.get(account, number) is None:
            raise BadRequest(
                f"query parameter 'subaccount': this account has no subaccount {number}"
            )
        return number

    def _mark(self, ticker: str, position: Decimal, cost: Decimal) -> Decimal:
        last = self.tape.market(ticker).last_price
        if last is None:
            return cost
        return position * last if position > 0 else -position * (_ONE - last)

    def balance(self, request: HttpRequest, account: str, now: float) -> dict[str, Any]:
        sub = self._sub_account(request, account)
        available = self.exchange.ledger.require(account, sub).balance - self.exchange.reserved(
            account, sub
        )
        records = self.book.positions(account, sub)
        value = _ZERO
        for ticker, held in self.exchange.ledger.require(account, sub).positions.items():
            cost = records[ticker].exposure if ticker in records else _ZERO
            value += self._mark(ticker, held, cost)
        return {
            "balance": cents(available),
            "balance_dollars": dollars(available),
            "portfolio_value": cents(value),
            "portfolio_value_dollars": dollars(value),
            "updated_ts": int(now),
        }

    def positions(self, request: HttpRequest, account: str, now: float) -> dict[str, Any]:
        sub = self._sub_account(request, account)
        limit = limit_param(request, default=100, maximum=1000)
        count_filter = request.param("count_filter") or None
        if count_filter is not None and count_filter not in _COUNT_FILTERS:
            raise BadRequest(
                f"query parameter 'count_filter' must be one of {', '.join(_COUNT_FILTERS)}"
            )
        ticker_filter = request.param("ticker") or None
        event_filter = request.param("event_ticker") or None
        resting: dict[str, int] = defaultdict(int)
        for order in self.exchange.open_orders(account):
            if order.sub_account == sub:
                resting[order.ticker] += 1
        records = self.book.positions(account, sub)
        rows: list[dict[str, Any]] = []
        for ticker in sorted(set(records) | set(resting)):
            market = self.exchange.market(ticker)
            if market is None:
                continue
            if ticker_filter is not None and ticker != ticker_filter:
                continue
            if event_filter is not None and market.event_ticker != event_filter:
                continue
            record = records.get(ticker, PositionRecord())
            if count_filter == "position" and record.position == 0:
                continue
            if count_filter == "total_traded" and record.total_traded == 0:
                continue
            if count_filter == "resting_order_count" and not resting[ticker]:
                continue
            rows.append(self._market_position(ticker, market.event_ticker, record, resting[ticker]))
        page, cursor = paginate(rows, lambda r: str(r["ticker"]), request.param("cursor"), limit)
        return {
            "market_positions": [{k: v for k, v in r.items() if k != "_event"} for r in page],
            "event_positions": self._event_positions(rows),
            "cursor": cursor,
        }

    @staticmethod
    def _market_position(
        ticker: str, event_ticker: str, record: PositionRecord, resting: int
    ) -> dict[str, Any]:
        updated = record.last_updated
        return {
            "ticker": ticker,
            "_event": event_ticker,
            "position": int(record.position),
            "position_fp": count_fp(record.position),
            **_money("market_exposure", record.exposure),
            **_money("realized_pnl", record.realized_pnl),
            **_money("fees_paid", record.fees_paid),
            **_money("total_traded", record.total_traded),
            "resting_orders_count": resting,
            "last_updated_ts": None if updated is None else iso_time(updated),
        }

    @staticmethod
    def _event_positions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        totals: dict[str, dict[str, Decimal]] = {}
        for row in rows:
            sums = totals.setdefault(
                str(row["_event"]),
                {"exposure": _ZERO, "realized": _ZERO, "fees": _ZERO, "cost": _ZERO},
            )
            sums["exposure"] += Decimal(row["market_exposure_dollars"])
            sums["realized"] += Decimal(row["realized_pnl_dollars"])
            sums["fees"] += Decimal(row["fees_paid_dollars"])
            sums["cost"] += Decimal(row["total_traded_dollars"])
        return [
            {
                "event_ticker": event,
                **_money("event_exposure", sums["exposure"]),
                **_money("realized_pnl", sums["realized"]),
                **_money("fees_paid", sums["fees"]),
                **_money("total_cost", sums["cost"]),
            }
            for event, sums in sorted(totals.items())
        ]

    def settlements(self, request: HttpRequest, account: str, now: float) -> dict[str, Any]:
        sub = self._sub_account(request, account)
        limit = limit_param(request, default=100, maximum=1000)
        ticker_filter = request.param("ticker") or None
        event_filter = request.param("event_ticker") or None
        min_ts = int_param(request, "min_ts")
        max_ts = int_param(request, "max_ts")
        rows: list[dict[str, Any]] = []
        for record in self.book.settlements(account, sub):
            market = self.exchange.market(record.ticker)
            event_ticker = market.event_ticker if market is not None else ""
            if ticker_filter is not None and record.ticker != ticker_filter:
                continue
            if event_filter is not None and event_ticker != event_filter:
                continue
            if min_ts is not None and record.settled_time < min_ts:
                continue
            if max_ts is not None and record.settled_time > max_ts:
                continue
            rows.append(
                {
                    "_seq": str(record.seq),
                    "ticker": record.ticker,
                    "event_ticker": event_ticker,
                    "market_result": record.result.value,
                    "yes_count": int(record.yes_count),
                    "yes_count_fp": count_fp(record.yes_count),
                    "no_count": int(record.no_count),
                    "no_count_fp": count_fp(record.no_count),
                    **_money("yes_total_cost", record.yes_total_cost),
                    **_money("no_total_cost", record.no_total_cost),
                    "revenue": cents(record.payout),
                    "revenue_dollars": dollars(record.payout),
                    "fee_cost": dollars(record.fee),
                    "value": cents(record.settlement_value),
                    "value_dollars": dollars(record.settlement_value),
                    "settled_time": iso_time(record.settled_time),
                }
            )
        page, cursor = paginate(rows, lambda r: str(r["_seq"]), request.param("cursor"), limit)
        return {
            "settlements": [{k: v for k, v in r.items() if k != "_seq"} for r in page],
            "cursor": cursor,
        }
