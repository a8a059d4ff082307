"""Small builders shared by the exchange tests: a few markets, funded accounts, orders."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from workstation.fix.dialect import Dialect, dialect_rules
from workstation.simulator.exchange import (
    Event,
    Exchange,
    Market,
    NewOrder,
    SequentialIds,
    Side,
)
from workstation.simulator.exchange.market import SUBPENNY

T = "KXTEST-26NOV24-A"  #: the main test market
T2 = "KXTEST-26NOV24-B"
SUB = "KXSUB-26NOV24-X"  #: a subpenny market
NOW = 1_795_000_000.0  #: 2026-11-18 (a Wednesday), 11:06:40 UTC = 06:06:40 EST


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def events() -> list[Event]:
    return [
        Event(
            ticker="KXTEST-26NOV24",
            title="Test event",
            mutually_exclusive=True,
            markets=[
                Market(ticker=T, event_ticker="KXTEST-26NOV24", title="A"),
                Market(ticker=T2, event_ticker="KXTEST-26NOV24", title="B"),
            ],
        ),
        Event(
            ticker="KXSUB-26NOV24",
            title="Subpenny",
            markets=[Market(ticker=SUB, event_ticker="KXSUB-26NOV24", title="X", tick=SUBPENNY)],
        ),
    ]


def exchange(dialect: Dialect = Dialect.CURRENT, *, funds: str = "1000.00") -> Exchange:
    x = Exchange(events=events(), rules=dialect_rules(dialect), ids=SequentialIds())
    for account in ("alice", "bob", "carol"):
        x.fund(account, D(funds))
    return x


_counter = iter(range(1, 1_000_000))


def order(
    account: str,
    side: Side,
    price: str,
    quantity: int | str,
    *,
    ticker: str = T,
    cl_ord_id: str | None = None,
    **kwargs: Any,
) -> NewOrder:
    return NewOrder(
        account=account,
        cl_ord_id=cl_ord_id or f"{account}-{next(_counter)}",
        ticker=ticker,
        side=side,
        price=D(price),
        quantity=D(quantity),
        **kwargs,
    )


def of_type(results: Sequence[object], kind: type[Any]) -> list[Any]:
    return [r for r in results if isinstance(r, kind)]


def only(results: Sequence[object], kind: type[Any]) -> Any:
    found = of_type(results, kind)
    assert len(found) == 1, results
    return found[0]
