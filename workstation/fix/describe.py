"""Human-readable descriptions of FIX messages, for the message log and the UI.

:func:`describe` turns a parsed message into one :class:`DescribedField` per field, with the
tag's name and its value's name taken from the dictionary *for that message type* (21003 is
SkipPendingExecReports on a Logon and ResendEventCount on U2; 297 is QuoteStatus on AI and the
old QuoteConfirmStatus on U8), and the nesting depth of repeating groups (UMS nests 1703 and
136 inside 20108) so a view can indent them.

Secrets never leave this module in the clear: RawData (96, the logon signature) and Password
(554) are described as ``<redacted N bytes>``, and :func:`redact` masks them in raw frames
before they are logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.fix.codec import DATA_LENGTH_TAGS
from workstation.fix.dictionary import GROUPS, field_def, field_name, value_name
from workstation.fix.dictionary_fields import MESSAGE_GROUP_TABLE
from workstation.fix.message import FixMessage

__all__ = ["SECRET_TAGS", "DescribedField", "describe", "describe_lines", "format_field", "redact"]

#: Tags whose values are never shown or logged: RawData (the signature) and Password.
SECRET_TAGS = frozenset({96, 554})
#: ``96=`` and ``554=``: a frame without any of these holds no secret field at all.
_SECRET_MARKERS = tuple(f"{tag}=".encode("ascii") for tag in sorted(SECRET_TAGS))

_SOH = 0x01


@dataclass(frozen=True, slots=True, kw_only=True)
class DescribedField:
    """One field of a message as a person reads it.

    ``value`` is the wire text (already redacted for secret tags); ``value_name`` is the
    enum's name for it, if the dictionary has one; ``depth`` is 0 outside repeating groups,
    1 inside a group entry, 2 inside a group nested in an entry, and so on.
    """

    tag: int
    name: str
    value: str
    value_name: str | None
    depth: int


@dataclass(slots=True)
class _OpenGroup:
    members: frozenset[int]
    count: int | None  # None when the NumInGroup value is not a number
    delimiter: int | None = None  # the tag that opened the first entry
    entries: int = 0


def describe(message: FixMessage) -> list[DescribedField]:
    """Every field of ``message`` in wire order, named for its message type."""
    msg_type = message.msg_type
    out: list[DescribedField] = []
    stack: list[_OpenGroup] = []
    for tag, value in message.fields:
        _close_groups(stack, tag)
        if stack:
            group = stack[-1]
            if group.delimiter is None:
                group.delimiter = tag
            if tag == group.delimiter:
                group.entries += 1
        depth = len(stack)
        if tag in SECRET_TAGS:
            size = len(value.encode("latin-1", "replace"))  # wire text is latin-1 decoded
            shown, named = f"<redacted {size} bytes>", None
        else:
            shown, named = value, value_name(tag, value, msg_type)
        out.append(
            DescribedField(
                tag=tag,
                name=field_name(tag, msg_type),
                value=shown,
                value_name=named,
                depth=depth,
            )
        )
        opened = _open_group(msg_type, tag, value)
        if opened is not None:
            stack.append(opened)
    return out


def _close_groups(stack: list[_OpenGroup], tag: int) -> None:
    """Pop every group ``tag`` cannot belong to (or whose entries are all used up)."""
    while stack:
        group = stack[-1]
        if tag not in group.members:
            stack.pop()
            continue
        starts_entry = group.delimiter is None or tag == group.delimiter
        if starts_entry and group.count is not None and group.entries >= group.count:
            stack.pop()  # one entry more than NumInGroup: the tag belongs further out
            continue
        return


def _open_group(msg_type: str, tag: int, value: str) -> _OpenGroup | None:
    definition = field_def(tag, msg_type)
    if definition is None or definition.type != "NUMINGROUP":
        return None
    specific = MESSAGE_GROUP_TABLE.get((msg_type, tag))
    if specific is not None:
        members = frozenset(specific)
    elif tag in GROUPS:
        members = GROUPS[tag].members | {GROUPS[tag].delimiter}
    else:
        return None
    count = int(value) if value.isdigit() and value.isascii() else None
    if count == 0:
        return None
    # The first member tag after the count opens each entry. The dictionary's delimiter is
    # not assumed: 1.0.13 RFQ examples open 146 entries with 38, MVE requests with 38 too.
    return _OpenGroup(members=members, count=count)


def format_field(df: DescribedField) -> str:
    """``Name(tag)=Value (ValueName)``, or ``Name(tag)=Value`` when the value has no name."""
    text = f"{df.name}({df.tag})={df.value}"
    return text if df.value_name is None else f"{text} ({df.value_name})"


def describe_lines(message: FixMessage, indent: str = "  ") -> list[str]:
    """One formatted line per field, indented by group depth (for logs and plain views)."""
    return [indent * df.depth + format_field(df) for df in describe(message)]


def redact(raw: bytes) -> bytes:
    """``raw`` with the values of RawData (96) and Password (554) replaced by ``*``.

    Each secret value is replaced byte for byte, so lengths (and BodyLength) still line up;
    the CheckSum no longer matches, which is fine for a log and keeps a redacted frame from
    ever being mistaken for a sendable one. A data field's length is taken from the length
    field before it (95 for 96), so a signature containing SOH bytes is masked whole.
    ``raw`` may hold several frames or a partial one; it is never rejected.
    """
    if not any(marker in raw for marker in _SECRET_MARKERS):
        return raw  # no secret field can be in it (most messages): skip the field walk
    out = bytearray(raw)
    pos, n = 0, len(raw)
    pending: tuple[int, int] | None = None  # (data tag, byte length) announced by a length tag
    changed = False
    while pos < n:
        eq = raw.find(b"=", pos)
        if eq < 0:
            break
        tag_text = raw[pos:eq]
        tag = int(tag_text) if tag_text.isdigit() and len(tag_text) < 10 else -1
        if pending is not None and pending[0] == tag and eq + 1 + pending[1] <= n:
            end = eq + 1 + pending[1]
        else:
            end = raw.find(b"\x01", eq + 1)
            if end < 0:
                end = n
        pending = None
        value = raw[eq + 1 : end]
        if tag in SECRET_TAGS and end > eq + 1:
            out[eq + 1 : end] = b"*" * (end - eq - 1)
            changed = True
        elif tag in DATA_LENGTH_TAGS and value.isdigit() and len(value) < 10:
            pending = (DATA_LENGTH_TAGS[tag], int(value))
        pos = end + 1
        if end < n and raw[end] != _SOH:
            # A data field whose declared length did not end on SOH: resynchronise.
            nxt = raw.find(b"\x01", end)
            pos = n if nxt < 0 else nxt + 1
    return bytes(out) if changed else raw
