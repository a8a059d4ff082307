"""Small builders shared by the RFQ desk tests: a few markets, a desk, result filters."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, TypeVar

from workstation.simulator.exchange.market import SUBPENNY
from workstation.simulator.rfq import (
    AcceptSide,
    RfqDesk,
    RfqMarket,
    RfqResult,
    SequentialRfqIds,
)
from workstation.simulator.rfq.results import QuotePending, RfqCreated

T = "KXRFQ-26NOV24-A"  #: the main test market
T2 = "KXRFQ-26NOV24-B"
HVM = "KXMVE-26NOV24-COMBO"  #: a high-volatility market
SUB = "KXSUB-26NOV24-X"  #: a subpenny market
NOW = 1_795_000_000.0

R = TypeVar("R")


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


class Markets:
    """A market lookup the test can change (close a market)."""

    def __init__(self) -> None:
        self.by_ticker = {
            T: RfqMarket(ticker=T),
            T2: RfqMarket(ticker=T2),
            HVM: RfqMarket(ticker=HVM, high_volatility=True),
            SUB: RfqMarket(ticker=SUB, tick=SUBPENNY),
        }

    def __call__(self, ticker: str) -> RfqMarket | None:
        return self.by_ticker.get(ticker)

    def close(self, ticker: str) -> None:
        self.by_ticker[ticker] = replace(self.by_ticker[ticker], open=False)


def make_desk(*makers: str, markets: Markets | None = None, **kwargs: Any) -> RfqDesk:
    desk = RfqDesk(markets=markets or Markets(), ids=SequentialRfqIds(), **kwargs)
    for maker in makers:
        desk.register_maker(maker, NOW)
    return desk


def of_type(results: list[RfqResult], kind: type[R]) -> list[R]:
    return [r for r in results if isinstance(r, kind)]


def only(results: list[RfqResult], kind: type[R]) -> R:
    found = of_type(results, kind)
    assert len(found) == 1, f"expected one {kind.__name__} in {results}"
    return found[0]


def kinds(results: list[RfqResult]) -> list[str]:
    return [type(r).__name__ for r in results]


def open_rfq(
    desk: RfqDesk,
    creator: str = "alice",
    ticker: str = T,
    *,
    quantity: str | None = "100",
    now: float = NOW,
    **kwargs: Any,
) -> str:
    """Create an RFQ and return its server id."""
    results = desk.create_rfq(
        creator=creator,
        ticker=ticker,
        quantity=D(quantity) if quantity is not None else None,
        now=now,
        **kwargs,
    )
    return only(results, RfqCreated).rfq_id


def quote(
    desk: RfqDesk,
    rfq_id: str,
    maker: str = "mm1",
    quote_id: str = "q1",
    yes: str = "0.40",
    no: str = "0.55",
    *,
    now: float = NOW,
) -> list[RfqResult]:
    results = desk.submit_quote(
        maker=maker, quote_id=quote_id, rfq_id=rfq_id, yes_bid=D(yes), no_bid=D(no), now=now
    )
    assert of_type(results, QuotePending), results
    return results


def accept(
    desk: RfqDesk,
    quote_id: str = "q1",
    side: AcceptSide = AcceptSide.BUY,
    *,
    creator: str = "alice",
    now: float = NOW,
    **kwargs: Any,
) -> list[RfqResult]:
    return desk.accept_quote(creator=creator, quote_id=quote_id, side=side, now=now, **kwargs)
