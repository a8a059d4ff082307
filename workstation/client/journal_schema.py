"""The journal's tables (see ``journal``): their DDL and version.

The version is recorded in the database's ``schema_version`` table under the component
``journal``; a file holding another version is refused untouched (there is no migration: a
new version starts a fresh journal in a new file).
"""

from __future__ import annotations

__all__ = ["JOURNAL_COMPONENT", "JOURNAL_TABLES", "JOURNAL_VERSION"]

JOURNAL_COMPONENT = "journal"
JOURNAL_VERSION = 1

JOURNAL_TABLES = (
    "CREATE TABLE IF NOT EXISTS journal_meta ( key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # One row per inbound application message. exec_*: a real ExecID (not -1;-1) of an
    # ExecutionReport, as integers so the newest sorts last.
    "CREATE TABLE IF NOT EXISTS journal_in ("
    " id INTEGER PRIMARY KEY,"
    " venue TEXT NOT NULL,"
    " account TEXT NOT NULL,"
    " session_type TEXT NOT NULL,"
    " msg_seq_num INTEGER,"
    " received_at REAL NOT NULL,"
    " msg_type TEXT NOT NULL,"
    " price_format TEXT NOT NULL,"
    " exec_clock INTEGER,"
    " exec_event INTEGER,"
    " exec_index INTEGER,"
    " raw BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS journal_in_venue ON journal_in (venue, id)",
    "CREATE INDEX IF NOT EXISTS journal_in_exec_id"
    " ON journal_in (venue, account, exec_clock, exec_event, exec_index)"
    " WHERE exec_clock IS NOT NULL",
    # One row per message sent (kind 'sent') or conclusion reached (other kinds).
    "CREATE TABLE IF NOT EXISTS journal_out ("
    " id INTEGER PRIMARY KEY,"
    " venue TEXT NOT NULL,"
    " account TEXT NOT NULL,"
    " session_type TEXT NOT NULL,"
    " at REAL NOT NULL,"
    " kind TEXT NOT NULL,"
    " msg_type TEXT,"
    " msg_seq_num INTEGER,"
    " price_format TEXT,"
    " body TEXT,"
    " intent TEXT,"
    " subject TEXT,"
    " note TEXT)",
    "CREATE INDEX IF NOT EXISTS journal_out_venue ON journal_out (venue, id)",
)
