"""Serving a ResendRequest (SPEC §7.3): replays keep their number and body, carry 43=Y,
122 = the first SendingTime and a new 52; session messages and filtered messages become
collapsed gap fills; retention and non-retransmitting sessions are answered with a Reject."""

from __future__ import annotations

import pytest

from workstation.fix.codec import parse_frame
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.events import RejectReceived, RejectSent, ResendServed
from workstation.fix.resend import GapFill, Replay, plan_resend
from workstation.fix.session import Role
from workstation.fix.testing import SessionPair, raw_frame
from workstation.fix.values import format_utc_timestamp

BOTH = pytest.mark.parametrize("server", [Role.INITIATOR, Role.ACCEPTOR], ids=["I", "A"])


def connected(
    session_type: SessionType = SessionType.RT,
    *,
    dialect: Dialect = Dialect.CURRENT,
    initiator: dict[str, object] | None = None,
    acceptor: dict[str, object] | None = None,
) -> SessionPair:
    pair = SessionPair(
        session_type=session_type, dialect=dialect, initiator=initiator, acceptor=acceptor
    )
    pair.connect()
    pair.take(Role.INITIATOR)
    pair.take(Role.ACCEPTOR)
    pair.wire.clear()
    return pair


def ask(pair: SessionPair, server: Role, begin: int, end: int) -> list[object]:
    """The peer of ``server`` asks it for ``begin``..``end``; returns the server's events."""
    pair.wire.clear()
    request = pair.forge(SessionPair.other(server), "2", [(7, str(begin)), (16, str(end))])
    return list(pair.deliver(server, request))


def answer(pair: SessionPair, server: Role) -> list[tuple[str, int, dict[int, str]]]:
    """(MsgType, MsgSeqNum, fields) of what ``server`` put on the wire."""
    out = []
    for who, frame in pair.wire:
        if who is server:
            msg = parse_frame(frame)
            out.append((msg.msg_type, msg.seq_num or 0, dict(msg.fields)))
    return out


@BOTH
def test_replay_keeps_number_and_body_with_possdup_and_orig_sending_time(server: Role) -> None:
    pair = connected()
    first_sent = format_utc_timestamp(pair.clock.now)
    text = "café ☕"
    pair.send(server, "D", [(11, "a"), (58, text), (38, "10")])
    original = pair.wire[-1][1]
    pair.clock.advance(4.5)
    events = ask(pair, server, 2, 2)
    assert events == [ResendServed(begin=2, end=2, replayed=1, gap_filled=0)]
    [(_, replay)] = pair.wire
    msg = parse_frame(replay)
    assert [tag for tag, _ in msg.fields][:9] == [8, 9, 35, 49, 56, 34, 52, 43, 122]
    assert (msg.get(34), msg.get(43), msg.get(122)) == ("2", "Y", first_sent)
    assert msg.get(52) == format_utc_timestamp(pair.clock.now) != first_sent
    body = original[original.index(b"\x0111=") + 1 : original.rindex(b"10=")]
    assert replay[replay.index(b"\x0111=") + 1 : replay.rindex(b"10=")] == body
    assert msg.get_text(58) == text


@BOTH
def test_session_messages_become_one_collapsed_gap_fill(server: Role) -> None:
    pair = connected(
        initiator={"heartbeat_interval": 10},
    )
    pair.send(server, "D", [(11, "a")])  # 2
    pair.advance(10)  # heartbeat 3
    pair.advance(10)  # heartbeat 4
    pair.send(server, "D", [(11, "b")])  # 5
    pair.advance(10)  # heartbeat 6
    pair.advance(10)  # heartbeat 7
    pair.take(server)
    events = ask(pair, server, 1, 0)
    assert events == [ResendServed(begin=1, end=7, replayed=2, gap_filled=5)]
    sent = answer(pair, server)
    assert [(kind, seq, fields.get(36), fields.get(123)) for kind, seq, fields in sent] == [
        ("4", 1, "2", "Y"),  # the Logon
        ("D", 2, None, None),
        ("4", 3, "5", "Y"),  # two heartbeats, one gap fill
        ("D", 5, None, None),
        ("4", 6, "8", "Y"),  # the tail
    ]
    assert all(fields.get(43) == "Y" and 122 in fields for _, _, fields in sent)


@BOTH
def test_replay_filter_turns_refused_messages_into_gap_fills(server: Role) -> None:
    settings: dict[str, object] = {
        "replay_filter": lambda msg_type, raw: b"\x0111=stale\x01" not in raw
    }
    if server is Role.INITIATOR:
        pair = connected(initiator=settings)
    else:
        pair = connected(acceptor=settings)
    for cl_ord_id in ("stale", "stale", "fresh"):
        pair.send(server, "D", [(11, cl_ord_id)])
    assert ask(pair, server, 2, 0) == [ResendServed(begin=2, end=4, replayed=1, gap_filled=2)]
    sent = answer(pair, server)
    assert [(kind, seq, fields.get(36), fields.get(11)) for kind, seq, fields in sent] == [
        ("4", 2, "4", None),
        ("D", 4, None, "fresh"),
    ]


@BOTH
def test_end_zero_means_to_the_last_message_and_an_end_bounds_the_range(server: Role) -> None:
    pair = connected()
    for cl_ord_id in "abc":
        pair.send(server, "D", [(11, cl_ord_id)])
    assert ask(pair, server, 3, 0) == [ResendServed(begin=3, end=4, replayed=2, gap_filled=0)]
    assert ask(pair, server, 2, 3) == [ResendServed(begin=2, end=3, replayed=2, gap_filled=0)]
    assert [seq for _, seq, _ in answer(pair, server)] == [2, 3]
    assert ask(pair, server, 2, 99) == [ResendServed(begin=2, end=4, replayed=3, gap_filled=0)]


@BOTH
def test_begin_beyond_the_last_message_is_rejected(server: Role) -> None:
    pair = connected()
    text = "BeginSeqNo (7) 5 is beyond the last message sent (1)"
    assert ask(pair, server, 5, 0) == [RejectSent(ref_seq=2, reason=5, ref_tag=7, text=text)]


@BOTH
@pytest.mark.parametrize(
    ("dialect", "hours", "kept"),
    [(Dialect.CURRENT, 23.9, True), (Dialect.CURRENT, 24.1, False), (Dialect.V1_0_13, 3.1, False)],
)
def test_messages_older_than_retention_are_pruned_at_logon_and_refused(
    server: Role, dialect: Dialect, hours: float, kept: bool
) -> None:
    pair = connected(dialect=dialect)
    pair.send(server, "D", [(11, "old")])
    pair.initiator.logout(pair.clock.now)
    pair.pump()
    pair.clock.advance(hours * 3600)
    pair.connect()
    pair.take(Role.INITIATOR)
    pair.take(Role.ACCEPTOR)
    events = ask(pair, server, 2, 2)
    if kept:
        assert events == [ResendServed(begin=2, end=2, replayed=1, gap_filled=0)]
    else:
        text = "BeginSeqNo (7) 2 is outside the retention period"
        seq = pair.session(SessionPair.other(server)).next_sender_seq - 1
        assert events == [RejectSent(ref_seq=seq, reason=5, ref_tag=7, text=text)]
        assert pair.take(SessionPair.other(server)) == [
            RejectReceived(ref_seq=seq, reason=5, ref_tag=7, ref_msg_type="2", text=text)
        ]


def test_retention_follows_the_configuration_and_the_clients_20200() -> None:
    # the initiator keeps 1 hour by configuration; the acceptor keeps what the Logon asked for
    pair = connected(
        initiator={"retention_hours": 1, "logon_fields": ((20200, "2"),)},
    )
    pair.send(Role.INITIATOR, "D", [(11, "i")])
    pair.send(Role.ACCEPTOR, "8", [(11, "a")])
    pair.initiator.logout(pair.clock.now)
    pair.pump()
    pair.clock.advance(1.5 * 3600)
    pair.connect()
    assert pair.initiator.store.outbound_range(2, 2) == []
    assert len(pair.authenticator.stores[pair.initiator.sender_comp_id].outbound_range(2, 2)) == 1


@pytest.mark.parametrize("session_type", [SessionType.NR, SessionType.DC, SessionType.RFQ])
@pytest.mark.parametrize("server", [Role.INITIATOR, Role.ACCEPTOR], ids=["I", "A"])
def test_non_retransmitting_sessions_answer_a_resend_request_with_a_reject(
    server: Role, session_type: SessionType
) -> None:
    pair = connected(session_type)
    pair.send(server, "D", [(11, "a")])
    text = (
        f"{session_type.value} does not retransmit: ResendRequest is not supported; "
        "log on with 141=Y"
    )
    assert ask(pair, server, 2, 0) == [RejectSent(ref_seq=2, reason=99, ref_tag=35, text=text)]
    assert [(kind, fields.get(373)) for kind, _, fields in answer(pair, server)] == [("3", "99")]


def test_plan_collapses_runs_and_fills_missing_numbers() -> None:
    def frame(msg_type: str, seq: int) -> bytes:
        return raw_frame(msg_type, [(49, "S"), (56, "T"), (34, str(seq)), (52, "x")])

    stored = [(2, frame("0", 2)), (3, frame("D", 3)), (6, frame("8", 6)), (7, frame("A", 7))]
    plan = plan_resend(stored, 1, 9)
    assert plan == [
        GapFill(seq=1, new_seq=3),  # 1 missing, 2 a heartbeat
        Replay(seq=3, msg_type="D", raw=stored[1][1]),
        GapFill(seq=4, new_seq=6),  # 4 and 5 missing
        Replay(seq=6, msg_type="8", raw=stored[2][1]),
        GapFill(seq=7, new_seq=10),  # a Logon, then 8 and 9 missing
    ]
