"""Logout (SPEC §7.5): either side starts, the other answers, the starter waits at most
``logout_timeout``; messages keep flowing until the answer."""

from __future__ import annotations

import pytest

from workstation.fix.codec import parse_frame
from workstation.fix.events import (
    ApplicationMessageReceived,
    CloseReason,
    LogoutReceived,
    SessionClosed,
)
from workstation.fix.session import Role, SessionState
from workstation.fix.testing import SessionPair

BOTH = pytest.mark.parametrize("starter", [Role.INITIATOR, Role.ACCEPTOR], ids=["I", "A"])


def connected() -> SessionPair:
    pair = SessionPair()
    pair.connect()
    pair.take(Role.INITIATOR)
    pair.take(Role.ACCEPTOR)
    pair.wire.clear()
    return pair


@BOTH
def test_logout_is_answered_and_both_sides_close(starter: Role) -> None:
    pair = connected()
    other = SessionPair.other(starter)
    pair.session(starter).logout(pair.clock.now, "done for the day")
    assert pair.session(starter).state is SessionState.LOGOUT_SENT
    pair.pump()
    assert pair.take(other) == [
        LogoutReceived(text="done for the day"),
        SessionClosed(reason=CloseReason.LOGOUT, text="done for the day"),
    ]
    assert pair.take(starter) == [
        LogoutReceived(text=""),
        SessionClosed(reason=CloseReason.LOGOUT, text="Logged out"),
    ]
    logout, answer = (parse_frame(f) for _, f in pair.wire)
    assert [pair.wire[0][0], pair.wire[1][0]] == [starter, other]
    assert (logout.msg_type, logout.get(58)) == ("5", "done for the day")
    assert (answer.msg_type, 58 in answer) == ("5", False)
    assert pair.initiator.state is pair.acceptor.state is SessionState.DISCONNECTED


@BOTH
def test_unanswered_logout_times_out(starter: Role) -> None:
    pair = connected()
    other = SessionPair.other(starter)
    pair.drop = lambda role, frame: parse_frame(frame).msg_type == "5"
    pair.session(starter).logout(pair.clock.now)
    assert pair.session(starter).get_timer() == pair.clock.now + 5
    pair.advance(4.9)
    assert pair.take(starter) == []
    pair.advance(0.1)
    assert pair.take(starter) == [
        SessionClosed(reason=CloseReason.LOGOUT_TIMEOUT, text="No answer to our Logout in 5 s")
    ]
    assert pair.take(other) == [
        SessionClosed(reason=CloseReason.CONNECTION_LOST, text="Connection lost in state ACTIVE")
    ]


@BOTH
def test_messages_arriving_before_the_answer_are_still_delivered(starter: Role) -> None:
    pair = connected()
    other = SessionPair.other(starter)
    pair.session(starter).logout(pair.clock.now)
    late = pair.forge(other, "D", [(11, "late")])  # crosses our Logout on the wire
    events = pair.session(starter).receive_data(late, pair.clock.now)
    assert [type(e) for e in events] == [ApplicationMessageReceived]
    assert pair.session(starter).state is SessionState.LOGOUT_SENT


@BOTH
def test_logout_twice_is_harmless(starter: Role) -> None:
    pair = connected()
    session = pair.session(starter)
    session.logout(pair.clock.now, "first")
    session.logout(pair.clock.now, "second")
    assert [parse_frame(f).get(58) for f in [session.data_to_send()]] == ["first"]


def test_logout_before_the_logon_completes_just_closes() -> None:
    pair = SessionPair()
    initiator = pair.initiator
    initiator.connection_made(pair.clock.now)
    initiator.data_to_send()
    initiator.logout(pair.clock.now, "changed my mind")
    assert initiator.wants_close
    assert initiator.data_to_send() == b""
    assert initiator.get_timer() == pair.clock.now  # the event waits to be collected
    assert initiator.handle_timer(pair.clock.now) == [
        SessionClosed(reason=CloseReason.LOGOUT, text="changed my mind")
    ]


def test_peer_closing_during_our_logout_is_a_lost_connection() -> None:
    pair = connected()
    pair.initiator.logout(pair.clock.now)
    pair.disconnect()
    assert pair.take(Role.INITIATOR) == [
        SessionClosed(
            reason=CloseReason.CONNECTION_LOST, text="Connection lost in state LOGOUT_SENT"
        )
    ]


@BOTH
def test_logout_ahead_of_a_gap_ends_the_session_without_a_resend(starter: Role) -> None:
    pair = connected()
    other = SessionPair.other(starter)
    logout = pair.forge(starter, "5", [(58, "bye")], seq=9, store=False)
    assert pair.deliver(other, logout) == [
        LogoutReceived(text="bye"),
        SessionClosed(reason=CloseReason.LOGOUT, text="bye"),
    ]
    assert [parse_frame(f).msg_type for who, f in pair.wire if who is other] == ["5"]
