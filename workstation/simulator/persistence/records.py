"""Kept messages as stored text: ExecutionReports (drop-copy history) and UMS pages.

A message is stored as its body fields, in the dollars price format (exact for sub-penny
prices), as a JSON list of ``[tag, value]`` pairs, and read back with its own typed parser,
so what is replayed after a restart is what the typed message writes. Times keep the wire's
millisecond precision.
"""

from __future__ import annotations

import json
from typing import Any

from workstation.fix.message import FixMessage
from workstation.fix.messages.errors import MessageError
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.fields import Body
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.messages.settlement import MarketSettlementReport
from workstation.simulator.persistence.codec import CodecError

__all__ = [
    "decode_report",
    "decode_settlement",
    "encode_report",
    "encode_settlement",
]

_FORMAT = PriceFormat.DOLLARS


def _encode(body: Body) -> str:
    return json.dumps(body, separators=(",", ":"))


def _message(msg_type: str, text: str) -> FixMessage:
    try:
        pairs: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CodecError(f"a stored {msg_type} is not JSON: {exc}") from None
    if not isinstance(pairs, list) or not all(
        isinstance(p, list)
        and len(p) == 2
        and isinstance(p[0], int)
        and not isinstance(p[0], bool)
        and isinstance(p[1], str)
        for p in pairs
    ):
        raise CodecError(f"a stored {msg_type} is not a list of [tag, text] pairs")
    return FixMessage([(35, msg_type), *((tag, value) for tag, value in pairs)])


def encode_report(report: ExecutionReport) -> str:
    return _encode(report.to_body(_FORMAT))


def decode_report(text: str) -> ExecutionReport:
    try:
        return ExecutionReport.from_message(_message(ExecutionReport.MSG_TYPE, text), _FORMAT)
    except MessageError as exc:
        raise CodecError(f"a stored ExecutionReport does not parse: {exc.text}") from None


def encode_settlement(report: MarketSettlementReport) -> str:
    return _encode(report.to_body(_FORMAT))


def decode_settlement(text: str) -> MarketSettlementReport:
    try:
        msg = _message(MarketSettlementReport.MSG_TYPE, text)
        return MarketSettlementReport.from_message(msg, _FORMAT)
    except MessageError as exc:
        raise CodecError(f"a stored MarketSettlementReport does not parse: {exc.text}") from None
