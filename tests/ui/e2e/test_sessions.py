"""The session panel through a dropped connection: the venue cuts our order session without a
Logout (admin ``drop``), the panel shows it reconnecting, then logged on again, and the
ticket trades as before."""

from __future__ import annotations

from tests.ui.e2e.harness import MARKET, Workstation, cell, submit_order, wait_until
from workstation.client.records import SessionPhase
from workstation.fix.dialect import SessionType
from workstation.trading.ticket import Intent
from workstation.ui.models.session_model import SessionStatusModel

RECONNECTING = SessionPhase.WAITING_TO_RECONNECT.value
LOGGED_ON = SessionPhase.ACTIVE.value


def shown_state(model: SessionStatusModel, session: SessionType) -> str:
    """The State cell of ``session``'s row, as the panel shows it."""
    for row in range(model.rowCount()):
        if model.data(model.index(row, model.COL_SESSION)) == session.value:
            return str(model.data(model.index(row, model.COL_STATE)))
    raise AssertionError(f"no {session.value} row in the session panel")


def test_a_dropped_order_session_reconnects_and_trades_again(qtbot, station: Workstation):
    model = station.session_status.model
    assert shown_state(model, SessionType.RT) == LOGGED_ON
    seen: list[str] = []

    def record(_infos: object) -> None:  # after the panel applied the same update
        state = shown_state(model, SessionType.RT)
        if not seen or seen[-1] != state:
            seen.append(state)

    station.bridge.sessions_changed.connect(record)
    link = station.desk.order_link()
    assert link is not None
    answer = station.admin("drop", key_id=link.settings.api_key_id)
    assert answer["dropped"] is True
    wait_until(lambda: RECONNECTING in seen, f"the panel to show reconnecting (saw {seen})")
    wait_until(
        lambda: seen[-1] == LOGGED_ON and seen.index(RECONNECTING) < len(seen) - 1,
        f"the panel to show logged on again (saw {seen})",
    )
    after = seen[seen.index(RECONNECTING) :]
    assert set(after) <= {RECONNECTING, "connecting", "logging on", LOGGED_ON}, seen
    others = {st: shown_state(model, st) for st in (SessionType.DC, SessionType.PT)}
    assert others == {SessionType.DC: LOGGED_ON, SessionType.PT: LOGGED_ON}  # only RT dropped

    order = submit_order(qtbot, station, MARKET, Intent.BUY_YES, "25", "2")
    wait_until(
        lambda: cell(station.blotter.working_table, order.first_cl_ord_id, "status") == "Working",
        "an order sent after the reconnect to work",
    )
