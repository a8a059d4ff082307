"""Heartbeats, TestRequests and the heartbeat timeout (SPEC §7.1), in both directions."""

from __future__ import annotations

import pytest

from workstation.fix.codec import parse_frame
from workstation.fix.events import (
    CloseReason,
    HeartbeatAnswered,
    LogoutReceived,
    SessionClosed,
    TestRequestSent,
)
from workstation.fix.heartbeat import HeartbeatMonitor
from workstation.fix.session import Role, SessionState
from workstation.fix.testing import SessionPair

BOTH = pytest.mark.parametrize("silent", [Role.INITIATOR, Role.ACCEPTOR], ids=["I", "A"])


def connected(heartbeat: int = 30) -> SessionPair:
    pair = SessionPair(initiator={"heartbeat_interval": heartbeat})
    pair.connect()
    pair.take(Role.INITIATOR)
    pair.take(Role.ACCEPTOR)
    pair.wire.clear()
    return pair


def sent(pair: SessionPair, role: Role) -> list[tuple[str, str | None]]:
    """(MsgType, TestReqID) of every frame ``role`` put on the wire."""
    return [
        (msg.msg_type, msg.get(112))
        for who, frame in pair.wire
        if who is role
        for msg in [parse_frame(frame)]
    ]


def test_both_sides_heartbeat_after_an_interval_of_outbound_silence() -> None:
    pair = connected(heartbeat=10)
    start = pair.clock.now
    assert pair.initiator.get_timer() == pair.acceptor.get_timer() == start + 10
    pair.advance(9.9)
    assert pair.wire == []
    pair.advance(0.1)
    assert sent(pair, Role.INITIATOR) == sent(pair, Role.ACCEPTOR) == [("0", None)]
    pair.advance(10)
    assert sent(pair, Role.INITIATOR) == sent(pair, Role.ACCEPTOR) == [("0", None)] * 2
    assert pair.take(Role.INITIATOR) == pair.take(Role.ACCEPTOR) == []


def test_application_traffic_postpones_the_heartbeat() -> None:
    pair = connected(heartbeat=10)
    pair.advance(8)
    pair.send(Role.INITIATOR, "D", [(11, "a")])
    pair.advance(9)  # 17 s in: the acceptor heartbeats at 10, the initiator only at 18
    assert sent(pair, Role.INITIATOR) == [("D", None)]
    assert sent(pair, Role.ACCEPTOR) == [("0", None)]
    pair.advance(1)
    assert sent(pair, Role.INITIATOR) == [("D", None), ("0", None)]


@BOTH
def test_test_request_after_inbound_silence_then_timeout(silent: Role) -> None:
    pair = connected(heartbeat=30)
    watcher = SessionPair.other(silent)
    start = pair.clock.now
    pair.drop = lambda role, frame: role is silent
    pair.advance(36)
    test_events = pair.take(watcher)
    assert len(test_events) == 1
    assert isinstance(test_events[0], TestRequestSent)
    test_id = test_events[0].test_req_id
    assert sent(pair, watcher) == [("0", None), ("1", test_id)]  # heartbeat at 30, test at 36
    assert sent(pair, silent) == []  # its answers never arrive
    assert pair.session(watcher).get_timer() == start + 66  # 36 + one interval
    pair.advance(29.9)
    assert pair.session(watcher).state is SessionState.ACTIVE
    pair.advance(0.1)
    text = f"Heartbeat timeout: no answer to TestRequest {test_id}"
    assert pair.take(watcher) == [SessionClosed(reason=CloseReason.HEARTBEAT_TIMEOUT, text=text)]
    assert pair.clock.now == start + 66
    assert sent(pair, watcher)[-1] == ("5", None)
    assert parse_frame(pair.wire[-1][1]).get(58) == text
    assert pair.take(silent) == [
        LogoutReceived(text=text),
        SessionClosed(reason=CloseReason.LOGOUT, text=text),
    ]
    assert not pair.connected


@BOTH
def test_test_request_is_answered_with_its_id_and_the_round_trip_reported(silent: Role) -> None:
    pair = connected(heartbeat=30)
    watcher = SessionPair.other(silent)
    held: list[bytes] = []

    def drop(role: Role, frame: bytes) -> bool:
        if role is silent:
            return True
        if parse_frame(frame).msg_type == "1":
            held.append(frame)  # delay the TestRequest on the wire
            return True
        return False

    pair.drop = drop
    pair.advance(36)
    test_id = pair.take(watcher)[0].test_req_id  # type: ignore[attr-defined]
    pair.drop = None
    pair.advance(2.5)
    pair.wire.clear()
    pair.deliver(silent, held[0])
    answers = [parse_frame(f) for who, f in pair.wire if who is silent]
    assert [(m.msg_type, m.get(112)) for m in answers if 112 in m] == [("0", test_id)]
    # (the heartbeat the silent side lost leaves a gap the watcher recovers; not the point here)
    answered = [e for e in pair.take(watcher) if isinstance(e, HeartbeatAnswered)]
    assert answered == [HeartbeatAnswered(test_req_id=test_id, round_trip=2.5)]
    assert pair.session(watcher).state is SessionState.ACTIVE


@BOTH
def test_any_inbound_message_counts_as_alive_and_test_ids_are_unique(silent: Role) -> None:
    pair = connected(heartbeat=30)
    watcher = SessionPair.other(silent)
    # the silent side stays quiet except for answering TestRequests
    pair.drop = lambda role, frame: role is silent and b"\x01112=" not in frame
    pair.advance(36)
    pair.advance(36)
    events = pair.take(watcher)
    sent_ids = [e.test_req_id for e in events if isinstance(e, TestRequestSent)]
    answered = [e for e in events if isinstance(e, HeartbeatAnswered)]
    assert len(sent_ids) == 2
    assert len(set(sent_ids)) == 2
    assert [a.test_req_id for a in answered] == sent_ids
    assert pair.session(watcher).state is SessionState.ACTIVE


def test_acceptor_uses_the_clients_heartbeat_interval() -> None:
    pair = connected(heartbeat=5)
    assert pair.acceptor.heartbeat_interval == 5
    pair.advance(5)
    assert sent(pair, Role.ACCEPTOR) == [("0", None)]


def test_monitor_gives_fresh_ids_and_ignores_unknown_echoes() -> None:
    monitor = HeartbeatMonitor(30, 0.0)
    first, second = monitor.new_test_request(1.0), monitor.new_test_request(1.0)
    assert first != second
    assert monitor.answered(first, 2.0) is None  # only the latest is in flight
    assert monitor.answered(None, 2.0) is None
    assert monitor.answered(second, 3.0) == 2.0
    assert monitor.answered(second, 4.0) is None
    assert HeartbeatMonitor(0, 0.0).deadline() is None
