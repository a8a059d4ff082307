"""The exchange's plain-data records ↔ JSON values, driven by their type hints.

:func:`codec_for` builds, once per dataclass, an encoder to JSON-ready values and a decoder
back, from the dataclass's fields and their annotations. Money and quantities are ``Decimal``
and travel as their exact text; enums as their value; ExecIDs as ``clock;event`` (a FIX
message's as the wire writes it); optional values as ``null`` (left out, as is every field
holding its default, by :meth:`RecordCodec.encode_sparse`); nested dataclasses, lists, tuples,
deques and dicts (``str`` or ``int`` keys) recursively. A field type the codec does not know is
refused when the codec is built (so a new kind of field in the exchange fails the persistence
tests instead of being dropped silently), and a decoded record must carry every field that has
no default and nothing else.

Decoding trusts nothing: a value of the wrong type raises :class:`CodecError` naming the
record and the field.

Encoding is on the venue's hot path (every order and fill a batch changes is written before
its reports leave), so each codec's encoder is generated as the source of one function, the
way ``dataclasses`` writes ``__init__``: a dict display with each field's conversion written
out (``str(v)``, an enum's value, a comprehension), nested records calling their own encoder.
The value it gives is the one the per-field converters describe (:func:`_converter`).
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

from workstation.fix.messages.exec_id import ExecId as WireExecId
from workstation.fix.values import FieldFormatError
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


def _wire_exec_id(value: Any) -> WireExecId:
    if not isinstance(value, str):
        raise CodecError(f"expected an ExecID as text, found {value!r}")
    try:
        return WireExecId.parse(value)
    except FieldFormatError:
        raise CodecError(f"expected an ExecID (clock;event[;exchange]), found {value!r}") from None


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


class _Source:
    """Builds the source of a generated encoder: expressions, and the names they use."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}
        self._count = 0

    def fresh(self) -> str:
        self._count += 1
        return f"_v{self._count}"

    def use(self, value: Any) -> str:
        """A name for ``value`` in the generated function's globals."""
        name = f"_g{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def expression(self, hint: Any, value: str) -> str:
        """Python source giving the JSON-ready form of ``value`` (a name) of type ``hint``;
        the same forms, and the same refusals, as :func:`_converter`."""
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (types.UnionType, typing.Union):
            rest = [a for a in args if a is not type(None)]
            if len(rest) != 1 or len(args) != 2:
                raise TypeError(f"only X | None unions can be stored, not {hint!r}")
            return f"(None if {value} is None else {self.expression(rest[0], value)})"
        if origin in (list, deque) or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
            item = self.fresh()
            return f"[{self.expression(args[0], item)} for {item} in {value}]"
        if origin is tuple:
            items = [self.fresh() for _ in args]
            converted = ", ".join(self.expression(a, n) for a, n in zip(args, items, strict=True))
            # a wrong length raises, as the converters' zip(strict=True) does
            return f"(lambda {', '.join(items)}: [{converted}])(*{value})"
        if origin is dict:
            if args[0] not in (str, int):
                raise TypeError(f"dict keys of type {args[0]!r} cannot be stored")
            key, item = self.fresh(), self.fresh()
            converted = self.expression(args[1], item)
            return f"{{str({key}): {converted} for {key}, {item} in {value}.items()}}"
        if hint is ExecId or hint is WireExecId or hint is Decimal:
            return f"str({value})"
        if isinstance(hint, type) and issubclass(hint, Enum):
            return f"{value}._value_"  # what .value gives, without its descriptor
        if hint in (bool, int, float, str):
            return value
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return f"{self.use(codec_for(hint).encode)}({value})"
        raise TypeError(f"values of type {hint!r} cannot be stored")


def _encoder(
    kind: type, hints: dict[str, Any], fields: list[dataclasses.Field[Any]], *, sparse: bool
) -> Callable[[Any], Any]:
    """The generated encoder of dataclass ``kind`` (module docstring); ``sparse`` leaves out
    each field that holds its default."""
    source = _Source()
    lines = ["def encode(record):"]
    entries: list[str] = []
    optional: list[str] = []
    for f in fields:
        local = source.fresh()
        lines.append(f"    {local} = record.{f.name}")
        converted = source.expression(hints[f.name], local)
        if not sparse or f.default is dataclasses.MISSING:
            entries.append(f"{f.name!r}: {converted}")
            continue
        if f.default is None:
            test = f"{local} is not None"
        else:
            test = f"{local} != {source.use(f.default)}"
        optional.append(f"    if {test}:\n        out[{f.name!r}] = {converted}")
    lines.append(f"    out = {{{', '.join(entries)}}}")
    lines += optional
    lines.append("    return out")
    # source built only from the dataclass's own field names and the types above
    exec("\n".join(lines), source.namespace)
    encode: Callable[[Any], Any] = source.namespace["encode"]
    encode.__qualname__ = f"encode_{kind.__name__}"
    return encode


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
    if hint is WireExecId:
        return str, _wire_exec_id
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
        self._encode = _encoder(kind, hints, list(dataclasses.fields(kind)), sparse=False)
        self._encode_sparse = _encoder(kind, hints, list(dataclasses.fields(kind)), sparse=True)

    @property
    def field_names(self) -> frozenset[str]:
        return frozenset(self._names)

    def encode(self, record: T) -> dict[str, Any]:
        encoded: dict[str, Any] = self._encode(record)
        return encoded

    def encode_sparse(self, record: T) -> dict[str, Any]:
        """Like :meth:`encode`, leaving out every field that holds its default (a field
        with a default factory is always there); :meth:`decode` reads either."""
        encoded: dict[str, Any] = self._encode_sparse(record)
        return encoded

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
