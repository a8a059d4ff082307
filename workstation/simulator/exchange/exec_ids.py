"""ExecIDs as Kalshi forms them: ``clock;event``, rising across the whole exchange (SPEC §9.6).

The engine starts a new *clock* for every call that changes state (a matching cycle) and
numbers the reports of that cycle as *events* 1, 2, 3…, so IDs compare as a pair of integers
and never repeat. Pending reports are not the exchange's business: a gateway gives them
``-1;-1`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ExecId", "ExecIdClock"]


@dataclass(frozen=True, slots=True, order=True)
class ExecId:
    """One ExecID; ``str()`` gives the wire form ``clock;event``."""

    clock: int
    event: int

    def __str__(self) -> str:
        return f"{self.clock};{self.event}"

    @classmethod
    def parse(cls, text: str) -> ExecId:
        clock, _, event = text.partition(";")
        return cls(int(clock), int(event))


@dataclass(slots=True)
class ExecIdClock:
    """Hands out ExecIDs; ``clock`` is the last cycle started (persist it to continue)."""

    clock: int = 0
    _event: int = 0

    def start_cycle(self) -> None:
        """Begin a new matching cycle; the next ID is ``clock+1;1``."""
        self.clock += 1
        self._event = 0

    def next(self) -> ExecId:
        self._event += 1
        return ExecId(self.clock, self._event)
