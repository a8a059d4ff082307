"""Test helpers: RSA keys, a venue on OS-assigned loopback ports, and signed FIX clients."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from workstation.fix.auth import LogonSigner
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.events import Event
from workstation.fix.keys import generate_key_pair
from workstation.fix.logon_options import LogonOptions
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.net.initiator import Initiator, InitiatorState
from workstation.simulator.registry import KeyRegistry, KeyScope, RegisteredKey


@dataclass
class ClientKey:
    key_id: str
    private_key: rsa.RSAPrivateKey
    public_path: Path


def make_key(directory: Path, name: str) -> ClientKey:
    private_path = directory / f"{name}.key.pem"
    public_path = directory / f"{name}.pub.pem"
    private = generate_key_pair(private_path, public_path)
    return ClientKey(key_id=str(uuid.uuid4()), private_key=private, public_path=public_path)


def register(
    registry: KeyRegistry, key: ClientKey, account: str, scope: KeyScope = KeyScope.TRADE
) -> None:
    registry.add_key(
        RegisteredKey(
            key_id=key.key_id,
            account=account,
            public_key=key.private_key.public_key(),
            scope=scope,
        )
    )


@dataclass
class Client:
    """A FIX initiator logged on to the venue, collecting every event it sees."""

    initiator: Initiator[Session]
    events: list[Event] = field(default_factory=list)

    @property
    def session(self) -> Session:
        session = self.initiator.session
        assert isinstance(session, Session)
        return session

    def of(self, kind: type[Event]) -> list[Event]:
        return [e for e in self.events if isinstance(e, kind)]


def connect(
    port: int,
    key: ClientKey,
    session_type: SessionType,
    *,
    options: LogonOptions | None = None,
    dialect: Dialect = Dialect.CURRENT,
    signer_key: rsa.RSAPrivateKey | None = None,
) -> Client:
    opts = options if options is not None else LogonOptions()
    session = Session(
        SessionConfig(
            role=Role.INITIATOR,
            session_type=session_type,
            sender_comp_id=key.key_id,
            dialect=dialect,
            logon_fields=opts.to_fields(dialect),
            emit_wire_events=True,
        ),
        signer=LogonSigner(signer_key if signer_key is not None else key.private_key),
    )
    events: list[Event] = []
    initiator = Initiator(session, host="127.0.0.1", port=port, on_events=events.extend)
    initiator.start()
    return Client(initiator=initiator, events=events)


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


async def logged_on(client: Client, timeout: float = 5.0) -> None:
    await wait_for(lambda: client.initiator.state is InitiatorState.ACTIVE, timeout)
