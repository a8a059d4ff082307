"""Kept messages as stored text: ExecutionReports (drop-copy history) and UMS pages.

An ExecutionReport is stored as the typed message's own fields: a JSON object of every field
it sets (:meth:`~.codec.RecordCodec.encode_sparse`: Decimals as their exact text, enums as
their wire values, times as the epoch seconds it holds), read back into an equal
:class:`ExecutionReport`, so what is replayed after a restart is what was sent. A drop-copy
history is written as fast as reports are sent (a sweep sends thousands in one step), and
this is several times cheaper than writing the message's body. Files written before schema
version 3 hold the older form, which is still read: the body fields in the dollars price
format as a JSON list of ``[tag, value]`` pairs, read back with the typed parser (times at
the wire's millisecond precision).

A UMS page is stored in that older form.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from workstation.fix.message import FixMessage
from workstation.fix.messages.errors import MessageError
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.fields import Body
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.messages.settlement import MarketSettlementReport
from workstation.simulator.persistence.codec import CodecError, codec_for

__all__ = [
    "decode_report",
    "decode_settlement",
    "encode_report",
    "encode_settlement",
]

_FORMAT = PriceFormat.DOLLARS
_REPORTS = codec_for(ExecutionReport)
#: json.dumps(value, separators=(",", ":")), without making an encoder for every report
_dumps: Callable[[Any], str] = json.JSONEncoder(separators=(",", ":"), check_circular=False).encode


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
    return _dumps(_REPORTS.encode_sparse(report))


def decode_report(text: str) -> ExecutionReport:
    if not text.startswith("["):
        try:
            data: Any = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CodecError(f"a stored ExecutionReport is not JSON: {exc}") from None
        return _REPORTS.decode(data)
    try:  # the form before schema version 3
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
