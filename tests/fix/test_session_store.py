"""How the session uses its store: store before send, the inbound number per accepted message,
session messages stored too, one transaction per inbound frame."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from workstation.fix.codec import parse_frame
from workstation.fix.dialect import SessionType
from workstation.fix.events import CloseReason, SessionClosed
from workstation.fix.session import Role, SessionState
from workstation.fix.sqlite_store import open_store
from workstation.fix.store import MemoryStore
from workstation.fix.testing import API_KEY, START_TIME, SessionPair


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
