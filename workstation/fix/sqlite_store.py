"""A durable :class:`~workstation.fix.store.MessageStore` in a SQLite file.

Each session has one row in ``sessions`` (keyed by SenderCompID and TargetCompID, holding the
next sender and target sequence numbers and the session's creation time) and its outbound
messages in ``outbound`` (keyed by that row and the sequence number). Several sessions share a
file without touching each other's rows.

Every write commits by itself outside a transaction and joins the transaction inside one
(:meth:`SqliteStore.transaction`, the file's :meth:`Database.transaction`). ``save_outbound``
writes the message and the next sender number in one transaction, so the message is on disk
before its bytes reach the transport. Inside a transaction, ``set_next_target_seq`` keeps the
number in memory and writes it once, just before the outermost transaction commits, so a read
chunk of many inbound messages costs one UPDATE; the journal rows the application writes in
the same transaction commit with it or not at all. The numbers are cached in memory and
reloaded from the file when a transaction rolls back, so what is read back is always what is
(or is about to be) committed.

One store object per session and file: two objects for the same session would each trust
their own cached numbers.
"""

from __future__ import annotations

import contextlib
import os

from workstation.fix.database import Database, StoreError

__all__ = ["SqliteStore", "open_store"]


class SqliteStore:
    """The sequence numbers and outbound messages of one session, kept in ``db``.

    A session seen for the first time starts at 1/1 with creation time ``now``; a known one
    continues where it left off. Create it outside any transaction.
    """

    def __init__(self, db: Database, sender_comp_id: str, target_comp_id: str, now: float) -> None:
        if db.in_transaction:
            raise StoreError(f"{db.path}: SqliteStore() created inside a transaction")
        self.database = db
        self.sender_comp_id = sender_comp_id
        self.target_comp_id = target_comp_id
        self._connection = db.connection
        with db.transaction():
            self._connection.execute(
                "INSERT OR IGNORE INTO sessions"
                " (sender_comp_id, target_comp_id, next_sender, next_target, creation_time)"
                " VALUES (?, ?, 1, 1, ?)",
                (sender_comp_id, target_comp_id, now),
            )
            row = self._connection.execute(
                "SELECT id, next_sender, next_target, creation_time FROM sessions"
                " WHERE sender_comp_id = ? AND target_comp_id = ?",
                (sender_comp_id, target_comp_id),
            ).fetchone()
        self._id: int = row[0]
        self._sender: int = row[1]
        self._target: int = row[2]
        self._created: float = row[3]
        self._target_pending = False

    def __repr__(self) -> str:
        return (
            f"SqliteStore({self.sender_comp_id!r} -> {self.target_comp_id!r}, "
            f"{str(self.database.path)!r})"
        )

    def next_sender_seq(self) -> int:
        return self._sender

    def next_target_seq(self) -> int:
        return self._target

    def set_next_sender_seq(self, seq: int) -> None:
        with self.database.transaction():
            self.database.after_rollback(self._load)
            self._connection.execute(
                "UPDATE sessions SET next_sender = ? WHERE id = ?", (seq, self._id)
            )
        self._sender = seq

    def set_next_target_seq(self, seq: int) -> None:
        if self.database.in_transaction:
            self._target = seq
            if not self._target_pending:
                self._target_pending = True
                self.database.before_commit(self._flush_target)
                self.database.after_rollback(self._load)
            return
        self._connection.execute(
            "UPDATE sessions SET next_target = ? WHERE id = ?", (seq, self._id)
        )
        self._target = seq

    def save_outbound(self, seq: int, sending_time: float, message: bytes) -> None:
        """Store ``message`` as number ``seq`` and set the next sender number to ``seq + 1``,
        both in one transaction."""
        with self.database.transaction():
            self.database.after_rollback(self._load)
            self._connection.execute(
                "INSERT OR REPLACE INTO outbound (session_id, seq, sending_time, message)"
                " VALUES (?, ?, ?, ?)",
                (self._id, seq, sending_time, message),
            )
            self._connection.execute(
                "UPDATE sessions SET next_sender = ? WHERE id = ?", (seq + 1, self._id)
            )
        self._sender = seq + 1

    def outbound_range(self, begin: int, end: int | None) -> list[tuple[int, bytes]]:
        if end is None:
            cursor = self._connection.execute(
                "SELECT seq, message FROM outbound WHERE session_id = ? AND seq >= ? ORDER BY seq",
                (self._id, begin),
            )
        else:
            cursor = self._connection.execute(
                "SELECT seq, message FROM outbound WHERE session_id = ? AND seq BETWEEN ? AND ?"
                " ORDER BY seq",
                (self._id, begin, end),
            )
        return [(seq, bytes(message)) for seq, message in cursor]

    def creation_time(self) -> float:
        return self._created

    def reset(self, now: float) -> None:
        with self.database.transaction():
            self.database.after_rollback(self._load)
            self._connection.execute("DELETE FROM outbound WHERE session_id = ?", (self._id,))
            self._connection.execute(
                "UPDATE sessions SET next_sender = 1, next_target = 1, creation_time = ?"
                " WHERE id = ?",
                (now, self._id),
            )
        self._sender = 1
        self._target = 1
        self._created = now

    def prune(self, older_than: float) -> int:
        cursor = self._connection.execute(
            "DELETE FROM outbound WHERE session_id = ? AND sending_time < ?",
            (self._id, older_than),
        )
        return cursor.rowcount

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        return self.database.transaction()

    @property
    def in_transaction(self) -> bool:
        """A transaction of the file is open: writes join it (see ``MemoryStore``)."""
        return self.database.in_transaction

    def _flush_target(self) -> None:
        self._connection.execute(
            "UPDATE sessions SET next_target = ? WHERE id = ?", (self._target, self._id)
        )
        self._target_pending = False

    def _load(self) -> None:
        row = self._connection.execute(
            "SELECT next_sender, next_target, creation_time FROM sessions WHERE id = ?",
            (self._id,),
        ).fetchone()
        if row is None:
            raise StoreError(
                f"{self.database.path}: the session row of {self.sender_comp_id} -> "
                f"{self.target_comp_id} has gone"
            )
        self._sender, self._target, self._created = row
        self._target_pending = False


def open_store(
    path: str | os.PathLike[str], sender_comp_id: str, target_comp_id: str, now: float
) -> SqliteStore:
    """Open (or create) the database at ``path`` and the store of one session in it; close it
    with ``store.database.close()``."""
    db = Database(path)
    try:
        return SqliteStore(db, sender_comp_id, target_comp_id, now)
    except BaseException:
        db.close()
        raise
