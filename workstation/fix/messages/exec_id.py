"""ExecID (17): ``clock;event`` (or ``clock;event;exchange``), compared as integers (SPEC §9.6).

ExecIDs rise monotonically per exchange, but only as numbers: ``10;1`` comes after ``9;5``,
which text comparison gets wrong. Pending reports carry ``-1;-1``; never key a fill on it.
From 2026-06-25 exchange indexes other than 0 add a third part (``4;7;1``); index 0 keeps the
two-part form, so ``4;7;0`` reads as ``4;7`` and is written back that way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workstation.fix.values import FieldFormatError

__all__ = ["PENDING_EXEC_ID", "ExecId"]


@dataclass(frozen=True, slots=True, order=True)
class ExecId:
    """One ExecID, ordered as the tuple ``(clock, event, exchange)``."""

    clock: int
    event: int
    exchange: int = 0

    @property
    def is_pending(self) -> bool:
        """True for ``-1;-1``, the ExecID of PendingNew/PendingCancel/PendingReplace reports."""
        return self.clock == -1 and self.event == -1

    @classmethod
    def parse(cls, text: str, tag: int = 17) -> ExecId:
        """Read the wire form; FieldFormatError (373=6) for anything else."""
        parts = text.split(";")
        if text.isascii():
            if len(parts) == 2:
                clock, event = parts
                if clock.isdigit() and event.isdigit():
                    return _new(int(clock), int(event), 0)
                if text == "-1;-1":
                    return PENDING_EXEC_ID
            elif len(parts) == 3:
                clock, event, exchange = parts
                if clock.isdigit() and event.isdigit() and exchange.isdigit():
                    return _new(int(clock), int(event), int(exchange))
        raise FieldFormatError(tag, text, "ExecID (clock;event[;exchange])")

    def __str__(self) -> str:
        if self.exchange:
            return f"{self.clock};{self.event};{self.exchange}"
        return f"{self.clock};{self.event}"


PENDING_EXEC_ID = ExecId(-1, -1)

_SLOTS: dict[str, Any] = dict(vars(ExecId))
_set_clock = _SLOTS["clock"].__set__
_set_event = _SLOTS["event"].__set__
_set_exchange = _SLOTS["exchange"].__set__


def _new(clock: int, event: int, exchange: int) -> ExecId:
    """``ExecId(clock, event, exchange)`` through the slots, skipping the frozen ``__init__``."""
    obj = object.__new__(ExecId)
    _set_clock(obj, clock)
    _set_event(obj, event)
    _set_exchange(obj, exchange)
    return obj
