"""The workstation's journal: what arrived, what we sent and what we concluded, in order.

The journal lives in the same SQLite file as the FIX session stores (the Desk's
``sessions.db``), so one transaction can hold both. Three tables (``journal_schema``):

``journal_in``
    every inbound application message, with its venue, account, session type, MsgSeqNum,
    when it arrived, the session's price format and the raw frame (RawData redacted). An
    ExecutionReport's real ExecID is kept in three integer columns, indexed with the venue
    and account: fills are keyed by (venue, account, ExecID) (DECISIONS.md "Identity of
    fills"), and drop copy asks from the newest one held.
``journal_out``
    every message the trader's actions sent (kind ``sent``: MsgType, body, MsgSeqNum, price
    format and, for orders, the trader's intent), written *before* the bytes go out; and the
    workstation's own conclusions (an order marked Unknown, maker quotes expired, a drop-copy
    replay owed from an ExecID and then done), which change the state without a message and
    must replay in the same place.
``journal_meta``
    the journal's version and creation time.

Rows of both tables take their ids from one counter, so reading them back by id gives the
order in which they happened. An inbound row is written from the Desk's message callback,
which runs inside the store transaction of the read chunk (``net.connection``): the row and
the session's inbound sequence number commit together or not at all, which is what makes a
``kill -9`` at any instant safe.

Bad files: a file that is not a SQLite database, is damaged, or whose tables were written by
a newer version is refused with :class:`JournalRefused` before anything writes to it, so it
is left exactly as it was. A write that fails (``database or disk is full``, an I/O error)
raises :class:`JournalFailed`; the Desk then blocks trading rather than carry on unjournaled.
"""

from __future__ import annotations

import heapq
import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from workstation.client.journal_schema import JOURNAL_COMPONENT, JOURNAL_TABLES, JOURNAL_VERSION
from workstation.fix.codec import parse_frame
from workstation.fix.database import Database, StoreError
from workstation.fix.describe import redact
from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.values import FieldFormatError
from workstation.trading.ticket import Intent

__all__ = [
    "InboundEntry",
    "Journal",
    "JournalEntry",
    "JournalFailed",
    "JournalRefused",
    "NoteEntry",
    "NoteKind",
    "SentEntry",
]

_SQLITE_HEADER = b"SQLite format 3\x00"
_SENT = "sent"


class JournalRefused(Exception):
    """The journal file cannot be used (not SQLite, damaged, or from a newer version). It was
    left untouched; the message names the file, the problem and what the trader can do."""


_INSERT_IN = (
    "INSERT INTO journal_in (id, venue, account, session_type, msg_seq_num, received_at,"
    " msg_type, price_format, exec_clock, exec_event, exec_index, raw)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class JournalFailed(Exception):
    """A journal write failed (disk full, I/O error): nothing more may be sent unjournaled.
    The message says what failed and why."""


class NoteKind(StrEnum):
    """A conclusion the workstation reached by itself, journaled so a replay reaches it too."""

    ORDER_UNKNOWN = "order_unknown"  #: an order's outcome became unknown (subject: ClOrdID)
    QUOTES_EXPIRED = "quotes_expired"  #: accepted maker quotes past their confirm window
    #: drop copy owes us every report from this ExecID on (subject), until HEAL_DONE
    HEAL_OWED = "heal_owed"
    HEAL_DONE = "heal_done"  #: drop copy answered (U2), or refused for good (U3)
    #: a settlement KalshiPT could not resend, read from REST (subject: Symbol; text: the
    #: UMS body it stands for, as JSON pairs)
    SETTLEMENT_RECOVERED = "settlement_recovered"
    #: the REST settlement history was read up to this entry's time
    SETTLEMENTS_CHECKED = "settlements_checked"


@dataclass(frozen=True, slots=True, kw_only=True)
class InboundEntry:
    """An application message as it arrived."""

    row_id: int
    venue: str
    account: str
    session: SessionType
    seq_num: int | None
    received_at: float
    msg_type: str
    price_format: PriceFormat
    raw: bytes  #: the frame, RawData redacted

    def message(self) -> FixMessage:
        return parse_frame(self.raw)


@dataclass(frozen=True, slots=True, kw_only=True)
class SentEntry:
    """A message one of the trader's actions sent (written before it was sent)."""

    row_id: int
    venue: str
    account: str
    session: SessionType
    sent_at: float
    msg_type: str
    seq_num: int | None
    price_format: PriceFormat
    body: tuple[tuple[int, str], ...]
    intent: Intent | None = None  #: what the trader meant by an order (the ticket's words)

    def message(self) -> FixMessage:
        """The message as the typed parsers read it (MsgType and body, no header)."""
        return FixMessage([(35, self.msg_type), *self.body])


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteEntry:
    """A conclusion the workstation reached without a message (see :class:`NoteKind`)."""

    row_id: int
    venue: str
    account: str
    at: float
    kind: NoteKind
    subject: str = ""
    text: str = ""


JournalEntry = InboundEntry | SentEntry | NoteEntry


class Journal:
    """The journal tables of one open :class:`Database`; see the module docstring.

    Use :meth:`open` to open a file (refusing a bad one untouched); the constructor takes a
    database that is already open. Use from one thread only.
    """

    def __init__(self, database: Database) -> None:
        self.database = database
        self.path = database.path
        #: Called with the reason when a write fails (the Desk blocks trading); the write
        #: also raises :class:`JournalFailed`.
        self.on_failure: Callable[[str], None] | None = None
        self._pending_in: list[tuple[object, ...]] = []  # inbound rows of the open transaction
        try:
            database.ensure_schema(JOURNAL_COMPONENT, JOURNAL_VERSION, JOURNAL_TABLES)
            with database.transaction():
                database.connection.execute(
                    "INSERT OR IGNORE INTO journal_meta (key, value) VALUES ('version', ?)",
                    (str(JOURNAL_VERSION),),
                )
                database.connection.execute(
                    "INSERT OR IGNORE INTO journal_meta (key, value) VALUES ('created_at', ?)",
                    (repr(time.time()),),
                )
            self._next_id = 1 + max(
                self._scalar("SELECT COALESCE(MAX(id), 0) FROM journal_in"),
                self._scalar("SELECT COALESCE(MAX(id), 0) FROM journal_out"),
            )
        except StoreError as exc:
            raise JournalRefused(_refusal(self.path, str(exc))) from None
        except sqlite3.DatabaseError as exc:
            raise JournalRefused(_refusal(self.path, f"{self.path}: {exc}")) from None

    @classmethod
    def open(cls, path: Path) -> Journal:
        """Open (or create) the journal at ``path``; :class:`JournalRefused` for a bad file,
        which is checked read-only first and never written."""
        _inspect(path)
        try:
            database = Database(path)
        except StoreError as exc:
            raise JournalRefused(_refusal(path, str(exc))) from None
        try:
            return cls(database)
        except BaseException:
            database.close()
            raise

    def close(self) -> None:
        self.database.close()

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # ------------------------------------------------------------------ writing

    def record_inbound(
        self,
        *,
        venue: str,
        account: str,
        session: SessionType,
        price_format: PriceFormat,
        message: FixMessage,
        received_at: float,
    ) -> int:
        """Journal one inbound application message; returns its row id."""
        exec_id = _real_exec_id(message)
        clock, event, index = (
            (None, None, None)
            if exec_id is None
            else (
                exec_id.clock,
                exec_id.event,
                exec_id.exchange,
            )
        )
        row_id = self._next_id
        self._next_id += 1
        row = (
            row_id,
            venue,
            account,
            session.value,
            message.seq_num,
            received_at,
            message.msg_type,
            price_format.value,
            clock,
            event,
            index,
            redact(message.raw),
        )
        if not self.database.in_transaction:
            self._write(_INSERT_IN, row)
            return row_id
        # Inside the read chunk's transaction: the chunk's rows go in with one executemany
        # just before it commits (several times cheaper than one INSERT each).
        if not self._pending_in:
            self.database.before_commit(self._flush_inbound)
            self.database.after_rollback(self._drop_inbound)
        self._pending_in.append(row)
        return row_id

    def record_sent(
        self,
        *,
        venue: str,
        account: str,
        session: SessionType,
        price_format: PriceFormat,
        msg_type: str,
        body: Sequence[tuple[int, str]],
        sent_at: float,
        seq_num: int | None,
        intent: Intent | None = None,
    ) -> int:
        """Journal a message about to be sent (``seq_num``: the MsgSeqNum it should get)."""
        return self._insert(
            "INSERT INTO journal_out (id, venue, account, session_type, at, kind, msg_type,"
            " msg_seq_num, price_format, body, intent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            lambda row_id: (
                row_id,
                venue,
                account,
                session.value,
                sent_at,
                _SENT,
                msg_type,
                seq_num,
                price_format.value,
                json.dumps([[tag, value] for tag, value in body]),
                None if intent is None else intent.name,
            ),
        )

    def set_seq_num(self, row_id: int, seq_num: int) -> None:
        """The message of ``row_id`` went out with another MsgSeqNum than expected."""
        self._write("UPDATE journal_out SET msg_seq_num = ? WHERE id = ?", (seq_num, row_id))

    def withdraw(self, row_id: int) -> None:
        """The message of ``row_id`` was not sent after all (the session went offline)."""
        self._write("DELETE FROM journal_out WHERE id = ?", (row_id,))

    def record_note(
        self,
        *,
        venue: str,
        account: str,
        kind: NoteKind,
        at: float,
        subject: str = "",
        text: str = "",
    ) -> int:
        """Journal a conclusion of the workstation's own (see :class:`NoteKind`)."""
        return self._insert(
            "INSERT INTO journal_out (id, venue, account, session_type, at, kind, subject, note)"
            " VALUES (?, ?, ?, '', ?, ?, ?, ?)",
            lambda row_id: (row_id, venue, account, at, kind.value, subject, text),
        )

    # ------------------------------------------------------------------ reading

    def entries(self, venue: str) -> Iterator[JournalEntry]:
        """Every entry of ``venue``, in the order it was journaled. :class:`JournalRefused`
        if the file turns out to be damaged."""
        self._flush_inbound()
        try:
            inbound = self.database.connection.execute(
                "SELECT id, account, session_type, msg_seq_num, received_at, msg_type,"
                " price_format, raw FROM journal_in WHERE venue = ? ORDER BY id",
                (venue,),
            ).fetchall()
            outbound = self.database.connection.execute(
                "SELECT id, account, session_type, at, kind, msg_type, msg_seq_num,"
                " price_format, body, intent, subject, note FROM journal_out"
                " WHERE venue = ? ORDER BY id",
                (venue,),
            ).fetchall()
            ins = (_inbound(venue, row) for row in inbound)
            outs = (_outbound(venue, row) for row in outbound)
            yield from heapq.merge(ins, outs, key=lambda entry: entry.row_id)
        except (sqlite3.DatabaseError, ValueError, KeyError, TypeError) as exc:
            raise JournalRefused(
                _refusal(self.path, f"{self.path}: a journal row cannot be read: {exc}")
            ) from None

    def newest_exec_id(self, venue: str, account: str) -> ExecId | None:
        """The highest ExecID journaled for (venue, account): where drop copy starts."""
        self._flush_inbound()
        row = self.database.connection.execute(
            "SELECT exec_clock, exec_event, exec_index FROM journal_in"
            " WHERE venue = ? AND account = ? AND exec_clock IS NOT NULL"
            " ORDER BY exec_clock DESC, exec_event DESC, exec_index DESC LIMIT 1",
            (venue, account),
        ).fetchone()
        return None if row is None else ExecId(int(row[0]), int(row[1]), int(row[2]))

    def exec_ids(self, venue: str, account: str) -> list[ExecId]:
        """Every ExecID journaled for (venue, account), repeats included, in journal order."""
        self._flush_inbound()
        rows = self.database.connection.execute(
            "SELECT exec_clock, exec_event, exec_index FROM journal_in"
            " WHERE venue = ? AND account = ? AND exec_clock IS NOT NULL ORDER BY id",
            (venue, account),
        )
        return [ExecId(int(c), int(e), int(i)) for c, e, i in rows]

    def count(self, venue: str | None = None) -> tuple[int, int]:
        """(inbound rows, outbound rows), of ``venue`` or all."""
        self._flush_inbound()
        where, args = ("", ()) if venue is None else (" WHERE venue = ?", (venue,))
        return (
            self._scalar(f"SELECT COUNT(*) FROM journal_in{where}", args),
            self._scalar(f"SELECT COUNT(*) FROM journal_out{where}", args),
        )

    # ------------------------------------------------------------------ machinery

    def _scalar(self, sql: str, args: tuple[str, ...] = ()) -> int:
        return int(self.database.connection.execute(sql, args).fetchone()[0])

    def _insert(self, sql: str, values: Callable[[int], Sequence[object]]) -> int:
        row_id = self._next_id
        self._next_id += 1
        self._write(sql, values(row_id))
        return row_id

    def _write(self, sql: str, args: Sequence[object]) -> None:
        try:
            with self.database.transaction():
                self.database.connection.execute(sql, args)
        except (sqlite3.Error, StoreError) as exc:
            raise self._failed(exc) from None

    def _flush_inbound(self) -> None:
        """Write the inbound rows held for the open transaction (its before-commit hook, and
        before any read of the table, so a read sees them)."""
        if not self._pending_in:
            return
        rows, self._pending_in = self._pending_in, []
        try:
            self.database.connection.executemany(_INSERT_IN, rows)
        except sqlite3.Error as exc:
            raise self._failed(exc) from None

    def _drop_inbound(self) -> None:
        self._pending_in = []

    def _failed(self, exc: BaseException) -> JournalFailed:
        failure = JournalFailed(f"the journal {self.path} could not be written: {exc}")
        if self.on_failure is not None:
            self.on_failure(str(failure))
        return failure


def _real_exec_id(message: FixMessage) -> ExecId | None:
    if message.msg_type != "8":
        return None
    text = message.get(17)
    if text is None:
        return None
    try:
        exec_id = ExecId.parse(text)
    except FieldFormatError:
        return None
    return None if exec_id.is_pending else exec_id


def _inbound(venue: str, row: tuple[object, ...]) -> InboundEntry:
    row_id, account, session, seq, at, msg_type, price_format, raw = row
    return InboundEntry(
        row_id=int(str(row_id)),
        venue=venue,
        account=str(account),
        session=SessionType(str(session)),
        seq_num=None if seq is None else int(str(seq)),
        received_at=float(str(at)),
        msg_type=str(msg_type),
        price_format=PriceFormat(str(price_format)),
        raw=bytes(raw) if isinstance(raw, bytes | bytearray | memoryview) else b"",
    )


def _outbound(venue: str, row: tuple[object, ...]) -> SentEntry | NoteEntry:
    (
        row_id,
        account,
        session,
        at,
        kind,
        msg_type,
        seq,
        price_format,
        body,
        intent,
        subject,
        note,
    ) = row
    if kind != _SENT:
        return NoteEntry(
            row_id=int(str(row_id)),
            venue=venue,
            account=str(account),
            at=float(str(at)),
            kind=NoteKind(str(kind)),
            subject=str(subject or ""),
            text=str(note or ""),
        )
    pairs = json.loads(str(body))
    return SentEntry(
        row_id=int(str(row_id)),
        venue=venue,
        account=str(account),
        session=SessionType(str(session)),
        sent_at=float(str(at)),
        msg_type=str(msg_type),
        seq_num=None if seq is None else int(str(seq)),
        price_format=PriceFormat(str(price_format)),
        body=tuple((int(tag), str(value)) for tag, value in pairs),
        intent=None if intent is None else Intent[str(intent)],
    )


def _refusal(path: Path, problem: str) -> str:
    return (
        f"The journal cannot be used — {problem}. The file was left untouched: move "
        f"{path.name} out of {path.parent} (or restore a backup) to start with an empty journal."
    )


def _inspect(path: Path) -> None:
    """Refuse a file that is not SQLite, or whose journal tables are newer or unreadable,
    through a read-only connection (which can neither write nor checkpoint the file)."""
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise JournalRefused(_refusal(path, f"{path}: cannot read it: {exc}")) from None
    if not header:
        return
    if header != _SQLITE_HEADER:
        raise JournalRefused(_refusal(path, f"{path} is not a SQLite database"))
    # Without a write-ahead log beside it, the file holds everything: read it as immutable,
    # which creates no -wal or -shm file either. With one (a kill -9 leaves it), read both.
    wal = path.with_name(path.name + "-wal")
    uri = f"{path.resolve().as_uri()}?{'mode=ro' if wal.exists() else 'immutable=1'}"
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise JournalRefused(_refusal(path, f"{path}: cannot open it: {exc}")) from None
    try:
        tables = {
            str(name)
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        version = None
        if "schema_version" in tables:
            row = connection.execute(
                "SELECT version FROM schema_version WHERE component = ?", (JOURNAL_COMPONENT,)
            ).fetchone()
            version = None if row is None else row[0]
        if version is not None and version != JOURNAL_VERSION:
            newer = not isinstance(version, int) or version > JOURNAL_VERSION
            problem = (
                f"{path} holds journal version {version!r}, written by a newer version of this "
                "program"
                if newer
                else f"{path} holds journal version {version!r}, older than this program's "
                f"{JOURNAL_VERSION}, and there is no migration"
            )
            raise JournalRefused(_refusal(path, problem))
        for table in ("journal_in", "journal_out"):
            if table in tables:
                connection.execute(f"SELECT MAX(id) FROM {table}").fetchone()
    except sqlite3.DatabaseError as exc:
        raise JournalRefused(_refusal(path, f"{path} is damaged: {exc}")) from None
    finally:
        connection.close()
