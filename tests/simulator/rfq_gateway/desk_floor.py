"""An RFQ floor for the RFQ gateway tests: a venue with the order gateway and the RFQ gateway
on OS-assigned loopback ports (its own event loop, kept for a whole test module), signed FIX
clients for a market maker and an RFQ creator (each with an order session key and a read-only
listener key), and a market per test so tests never share an RFQ.

The automatic simulated requesters are slowed to one RFQ a few decades, so the only RFQs a
test sees are its own (one test switches them back on). The venue clock is moved by
:meth:`RfqFloor.advance`, which runs the venue's tick at once.

A :class:`Party` collects every application message its session receives; :meth:`Party.fence`
sends an unsupported message (35=H) and waits for the BusinessMessageReject to it, so
everything the venue sent that session before is in by then.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from workstation.fix.auth import LogonSigner
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.events import Event, MessageReceived
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.net.initiator import Initiator, InitiatorState
from workstation.simulator.gateway import install_order_gateway
from workstation.simulator.gateway.rfq_bridge import RfqBridge, RfqSettings, install_rfq_gateway
from workstation.simulator.registry import KeyRegistry, KeyScope
from workstation.simulator.rfq import RequesterBehaviour, RfqResult, SequentialRfqIds
from workstation.simulator.rfq.states import LIVE_RFQ_STATES
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

from ..venue_harness import Client, ClientKey, logged_on, make_key, register, wait_for

T = TypeVar("T")

MAKER = "acct-maker"
MAKER2 = "acct-maker-two"
CREATOR = "acct-creator"
#: key name → (account, scope)
KEYS: dict[str, tuple[str, KeyScope]] = {
    "maker": (MAKER, KeyScope.TRADE),  # KalshiRFQ
    "maker_orders": (MAKER, KeyScope.TRADE),  # KalshiNR
    "maker_watch": (MAKER, KeyScope.READ),  # listener
    "maker2": (MAKER2, KeyScope.TRADE),  # a second maker's KalshiRFQ
    "creator": (CREATOR, KeyScope.TRADE),  # KalshiRT
    "creator_watch": (CREATOR, KeyScope.READ),  # listener
}
MARKETS = 40
HVM_MARKET = "KXMVEGW-26NOV24-C1"
START_FUNDS = Decimal("10000.00")  #: the registry's default balance

_ADMIN = frozenset({"0", "1", "2", "4", "5", "A"})
_keys: dict[str, ClientKey] = {}


def keys() -> dict[str, ClientKey]:
    if not _keys:
        directory = Path(tempfile.mkdtemp(prefix="rfq-gateway-keys-"))
        for name in KEYS:
            _keys[name] = make_key(directory, name)
    return _keys


def markets_toml() -> str:
    lines = ["[[event]]", 'ticker = "KXRFQGW-26NOV24"', 'title = "RFQ gateway tests"', ""]
    for n in range(1, MARKETS + 1):
        lines += ["[[event.market]]", f'ticker = "KXRFQGW-26NOV24-M{n:02d}"', f'title = "M{n}"']
        lines += ['reference_price = "0.50"', ""]
    lines += ["[[event]]", 'ticker = "KXMVEGW-26NOV24"', 'title = "Combo"', ""]
    lines += ["[[event.market]]", f'ticker = "{HVM_MARKET}"', 'title = "C1"', ""]
    return "\n".join(lines)


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def kinds(messages: list[FixMessage]) -> list[str]:
    """``AI:<297>`` / ``8:<150>/<39>`` / ``U9:<298>`` / ``UC:<21025>`` / ``UB:<21013>``,
    else the MsgType."""
    out = []
    for m in messages:
        detail = {
            "AI": m.get(297),
            "8": f"{m.get(150)}/{m.get(39)}",
            "U9": m.get(298),
            "U8": m.get(21010) or m.get(297),
            "UC": m.get(21025),
            "UB": m.get(21013),
        }.get(m.msg_type)
        out.append(m.msg_type if detail is None else f"{m.msg_type}:{detail}")
    return out


@dataclass
class Party:
    """One logged-on session and everything it received."""

    name: str
    client: Client
    price_format: PriceFormat
    cursor: int = 0

    def send(self, msg_type: str, body: list[tuple[int, str]]) -> int:
        return self.client.initiator.send(msg_type, body)

    def received(self) -> list[FixMessage]:
        return [
            e.message
            for e in self.client.events
            if isinstance(e, MessageReceived) and e.message.msg_type not in _ADMIN
        ]

    async def fence(self, timeout: float = 5.0) -> list[FixMessage]:
        """Everything received since the last fence, up to the answer to a new fence."""
        seq = self.send("H", [(11, f"fence-{len(self.client.events)}")])

        def is_fence(m: FixMessage) -> bool:
            return m.msg_type == "j" and m.get(372) == "H" and m.get(45) == str(seq)

        await wait_for(lambda: any(is_fence(m) for m in self.received()[self.cursor :]), timeout)
        received = self.received()
        end = next(i for i in range(self.cursor, len(received)) if is_fence(received[i]))
        batch = received[self.cursor : end]
        self.cursor = end + 1
        return batch

    async def next_where(
        self, test: Callable[[FixMessage], bool], timeout: float = 5.0
    ) -> FixMessage:
        """The first message from the cursor on that passes ``test`` (cursor moves past it)."""

        def found() -> int | None:
            received = self.received()
            return next((i for i in range(self.cursor, len(received)) if test(received[i])), None)

        await wait_for(lambda: found() is not None, timeout)
        index = found()
        assert index is not None
        self.cursor = index + 1
        return self.received()[index]

    def er(self, msg: FixMessage) -> ExecutionReport:
        assert msg.msg_type == "8", msg
        return ExecutionReport.from_message(msg, self.price_format)


def _cancel(bridge: RfqBridge, rfq_id: str, now: float) -> list[RfqResult]:
    return bridge.desk.cancel_rfq(creator=CREATOR, rfq_id=rfq_id, now=now)


class RfqFloor:
    """A venue with the order and RFQ gateways, on its own loop for a whole test module."""

    def __init__(
        self,
        directory: Path,
        dialect: Dialect = Dialect.CURRENT,
        *,
        requester_interval: float = 1e9,
    ) -> None:
        self.loop = asyncio.new_event_loop()
        self.keys = keys()
        registry = KeyRegistry()
        for name, (account, scope) in KEYS.items():
            register(registry, self.keys[name], account, scope)
        markets = directory / "markets.toml"
        markets.write_text(markets_toml(), encoding="utf-8")
        self.venue = Venue(
            VenueSettings(
                base_port=0,
                registry=registry,
                dialect=dialect,
                markets_file=markets,
                tick_interval=3600.0,  # the tests tick by hand (advance)
            )
        )
        orders = install_order_gateway(self.venue)
        settings = RfqSettings(
            requester_behaviour=RequesterBehaviour(mean_interval=requester_interval)
        )
        self.bridge: RfqBridge = install_rfq_gateway(
            self.venue, orders, settings, ids=SequentialRfqIds()
        )
        info = self.run(self.venue.start())
        self.ports: dict[str, int] = info["sessions"]
        self.dialect = dialect
        self._markets = itertools.count(1)

    def run(self, coro: Awaitable[T]) -> T:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.run(self.venue.stop())
        self.loop.close()

    def market(self) -> str:
        n = next(self._markets)
        assert n <= MARKETS, "add markets to the floor"
        return f"KXRFQGW-26NOV24-M{n:02d}"

    def now(self) -> float:
        return self.venue.clock()

    def advance(self, seconds: float) -> float:
        """Move the venue clock forward and run the venue's tick at once."""
        later = self.venue.clock.advance(seconds)
        self.venue.tick(later)
        return later

    def cancel_creator_rfqs(self) -> None:
        """Cancel what the human creator left open, so later tests see no quotes for it."""
        desk = self.bridge.desk
        now = self.now()
        for rfq in desk.rfqs():
            if rfq.creator == CREATOR and rfq.state in LIVE_RFQ_STATES:
                self.bridge.act(None, now, functools.partial(_cancel, self.bridge, rfq.rfq_id, now))

    def tick(self) -> None:
        self.venue.tick(self.venue.clock())

    async def login(
        self,
        name: str,
        session_type: SessionType,
        options: LogonOptions | None = None,
    ) -> Party:
        opts = options or LogonOptions()
        if KEYS[name][1] is KeyScope.READ and options is None:
            opts = LogonOptions(listener_session=True, skip_pending_exec_reports=True)
        key = self.keys[name]
        await wait_for(lambda: not self.venue.clients(key_id=key.key_id))
        client = self._connect(key, session_type, opts)
        await logged_on(client)
        await wait_for(lambda: bool(self.venue.clients(key_id=key.key_id)))
        fmt = PriceFormat.DOLLARS if opts.use_dollars else PriceFormat.CENTS
        return Party(name=name, client=client, price_format=fmt)

    def _connect(self, key: ClientKey, session_type: SessionType, opts: LogonOptions) -> Client:
        """A signed initiator that starts its sequence numbers afresh (141=Y) at every logon.
        It keeps real time, as the venue's sessions do whatever the venue clock says."""
        session = Session(
            SessionConfig(
                role=Role.INITIATOR,
                session_type=session_type,
                sender_comp_id=key.key_id,
                dialect=self.dialect,
                logon_fields=opts.to_fields(self.dialect),
                emit_wire_events=True,
                reset_on_logon=True,
            ),
            signer=LogonSigner(key.private_key),
        )
        events: list[Event] = []
        initiator = Initiator(
            session,
            host="127.0.0.1",
            port=self.ports[session_type.value],
            on_events=events.extend,
        )
        initiator.start()
        return Client(initiator=initiator, events=events)

    async def logout(self, party: Party) -> None:
        await party.client.initiator.stop()
        key = self.keys[party.name]
        await wait_for(lambda: not self.venue.clients(key_id=key.key_id))

    @contextlib.asynccontextmanager
    async def sessions(
        self,
        *logins: tuple[str, SessionType] | tuple[str, SessionType, LogonOptions],
        drain: bool = True,
    ) -> AsyncIterator[list[Party]]:
        """Log each (key name, session type[, options]) on; log them out after. Makers
        register on the next tick and are told of the RFQs earlier tests left open: with
        ``drain`` those messages are skipped."""
        parties = []
        for login in logins:
            parties.append(await self.login(*login))
        try:
            self.tick()
            if drain:
                for party in parties:
                    await party.fence()
            yield parties
        finally:
            self.cancel_creator_rfqs()
            for party in parties:
                if party.client.initiator.state is not InitiatorState.STOPPED:
                    await self.logout(party)
            self.tick()


__all__ = [
    "CREATOR",
    "HVM_MARKET",
    "KEYS",
    "MAKER",
    "MAKER2",
    "START_FUNDS",
    "D",
    "Party",
    "RfqFloor",
    "kinds",
]
