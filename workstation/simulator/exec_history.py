"""Every ExecutionReport the venue sent, by account, for drop-copy replay (SPEC §14.1).

Only replayable reports are kept: not pending ones (ExecID ``-1;-1``) and not rejects (no valid
ExecID). Reports are kept in ExecID order with the time they were sent, so a replay can honour
the 3-hour lookback. A report goes in once per ExecID and account, however many sessions it
was sent to. Reports older than ``retain`` seconds are dropped as new ones arrive (a venue with
simulated flow would otherwise grow without bound), all but the newest of them, which marks the
edge of the window; the newest dropped ExecID is remembered as well.

Memory: a venue with 100,000 resting orders holds 100,000 acknowledgements here, so each is
kept compact. Per account: the ExecIDs as 64-bit numbers in a sorted array (which also answers
"already kept?"; clock, event and exchange index in 31, 24 and 8 bits, ordered as the ExecIDs
are), the send times as an array of doubles, and each report packed without its ExecID
(:mod:`.compact_report`) — ~180 bytes a report instead of ~550 for the object, its ExecID
and a set of the ExecIDs seen. A :class:`HistoryEntry`, with its report rebuilt, is made only
when one is asked for (a replay, the state directory).
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass

from workstation.fix.messages.enums import ExecType
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.simulator.compact_report import PackedReport, pack_report, unpack_report

__all__ = ["ExecHistory", "HistoryEntry"]


@dataclass(frozen=True, slots=True, kw_only=True)
class HistoryEntry:
    """One kept report, as a replay or the state directory reads it."""

    exec_id: ExecId
    sent_at: float
    report: ExecutionReport


#: Drop copy looks back 3 hours (SPEC §14.1); keep a little more so the edge is exact.
DEFAULT_RETAIN_S = 3 * 3600 + 600


_CLOCK_BITS, _EVENT_BITS, _EXCHANGE_BITS = 31, 24, 8
_EVENT_SHIFT = _EXCHANGE_BITS
_CLOCK_SHIFT = _EVENT_BITS + _EXCHANGE_BITS


def _key(exec_id: ExecId) -> int:
    """``exec_id`` as one number that sorts as the ExecIDs do (a kept ExecID: the venue's)."""
    clock, event, exchange = exec_id.clock, exec_id.event, exec_id.exchange
    if not (
        0 <= clock < 1 << _CLOCK_BITS
        and 0 <= event < 1 << _EVENT_BITS
        and 0 <= exchange < 1 << _EXCHANGE_BITS
    ):
        raise ValueError(f"ExecID {exec_id} is beyond what the drop-copy history can keep")
    return clock << _CLOCK_SHIFT | event << _EVENT_SHIFT | exchange


def _parts(key: int) -> tuple[int, int, int]:
    return (
        key >> _CLOCK_SHIFT,
        key >> _EVENT_SHIFT & ((1 << _EVENT_BITS) - 1),
        key & ((1 << _EXCHANGE_BITS) - 1),
    )


def _exec_id(key: int) -> ExecId:
    return ExecId(*_parts(key))


def _order(exec_id: ExecId) -> tuple[int, int, int]:
    """What a searched-for ExecID (any, as a client sent it) is compared by."""
    return (exec_id.clock, exec_id.event, exec_id.exchange)


class _AccountReports:
    """One account's kept reports: three parallel sequences in ExecID order."""

    __slots__ = ("keys", "packed", "sent_at")

    def __init__(self) -> None:
        self.keys = array("q")  #: :func:`_key` of each ExecID, ascending
        self.sent_at = array("d")
        self.packed: list[PackedReport] = []

    def __len__(self) -> int:
        return len(self.keys)

    def entry(self, index: int) -> HistoryEntry:
        exec_id = _exec_id(self.keys[index])
        return HistoryEntry(
            exec_id=exec_id,
            sent_at=self.sent_at[index],
            report=unpack_report(self.packed[index], exec_id),
        )

    def insert(self, at: int, key: int, sent_at: float, packed: PackedReport) -> None:
        self.keys.insert(at, key)
        self.sent_at.insert(at, sent_at)
        self.packed.insert(at, packed)

    def delete_first(self, count: int) -> None:
        del self.keys[:count]
        del self.sent_at[:count]
        del self.packed[:count]

    def bisect_left(self, exec_id: ExecId) -> int:
        return bisect.bisect_left(self.keys, _order(exec_id), key=_parts)

    def bisect_right(self, exec_id: ExecId) -> int:
        return bisect.bisect_right(self.keys, _order(exec_id), key=_parts)


class ExecHistory:
    def __init__(self, retain: float = DEFAULT_RETAIN_S) -> None:
        self.retain = retain
        self._by_account: dict[str, _AccountReports] = {}
        self._pruned_through: dict[str, ExecId] = {}

    def record(self, account: str, report: ExecutionReport, now: float) -> bool:
        """Keep ``report``; False if it is not replayable or already kept."""
        exec_id = report.exec_id
        if exec_id is None or exec_id.is_pending or report.exec_type is ExecType.REJECTED:
            return False
        key = _key(exec_id)
        kept = self._by_account.get(account)
        if kept is None:
            kept = self._by_account[account] = _AccountReports()
        keys = kept.keys
        if not keys or keys[-1] < key:
            at = len(keys)  # the usual case: ExecIDs rise
        else:
            at = bisect.bisect_left(keys, key)
            if at < len(keys) and keys[at] == key:
                return False
        if keys and kept.sent_at[0] < now - self.retain:
            self._prune(account, kept, now - self.retain)
            at = bisect.bisect_left(keys, key)
        kept.insert(at, key, now, pack_report(report))
        return True

    def _prune(self, account: str, kept: _AccountReports, older_than: float) -> None:
        # The newest aged-out entry stays: it marks where the replayable window begins.
        sent = kept.sent_at
        aged = next((i for i, at in enumerate(sent) if at >= older_than), len(sent))
        keep = aged - 1
        if keep <= 0:
            return
        newest = _exec_id(max(kept.keys[:keep]))
        kept.delete_first(keep)
        previous = self._pruned_through.get(account)
        self._pruned_through[account] = newest if previous is None else max(previous, newest)

    def pruned_through(self, account: str) -> ExecId | None:
        """The newest ExecID of ``account`` dropped for age, if any."""
        return self._pruned_through.get(account)

    def newest_sent_before(self, account: str, cutoff: float) -> ExecId | None:
        """The newest ExecID among the kept reports of ``account`` sent before ``cutoff``."""
        kept = self._by_account.get(account)
        if kept is None:
            return None
        older = [key for key, at in zip(kept.keys, kept.sent_at, strict=True) if at < cutoff]
        return _exec_id(max(older)) if older else None

    def between(
        self, account: str, begin: ExecId, end: ExecId | None = None
    ) -> list[HistoryEntry]:
        """Entries with ``begin <= ExecID <= end`` (``end`` None: to the latest), in order."""
        kept = self._by_account.get(account)
        if kept is None:
            return []
        lo = kept.bisect_left(begin)
        hi = len(kept) if end is None else kept.bisect_right(end)
        return [kept.entry(i) for i in range(lo, hi)]

    def oldest(self, account: str) -> HistoryEntry | None:
        kept = self._by_account.get(account)
        return kept.entry(0) if kept else None

    def oldest_sent_at(self, account: str) -> float | None:
        """When the oldest kept report of ``account`` was sent (no report rebuilt)."""
        kept = self._by_account.get(account)
        return kept.sent_at[0] if kept else None

    def latest(self, account: str) -> HistoryEntry | None:
        kept = self._by_account.get(account)
        return kept.entry(len(kept) - 1) if kept else None

    def entries(self, account: str) -> list[HistoryEntry]:
        kept = self._by_account.get(account)
        return [] if kept is None else [kept.entry(i) for i in range(len(kept))]
