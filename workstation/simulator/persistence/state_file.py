"""The venue's state file: its tables, their version, and reading it back without touching it.

The file is a SQLite database shared with the FIX message stores of the venue's sessions
(:class:`~workstation.fix.sqlite_store.SqliteStore`'s ``sessions``/``outbound`` tables). The
venue's own tables are recorded in ``schema_version`` as component ``venue``:

=======================  ===================================================================
``venue_meta``           JSON values: ``venue_id``, ``created_at``, ``venue_time`` (the venue
                         clock at the last write) and ``exchange`` (the core document, see
                         :mod:`.exchange_state`)
``venue_orders``         one JSON order per order id
``venue_cl_ord_ids``     (account, ClOrdID) → order id
``venue_fills``          one JSON fill per (account, ExecID)
``venue_exec_history``   the drop-copy history: each replayable ExecutionReport sent, per
                         (account, ExecID), with the venue time it was sent
``venue_settlements``    every UMS page issued, per account, in issue order
``venue_order_echoes``   what an order's reports echo from its NewOrderSingle (AllocAccount,
                         Parties), per order id, for the orders that carried any (v2)
``venue_rfqs``           one JSON RFQ per RFQ id: the desk's record (quotes, acceptance,
                         state, timers) and the gateway's notes on it (v2); the desk's
                         counter and pseudonyms are ``venue_meta``'s ``rfq_desk``
=======================  ===================================================================

Version 2 added the last two tables; a version 1 file is read as having none of their rows and
is brought to version 2 (:func:`migrate`, the tables created) when the venue opens it. Version
3 writes the drop-copy history's reports as records instead of message bodies
(:mod:`.records`); the rows a version 2 file holds are read as they are, so bringing it to
version 3 changes only the number, which keeps an older program from misreading newer rows.

:func:`read_state_file` reads everything through a read-only connection first: a file that
is not a SQLite database, was written by a newer version, is not a venue state file, or
holds a record that does not decode is refused with :class:`StateDirError` and left exactly
as it was.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workstation.fix.database import Database
from workstation.fix.messages.execution import ExecutionReport
from workstation.simulator.exchange.state import ExchangeState
from workstation.simulator.gateway.reports import OrderEcho
from workstation.simulator.gateway.rfq_state import SavedDesk, SavedRfq
from workstation.simulator.gateway.settlement import SettlementRecord
from workstation.simulator.persistence.codec import CodecError, codec_for
from workstation.simulator.persistence.exchange_state import decode_state
from workstation.simulator.persistence.records import decode_report, decode_settlement

__all__ = [
    "COMPONENT",
    "SCHEMA_VERSION",
    "TABLES",
    "StateDirError",
    "StoredVenue",
    "migrate",
    "read_state_file",
    "relink_acceptance",
]

COMPONENT = "venue"
SCHEMA_VERSION = 3

_ECHOES_TABLE = (
    "CREATE TABLE IF NOT EXISTS venue_order_echoes ("
    " order_id TEXT PRIMARY KEY,"
    " data TEXT NOT NULL) WITHOUT ROWID"
)
_RFQS_TABLE = (
    "CREATE TABLE IF NOT EXISTS venue_rfqs ("
    " rfq_id TEXT PRIMARY KEY,"
    " seq INTEGER NOT NULL,"
    " data TEXT NOT NULL) WITHOUT ROWID"
)
#: what brings a file from version N to N + 1
MIGRATIONS: dict[int, tuple[str, ...]] = {1: (_ECHOES_TABLE, _RFQS_TABLE), 2: ()}

TABLES = (
    "CREATE TABLE IF NOT EXISTS venue_meta ( key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS venue_orders ("
    " order_id TEXT PRIMARY KEY,"
    " account TEXT NOT NULL,"
    " data TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS venue_cl_ord_ids ("
    " account TEXT NOT NULL,"
    " cl_ord_id TEXT NOT NULL,"
    " order_id TEXT NOT NULL,"
    " PRIMARY KEY (account, cl_ord_id)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS venue_fills ("
    " account TEXT NOT NULL,"
    " clock INTEGER NOT NULL,"
    " event INTEGER NOT NULL,"
    " data TEXT NOT NULL,"
    " PRIMARY KEY (account, clock, event)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS venue_exec_history ("
    " account TEXT NOT NULL,"
    " clock INTEGER NOT NULL,"
    " event INTEGER NOT NULL,"
    " exchange INTEGER NOT NULL,"
    " sent_at REAL NOT NULL,"
    " report TEXT NOT NULL,"
    " PRIMARY KEY (account, clock, event, exchange)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS venue_settlements ("
    " id INTEGER PRIMARY KEY,"
    " account TEXT NOT NULL,"
    " sub_account INTEGER NOT NULL,"
    " sent_at REAL NOT NULL,"
    " report TEXT NOT NULL)",
    _ECHOES_TABLE,
    _RFQS_TABLE,
)

_SQLITE_HEADER = b"SQLite format 3\x00"
_META_KEYS = frozenset({"venue_id", "created_at", "venue_time", "exchange"})


class StateDirError(ValueError):
    """The state directory cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredVenue:
    """Everything a state file holds about the venue (not the FIX stores)."""

    venue_id: str
    created_at: float
    venue_time: float  #: the venue clock when the file was last written
    state: ExchangeState
    history: list[tuple[str, float, ExecutionReport]]  #: (account, sent at, report), in order
    settlements: list[SettlementRecord]  #: in issue order
    echoes: dict[str, OrderEcho]  #: OrderID -> what its reports echo
    rfqs: list[SavedRfq]  #: in creation order
    rfq_desk: SavedDesk


def read_state_file(path: Path) -> StoredVenue | None:
    """The venue kept in ``path``; None when there is no file yet (or it is empty)."""
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateDirError(f"{path}: cannot read the state file: {exc}") from None
    if not header:
        return None
    if header != _SQLITE_HEADER:
        raise StateDirError(
            f"{path}: not a SQLite database (the file does not start with the SQLite header); "
            "refusing to touch it"
        )
    # Read-only, and with no write-ahead log beside it also "immutable": SQLite then creates
    # no -wal/-shm files either, so a refused directory is left exactly as it was. A log that
    # is there (the venue was killed) holds committed data and must be read.
    wal = path.with_name(path.name + "-wal")
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if wal.exists() else "&immutable=1")
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StateDirError(f"{path}: cannot open the state file: {exc}") from None
    try:
        _check_version(connection, path)
        return _read(connection)
    except sqlite3.DatabaseError as exc:
        raise StateDirError(f"{path}: not a usable venue state file: {exc}") from None
    except CodecError as exc:
        raise StateDirError(f"{path}: the venue state does not read back: {exc}") from None
    finally:
        connection.close()


def _check_version(connection: sqlite3.Connection, path: Path) -> None:
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    row = None
    if has_table:
        row = connection.execute(
            "SELECT version FROM schema_version WHERE component = ?", (COMPONENT,)
        ).fetchone()
    if row is None:
        raise StateDirError(
            f"{path}: not a venue state file (it holds no venue tables); refusing to touch it"
        )
    found = row[0]
    if found == SCHEMA_VERSION or _migratable(found):
        return
    if isinstance(found, int) and found < SCHEMA_VERSION:
        problem = f"older than this program's {SCHEMA_VERSION}, and there is no migration"
    else:
        problem = f"newer than this program's {SCHEMA_VERSION}; refusing to touch the file"
    raise StateDirError(f"{path}: the venue tables have schema version {found!r}, {problem}")


def _migratable(version: object) -> bool:
    if not isinstance(version, int) or isinstance(version, bool) or version > SCHEMA_VERSION:
        return False
    return all(v in MIGRATIONS for v in range(version, SCHEMA_VERSION))


def migrate(db: Database) -> None:
    """Bring an older venue state file to :data:`SCHEMA_VERSION` (before ``ensure_schema``);
    a file without venue tables yet is left to ``ensure_schema``."""
    connection = db.connection
    if not _has_table(connection, "schema_version"):
        return
    row = connection.execute(
        "SELECT version FROM schema_version WHERE component = ?", (COMPONENT,)
    ).fetchone()
    if row is None or row[0] == SCHEMA_VERSION or not _migratable(row[0]):
        return
    with db.transaction():
        for version in range(int(row[0]), SCHEMA_VERSION):
            for statement in MIGRATIONS[version]:
                connection.execute(statement)
        connection.execute(
            "UPDATE schema_version SET version = ? WHERE component = ?",
            (SCHEMA_VERSION, COMPONENT),
        )


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None


def _read(connection: sqlite3.Connection) -> StoredVenue:
    meta = dict(connection.execute("SELECT key, value FROM venue_meta").fetchall())
    missing = _META_KEYS - meta.keys()
    if missing:
        raise CodecError(f"venue_meta lacks {sorted(missing)}")
    state = decode_state(
        _json(meta["exchange"], "the exchange document"),
        (
            _json(data, f"order {order_id}")
            for order_id, data in connection.execute(
                "SELECT order_id, data FROM venue_orders ORDER BY rowid"
            )
        ),
        connection.execute("SELECT account, cl_ord_id, order_id FROM venue_cl_ord_ids"),
        (
            (account, _json(data, f"a fill of {account}"))
            for account, data in connection.execute(
                "SELECT account, data FROM venue_fills ORDER BY account, clock, event"
            )
        ),
    )
    history = [
        (account, _number(sent_at), decode_report(report))
        for account, sent_at, report in connection.execute(
            "SELECT account, sent_at, report FROM venue_exec_history"
            " ORDER BY account, clock, event, exchange"
        )
    ]
    settlements = [
        SettlementRecord(
            account=account,
            sub_account=sub_account,
            sent_at=_number(sent_at),
            report=decode_settlement(report),
        )
        for account, sub_account, sent_at, report in connection.execute(
            "SELECT account, sub_account, sent_at, report FROM venue_settlements ORDER BY id"
        )
    ]
    echo_codec = codec_for(OrderEcho)
    echoes = (
        {
            order_id: echo_codec.decode(_json(data, f"the echo of order {order_id}"))
            for order_id, data in connection.execute(
                "SELECT order_id, data FROM venue_order_echoes"
            )
        }
        if _has_table(connection, "venue_order_echoes")
        else {}
    )
    rfq_codec = codec_for(SavedRfq)
    rfqs = (
        [
            relink_acceptance(rfq_codec.decode(_json(data, f"RFQ {rfq_id}")))
            for rfq_id, data in connection.execute(
                "SELECT rfq_id, data FROM venue_rfqs ORDER BY seq"
            )
        ]
        if _has_table(connection, "venue_rfqs")
        else []
    )
    rfq_desk = (
        codec_for(SavedDesk).decode(_json(meta["rfq_desk"], "rfq_desk"))
        if "rfq_desk" in meta
        else SavedDesk()
    )
    venue_id = _json(meta["venue_id"], "venue_id")
    if not isinstance(venue_id, str) or not venue_id:
        raise CodecError(f"venue_id is {venue_id!r}, not an identifier")
    return StoredVenue(
        venue_id=venue_id,
        created_at=_number(_json(meta["created_at"], "created_at")),
        venue_time=_number(_json(meta["venue_time"], "venue_time")),
        state=state,
        history=history,
        settlements=settlements,
        echoes=echoes,
        rfqs=rfqs,
        rfq_desk=rfq_desk,
    )


def relink_acceptance(saved: SavedRfq) -> SavedRfq:
    """The accepted quote of a decoded RFQ as the very quote in its list (JSON holds it twice;
    the desk changes both through one object)."""
    acceptance = saved.rfq.acceptance
    if acceptance is None:
        return saved
    same = [q for q in saved.rfq.quotes if q.seq == acceptance.quote.seq]
    if len(same) != 1 or same[0].quote_id != acceptance.quote.quote_id:
        raise CodecError(f"RFQ {saved.rfq.rfq_id}: its accepted quote is not among its quotes")
    acceptance.quote = same[0]
    return saved


def _json(text: Any, what: str) -> Any:
    if not isinstance(text, str):
        raise CodecError(f"{what} is not text")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CodecError(f"{what} is not JSON: {exc}") from None


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CodecError(f"expected a time in epoch seconds, found {value!r}")
    return float(value)
