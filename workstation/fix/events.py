"""What a FIX session tells its owner: facts, in the past tense, in the order they happened.

Every public method of :class:`~workstation.fix.session.Session` that takes input from the
transport or the clock (``connection_made``, ``receive_data``, ``handle_timer``,
``connection_lost``) returns the events it produced. Calls that return something else
(``send_message``, ``send_reject``, ``logout``) keep their events (``MessageSent``,
``RejectSent``) until the next of those calls, or :meth:`Session.take_events`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from workstation.fix.message import FixMessage

__all__ = [
    "ApplicationMessageReceived",
    "ClockSkewObserved",
    "CloseReason",
    "Event",
    "FrameDiscarded",
    "GapDetected",
    "HeartbeatAnswered",
    "LogonAccepted",
    "LogonRejected",
    "LogoutReceived",
    "MessageReceived",
    "MessageSent",
    "RejectReceived",
    "RejectSent",
    "ResendRequestSent",
    "ResendServed",
    "SequenceResetReceived",
    "SessionClosed",
    "TestRequestSent",
]

_RAW_DATA = re.compile(rb"(\x0196=)([^\x01]*)")


class CloseReason(StrEnum):
    """Why a session ended its connection (:attr:`SessionClosed.reason`)."""

    LOGOUT = "logout"  #: a Logout exchange finished (either side started it)
    LOGON_REJECTED = "logon_rejected"  #: a Logon was refused (by the peer or by us)
    LOGON_TIMEOUT = "logon_timeout"  #: no Logon (or no answer to ours) in time
    LOGOUT_TIMEOUT = "logout_timeout"  #: our Logout was not answered in time
    HEARTBEAT_TIMEOUT = "heartbeat_timeout"  #: the peer stayed silent after a TestRequest
    PROTOCOL_ERROR = "protocol_error"  #: the peer broke a session rule; we sent a Logout
    CONNECTION_LOST = "connection_lost"  #: the transport went away under us


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of every session event."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonAccepted(Event):
    """Fires when the Logon exchange completes: the initiator received the acceptor's Logon
    reply, or the acceptor accepted a Logon and sent its reply. The session is ACTIVE."""

    heartbeat_interval: int
    reset_seq_nums: bool  #: both sides started again at 1 (141=Y)
    message: FixMessage  #: the peer's Logon


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonRejected(Event):
    """Fires on the initiator when its Logon was answered by a Logout, and on the acceptor
    when it refused a Logon (it sent a Logout with ``text`` and will close)."""

    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LogoutReceived(Event):
    """Fires when the peer's Logout arrives on an established session (as an answer to ours
    or to start the logout)."""

    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionClosed(Event):
    """Fires once per connection when it ends: the session wants the transport closed
    (:attr:`Session.wants_close`), or the transport was lost under it."""

    reason: CloseReason
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationMessageReceived(Event):
    """Fires for every application message accepted in sequence (live, replayed on a resend,
    or taken from the queue of messages that arrived ahead of a gap)."""

    message: FixMessage
    poss_dup: bool  #: PossDupFlag (43) was Y: a replay the application may have seen before


@dataclass(frozen=True, slots=True, kw_only=True)
class GapDetected(Event):
    """Fires when a message arrives with a MsgSeqNum higher than expected.

    ``recoverable`` is true on retransmitting sessions (a ResendRequest follows); on the
    others the messages in between are lost to this session and the expected number jumps.
    """

    expected: int
    received: int
    recoverable: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ResendRequestSent(Event):
    """Fires when we asked the peer to resend ``begin``..``end`` (0 = to its last message)."""

    begin: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ResendServed(Event):
    """Fires when we answered a ResendRequest: messages ``begin``..``end`` went out again,
    ``replayed`` of them as PossDup copies and ``gap_filled`` sequence numbers as gap fills."""

    begin: int
    end: int
    replayed: int
    gap_filled: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SequenceResetReceived(Event):
    """Fires when a SequenceReset moved the expected inbound number to ``new_seq``."""

    new_seq: int
    gap_fill: bool  #: GapFill mode (123=Y); False for a hard reset


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectReceived(Event):
    """Fires when the peer sent a session-level Reject (35=3) about one of our messages."""

    ref_seq: int | None
    reason: int | None
    ref_tag: int | None
    ref_msg_type: str | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectSent(Event):
    """Fires when we sent a session-level Reject (35=3), by the session's own checks or
    through :meth:`Session.send_reject`."""

    ref_seq: int
    reason: int
    ref_tag: int | None
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TestRequestSent(Event):
    """Fires when inbound silence made us send a TestRequest with ``test_req_id``."""

    __test__ = False  # a FIX TestRequest, not a pytest test class

    test_req_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HeartbeatAnswered(Event):
    """Fires when the Heartbeat answering our TestRequest arrived, ``round_trip`` seconds
    after we sent it."""

    test_req_id: str
    round_trip: float


@dataclass(frozen=True, slots=True, kw_only=True)
class FrameDiscarded(Event):
    """Fires when garbled bytes (bad length, checksum or header order) were thrown away;
    the inbound sequence number does not move."""

    reason: str
    size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ClockSkewObserved(Event):
    """Fires on a Logon from the peer: its SendingTime minus our clock, in seconds
    (positive when the peer's clock is ahead)."""

    skew_seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageSent(Event):
    """Fires for every message we put in the outbox (replays included), when the session
    was configured with ``emit_wire_events``."""

    msg_type: str
    seq: int
    raw: bytes

    def __repr__(self) -> str:
        # The Logon's RawData (96) is the signature: never let it reach a log through repr.
        raw = _RAW_DATA.sub(lambda m: m.group(1) + b"*" * len(m.group(2)), self.raw)
        return f"MessageSent(msg_type={self.msg_type!r}, seq={self.seq!r}, raw={raw!r})"


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageReceived(Event):
    """Fires for every verified frame we parsed, before it is checked, when the session was
    configured with ``emit_wire_events``."""

    message: FixMessage
