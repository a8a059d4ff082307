"""Realistic records for the UI tests and screenshots: a short trading conversation on
each session type, encoded with the real codec (RawData masked the way the client masks it),
and session snapshots in every phase."""

from __future__ import annotations

from workstation.client.records import Direction, SessionInfo, SessionPhase, WireRecord
from workstation.fix.codec import encode_message
from workstation.fix.describe import redact
from workstation.fix.dialect import SessionType
from workstation.fix.values import format_utc_timestamp

#: 2026-03-12 14:30:05 UTC, a Thursday (10:30:05 EDT).
T0 = 1773325805.0
API_KEY = "a952bcbe-ec3b-4b5b-b8f9-11b9c3f3c1e2"
SIGNATURE = "QhA8659Mhygcm+xE/wb1m" + "A" * 300 + "Zw=="
NOS_ID = "550e8400-e29b-41d4-a716-446655440000"


def frame(
    session: SessionType,
    direction: Direction,
    msg_type: str,
    seq: int,
    at: float,
    body: list[tuple[int, str]],
) -> bytes:
    sender, target = (
        (API_KEY, session.value)
        if direction is Direction.OUT
        else (
            session.value,
            API_KEY,
        )
    )
    header = [(49, sender), (56, target), (34, str(seq)), (52, format_utc_timestamp(at))]
    return encode_message(msg_type, header, body)


class Recorder:
    """Builds WireRecords with running record numbers and per-session sequence numbers."""

    def __init__(self, start: float = T0) -> None:
        self.now = start
        self.count = 0
        self.out_seq: dict[SessionType, int] = {}
        self.in_seq: dict[SessionType, int] = {}

    def record(
        self,
        session: SessionType,
        direction: Direction,
        msg_type: str,
        body: list[tuple[int, str]],
        *,
        step: float = 0.137,
    ) -> WireRecord:
        seqs = self.out_seq if direction is Direction.OUT else self.in_seq
        seq = seqs.get(session, 0) + 1
        seqs[session] = seq
        self.now += step
        self.count += 1
        raw = frame(session, direction, msg_type, seq, self.now, body)
        return WireRecord(
            seq=self.count,
            session=session,
            direction=direction,
            received_at=self.now,
            msg_type=msg_type,
            msg_seq_num=seq,
            raw=redact(raw),
        )


def logon_body() -> list[tuple[int, str]]:
    return [(98, "0"), (108, "30"), (141, "Y"), (95, str(len(SIGNATURE))), (96, SIGNATURE)]


def conversation(start: float = T0) -> list[WireRecord]:
    """Logons on three sessions, an order and its fills on RT, a reject, heartbeats, a
    settlement report with nested groups on PT."""
    r = Recorder(start)
    out, inn = Direction.OUT, Direction.IN
    rt, nr, pt = SessionType.RT, SessionType.NR, SessionType.PT
    recs = [
        r.record(rt, out, "A", logon_body()),
        r.record(rt, inn, "A", [(98, "0"), (108, "30")]),
        r.record(nr, out, "A", logon_body()),
        r.record(nr, inn, "A", [(98, "0"), (108, "30"), (141, "Y")]),
        r.record(pt, out, "A", logon_body()),
        r.record(pt, inn, "A", [(98, "0"), (108, "30")]),
        r.record(
            rt,
            out,
            "D",
            [
                (11, NOS_ID),
                (38, "10"),
                (40, "2"),
                (54, "1"),
                (55, "HIGHNY-23DEC31"),
                (44, "75"),
                (59, "1"),
            ],
        ),
        r.record(
            rt,
            inn,
            "8",
            [
                (37, "ord-1"),
                (11, NOS_ID),
                (17, "exec-1"),
                (150, "0"),
                (39, "0"),
                (55, "HIGHNY-23DEC31"),
                (54, "1"),
                (38, "10"),
                (44, "75"),
                (14, "0"),
                (151, "10"),
            ],
        ),
        r.record(
            rt,
            inn,
            "8",
            [
                (37, "ord-1"),
                (11, NOS_ID),
                (17, "exec-2"),
                (150, "F"),
                (39, "1"),
                (55, "HIGHNY-23DEC31"),
                (54, "1"),
                (38, "10"),
                (44, "75"),
                (32, "4"),
                (31, "74"),
                (14, "4"),
                (151, "6"),
            ],
        ),
        r.record(
            nr,
            out,
            "D",
            [
                (11, "nr-1"),
                (38, "5"),
                (40, "2"),
                (54, "2"),
                (55, "KXBTC-26MAR13-T90000"),
                (44, "40"),
                (333333, "x"),
            ],
        ),
        r.record(
            nr,
            inn,
            "3",
            [(45, "2"), (371, "333333"), (372, "D"), (373, "0"), (58, "Invalid tag number")],
        ),
        r.record(rt, out, "0", [], step=30.0),
        r.record(rt, inn, "0", []),
        r.record(nr, out, "0", []),
        r.record(nr, inn, "0", []),
        r.record(
            pt,
            inn,
            "UMS",
            [
                (20105, "settle-123"),
                (55, "HIGHNY-23DEC31"),
                (715, "20231231"),
                (20107, "yes"),
                (730, "100.00"),
                (20108, "1"),
                (20109, "user-456"),
                (20110, "24"),
                (704, "100"),
                (705, "0"),
                (1703, "1"),
                (1704, "100.00"),
                (1705, "PAYOUT"),
            ],
        ),
    ]
    return recs


def heartbeats(
    count: int, start: float = T0, session: SessionType = SessionType.RT
) -> list[WireRecord]:
    """``count`` alternating out/in heartbeats, one second apart."""
    r = Recorder(start)
    return [
        r.record(session, Direction.OUT if i % 2 == 0 else Direction.IN, "0", [], step=1.0)
        for i in range(count)
    ]


def session_infos(now: float = T0) -> list[SessionInfo]:
    """One snapshot per session type, each in a different phase."""

    def info(session: SessionType, phase: SessionPhase, **changes: object) -> SessionInfo:
        values: dict[str, object] = {
            "session": session,
            "phase": phase,
            "host": "127.0.0.1",
            "port": session.default_port,
            "api_key_id": API_KEY,
            "next_out_seq": 1,
            "next_in_seq": 1,
            "last_message_at": None,
            "heartbeat_rtt": None,
            "reconnect_at": None,
            "last_error": "",
            "cancel_on_disconnect": False,
            "listener": False,
            "retransmits": session is SessionType.RT,
        }
        values.update(changes)
        return SessionInfo(**values)  # type: ignore[arg-type]

    return [
        info(
            SessionType.RT,
            SessionPhase.ACTIVE,
            next_out_seq=1043,
            next_in_seq=2210,
            last_message_at=now - 3.2,
            heartbeat_rtt=0.0184,
            cancel_on_disconnect=True,
        ),
        info(
            SessionType.NR,
            SessionPhase.WAITING_TO_RECONNECT,
            next_out_seq=12,
            next_in_seq=9,
            last_message_at=now - 95,
            reconnect_at=now + 4.2,
            last_error="Connection reset by peer",
        ),
        info(SessionType.DC, SessionPhase.LOGGING_ON, last_message_at=now - 0.4),
        info(
            SessionType.PT,
            SessionPhase.FAILED,
            next_out_seq=2,
            next_in_seq=2,
            last_error='Logout: 58="already exists" (one connection per API key)',
        ),
        info(SessionType.RFQ, SessionPhase.STOPPED, listener=True),
    ]
