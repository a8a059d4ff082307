"""The drop-copy history keeps reports for the lookback, drops older ones as new ones come,
and remembers how far it dropped."""

from __future__ import annotations

from decimal import Decimal

from workstation.fix.messages.enums import ExecType, OrdStatus, Side
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.simulator.exec_history import ExecHistory


def report(clock: int, exec_type: ExecType = ExecType.NEW) -> ExecutionReport:
    return ExecutionReport(
        exec_id=ExecId(clock=clock, event=1),
        order_id=f"o{clock}",
        cl_ord_id=f"c{clock}",
        exec_type=exec_type,
        ord_status=OrdStatus.NEW,
        symbol="KX-1",
        side=Side.BUY,
        order_qty=Decimal(1),
        cum_qty=Decimal(0),
        leaves_qty=Decimal(1),
        avg_px=Decimal(0),
    )


def test_old_reports_are_dropped_and_the_edge_remembered() -> None:
    history = ExecHistory(retain=100.0)
    for clock, at in ((1, 0.0), (2, 50.0), (3, 90.0)):
        assert history.record("a", report(clock), at)
    assert history.pruned_through("a") is None
    assert history.record("a", report(4), 160.0)  # 1 and 2 are now older than 100 s
    # 1 goes; 2, the newest aged-out report, stays to mark the edge of the window
    assert [e.exec_id.clock for e in history.entries("a")] == [2, 3, 4]
    assert history.pruned_through("a") == ExecId(clock=1, event=1)
    assert history.record("a", report(5), 400.0)  # now 2, 3 and 4 have aged out
    assert [e.exec_id.clock for e in history.entries("a")] == [4, 5]
    assert history.pruned_through("a") == ExecId(clock=3, event=1)
    assert history.pruned_through("b") is None


def test_rejects_and_duplicates_are_not_kept() -> None:
    history = ExecHistory()
    assert not history.record("a", report(1, ExecType.REJECTED), 0.0)
    assert history.record("a", report(2), 0.0)
    assert not history.record("a", report(2), 1.0)
    assert [e.exec_id.clock for e in history.between("a", ExecId(clock=0, event=0))] == [2]
