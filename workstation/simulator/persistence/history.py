"""The drop-copy history, noting what it keeps so the state directory can write it down."""

from __future__ import annotations

from workstation.fix.messages.execution import ExecutionReport
from workstation.simulator.exec_history import ExecHistory, HistoryEntry

__all__ = ["RecordingExecHistory"]


class RecordingExecHistory(ExecHistory):
    """An :class:`ExecHistory` that also lists each report it keeps until :meth:`take_unsaved`.

    Reports put back with :meth:`restore` (read from disk) are kept but not listed.
    """

    def __init__(self) -> None:
        super().__init__()
        self._unsaved: list[tuple[str, HistoryEntry]] = []

    def record(self, account: str, report: ExecutionReport, now: float) -> bool:
        if not super().record(account, report, now):
            return False
        exec_id = report.exec_id
        assert exec_id is not None  # ExecHistory keeps only reports with an ExecID
        self._unsaved.append((account, HistoryEntry(exec_id=exec_id, sent_at=now, report=report)))
        return True

    def restore(self, account: str, report: ExecutionReport, sent_at: float) -> None:
        """Keep a report read back from disk, without listing it as unsaved."""
        super().record(account, report, sent_at)

    def take_unsaved(self) -> list[tuple[str, HistoryEntry]]:
        """The (account, entry) pairs kept since the last call, oldest first."""
        unsaved, self._unsaved = self._unsaved, []
        return unsaved
