"""The Parties block (453 → 448/447/452), SPEC §9.2, §9.9, §13.

FCM orders name a sub-account (452=24); RFQ messages name a pseudonymous requester (no role
in the 1.0.13 example) or quoter (452=35). Only one party is supported on order entry, but
the reader keeps every entry it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workstation.fix.messages.fields import (
    Body,
    Entry,
    Fields,
    entry_fields,
    flat_group,
    put,
    put_int,
    require_in,
)
from workstation.fix.values import parse_int

__all__ = ["Party", "parties_to_body", "read_parties"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Party:
    """One Parties entry: PartyID (448), PartyIDSource (447), PartyRole (452, see PartyRole)."""

    party_id: str
    role: int | None = None
    id_source: str | None = None


def parties_to_body(body: Body, parties: Sequence[Party]) -> None:
    """Append the 453 group when there are parties."""
    if not parties:
        return
    body.append((453, str(len(parties))))
    for party in parties:
        put(body, 448, party.party_id)
        put(body, 447, party.id_source)
        put_int(body, 452, party.role)


_MEMBERS = frozenset({448, 447, 452})


_PARTIES: dict[Entry, Party] = {}


def read_parties(fields: Fields) -> tuple[Party, ...]:
    """Every entry of the 453 group, or ``()`` when 453 is absent."""
    parties = []
    for entry in flat_group(fields, 453, 448, _MEMBERS):
        party = _PARTIES.get(entry)
        if party is None:
            values = entry_fields(entry)
            role = values.get(452)
            party = Party(
                party_id=require_in(values, 448),
                role=None if role is None else parse_int(452, role),
                id_source=values.get(447),
            )
            if len(_PARTIES) >= 1024:
                _PARTIES.clear()
            _PARTIES[entry] = party
        parties.append(party)
    return tuple(parties)
