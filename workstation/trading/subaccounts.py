"""Which sub-account a message names, as one text key (SPEC §9.9).

FCM members name a sub-account with the Parties block (PartyRole 24, PartyID = its UUID);
direct members with AllocAccount (79, 0 = the primary account). Positions, orders and groups
are keyed by ``str | None``: the PartyID, the AllocAccount number as text, or ``None`` for
the primary account (AllocAccount 0 or absent).
"""

from __future__ import annotations

from collections.abc import Iterable

from workstation.fix.messages.enums import PartyRole
from workstation.fix.messages.parties import Party

__all__ = ["sub_account_of"]


def sub_account_of(alloc_account: int | None, parties: Iterable[Party] = ()) -> str | None:
    """The sub-account key: a customer-account PartyID, else a non-zero AllocAccount, else None."""
    for party in parties:
        if party.role == PartyRole.CUSTOMER_ACCOUNT:
            return party.party_id
    if alloc_account:
        return str(alloc_account)
    return None
