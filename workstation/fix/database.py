"""One SQLite file, its connection and its transactions, shared by the message store and the
application's journal so both can be written in one transaction.

The connection runs in WAL mode with ``synchronous=NORMAL``: a committed transaction is in the
write-ahead log before COMMIT returns, so it survives the process being killed (``kill -9``)
at any instant. A power failure may roll back the last few commits, never corrupt the file
(``synchronous=FULL`` would close that window at 3-4 times the cost per commit).

The connection is opened with ``isolation_level=None``, so the sqlite3 module never opens a
transaction behind our back: a statement outside :meth:`Database.transaction` commits by
itself, and inside one it joins it. Transactions are reentrant: an inner one joins the
outermost, and only the outermost commits. An exception that leaves the outermost block rolls
everything back; one that leaves an inner block dooms the whole transaction, so the outermost
rolls back even if its code caught the exception (and then raises :class:`StoreError`, since
its caller believed the writes would be kept).

Before anything is written, the file is checked: one that is not a SQLite database, or whose
tables were written by a newer version of this program, is refused with :class:`StoreError`
and left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

__all__ = ["SCHEMA_VERSION", "Database", "StoreError"]

#: The version of the store's tables (``sessions``, ``outbound``) this module writes.
SCHEMA_VERSION = 1
#: The component name the store's tables are recorded under in ``schema_version``.
STORE_COMPONENT = "store"

_SQLITE_HEADER = b"SQLite format 3\x00"
_BUSY_TIMEOUT_MS = 5000

_SCHEMA_VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " component TEXT PRIMARY KEY,"
    " version INTEGER NOT NULL)"
)

_STORE_TABLES = (
    "CREATE TABLE IF NOT EXISTS sessions ("
    " id INTEGER PRIMARY KEY,"
    " sender_comp_id TEXT NOT NULL,"
    " target_comp_id TEXT NOT NULL,"
    " next_sender INTEGER NOT NULL,"
    " next_target INTEGER NOT NULL,"
    " creation_time REAL NOT NULL,"
    " UNIQUE (sender_comp_id, target_comp_id))",
    "CREATE TABLE IF NOT EXISTS outbound ("
    " session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " sending_time REAL NOT NULL,"
    " message BLOB NOT NULL,"
    " PRIMARY KEY (session_id, seq)) WITHOUT ROWID",
)


class StoreError(Exception):
    """The database file cannot be used, or a transaction could not be kept; the message
    names the file and the problem."""


class Database:
    """One SQLite file opened for the message store (and whatever else shares the file).

    ``connection`` is the open :class:`sqlite3.Connection`; write to it inside
    :meth:`transaction` to have the rows committed together with the store's. Use from one
    thread only. Close with :meth:`close` (or use the object as a context manager).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if _holds_data(self.path):
            _inspect_read_only(self.path)
        try:
            self._connection = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}") from None
        self._depth = 0
        self._doomed = False
        self._before_commit: dict[Callable[[], None], None] = {}
        self._after_rollback: dict[Callable[[], None], None] = {}
        try:
            self._configure()
            self.ensure_schema(STORE_COMPONENT, SCHEMA_VERSION, _STORE_TABLES)
        except sqlite3.DatabaseError as exc:
            self._connection.close()
            raise StoreError(f"{self.path}: cannot prepare the database: {exc}") from None
        except BaseException:
            self._connection.close()
            raise

    @property
    def connection(self) -> sqlite3.Connection:
        return self._connection

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def ensure_schema(self, component: str, version: int, statements: Sequence[str]) -> None:
        """Create ``component``'s tables with ``statements`` (idempotent DDL such as
        ``CREATE TABLE IF NOT EXISTS``) and record ``version``, unless the file already holds
        them. A different recorded version is refused with :class:`StoreError`."""
        _check_version(self._connection, self.path, component, version)
        with self.transaction():
            self._connection.execute(_SCHEMA_VERSION_TABLE)
            for statement in statements:
                self._connection.execute(statement)
            self._connection.execute(
                "INSERT OR IGNORE INTO schema_version (component, version) VALUES (?, ?)",
                (component, version),
            )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes into one transaction; an inner call joins the outermost one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            except BaseException:
                self._doomed = True
                raise
            finally:
                self._depth -= 1
            return
        self._connection.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            if self._doomed:
                raise StoreError(
                    f"{self.path}: transaction rolled back: an exception left an inner "
                    "transaction, so its writes cannot be kept"
                )
            for hook in list(self._before_commit):
                hook()
            self._connection.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0
            self._doomed = False
            self._before_commit.clear()
            self._after_rollback.clear()

    def before_commit(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` inside the current transaction just before it commits (once, however
        often it is registered). Only valid inside :meth:`transaction`."""
        if not self._depth:
            raise StoreError(f"{self.path}: before_commit() called outside a transaction")
        self._before_commit[hook] = None

    def after_rollback(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` if the current transaction rolls back (once, however often it is
        registered), so cached values can be reloaded. Only valid inside :meth:`transaction`."""
        if not self._depth:
            raise StoreError(f"{self.path}: after_rollback() called outside a transaction")
        self._after_rollback[hook] = None

    def close(self) -> None:
        if self._depth:
            raise StoreError(f"{self.path}: close() called inside a transaction")
        self._connection.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r})"

    def _rollback(self) -> None:
        if self._connection.in_transaction:
            self._connection.execute("ROLLBACK")
        for hook in list(self._after_rollback):
            hook()

    def _configure(self) -> None:
        self._connection.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        mode = self._connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{self.path}: cannot use write-ahead logging (journal mode {mode})")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute("PRAGMA foreign_keys=ON")


def _holds_data(path: Path) -> bool:
    """Whether ``path`` is a non-empty file, which must then be one of our databases. A
    missing or empty file becomes a new database."""
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database file: {exc}") from None
    if header and header != _SQLITE_HEADER:
        raise StoreError(
            f"{path}: not a SQLite database (the file does not start with the SQLite "
            "header); refusing to touch it"
        )
    return bool(header)


def _inspect_read_only(path: Path) -> None:
    """Check the store's schema version through a read-only connection, which can neither
    write nor checkpoint the file, so a refused file is left exactly as it was."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the database: {exc}") from None
    try:
        _check_version(connection, path, STORE_COMPONENT, SCHEMA_VERSION)
    finally:
        connection.close()


def _check_version(
    connection: sqlite3.Connection, path: Path, component: str, version: int
) -> None:
    """Refuse a file whose ``component`` tables have another version than ``version``."""
    try:
        has_table = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        row = None
        if has_table:
            row = connection.execute(
                "SELECT version FROM schema_version WHERE component = ?", (component,)
            ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a usable SQLite database: {exc}") from None
    if row is None or row[0] == version:
        return
    found = row[0]
    if isinstance(found, int) and found < version:
        problem = f"older than this program's {version}, and there is no migration"
    else:
        problem = f"newer than this program's {version}; refusing to touch the file"
    raise StoreError(f"{path}: the {component} tables have schema version {found!r}, {problem}")
