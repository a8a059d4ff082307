"""Every ExecutionReport the venue sent, by account, for drop-copy replay (SPEC §14.1).

Only replayable reports are kept: not pending ones (ExecID ``-1;-1``) and not rejects (no valid
ExecID). Reports are kept in ExecID order with the time they were sent, so a replay can honour
the 3-hour lookback. A report goes in once per ExecID and account, however many sessions it
was sent to. Reports older than ``retain`` seconds are dropped as new ones arrive (a venue with
simulated flow would otherwise grow without bound), all but the newest of them, which marks the
edge of the window; the newest dropped ExecID is remembered as well.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from workstation.fix.messages.enums import ExecType
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport

__all__ = ["ExecHistory", "HistoryEntry"]


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry:
    exec_id: ExecId
    sent_at: float
    report: ExecutionReport


#: Drop copy looks back 3 hours (SPEC §14.1); keep a little more so the edge is exact.
DEFAULT_RETAIN_S = 3 * 3600 + 600


class ExecHistory:
    def __init__(self, retain: float = DEFAULT_RETAIN_S) -> None:
        self.retain = retain
        self._by_account: dict[str, list[HistoryEntry]] = {}
        self._seen: set[tuple[str, ExecId]] = set()
        self._pruned_through: dict[str, ExecId] = {}

    def record(self, account: str, report: ExecutionReport, now: float) -> bool:
        """Keep ``report``; False if it is not replayable or already kept."""
        exec_id = report.exec_id
        if exec_id is None or exec_id.is_pending or report.exec_type is ExecType.REJECTED:
            return False
        if (account, exec_id) in self._seen:
            return False
        self._seen.add((account, exec_id))
        entries = self._by_account.setdefault(account, [])
        if entries and entries[0].sent_at < now - self.retain:
            self._prune(account, entries, now - self.retain)
        entry = HistoryEntry(exec_id=exec_id, sent_at=now, report=report)
        if not entries or entries[-1].exec_id < exec_id:
            entries.append(entry)
        else:
            keys = [e.exec_id for e in entries]
            entries.insert(bisect.bisect_left(keys, exec_id), entry)
        return True

    def _prune(self, account: str, entries: list[HistoryEntry], older_than: float) -> None:
        # The newest aged-out entry stays: it marks where the replayable window begins.
        aged = next((i for i, e in enumerate(entries) if e.sent_at >= older_than), len(entries))
        keep = aged - 1
        if keep <= 0:
            return
        dropped = entries[:keep]
        del entries[:keep]
        for entry in dropped:
            self._seen.discard((account, entry.exec_id))
        newest = max(e.exec_id for e in dropped)
        previous = self._pruned_through.get(account)
        self._pruned_through[account] = newest if previous is None else max(previous, newest)

    def pruned_through(self, account: str) -> ExecId | None:
        """The newest ExecID of ``account`` dropped for age, if any."""
        return self._pruned_through.get(account)

    def between(
        self, account: str, begin: ExecId, end: ExecId | None = None
    ) -> list[HistoryEntry]:
        """Entries with ``begin <= ExecID <= end`` (``end`` None: to the latest), in order."""
        entries = self._by_account.get(account, [])
        keys = [e.exec_id for e in entries]
        lo = bisect.bisect_left(keys, begin)
        hi = len(entries) if end is None else bisect.bisect_right(keys, end)
        return entries[lo:hi]

    def oldest(self, account: str) -> HistoryEntry | None:
        entries = self._by_account.get(account)
        return entries[0] if entries else None

    def latest(self, account: str) -> HistoryEntry | None:
        entries = self._by_account.get(account)
        return entries[-1] if entries else None

    def entries(self, account: str) -> list[HistoryEntry]:
        return list(self._by_account.get(account, []))
