"""A parsed FIX message with typed field access and dictionary-driven repeating groups.

Values are kept as the text that came off the wire (decoded latin-1, so one character is one
byte); the typed getters parse on demand and raise :class:`FieldFormatError` or
:class:`FieldMissing`, which the session turns into the right Reject.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from workstation.fix.values import (
    FieldFormatError,
    parse_bool,
    parse_decimal,
    parse_int,
    parse_utc_timestamp,
)

__all__ = ["FieldGroup", "FieldMissing", "FixMessage"]


class FieldMissing(KeyError):
    """A required tag is absent (SessionRejectReason 1)."""

    def __init__(self, tag: int) -> None:
        super().__init__(tag)
        self.tag = tag

    def __str__(self) -> str:
        return f"Required tag missing: {self.tag}"


class _Fields:
    """Typed getters over an index of first occurrences; shared by messages and group entries."""

    __slots__ = ("_index", "fields")

    fields: list[tuple[int, str]]
    _index: dict[int, str]

    def __contains__(self, tag: int) -> bool:
        return tag in self._index

    @property
    def index(self) -> Mapping[int, str]:
        """Tag → text of each tag's first occurrence; ``index.get`` is the hot-path getter."""
        return self._index

    def get(self, tag: int, default: str | None = None) -> str | None:
        return self._index.get(tag, default)

    def require(self, tag: int) -> str:
        try:
            return self._index[tag]
        except KeyError:
            raise FieldMissing(tag) from None

    def get_int(self, tag: int) -> int | None:
        text = self._index.get(tag)
        return None if text is None else parse_int(tag, text)

    def require_int(self, tag: int) -> int:
        return parse_int(tag, self.require(tag))

    def get_decimal(self, tag: int) -> Decimal | None:
        text = self._index.get(tag)
        return None if text is None else parse_decimal(tag, text)

    def require_decimal(self, tag: int) -> Decimal:
        return parse_decimal(tag, self.require(tag))

    def get_bool(self, tag: int, default: bool = False) -> bool:
        text = self._index.get(tag)
        return default if text is None else parse_bool(tag, text)

    def get_utc(self, tag: int) -> float | None:
        text = self._index.get(tag)
        return None if text is None else parse_utc_timestamp(tag, text)

    def get_text(self, tag: int) -> str | None:
        """A free-text field re-read as UTF-8 (the frame is decoded latin-1, byte for byte)."""
        text = self._index.get(tag)
        if text is None:
            return None
        return text.encode("latin-1").decode("utf-8", "replace")

    def groups(self, count_tag: int) -> list[FieldGroup]:
        """Entries of the repeating group counted by ``count_tag``, by the dictionary layout."""
        from workstation.fix.dictionary import GROUPS  # noqa: PLC0415 - avoid an import cycle

        layout = GROUPS.get(count_tag)
        if layout is None:
            raise KeyError(f"tag {count_tag} is not a repeating group in the dictionary")
        return _read_group(self.fields, count_tag, layout.delimiter, layout.members)


class FieldGroup(_Fields):
    """One entry of a repeating group (may itself contain nested groups)."""

    __slots__ = ()

    def __init__(self, fields: list[tuple[int, str]]) -> None:
        self.fields = fields
        index: dict[int, str] = {}
        for tag, value in fields:
            index.setdefault(tag, value)
        self._index = index

    def __repr__(self) -> str:
        return f"FieldGroup({self.fields!r})"


class FixMessage(_Fields):
    """One message: ordered ``(tag, text)`` fields, the raw frame, and parse problems.

    ``problems`` holds ``(tag, session_reject_reason, text)`` for fields the tokeniser could
    not accept (tag 0 when the tag itself was not a number).
    """

    __slots__ = ("problems", "raw")

    def __init__(
        self,
        fields: list[tuple[int, str]],
        *,
        raw: bytes = b"",
        problems: Sequence[tuple[int, int, str]] = (),
    ) -> None:
        self.fields = fields
        # dict() keeps the last duplicate; reversing keeps the first, which is what a
        # header lookup wants if a tag is (illegally) repeated.
        self._index = dict(reversed(fields)) if len(fields) < 64 else _first_index(fields)
        self.raw = raw
        self.problems = list(problems)

    @property
    def msg_type(self) -> str:
        return self._index.get(35, "")

    @property
    def seq_num(self) -> int | None:
        text = self._index.get(34)
        if text is None or not text.isdigit():
            return None
        return int(text)

    @property
    def has_repeated_tags(self) -> bool:
        return len(self._index) < len(self.fields)

    def __iter__(self) -> Iterator[tuple[int, str]]:
        return iter(self.fields)

    def __repr__(self) -> str:
        from workstation.fix.describe import SECRET_TAGS  # noqa: PLC0415 - avoid an import cycle

        shown = "|".join(f"{t}={'<redacted>' if t in SECRET_TAGS else v}" for t, v in self.fields)
        return f"FixMessage({shown})"


def _first_index(fields: list[tuple[int, str]]) -> dict[int, str]:
    index: dict[int, str] = {}
    for tag, value in fields:
        index.setdefault(tag, value)
    return index


def _read_group(
    fields: list[tuple[int, str]],
    count_tag: int,
    delimiter: int,
    members: frozenset[int],
) -> list[FieldGroup]:
    from workstation.fix.dictionary import GROUPS  # noqa: PLC0415

    start = next((i for i, (tag, _) in enumerate(fields) if tag == count_tag), -1)
    if start < 0:
        return []
    count = parse_int(count_tag, fields[start][1])
    entries: list[list[tuple[int, str]]] = []
    i, n = start + 1, len(fields)
    while i < n:
        tag = fields[i][0]
        if tag == delimiter:
            if len(entries) == count:
                break
            entries.append([])
        elif not entries or tag not in members:
            break
        entries[-1].append(fields[i])
        i += 1
        nested = GROUPS.get(tag)
        if nested is not None:
            # A nested group's fields belong to this entry, so entry.groups() can read them.
            while i < n and (fields[i][0] in nested.members or fields[i][0] == nested.delimiter):
                entries[-1].append(fields[i])
                i += 1
    if len(entries) != count:
        raise FieldFormatError(count_tag, str(count), f"group count (found {len(entries)} entries)")
    return [FieldGroup(entry) for entry in entries]
