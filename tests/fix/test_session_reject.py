"""Session-level Rejects (SPEC §7.6) for parseable but invalid messages, garbled frames,
and the failures that end the session instead. Each case runs with either side sending."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from workstation.fix.codec import checksum, parse_frame
from workstation.fix.events import (
    ApplicationMessageReceived,
    CloseReason,
    FrameDiscarded,
    LogoutReceived,
    RejectReceived,
    RejectSent,
    SessionClosed,
)
from workstation.fix.session import Role, SessionState
from workstation.fix.testing import SessionPair, raw_frame
from workstation.fix.values import format_utc_timestamp

BOTH = pytest.mark.parametrize("sender", [Role.INITIATOR, Role.ACCEPTOR], ids=["I", "A"])


def connected() -> SessionPair:
    pair = SessionPair()
    pair.connect()
    pair.take(Role.INITIATOR)
    pair.take(Role.ACCEPTOR)
    pair.wire.clear()
    return pair


def header(pair: SessionPair, sender: Role, seq: int = 2) -> list[tuple[int, str]]:
    session = pair.session(sender)
    return [
        (49, session.sender_comp_id),
        (56, session.peer_comp_id),
        (34, str(seq)),
        (52, format_utc_timestamp(pair.clock.now)),
    ]


def hdr(
    pair: SessionPair, sender: Role, *, without: int = 0, **values: str
) -> list[tuple[int, str]]:
    fields = [(tag, values.get(f"t{tag}", value)) for tag, value in header(pair, sender)]
    return [(tag, value) for tag, value in fields if tag != without]


PARSEABLE_BUT_INVALID = [
    # (id, MsgType, fields builder, reason, ref tag, text)
    ("missing-52", "D", lambda h: [*h(without=52), (11, "a")], 1, 52, "Required tag missing: 52"),
    (
        "tag-without-value",
        "D",
        lambda h: [*h(), (11, "a"), (58, "")],
        4,
        58,
        "Tag specified without a value: 58",
    ),
    (
        "bad-sending-time",
        "D",
        lambda h: [*h(t52="yesterday"), (11, "a")],
        6,
        52,
        "Incorrect data format for tag 52: 'yesterday'",
    ),
    (
        "resend-begin-zero",
        "2",
        lambda h: [*h(), (7, "0"), (16, "0")],
        5,
        7,
        "BeginSeqNo (7) 0 is out of range",
    ),
    (
        "resend-end-before-begin",
        "2",
        lambda h: [*h(), (7, "5"), (16, "3")],
        5,
        16,
        "EndSeqNo (16) 3 is before BeginSeqNo 5",
    ),
    (
        "resend-begin-not-a-number",
        "2",
        lambda h: [*h(), (7, "two"), (16, "0")],
        6,
        7,
        "Incorrect data format for tag 7: 'two'",
    ),
    ("resend-end-missing", "2", lambda h: [*h(), (7, "1")], 1, 16, "Required tag missing: 16"),
    ("test-request-no-id", "1", lambda h: h(), 1, 112, "Required tag missing: 112"),
    (
        "gap-fill-new-seq-zero",
        "4",
        lambda h: [*h(), (123, "Y"), (36, "0")],
        5,
        36,
        "NewSeqNo (36) 0 is out of range",
    ),
    (
        "gap-fill-flag-garbage",
        "4",
        lambda h: [*h(), (123, "yes"), (36, "9")],
        6,
        123,
        "GapFillFlag (123) 'yes' is not Y/N",
    ),
    (
        "tag-repeated",
        "D",
        lambda h: [*h(), (11, "a"), (38, "1"), (11, "b")],
        13,
        11,
        "Tag appears more than once: 11",
    ),
    (
        "header-tag-repeated-in-body",
        "D",
        lambda h: [*h(), (11, "a"), (49, "x")],
        13,
        49,
        "Tag appears more than once: 49",
    ),
    ("unknown-msg-type", "ZZ", lambda h: [*h(), (11, "a")], 11, 35, "Invalid MsgType (35) 'ZZ'"),
    (
        "possdup-garbage",
        "D",
        lambda h: [*h(), (43, "maybe"), (11, "a")],
        6,
        43,
        "PossDupFlag (43) 'maybe' is not Y or N",
    ),
]


@BOTH
@pytest.mark.parametrize(
    ("msg_type", "build", "reason", "ref_tag", "text"),
    [case[1:] for case in PARSEABLE_BUT_INVALID],
    ids=[case[0] for case in PARSEABLE_BUT_INVALID],
)
def test_invalid_message_is_rejected_and_still_consumes_its_number(
    sender: Role,
    msg_type: str,
    build: Callable[..., list[tuple[int, str]]],
    reason: int,
    ref_tag: int,
    text: str,
) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)

    def h(**kwargs: Any) -> list[tuple[int, str]]:
        return hdr(pair, sender, **kwargs)

    raw = raw_frame(msg_type, build(h))
    pair.session(sender).store.save_outbound(2, pair.clock.now, raw)
    events = pair.deliver(receiver, raw)
    assert events == [RejectSent(ref_seq=2, reason=reason, ref_tag=ref_tag, text=text)]
    reject = parse_frame(pair.wire[-1][1])
    assert [tag for tag, _ in reject.fields][5:] == [34, 52, 45, 372, 371, 373, 58, 10]
    assert [reject.get(t) for t in (45, 372, 371, 373, 58)] == [
        "2",
        msg_type,
        str(ref_tag),
        str(reason),
        text,
    ]
    assert pair.take(sender) == [
        RejectReceived(ref_seq=2, reason=reason, ref_tag=ref_tag, ref_msg_type=msg_type, text=text)
    ]
    assert pair.session(receiver).next_target_seq == 3
    pair.send(sender, "D", [(11, "next")])
    assert [type(e) for e in pair.take(receiver)] == [ApplicationMessageReceived]


@BOTH
def test_invalid_tag_number_is_rejected_without_a_ref_tag(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    raw = raw_frame("D", [*hdr(pair, sender), (11, "a\x011x=b")])  # a field "1x=b"
    assert pair.deliver(receiver, raw) == [
        RejectSent(ref_seq=2, reason=0, ref_tag=None, text="Invalid tag number: '1x'")
    ]


@BOTH
def test_a_tag_too_long_to_be_a_number_is_rejected_not_raised(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    raw = raw_frame("D", [*hdr(pair, sender), (11, "a\x01" + "7" * 5000 + "=b")])
    assert pair.deliver(receiver, raw) == [
        RejectSent(ref_seq=2, reason=0, ref_tag=None, text=f"Invalid tag number: {'7' * 20!r}")
    ]
    assert pair.session(receiver).state is SessionState.ACTIVE


@BOTH
def test_a_sending_time_with_a_non_ascii_digit_is_rejected_not_a_crash(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    sending_time = format_utc_timestamp(pair.clock.now)[:-1] + "\u00b2"  # latin-1 byte 0xB2
    fields = [*hdr(pair, sender, t52=sending_time), (11, "a")]
    body = ("35=D\x01" + "".join(f"{t}={v}\x01" for t, v in fields)).encode("latin-1")
    frame = b"8=FIXT.1.1\x019=%d\x01" % len(body) + body
    raw = frame + b"10=%03d\x01" % checksum(frame)
    text = f"Incorrect data format for tag 52: {sending_time!a}"
    assert pair.deliver(receiver, raw) == [RejectSent(ref_seq=2, reason=6, ref_tag=52, text=text)]
    assert pair.session(receiver).state is SessionState.ACTIVE


@BOTH
def test_repeating_group_members_may_repeat(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    parties = [(453, "2"), (448, "a"), (452, "24"), (448, "b"), (452, "24")]
    events = pair.deliver(receiver, raw_frame("D", [*hdr(pair, sender), (11, "a"), *parties]))
    assert [type(e) for e in events] == [ApplicationMessageReceived]


def test_sending_time_accuracy_is_the_acceptors_rule() -> None:
    pair = connected()
    late = format_utc_timestamp(pair.clock.now - 45)
    raw = raw_frame("D", [*hdr(pair, Role.INITIATOR, t52=late), (11, "a")])
    text = "SendingTime accuracy problem: -45.0 s from server time (tolerance 30 s)"
    assert pair.deliver(Role.ACCEPTOR, raw) == [
        RejectSent(ref_seq=2, reason=10, ref_tag=52, text=text)
    ]
    # the workstation never refuses the exchange's clock
    assert [type(e) for e in pair.take(Role.INITIATOR)] == [RejectReceived]
    raw = raw_frame("8", [*hdr(pair, Role.ACCEPTOR, t34="3", t52=late), (11, "a")])
    assert [type(e) for e in pair.deliver(Role.INITIATOR, raw)] == [ApplicationMessageReceived]


@BOTH
@pytest.mark.parametrize(
    ("tag", "value", "text"),
    [
        (
            49,
            "someone-else",
            "CompID problem: SenderCompID (49) 'someone-else' is not this session's peer",
        ),
        (56, "KalshiNR", None),
    ],
    ids=["sender", "target"],
)
def test_comp_id_problem_is_rejected_then_the_session_ends(
    sender: Role, tag: int, value: str, text: str | None
) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    if text is None:
        expected_target = pair.session(receiver).sender_comp_id
        text = f"CompID problem: TargetCompID (56) '{value}' does not match {expected_target}"
    fields = [(t, value if t == tag else v) for t, v in hdr(pair, sender)]
    raw = raw_frame("D", [*fields, (11, "a")])
    events = pair.deliver(receiver, raw)
    assert events == [
        RejectSent(ref_seq=2, reason=9, ref_tag=tag, text=text),
        SessionClosed(reason=CloseReason.PROTOCOL_ERROR, text=text),
    ]
    assert [parse_frame(f).msg_type for who, f in pair.wire if who is receiver] == ["3", "5"]
    assert pair.take(sender) == [
        RejectReceived(ref_seq=2, reason=9, ref_tag=tag, ref_msg_type="D", text=text),
        LogoutReceived(text=text),
        SessionClosed(reason=CloseReason.LOGOUT, text=text),
    ]


@BOTH
@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "MsgSeqNum (34) missing"), ("abc", "MsgSeqNum (34) 'abc' is not a number")],
    ids=["missing", "garbage"],
)
def test_missing_or_garbage_msg_seq_num_ends_the_session(
    sender: Role, value: str | None, text: str
) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    fields = hdr(pair, sender, without=34) if value is None else hdr(pair, sender, t34=value)
    events = pair.deliver(receiver, raw_frame("D", [*fields, (11, "a")]))
    assert events == [SessionClosed(reason=CloseReason.PROTOCOL_ERROR, text=text)]
    assert parse_frame(pair.wire[-1][1]).get(58) == text


@BOTH
def test_wrong_begin_string_ends_the_session(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    raw = raw_frame("D", [*hdr(pair, sender), (11, "a")], begin="FIX.4.4")
    text = "BeginString (8) must be FIXT.1.1, received 'FIX.4.4'"
    assert pair.deliver(receiver, raw) == [
        SessionClosed(reason=CloseReason.PROTOCOL_ERROR, text=text)
    ]


@BOTH
def test_garbled_frames_are_discarded_without_moving_the_sequence(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    good = raw_frame("D", [*hdr(pair, sender), (11, "a")])
    bad_sum = good[:-4] + (b"000" if not good.endswith(b"=000\x01") else b"001") + b"\x01"
    events = pair.deliver(receiver, bad_sum)
    assert events == [FrameDiscarded(reason="CheckSum mismatch", size=len(bad_sum))]
    assert pair.session(receiver).next_target_seq == 2
    assert pair.wire == []
    events = pair.deliver(receiver, b"garbage\x01" + good)
    assert [type(e) for e in events] == [FrameDiscarded, ApplicationMessageReceived]
    assert pair.session(receiver).next_target_seq == 3
    assert pair.session(receiver).state is SessionState.ACTIVE


@BOTH
def test_application_reject_goes_out_with_the_reference(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    pair.send(sender, "D", [(11, "a"), (333333, "test")])
    [event] = pair.take(receiver)
    assert isinstance(event, ApplicationMessageReceived)
    session = pair.session(receiver)
    session.send_reject(event.message, 3, "Undefined tag received", pair.clock.now, ref_tag=333333)
    assert session.get_timer() == pair.clock.now  # its event is waiting to be collected
    pair.pump()
    assert pair.take(receiver) == [
        RejectSent(ref_seq=2, reason=3, ref_tag=333333, text="Undefined tag received")
    ]
    assert pair.take(sender) == [
        RejectReceived(
            ref_seq=2, reason=3, ref_tag=333333, ref_msg_type="D", text="Undefined tag received"
        )
    ]
