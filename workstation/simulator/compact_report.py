"""An ExecutionReport kept small: a tuple of only the fields it sets, rebuilt on demand.

The drop-copy history holds every replayable report for three hours; as a typed object a
report costs ~300 bytes (a slot for each of its ~33 fields, most of them unset). Packed, it
is one tuple: the positions of the fields that are set (one shared tuple per shape of
report) followed by their values, which are the same objects the report held (order ids,
ClOrdIDs, tickers and quantities are shared with the exchange's order) — ~160 bytes for an
acknowledgement. The ExecID is left out: the caller keeps it (the history, as a number it
sorts by) and hands it back to :func:`unpack_report`, which gives back an equal
:class:`ExecutionReport`.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
from collections.abc import Callable
from typing import Any

from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.fields import slot_builder

__all__ = ["PackedReport", "pack_report", "unpack_report"]

#: ``(positions of the fields set, *their values)``
PackedReport = tuple[Any, ...]

_FIELDS = dataclasses.fields(ExecutionReport)
_REQUIRED = object()  #: stands for a field without a default; always packed


def _default_of(field: dataclasses.Field[Any]) -> Any:
    if field.default is dataclasses.MISSING:
        return _REQUIRED
    # Packing leaves out None and (), so every default must be one of them.
    if field.default is not None and field.default != ():
        raise TypeError(f"ExecutionReport.{field.name}: default {field.default!r} not packable")
    return field.default


if _FIELDS[0].name != "exec_id":
    raise TypeError("ExecutionReport's first field is no longer exec_id")
#: every field but the ExecID (the first), in declaration order
_PACKED_FIELDS = _FIELDS[1:]
_DEFAULTS: tuple[Any, ...] = tuple(_default_of(f) for f in _PACKED_FIELDS)
#: what a field is compared with (``is not``) to tell whether it is set: None for the optional
#: fields (the groups, whose default is (), are then told by their length), and a value no
#: field can hold for the required ones, which are always packed
_UNSET: tuple[Any, ...] = tuple(None if d is not _REQUIRED else _REQUIRED for d in _DEFAULTS)
_GROUPS: tuple[int, ...] = tuple(i for i, d in enumerate(_DEFAULTS) if d == ())
_POSITIONS = range(len(_DEFAULTS))
_values_of: Callable[[ExecutionReport], tuple[Any, ...]] = operator.attrgetter(
    *(f.name for f in _PACKED_FIELDS)
)
_build: Callable[..., ExecutionReport] = slot_builder(ExecutionReport)
#: each shape of report once: reports of one kind share their positions tuple
_LAYOUTS: dict[tuple[int, ...], tuple[int, ...]] = {}


def pack_report(report: ExecutionReport) -> PackedReport:
    """``report`` as a tuple of the fields it sets, its ExecID left out (module docstring)."""
    # On the hot path (every report sent): the per-field work is done by C loops.
    values = _values_of(report)
    is_set = list(map(operator.is_not, values, _UNSET))
    for index in _GROUPS:
        is_set[index] = bool(values[index])
    layout = tuple(itertools.compress(_POSITIONS, is_set))
    return (_LAYOUTS.setdefault(layout, layout), *itertools.compress(values, is_set))


def unpack_report(packed: PackedReport, exec_id: ExecId | None) -> ExecutionReport:
    """The :class:`ExecutionReport` that :func:`pack_report` was given, with ``exec_id``."""
    values = list(_DEFAULTS)
    for index, value in zip(packed[0], packed[1:], strict=True):
        values[index] = value
    return _build(exec_id, *values)
