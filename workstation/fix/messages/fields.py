"""Plain fields of typed messages, both directions: text, integers, booleans, enums, times.

Readers take a :class:`FixMessage` or a :class:`FieldGroup` entry and raise the typed
getters' errors (turned into :class:`MessageError` by ``translate_field_errors``) or
:class:`MessageError` directly. Writers append ``(tag, text)`` pairs to a body list and
refuse values that would corrupt a frame (empty text, an SOH byte).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any, TypeVar

from workstation.fix.message import FieldGroup, FieldMissing, FixMessage
from workstation.fix.messages.errors import out_of_range
from workstation.fix.values import (
    FieldFormatError,
    format_bool,
    format_utc_timestamp,
    parse_decimal,
    parse_int,
    parse_utc_timestamp,
)

__all__ = [
    "Body",
    "Fields",
    "cached_decimal",
    "check_text",
    "entry_fields",
    "flat_group",
    "get_enum",
    "get_int_in",
    "get_time",
    "parse_enum",
    "parse_time",
    "put",
    "put_bool",
    "put_int",
    "put_time",
    "read_alloc_account",
    "read_ex_destination",
    "require_enum",
    "require_in",
    "slot_builder",
    "wire_table",
]

Fields = FixMessage | FieldGroup
Body = list[tuple[int, str]]
E = TypeVar("E", bound=Enum)
T = TypeVar("T")

_TABLES: dict[type[Enum], dict[str, Enum]] = {}


def _table(enum_cls: type[Enum]) -> dict[str, Enum]:
    table = _TABLES.get(enum_cls)
    if table is None:
        table = {str(member.value): member for member in enum_cls}
        _TABLES[enum_cls] = table
    return table


def wire_table(enum_cls: type[E]) -> dict[str, E]:
    """Wire text → member, for hot-path lookups (fall back to :func:`parse_enum` on a miss)."""
    return {str(member.value): member for member in enum_cls}


def parse_enum(enum_cls: type[E], tag: int, text: str) -> E:
    """The member whose wire value is ``text``; 373=5 for a value the enum does not define."""
    member = _table(enum_cls).get(text)
    if member is None:
        if issubclass(enum_cls, IntEnum):
            # "010" is a valid FIX integer for 10; a bad integer is a format error (373=6).
            member = _table(enum_cls).get(str(parse_int(tag, text)))
        if member is None:
            raise out_of_range(tag, text, f"not a defined {enum_cls.__name__}")
    return member  # type: ignore[return-value]


def get_enum(fields: Fields, tag: int, enum_cls: type[E]) -> E | None:
    text = fields.get(tag)
    return None if text is None else parse_enum(enum_cls, tag, text)


def require_enum(fields: Fields, tag: int, enum_cls: type[E]) -> E:
    return parse_enum(enum_cls, tag, fields.require(tag))


def get_int_in(fields: Fields, tag: int, low: int, high: int) -> int | None:
    """An optional integer that must lie in ``low..high`` (373=5 otherwise)."""
    text = fields.get(tag)
    if text is None:
        return None
    value = parse_int(tag, text)
    if not low <= value <= high:
        raise out_of_range(tag, text, f"must be {low}..{high}")
    return value


MAX_ALLOC_ACCOUNT = 63
MAX_EX_DESTINATION = 2**31 - 1


def read_alloc_account(fields: Fields) -> int | None:
    """AllocAccount (79): 0 = primary, 1–63 subaccounts (SPEC §9.9)."""
    return get_int_in(fields, 79, 0, MAX_ALLOC_ACCOUNT)


def read_ex_destination(fields: Fields) -> int | None:
    """ExDestination (100): an exchange index, or -1 to route by ticker."""
    return get_int_in(fields, 100, -1, MAX_EX_DESTINATION)


_SECONDS: dict[str, int] = {}


def parse_time(tag: int, text: str) -> float:
    """:func:`parse_utc_timestamp` with a fast path for ``YYYYMMDD-HH:MM:SS.mmm``.

    ``time.strptime`` costs microseconds, which an ExecutionReport cannot afford; each whole
    second is parsed (and validated) once by the slow path and remembered. The result is the
    float nearest the exact millisecond (``(ms since epoch) / 1000``), so a time built as
    ``ms / 1000`` reads back equal.
    """
    if len(text) == 21 and text[17] == ".":
        millis = text[18:]
        base = _SECONDS.get(text[:17])
        if base is None:
            parse_utc_timestamp(tag, text)  # validates the whole text
            base = int(parse_utc_timestamp(tag, text[:17]))
            if len(_SECONDS) >= 4096:
                _SECONDS.clear()
            _SECONDS[text[:17]] = base
        if millis.isdigit() and millis.isascii():
            return (base * 1000 + int(millis)) / 1000
    return parse_utc_timestamp(tag, text)


def get_time(fields: Fields, tag: int) -> float | None:
    text = fields.get(tag)
    return None if text is None else parse_time(tag, text)


_DECIMALS: dict[str, Decimal] = {}


def cached_decimal(tag: int, text: str) -> Decimal:
    """:func:`parse_decimal` with a bounded cache: prices and sizes repeat all day."""
    value = _DECIMALS.get(text)
    if value is None:
        value = parse_decimal(tag, text)
        if len(_DECIMALS) >= 8192:
            _DECIMALS.clear()
        _DECIMALS[text] = value
    return value


def check_text(tag: int, value: str) -> str:
    """``value`` unchanged, or ValueError when it cannot be a FIX field value."""
    if not value:
        raise ValueError(f"tag {tag}: a FIX field value cannot be empty")
    if "\x01" in value:
        raise ValueError(f"tag {tag}: a FIX field value cannot contain SOH")
    return value


def put(body: Body, tag: int, value: str | None) -> None:
    """Append a text field when ``value`` is not None."""
    if value is not None:
        body.append((tag, check_text(tag, value)))


def put_int(body: Body, tag: int, value: int | None) -> None:
    if value is not None:
        body.append((tag, str(int(value))))


def put_bool(body: Body, tag: int, value: bool | None) -> None:
    if value is not None:
        body.append((tag, format_bool(value)))


def put_time(body: Body, tag: int, value: float | None) -> None:
    if value is not None:
        body.append((tag, format_utc_timestamp(value)))


Entry = tuple[tuple[int, str], ...]


def flat_group(
    fields: Fields, count_tag: int, delimiter: int, members: frozenset[int]
) -> list[Entry]:
    """Entries of a group without nested groups, each as its own ``(tag, text)`` pairs.

    Same reading as :meth:`FixMessage.groups` (an entry opens with ``delimiter`` and runs
    while tags are ``members``; FieldFormatError when the count is wrong) but cheaper:
    ``list.index`` finds the count tag in C, and the entries are hashable, so callers can
    cache what they build from them (fee and party entries repeat all day).
    """
    count_text = fields.index.get(count_tag)
    if count_text is None:
        return []
    count = 1 if count_text == "1" else parse_int(count_tag, count_text)
    items = fields.fields
    i, n = items.index((count_tag, count_text)) + 1, len(items)
    if count == 1 and i < n and items[i][0] == delimiter:  # the usual case, without the lists
        end = i + 1
        while end < n and (tag := items[end][0]) != delimiter and tag in members:
            end += 1
        return [tuple(items[i:end])]
    bounds: list[int] = []  # where each entry opens
    while i < n:
        tag = items[i][0]
        if tag == delimiter:
            if len(bounds) == count:
                break
            bounds.append(i)
        elif not bounds or tag not in members:
            break
        i += 1
    if len(bounds) != count:
        raise FieldFormatError(count_tag, count_text, f"group count (found {len(bounds)} entries)")
    bounds.append(i)
    return [tuple(items[bounds[k] : bounds[k + 1]]) for k in range(count)]


def entry_fields(entry: Entry) -> dict[int, str]:
    """``{tag: text}`` of one :func:`flat_group` entry, first occurrence winning."""
    return dict(reversed(entry))


def require_in(entry: dict[int, str], tag: int) -> str:
    """A required tag of a :func:`flat_group` entry (FieldMissing → 373=1)."""
    try:
        return entry[tag]
    except KeyError:
        raise FieldMissing(tag) from None


def slot_builder(cls: type[T]) -> Callable[..., T]:
    """A positional constructor for a frozen slotted dataclass that skips ``__init__``.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, which
    costs microseconds on a 36-field ExecutionReport; calling the slots' own descriptors is
    several times cheaper. The constructor takes every field in declaration order (a wrong
    count is a TypeError); no defaults, no ``__post_init__``. Like ``dataclasses`` itself,
    it is generated as source so that the per-field calls are unrolled.
    """
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    namespace.update({f"_set_{name}": vars(cls)[name].__set__ for name in names})
    lines = [f"def build({', '.join(names)}):", "    obj = _new(_cls)"]
    lines += [f"    _set_{name}(obj, {name})" for name in names]
    lines.append("    return obj")
    exec("\n".join(lines), namespace)  # source built only from the class's field names
    build: Callable[..., T] = namespace["build"]
    return build
