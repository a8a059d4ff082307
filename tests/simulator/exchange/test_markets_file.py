"""The built-in market set and the TOML market file loader's checks and messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation.simulator.exchange import Exchange, MarketResult, MarketStatus
from workstation.simulator.exchange.market import SUBPENNY
from workstation.simulator.exchange.markets_default import default_events
from workstation.simulator.exchange.markets_file import (
    MarketsFileError,
    load_markets,
    parse_markets,
)

GOOD = """\
[[event]]
ticker = "KXRAIN-26NOV24"
title = "Rain in NYC?"

[[event.market]]
ticker = "KXRAIN-26NOV24-Y"
title = "Yes"
reference_price = 0.25
"""


def test_default_set_has_what_demos_and_tests_need() -> None:
    events = default_events()
    markets = [m for e in events for m in e.markets]
    assert len(markets) >= 8 and len(events) >= 3
    assert any(e.mutually_exclusive and len(e.markets) >= 4 for e in events)
    assert {m.status for m in markets} == set(MarketStatus)
    assert all(m.result is not None for m in markets if m.status is MarketStatus.SETTLED)
    assert any(m.tick == SUBPENNY for m in markets)
    assert all(m.ticker.startswith(m.event_ticker + "-") for m in markets)
    # A fresh copy each time: changing one exchange's market leaves the next one alone.
    first = Exchange(events=events)
    first.pause_market("KXHIGHNY-26NOV24-B46.5", 0.0)
    assert Exchange(events=default_events()).market("KXHIGHNY-26NOV24-B46.5").status is (  # type: ignore[union-attr]
        MarketStatus.OPEN
    )


def test_a_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "markets.toml"
    path.write_text(GOOD, encoding="utf-8")
    (event,) = load_markets(path)
    (market,) = event.markets
    assert (market.ticker, market.status, str(market.reference_price)) == (
        "KXRAIN-26NOV24-Y",
        MarketStatus.OPEN,
        "0.25",
    )


def test_scalar_settled_market_keeps_its_value() -> None:
    text = GOOD + 'status = "settled"\nresult = "scalar"\nsettlement_value = "0.4"\n'
    market = parse_markets(text)[0].markets[0]
    assert (market.result, str(market.settlement_value)) == (MarketResult.SCALAR, "0.4")


@pytest.mark.parametrize(
    ("change", "key", "line", "fix"),
    [
        (
            ('title = "Yes"', 'title = "Yes"\nstatus = "halted"'),
            "event[1].market[1].status",
            8,
            "use one of: open, paused, closed, settled",
        ),
        (
            ("reference_price = 0.25", "reference_price = 1.5"),
            "event[1].market[1].reference_price",
            8,
            "strictly between 0 and 1",
        ),
        (
            ('ticker = "KXRAIN-26NOV24-Y"', 'ticker = "OTHER-1"'),
            "event[1].market[1].ticker",
            6,
            "start it with KXRAIN-26NOV24-",
        ),
        (
            ('title = "Yes"', 'title = "Yes"\ncolour = "red"'),
            "event[1].market[1].colour",
            8,
            "remove it or use one of",
        ),
        (
            ('title = "Yes"', 'title = "Yes"\nstatus = "settled"'),
            "event[1].market[1].result",
            6,
            'add result = "yes", "no" or "scalar"',
        ),
        (('title = "Rain in NYC?"\n', ""), "event[1].title", 2, 'add title = "..."'),
        (
            ('title = "Yes"', 'title = "Yes"\ntick = "0.05"'),
            "event[1].market[1].tick",
            8,
            '"0.01" or "0.0001"',
        ),
    ],
)
def test_bad_files_name_the_line_the_key_and_the_fix(change, key, line, fix) -> None:
    text = GOOD.replace(*change)
    with pytest.raises(MarketsFileError) as info:
        parse_markets(text, source="m.toml")
    error = info.value
    assert error.key == key
    assert error.line == line
    assert fix in error.fix
    assert str(error).startswith(f"m.toml, line {line}: {key}: ")


def test_syntax_errors_and_missing_files_are_reported() -> None:
    with pytest.raises(MarketsFileError) as info:
        parse_markets(GOOD + "oops = = 1\n", source="m.toml")
    assert info.value.line == 9 and info.value.key == "syntax"
    with pytest.raises(MarketsFileError, match="cannot be read"):
        load_markets("/nonexistent/markets.toml")


def test_duplicate_tickers_and_two_winners_are_refused() -> None:
    twice = GOOD + '\n[[event.market]]\nticker = "KXRAIN-26NOV24-Y"\ntitle = "again"\n'
    with pytest.raises(MarketsFileError, match="appears twice"):
        parse_markets(twice)
    winners = (
        GOOD.replace('title = "Rain in NYC?"', 'title = "Rain"\nmutually_exclusive = true').replace(
            'title = "Yes"', 'title = "Yes"\nstatus = "settled"\nresult = "yes"'
        )
        + '\n[[event.market]]\nticker = "KXRAIN-26NOV24-N"\ntitle = "No"\n'
        'status = "settled"\nresult = "yes"\n'
    )
    with pytest.raises(MarketsFileError, match="at most one yes"):
        parse_markets(winners)
