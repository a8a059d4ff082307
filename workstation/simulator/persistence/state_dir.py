"""``--state-dir DIR``: the venue's orders, fills, balances, histories and FIX sequence numbers
survive a restart.

Everything lives in one SQLite file, ``DIR/venue.db`` (tables in :mod:`.state_file`):

- the **venue_id**, made when the file is made and kept while it lives, so a workstation can
  tell a restarted venue (same ExecIDs, same fills) from a new one (DECISIONS.md, "Identity
  of fills");
- the **exchange state** (markets, orders, ClOrdIDs, books' contents, positions, balances,
  order groups, fills, the ExecID clock), written incrementally (:mod:`.exchange_sync`);
- the **drop-copy history** of the accounts the venue knows (declared accounts; the simulated
  flow's accounts have no key and no one to replay to), pruned to the 3-hour lookback at each
  start except each account's newest aged-out report, which still tells a too-old request
  from an empty range;
- every **settlement report** issued (the settlement gateway's history; the REST
  ``/portfolio/settlements`` resource is rebuilt from it and the fills);
- what each order's reports **echo** from its NewOrderSingle (AllocAccount, Parties);
- the **RFQ desk**: every RFQ with its quotes, acceptance and timers, the gateway's notes on
  each (the session that created it, AllocAccounts, an acceptance by NewOrderSingle), the
  desk's counter and the pseudonyms it handed out (:mod:`~..gateway.rfq_state`);
- the **FIX message stores** of the sessions that retransmit under the dialect (KalshiRT and
  KalshiPT on ``current``): sequence numbers and sent messages, one
  :class:`~workstation.fix.sqlite_store.SqliteStore` per (API key, session type). Sessions
  that reset at every Logon keep theirs in memory.

**When it is written.** After every publish batch, by a result listener registered after
every gateway's (so the ExecutionReports and settlement pages of the batch have been sent and
recorded), and after every batch of RFQ results is routed, in one transaction. When the batch
comes from a client's message, that is the transaction the connection holds for the message
(or one of its own that commits before the step ends and the step's messages are written), so
the message's sequence number, the reports sent for it and the state they describe commit
together. What a write costs follows what changed, not how many orders
there are (:mod:`.exchange_sync`). The venue tick also writes once a second whatever changed
without a publish (the clock, funding of new accounts), and every minute, however busy the
venue is, it audits: every order that was live when written is compared field by field, and
the full sets of order ids and ClOrdIDs. Stopping writes a last time, with an audit. If a
transaction rolls back, the next write rewrites everything rather than trust what it
remembers.

**On start** (:meth:`StateDir.open`, from ``build_venue`` before anything else is attached):
a file that exists is read completely through a read-only connection first; a file that is
not a venue state file, was written by a newer version or does not read back is refused with
:class:`~.state_file.StateDirError` and left untouched. Otherwise the venue takes the stored
venue_id, the exchange (``Exchange.from_state``; events of the markets file and accounts of the
registry that the file does not know are added, funded as the venue would fund them), the
drop-copy history and, when :meth:`StateDir.attach` is called, the settlement history, the
order echoes and the RFQ desk; the
venue clock is moved forward if it is behind the time last written, so it never runs
backwards across a restart. All of this happens before the listeners open.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workstation.fix.database import Database, StoreError
from workstation.fix.dialect import SessionType
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.sqlite_store import SqliteStore
from workstation.fix.store import MessageStore
from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.exchange.results import Result
from workstation.simulator.exec_history import HistoryEntry
from workstation.simulator.gateway.drop_copy import LOOKBACK_SECONDS
from workstation.simulator.gateway.fanout import ReportFanout
from workstation.simulator.gateway.reports import OrderEcho
from workstation.simulator.gateway.rfq_bridge import RfqBridge
from workstation.simulator.gateway.rfq_state import SavedDesk, SavedRfq
from workstation.simulator.gateway.settlement import SettlementGateway
from workstation.simulator.numbers_store import memory_store_for
from workstation.simulator.persistence.codec import codec_for
from workstation.simulator.persistence.exchange_sync import ExchangeSync
from workstation.simulator.persistence.history import RecordingExecHistory
from workstation.simulator.persistence.records import encode_report, encode_settlement
from workstation.simulator.persistence.state_file import (
    COMPONENT,
    SCHEMA_VERSION,
    TABLES,
    StateDirError,
    StoredVenue,
    migrate,
    read_state_file,
)
from workstation.simulator.venue import Venue

__all__ = ["AUDIT_INTERVAL", "FILE_NAME", "SYNC_INTERVAL", "StateDir"]

_log = logging.getLogger(__name__)

FILE_NAME = "venue.db"
SYNC_INTERVAL = 1.0  #: venue seconds between writes from the tick
AUDIT_INTERVAL = 60.0  #: venue seconds between audits of the full set of order ids


class StateDir:
    """The venue's state directory; a :class:`~workstation.simulator.venue.VenueComponent`.

    Use :meth:`open` (it restores the venue), then :meth:`attach` once every gateway is
    registered.
    """

    def __init__(
        self,
        venue: Venue,
        directory: Path,
        db: Database,
        stored: StoredVenue | None,
    ) -> None:
        self._venue = venue
        self.directory = directory
        self._db = db
        self._restored = stored is not None
        #: pages kept by an earlier run, handed to the settlement gateway by attach()
        self._kept_settlements = [] if stored is None else stored.settlements
        self._kept_echoes = {} if stored is None else stored.echoes
        self._kept_rfqs = [] if stored is None else stored.rfqs
        self._kept_desk = SavedDesk() if stored is None else stored.rfq_desk
        self._fanout: ReportFanout | None = None
        self._rfq: RfqBridge | None = None
        self._rfq_sync = _RfqSync()
        self._sync = ExchangeSync(db.connection)
        self._history = RecordingExecHistory()
        self._accounts = frozenset(spec.account_id for spec in venue.registry.accounts())
        self._settlements: SettlementGateway | None = None
        self._settlements_saved = 0
        self._behind = False
        self._closed = False
        self._last_write = float("-inf")
        self._last_audit = float("-inf")

    @property
    def path(self) -> Path:
        return self.directory / FILE_NAME

    @property
    def database(self) -> Database:
        """The state file, shared with the FIX message stores of the venue's sessions."""
        return self._db

    @property
    def restored(self) -> bool:
        """True when the venue carried on from an existing file."""
        return self._restored

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, venue: Venue, directory: Path) -> StateDir:
        """Open (or create) ``directory``'s state file and restore ``venue`` from it.

        Raises :class:`StateDirError` for a directory or file that cannot be used.
        """
        directory = Path(directory)
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateDirError(
                f"{directory}: cannot use it as the state directory: {exc}"
            ) from None
        path = directory / FILE_NAME
        stored = read_state_file(path)
        try:
            db = Database(path)
        except StoreError as exc:
            raise StateDirError(str(exc)) from None
        try:
            migrate(db)
            db.ensure_schema(COMPONENT, SCHEMA_VERSION, TABLES)
            state_dir = cls(venue, directory, db, stored)
            if stored is None:
                state_dir._begin(venue.clock())
            else:
                state_dir._restore(stored)
        except (StoreError, sqlite3.Error) as exc:
            db.close()
            raise StateDirError(f"{path}: cannot prepare the state file: {exc}") from None
        except BaseException:
            db.close()
            raise
        venue.set_store_factory(state_dir._store)
        venue.add_component(state_dir)
        return state_dir

    def _begin(self, now: float) -> None:
        venue = self._venue
        venue.exec_history = self._history
        with self._db.transaction():
            self._put_meta("venue_id", venue.venue_id)
            self._put_meta("created_at", now)
            self._put_meta("venue_time", now)
            self._sync.write_all(venue.exchange.state)

    def _restore(self, stored: StoredVenue) -> None:
        venue = self._venue
        fresh = venue.exchange  # built from the markets file and the registry
        state = stored.state
        for event in fresh.events():
            if event.ticker not in state.events and not any(
                m.ticker in state.markets for m in event.markets
            ):
                state.add_event(event)
        exchange = Exchange.from_state(state, rules=venue.rules)
        for account, subs in fresh.ledger.accounts.items():
            for number, sub in subs.items():
                if exchange.ledger.get(account, number) is None:
                    exchange.fund(account, sub.balance, sub_account=number)
        self._sync.adopt(state)
        venue.exchange = exchange
        venue.venue_id = stored.venue_id
        behind = stored.venue_time - venue.clock()
        if behind > 0:
            venue.clock.advance(behind)
        cutoff = venue.clock() - LOOKBACK_SECONDS
        newest_gone: dict[str, ExecutionReport] = {}
        for account, sent_at, report in stored.history:  # in ExecID order per account
            if sent_at < cutoff:
                newest_gone[account] = report
        for account, sent_at, report in stored.history:
            if sent_at >= cutoff or newest_gone[account] is report:
                self._history.restore(account, report, sent_at)
        venue.exec_history = self._history
        self._prune_history(cutoff)

    def _prune_history(self, cutoff: float) -> None:
        """Drop reports older than ``cutoff`` except each account's newest such report."""
        with self._db.transaction():
            self._db.connection.execute(
                "DELETE FROM venue_exec_history AS old WHERE old.sent_at < ?1 AND EXISTS ("
                " SELECT 1 FROM venue_exec_history AS newer"
                " WHERE newer.account = old.account AND newer.sent_at < ?1"
                " AND (newer.clock, newer.event, newer.exchange)"
                " > (old.clock, old.event, old.exchange))",
                (cutoff,),
            )

    def attach(
        self,
        settlements: SettlementGateway | None = None,
        *,
        fanout: ReportFanout | None = None,
        rfq: RfqBridge | None = None,
    ) -> None:
        """Start writing: call once, after every gateway has registered its result listener
        (this listener must run last). ``settlements`` gets back the pages kept earlier,
        ``fanout`` the order echoes, ``rfq`` the RFQ desk."""
        if settlements is not None:
            settlements.restore(self._kept_settlements)
            self._settlements = settlements
            self._settlements_saved = settlements.issued_count
        self._kept_settlements = []
        if fanout is not None:
            fanout.restore_echoes(self._kept_echoes)
            fanout.take_new_echoes()  # from now on it lists what it learns
            self._fanout = fanout
        self._kept_echoes = {}
        if rfq is not None:
            rfq.restore(self._kept_rfqs, self._kept_desk)
            self._rfq = rfq
            self._rfq_sync.saw(rfq, self._kept_rfqs)
            rfq.after_route(self._on_rfq_routed)
        self._kept_rfqs = []
        self._venue.on_results(self._on_results)
        self._venue.every_tick(self._on_tick)
        self.flush(audit=True)

    # ------------------------------------------------------------------ writing

    def flush(
        self, results: Sequence[Result] = (), *, now: float | None = None, audit: bool = False
    ) -> None:
        """Write what changed (everything, after a rollback) in one transaction."""
        if self._closed:
            return
        now = self._venue.clock() if now is None else now
        db = self._db
        with db.transaction():
            db.after_rollback(self._fell_behind)
            unsaved = self._history.take_unsaved()
            if self._behind:
                self._write_everything()
                self._behind = False
            else:
                self._sync.write(self._venue.exchange.state, results, audit=audit)
                self._write_history(unsaved)
                self._write_settlements()
                self._write_echoes(self._fanout.take_new_echoes() if self._fanout else [])
                self._write_rfqs(everything=False)
            self._put_meta("venue_time", now)
        self._last_write = now
        if audit:
            self._last_audit = now

    def _on_results(self, results: list[Result], now: float) -> None:
        self.flush(results, now=now)

    def _on_rfq_routed(self, now: float) -> None:
        if self._rfq is not None and self._rfq_sync.behind(self._rfq):
            self.flush(now=now)

    def _on_tick(self, now: float) -> None:
        audit = now - self._last_audit >= AUDIT_INTERVAL  # due even while batches keep writing
        if audit or now - self._last_write >= SYNC_INTERVAL:
            self.flush(now=now, audit=audit)

    def _fell_behind(self) -> None:
        self._behind = True

    def _write_everything(self) -> None:
        connection = self._db.connection
        self._sync.write_all(self._venue.exchange.state)
        connection.execute("DELETE FROM venue_exec_history")
        self._write_history(
            [
                (account, entry)
                for account in sorted(self._accounts)
                for entry in self._history.entries(account)
            ]
        )
        if self._settlements is not None:
            connection.execute("DELETE FROM venue_settlements")
            self._settlements_saved = 0
            self._write_settlements()
        if self._fanout is not None:
            self._fanout.take_new_echoes()
            connection.execute("DELETE FROM venue_order_echoes")
            self._write_echoes(list(self._fanout.echoes().items()))
        self._write_rfqs(everything=True)

    def _write_history(self, unsaved: list[tuple[str, HistoryEntry]]) -> None:
        self._db.connection.executemany(
            "INSERT OR REPLACE INTO venue_exec_history"
            " (account, clock, event, exchange, sent_at, report) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    account,
                    entry.exec_id.clock,
                    entry.exec_id.event,
                    entry.exec_id.exchange,
                    entry.sent_at,
                    encode_report(entry.report),
                )
                for account, entry in unsaved
                if account in self._accounts
            ],
        )

    def _write_settlements(self) -> None:
        if self._settlements is None:
            return
        records = self._settlements.issued_since(self._settlements_saved)
        self._db.connection.executemany(
            "INSERT INTO venue_settlements (account, sub_account, sent_at, report)"
            " VALUES (?, ?, ?, ?)",
            [(r.account, r.sub_account, r.sent_at, encode_settlement(r.report)) for r in records],
        )
        self._settlements_saved += len(records)

    def _write_echoes(self, echoes: list[tuple[str, OrderEcho]]) -> None:
        codec = codec_for(OrderEcho)
        self._db.connection.executemany(
            "INSERT OR REPLACE INTO venue_order_echoes (order_id, data) VALUES (?, ?)",
            [(order_id, _text(codec.encode(echo))) for order_id, echo in echoes],
        )

    def _write_rfqs(self, *, everything: bool) -> None:
        rfq = self._rfq
        if rfq is None:
            return
        if everything:
            self._db.connection.execute("DELETE FROM venue_rfqs")
            self._rfq_sync = _RfqSync()
        elif not self._rfq_sync.behind(rfq):
            return
        rows, desk = self._rfq_sync.changed(rfq)
        self._db.connection.executemany(
            "INSERT OR REPLACE INTO venue_rfqs (rfq_id, seq, data) VALUES (?, ?, ?)", rows
        )
        if desk is not None:
            self._put_meta("rfq_desk", codec_for(SavedDesk).encode(desk))

    def _put_meta(self, key: str, value: Any) -> None:
        self._db.connection.execute(
            "INSERT OR REPLACE INTO venue_meta (key, value) VALUES (?, ?)",
            (key, json.dumps(value)),
        )

    # ------------------------------------------------------------------ FIX stores

    def _store(self, key_id: str, session_type: SessionType) -> MessageStore:
        now = self._venue.wire_clock()  # the sessions' time, not the exchange's
        if session_type in self._venue.rules.retransmitting_sessions and not self._closed:
            return SqliteStore(self._db, session_type.value, key_id, now)
        return memory_store_for(self._venue.rules, session_type, now)

    # ------------------------------------------------------------------ VenueComponent

    async def start(self, venue: Venue) -> dict[str, Any]:
        return {"state_dir": str(self.directory)}

    async def stop(self) -> None:
        if self._closed:
            return
        try:
            self.flush(audit=True)
        except Exception:
            _log.exception("the last write to %s failed", self.path)
        finally:
            self._closed = True
            self._db.close()


def _text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


class _RfqSync:
    """What the state file holds of the RFQ desk, to write only what changed since.

    Every RFQ that changed since the last write is one the desk created since (a higher
    creation number) or one that was live then (the desk's :meth:`records` takes both); of
    those, only the ones whose stored text differs are written.
    """

    def __init__(self) -> None:
        self.changes: int | None = None  #: the desk's change count at the last write
        self.seq = 0  #: the desk's creation number then
        self.live: list[str] = []  #: the RFQs not final then
        self.texts: dict[str, str] = {}  #: their stored text
        self.desk: str | None = None  #: the stored SavedDesk

    def behind(self, bridge: RfqBridge) -> bool:
        return bridge.desk.changes != self.changes

    def saw(self, bridge: RfqBridge, rfqs: list[SavedRfq]) -> None:
        """The file holds ``rfqs`` (just restored): start from there."""
        codec = codec_for(SavedRfq)
        self.changes = bridge.desk.changes
        self.seq = bridge.desk.seq
        self.live = bridge.desk.live_ids()
        live = set(self.live)
        self.texts = {s.rfq.rfq_id: _text(codec.encode(s)) for s in rfqs if s.rfq.rfq_id in live}
        self.desk = _text(codec_for(SavedDesk).encode(bridge.saved_desk()))

    def changed(self, bridge: RfqBridge) -> tuple[list[tuple[str, int, str]], SavedDesk | None]:
        """The rows to write and the desk record when it changed; then they count as written."""
        codec = codec_for(SavedRfq)
        desk = bridge.desk
        rows: list[tuple[str, int, str]] = []
        texts: dict[str, str] = {}
        live = set(desk.live_ids())
        for record in desk.records(after_seq=self.seq, also=self.live):
            text = _text(codec.encode(bridge.saved(record)))
            if self.texts.get(record.rfq_id) != text:
                rows.append((record.rfq_id, record.seq, text))
            if record.rfq_id in live:
                texts[record.rfq_id] = text
        saved_desk = bridge.saved_desk()
        desk_text = _text(codec_for(SavedDesk).encode(saved_desk))
        self.changes, self.seq, self.live, self.texts = desk.changes, desk.seq, list(live), texts
        if desk_text == self.desk:
            return rows, None
        self.desk = desk_text
        return rows, saved_desk
