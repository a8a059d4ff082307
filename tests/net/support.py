"""Shared pieces of the network tests: real RSA keys, a real Logon judge, clocks, waiting."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from workstation.fix.auth import LogonSigner, logon_signature_valid
from workstation.fix.dialect import SessionType
from workstation.fix.events import Event, LogonAccepted, SessionClosed
from workstation.fix.message import FixMessage
from workstation.fix.session import Session
from workstation.fix.session_config import LogonDecision, Role, SessionConfig
from workstation.fix.store import MemoryStore, MessageStore
from workstation.net.backoff import BackoffSettings, ReconnectPolicy

API_KEY = "5f3c9a8e-1b2d-4c6e-8f00-aa11bb22cc33"
OTHER_KEY = "0d9e8f7a-6b5c-4d3e-9f21-123456789abc"

#: Reconnect quickly in tests (the production defaults are seconds).
FAST_BACKOFF = BackoffSettings(initial=0.05, maximum=0.2, min_logon_interval=0.05)


def new_rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_private_key(key: rsa.RSAPrivateKey, path: Path) -> Path:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    return path


class FrozenClock:
    """A clock that stands still until the test moves it (epoch seconds)."""

    def __init__(self, now: float | None = None) -> None:
        self.now = time.time() if now is None else now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class KeyRegistry:
    """The acceptor's Logon judge, as the exchange does it: a registered key, a valid
    RSA-PSS signature, one live connection per key ("already exists"), and one store per key
    so a reconnecting client continues its sequence."""

    public_keys: dict[str, rsa.RSAPublicKey] = field(default_factory=dict)
    live: set[str] = field(default_factory=set)
    stores: dict[str, MessageStore] = field(default_factory=dict)
    store_factory: Callable[[str], MessageStore] = lambda key: MemoryStore()
    held: dict[int, str] = field(default_factory=dict)  #: id(session) -> the key it holds

    def register(self, api_key: str, public_key: rsa.RSAPublicKey) -> None:
        self.public_keys[api_key] = public_key

    def authenticate(self, logon: FixMessage, now: float) -> LogonDecision:
        key_id = logon.get(49) or ""
        public_key = self.public_keys.get(key_id)
        if public_key is None:
            return LogonDecision(accepted=False, text="Unknown API key")
        if not logon_signature_valid(public_key, logon):
            return LogonDecision(accepted=False, text="Invalid signature")
        if key_id in self.live:
            return LogonDecision(accepted=False, text="already exists")
        self.live.add(key_id)
        if key_id not in self.stores:
            self.stores[key_id] = self.store_factory(key_id)
        return LogonDecision(accepted=True, store=self.stores[key_id])

    def session_events(self, session: Session, events: list[Event]) -> None:
        """Release the key when the connection that held it ends."""
        for event in events:
            if isinstance(event, LogonAccepted):
                self.held[id(session)] = session.peer_comp_id
            elif isinstance(event, SessionClosed) and id(session) in self.held:
                self.live.discard(self.held.pop(id(session)))


def acceptor_session(
    registry: KeyRegistry, session_type: SessionType = SessionType.NR, **config: object
) -> Session:
    return Session(
        SessionConfig(
            role=Role.ACCEPTOR,
            session_type=session_type,
            sender_comp_id=session_type.value,
            **config,  # type: ignore[arg-type]
        ),
        authenticator=registry,
    )


def initiator_session(
    key: rsa.RSAPrivateKey,
    session_type: SessionType = SessionType.NR,
    *,
    api_key: str = API_KEY,
    store: MessageStore | None = None,
    **config: object,
) -> Session:
    return Session(
        SessionConfig(
            role=Role.INITIATOR,
            session_type=session_type,
            sender_comp_id=api_key,
            **config,  # type: ignore[arg-type]
        ),
        store=store,
        signer=LogonSigner(key),
    )


def fast_policy(**overrides: float) -> ReconnectPolicy:
    import dataclasses
    import random

    return ReconnectPolicy(dataclasses.replace(FAST_BACKOFF, **overrides), rng=random.Random(5))


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``predicate`` on the loop until it holds; fail the test after ``timeout`` s."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


def other_tasks() -> set[asyncio.Task[object]]:
    """Tasks on the running loop other than the caller's."""
    return asyncio.all_tasks() - {asyncio.current_task()}
