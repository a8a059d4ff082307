"""The connection life cycle: the transition table, illegal calls, reconnecting, wire events."""

from __future__ import annotations

import pytest

from workstation.fix.codec import parse_frame
from workstation.fix.dialect import SessionType
from workstation.fix.errors import LocalProtocolError, RemoteProtocolError, SessionNotActive
from workstation.fix.events import (
    ApplicationMessageReceived,
    CloseReason,
    MessageReceived,
    MessageSent,
    SessionClosed,
)
from workstation.fix.session import Role, SessionState
from workstation.fix.state import TRANSITIONS, SessionInput, next_state
from workstation.fix.testing import SessionPair


def test_every_state_can_lose_its_connection_and_closing_is_terminal() -> None:
    for state in SessionState:
        assert next_state(state, SessionInput.CONNECTION_LOST) is SessionState.DISCONNECTED
    leaving_closing = {
        event
        for (state, event), target in TRANSITIONS.items()
        if state is SessionState.CLOSING and target is not SessionState.CLOSING
    }
    assert leaving_closing == {SessionInput.CONNECTION_LOST}


def test_illegal_transition_names_the_move_and_the_state() -> None:
    with pytest.raises(LocalProtocolError) as caught:
        next_state(SessionState.DISCONNECTED, SessionInput.LOGON_COMPLETED)
    assert str(caught.value) == "logon_completed is not allowed in state DISCONNECTED"


def test_illegal_calls_raise_local_protocol_errors() -> None:
    pair = SessionPair()
    initiator = pair.initiator
    with pytest.raises(LocalProtocolError, match=r"receive_data\(\) is not allowed in state DISC"):
        initiator.receive_data(b"8=FIXT.1.1\x01", pair.clock.now)
    with pytest.raises(LocalProtocolError, match=r"logout\(\) is not allowed"):
        initiator.logout(pair.clock.now)
    initiator.connection_made(pair.clock.now)
    with pytest.raises(LocalProtocolError, match=r"connection_made\(\) is not allowed in state L"):
        initiator.connection_made(pair.clock.now)
    with pytest.raises(SessionNotActive) as caught:
        initiator.send_message("D", [(11, "a")], pair.clock.now)
    assert str(caught.value) == "send_message() is not allowed in state LOGON_SENT"
    assert caught.value.state is SessionState.LOGON_SENT


def test_send_message_refuses_session_types_and_header_tags() -> None:
    pair = SessionPair()
    pair.connect()
    for msg_type, body in (("0", []), ("A", []), ("D", [(34, "9")]), ("D", [(96, "x")])):
        with pytest.raises(LocalProtocolError):
            pair.initiator.send_message(msg_type, body, pair.clock.now)
    assert pair.initiator.data_to_send() == b""


def test_remote_error_needs_an_answer() -> None:
    with pytest.raises(ValueError, match="needs a reject reason"):
        RemoteProtocolError("nothing to send")
    error = RemoteProtocolError.reject(9, "CompID problem", 49, logout=True)
    assert (error.reject_reason, error.ref_tag, error.logout) == (9, 49, True)


def test_lost_connection_then_reconnect_reuses_the_session() -> None:
    pair = SessionPair(session_type=SessionType.RT)
    pair.connect()
    pair.take(Role.INITIATOR)
    pair.disconnect()
    assert pair.take(Role.INITIATOR) == [
        SessionClosed(reason=CloseReason.CONNECTION_LOST, text="Connection lost in state ACTIVE")
    ]
    assert pair.initiator.connection_lost(pair.clock.now) == []  # a second call is harmless
    pair.connect()
    assert pair.initiator.state is SessionState.ACTIVE
    pair.send(Role.INITIATOR, "D", [(11, "a")])
    assert [type(e) for e in pair.take(Role.ACCEPTOR)][-1] is ApplicationMessageReceived


def test_wire_events_report_every_frame_with_the_signature_hidden_from_repr() -> None:
    pair = SessionPair(initiator={"emit_wire_events": True}, acceptor={"emit_wire_events": True})
    pair.connect()
    initiator_events = pair.take(Role.INITIATOR)
    sent = [e for e in initiator_events if isinstance(e, MessageSent)]
    received = [e for e in initiator_events if isinstance(e, MessageReceived)]
    assert [(e.msg_type, e.seq) for e in sent] == [("A", 1)]
    assert sent[0].raw == pair.wire[0][1]
    signature = parse_frame(sent[0].raw).require(96)
    assert signature not in repr(sent[0])
    assert "96=" + "*" * len(signature) in repr(sent[0])
    assert [e.message.raw for e in received] == [pair.wire[1][1]]
    pair.initiator.send_message("D", [(11, "a")], pair.clock.now)
    assert pair.initiator.get_timer() == pair.clock.now  # MessageSent waits for collection
    later = pair.initiator.handle_timer(pair.clock.now)
    assert [(type(e), getattr(e, "seq", None)) for e in later] == [(MessageSent, 2)]
