"""Where the exchange gets its identifiers: order IDs, trade match IDs and order-group IDs.

Kalshi hands out UUIDs. The engine takes an :class:`IdSource` so tests (and a replayable
simulator) get deterministic IDs from :class:`SequentialIds`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

__all__ = ["IdSource", "SequentialIds", "UuidIds"]


class IdSource(Protocol):
    def order_id(self) -> str: ...

    def trade_id(self) -> str: ...

    def group_id(self) -> str: ...


class UuidIds:
    """Random UUID4s, as Kalshi gives."""

    def order_id(self) -> str:
        return str(uuid.uuid4())

    def trade_id(self) -> str:
        return str(uuid.uuid4())

    def group_id(self) -> str:
        return str(uuid.uuid4())


@dataclass(slots=True)
class SequentialIds:
    """Deterministic UUID-shaped IDs from a counter: the same calls give the same IDs."""

    next_value: int = 1

    def _take(self, kind: int) -> str:
        value = self.next_value
        self.next_value += 1
        return str(uuid.UUID(int=(kind << 96) | value))

    def order_id(self) -> str:
        return self._take(1)

    def trade_id(self) -> str:
        return self._take(2)

    def group_id(self) -> str:
        return self._take(3)
