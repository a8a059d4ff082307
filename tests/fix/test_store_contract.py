"""The MessageStore contract, run against both stores: the in-memory one the session tests use
and the SQLite one the workstation and the simulator use. A differential test then drives both
with the same random operations and requires them to agree at every step."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.fix.database import Database
from workstation.fix.sqlite_store import SqliteStore
from workstation.fix.store import MemoryStore, MessageStore

OpenSession = Callable[[str, str, float], MessageStore]

T0 = 1_700_000_000.0


class Boom(Exception):
    """Raised inside a transaction to make it roll back."""


@pytest.fixture(params=["memory", "sqlite"])
def open_session(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[OpenSession]:
    """Opens the store of one session; all SQLite sessions of a test share one file."""
    if request.param == "memory":
        yield lambda sender, target, now: MemoryStore(now)
        return
    db = Database(tmp_path / "store.db")
    yield lambda sender, target, now: SqliteStore(db, sender, target, now)
    db.close()


@pytest.fixture
def store(open_session: OpenSession) -> MessageStore:
    return open_session("TRADER", "KALSHI", T0)


def msg(seq: int) -> bytes:
    return b"8=FIXT.1.1\x0135=D\x0134=" + str(seq).encode() + b"\x01"


def everything(store: MessageStore) -> tuple[int, int, float, list[tuple[int, bytes]]]:
    return (
        store.next_sender_seq(),
        store.next_target_seq(),
        store.creation_time(),
        store.outbound_range(1, None),
    )


def test_a_new_session_starts_at_one_with_its_creation_time(store: MessageStore) -> None:
    assert isinstance(store, MessageStore)
    assert everything(store) == (1, 1, T0, [])


def test_save_outbound_stores_the_message_and_advances_the_sender_number(
    store: MessageStore,
) -> None:
    store.save_outbound(1, T0 + 1, msg(1))
    store.save_outbound(2, T0 + 2, msg(2))
    assert store.next_sender_seq() == 3
    assert store.outbound_range(1, None) == [(1, msg(1)), (2, msg(2))]
    assert store.next_target_seq() == 1


def test_outbound_range_is_inclusive_ordered_and_skips_missing_numbers(
    store: MessageStore,
) -> None:
    for seq in (3, 1, 2, 7, 5):
        store.save_outbound(seq, T0, msg(seq))
    assert store.outbound_range(2, 5) == [(2, msg(2)), (3, msg(3)), (5, msg(5))]
    assert store.outbound_range(5, 5) == [(5, msg(5))]
    assert store.outbound_range(4, 4) == []
    assert store.outbound_range(6, None) == [(7, msg(7))]
    assert store.outbound_range(8, None) == []
    assert store.outbound_range(5, 2) == []
    assert [seq for seq, _ in store.outbound_range(0, None)] == [1, 2, 3, 5, 7]
    # The sender number follows the last save, not the highest number stored.
    assert store.next_sender_seq() == 6


def test_saving_a_number_again_replaces_the_message(store: MessageStore) -> None:
    store.save_outbound(1, T0, msg(1))
    store.save_outbound(2, T0, msg(2))
    store.save_outbound(2, T0 + 5, b"replacement")
    assert store.outbound_range(1, None) == [(1, msg(1)), (2, b"replacement")]
    assert store.next_sender_seq() == 3


def test_messages_come_back_byte_for_byte(store: MessageStore) -> None:
    every_byte = bytes(range(256)) * 4
    store.save_outbound(1, T0, every_byte)
    [(seq, message)] = store.outbound_range(1, 1)
    assert (seq, message) == (1, every_byte)
    assert type(message) is bytes


def test_sequence_numbers_can_be_set(store: MessageStore) -> None:
    store.set_next_sender_seq(40)
    store.set_next_target_seq(17)
    assert (store.next_sender_seq(), store.next_target_seq()) == (40, 17)
    store.set_next_target_seq(18)
    assert store.next_target_seq() == 18


def test_reset_starts_a_new_sequence(store: MessageStore) -> None:
    for seq in (1, 2, 3):
        store.save_outbound(seq, T0, msg(seq))
    store.set_next_target_seq(9)
    store.reset(T0 + 3600)
    assert everything(store) == (1, 1, T0 + 3600, [])
    store.save_outbound(1, T0 + 3601, b"new")
    assert store.outbound_range(1, None) == [(1, b"new")]


def test_prune_drops_messages_sent_before_the_cutoff(store: MessageStore) -> None:
    retention = 24 * 3600.0
    for seq in range(1, 6):
        store.save_outbound(seq, T0 + seq * 3600, msg(seq))
    now = T0 + 3 * 3600 + retention
    assert store.prune(now - retention) == 2
    assert [seq for seq, _ in store.outbound_range(1, None)] == [3, 4, 5]
    assert store.prune(now - retention) == 0
    assert store.next_sender_seq() == 6
    assert store.creation_time() == T0


def test_a_transaction_keeps_all_its_writes(store: MessageStore) -> None:
    with store.transaction():
        store.save_outbound(1, T0, msg(1))
        with store.transaction():
            store.set_next_target_seq(5)
            with store.transaction():
                store.save_outbound(2, T0, msg(2))
            assert store.next_target_seq() == 5
        store.set_next_target_seq(6)
        assert store.next_sender_seq() == 3
    assert everything(store) == (3, 6, T0, [(1, msg(1)), (2, msg(2))])


def test_an_exception_rolls_the_whole_transaction_back(store: MessageStore) -> None:
    store.save_outbound(1, T0, msg(1))
    store.save_outbound(2, T0, msg(2))
    store.set_next_target_seq(4)
    before = everything(store)
    with pytest.raises(Boom), store.transaction():
        store.save_outbound(3, T0, msg(3))
        store.save_outbound(1, T0, b"overwritten")
        with store.transaction():
            store.set_next_target_seq(10)
            store.set_next_sender_seq(50)
        assert store.next_target_seq() == 10
        raise Boom
    assert everything(store) == before


def test_an_exception_from_an_inner_transaction_rolls_back_the_outer_one(
    store: MessageStore,
) -> None:
    store.set_next_target_seq(4)
    with pytest.raises(Boom), store.transaction():
        store.set_next_target_seq(5)
        with store.transaction():
            store.save_outbound(1, T0, msg(1))
            raise Boom
    assert everything(store) == (1, 4, T0, [])


def test_reset_and_prune_roll_back_too(store: MessageStore) -> None:
    for seq in (1, 2, 3):
        store.save_outbound(seq, T0 + seq, msg(seq))
    store.set_next_target_seq(7)
    before = everything(store)
    with pytest.raises(Boom), store.transaction():
        assert store.prune(T0 + 2.5) == 2
        store.reset(T0 + 100)
        store.save_outbound(1, T0 + 101, b"after reset")
        raise Boom
    assert everything(store) == before


def test_sessions_never_touch_each_other(open_session: OpenSession) -> None:
    a = open_session("TRADER", "KALSHI", T0)
    b = open_session("TRADER", "KALSHI-DC", T0 + 1)
    c = open_session("KALSHI", "TRADER", T0 + 2)
    for seq in (1, 2, 3):
        a.save_outbound(seq, T0 + seq, b"a" + msg(seq))
    b.save_outbound(1, T0, b"b1")
    c.set_next_target_seq(30)
    assert everything(b) == (2, 1, T0 + 1, [(1, b"b1")])
    assert everything(c) == (1, 30, T0 + 2, [])
    a.reset(T0 + 50)
    assert b.prune(T0 + 10) == 1
    assert everything(a) == (1, 1, T0 + 50, [])
    assert everything(b) == (2, 1, T0 + 1, [])
    assert everything(c) == (1, 30, T0 + 2, [])
    c.save_outbound(1, T0, b"c1")
    assert a.outbound_range(1, None) == []
    assert b.outbound_range(1, None) == []


# --- Both stores driven with the same random operations ---------------------------------

seqs = st.integers(min_value=1, max_value=12)
times = st.integers(min_value=0, max_value=100).map(lambda t: T0 + t)
plain_ops = st.one_of(
    st.tuples(
        st.just("save"), st.integers(min_value=-3, max_value=0), times, st.binary(max_size=8)
    ),
    st.tuples(st.just("set_sender"), seqs),
    st.tuples(st.just("set_target"), seqs),
    st.tuples(st.just("reset"), times),
    st.tuples(st.just("prune"), times),
    st.tuples(st.just("range"), seqs, st.none() | seqs),
)
ops = st.recursive(
    plain_ops,
    lambda inner: st.tuples(st.just("transaction"), st.lists(inner, max_size=6), st.booleans()),
    max_leaves=20,
)


def apply(store: MessageStore, op: tuple[Any, ...], seen: list[object]) -> None:
    """Perform ``op`` on ``store`` and append what it returned and what the store then holds."""
    kind = op[0]
    if kind == "save":
        seq = max(1, store.next_sender_seq() + op[1])
        store.save_outbound(seq, op[2], op[3])
    elif kind == "set_sender":
        store.set_next_sender_seq(op[1])
    elif kind == "set_target":
        store.set_next_target_seq(op[1])
    elif kind == "reset":
        store.reset(op[1])
    elif kind == "prune":
        seen.append(store.prune(op[1]))
    elif kind == "range":
        seen.append(store.outbound_range(op[1], op[2]))
    else:
        with store.transaction():
            for inner in op[1]:
                apply(store, inner, seen)
            if op[2]:
                raise Boom
    seen.append(everything(store))


@settings(max_examples=60, deadline=None)
@given(st.lists(ops, max_size=12))
def test_both_stores_agree_on_random_operations(program: list[tuple[Any, ...]]) -> None:
    with tempfile.TemporaryDirectory() as folder, Database(Path(folder) / "s.db") as db:
        stores: list[MessageStore] = [MemoryStore(T0), SqliteStore(db, "A", "B", T0)]
        traces: list[list[object]] = [[], []]
        for op in program:
            for store, seen in zip(stores, traces, strict=True):
                try:
                    apply(store, op, seen)
                except Boom:
                    seen.append(("rolled back", everything(store)))
            assert traces[0] == traces[1]
        reopened = SqliteStore(db, "A", "B", T0 + 1000)
        assert everything(reopened) == everything(stores[0])


def open_transaction(store: MessageStore) -> bool:
    """``in_transaction``: optional, so not in the Protocol; both stores here have it."""
    assert isinstance(store, MemoryStore | SqliteStore)
    return store.in_transaction


def test_in_transaction_says_whether_writes_join_an_open_transaction(store: MessageStore) -> None:
    assert open_transaction(store) is False
    with store.transaction():
        assert open_transaction(store) is True
        with store.transaction():
            assert open_transaction(store) is True
    assert open_transaction(store) is False
    with pytest.raises(Boom), store.transaction():
        raise Boom
    assert open_transaction(store) is False
