"""Test helpers: two sessions back to back on a fake clock, and frames built by hand.

:class:`SessionPair` wires an initiator and an acceptor :class:`~workstation.fix.session.Session`
together with :class:`~workstation.fix.store.MemoryStore` stores and a
:class:`HashAuthenticator`, moves bytes between them the way a transport would (a side that
wants to close flushes its outbox, then the connection is gone for both), and fires timers in
deadline order as :class:`FakeClock` advances. Every event each side produces is recorded;
``take(role)`` hands them over. Nothing here reads the real clock or opens a socket.

The test signer is base64(SHA-256(pre-hash)) and the authenticator recomputes it from the
received Logon, so a Logon signed over the wrong SendingTime text is refused, as it would be
with real RSA keys (which belong to the auth tests).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from workstation.fix.auth import prehash_from_logon
from workstation.fix.codec import BEGIN_STRING, FrameReader, checksum
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.events import Event
from workstation.fix.message import FieldMissing, FixMessage
from workstation.fix.session import Session
from workstation.fix.session_config import LogonDecision, Role, SessionConfig
from workstation.fix.state import SessionState
from workstation.fix.store import MemoryStore, MessageStore
from workstation.fix.values import format_utc_timestamp

__all__ = [
    "API_KEY",
    "START_TIME",
    "FakeClock",
    "HashAuthenticator",
    "SessionPair",
    "comparable",
    "hash_signer",
    "raw_frame",
    "signed_logon",
    "split_frames",
]

#: 2026-01-05 14:30:00 UTC, a Monday: a fixed, realistic "now" for tests.
START_TIME = 1_767_623_400.0
#: The API key UUID the test initiator logs on with.
API_KEY = "0d6a9c6e-8a34-4a8e-9b7e-3f2c1d0e9a11"


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: float = START_TIME) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> float:
        self.now += seconds
        return self.now


def hash_signer(prehash: bytes) -> str:
    """The test stand-in for the RSA-PSS signer: standard base64 of SHA-256(pre-hash)."""
    return base64.b64encode(hashlib.sha256(prehash).digest()).decode("ascii")


@dataclass
class HashAuthenticator:
    """Accepts a Logon whose RawData (96) is :func:`hash_signer` of its own 52/35/34/49/56,
    while ``accept`` is true; one :class:`MemoryStore` per client key, kept across logons."""

    accept: bool = True
    text: str = "Logon refused by the test authenticator"
    reply_fields: tuple[tuple[int, str], ...] = ()
    stores: dict[str, MessageStore] = field(default_factory=dict)
    logons: list[FixMessage] = field(default_factory=list)

    def authenticate(self, logon: FixMessage, now: float) -> LogonDecision:
        self.logons.append(logon)
        try:
            expected = hash_signer(prehash_from_logon(logon))
        except FieldMissing as exc:
            return LogonDecision(accepted=False, text=f"Signature check failed: {exc}")
        if logon.get(96) != expected:
            return LogonDecision(accepted=False, text="Signature verification failed")
        if not self.accept:
            return LogonDecision(accepted=False, text=self.text)
        key = logon.require(49)
        store = self.stores.setdefault(key, MemoryStore(now))
        return LogonDecision(accepted=True, store=store, reply_fields=self.reply_fields)


def raw_frame(msg_type: str, fields: Iterable[tuple[int, str]], begin: str = BEGIN_STRING) -> bytes:
    """A frame with exactly ``fields`` after 35, in order, with a correct 9 and 10.

    For forging what an encoder would never write: repeated tags, missing headers, bad values.
    """
    content = f"35={msg_type}\x01" + "".join(f"{tag}={value}\x01" for tag, value in fields)
    body = content.encode()  # text goes out as UTF-8, as the encoder writes it
    frame = f"8={begin}\x019={len(body)}\x01".encode() + body
    return frame + b"10=%03d\x01" % checksum(frame)


def signed_logon(
    now: float,
    *,
    seq: int = 1,
    sender: str = API_KEY,
    target: str = "KalshiRT",
    body: Sequence[tuple[int, str]] = ((98, "0"), (108, "30"), (1137, "9")),
    sending_time: str | None = None,
    signature: str | None = None,
    begin: str = BEGIN_STRING,
) -> bytes:
    """A client Logon built by hand and signed with :func:`hash_signer` over its own header
    (unless ``signature`` is given), for driving an acceptor directly."""
    stamp = sending_time if sending_time is not None else format_utc_timestamp(now)
    if signature is None:
        prehash = "\x01".join((stamp, "A", str(seq), sender, target)).encode()
        signature = hash_signer(prehash)
    header = [(49, sender), (56, target), (34, str(seq)), (52, stamp)]
    fields = [*header, *body, (95, str(len(signature))), (96, signature)]
    return raw_frame("A", fields, begin=begin)


def comparable(events: Iterable[Event]) -> list[tuple[str, dict[str, object]]]:
    """Events as (class name, fields) with every FixMessage replaced by its raw bytes, so
    lists of events compare by content (FixMessage itself compares by identity)."""
    out: list[tuple[str, dict[str, object]]] = []
    for event in events:
        values: dict[str, object] = {}
        for f in fields(event):
            value = getattr(event, f.name)
            values[f.name] = value.raw if isinstance(value, FixMessage) else value
        out.append((type(event).__name__, values))
    return out


def split_frames(data: bytes) -> list[bytes]:
    """The frames in ``data`` (everything a session writes is whole, valid frames)."""
    reader = FrameReader()
    reader.feed(data)
    return [item for item in reader.frames() if isinstance(item, bytes)]


Dropper = Callable[[Role, bytes], bool]


class SessionPair:
    """An initiator and an acceptor connected back to back on a :class:`FakeClock`."""

    def __init__(
        self,
        *,
        session_type: SessionType = SessionType.RT,
        dialect: Dialect = Dialect.CURRENT,
        clock: FakeClock | None = None,
        initiator_store: MessageStore | None = None,
        authenticator: HashAuthenticator | None = None,
        initiator: dict[str, Any] | None = None,
        acceptor: dict[str, Any] | None = None,
    ) -> None:
        self.clock = clock or FakeClock()
        self.authenticator = authenticator or HashAuthenticator()
        base_initiator = SessionConfig(
            role=Role.INITIATOR,
            session_type=session_type,
            sender_comp_id=API_KEY,
            target_comp_id=session_type.value,
            dialect=dialect,
        )
        base_acceptor = SessionConfig(
            role=Role.ACCEPTOR,
            session_type=session_type,
            sender_comp_id=session_type.value,
            dialect=dialect,
        )
        self.initiator = Session(
            replace(base_initiator, **(initiator or {})),
            store=initiator_store if initiator_store is not None else MemoryStore(self.clock.now),
            signer=hash_signer,
        )
        self.acceptor = Session(
            replace(base_acceptor, **(acceptor or {})), authenticator=self.authenticator
        )
        self.events: dict[Role, list[Event]] = {Role.INITIATOR: [], Role.ACCEPTOR: []}
        #: every frame that crossed the wire, as (sender role, frame bytes)
        self.wire: list[tuple[Role, bytes]] = []
        self.drop: Dropper | None = None

    # -- roles

    def session(self, role: Role) -> Session:
        return self.initiator if role is Role.INITIATOR else self.acceptor

    def peer(self, role: Role) -> Session:
        return self.acceptor if role is Role.INITIATOR else self.initiator

    @staticmethod
    def other(role: Role) -> Role:
        return Role.ACCEPTOR if role is Role.INITIATOR else Role.INITIATOR

    # -- events

    def take(self, role: Role) -> list[Event]:
        """Every event ``role`` produced since the last take."""
        self._collect()
        events, self.events[role] = self.events[role], []
        return events

    def _record(self, role: Role, events: list[Event]) -> None:
        self.events[role].extend(events)

    def _collect(self) -> None:
        for role in Role:
            self._record(role, self.session(role).take_events())

    # -- the transport

    @property
    def connected(self) -> bool:
        return SessionState.DISCONNECTED not in (self.initiator.state, self.acceptor.state)

    def connect(self) -> None:
        """Open a connection (the acceptor first, as a listener would) and run the Logon."""
        now = self.clock.now
        self._record(Role.ACCEPTOR, self.acceptor.connection_made(now))
        self._record(Role.INITIATOR, self.initiator.connection_made(now))
        self.pump()

    def pump(self) -> None:
        """Move bytes both ways until both outboxes are empty or the connection closes."""
        for _ in range(10_000):
            moved = False
            for role in (Role.INITIATOR, Role.ACCEPTOR):
                if not self.connected:
                    self._collect()
                    return
                sender, receiver = self.session(role), self.peer(role)
                data = sender.data_to_send()
                if data:
                    moved = True
                    delivered = self._filter(role, data)
                    if delivered:
                        self._record(
                            self.other(role), receiver.receive_data(delivered, self.clock.now)
                        )
                if sender.wants_close or receiver.wants_close:
                    closer = sender if sender.wants_close else receiver
                    self._flush_to_peer(closer)
                    self.disconnect()
                    return
            if not moved:
                self._collect()
                return
        raise AssertionError("the sessions kept talking for 10,000 rounds")

    def _flush_to_peer(self, closer: Session) -> None:
        role = Role.INITIATOR if closer is self.initiator else Role.ACCEPTOR
        data = closer.data_to_send()
        delivered = self._filter(role, data) if data else b""
        if delivered:
            peer = self.peer(role)
            self._record(self.other(role), peer.receive_data(delivered, self.clock.now))

    def _filter(self, role: Role, data: bytes) -> bytes:
        frames = split_frames(data)
        kept = [f for f in frames if self.drop is None or not self.drop(role, f)]
        self.wire.extend((role, f) for f in kept)
        return b"".join(kept)

    def disconnect(self) -> None:
        """The transport is gone for both sides."""
        now = self.clock.now
        for role in (Role.INITIATOR, Role.ACCEPTOR):
            session = self.session(role)
            session.data_to_send()  # whatever was not flushed is lost with the connection
            self._record(role, session.connection_lost(now))
        self._collect()

    def deliver(self, to: Role, data: bytes) -> list[Event]:
        """Hand raw bytes to ``to`` as if they came off the wire; returns its events."""
        self._record(to, self.session(to).receive_data(data, self.clock.now))
        self.pump()
        return self.take(to)

    # -- application and time

    def send(self, role: Role, msg_type: str, body: Sequence[tuple[int, str]]) -> int:
        seq = self.session(role).send_message(msg_type, body, self.clock.now)
        self.pump()
        return seq

    def forge(
        self,
        role: Role,
        msg_type: str,
        body: Sequence[tuple[int, str]] = (),
        *,
        seq: int | None = None,
        header: Sequence[tuple[int, str]] | None = None,
        extra_header: Sequence[tuple[int, str]] = (),
        store: bool = True,
    ) -> bytes:
        """A frame as ``role`` would send it, built by hand. With ``store`` it is numbered
        and stored by ``role``'s store like a real send (so resends can replay it)."""
        session = self.session(role)
        number = seq if seq is not None else session.next_sender_seq
        if header is None:
            header = [
                (49, session.sender_comp_id),
                (56, session.peer_comp_id),
                (34, str(number)),
                (52, format_utc_timestamp(self.clock.now)),
            ]
        frame = raw_frame(msg_type, [*header, *extra_header, *body])
        if store:
            session.store.save_outbound(number, self.clock.now, frame)
        return frame

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass, firing every timer at its own deadline, in order."""
        target = self.clock.now + seconds
        for _ in range(10_000):
            due = [
                deadline
                for session in (self.initiator, self.acceptor)
                if (deadline := session.get_timer()) is not None and deadline <= target
            ]
            if not due:
                self.clock.now = target
                return
            self.clock.now = max(self.clock.now, min(due))
            for role in (Role.INITIATOR, Role.ACCEPTOR):
                session = self.session(role)
                deadline = session.get_timer()
                if deadline is not None and deadline <= self.clock.now:
                    self._record(role, session.handle_timer(self.clock.now))
            self.pump()
        raise AssertionError("timers kept firing without time passing")
