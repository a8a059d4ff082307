"""The drop-copy history keeps reports for the lookback, drops older ones as new ones come,
and remembers how far it dropped."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workstation.fix.messages.enums import ExecType, OrdStatus, Side
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.simulator.exec_history import ExecHistory


def report(
    clock: int, exec_type: ExecType = ExecType.NEW, event: int = 1, exchange: int = 0
) -> ExecutionReport:
    return ExecutionReport(
        exec_id=ExecId(clock=clock, event=event, exchange=exchange),
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


def test_reports_out_of_order_are_kept_in_execid_order_and_come_back_whole() -> None:
    history = ExecHistory()
    sent = [(10, 2, 0), (3, 7, 0), (10, 1, 0), (10, 1, 2), (300_000, 1, 0), (3, 7, 1)]
    for n, (clock, event, exchange) in enumerate(sent):
        assert history.record("a", report(clock, event=event, exchange=exchange), float(n))
    assert not history.record("a", report(10, event=1), 9.0)  # already kept
    ids = [(e.exec_id.clock, e.exec_id.event, e.exec_id.exchange) for e in history.entries("a")]
    assert ids == sorted(sent)
    for entry in history.entries("a"):
        clock, event, exchange = entry.exec_id.clock, entry.exec_id.event, entry.exec_id.exchange
        assert entry.report == report(clock, event=event, exchange=exchange)
        assert entry.sent_at == sent.index((clock, event, exchange))
    assert history.latest("a") == history.entries("a")[-1]


def test_ranges_compare_execids_as_numbers_even_beyond_what_is_kept() -> None:
    history = ExecHistory()
    for clock in (9, 10, 11, 100):
        history.record("a", report(clock), 0.0)

    def clocks(begin: ExecId, end: ExecId | None = None) -> list[int]:
        return [e.exec_id.clock for e in history.between("a", begin, end)]

    assert clocks(ExecId(10, 0)) == [10, 11, 100]
    assert clocks(ExecId(9, 2), ExecId(11, 1)) == [10, 11]
    assert clocks(ExecId(9, 1 << 40), ExecId(11, 1 << 40, 1 << 20)) == [10, 11]  # huge parts
    assert clocks(ExecId(1 << 45, 0)) == []
    assert clocks(ExecId(0, 0), ExecId(1 << 45, 0)) == [9, 10, 11, 100]
    assert history.between("nobody", ExecId(0, 0)) == []


def test_an_execid_too_large_to_keep_is_refused_loudly() -> None:
    with pytest.raises(ValueError, match="beyond"):
        ExecHistory().record("a", report(1 << 31), 0.0)


def test_newest_sent_before_a_time() -> None:
    history = ExecHistory()
    for clock, at in ((5, 10.0), (6, 30.0), (4, 20.0)):
        history.record("a", report(clock), at)
    assert history.newest_sent_before("a", 25.0) == ExecId(5, 1)
    assert history.newest_sent_before("a", 5.0) is None
    assert history.oldest_sent_at("a") == 20.0  # the oldest ExecID's send time
    assert history.newest_sent_before("b", 99.0) is None
