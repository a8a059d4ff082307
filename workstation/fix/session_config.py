"""How a session is set up: its role, identity and timings, and the acceptor's Logon judge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.message import FixMessage
from workstation.fix.store import MessageStore

__all__ = ["Authenticator", "LogonDecision", "Role", "SessionConfig", "Signer"]

#: Initiator: the Logon pre-hash bytes (SPEC §5.2) -> base64 signature for RawData (96).
Signer = Callable[[bytes], str]


class Role(Enum):
    INITIATOR = "initiator"  #: the workstation: connects and sends the Logon
    ACCEPTOR = "acceptor"  #: the simulator: listens, judges the Logon, answers it


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionConfig:
    """One session's settings; shared by every connection the session makes."""

    role: Role
    session_type: SessionType
    #: initiator: the API key UUID. acceptor: the session name, e.g. "KalshiNR".
    sender_comp_id: str
    #: initiator: the session name (defaults to session_type.value). acceptor: learnt from
    #: the Logon's SenderCompID (49).
    target_comp_id: str = ""
    dialect: Dialect = Dialect.CURRENT
    heartbeat_interval: int = 30
    #: initiator: send 141=Y (and reset the store first); None = where the rules require it.
    reset_on_logon: bool | None = None
    #: extra Logon fields (8013, 20126, 21011, 21005, 20127, 20200 ...), already formatted.
    logon_fields: tuple[tuple[int, str], ...] = ()
    #: how long sent messages are kept for resends; None = the dialect's default.
    retention_hours: int | None = None
    logon_timeout: float = 10.0
    logout_timeout: float = 5.0
    #: emit MessageSent / MessageReceived for the message log.
    emit_wire_events: bool = False
    #: serving a resend: called with (MsgType, stored frame); False gap-fills that message
    #: instead of replaying it (e.g. an order that is too old to matter).
    replay_filter: Callable[[str, bytes], bool] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonDecision:
    """The :class:`Authenticator`'s verdict on a Logon."""

    accepted: bool
    text: str = ""  #: the Logout Text when refused
    store: MessageStore | None = None  #: the accepted session's store (per client key)
    reply_fields: tuple[tuple[int, str], ...] = ()  #: extra fields for the Logon reply


class Authenticator(Protocol):
    """Acceptor only: checks signature, key, one connection per key, listener rules."""

    def authenticate(self, logon: FixMessage, now: float) -> LogonDecision: ...
