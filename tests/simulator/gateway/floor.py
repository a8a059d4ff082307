"""A trading floor for the order-gateway tests: one venue (built as ``workstation-sim`` builds
it) on OS-assigned loopback ports, its own event loop kept for a whole test module, signed
FIX clients for two accounts (trading keys and read-only listener keys), and a market per
test so tests never share a book.

A :class:`Trader` collects every message its session receives. :meth:`Trader.fence` sends an
unsupported message (35=H) and waits for the venue's BusinessMessageReject to it: the venue
answers a session's messages in order, so everything it sent that session before is in by
then. Tests read exact message sequences that way, without sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.events import MessageReceived
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import Side, TimeInForce
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.orders import (
    NewOrderSingle,
    OrderCancelReplaceRequest,
    OrderCancelRequest,
)
from workstation.fix.messages.prices import PriceFormat
from workstation.net.initiator import InitiatorState
from workstation.simulator.assembly import build_venue
from workstation.simulator.registry import KeyRegistry, KeyScope
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

from ..venue_harness import Client, ClientKey, connect, logged_on, make_key, register, wait_for

T = TypeVar("T")

ALICE = "acct-alice"
BOB = "acct-bob"
CAROL = "acct-carol"
#: key name → (account, scope)
KEYS: dict[str, tuple[str, KeyScope]] = {
    "alice": (ALICE, KeyScope.TRADE),
    "alice2": (ALICE, KeyScope.TRADE),
    "alice_watch": (ALICE, KeyScope.READ),
    "bob": (BOB, KeyScope.TRADE),
    "bob_watch": (BOB, KeyScope.READ),
    "carol": (CAROL, KeyScope.TRADE),
}
MARKETS = 60
SUBPENNY_MARKETS = 4

_ADMIN = frozenset({"0", "1", "2", "4", "5", "A"})
_keys: dict[str, ClientKey] = {}


def keys() -> dict[str, ClientKey]:
    """RSA keys for every name in :data:`KEYS`, made once per test run."""
    if not _keys:
        directory = Path(tempfile.mkdtemp(prefix="gateway-keys-"))
        for name in KEYS:
            _keys[name] = make_key(directory, name)
    return _keys


def markets_toml() -> str:
    lines = ["[[event]]", 'ticker = "KXGW-26NOV24"', 'title = "Gateway tests"', ""]
    for n in range(1, MARKETS + 1):
        lines += ["[[event.market]]", f'ticker = "KXGW-26NOV24-M{n:02d}"', f'title = "M{n}"', ""]
    lines += ["[[event]]", 'ticker = "KXGWSUB-26NOV24"', 'title = "Subpenny"', ""]
    for n in range(1, SUBPENNY_MARKETS + 1):
        lines += [
            "[[event.market]]",
            f'ticker = "KXGWSUB-26NOV24-S{n:02d}"',
            f'title = "S{n}"',
            'tick = "0.0001"',
            "",
        ]
    lines += ["[[event]]", 'ticker = "KXGWSHUT-26NOV24"', 'title = "Closed"', ""]
    lines += ["[[event.market]]", 'ticker = "KXGWSHUT-26NOV24-C"', 'title = "C"']
    lines += ['status = "closed"', ""]
    return "\n".join(lines)


CLOSED_MARKET = "KXGWSHUT-26NOV24-C"


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def plain(*values: object) -> tuple[object, ...]:
    """``values`` with whole Decimals as ints, to compare quantities with ``(10, 4, 0)``."""
    return tuple(
        int(v) if isinstance(v, Decimal) and v == v.to_integral_value() else v for v in values
    )


def kinds(messages: list[FixMessage]) -> list[str]:
    """``8:<150>/<39>`` for ExecutionReports, the MsgType otherwise (e.g. ``9``, ``3``)."""
    return [f"8:{m.get(150)}/{m.get(39)}" if m.msg_type == "8" else m.msg_type for m in messages]


@dataclass
class Trader:
    """One logged-on session and everything it received."""

    name: str
    client: Client
    price_format: PriceFormat
    cursor: int = 0
    _ids: Iterator[int] = field(default_factory=itertools.count)

    # -- sending --------------------------------------------------------------------------

    def send(self, msg_type: str, body: list[tuple[int, str]]) -> int:
        return self.client.initiator.send(msg_type, body)

    def new_id(self) -> str:
        return f"{self.name}-{uuid.uuid4().hex[:12]}"

    def order(
        self,
        symbol: str,
        side: Side,
        qty: int | str,
        price: str,
        *,
        cl_ord_id: str | None = None,
        **extra: Any,
    ) -> str:
        """Send a NewOrderSingle (price in dollars); returns its ClOrdID."""
        cl_ord_id = cl_ord_id or self.new_id()
        nos = NewOrderSingle(
            cl_ord_id=cl_ord_id,
            symbol=symbol,
            side=side,
            order_qty=D(qty),
            price=D(price),
            **extra,
        )
        self.send("D", nos.to_body(self.price_format))
        return cl_ord_id

    def cancel(self, orig: str, symbol: str, side: Side, **extra: Any) -> str:
        cl_ord_id = extra.pop("cl_ord_id", None) or self.new_id()
        req = OrderCancelRequest(
            cl_ord_id=cl_ord_id, orig_cl_ord_id=orig, symbol=symbol, side=side, **extra
        )
        self.send("F", req.to_body(self.price_format))
        return cl_ord_id

    def replace(
        self, orig: str, symbol: str, side: Side, qty: int, price: str | None = None, **extra: Any
    ) -> str:
        cl_ord_id = extra.pop("cl_ord_id", None) or self.new_id()
        req = OrderCancelReplaceRequest(
            cl_ord_id=cl_ord_id,
            orig_cl_ord_id=orig,
            symbol=symbol,
            side=side,
            order_qty=D(qty),
            price=None if price is None else D(price),
            **extra,
        )
        self.send("G", req.to_body(self.price_format))
        return cl_ord_id

    # -- receiving ------------------------------------------------------------------------

    def _received(self) -> list[FixMessage]:
        return [
            e.message
            for e in self.client.events
            if isinstance(e, MessageReceived) and e.message.msg_type not in _ADMIN
        ]

    async def fence(self, timeout: float = 5.0) -> list[FixMessage]:
        """Everything received since the last fence, up to the answer to a new fence."""
        seq = self.send("H", [(11, f"fence-{next(self._ids)}")])

        def is_fence(m: FixMessage) -> bool:
            return m.msg_type == "j" and m.get(372) == "H" and m.get(45) == str(seq)

        await wait_for(lambda: any(is_fence(m) for m in self._received()[self.cursor :]), timeout)
        received = self._received()
        end = next(i for i in range(self.cursor, len(received)) if is_fence(received[i]))
        batch = received[self.cursor : end]
        self.cursor = end + 1
        return batch

    async def wait(self, count: int, timeout: float = 5.0) -> list[FixMessage]:
        """The next ``count`` messages (for reports another session's action produces)."""
        await wait_for(lambda: len(self._received()) - self.cursor >= count, timeout)
        batch = self._received()[self.cursor : self.cursor + count]
        self.cursor += count
        return batch

    def er(self, msg: FixMessage) -> ExecutionReport:
        assert msg.msg_type == "8", msg
        return ExecutionReport.from_message(msg, self.price_format)


class Floor:
    """A venue with the order gateway, on its own loop for a whole test module."""

    def __init__(self, directory: Path, dialect: Dialect = Dialect.CURRENT) -> None:
        self.loop = asyncio.new_event_loop()
        self.keys = keys()
        registry = KeyRegistry()
        for name, (account, scope) in KEYS.items():
            register(registry, self.keys[name], account, scope)
        markets = directory / "markets.toml"
        markets.write_text(markets_toml(), encoding="utf-8")
        self.venue: Venue = build_venue(
            VenueSettings(base_port=0, registry=registry, dialect=dialect, markets_file=markets)
        )
        info = self.run(self.venue.start())
        self.ports: dict[str, int] = info["sessions"]
        self.dialect = dialect
        self._markets = itertools.count(1)
        self._subpenny = itertools.count(1)

    def run(self, coro: Awaitable[T]) -> T:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.venue.stop())
        self.loop.close()

    def market(self) -> str:
        """A market no other test has used."""
        n = next(self._markets)
        assert n <= MARKETS, "add markets to the floor"
        return f"KXGW-26NOV24-M{n:02d}"

    def subpenny_market(self) -> str:
        n = next(self._subpenny)
        assert n <= SUBPENNY_MARKETS
        return f"KXGWSUB-26NOV24-S{n:02d}"

    async def login(
        self,
        name: str,
        session_type: SessionType = SessionType.NR,
        options: LogonOptions | None = None,
    ) -> Trader:
        opts = options or LogonOptions()
        if KEYS[name][1] is KeyScope.READ and options is None:
            opts = LogonOptions(listener_session=True, skip_pending_exec_reports=True)
        key = self.keys[name]
        await wait_for(lambda: not self.venue.clients(key_id=key.key_id))
        client = connect(
            self.ports[session_type.value], key, session_type, options=opts, dialect=self.dialect
        )
        await logged_on(client)
        fmt = PriceFormat.DOLLARS if opts.use_dollars else PriceFormat.CENTS
        return Trader(name=name, client=client, price_format=fmt)

    async def logout(self, trader: Trader) -> None:
        await trader.client.initiator.stop()
        key = self.keys[trader.name]
        await wait_for(lambda: not self.venue.clients(key_id=key.key_id))

    @contextlib.asynccontextmanager
    async def sessions(self, *names: str, **options: LogonOptions) -> AsyncIterator[list[Trader]]:
        """Log ``names`` on to KalshiNR (``options[name]`` for their Logon), log them out after."""
        traders = [await self.login(n, options=options.get(n)) for n in names]
        try:
            yield traders
        finally:
            for trader in traders:
                if trader.client.initiator.state is not InitiatorState.STOPPED:
                    await self.logout(trader)


__all__ = [
    "ALICE",
    "BOB",
    "CAROL",
    "CLOSED_MARKET",
    "KEYS",
    "D",
    "Floor",
    "Side",
    "TimeInForce",
    "Trader",
    "kinds",
    "plain",
]
