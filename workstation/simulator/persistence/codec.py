"""The exchange's plain-data records ↔ JSON values, driven by their type hints.

:func:`codec_for` builds, once per dataclass, an encoder to JSON-ready values and a decoder
back, from the dataclass's fields and their annotations. Money and quantities are ``Decimal``
and travel as their exact text; enums as their value; ExecIDs as ``clock;event``; optional
values as ``null``; nested dataclasses, lists, tuples, deques and dicts (``str`` or ``int``
keys) recursively. A field type the codec does not know is refused when the codec is built
(so a new kind of field in the exchange fails the persistence tests instead of being dropped
silently), and a decoded record must carry every field that has no default and nothing else.

Decoding trusts nothing: a value of the wrong type raises :class:`CodecError` naming the
record and the field.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections import deque
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Generic, TypeVar, cast

from workstation.simulator.exchange.exec_ids import ExecId

__all__ = ["CodecError", "RecordCodec", "codec_for"]

T = TypeVar("T")
Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


class CodecError(ValueError):
    """A stored value cannot be read back as the record it claims to be."""


def _same(value: Any) -> Any:
    return value


def _expect(kind: type, *also: type) -> Decode:
    allowed = (kind, *also)

    def decode(value: Any) -> Any:
        # bool is an int in Python; a stored true must not pass for a number, nor 1 for true.
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, allowed):
            raise CodecError(f"expected {kind.__name__}, found {value!r}")
        return value

    return decode


def _decimal(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise CodecError(f"expected a decimal as text, found {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CodecError(f"expected a decimal, found {value!r}") from None
    if not number.is_finite():
        raise CodecError(f"expected a finite decimal, found {value!r}")
    return number


def _exec_id(value: Any) -> ExecId:
    if not isinstance(value, str):
        raise CodecError(f"expected an ExecID as text, found {value!r}")
    try:
        return ExecId.parse(value)
    except ValueError:
        raise CodecError(f"expected an ExecID (clock;event), found {value!r}") from None


def _enum(kind: type[Enum]) -> Decode:
    def decode(value: Any) -> Any:
        try:
            return kind(value)
        except ValueError:
            raise CodecError(f"{value!r} is not a {kind.__name__}") from None

    return decode


def _optional(encode: Encode, decode: Decode) -> tuple[Encode, Decode]:
    return (
        lambda value: None if value is None else encode(value),
        lambda value: None if value is None else decode(value),
    )


def _sequence(
    item: tuple[Encode, Decode], make: Callable[[list[Any]], Any]
) -> tuple[Encode, Decode]:
    encode_item, decode_item = item

    def decode(value: Any) -> Any:
        if not isinstance(value, list):
            raise CodecError(f"expected a list, found {value!r}")
        return make([decode_item(v) for v in value])

    return (lambda value: [encode_item(v) for v in value], decode)


def _fixed_tuple(items: list[tuple[Encode, Decode]]) -> tuple[Encode, Decode]:
    def encode(value: Any) -> Any:
        return [enc(v) for (enc, _), v in zip(items, value, strict=True)]

    def decode(value: Any) -> Any:
        if not isinstance(value, list) or len(value) != len(items):
            raise CodecError(f"expected a list of {len(items)}, found {value!r}")
        return tuple(dec(v) for (_, dec), v in zip(items, value, strict=True))

    return encode, decode


def _mapping(key: type, item: tuple[Encode, Decode]) -> tuple[Encode, Decode]:
    encode_item, decode_item = item
    if key is str:
        decode_key: Callable[[str], Any] = _same
    elif key is int:

        def decode_key(text: str) -> Any:
            try:
                return int(text)
            except ValueError:
                raise CodecError(f"expected an integer key, found {text!r}") from None

    else:
        raise TypeError(f"dict keys of type {key!r} cannot be stored")

    def decode(value: Any) -> Any:
        if not isinstance(value, dict):
            raise CodecError(f"expected an object, found {value!r}")
        return {decode_key(k): decode_item(v) for k, v in value.items()}

    return (lambda value: {str(k): encode_item(v) for k, v in value.items()}, decode)


def _converter(hint: Any) -> tuple[Encode, Decode]:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        rest = [a for a in args if a is not type(None)]
        if len(rest) != 1 or len(args) != 2:
            raise TypeError(f"only X | None unions can be stored, not {hint!r}")
        return _optional(*_converter(rest[0]))
    if origin is list:
        return _sequence(_converter(args[0]), list)
    if origin is deque:
        return _sequence(_converter(args[0]), deque)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(_converter(args[0]), tuple)
        return _fixed_tuple([_converter(a) for a in args])
    if origin is dict:
        return _mapping(args[0], _converter(args[1]))
    if hint is ExecId:
        return str, _exec_id
    if hint is Decimal:
        return str, _decimal
    if isinstance(hint, type) and issubclass(hint, Enum):
        return (lambda value: value.value), _enum(hint)
    if hint is bool:
        return _same, _expect(bool)
    if hint is int:
        return _same, _expect(int)
    if hint is float:
        return _same, _expect(float, int)
    if hint is str:
        return _same, _expect(str)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        codec = codec_for(hint)
        return codec.encode, codec.decode
    raise TypeError(f"values of type {hint!r} cannot be stored")


class RecordCodec(Generic[T]):
    """Encoder and decoder of one dataclass; see the module docstring."""

    def __init__(self, kind: type[T]) -> None:
        if not dataclasses.is_dataclass(kind):
            raise TypeError(f"{kind!r} is not a dataclass")
        self.kind = kind
        hints = typing.get_type_hints(kind)
        self._fields: list[tuple[str, Encode, Decode]] = []
        self._required: set[str] = set()
        for f in dataclasses.fields(kind):
            if not f.init:
                raise TypeError(f"{kind.__name__}.{f.name} is not an __init__ field")
            encode, decode = _converter(hints[f.name])
            self._fields.append((f.name, encode, decode))
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                self._required.add(f.name)
        self._names = {name for name, _, _ in self._fields}

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(self._names)

    def encode(self, record: T) -> dict[str, Any]:
        return {name: encode(getattr(record, name)) for name, encode, _ in self._fields}

    def decode(self, data: Any) -> T:
        name = self.kind.__name__
        if not isinstance(data, dict):
            raise CodecError(f"{name}: expected an object, found {data!r}")
        unknown = data.keys() - self._names
        if unknown:
            raise CodecError(f"{name}: unknown fields {sorted(unknown)}")
        missing = self._required - data.keys()
        if missing:
            raise CodecError(f"{name}: missing fields {sorted(missing)}")
        values: dict[str, Any] = {}
        for field_name, _, decode in self._fields:
            if field_name in data:
                try:
                    values[field_name] = decode(data[field_name])
                except CodecError as exc:
                    raise CodecError(f"{name}.{field_name}: {exc}") from None
        try:
            return self.kind(**values)
        except (TypeError, ValueError) as exc:
            raise CodecError(f"{name}: {exc}") from None


_CODECS: dict[type, RecordCodec[Any]] = {}


def codec_for(kind: type[T]) -> RecordCodec[T]:
    """The (cached) codec of dataclass ``kind``."""
    codec = _CODECS.get(kind)
    if codec is None:
        codec = _CODECS[kind] = RecordCodec(kind)
    return cast(RecordCodec[T], codec)
