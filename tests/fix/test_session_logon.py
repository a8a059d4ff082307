"""The Logon exchange as a conversation: what the initiator sends and signs, what the acceptor
checks (SPEC §19.2, in order) and answers, and how each refusal reads."""

from __future__ import annotations

import pytest

from workstation.fix.auth import logon_prehash
from workstation.fix.codec import parse_frame
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.events import (
    ClockSkewObserved,
    CloseReason,
    LogonAccepted,
    LogonRejected,
    RejectReceived,
    SessionClosed,
)
from workstation.fix.message import FixMessage
from workstation.fix.session import LogonDecision, Role, Session, SessionConfig, SessionState
from workstation.fix.store import MemoryStore
from workstation.fix.testing import (
    API_KEY,
    START_TIME,
    HashAuthenticator,
    SessionPair,
    comparable,
    hash_signer,
    raw_frame,
    signed_logon,
    split_frames,
)
from workstation.fix.values import format_utc_timestamp

I, A = Role.INITIATOR, Role.ACCEPTOR  # noqa: E741 - the two sides, as in the SPEC


def tags(frame: bytes) -> list[int]:
    return [tag for tag, _ in parse_frame(frame).fields]


def sent_by(pair: SessionPair, role: Role) -> list[bytes]:
    return [frame for who, frame in pair.wire if who is role]


# ---------------------------------------------------------------- what the initiator sends


def test_initiator_logon_header_order_fields_and_signature() -> None:
    pair = SessionPair(session_type=SessionType.RT)
    pair.clock.now = START_TIME + 0.1239  # milliseconds are truncated, never rounded
    pair.connect()
    logon = sent_by(pair, I)[0]
    assert tags(logon) == [8, 9, 35, 49, 56, 34, 52, 98, 108, 1137, 95, 96, 10]
    msg = parse_frame(logon)
    assert msg.get(52) == "20260105-14:30:00.123" == format_utc_timestamp(pair.clock.now)
    assert (msg.get(49), msg.get(56), msg.get(34)) == (API_KEY, "KalshiRT", "1")
    assert (msg.get(98), msg.get(108), msg.get(1137)) == ("0", "30", "9")
    prehash = b"20260105-14:30:00.123\x01A\x011\x01" + API_KEY.encode() + b"\x01KalshiRT"
    assert logon_prehash("20260105-14:30:00.123", 1, API_KEY, "KalshiRT") == prehash
    assert msg.get(96) == hash_signer(prehash)
    assert msg.get(95) == str(len(hash_signer(prehash)))
    assert 141 not in msg  # KalshiRT resumes its sequence by default


def test_signer_sees_exactly_the_sending_time_text_that_is_sent() -> None:
    seen: list[bytes] = []

    def signer(prehash: bytes) -> str:
        seen.append(prehash)
        return "c2lnbmF0dXJl"

    config = SessionConfig(role=I, session_type=SessionType.NR, sender_comp_id=API_KEY)
    session = Session(config, signer=signer)
    session.connection_made(START_TIME + 59.9999)
    msg = parse_frame(session.data_to_send())
    assert seen == [f"{msg.get(52)}\x01A\x011\x01{API_KEY}\x01KalshiNR".encode()]
    assert (msg.get(95), msg.get(96)) == ("12", "c2lnbmF0dXJl")


def test_reset_logon_resets_the_store_first_and_the_acceptor_echoes_141() -> None:
    store = MemoryStore(START_TIME)
    store.save_outbound(1, START_TIME, b"old")
    store.set_next_target_seq(9)
    logon_fields = ((8013, "Y"), (21011, "Y"))
    pair = SessionPair(
        session_type=SessionType.NR,
        initiator_store=store,
        initiator={"logon_fields": logon_fields, "heartbeat_interval": 10},
    )
    pair.connect()
    logon, reply = sent_by(pair, I)[0], sent_by(pair, A)[0]
    assert tags(logon) == [8, 9, 35, 49, 56, 34, 52, 98, 108, 141, 1137, 8013, 21011, 95, 96, 10]
    assert parse_frame(logon).get(34) == "1"
    assert tags(reply) == [8, 9, 35, 49, 56, 34, 52, 98, 108, 141, 1137, 10]
    answer = parse_frame(reply)
    assert [answer.get(t) for t in (49, 56, 34, 98, 108, 141, 1137)] == [
        "KalshiNR",
        API_KEY,
        "1",
        "0",
        "10",
        "Y",
        "9",
    ]
    assert store.outbound_range(1, None)[0][1] == logon  # the old message 1 is gone
    assert (store.next_sender_seq(), store.next_target_seq()) == (2, 2)
    assert comparable(pair.take(I)) == comparable(
        [
            ClockSkewObserved(skew_seconds=0.0),
            LogonAccepted(heartbeat_interval=10, reset_seq_nums=True, message=answer),
        ]
    )
    assert comparable(pair.take(A)) == comparable(
        [
            ClockSkewObserved(skew_seconds=0.0),
            LogonAccepted(heartbeat_interval=10, reset_seq_nums=True, message=parse_frame(logon)),
        ]
    )
    assert pair.acceptor.heartbeat_interval == 10


@pytest.mark.parametrize(
    ("session_type", "dialect", "reset"),
    [
        (SessionType.NR, Dialect.CURRENT, True),
        (SessionType.DC, Dialect.CURRENT, True),
        (SessionType.RFQ, Dialect.CURRENT, True),
        (SessionType.PT, Dialect.CURRENT, False),
        (SessionType.RT, Dialect.CURRENT, False),
        (SessionType.RFQ, Dialect.V1_0_13, False),
        (SessionType.PT, Dialect.V1_0_13, True),
    ],
)
def test_initiator_resets_where_the_dialect_requires_it(
    session_type: SessionType, dialect: Dialect, reset: bool
) -> None:
    pair = SessionPair(session_type=session_type, dialect=dialect)
    pair.connect()
    assert (parse_frame(sent_by(pair, I)[0]).get(141) == "Y") is reset
    assert pair.initiator.state is pair.acceptor.state is SessionState.ACTIVE


def test_retransmitting_session_continues_its_numbers_across_reconnects() -> None:
    pair = SessionPair(session_type=SessionType.RT)
    pair.connect()
    pair.send(I, "D", [(11, "a")])
    pair.send(A, "8", [(11, "a"), (150, "0")])
    pair.initiator.logout(pair.clock.now)
    pair.pump()
    pair.take(I)
    pair.take(A)
    pair.wire.clear()
    pair.connect()
    logon, reply = (parse_frame(f) for f in (sent_by(pair, I)[0], sent_by(pair, A)[0]))
    assert (logon.get(34), logon.get(141)) == ("4", None)
    assert (reply.get(34), reply.get(141)) == ("4", None)
    assert comparable(pair.take(I)[-1:]) == comparable(
        [LogonAccepted(heartbeat_interval=30, reset_seq_nums=False, message=reply)]
    )


def test_reset_on_logon_true_on_a_retransmitting_session_resets_both_sides() -> None:
    pair = SessionPair(session_type=SessionType.RT, initiator={"reset_on_logon": True})
    pair.connect()
    pair.send(I, "D", [(11, "a")])
    pair.disconnect()
    pair.connect()
    assert parse_frame(sent_by(pair, I)[-1]).get(34) == "1"
    assert parse_frame(sent_by(pair, A)[-1]).get(141) == "Y"
    store = pair.authenticator.stores[API_KEY]
    assert (store.next_sender_seq(), store.next_target_seq()) == (2, 2)


# ---------------------------------------------------------------- the acceptor's checks


def refuse(
    raw: bytes,
    *,
    session_type: SessionType = SessionType.RT,
    dialect: Dialect = Dialect.CURRENT,
    authenticator: HashAuthenticator | None = None,
) -> tuple[list[object], list[bytes]]:
    """Feed ``raw`` to a fresh acceptor; return its events and what it wrote back."""
    pair = SessionPair(session_type=session_type, dialect=dialect, authenticator=authenticator)
    acceptor = pair.acceptor
    assert acceptor.connection_made(pair.clock.now) == []
    events: list[object] = list(acceptor.receive_data(raw, pair.clock.now))
    return events, split_frames(acceptor.data_to_send())


def assert_refused(events: list[object], out: list[bytes], text: str, *, skew: bool) -> None:
    expected: list[object] = [ClockSkewObserved(skew_seconds=0.0)] if skew else []
    expected += [
        LogonRejected(text=text),
        SessionClosed(reason=CloseReason.LOGON_REJECTED, text=text),
    ]
    assert events == expected
    assert len(out) == 1
    logout = parse_frame(out[0])
    assert (logout.msg_type, logout.get(58)) == ("5", text)


NOW = START_TIME
BASE = ((98, "0"), (108, "30"), (1137, "9"))


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (
            signed_logon(NOW, begin="FIX.4.4"),
            "BeginString (8) must be FIXT.1.1, received 'FIX.4.4'",
        ),
        (
            raw_frame("D", [(49, API_KEY), (56, "KalshiRT"), (34, "1"), (52, "20260105-14:30:00")]),
            "First message must be a Logon (35=A), received MsgType 'D'",
        ),
        (
            signed_logon(NOW, target="KalshiNR"),
            "TargetCompID (56) 'KalshiNR' does not match this session (KalshiRT)",
        ),
        (
            signed_logon(NOW, body=((98, "0"), (108, "30"), (1137, "7"))),
            "DefaultApplVerID (1137) must be 9 (FIX50SP2), received '7'",
        ),
        (
            signed_logon(NOW, body=((98, "1"), (108, "30"), (1137, "9"))),
            "EncryptMethod (98) must be 0, received '1'",
        ),
        (signed_logon(NOW, body=((98, "0"), (1137, "9"))), "HeartBtInt (108) is required"),
        (
            signed_logon(NOW, body=((98, "0"), (108, "2"), (1137, "9"))),
            "HeartBtInt (108) 2 is out of range (3 to 3600 seconds)",
        ),
        (
            signed_logon(NOW, body=((98, "0"), (108, "3601"), (1137, "9"))),
            "HeartBtInt (108) 3601 is out of range (3 to 3600 seconds)",
        ),
        (
            signed_logon(NOW, body=((98, "0"), (108, "x"), (1137, "9"))),
            "HeartBtInt (108) 'x' is not a number",
        ),
        (
            signed_logon(NOW, body=(*BASE, (20200, "73"))),
            "MessageRetentionPeriod (20200) 73 is out of range (1 to 72 hours)",
        ),
        (
            signed_logon(NOW, seq=0),
            "MsgSeqNum (34) '0' is out of range",
        ),
    ],
    ids=[
        "begin-string",
        "not-a-logon",
        "target-comp-id",
        "appl-ver-id",
        "encrypt-method",
        "heartbeat-missing",
        "heartbeat-too-short",
        "heartbeat-too-long",
        "heartbeat-garbage",
        "retention-too-long",
        "seq-zero",
    ],
)
def test_acceptor_refuses_a_malformed_logon_with_a_logout_saying_why(raw: bytes, text: str) -> None:
    events, out = refuse(raw)
    assert_refused(events, out, text, skew=False)


def test_refusal_answers_from_the_session_name_the_client_called() -> None:
    _, out = refuse(signed_logon(NOW, target="KalshiNR"))
    logout = parse_frame(out[0])
    assert (logout.get(49), logout.get(56)) == ("KalshiNR", API_KEY)


def test_non_retransmitting_session_requires_141() -> None:
    events, out = refuse(signed_logon(NOW, target="KalshiNR"), session_type=SessionType.NR)
    assert_refused(
        events,
        out,
        "ResetSeqNumFlag (141=Y) is required on KalshiNR: this session does not retransmit",
        skew=False,
    )


@pytest.mark.parametrize(
    ("dialect", "offset", "refused"),
    [
        (Dialect.CURRENT, 30.0, False),
        (Dialect.CURRENT, -31.0, True),
        (Dialect.V1_0_13, 119.0, False),
        (Dialect.V1_0_13, 121.0, True),
    ],
)
def test_sending_time_tolerance_follows_the_dialect(
    dialect: Dialect, offset: float, refused: bool
) -> None:
    raw = signed_logon(NOW, sending_time=format_utc_timestamp(NOW + offset))
    events, out = refuse(raw, dialect=dialect)
    assert events[0] == ClockSkewObserved(skew_seconds=offset)
    if refused:
        tolerance = "30" if dialect is Dialect.CURRENT else "120"
        text = f"SendingTime (52) is {offset:+.1f} s from server time (tolerance {tolerance} s)"
        assert_refused(events[1:], out, text, skew=False)
    else:
        assert isinstance(events[1], LogonAccepted)


def test_heartbeat_is_optional_in_1_0_13_and_defaults_to_30() -> None:
    events, out = refuse(signed_logon(NOW, body=((98, "0"), (1137, "9"))), dialect=Dialect.V1_0_13)
    assert isinstance(events[1], LogonAccepted)
    assert events[1].heartbeat_interval == 30
    assert parse_frame(out[0]).get(108) == "30"


def test_bad_signature_is_refused_by_the_authenticator() -> None:
    events, out = refuse(signed_logon(NOW, signature="Zm9yZ2Vk"))
    assert_refused(events, out, "Signature verification failed", skew=True)


def test_authenticator_text_goes_in_the_logout() -> None:
    auth = HashAuthenticator(accept=False, text="already exists")
    events, out = refuse(signed_logon(NOW), authenticator=auth)
    assert_refused(events, out, "already exists", skew=True)


def test_checks_run_in_spec_order() -> None:
    auth = HashAuthenticator()
    # wrong TargetCompID and no 141 on a reset-only session: the TargetCompID is named
    events, _ = refuse(signed_logon(NOW, target="KalshiRT"), session_type=SessionType.NR)
    assert events[0] == LogonRejected(
        text="TargetCompID (56) 'KalshiRT' does not match this session (KalshiNR)"
    )
    # no 141 and a skewed clock: 141 comes first
    late = format_utc_timestamp(NOW - 100)
    events, _ = refuse(
        signed_logon(NOW, target="KalshiNR", sending_time=late), session_type=SessionType.NR
    )
    assert isinstance(events[0], LogonRejected)
    assert events[0].text.startswith("ResetSeqNumFlag (141=Y) is required")
    # a skewed clock and a bad signature: the clock comes first, the authenticator never runs
    events, _ = refuse(signed_logon(NOW, sending_time=late, signature="eA=="), authenticator=auth)
    assert isinstance(events[1], LogonRejected)
    assert events[1].text.startswith("SendingTime (52) is -100.0 s")
    assert auth.logons == []


def test_logon_with_a_sequence_number_too_low_is_refused() -> None:
    auth = HashAuthenticator()
    store = MemoryStore(NOW)
    store.set_next_target_seq(5)
    auth.stores[API_KEY] = store
    events, out = refuse(signed_logon(NOW, seq=3), authenticator=auth)
    assert_refused(events, out, "MsgSeqNum too low, expecting 5 but received 3", skew=True)


def test_second_logon_on_an_active_session_ends_it() -> None:
    pair = SessionPair()
    pair.connect()
    pair.take(A)
    events = pair.deliver(A, pair.forge(I, "A", [(98, "0"), (108, "30"), (1137, "9")]))
    text = "Logon received on a session that is already logged on"
    assert events == [SessionClosed(reason=CloseReason.PROTOCOL_ERROR, text=text)]
    assert parse_frame(sent_by(pair, A)[-1]).get(58) == text


# ---------------------------------------------------------------- the initiator's side


def initiator_waiting(session_type: SessionType = SessionType.RT) -> SessionPair:
    pair = SessionPair(session_type=session_type)
    pair.initiator.connection_made(pair.clock.now)
    pair.initiator.data_to_send()
    return pair


def reply(pair: SessionPair, sender: str, *, offset: float = 0.0, seq: int = 1) -> bytes:
    stamp = format_utc_timestamp(pair.clock.now + offset)
    header = [(49, sender), (56, API_KEY), (34, str(seq)), (52, stamp)]
    return raw_frame("A", [*header, (98, "0"), (108, "30"), (1137, "9")])


@pytest.mark.parametrize("sender", ["KalshiRT", "Kalshi"])
def test_initiator_accepts_the_session_name_or_the_kalshi_alias(sender: str) -> None:
    pair = initiator_waiting()
    raw = reply(pair, sender, offset=7.0)
    events = pair.initiator.receive_data(raw, pair.clock.now)
    assert comparable(events) == comparable(
        [
            ClockSkewObserved(skew_seconds=7.0),
            LogonAccepted(heartbeat_interval=30, reset_seq_nums=False, message=parse_frame(raw)),
        ]
    )
    assert pair.initiator.state is SessionState.ACTIVE
    assert pair.initiator.next_target_seq == 2


def test_initiator_refuses_a_reply_from_another_session_name() -> None:
    pair = initiator_waiting()
    events = pair.initiator.receive_data(reply(pair, "KalshiNR"), pair.clock.now)
    text = "Logon reply from SenderCompID 'KalshiNR', expected KalshiRT"
    assert events == [SessionClosed(reason=CloseReason.PROTOCOL_ERROR, text=text)]
    assert parse_frame(pair.initiator.data_to_send()).get(58) == text
    assert pair.initiator.wants_close


def test_refused_logon_is_reported_on_both_sides() -> None:
    pair = SessionPair(authenticator=HashAuthenticator(accept=False, text="Key is not enabled"))
    pair.connect()
    text = "Key is not enabled"
    assert pair.take(I) == [
        LogonRejected(text=text),
        SessionClosed(reason=CloseReason.LOGON_REJECTED, text=text),
    ]
    assert pair.take(A) == [
        ClockSkewObserved(skew_seconds=0.0),
        LogonRejected(text=text),
        SessionClosed(reason=CloseReason.LOGON_REJECTED, text=text),
    ]
    assert pair.initiator.state is pair.acceptor.state is SessionState.DISCONNECTED


def test_initiator_reports_a_reject_before_the_refusing_logout() -> None:
    pair = initiator_waiting()
    base = [(49, "KalshiRT"), (56, API_KEY), (52, format_utc_timestamp(pair.clock.now))]
    reject = raw_frame("3", [*base, (34, "1"), (45, "1"), (372, "A"), (373, "10")])
    logout = raw_frame("5", [*base, (34, "2"), (58, "SendingTime accuracy problem")])
    assert pair.initiator.receive_data(reject + logout, pair.clock.now) == [
        RejectReceived(ref_seq=1, reason=10, ref_tag=None, ref_msg_type="A", text=""),
        LogonRejected(text="SendingTime accuracy problem"),
        SessionClosed(reason=CloseReason.LOGON_REJECTED, text="SendingTime accuracy problem"),
    ]


@pytest.mark.parametrize(
    ("role", "text"),
    [(I, "No reply to our Logon within 10 s"), (A, "No Logon within 10 s")],
)
def test_logon_timeout(role: Role, text: str) -> None:
    pair = SessionPair()
    session = pair.session(role)
    session.connection_made(pair.clock.now)
    assert session.get_timer() == pair.clock.now + 10
    assert session.handle_timer(pair.clock.now + 9.99) == []
    assert session.handle_timer(pair.clock.now + 10) == [
        SessionClosed(reason=CloseReason.LOGON_TIMEOUT, text=text)
    ]
    assert session.wants_close


def test_initiator_accepts_the_kalshi_alias_on_an_active_session_too() -> None:
    pair = SessionPair()
    pair.connect()
    pair.take(I)
    stamp = format_utc_timestamp(pair.clock.now)
    header = [(49, "Kalshi"), (56, API_KEY), (34, "2"), (52, stamp)]
    events = pair.deliver(I, raw_frame("8", [*header, (11, "a")]))
    assert [type(e).__name__ for e in events] == ["ApplicationMessageReceived"]


def test_unrequested_reset_in_the_logon_reply_restarts_the_inbound_numbers() -> None:
    store = MemoryStore(START_TIME)
    store.set_next_target_seq(7)
    pair = SessionPair(session_type=SessionType.RT, initiator_store=store)
    pair.initiator.connection_made(pair.clock.now)
    stamp = format_utc_timestamp(pair.clock.now)
    header = [(49, "KalshiRT"), (56, API_KEY), (34, "1"), (52, stamp)]
    raw = raw_frame("A", [*header, (98, "0"), (108, "30"), (141, "Y"), (1137, "9")])
    events = pair.initiator.receive_data(raw, pair.clock.now)
    assert comparable(events[1:]) == comparable(
        [LogonAccepted(heartbeat_interval=30, reset_seq_nums=True, message=parse_frame(raw))]
    )
    assert store.next_target_seq() == 2


class BrokenAuthenticator:
    def authenticate(self, logon: FixMessage, now: float) -> LogonDecision:
        raise RuntimeError("key database unavailable: secret detail")


def test_an_authenticator_that_fails_refuses_the_logon_without_leaking_detail() -> None:
    config = SessionConfig(role=A, session_type=SessionType.RT, sender_comp_id="KalshiRT")
    acceptor = Session(config, authenticator=BrokenAuthenticator())
    acceptor.connection_made(NOW)
    events = acceptor.receive_data(signed_logon(NOW), NOW)
    text = "Internal error processing MsgSeqNum '1': RuntimeError"
    assert events[1:] == [
        LogonRejected(text=text),
        SessionClosed(reason=CloseReason.LOGON_REJECTED, text=text),
    ]
    assert parse_frame(acceptor.data_to_send()).get(58) == text


def test_a_failing_signer_leaves_the_session_disconnected_and_the_store_untouched() -> None:
    def signer(prehash: bytes) -> str:
        raise OSError("key file unreadable")

    store = MemoryStore(START_TIME)
    store.set_next_sender_seq(5)
    config = SessionConfig(role=I, session_type=SessionType.NR, sender_comp_id=API_KEY)
    session = Session(config, store=store, signer=signer)
    with pytest.raises(OSError, match="key file unreadable"):
        session.connection_made(NOW)
    assert session.state is SessionState.DISCONNECTED
    assert store.next_sender_seq() == 5  # the reset waits for a signature
    assert session.data_to_send() == b""
