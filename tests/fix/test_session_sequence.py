"""Sequence numbers (SPEC §7.2, §7.4): gaps, resend and queueing, too-low numbers, PossDup,
SequenceReset in both modes. Symmetric cases run with either side sending."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from workstation.fix.codec import parse_frame
from workstation.fix.dialect import SessionType
from workstation.fix.events import (
    ApplicationMessageReceived,
    ClockSkewObserved,
    CloseReason,
    Event,
    GapDetected,
    LogonAccepted,
    LogoutReceived,
    RejectReceived,
    RejectSent,
    ResendRequestSent,
    ResendServed,
    SequenceResetReceived,
    SessionClosed,
)
from workstation.fix.message import FixMessage
from workstation.fix.session import Role, SessionState
from workstation.fix.testing import SessionPair, comparable
from workstation.fix.values import format_utc_timestamp

BOTH = pytest.mark.parametrize("sender", [Role.INITIATOR, Role.ACCEPTOR], ids=["I", "A"])


def connected(session_type: SessionType = SessionType.RT) -> SessionPair:
    pair = SessionPair(session_type=session_type)
    pair.connect()
    pair.take(Role.INITIATOR)
    pair.take(Role.ACCEPTOR)
    pair.wire.clear()
    return pair


def app(events: list[Event]) -> list[tuple[str | None, bool]]:
    """(ClOrdID, PossDup) of the application messages among ``events``."""
    return [
        (e.message.get(11), e.poss_dup) for e in events if isinstance(e, ApplicationMessageReceived)
    ]


def drop_first_copy_of(*ids: str) -> Callable[[Role, bytes], bool]:
    """A wire filter losing the first (live) copy of the messages with these ClOrdIDs."""
    lost = set(ids)

    def drop(role: Role, frame: bytes) -> bool:
        msg = parse_frame(frame)
        return msg.get(11) in lost and msg.get(43) != "Y"

    return drop


@BOTH
def test_gap_on_a_retransmitting_session_is_resent_then_the_queue_drains(sender: Role) -> None:
    pair = connected(SessionType.RT)
    receiver = SessionPair.other(sender)
    pair.drop = drop_first_copy_of("a", "b")
    for cl_ord_id in "abc":
        pair.send(sender, "D", [(11, cl_ord_id)])
    events = pair.take(receiver)
    assert events[:2] == [
        GapDetected(expected=2, received=4, recoverable=True),
        ResendRequestSent(begin=2, end=0),
    ]
    assert app(events[2:]) == [("a", True), ("b", True), ("c", False)]
    assert len(events) == 5  # the replayed copy of c (PossDup, below expected) is ignored
    assert pair.take(sender) == [ResendServed(begin=2, end=4, replayed=3, gap_filled=0)]
    assert pair.session(receiver).next_target_seq == 5
    assert pair.session(sender).next_target_seq == 3  # the ResendRequest counted
    pair.send(sender, "D", [(11, "d")])
    assert app(pair.take(receiver)) == [("d", False)]


@BOTH
def test_gap_on_a_non_retransmitting_session_jumps_ahead(sender: Role) -> None:
    pair = connected(SessionType.NR)
    receiver = SessionPair.other(sender)
    pair.drop = drop_first_copy_of("a", "b")
    for cl_ord_id in "abc":
        pair.send(sender, "D", [(11, cl_ord_id)])
    events = pair.take(receiver)
    assert events[0] == GapDetected(expected=2, received=4, recoverable=False)
    assert app(events[1:]) == [("c", False)]
    assert len(events) == 2
    assert pair.session(receiver).next_target_seq == 5
    assert [parse_frame(f).msg_type for who, f in pair.wire if who is receiver] == []
    pair.send(sender, "D", [(11, "d")])
    assert app(pair.take(receiver)) == [("d", False)]


@BOTH
def test_sequence_number_too_low_without_possdup_ends_the_session(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    pair.send(sender, "D", [(11, "a")])
    pair.take(receiver)
    events = pair.deliver(receiver, pair.forge(sender, "D", [(11, "again")], seq=2, store=False))
    text = "MsgSeqNum too low, expecting 3 but received 2"
    assert events == [SessionClosed(reason=CloseReason.PROTOCOL_ERROR, text=text)]
    assert parse_frame(pair.wire[-1][1]).get(58) == text
    assert pair.take(sender) == [
        LogoutReceived(text=text),
        SessionClosed(reason=CloseReason.LOGOUT, text=text),
    ]


@BOTH
def test_possdup_below_expected_is_ignored(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    pair.send(sender, "D", [(11, "a")])
    pair.take(receiver)
    pair.wire.clear()
    stamp = format_utc_timestamp(pair.clock.now)
    dup = pair.forge(sender, "D", [(11, "a")], seq=2, extra_header=[(43, "Y"), (122, stamp)])
    assert pair.deliver(receiver, dup) == []
    assert pair.wire == []
    assert pair.session(receiver).next_target_seq == 3


@BOTH
def test_possdup_at_expected_is_delivered_as_possdup(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    stamp = format_utc_timestamp(pair.clock.now - 5)
    dup = pair.forge(sender, "D", [(11, "a")], extra_header=[(43, "Y"), (122, stamp)])
    assert app(pair.deliver(receiver, dup)) == [("a", True)]


@BOTH
@pytest.mark.parametrize(
    ("orig", "reason", "text"),
    [
        (None, 1, "OrigSendingTime (122) is required when PossDupFlag=Y"),
        (+1.0, 10, "OrigSendingTime (122) is later than SendingTime (52)"),
    ],
    ids=["missing-122", "122-after-52"],
)
def test_possdup_needs_an_orig_sending_time_not_after_sending_time(
    sender: Role, orig: float | None, reason: int, text: str
) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    extra = [(43, "Y")]
    if orig is not None:
        extra.append((122, format_utc_timestamp(pair.clock.now + orig)))
    events = pair.deliver(receiver, pair.forge(sender, "D", [(11, "a")], extra_header=extra))
    assert events == [RejectSent(ref_seq=2, reason=reason, ref_tag=122, text=text)]
    assert pair.take(sender) == [
        RejectReceived(ref_seq=2, reason=reason, ref_tag=122, ref_msg_type="D", text=text)
    ]
    assert pair.session(receiver).next_target_seq == 3  # the rejected message counted
    pair.send(sender, "D", [(11, "b")])
    assert app(pair.take(receiver)) == [("b", False)]


@BOTH
def test_logon_with_a_higher_number_is_accepted_then_resent(sender: Role) -> None:
    """Messages lost while the connection died are recovered after the next Logon."""
    pair = connected(SessionType.RT)
    receiver = SessionPair.other(sender)
    pair.drop = drop_first_copy_of("a", "b")
    pair.send(sender, "D", [(11, "a")])
    pair.send(sender, "D", [(11, "b")])
    pair.disconnect()
    pair.take(Role.INITIATOR)
    pair.take(Role.ACCEPTOR)
    pair.connect()
    logon = next(e for e in pair.events[receiver] if isinstance(e, LogonAccepted)).message
    assert logon.seq_num == 4
    assert comparable(pair.take(receiver)) == comparable(
        [
            ClockSkewObserved(skew_seconds=0.0),
            LogonAccepted(heartbeat_interval=30, reset_seq_nums=False, message=logon),
            GapDetected(expected=2, received=4, recoverable=True),
            ResendRequestSent(begin=2, end=0),
            ApplicationMessageReceived(message=_replayed(pair, sender, "a"), poss_dup=True),
            ApplicationMessageReceived(message=_replayed(pair, sender, "b"), poss_dup=True),
            # the queued Logon (4) then consumes its number, so the gap fill the sender
            # sends for it arrives below the expected number and is ignored
        ]
    )
    served = [e for e in pair.take(sender) if isinstance(e, ResendServed)]
    assert served == [ResendServed(begin=2, end=4, replayed=2, gap_filled=1)]
    assert pair.session(receiver).next_target_seq == 5
    assert pair.initiator.state is pair.acceptor.state is SessionState.ACTIVE


def _replayed(pair: SessionPair, sender: Role, cl_ord_id: str) -> FixMessage:
    for who, frame in pair.wire:
        msg = parse_frame(frame)
        if who is sender and msg.get(11) == cl_ord_id and msg.get(43) == "Y":
            return msg
    raise AssertionError(f"no replay of {cl_ord_id}")


@BOTH
def test_gap_fill_moves_the_expected_number_in_sequence(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    fill = pair.forge(sender, "4", [(123, "Y"), (36, "10")], seq=2)
    assert pair.deliver(receiver, fill) == [SequenceResetReceived(new_seq=10, gap_fill=True)]
    assert pair.session(receiver).next_target_seq == 10


@BOTH
def test_gap_fill_ahead_of_the_expected_number_is_queued_behind_a_resend(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    fill = pair.forge(sender, "4", [(123, "Y"), (36, "10")], seq=5, store=False)
    events = pair.deliver(receiver, fill)
    # the sender never sent 2..4, so it refuses the resend; the receiver gives the gap up
    # and only then applies the queued gap fill
    text = "BeginSeqNo (7) 2 is beyond the last message sent (1)"
    assert events == [
        GapDetected(expected=2, received=5, recoverable=True),
        ResendRequestSent(begin=2, end=0),
        RejectReceived(ref_seq=2, reason=5, ref_tag=7, ref_msg_type="2", text=text),
        GapDetected(expected=3, received=5, recoverable=False),  # the Reject was 2
        SequenceResetReceived(new_seq=10, gap_fill=True),
    ]
    assert pair.session(receiver).next_target_seq == 10


@BOTH
def test_gap_fill_below_the_expected_number_without_possdup_ends_the_session(
    sender: Role,
) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    pair.send(sender, "D", [(11, "a")])
    pair.take(receiver)
    fill = pair.forge(sender, "4", [(123, "Y"), (36, "10")], seq=2, store=False)
    assert pair.deliver(receiver, fill) == [
        SessionClosed(
            reason=CloseReason.PROTOCOL_ERROR,
            text="MsgSeqNum too low, expecting 3 but received 2",
        )
    ]


@BOTH
def test_reset_mode_moves_the_expected_number_whatever_the_msg_seq_num(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    reset = pair.forge(sender, "4", [(36, "20")], seq=999, store=False)
    assert pair.deliver(receiver, reset) == [SequenceResetReceived(new_seq=20, gap_fill=False)]
    assert pair.session(receiver).next_target_seq == 20


@BOTH
def test_sequence_reset_may_not_move_the_number_back(sender: Role) -> None:
    pair = connected()
    receiver = SessionPair.other(sender)
    pair.send(sender, "D", [(11, "a")])
    pair.take(receiver)
    reset = pair.forge(sender, "4", [(36, "1")], seq=3)
    text = "NewSeqNo (36) 1 is lower than expected 3"
    assert pair.deliver(receiver, reset) == [RejectSent(ref_seq=3, reason=5, ref_tag=36, text=text)]
    assert pair.session(receiver).next_target_seq == 3  # reset mode consumes nothing
    fill = pair.forge(sender, "4", [(123, "Y"), (36, "3")], seq=3)
    text = "NewSeqNo (36) 3 must be higher than MsgSeqNum 3"
    assert pair.deliver(receiver, fill) == [RejectSent(ref_seq=3, reason=5, ref_tag=36, text=text)]
    assert pair.session(receiver).next_target_seq == 4  # a rejected gap fill still counts


@BOTH
def test_gap_the_peer_cannot_fill_is_given_up(sender: Role) -> None:
    """The peer rejects our ResendRequest (say, outside its retention): deliver what is
    queued and let the application heal through drop copy."""
    pair = connected()
    receiver = SessionPair.other(sender)
    pair.drop = drop_first_copy_of("a")
    pair.send(sender, "D", [(11, "a")])
    pair.session(sender).store.prune(pair.clock.now + 1)  # message 2 is gone from its store
    pair.send(sender, "D", [(11, "b")])
    text = "BeginSeqNo (7) 2 is outside the retention period"
    assert pair.take(sender) == [RejectSent(ref_seq=2, reason=5, ref_tag=7, text=text)]
    events = pair.take(receiver)
    assert events[:2] == [
        GapDetected(expected=2, received=3, recoverable=True),
        ResendRequestSent(begin=2, end=0),
    ]
    assert events[2:4] == [
        RejectReceived(ref_seq=2, reason=5, ref_tag=7, ref_msg_type="2", text=text),
        GapDetected(expected=2, received=3, recoverable=False),
    ]
    assert app(events[4:]) == [("b", False)]
    assert pair.session(receiver).next_target_seq == 5
    pair.send(sender, "D", [(11, "c")])
    assert app(pair.take(receiver)) == [("c", False)]
