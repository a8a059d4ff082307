"""Text for people from the frames in the message log: a one-line summary, the raw frame
with ``|`` for SOH, and the field-by-field detail. Qt-free, so it is tested on its own.

Names come from :mod:`workstation.fix.describe`, which names tags per message type and
never shows RawData (96) or Password (554); :func:`redact` is applied again to every raw
frame shown or written, so a frame that reached the log unmasked is still masked here.
"""

from __future__ import annotations

from workstation.fix.codec import DATA_LENGTH_TAGS, parse_frame
from workstation.fix.describe import SECRET_TAGS, describe_lines, redact
from workstation.fix.dictionary import field_def, field_name, value_name

__all__ = ["KEY_TAGS", "detail_lines", "pipe_text", "summarize"]

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


def _item(name: str, value: str, value_name: str | None) -> str:
    shown = value_name if value_name is not None else value
    if len(shown) > _MAX_VALUE:
        shown = shown[: _MAX_VALUE - 1] + "…"
    return f"{name}={shown}"


def summarize(raw: bytes) -> str:
    """Key fields first (see :data:`KEY_TAGS`), then the other body fields before the first
    repeating group, up to eight items:
    ``ExecType=Trade  OrdStatus=Filled  Symbol=HIGHNY-23DEC31  Side=Buy YES …``.

    Cheaper than :func:`~workstation.fix.describe.describe` (it names eight fields, not all
    of them), because the log summarises every message as it arrives.
    """
    message = parse_frame(raw)
    msg_type = message.msg_type
    index = message.index
    chosen = [tag for tag in KEY_TAGS if tag in index]
    if len(chosen) < _MAX_ITEMS:
        seen = set(chosen)
        for tag, _value in message.fields:
            if tag in _HIDDEN or tag in seen:
                continue
            seen.add(tag)
            chosen.append(tag)
            definition = field_def(tag, msg_type)
            if len(chosen) >= _MAX_ITEMS or (
                definition is not None and definition.type == "NUMINGROUP"
            ):
                break  # group entries belong to the detail pane
    return "  ".join(
        _item(field_name(tag, msg_type), index[tag], value_name(tag, index[tag], msg_type))
        for tag in chosen[:_MAX_ITEMS]
    )


def detail_lines(raw: bytes, indent: str = "    ") -> list[str]:
    """Every field as ``Name(tag)=Value (ValueName)``, indented by repeating-group depth."""
    return describe_lines(parse_frame(redact(raw)), indent)
