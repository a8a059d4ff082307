"""The session table model: one row per session, ticking ages and countdowns, sorting."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt

from workstation.client.records import SessionPhase
from workstation.fix.dialect import SessionType
from workstation.ui.models.session_model import SessionStatusModel, shorten_key
from workstation.ui.theme import STATUS_COLORS, Theme

from .samples import API_KEY, T0, session_infos

M = SessionStatusModel
DISPLAY = Qt.ItemDataRole.DisplayRole


def row_texts(model: SessionStatusModel, row: int) -> dict[str, object]:
    return {
        M.HEADERS[col]: model.data(model.index(row, col), DISPLAY)
        for col in range(model.columnCount())
    }


def sessions(model: SessionStatusModel) -> list[str]:
    return [info.session.name for info in model.infos()]


def test_passes_the_model_tester_through_updates_ticks_and_sorts(qtmodeltester) -> None:
    model = SessionStatusModel(now=T0)
    model.update(session_infos())
    qtmodeltester.check(model, force_py=True)
    model.tick(T0 + 1)
    model.sort(M.COL_STATE, Qt.SortOrder.DescendingOrder)
    infos = session_infos()
    model.update([dataclasses.replace(infos[0], next_out_seq=2000), *infos[2:]])
    model.update(session_infos())
    assert model.rowCount() == 5


def test_each_column_of_an_active_session() -> None:
    model = SessionStatusModel(now=T0)
    model.update(session_infos())
    assert row_texts(model, 0) == {
        "Session": "KalshiRT",
        "State": "logged on",
        "Out seq": "1043",
        "In seq": "2210",
        "Last msg": "3 s ago",
        "RTT": "18 ms",
        "Reconnect": "",
        "CoD": "Yes",
        "Listener": "No",
        "Problem": "",
        "Endpoint": "127.0.0.1:8230",
        "API key": "a952bcbe…c1e2",
        "Account": "",
    }


def test_a_desk_monitor_shows_one_row_per_watched_account() -> None:
    """Listener sessions of the same type on several keys (one per account) each get a row,
    told apart by their account; an update keeps each row with its own session."""
    model = SessionStatusModel(now=T0)
    rt = session_infos()[0]
    desks = [
        dataclasses.replace(rt, api_key_id=f"key-{name}", account=name, listener=True)
        for name in ("desk-a", "desk-b", "desk-c")
    ]
    model.update(desks)
    assert model.rowCount() == 3
    assert [row_texts(model, r)["Account"] for r in range(3)] == ["desk-a", "desk-b", "desk-c"]
    assert {row_texts(model, r)["Session"] for r in range(3)} == {"KalshiRT"}
    model.update([dataclasses.replace(desks[1], next_in_seq=7), desks[0], desks[2]])
    rows = {row_texts(model, r)["Account"]: row_texts(model, r) for r in range(3)}
    assert rows["desk-b"]["In seq"] == "7" and rows["desk-a"]["In seq"] == "2210"
    model.update(desks[:1])
    assert model.rowCount() == 1 and row_texts(model, 0)["Account"] == "desk-a"


def test_reconnecting_session_counts_down_as_time_passes() -> None:
    model = SessionStatusModel(now=T0)
    model.update(session_infos())
    nr = 1
    assert row_texts(model, nr)["Reconnect"] == "in 5 s"
    assert row_texts(model, nr)["Last msg"] == "1 min 35 s ago"
    assert row_texts(model, nr)["Problem"] == "Connection reset by peer"
    changed: list[tuple[int, int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: changed.append((a.column(), a.row(), b.row())))
    model.tick(T0 + 3)
    assert row_texts(model, nr)["Reconnect"] == "in 2 s"
    assert row_texts(model, nr)["Last msg"] == "1 min 38 s ago"
    assert changed == [(M.COL_LAST, 0, 4), (M.COL_RECONNECT, 0, 4)]
    model.tick(T0 + 5)
    assert row_texts(model, nr)["Reconnect"] == "now"


def test_missing_values_read_as_dashes() -> None:
    model = SessionStatusModel(now=T0)
    model.update(session_infos())
    rfq = row_texts(model, 4)
    assert (rfq["Last msg"], rfq["RTT"], rfq["Reconnect"], rfq["Listener"]) == (
        "—",
        "—",
        "",
        "Yes",
    )


def test_state_tooltip_gives_the_reason_and_session_tooltip_the_kind() -> None:
    model = SessionStatusModel(now=T0)
    model.update(session_infos())
    tip = Qt.ItemDataRole.ToolTipRole
    assert "already exists" in model.data(model.index(3, M.COL_STATE), tip)
    assert model.data(model.index(0, M.COL_STATE), tip) == "Session is logged on"
    assert "serves resends" in model.data(model.index(0, M.COL_SESSION), tip)
    assert "no resends" in model.data(model.index(1, M.COL_SESSION), tip)
    assert model.data(model.index(0, M.COL_KEY), tip) == API_KEY


def test_update_changes_removes_and_adds_rows_with_few_signals() -> None:
    model = SessionStatusModel(now=T0)
    infos = session_infos()
    model.update(infos[:3])
    seen: list[tuple[str, int, int]] = []
    model.rowsRemoved.connect(lambda _p, a, b: seen.append(("removed", a, b)))
    model.rowsInserted.connect(lambda _p, a, b: seen.append(("inserted", a, b)))
    model.dataChanged.connect(lambda a, b, _r: seen.append(("changed", a.row(), b.row())))
    active_dc = dataclasses.replace(infos[2], phase=SessionPhase.ACTIVE)
    model.update([infos[0], active_dc, infos[3], infos[4]])
    assert seen == [("removed", 1, 1), ("changed", 1, 1), ("inserted", 2, 3)]
    assert sessions(model) == ["RT", "DC", "PT", "RFQ"]
    assert row_texts(model, 1)["State"] == "logged on"
    seen.clear()
    model.update([infos[0], active_dc, infos[3], infos[4]])
    assert seen == []  # nothing changed, nothing said


def test_sorting_is_kept_through_updates() -> None:
    model = SessionStatusModel(now=T0)
    model.update(session_infos())
    model.sort(M.COL_SESSION, Qt.SortOrder.AscendingOrder)
    assert sessions(model) == ["DC", "NR", "PT", "RFQ", "RT"]
    model.sort(M.COL_OUT_SEQ, Qt.SortOrder.DescendingOrder)
    assert sessions(model)[:2] == ["RT", "NR"]
    infos = session_infos()
    model.update([*infos, dataclasses.replace(infos[4], next_out_seq=5000)])
    assert sessions(model)[:3] == ["RFQ", "RT", "NR"]
    model.sort(M.COL_LAST, Qt.SortOrder.AscendingOrder)  # most recent first, never last
    assert sessions(model)[:3] == ["DC", "RT", "NR"]


def test_state_colours_per_phase_and_theme() -> None:
    model = SessionStatusModel(now=T0)
    model.update(session_infos())
    fg = Qt.ItemDataRole.ForegroundRole

    def colour(row: int) -> str:
        return str(model.data(model.index(row, M.COL_STATE), fg).name())

    light, dark = STATUS_COLORS[Theme.LIGHT], STATUS_COLORS[Theme.DARK]
    assert [colour(r) for r in range(5)] == [
        light.ok,
        light.busy,
        light.busy,
        light.bad,
        light.muted,
    ]
    model.set_theme(Theme.DARK)
    assert colour(0) == dark.ok
    assert colour(3) == dark.bad
    assert model.phase_color(SessionPhase.DISABLED).name() == dark.muted


def test_key_shortening() -> None:
    assert shorten_key(API_KEY) == "a952bcbe…c1e2"
    assert shorten_key("short-key") == "short-key"
    assert shorten_key("") == ""


def test_sort_on_a_bad_column_keeps_the_current_order() -> None:
    model = SessionStatusModel(now=T0)
    model.update(session_infos())
    model.sort(-1)
    assert sessions(model) == [
        s.name
        for s in (SessionType.RT, SessionType.NR, SessionType.DC, SessionType.PT, SessionType.RFQ)
    ]
