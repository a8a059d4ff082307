"""Serving a ResendRequest: which stored messages go out again and which become gap fills.

FIX rules (FIXT.1.1; SPEC §7.3, §7.4): application messages are replayed with their
original MsgSeqNum, PossDupFlag (43) Y, OrigSendingTime (122) = their first SendingTime and a
new SendingTime (52). Session messages (Heartbeat, TestRequest, ResendRequest, Reject,
SequenceReset, Logout, Logon) are never replayed: a run of them, together with application
messages the owner chose not to replay and numbers missing from the store, becomes one
SequenceReset-GapFill (123=Y) carrying the number after the run in NewSeqNo (36).

A replay keeps the application body byte for byte: it is cut out of the stored frame, not
re-encoded (the frame was decoded latin-1 and a UTF-8 re-encode would change its bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workstation.fix.codec import BEGIN_STRING, checksum, encode_message
from workstation.fix.errors import RemoteProtocolError, SessionRejectReason
from workstation.fix.session_validate import ADMIN_MSG_TYPES, HEADER_TAGS
from workstation.fix.store import MessageStore
from workstation.fix.values import format_utc_timestamp

__all__ = [
    "GapFill",
    "Replay",
    "ResendBatch",
    "build_resend",
    "plan_resend",
    "replay_frame",
    "stored_header",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Replay:
    """Stored message ``seq`` goes out again as a PossDup copy."""

    seq: int
    msg_type: str
    raw: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class GapFill:
    """Numbers ``seq``..``new_seq - 1`` are covered by one SequenceReset-GapFill."""

    seq: int
    new_seq: int


def plan_resend(
    stored: list[tuple[int, bytes]],
    begin: int,
    end: int,
    replay_filter: Callable[[str, bytes], bool] | None = None,
) -> list[Replay | GapFill]:
    """What to send for ``begin``..``end`` given the stored messages in that range (in order).

    Consecutive gap fills collapse into one; numbers absent from ``stored`` are gap-filled.
    """
    plan: list[Replay | GapFill] = []
    gap_start: int | None = None
    expected = begin
    for seq, raw in stored:
        if seq < expected or seq > end:
            continue
        if seq > expected and gap_start is None:
            gap_start = expected
        msg_type = stored_header(raw)[1]
        replay = msg_type not in ADMIN_MSG_TYPES and (
            replay_filter is None or replay_filter(msg_type, raw)
        )
        if replay:
            if gap_start is not None:
                plan.append(GapFill(seq=gap_start, new_seq=seq))
                gap_start = None
            plan.append(Replay(seq=seq, msg_type=msg_type, raw=raw))
        elif gap_start is None:
            gap_start = seq
        expected = seq + 1
    if expected <= end and gap_start is None:
        gap_start = expected
    if gap_start is not None:
        plan.append(GapFill(seq=gap_start, new_seq=end + 1))
    return plan


def stored_header(raw: bytes) -> tuple[int, str, str]:
    """``(offset of the first body field, MsgType, SendingTime)`` of a frame we encoded."""
    msg_type = sending_time = ""
    pos, n = 0, len(raw)
    while pos < n:
        eq = raw.find(b"=", pos)
        soh = raw.find(b"\x01", eq + 1)
        if eq < 0 or soh < 0:
            return n, msg_type, sending_time
        tag_text = raw[pos:eq]
        tag = int(tag_text) if tag_text.isdigit() else -1
        if tag not in HEADER_TAGS or tag == 10:
            return pos, msg_type, sending_time
        if tag == 35:
            msg_type = raw[eq + 1 : soh].decode("latin-1")
        elif tag == 52:
            sending_time = raw[eq + 1 : soh].decode("latin-1")
        pos = soh + 1
    return n, msg_type, sending_time


def replay_frame(raw: bytes, *, seq: int, sender: str, target: str, sending_time: str) -> bytes:
    """The PossDup copy of stored frame ``raw``: same number and body, new header and trailer."""
    body_start, msg_type, original_time = stored_header(raw)
    trailer = raw.rfind(b"\x0110=")
    body = raw[body_start : trailer + 1] if trailer >= body_start else b""
    header = (
        f"35={msg_type}\x0149={sender}\x0156={target}\x0134={seq}\x0152={sending_time}"
        f"\x0143=Y\x01122={original_time or sending_time}\x01"
    ).encode()
    content = header + body
    frame = f"8={BEGIN_STRING}\x019={len(content)}\x01".encode("ascii") + content
    return frame + b"10=%03d\x01" % checksum(frame)


@dataclass(frozen=True, slots=True, kw_only=True)
class ResendBatch:
    """What answers one ResendRequest: ``(MsgType, MsgSeqNum, frame)`` in order, and counts."""

    frames: list[tuple[str, int, bytes]]
    begin: int
    end: int
    replayed: int
    gap_filled: int


def build_resend(
    store: MessageStore,
    begin: int,
    end: int,
    *,
    sender: str,
    target: str,
    now: float,
    replay_filter: Callable[[str, bytes], bool] | None = None,
) -> ResendBatch:
    """The answer to ResendRequest ``begin``..``end`` (0 = to our last message).

    Raises a Reject (373=5) when ``begin`` is beyond our last message or no longer stored
    (outside the retention period).
    """
    last = store.next_sender_seq() - 1
    if begin > last:
        raise RemoteProtocolError.reject(
            SessionRejectReason.VALUE_INCORRECT,
            f"BeginSeqNo (7) {begin} is beyond the last message sent ({last})",
            7,
        )
    stop = last if end == 0 or end > last else end
    stored = store.outbound_range(begin, stop)
    if not stored or stored[0][0] != begin:
        raise RemoteProtocolError.reject(
            SessionRejectReason.VALUE_INCORRECT,
            f"BeginSeqNo (7) {begin} is outside the retention period",
            7,
        )
    sending_time = format_utc_timestamp(now)
    frames: list[tuple[str, int, bytes]] = []
    replayed = gap_filled = 0
    for item in plan_resend(stored, begin, stop, replay_filter):
        if isinstance(item, GapFill):
            header = [
                (49, sender),
                (56, target),
                (34, str(item.seq)),
                (52, sending_time),
                (43, "Y"),
                (122, sending_time),
            ]
            body = [(123, "Y"), (36, str(item.new_seq))]
            frames.append(("4", item.seq, encode_message("4", header, body)))
            gap_filled += item.new_seq - item.seq
        else:
            raw = replay_frame(
                item.raw, seq=item.seq, sender=sender, target=target, sending_time=sending_time
            )
            frames.append((item.msg_type, item.seq, raw))
            replayed += 1
    return ResendBatch(
        frames=frames, begin=begin, end=stop, replayed=replayed, gap_filled=gap_filled
    )
