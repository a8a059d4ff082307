"""The built-in market set, used when no market file is given.

Written in the market-file format (:mod:`.markets_file`) so it doubles as an example. It has
every market status, a mutually exclusive event with six outcomes (and one with four), a
stand-alone threshold ladder, a subpenny market and a market with maker fees, under
Kalshi-style tickers.
"""

from __future__ import annotations

from workstation.simulator.exchange.market import Event
from workstation.simulator.exchange.markets_file import parse_markets

__all__ = ["DEFAULT_MARKETS_TOML", "default_events"]

DEFAULT_MARKETS_TOML = """\
# Built-in markets of the local Kalshi simulator.

[[event]]
ticker = "KXHIGHNY-26NOV24"
title = "Highest temperature in NYC on Nov 24, 2026?"
mutually_exclusive = true

[[event.market]]
ticker = "KXHIGHNY-26NOV24-T43"
title = "43° or below"
reference_price = "0.08"

[[event.market]]
ticker = "KXHIGHNY-26NOV24-B44.5"
title = "44° to 45°"
reference_price = "0.21"

[[event.market]]
ticker = "KXHIGHNY-26NOV24-B46.5"
title = "46° to 47°"
reference_price = "0.34"

[[event.market]]
ticker = "KXHIGHNY-26NOV24-B48.5"
title = "48° to 49°"
reference_price = "0.24"

[[event.market]]
ticker = "KXHIGHNY-26NOV24-B50.5"
title = "50° to 51°"
reference_price = "0.10"

[[event.market]]
ticker = "KXHIGHNY-26NOV24-T51"
title = "52° or above"
reference_price = "0.03"

[[event]]
ticker = "KXFEDDECISION-26DEC"
title = "Fed decision in December 2026?"
mutually_exclusive = true

[[event.market]]
ticker = "KXFEDDECISION-26DEC-H0"
title = "Fed maintains rate"
reference_price = "0.62"

[[event.market]]
ticker = "KXFEDDECISION-26DEC-C25"
title = "Cut 25bps"
reference_price = "0.31"

[[event.market]]
ticker = "KXFEDDECISION-26DEC-C26"
title = "Cut >25bps"
reference_price = "0.04"

[[event.market]]
ticker = "KXFEDDECISION-26DEC-H25"
title = "Hike 25bps"
reference_price = "0.03"
status = "paused"

[[event]]
ticker = "KXNBAGAME-26NOV24NYKBOS"
title = "New York at Boston (Nov 24)"
mutually_exclusive = true

[[event.market]]
ticker = "KXNBAGAME-26NOV24NYKBOS-NYK"
title = "New York wins"
reference_price = "0.45"

[[event.market]]
ticker = "KXNBAGAME-26NOV24NYKBOS-BOS"
title = "Boston wins"
reference_price = "0.55"

[[event]]
ticker = "KXCPIYOY-26OCT"
title = "CPI year-over-year in October 2026"

[[event.market]]
ticker = "KXCPIYOY-26OCT-T2.8"
title = "Above 2.8%"
status = "settled"
result = "yes"

[[event.market]]
ticker = "KXCPIYOY-26OCT-T3.0"
title = "Above 3.0%"
status = "settled"
result = "no"

[[event.market]]
ticker = "KXCPIYOY-26OCT-T3.2"
title = "Above 3.2%"
status = "closed"

[[event]]
ticker = "KXINXD-26NOV24H1600"
title = "S&P 500 close on Nov 24, 2026"

[[event.market]]
ticker = "KXINXD-26NOV24H1600-T6800"
title = "6,800 or above"
reference_price = "0.5250"
tick = "0.0001"
taker_fee = "0.035"
maker_fee = "0.0175"

[[event.market]]
ticker = "KXINXD-26NOV24H1600-T6900"
title = "6,900 or above"
reference_price = "0.18"
taker_fee = "0.035"
maker_fee = "0.0175"
"""


def default_events() -> list[Event]:
    """A fresh copy of the built-in events (markets are mutable, so never share them)."""
    return parse_markets(DEFAULT_MARKETS_TOML, source="<built-in markets>")
