"""How the session uses its store: store before send, the inbound number per accepted message,
session messages stored too, one transaction per inbound frame."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from workstation.fix.codec import parse_frame
from workstation.fix.database import Database, StoreError
from workstation.fix.dialect import SessionType
from workstation.fix.events import ApplicationMessageReceived, CloseReason, Event, SessionClosed
from workstation.fix.session import Role, SessionState
from workstation.fix.sqlite_store import SqliteStore, open_store
from workstation.fix.store import MemoryStore
from workstation.fix.testing import API_KEY, START_TIME, SessionPair, split_frames


class JournalingStore(MemoryStore):
    """A real in-memory store that also writes down what the session asked of it."""

    def __init__(self, now: float = START_TIME) -> None:
        super().__init__(now)
        self.journal: list[tuple[str, int]] = []
        self.fail_on_save: int | None = None
        self.depth = 0

    def save_outbound(self, seq: int, sending_time: float, message: bytes) -> None:
        if seq == self.fail_on_save:
            raise OSError("disk full")
        self.journal.append(("save", seq))
        super().save_outbound(seq, sending_time, message)

    def set_next_target_seq(self, seq: int) -> None:
        self.journal.append(("target", seq))
        super().set_next_target_seq(seq)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.depth += 1
        self.journal.append(("begin", self.depth))
        try:
            yield
        finally:
            self.journal.append(("end", self.depth))
            self.depth -= 1


def test_a_message_the_store_refused_is_never_sent() -> None:
    store = JournalingStore()
    pair = SessionPair(initiator_store=store)
    pair.connect()
    store.fail_on_save = 2
    with pytest.raises(OSError, match="disk full"):
        pair.initiator.send_message("D", [(11, "a")], pair.clock.now)
    assert pair.initiator.data_to_send() == b""
    assert store.next_sender_seq() == 2


def test_every_outbound_message_is_stored_with_its_number_before_it_leaves() -> None:
    store = JournalingStore()
    pair = SessionPair(initiator_store=store, initiator={"heartbeat_interval": 10})
    pair.connect()
    pair.send(Role.INITIATOR, "D", [(11, "a")])
    pair.advance(10)
    sent = [f for who, f in pair.wire if who is Role.INITIATOR]
    stored = store.outbound_range(1, None)
    assert [raw for _, raw in stored] == sent
    assert [parse_frame(raw).msg_type for _, raw in stored] == ["A", "D", "0"]
    assert [("save", n) for n in (1, 2, 3)] == [e for e in store.journal if e[0] == "save"]


def test_each_accepted_inbound_message_advances_the_target_inside_a_transaction() -> None:
    store = JournalingStore()
    pair = SessionPair(initiator_store=store)
    pair.connect()
    store.journal.clear()
    pair.send(Role.ACCEPTOR, "8", [(11, "a")])
    pair.send(Role.ACCEPTOR, "8", [(11, "b")])
    assert store.journal == [
        ("begin", 1),
        ("target", 3),
        ("end", 1),
        ("begin", 1),
        ("target", 4),
        ("end", 1),
    ]


def test_garbled_frames_touch_nothing() -> None:
    store = JournalingStore()
    pair = SessionPair(initiator_store=store)
    pair.connect()
    store.journal.clear()
    pair.initiator.receive_data(b"8=FIXT.1.1\x019=5\x0135=0\x0110=000\x01", pair.clock.now)
    assert store.journal == []


def test_the_acceptor_answers_with_the_store_the_authenticator_chose() -> None:
    pair = SessionPair(session_type=SessionType.RT)
    pair.connect()
    key = pair.initiator.sender_comp_id
    chosen = pair.authenticator.stores[key]
    assert pair.acceptor.store is chosen
    assert (chosen.next_sender_seq(), chosen.next_target_seq()) == (2, 2)
    assert parse_frame(chosen.outbound_range(1, 1)[0][1]).msg_type == "A"


def test_a_store_that_fails_mid_message_ends_the_session_without_raising() -> None:
    store = JournalingStore()
    pair = SessionPair(initiator_store=store)
    pair.connect()
    pair.take(Role.INITIATOR)
    store.fail_on_save = 2
    test_request = pair.forge(Role.ACCEPTOR, "1", [(112, "ping")])
    events = pair.initiator.receive_data(test_request, pair.clock.now)
    assert events == [
        SessionClosed(
            reason=CloseReason.PROTOCOL_ERROR,
            text="Internal error processing MsgSeqNum '2': OSError",
        )
    ]
    assert pair.initiator.state is SessionState.CLOSING


def test_sqlite_store_carries_a_session_across_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "fix.sqlite"
    first = open_store(path, API_KEY, "KalshiRT", START_TIME)
    pair = SessionPair(initiator_store=first)
    pair.connect()
    pair.send(Role.INITIATOR, "D", [(11, "a")])
    pair.send(Role.ACCEPTOR, "8", [(11, "a")])
    assert (first.next_sender_seq(), first.next_target_seq()) == (3, 3)
    pair.disconnect()
    first.database.close()
    # a new process: a new store on the same file, a new Session, the same conversation
    reopened = open_store(path, API_KEY, "KalshiRT", START_TIME + 60)
    again = SessionPair(initiator_store=reopened, authenticator=pair.authenticator)
    again.clock.now = START_TIME + 60
    again.connect()
    assert [parse_frame(f).seq_num for _, f in again.wire] == [3, 3]
    assert again.initiator.state is SessionState.ACTIVE
    assert [raw for _, raw in reopened.outbound_range(1, 2)] == [
        f for who, f in pair.wire if who is Role.INITIATOR
    ]
    reopened.database.close()


class FailingSqliteStore(SqliteStore):
    """The real SQLite store, with a disk that fills up at one chosen sequence number."""

    fail_on_save: int | None = None

    def save_outbound(self, seq: int, sending_time: float, message: bytes) -> None:
        if seq == self.fail_on_save:
            raise OSError("disk full")
        super().save_outbound(seq, sending_time, message)


def committed_numbers(path: Path) -> tuple[int, int]:
    """The numbers as another process would read them from the file now."""
    with contextlib.closing(sqlite3.connect(path)) as other:
        row = other.execute("SELECT next_sender, next_target FROM sessions").fetchone()
    return (row[0], row[1])


def sqlite_pair(path: Path) -> tuple[SessionPair, FailingSqliteStore]:
    store = FailingSqliteStore(Database(path), API_KEY, "KalshiRT", START_TIME)
    pair = SessionPair(initiator_store=store)
    pair.connect()
    pair.take(Role.INITIATOR)
    return pair, store


def test_a_chunk_read_inside_the_owners_transaction_commits_with_it(tmp_path: Path) -> None:
    pair, store = sqlite_pair(tmp_path / "fix.sqlite")
    chunk = b"".join(pair.forge(Role.ACCEPTOR, "8", [(11, f"o{n}")]) for n in range(3))
    with store.transaction():
        events = pair.initiator.receive_data(chunk, pair.clock.now)
        assert [type(e) for e in events] == [ApplicationMessageReceived] * 3
        assert store.next_target_seq() == 5
        assert committed_numbers(tmp_path / "fix.sqlite") == (2, 2)  # nothing before the commit
    assert committed_numbers(tmp_path / "fix.sqlite") == (2, 5)
    store.database.close()


def test_a_message_failing_half_way_inside_the_owners_transaction_rolls_the_chunk_back(
    tmp_path: Path,
) -> None:
    pair, store = sqlite_pair(tmp_path / "fix.sqlite")
    chunk = pair.forge(Role.ACCEPTOR, "8", [(11, "a")]) + pair.forge(
        Role.ACCEPTOR, "1", [(112, "ping")]
    )
    store.fail_on_save = 2  # the Heartbeat answering the TestRequest cannot be stored
    with pytest.raises(StoreError, match="inner transaction"), store.transaction():
        events = pair.initiator.receive_data(chunk, pair.clock.now)
        assert isinstance(events[0], ApplicationMessageReceived)
        assert events[-1] == SessionClosed(
            reason=CloseReason.PROTOCOL_ERROR,
            text="Internal error processing MsgSeqNum '3': OSError",
        )
    # Neither message counts: the peer will send both again, and the application's rows
    # written in the same transaction are gone with them.
    assert store.next_target_seq() == 2
    assert committed_numbers(tmp_path / "fix.sqlite") == (2, 2)
    store.database.close()


def comparable(event: Event) -> object:
    """An event with its message as (MsgSeqNum, ClOrdID): FixMessage compares by identity."""
    if isinstance(event, ApplicationMessageReceived):
        return (event.message.seq_num, event.message.get(11))
    return event


def test_joining_the_owners_transaction_changes_no_event_and_no_number(tmp_path: Path) -> None:
    def run(path: Path, outer: bool) -> tuple[list[object], list[bytes], tuple[int, int]]:
        pair, store = sqlite_pair(path)
        frames = [pair.forge(Role.ACCEPTOR, "8", [(11, "a")])]
        frames.append(pair.forge(Role.ACCEPTOR, "8", [(11, "gap")], seq=5))  # 3, 4 missing
        frames.append(pair.forge(Role.ACCEPTOR, "1", [(112, "ping")], seq=6))
        frames.append(pair.forge(Role.ACCEPTOR, "D", [(11, "b")], seq=3))
        frames.append(pair.forge(Role.ACCEPTOR, "ZZ", [(11, "c")], seq=4))  # Reject 373=11
        chunk = b"".join(frames)
        if outer:
            with store.transaction():
                events = pair.initiator.receive_data(chunk, pair.clock.now)
        else:
            events = pair.initiator.receive_data(chunk, pair.clock.now)
        sent = split_frames(pair.initiator.data_to_send())
        numbers = committed_numbers(path)
        store.database.close()
        return [comparable(e) for e in events], sent, numbers

    nested = run(tmp_path / "nested.sqlite", outer=False)
    joined = run(tmp_path / "joined.sqlite", outer=True)
    assert joined == nested
    events, sent, numbers = joined
    assert [e if isinstance(e, tuple) else type(e).__name__ for e in events] == [
        (2, "a"),
        "GapDetected",
        "ResendRequestSent",
        (3, "b"),
        "RejectSent",
        (5, "gap"),
    ]
    assert [parse_frame(f).msg_type for f in sent] == ["2", "0", "3"]
    assert numbers == (5, 7)
