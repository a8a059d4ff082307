"""Where the desk gets its identifiers: server RFQ ids (RfqId 21023, the QuoteReqID 131 sent
to makers), quote ids for simulated makers, and the pseudonyms that stand for an account in
front of its counterparties (PartyID 448).

Kalshi hands out UUIDs (:class:`UuidRfqIds`); tests and a replayable simulator use
:class:`SequentialRfqIds`, which gives the same UUID-shaped ids for the same calls.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Pseudonyms", "RfqIdSource", "SequentialRfqIds", "UuidRfqIds"]


class RfqIdSource(Protocol):
    def rfq_id(self) -> str: ...

    def quote_id(self) -> str: ...

    def pseudonym(self) -> str: ...


class UuidRfqIds:
    """Random UUID4s, as Kalshi gives."""

    def rfq_id(self) -> str:
        return str(uuid.uuid4())

    def quote_id(self) -> str:
        return str(uuid.uuid4())

    def pseudonym(self) -> str:
        return str(uuid.uuid4())


@dataclass(slots=True)
class SequentialRfqIds:
    """Deterministic UUID-shaped ids from one counter (kinds 4-6 do not meet the exchange's)."""

    next_value: int = 1

    def _take(self, kind: int) -> str:
        value = self.next_value
        self.next_value += 1
        return str(uuid.UUID(int=(kind << 96) | value))

    def rfq_id(self) -> str:
        return self._take(4)

    def quote_id(self) -> str:
        return self._take(5)

    def pseudonym(self) -> str:
        return self._take(6)


@dataclass(slots=True)
class Pseudonyms:
    """One stable pseudonym per account, drawn from an id source on first use.

    Counterparties see only the pseudonym, never the account id; the same account always gets
    the same one, so a maker can tell a repeat requester without learning who it is.
    """

    ids: RfqIdSource
    _by_account: dict[str, str] = field(default_factory=dict)

    def of(self, account: str) -> str:
        alias = self._by_account.get(account)
        if alias is None:
            alias = self.ids.pseudonym()
            while alias == account:  # a pseudonym must never be the account id itself
                alias = self.ids.pseudonym()
            self._by_account[account] = alias
        return alias

    def known(self) -> dict[str, str]:
        """Account → pseudonym for every account given one so far (a copy)."""
        return dict(self._by_account)

    def restore(self, known: dict[str, str]) -> None:
        """Take back the pseudonyms an earlier run gave (the state directory)."""
        self._by_account.update(known)
