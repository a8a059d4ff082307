"""Plain records the client layer hands to the UI: what crossed the wire, and how each
session stands. Frozen and Qt-free, so they can be produced anywhere and shown by any view."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from workstation.fix.dialect import SessionType

__all__ = ["Direction", "SessionInfo", "SessionPhase", "WireRecord"]


class Direction(StrEnum):
    IN = "in"  #: received from the venue
    OUT = "out"  #: sent by us


@dataclass(frozen=True, slots=True, kw_only=True)
class WireRecord:
    """One FIX message that crossed the wire (RawData already redacted in ``raw``)."""

    seq: int  #: running number of this record in the log (not the MsgSeqNum)
    session: SessionType
    direction: Direction
    received_at: float  #: epoch seconds (UTC) when we sent or received it
    msg_type: str
    msg_seq_num: int | None
    raw: bytes  #: the frame with RawData (96) masked


class SessionPhase(StrEnum):
    DISABLED = "disabled"  #: not configured for this profile
    STOPPED = "stopped"
    CONNECTING = "connecting"
    LOGGING_ON = "logging on"
    ACTIVE = "logged on"
    WAITING_TO_RECONNECT = "reconnecting"
    FAILED = "failed"  #: gave up, or refused in a way retrying will not fix


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionInfo:
    """A snapshot of one session for the status panel."""

    session: SessionType
    phase: SessionPhase
    host: str
    port: int
    api_key_id: str  #: shown shortened by the view; not a secret (it is the SenderCompID)
    next_out_seq: int
    next_in_seq: int
    last_message_at: float | None  #: epoch seconds of the last message in either direction
    heartbeat_rtt: float | None  #: seconds, from the last TestRequest answered
    reconnect_at: float | None  #: epoch seconds of the next attempt while reconnecting
    last_error: str  #: why it is not logged on, in words; "" when fine
    cancel_on_disconnect: bool
    listener: bool
    retransmits: bool  #: the session type keeps sequence numbers and serves resends
    account: str = ""  #: the account it trades or watches (a desk monitor has several)
