"""The message log panel: filter controls, pause, copy raw, export, and the detail pane."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from workstation.fix.dialect import SessionType
from workstation.ui.panels.message_log import MessageLogPanel, detail_text

from .samples import SIGNATURE, conversation, heartbeats


@pytest.fixture
def panel(qtbot) -> MessageLogPanel:
    widget = MessageLogPanel()
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.model.append(conversation())
    return widget


def types_shown(panel: MessageLogPanel) -> list[str]:
    return [r.msg_type for r in panel.model.records()]


def choose(combo_owner: MessageLogPanel, combo_name: str, text: str) -> None:
    combo = getattr(combo_owner, combo_name)
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {combo_name}"
    combo.setCurrentIndex(index)


def test_session_filter(panel: MessageLogPanel) -> None:
    choose(panel, "session_filter", "KalshiPT")
    assert {r.session for r in panel.model.records()} == {SessionType.PT}
    choose(panel, "session_filter", "All sessions")
    assert panel.model.rowCount() == 16


def test_type_filter_lists_the_types_seen_and_can_hide_heartbeats(panel: MessageLogPanel) -> None:
    items = [panel.type_filter.itemText(i) for i in range(panel.type_filter.count())]
    assert items[:2] == ["All types", "All but heartbeats"]
    assert "8 ExecutionReport" in items and "UMS MarketSettlementReport" in items
    choose(panel, "type_filter", "8 ExecutionReport")
    assert types_shown(panel) == ["8", "8"]
    panel.model.append(heartbeats(2) + conversation()[7:8])
    assert types_shown(panel) == ["8", "8", "8"]  # later arrivals are filtered too
    choose(panel, "type_filter", "All but heartbeats")
    assert "0" not in types_shown(panel)


def test_new_types_keep_the_current_choice(panel: MessageLogPanel) -> None:
    choose(panel, "type_filter", "D NewOrderSingle")
    reject = dataclasses.replace(heartbeats(1)[0], msg_type="j")
    panel.model.append([reject])
    assert panel.type_filter.currentText() == "D NewOrderSingle"
    assert panel.type_filter.findText("j BusinessMessageReject") >= 0
    assert types_shown(panel) == ["D", "D"]


def test_text_filter_waits_for_typing_to_stop(panel: MessageLogPanel, qtbot) -> None:
    panel.text_filter.setText("highny")
    assert panel.model.rowCount() == 16  # not yet: the filter waits for a pause
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=2000)
    assert types_shown(panel) == ["D", "8", "8", "UMS"]
    panel.text_filter.clear()
    panel.apply_filters()
    assert panel.model.rowCount() == 16


def test_pause_button_holds_and_counts(panel: MessageLogPanel) -> None:
    panel.pause_button.click()
    panel.model.append(heartbeats(3))
    assert panel.model.rowCount() == 16
    assert panel.pause_button.text() == "Resume (3 new)"
    assert "paused, 3 held" in panel.counts.text()
    panel.pause_button.click()
    assert panel.model.rowCount() == 19
    assert panel.pause_button.text() == "Pause"
    assert panel.counts.text() == "19 shown of 19"


def test_copy_raw_puts_selected_frames_on_the_clipboard(panel: MessageLogPanel) -> None:
    assert panel.copy_raw() == ""  # nothing selected, nothing copied
    panel.select_row(0)  # the outgoing Logon, with its signature
    panel.table.selectionModel().select(
        panel.model.index(6, 0),
        panel.table.selectionModel().SelectionFlag.Select
        | panel.table.selectionModel().SelectionFlag.Rows,
    )
    text = panel.copy_raw()
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("8=FIXT.1.1|9=") and "|35=A|" in lines[0]
    assert "|35=D|" in lines[1] and "|55=HIGHNY-23DEC31|" in lines[1]
    assert SIGNATURE not in text and "\x01" not in text
    assert QGuiApplication.clipboard().text() == text


def test_export_writes_the_shown_frames_raw_and_redacted(
    panel: MessageLogPanel, tmp_path: Path
) -> None:
    choose(panel, "session_filter", "KalshiRT")
    target = tmp_path / "session.log"
    assert panel.export(target) == 7
    data = target.read_bytes()
    lines = data.split(b"\n")
    assert lines[-1] == b""
    assert len(lines) == 8
    assert all(line.startswith(b"8=FIXT.1.1\x019=") for line in lines[:-1])
    assert all(
        b"\x0156=KalshiRT\x01" in line or b"\x0149=KalshiRT\x01" in line for line in lines[:-1]
    )
    assert SIGNATURE.encode() not in data
    assert b"\x0196=" + b"*" * len(SIGNATURE) + b"\x01" in lines[0]


def test_failed_export_says_why(panel: MessageLogPanel, tmp_path: Path) -> None:
    panel._export_to(tmp_path / "missing-dir" / "x.log")
    assert panel.error.isVisibleTo(panel)
    assert panel.error.text().startswith("Export failed: No such file or directory")
    panel._export_to(tmp_path / "ok.log")
    assert not panel.error.isVisibleTo(panel)
    assert panel.counts.text().endswith("exported 16 to ok.log")


def test_detail_pane_names_every_field_of_the_selected_message(panel: MessageLogPanel) -> None:
    assert panel.detail.toPlainText() == ""
    panel.select_row(8)  # the partial fill
    text = panel.detail.toPlainText()
    lines = text.splitlines()
    assert lines[0] == "← in from KalshiRT · ExecutionReport (8) · MsgSeqNum 3"
    assert lines[1] == "2026-03-12 14:30:06.233 UTC · 2026-03-12 10:30:06.233 EDT"
    assert "ExecType(150)=F (Trade)" in lines
    assert "OrdStatus(39)=1 (Partially filled)" in lines
    assert "Side(54)=1 (Buy YES)" in lines
    assert "LastPx(31)=74" in lines


def test_detail_pane_indents_groups_and_redacts_raw_data(panel: MessageLogPanel) -> None:
    panel.select_row(15)  # the settlement report: parties, and collateral inside each party
    lines = panel.detail.toPlainText().splitlines()
    assert "NoMarketSettlementPartyIDs(20108)=1" in lines
    assert "    MarketSettlementPartyID(20109)=user-456" in lines
    assert "    NoCollateralAmountChanges(1703)=1" in lines
    assert "        CollateralAmountType(1705)=PAYOUT (Payout)" in lines
    assert "CheckSum(10)=" in lines[-1] and not lines[-1].startswith(" ")
    panel.select_row(0)
    text = panel.detail.toPlainText()
    assert f"RawData(96)=<redacted {len(SIGNATURE)} bytes>" in text
    assert SIGNATURE not in text


def test_filtering_clears_the_detail_pane(panel: MessageLogPanel) -> None:
    panel.select_row(3)
    assert panel.detail.toPlainText()
    choose(panel, "session_filter", "KalshiNR")
    assert panel.detail.toPlainText() == ""


def test_detail_text_for_an_outgoing_message() -> None:
    record = conversation()[6]
    assert detail_text(record).splitlines()[0] == (
        "→ out to KalshiRT · NewOrderSingle (D) · MsgSeqNum 2"
    )


def test_every_control_explains_itself(panel: MessageLogPanel) -> None:
    for widget in (
        panel.session_filter,
        panel.type_filter,
        panel.text_filter,
        panel.pause_button,
        panel.copy_button,
        panel.export_button,
        panel.detail,
    ):
        assert widget.toolTip(), widget.objectName()
