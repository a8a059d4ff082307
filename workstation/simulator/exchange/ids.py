"""Where the exchange gets its identifiers: order IDs, trade match IDs and order-group IDs.

Kalshi hands out UUIDs. The engine takes an :class:`IdSource` so tests (and a replayable
simulator) get deterministic IDs from :class:`SequentialIds`.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from typing import Protocol

__all__ = ["IdSource", "SequentialIds", "UuidIds", "random_uuid"]


class IdSource(Protocol):
    def order_id(self) -> str: ...

    def trade_id(self) -> str: ...

    def group_id(self) -> str: ...


def random_uuid() -> str:
    """``str(uuid.uuid4())``, written out: the same 122 random bits from ``os.urandom``, the
    version and variant bits set, in the canonical form, without the UUID object (one per
    order and one per trade: a quarter of a sweep's matching time went to ``uuid4``)."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # variant RFC 4122
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class UuidIds:
    """Random UUID4s, as Kalshi gives."""

    def order_id(self) -> str:
        return random_uuid()

    def trade_id(self) -> str:
        return random_uuid()

    def group_id(self) -> str:
        return random_uuid()


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
