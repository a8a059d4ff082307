"""A post-trade desk for the drop-copy, settlement and state-directory tests: a venue built as
``workstation-sim`` builds it (``build_venue``), on OS-assigned loopback ports, and signed FIX
sessions for two accounts. The venue's FIX sessions keep the real time when a test moves the
venue clock (the exchange's time) hours ahead, so the clients do too.

A :class:`Peer` collects every application message its session receives. :meth:`Peer.fence`
sends an unsupported message (35=H) and waits for the venue's BusinessMessageReject to it:
the venue answers a session's messages in order, so everything sent to that session before
is in by then.
"""

from __future__ import annotations

import itertools
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.fix.auth import LogonSigner
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.events import Event, MessageReceived
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import Side
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.fix.store import MessageStore
from workstation.net.initiator import Initiator, InitiatorState
from workstation.simulator.assembly import build_venue
from workstation.simulator.exchange.types import MarketResult
from workstation.simulator.gateway.settlement import SettlementGateway
from workstation.simulator.registry import AccountSpec, KeyRegistry
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

from ..venue_harness import ClientKey, make_key, register, wait_for

ALICE = "acct-alice"
BOB = "acct-bob"
#: key name → account. One connection per key, so each session of an account has its own.
KEYS: dict[str, str] = {
    "alice": ALICE,
    "alice_rt": ALICE,
    "alice_pt": ALICE,
    "alice_dc": ALICE,
    "bob": BOB,
    "bob_rt": BOB,
    "bob_pt": BOB,
    "bob_dc": BOB,
}
MARKETS = [f"KXPT-26NOV24-M{n}" for n in range(1, 9)]

_ADMIN = frozenset({"0", "1", "2", "4", "5", "A"})
_keys: dict[str, ClientKey] = {}


def keys() -> dict[str, ClientKey]:
    """RSA keys for every name in :data:`KEYS`, made once per test run."""
    if not _keys:
        directory = Path(tempfile.mkdtemp(prefix="posttrade-keys-"))
        for name in KEYS:
            _keys[name] = make_key(directory, name)
    return _keys


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def markets_toml() -> str:
    lines = ["[[event]]", 'ticker = "KXPT-26NOV24"', 'title = "Post-trade tests"', ""]
    for ticker in MARKETS:
        lines += ["[[event.market]]", f'ticker = "{ticker}"', f'title = "{ticker}"', ""]
    return "\n".join(lines)


def registry(sub_accounts: dict[str, tuple[int, ...]] | None = None) -> KeyRegistry:
    subs = sub_accounts or {}
    reg = KeyRegistry()
    for account in (ALICE, BOB):
        reg.add_account(AccountSpec(account_id=account, sub_accounts=subs.get(account, ())))
    for name, account in KEYS.items():
        register(reg, keys()[name], account)
    return reg


@dataclass
class Peer:
    """One logged-on session and the application messages it received."""

    name: str
    initiator: Initiator[Session]
    price_format: PriceFormat
    events: list[Event] = field(default_factory=list)
    cursor: int = 0
    _ids: itertools.count[int] = field(default_factory=itertools.count)

    @property
    def session(self) -> Session:
        return self.initiator.session

    def send(self, msg_type: str, body: list[tuple[int, str]]) -> int:
        return self.initiator.send(msg_type, body)

    def order(self, symbol: str, side: Side, qty: int, price: str, **extra: Any) -> str:
        """A NewOrderSingle (price in dollars); returns its ClOrdID."""
        cl_ord_id = f"{self.name}-{uuid.uuid4().hex[:12]}"
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

    def received(self) -> list[FixMessage]:
        return [
            e.message
            for e in self.events
            if isinstance(e, MessageReceived) and e.message.msg_type not in _ADMIN
        ]

    def seqs(self) -> list[int]:
        """MsgSeqNum of every message received, session messages included."""
        return [e.message.seq_num or 0 for e in self.events if isinstance(e, MessageReceived)]

    async def fence(self, timeout: float = 5.0) -> list[FixMessage]:
        """Everything received since the last fence, up to the answer to a new fence."""
        seq = self.send("H", [(11, f"fence-{next(self._ids)}")])

        def is_fence(m: FixMessage) -> bool:
            return m.msg_type == "j" and m.get(372) == "H" and m.get(45) == str(seq)

        await wait_for(lambda: any(is_fence(m) for m in self.received()[self.cursor :]), timeout)
        received = self.received()
        end = next(i for i in range(self.cursor, len(received)) if is_fence(received[i]))
        batch = received[self.cursor : end]
        self.cursor = end + 1
        return batch

    async def stop(self) -> None:
        await self.initiator.stop()


class Desk:
    """A venue with every gateway, started and stopped by the test on its own event loop."""

    def __init__(
        self,
        directory: Path,
        *,
        state_dir: Path | None = None,
        dialect: Dialect = Dialect.CURRENT,
        sub_accounts: dict[str, tuple[int, ...]] | None = None,
    ) -> None:
        markets = directory / "markets.toml"
        markets.write_text(markets_toml(), encoding="utf-8")
        self.settings = VenueSettings(
            base_port=0,
            registry=registry(sub_accounts),
            dialect=dialect,
            markets_file=markets,
            state_dir=state_dir,
        )
        self.venue: Venue = build_venue(self.settings)
        self.ports: dict[str, int] = {}
        self.peers: list[Peer] = []

    async def start(self) -> dict[str, Any]:
        info = await self.venue.start()
        self.ports = info["sessions"]
        return info

    async def stop(self) -> None:
        for peer in self.peers:
            if peer.initiator.state is not InitiatorState.STOPPED:
                await peer.stop()
        await self.venue.stop()

    async def login(
        self,
        name: str,
        session_type: SessionType,
        options: LogonOptions | None = None,
        *,
        store: MessageStore | None = None,
    ) -> Peer:
        """A session for key ``name``, logged on; ``store`` carries client sequence numbers
        over from an earlier session."""
        key = keys()[name]
        dialect = self.settings.dialect
        opts = options if options is not None else LogonOptions()
        await wait_for(lambda: not self.venue.clients(key_id=key.key_id))
        session = Session(
            SessionConfig(
                role=Role.INITIATOR,
                session_type=session_type,
                sender_comp_id=key.key_id,
                dialect=dialect,
                logon_fields=opts.to_fields(dialect),
                emit_wire_events=True,
            ),
            store=store,
            signer=LogonSigner(key.private_key),
        )
        events: list[Event] = []
        initiator = Initiator(
            session,
            host="127.0.0.1",
            port=self.ports[session_type.value],
            on_events=events.extend,
        )
        fmt = PriceFormat.DOLLARS if opts.use_dollars else PriceFormat.CENTS
        peer = Peer(name=name, initiator=initiator, price_format=fmt, events=events)
        self.peers.append(peer)
        initiator.start()
        await wait_for(lambda: initiator.state is InitiatorState.ACTIVE)
        return peer

    def settle(self, ticker: str, result: MarketResult) -> None:
        """Determine ``ticker`` on the exchange and publish it, as the admin port does."""
        now = self.venue.clock()
        self.venue.publish(self.venue.exchange.settle_market(ticker, result, now), now)


async def trade(
    desk: Desk, buyer: Peer, seller: Peer, ticker: str, qty: int, price: str, **extra: Any
) -> None:
    """``buyer`` rests a YES bid and ``seller`` sells into it; both see their fills."""
    buyer.order(ticker, Side.BUY, qty, price, **extra.get("buy", {}))
    await buyer.fence()
    seller.order(ticker, Side.SELL, qty, price, **extra.get("sell", {}))
    await seller.fence()
    await wait_for(lambda: any(m.get(150) == "F" for m in buyer.received()[buyer.cursor :]))
    await buyer.fence()


def settlement_gateway(venue: Venue) -> SettlementGateway:
    """The venue's settlement gateway. The venue keeps no list of its gateways, so it is found
    by its result listener (a bound method)."""
    found = [
        owner
        for listener in venue._result_listeners
        if isinstance(owner := getattr(listener, "__self__", None), SettlementGateway)
    ]
    assert len(found) == 1, found
    return found[0]


def exec_ids(messages: list[FixMessage]) -> list[ExecId]:
    return [ExecId.parse(m.get(17) or "") for m in messages if m.msg_type == "8"]


def only(messages: list[FixMessage], msg_type: str) -> list[FixMessage]:
    return [m for m in messages if m.msg_type == msg_type]


def waiter(peer: Peer, msg_type: str, count: int = 1) -> Callable[[], bool]:
    return lambda: len(only(peer.received()[peer.cursor :], msg_type)) >= count


__all__ = [
    "ALICE",
    "BOB",
    "KEYS",
    "MARKETS",
    "D",
    "Desk",
    "Peer",
    "exec_ids",
    "keys",
    "only",
    "settlement_gateway",
    "trade",
    "waiter",
]
