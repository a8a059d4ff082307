"""Text for people from the frames in the message log: a one-line summary, the raw frame
with ``|`` for SOH, and the field-by-field detail. Qt-free, so it is tested on its own.

Names come from :mod:`workstation.fix.describe`, which names tags per message type and
never shows RawData (96) or Password (554); :func:`redact` is applied again to every raw
frame shown or written, so a frame that reached the log unmasked is still masked here.
"""

from __future__ import annotations

from workstation.fix.codec import DATA_LENGTH_TAGS, parse_frame
from workstation.fix.describe import SECRET_TAGS, DescribedField, describe, describe_lines, redact

__all__ = ["KEY_TAGS", "detail_lines", "pipe_text", "summarize", "summary_of"]

#: Header and trailer tags: the table already shows MsgType and MsgSeqNum, and the rest
#: (CompIDs, SendingTime, lengths, checksum) says nothing about what the message is.
_FRAME_TAGS = frozenset({8, 9, 10, 34, 35, 43, 49, 50, 52, 56, 57, 97, 115, 122, 128, 1128, 1137})
_HIDDEN = _FRAME_TAGS | SECRET_TAGS | frozenset(DATA_LENGTH_TAGS)

#: Tags a trader looks for first, in the order the summary shows them when present.
KEY_TAGS: tuple[int, ...] = (
    150,  # ExecType
    39,  # OrdStatus
    55,  # Symbol
    54,  # Side
    38,  # OrderQty
    44,  # Price
    32,  # LastQty
    31,  # LastPx
    14,  # CumQty
    151,  # LeavesQty
    59,  # TimeInForce
    373,  # SessionRejectReason
    380,  # BusinessRejectReason
    102,  # CxlRejReason
    103,  # OrdRejReason
    45,  # RefSeqNum
    371,  # RefTagID
    372,  # RefMsgType
    7,  # BeginSeqNo
    16,  # EndSeqNo
    36,  # NewSeqNo
    123,  # GapFillFlag
    141,  # ResetSeqNumFlag
    108,  # HeartBtInt
    112,  # TestReqID
    131,  # QuoteReqID
    117,  # QuoteID
    11,  # ClOrdID
    41,  # OrigClOrdID
    58,  # Text
)
_KEY_RANK = {tag: rank for rank, tag in enumerate(KEY_TAGS)}
_MAX_ITEMS = 8
_MAX_VALUE = 40


def pipe_text(raw: bytes) -> str:
    """The redacted frame as one line, SOH written as ``|``."""
    return redact(raw).decode("latin-1").replace("\x01", "|")


def _item(df: DescribedField) -> str:
    value = df.value_name if df.value_name is not None else df.value
    if len(value) > _MAX_VALUE:
        value = value[: _MAX_VALUE - 1] + "…"
    return f"{df.name}={value}"


def summary_of(described: list[DescribedField]) -> str:
    """Key fields first (see :data:`KEY_TAGS`), then other body fields in wire order, up to
    eight items: ``ExecType=Trade OrdStatus=Filled Symbol=HIGHNY-23DEC31 Side=Buy YES …``."""
    top = [df for df in described if df.depth == 0 and df.tag not in _HIDDEN]
    seen: set[int] = set()
    keyed: list[DescribedField] = []
    for df in sorted((df for df in top if df.tag in _KEY_RANK), key=lambda d: _KEY_RANK[d.tag]):
        if df.tag not in seen:
            seen.add(df.tag)
            keyed.append(df)
    rest = [df for df in top if df.tag not in _KEY_RANK]
    chosen = (keyed + rest)[:_MAX_ITEMS]
    return "  ".join(_item(df) for df in chosen)


def summarize(raw: bytes) -> str:
    """:func:`summary_of` for a raw frame."""
    return summary_of(describe(parse_frame(raw)))


def detail_lines(raw: bytes, indent: str = "    ") -> list[str]:
    """Every field as ``Name(tag)=Value (ValueName)``, indented by repeating-group depth."""
    return describe_lines(parse_frame(redact(raw)), indent)
