"""The message log model: batched inserts, the cap, filters, pause, and what each cell says."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from workstation.client.records import Direction, WireRecord
from workstation.fix.dialect import SessionType
from workstation.ui.models.message_log_model import LogFilter, MessageLogModel
from workstation.ui.theme import STATUS_COLORS, Theme

from .samples import SIGNATURE, conversation, heartbeats

DISPLAY = Qt.ItemDataRole.DisplayRole


class Signals:
    """Records the row signals a model emits, as (name, first, last)."""

    def __init__(self, model: MessageLogModel) -> None:
        self.seen: list[tuple[str, int, int]] = []
        model.rowsInserted.connect(lambda _p, a, b: self.seen.append(("inserted", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.seen.append(("removed", a, b)))
        model.modelReset.connect(lambda: self.seen.append(("reset", -1, -1)))


def cell(model: MessageLogModel, row: int, col: int, role: int = DISPLAY) -> object:
    return model.data(model.index(row, col), role)


def seqs(model: MessageLogModel) -> list[int]:
    return [r.seq for r in model.records()]


def test_passes_the_model_tester_through_inserts_drops_and_filters(qtmodeltester) -> None:
    model = MessageLogModel(cap=20)
    model.append(conversation())
    qtmodeltester.check(model, force_py=True)
    model.append(heartbeats(10))  # 26 records: six oldest dropped, all under the tester's eye
    model.set_filter(LogFilter(sessions=frozenset({SessionType.RT})))
    model.append(heartbeats(3))
    model.set_filter(LogFilter())
    assert model.rowCount() == 20


def test_a_batch_is_one_insert() -> None:
    model = MessageLogModel()
    signals = Signals(model)
    model.append(conversation()[:5])
    model.append(conversation()[5:])
    assert signals.seen == [("inserted", 0, 4), ("inserted", 5, 15)]
    assert model.rowCount() == 16
    model.append([])
    assert len(signals.seen) == 2


def test_cap_drops_the_oldest_with_one_removal() -> None:
    model = MessageLogModel(cap=10)
    signals = Signals(model)
    first, second = heartbeats(7), heartbeats(7, start=10_000)
    model.append(first)
    model.append(second)
    assert model.rowCount() == 10
    assert model.records()[0] is first[4]
    assert model.records()[-1] is second[-1]
    assert model.dropped == 4
    assert signals.seen == [("inserted", 0, 6), ("removed", 0, 3), ("inserted", 3, 9)]


def test_a_batch_larger_than_the_cap_keeps_its_newest() -> None:
    model = MessageLogModel(cap=5)
    batch = heartbeats(12)
    model.append(batch)
    assert model.records() == batch[-5:]
    assert model.dropped == 7


def test_cap_counts_hidden_records_and_removes_only_shown_rows() -> None:
    model = MessageLogModel(cap=6)
    rt, nr = heartbeats(4, session=SessionType.RT), heartbeats(4, session=SessionType.NR)
    model.set_filter(LogFilter(sessions=frozenset({SessionType.NR})))
    signals = Signals(model)
    model.append(rt[:2] + nr[:2])  # shown: nr0 nr1
    model.append(rt[2:] + nr[2:])  # drops rt0 rt1 (hidden): no removal signal
    assert model.total == 6
    assert model.records() == nr
    assert signals.seen == [("inserted", 0, 1), ("inserted", 2, 3)]
    model.append(heartbeats(3, session=SessionType.NR, start=99_000))  # drops nr0 nr1 rt2
    assert signals.seen[-2:] == [("removed", 0, 1), ("inserted", 2, 4)]
    assert model.total == 6
    assert model.dropped == 5


def test_filter_by_session_type_and_text() -> None:
    model = MessageLogModel()
    model.append(conversation())

    def shown(**kwargs: object) -> list[str]:
        model.set_filter(LogFilter(**kwargs))  # type: ignore[arg-type]
        return [f"{r.session.name}:{r.msg_type}" for r in model.records()]

    assert shown(sessions=frozenset({SessionType.PT})) == ["PT:A", "PT:A", "PT:UMS"]
    assert shown(msg_types=frozenset({"8"})) == ["RT:8", "RT:8"]
    assert shown(sessions=frozenset({SessionType.NR}), msg_types=frozenset({"D", "3"})) == [
        "NR:D",
        "NR:3",
    ]
    assert "RT:0" not in shown(hidden_types=frozenset({"0"}))
    assert shown(text="highny") == ["RT:D", "RT:8", "RT:8", "PT:UMS"]  # case-insensitive
    assert shown(text="partially FILLED") == ["RT:8"]  # the summary's value names
    assert shown(text="settlementreport") == ["PT:UMS"]  # the type's name
    assert shown(text="39=1|") == ["RT:8"]  # raw text, | standing for SOH
    assert shown(text="   ") == shown()  # blank text filters nothing
    assert shown(text=SIGNATURE[:20]) == []  # the masked signature is not searchable


def test_typing_on_and_back_shows_what_a_fresh_filter_shows() -> None:
    """More letters look only at the rows shown; fewer, or another session, at every record;
    either way the rows are the ones a fresh model with that filter shows."""
    model = MessageLogModel()
    model.append(conversation())
    rt = frozenset({SessionType.RT})
    steps = [
        LogFilter(text="p"),
        LogFilter(text="pa"),
        LogFilter(text="partially"),  # only in the summary of the RT 8
        LogFilter(text="partially f"),
        LogFilter(text="pa"),
        LogFilter(text="pa", sessions=rt),
        LogFilter(text="partially", sessions=rt),
        LogFilter(text="", sessions=rt),
        LogFilter(),
    ]
    for step in steps:
        model.set_filter(step)
        fresh = MessageLogModel()
        fresh.set_filter(step)
        fresh.append(conversation())
        assert seqs(model) == seqs(fresh), step
    model.set_filter(LogFilter(text="partially"))
    assert [r.msg_type for r in model.records()] == ["8"]
    assert "OrdStatus=Partially filled" in str(cell(model, 0, MessageLogModel.COL_SUMMARY))


def test_filter_applies_to_records_that_arrive_later() -> None:
    model = MessageLogModel()
    model.set_filter(LogFilter(msg_types=frozenset({"0"})))
    model.append(conversation())
    assert {r.msg_type for r in model.records()} == {"0"}
    assert model.total == 16
    assert model.rowCount() == 4


def test_pause_holds_and_counts_then_resume_adds_in_one_batch() -> None:
    model = MessageLogModel()
    signals = Signals(model)
    held_counts: list[int] = []
    model.held_changed.connect(held_counts.append)
    model.append(heartbeats(2))
    model.set_paused(True)
    model.append(heartbeats(3, start=1000))
    model.append(heartbeats(4, start=2000))
    assert model.rowCount() == 2
    assert model.held_count == 7
    assert held_counts == [3, 7]
    model.set_paused(False)
    assert model.rowCount() == 9
    assert model.held_count == 0
    assert held_counts == [3, 7, 0]
    assert signals.seen == [("inserted", 0, 1), ("inserted", 2, 8)]


def test_what_is_held_while_paused_is_capped_too() -> None:
    model = MessageLogModel(cap=5)
    model.set_paused(True)
    batch = heartbeats(8)
    model.append(batch)
    assert model.held_count == 8
    model.set_paused(False)
    assert model.records() == batch[-5:]
    assert model.dropped == 3


def test_cells_show_time_session_direction_type_seq_and_summary() -> None:
    model = MessageLogModel()
    records = conversation()
    model.append(records)
    m = MessageLogModel
    row = 7  # the first ExecutionReport
    assert cell(model, row, m.COL_TIME) == "14:30:06.096"
    assert cell(model, row, m.COL_SESSION) == "KalshiRT"
    assert cell(model, row, m.COL_DIRECTION) == "← in"
    assert cell(model, 6, m.COL_DIRECTION) == "→ out"
    assert cell(model, row, m.COL_TYPE) == "8 ExecutionReport"
    assert cell(model, row, m.COL_SEQ) == "2"
    assert str(cell(model, row, m.COL_SUMMARY)).startswith("ExecType=New  OrdStatus=New")
    tooltip = str(cell(model, row, m.COL_TIME, Qt.ItemDataRole.ToolTipRole))
    assert tooltip.splitlines() == [
        "2026-03-12 10:30:06.096 EDT",
        "2026-03-12 14:30:06.096 UTC",
    ]
    assert cell(model, row, m.COL_SEQ, Qt.ItemDataRole.TextAlignmentRole) == (
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert cell(model, row, 0, MessageLogModel.RecordRole) is records[row]
    assert model.data(QModelIndex(), DISPLAY) is None
    assert model.headerData(m.COL_TIME, Qt.Orientation.Horizontal) == "Time (UTC)"


def test_no_cell_or_tooltip_shows_the_signature() -> None:
    model = MessageLogModel()
    model.append(conversation())
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            for role in (DISPLAY, Qt.ItemDataRole.ToolTipRole):
                assert SIGNATURE[:24] not in str(cell(model, row, col, role))


def test_direction_colours_follow_the_theme() -> None:
    model = MessageLogModel()
    model.append(conversation()[:2])
    changed: list[int] = []
    model.dataChanged.connect(lambda a, b, roles: changed.append(len(roles)))
    col = MessageLogModel.COL_DIRECTION
    fg = Qt.ItemDataRole.ForegroundRole
    assert cell(model, 1, col, fg).name() == STATUS_COLORS[Theme.LIGHT].inbound  # type: ignore[attr-defined]
    model.set_theme(Theme.DARK)
    assert cell(model, 0, col, fg).name() == STATUS_COLORS[Theme.DARK].outbound  # type: ignore[attr-defined]
    assert changed == [1]


def test_types_seen_are_announced_once() -> None:
    model = MessageLogModel()
    announced: list[list[str]] = []
    model.types_changed.connect(lambda: announced.append(model.types_seen()))
    model.append(heartbeats(4))
    model.append(heartbeats(2))
    model.append(conversation())
    assert announced == [["0"], ["0", "3", "8", "A", "D", "UMS"]]


def test_clear_forgets_everything() -> None:
    model = MessageLogModel()
    model.append(conversation())
    model.set_paused(True)
    model.append(heartbeats(2))
    model.clear()
    assert (model.rowCount(), model.total, model.held_count) == (0, 0, 0)


def test_record_for_a_row() -> None:
    model = MessageLogModel()
    records = conversation()
    model.append(records)
    assert model.record(3) is records[3]
    assert model.records([5, 1]) == [records[5], records[1]]
    assert isinstance(model.record(0), WireRecord)
    assert model.record(0).direction is Direction.OUT
