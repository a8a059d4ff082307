"""What only the SQLite store does: keep everything across a reopen, share its file and its
transactions with the application's own tables, and refuse files it must not touch."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workstation.fix.database import SCHEMA_VERSION, Database, StoreError
from workstation.fix.sqlite_store import SqliteStore, open_store

T0 = 1_700_000_000.0
JOURNAL = ("CREATE TABLE IF NOT EXISTS journal (seq INTEGER PRIMARY KEY, text TEXT NOT NULL)",)


class Boom(Exception):
    """Raised inside a transaction to make it roll back."""


def committed(path: Path, sql: str) -> list[tuple[object, ...]]:
    """What another connection to the file sees: only committed rows."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def committed_target(path: Path) -> int:
    [(seq,)] = committed(path, "SELECT next_target FROM sessions")
    assert isinstance(seq, int)
    return seq


def test_everything_survives_closing_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = open_store(path, "TRADER", "KALSHI", T0)
    store.save_outbound(1, T0 + 1, b"one")
    store.save_outbound(2, T0 + 2, b"two")
    store.set_next_target_seq(8)
    store.database.close()

    again = open_store(path, "TRADER", "KALSHI", T0 + 999)
    assert again.next_sender_seq() == 3
    assert again.next_target_seq() == 8
    assert again.creation_time() == T0  # the session's, not the reopening's
    assert again.outbound_range(1, None) == [(1, b"one"), (2, b"two")]
    again.reset(T0 + 5000)
    again.database.close()

    third = open_store(path, "TRADER", "KALSHI", T0 + 9999)
    assert (third.next_sender_seq(), third.next_target_seq()) == (1, 1)
    assert third.creation_time() == T0 + 5000
    assert third.outbound_range(1, None) == []
    third.database.close()


def test_the_file_runs_in_wal_mode_with_normal_sync_and_foreign_keys(tmp_path: Path) -> None:
    with Database(tmp_path / "store.db") as db:
        execute = db.connection.execute
        assert execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert execute("PRAGMA synchronous").fetchone() == (1,)  # NORMAL
        assert execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert execute("PRAGMA busy_timeout").fetchone()[0] > 0
        assert execute(
            "SELECT version FROM schema_version WHERE component = 'store'"
        ).fetchall() == [(SCHEMA_VERSION,)]


def test_writes_outside_a_transaction_commit_at_once(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with Database(path) as db:
        store = SqliteStore(db, "TRADER", "KALSHI", T0)
        store.save_outbound(1, T0, b"one")
        store.set_next_target_seq(2)
        assert committed(path, "SELECT next_sender, next_target FROM sessions") == [(2, 2)]
        assert committed(path, "SELECT seq, message FROM outbound") == [(1, b"one")]


def test_the_target_number_commits_with_the_journal_row_and_not_before(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with Database(path) as db:
        db.ensure_schema("journal", 1, JOURNAL)
        store = SqliteStore(db, "TRADER", "KALSHI", T0)
        with store.transaction():
            for seq in (1, 2, 3):
                db.connection.execute("INSERT INTO journal VALUES (?, ?)", (seq, f"fill {seq}"))
                store.set_next_target_seq(seq + 1)
                assert store.next_target_seq() == seq + 1
            assert committed_target(path) == 1
            assert committed(path, "SELECT count(*) FROM journal") == [(0,)]
        assert committed_target(path) == 4
        assert committed(path, "SELECT seq FROM journal") == [(1,), (2,), (3,)]


def test_a_rolled_back_chunk_loses_the_journal_rows_and_the_target_number_together(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.db"
    with Database(path) as db:
        db.ensure_schema("journal", 1, JOURNAL)
        store = SqliteStore(db, "TRADER", "KALSHI", T0)
        store.set_next_target_seq(5)
        with pytest.raises(Boom), store.transaction():
            db.connection.execute("INSERT INTO journal VALUES (5, 'fill')")
            store.set_next_target_seq(6)
            store.save_outbound(1, T0, b"reply")
            raise Boom
        assert (store.next_target_seq(), store.next_sender_seq()) == (5, 1)
        assert committed_target(path) == 5
        assert committed(path, "SELECT count(*) FROM journal") == [(0,)]
        # The store goes on working after the rollback, and commits normally.
        with store.transaction():
            store.set_next_target_seq(6)
        assert committed_target(path) == 6


def test_an_inner_exception_caught_by_the_outer_block_still_rolls_everything_back(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store.db"
    with Database(path) as db:
        store = SqliteStore(db, "TRADER", "KALSHI", T0)
        with pytest.raises(StoreError, match="inner transaction"), store.transaction():
            store.set_next_target_seq(2)
            try:
                with store.transaction():
                    store.save_outbound(1, T0, b"one")
                    raise Boom
            except Boom:
                pass
            store.set_next_target_seq(3)
        assert (store.next_sender_seq(), store.next_target_seq()) == (1, 1)
        assert committed(path, "SELECT next_sender, next_target FROM sessions") == [(1, 1)]
        assert committed(path, "SELECT count(*) FROM outbound") == [(0,)]
        with store.transaction():  # the next transaction is a fresh one
            store.save_outbound(1, T0, b"one")
        assert committed(path, "SELECT count(*) FROM outbound") == [(1,)]


def test_illegal_calls_are_named(tmp_path: Path) -> None:
    db = Database(tmp_path / "store.db")
    with pytest.raises(StoreError, match="before_commit"):
        db.before_commit(lambda: None)
    with pytest.raises(StoreError, match="after_rollback"):
        db.after_rollback(lambda: None)
    with db.transaction():
        with pytest.raises(StoreError, match="inside a transaction"):
            SqliteStore(db, "TRADER", "KALSHI", T0)
        with pytest.raises(StoreError, match="close"):
            db.close()
    db.close()


def test_each_session_has_its_own_row(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with Database(path) as db:
        a = SqliteStore(db, "TRADER", "KALSHI", T0)
        b = SqliteStore(db, "TRADER2", "KALSHI", T0 + 1)
        with db.transaction():
            a.set_next_target_seq(10)
            b.set_next_target_seq(20)
            a.save_outbound(1, T0, b"a1")
        assert committed(
            path, "SELECT sender_comp_id, next_sender, next_target FROM sessions ORDER BY id"
        ) == [("TRADER", 2, 10), ("TRADER2", 1, 20)]


def test_another_component_gets_its_own_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with Database(path) as db:
        db.ensure_schema("journal", 1, JOURNAL)
        db.ensure_schema("journal", 1, JOURNAL)  # idempotent
    with Database(path) as db, pytest.raises(StoreError, match=r"journal tables .* version 1"):
        db.ensure_schema("journal", 2, JOURNAL)


def fingerprint(path: Path) -> tuple[bytes, list[str]]:
    return path.read_bytes(), sorted(os.listdir(path.parent))


def test_a_file_of_random_bytes_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "orders.db"
    path.write_bytes(os.urandom(8192))
    before = fingerprint(path)
    with pytest.raises(StoreError, match="not a SQLite database") as raised:
        open_store(path, "TRADER", "KALSHI", T0)
    assert str(path) in str(raised.value)
    assert fingerprint(path) == before


def test_a_sqlite_header_followed_by_garbage_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "orders.db"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    before = fingerprint(path)
    with pytest.raises(StoreError) as raised:
        Database(path)
    assert str(path) in str(raised.value)
    assert fingerprint(path) == before


NEWER_FILE = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "wal":
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA wal_autocheckpoint=0")
connection.execute("CREATE TABLE schema_version (component TEXT PRIMARY KEY, version INT)")
connection.execute("INSERT INTO schema_version VALUES ('store', ?)", (int(sys.argv[3]),))
connection.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, layout_from_the_future)")
os._exit(0)  # like a crash: a WAL file keeps the writes, nothing is checkpointed
"""


@pytest.mark.parametrize("journal", ["rollback", "wal"])
def test_a_newer_schema_version_is_refused_and_left_alone(tmp_path: Path, journal: str) -> None:
    path = tmp_path / "store.db"
    subprocess.run(
        [sys.executable, "-c", NEWER_FILE, str(path), journal, str(SCHEMA_VERSION + 1)],
        check=True,
    )
    if journal == "wal":
        assert (tmp_path / "store.db-wal").stat().st_size > 0
    before = fingerprint(path)
    with pytest.raises(StoreError, match="newer") as raised:
        open_store(path, "TRADER", "KALSHI", T0)
    assert str(path) in str(raised.value)
    assert fingerprint(path) == before


def test_an_older_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    with Database(path) as db:
        db.connection.execute("UPDATE schema_version SET version = 0 WHERE component = 'store'")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="no migration"):
        Database(path)
    # The read-only look may leave an empty write-ahead log beside it; the file is untouched.
    assert path.read_bytes() == before


def test_an_empty_file_becomes_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    path.touch()
    store = open_store(path, "TRADER", "KALSHI", T0)
    store.save_outbound(1, T0, b"one")
    store.database.close()
    assert committed(path, "SELECT seq FROM outbound") == [(1,)]


def test_a_file_that_cannot_be_created_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "store.db"
    with pytest.raises(StoreError, match="no such folder"):
        open_store(path, "TRADER", "KALSHI", T0)
