"""One-line summaries, raw frames with | for SOH, and field-by-field detail; never a secret."""

from __future__ import annotations

from workstation.fix.codec import encode_message
from workstation.ui.models.wire_text import detail_lines, pipe_text, summarize

from .samples import SIGNATURE, conversation, logon_body

HEADER = [(49, "key"), (56, "KalshiRT"), (34, "7"), (52, "20260312-14:30:05.000")]


def test_summary_puts_key_fields_first_with_value_names() -> None:
    raw = encode_message(
        "8",
        HEADER,
        [
            (37, "ord-1"),
            (11, "c-1"),
            (17, "e-2"),
            (150, "F"),
            (39, "1"),
            (55, "HIGHNY"),
            (54, "2"),
            (38, "10"),
            (44, "75"),
            (32, "4"),
            (31, "74"),
            (14, "4"),
            (151, "6"),
        ],
    )
    assert summarize(raw) == (
        "ExecType=Trade  OrdStatus=Partially filled  Symbol=HIGHNY  Side=Sell YES (buy NO)  "
        "OrderQty=10  Price=75  LastQty=4  LastPx=74"
    )


def test_summary_falls_back_to_body_fields_and_skips_the_header() -> None:
    raw = encode_message("UOG", HEADER, [(20131, "g-1"), (20132, "5")])
    summary = summarize(raw)
    assert "SenderCompID" not in summary and "MsgSeqNum" not in summary
    assert summary.count("=") == 2


def test_summary_shortens_long_values() -> None:
    raw = encode_message("j", HEADER, [(58, "x" * 100)])
    assert summarize(raw) == "Text=" + "x" * 39 + "…"


def test_logon_summary_and_pipes_hide_the_signature() -> None:
    raw = encode_message("A", HEADER, logon_body())
    assert SIGNATURE.encode() in raw  # an unmasked frame, as if the client forgot to redact
    summary = summarize(raw)
    assert summary == "ResetSeqNumFlag=Y  HeartBtInt=30  EncryptMethod=None"
    piped = pipe_text(raw)
    assert SIGNATURE not in piped
    assert f"|96={'*' * len(SIGNATURE)}|" in piped
    assert piped.startswith("8=FIXT.1.1|9=") and piped.endswith("|")
    assert "\x01" not in piped


def test_detail_names_every_field_and_indents_nested_groups() -> None:
    (ums,) = [r for r in conversation() if r.msg_type == "UMS"]
    lines = detail_lines(ums.raw)
    assert lines[2] == "MsgType(35)=UMS (MarketSettlementReport)"
    by_tag = {line.strip().split("(")[1].split(")")[0]: line for line in lines}
    assert by_tag["20108"].startswith("NoMarketSettlementPartyIDs(20108)=1")
    assert by_tag["20109"].startswith("    ")  # inside the party entry
    assert by_tag["1704"].startswith("        ")  # inside collateral, inside the party
    assert not by_tag["55"].startswith(" ")


def test_detail_of_a_logon_redacts_raw_data() -> None:
    raw = encode_message("A", HEADER, logon_body())
    lines = detail_lines(raw)
    assert f"RawData(96)=<redacted {len(SIGNATURE)} bytes>" in lines
    assert not any(SIGNATURE in line for line in lines)
