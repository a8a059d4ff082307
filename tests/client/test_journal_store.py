"""The journal's tables on a real SQLite file: what goes in comes back in order, ExecIDs are
keyed numerically per venue and account, rows commit with the inbound sequence number or not
at all, bad files are refused byte for byte untouched, and a full database is reported."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from pathlib import Path

import pytest

from workstation.client.config import WorkstationConfig
from workstation.client.desk import DATABASE_FILE, Desk
from workstation.client.journal import (
    InboundEntry,
    Journal,
    JournalFailed,
    JournalRefused,
    NoteEntry,
    NoteKind,
    SentEntry,
)
from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.database import Database
from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.sqlite_store import SqliteStore
from workstation.trading.ticket import Intent

VENUE = "local:abc"


def frame(msg_type: str, seq: int, body: list[tuple[int, str]]) -> FixMessage:
    header = [(49, "KalshiNR"), (56, "key"), (34, str(seq)), (52, "20261124-12:00:00.000")]
    return parse_frame(encode_message(msg_type, header, body))


def report(seq: int, exec_id: str) -> FixMessage:
    return frame("8", seq, [(37, "o1"), (11, "c1"), (17, exec_id), (150, "F"), (39, "1")])


def inbound(journal: Journal, msg: FixMessage, *, venue: str = VENUE, account: str = "a") -> int:
    return journal.record_inbound(
        venue=venue,
        account=account,
        session=SessionType.NR,
        price_format=PriceFormat.CENTS,
        message=msg,
        received_at=100.0 + (msg.seq_num or 0),
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_entries_come_back_in_the_order_they_happened(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.db")
    try:
        first = inbound(journal, report(1, "5;1"))
        sent = journal.record_sent(
            venue=VENUE,
            account="a",
            session=SessionType.NR,
            price_format=PriceFormat.DOLLARS,
            msg_type="D",
            body=[(11, "c2"), (55, "KX-1"), (44, "0.3000")],
            sent_at=200.5,
            seq_num=7,
            intent=Intent.BUY_NO,
        )
        note = journal.record_note(
            venue=VENUE, account="a", kind=NoteKind.ORDER_UNKNOWN, at=201.0, subject="c2", text="t"
        )
        last = inbound(journal, report(2, "5;2"))
        inbound(journal, report(3, "5;3"), venue="demo:host")  # another venue's
        entries = list(journal.entries(VENUE))
    finally:
        journal.close()
    assert [e.row_id for e in entries] == [first, sent, note, last]
    assert first < sent < note < last
    a, b, c, d = entries
    assert isinstance(a, InboundEntry) and a.message().get(17) == "5;1" and a.seq_num == 1
    assert isinstance(b, SentEntry)
    assert b.intent is Intent.BUY_NO and b.seq_num == 7 and b.price_format is PriceFormat.DOLLARS
    assert b.message().fields == [(35, "D"), (11, "c2"), (55, "KX-1"), (44, "0.3000")]
    assert isinstance(c, NoteEntry) and (c.kind, c.subject, c.text) == (
        NoteKind.ORDER_UNKNOWN,
        "c2",
        "t",
    )
    assert isinstance(d, InboundEntry) and d.received_at == 102.0


def test_rows_survive_reopening_and_ids_keep_rising(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = Journal.open(path)
    inbound(journal, report(1, "5;1"))
    journal.close()
    journal = Journal.open(path)
    try:
        later = inbound(journal, report(2, "5;2"))
        assert [e.row_id for e in journal.entries(VENUE)] == [1, later]
        assert later == 2
    finally:
        journal.close()


def test_newest_exec_id_is_numeric_per_venue_and_account(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.db")
    try:
        inbound(journal, report(1, "9;5"))
        inbound(journal, report(2, "10;1"))  # newer than 9;5 as numbers, older as text
        inbound(journal, report(3, "-1;-1"))  # pending: never keyed
        inbound(journal, report(4, "99;1"), account="other")
        inbound(journal, report(5, "98;1"), venue="demo:host")
        inbound(journal, frame("UMS", 6, [(20105, "s1"), (55, "KX")]))
        assert journal.newest_exec_id(VENUE, "a") == ExecId(10, 1)
        assert journal.exec_ids(VENUE, "a") == [ExecId(9, 5), ExecId(10, 1)]
        assert journal.newest_exec_id(VENUE, "nobody") is None
    finally:
        journal.close()


def test_secrets_are_redacted_in_the_journal(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.db")
    try:
        inbound(journal, frame("UMS", 1, [(95, "6"), (96, "secret"), (55, "KX")]))
        (entry,) = journal.entries(VENUE)
        assert isinstance(entry, InboundEntry)
        assert b"secret" not in entry.raw and b"96=******" in entry.raw
    finally:
        journal.close()


def test_withdrawn_and_renumbered_sends(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.db")
    try:

        def send(cl_ord_id: str) -> int:
            return journal.record_sent(
                venue=VENUE,
                account="a",
                session=SessionType.RT,
                price_format=PriceFormat.CENTS,
                msg_type="F",
                body=[(11, cl_ord_id)],
                sent_at=1.0,
                seq_num=3,
            )

        kept, dropped = send("c1"), send("c2")
        journal.withdraw(dropped)
        journal.set_seq_num(kept, 4)
        (entry,) = journal.entries(VENUE)
        assert isinstance(entry, SentEntry) and entry.seq_num == 4 and entry.row_id == kept
    finally:
        journal.close()


def test_an_inbound_row_commits_with_the_sequence_number_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    journal = Journal.open(path)
    store = SqliteStore(journal.database, "key", "KalshiNR", 0.0)
    with journal.database.transaction():  # a read chunk that is applied
        store.set_next_target_seq(2)
        inbound(journal, report(1, "5;1"))
    with pytest.raises(RuntimeError), journal.database.transaction():  # one that fails
        store.set_next_target_seq(3)
        inbound(journal, report(2, "5;2"))
        raise RuntimeError("the application failed")
    journal.close()
    journal = Journal.open(path)
    try:
        store = SqliteStore(journal.database, "key", "KalshiNR", 0.0)
        assert store.next_target_seq() == 2
        assert journal.exec_ids(VENUE, "a") == [ExecId(5, 1)]
    finally:
        journal.close()


def test_a_full_database_is_reported(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.db")
    try:
        connection = journal.database.connection
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(JournalFailed, match="full"):
            for seq in range(1, 2000):  # bounded: the last page fills after a few rows
                inbound(journal, report(seq, f"5;{seq}"))
    finally:
        journal.close()


# ---------------------------------------------------------------------------- bad files


def make_journal(path: Path) -> None:
    journal = Journal.open(path)
    for seq in range(1, 40):
        inbound(journal, report(seq, f"5;{seq}"))
    journal.close()  # the last connection checkpoints: everything is in the file itself


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    path.write_bytes(b"PK\x03\x04 a zip file, or anything else, but not a journal" * 50)
    before, listing = digest(path), sorted(tmp_path.iterdir())
    with pytest.raises(JournalRefused, match="not a SQLite database") as refused:
        Journal.open(path)
    assert "left untouched" in str(refused.value) and str(path) in str(refused.value)
    assert digest(path) == before and sorted(tmp_path.iterdir()) == listing


def test_a_newer_journal_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    make_journal(path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_version SET version = 2 WHERE component = 'journal'")
    connection.close()
    before, listing = digest(path), sorted(tmp_path.iterdir())
    with pytest.raises(JournalRefused, match="newer version") as refused:
        Journal.open(path)
    assert "journal version 2" in str(refused.value)
    assert digest(path) == before and sorted(tmp_path.iterdir()) == listing


def test_a_damaged_journal_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    make_journal(path)
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = bytes((i * 37 + 11) % 256 for i in range(len(data) - page))  # all but page 1
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(JournalRefused, match=r"damaged|malformed|not a usable"):
        Journal.open(path)
    assert digest(path) == before


def test_the_desk_refuses_to_start_on_a_bad_journal(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_FILE
    make_journal(path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_version SET version = 99 WHERE component = 'journal'")
    connection.close()
    before = digest(path)

    async def scenario() -> None:
        desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False)
        try:
            with pytest.raises(JournalRefused, match="newer version"):
                await desk.start()
            assert desk.local is None  # refused before the venue or any session started
        finally:
            await desk.stop()

    asyncio.run(scenario())
    assert digest(path) == before


def test_a_store_database_opened_elsewhere_gets_the_journal_tables(tmp_path: Path) -> None:
    path = tmp_path / "j.db"
    Database(path).close()  # a file with only the session stores' tables
    journal = Journal.open(path)
    try:
        assert journal.count() == (0, 0)
    finally:
        journal.close()


def test_rows_of_a_read_chunk_go_in_at_its_commit_and_leave_with_its_rollback(
    tmp_path: Path,
) -> None:
    """Inside the chunk's transaction inbound rows are written together just before it
    commits, yet every read inside it already sees them; a rolled-back chunk leaves none."""
    journal = Journal.open(tmp_path / "j.db")
    database = journal.database
    try:
        with database.transaction():
            inbound(journal, report(1, "5;1"))
            inbound(journal, report(2, "5;2"))
            assert journal.newest_exec_id(VENUE, "a") == ExecId(5, 2)  # seen before commit
            inbound(journal, report(3, "5;3"))
        with pytest.raises(RuntimeError), database.transaction():
            inbound(journal, report(4, "6;1"))
            raise RuntimeError("the application failed to apply the chunk")
        with database.transaction():
            inbound(journal, report(5, "7;1"))
        held = [ExecId(5, 1), ExecId(5, 2), ExecId(5, 3), ExecId(7, 1)]
        assert journal.exec_ids(VENUE, "a") == held
        assert [e.seq_num for e in journal.entries(VENUE) if isinstance(e, InboundEntry)] == [
            1,
            2,
            3,
            5,
        ]
    finally:
        journal.close()
    reopened = Journal.open(tmp_path / "j.db")
    try:
        assert reopened.count(VENUE) == (4, 0)
    finally:
        reopened.close()


def test_a_chunk_whose_rows_cannot_be_written_fails_at_commit_and_says_so(
    tmp_path: Path,
) -> None:
    journal = Journal.open(tmp_path / "j.db")
    failures: list[str] = []
    journal.on_failure = failures.append
    try:
        connection = journal.database.connection
        connection.execute(  # every inbound row is refused, as a full disk would
            "CREATE TEMP TRIGGER full BEFORE INSERT ON journal_in"
            " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
        with (
            pytest.raises(JournalFailed, match="could not be written: database or disk is full"),
            journal.database.transaction(),
        ):
            inbound(journal, report(1, "5;1"))  # held: nothing fails yet
            assert not failures
        assert len(failures) == 1 and "disk is full" in failures[0]
        connection.execute("DROP TRIGGER full")
        assert journal.count(VENUE) == (0, 0)
    finally:
        journal.close()
