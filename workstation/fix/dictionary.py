"""The Kalshi FIX dictionary: tag names, types and enum names, message types, group layouts.

Facts come from SPEC.md (§4–§17, the tag master table in §17) and Kalshi's dictionary v1.03.
Some tags mean different things in different messages (21003 is SkipPendingExecReports on a
Logon and ResendEventCount on U2; 297 is QuoteStatus on AI and the old QuoteConfirmStatus on
U8): :data:`MESSAGE_FIELDS` holds those per-message meanings and wins over :data:`FIELDS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from workstation.fix.dictionary_fields import FIELD_TABLE, MESSAGE_FIELD_TABLE, MSG_TYPE_NAMES

__all__ = [
    "FIELDS",
    "GROUPS",
    "MESSAGE_FIELDS",
    "MSG_TYPES",
    "FieldDef",
    "GroupLayout",
    "field_def",
    "field_name",
    "msg_type_name",
    "value_name",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldDef:
    """One tag: its name, FIX data type and, for enumerated tags, the name of each value."""

    tag: int
    name: str
    type: str
    enums: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupLayout:
    """A repeating group: the NumInGroup tag, the tag that opens each entry, and its members."""

    count_tag: int
    delimiter: int
    members: frozenset[int]


def _layout(count_tag: int, *members: int) -> GroupLayout:
    return GroupLayout(count_tag=count_tag, delimiter=members[0], members=frozenset(members))


#: Repeating groups by their NumInGroup tag. Nested groups (UMS nests 1703 and 136 inside
#: 20108; RFQ nests 453 inside 146) are listed as members and have layouts of their own.
GROUPS: dict[int, GroupLayout] = {
    g.count_tag: g
    for g in (
        _layout(453, 448, 447, 452),  # Parties
        _layout(1703, 1704, 1705),  # collateral changes
        _layout(136, 137, 138, 139, 891),  # misc fees
        _layout(146, 55, 38, 152, 453, 21015, 21016),  # RFQ related symbols
        _layout(20108, 20109, 20110, 704, 705, 1703, 136),  # UMS parties
        _layout(20181, 20182, 20183, 20184),  # MVE selected legs
        _layout(20185, 20186),  # MVE offending legs
    )
}

FIELDS: dict[int, FieldDef] = {
    tag: FieldDef(tag=tag, name=name, type=ftype, enums=enums)
    for tag, (name, ftype, enums) in FIELD_TABLE.items()
}

MESSAGE_FIELDS: dict[tuple[str, int], FieldDef] = {
    key: FieldDef(tag=key[1], name=name, type=ftype, enums=enums)
    for key, (name, ftype, enums) in MESSAGE_FIELD_TABLE.items()
}

MSG_TYPES: dict[str, str] = dict(MSG_TYPE_NAMES)


def field_def(tag: int, msg_type: str | None = None) -> FieldDef | None:
    if msg_type is not None:
        specific = MESSAGE_FIELDS.get((msg_type, tag))
        if specific is not None:
            return specific
    return FIELDS.get(tag)


def field_name(tag: int, msg_type: str | None = None) -> str:
    found = field_def(tag, msg_type)
    return found.name if found is not None else f"Tag{tag}"


def value_name(tag: int, value: str, msg_type: str | None = None) -> str | None:
    found = field_def(tag, msg_type)
    if found is None:
        return None
    if tag == 35:
        return MSG_TYPES.get(value)
    return found.enums.get(value)


def msg_type_name(msg_type: str) -> str:
    return MSG_TYPES.get(msg_type, f"Unknown({msg_type})")
