"""API keys and the accounts they belong to.

Kalshi identifies a FIX client by its API key (SenderCompID, a UUID) and allows one connection
per key (SPEC §2.3), so an account that runs several sessions holds several keys. A key has a
scope: ``trade`` keys may log on to anything, ``read`` keys only as listener sessions (§14.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from cryptography.hazmat.primitives.asymmetric import rsa

__all__ = ["AccountSpec", "KeyRegistry", "KeyScope", "RegisteredKey"]

DEFAULT_BALANCE = Decimal("10000.00")


class KeyScope(StrEnum):
    TRADE = "trade"  #: may trade, quote and listen
    READ = "read"  #: may only log on as a listener session


@dataclass(frozen=True, slots=True, kw_only=True)
class RegisteredKey:
    key_id: str  #: the UUID the client sends as SenderCompID
    account: str
    public_key: rsa.RSAPublicKey = field(repr=False)
    scope: KeyScope = KeyScope.TRADE


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountSpec:
    """An account as declared: starting balance and sub-accounts (1–63) besides the primary."""

    account_id: str
    balance: Decimal = DEFAULT_BALANCE
    sub_accounts: tuple[int, ...] = ()


class KeyRegistry:
    """Key id → registered key; account id → spec."""

    def __init__(self) -> None:
        self._keys: dict[str, RegisteredKey] = {}
        self._accounts: dict[str, AccountSpec] = {}

    def add_account(self, spec: AccountSpec) -> None:
        if spec.account_id in self._accounts:
            raise ValueError(f"account {spec.account_id!r} is declared twice")
        self._accounts[spec.account_id] = spec

    def add_key(self, key: RegisteredKey) -> None:
        if key.key_id in self._keys:
            raise ValueError(f"API key {key.key_id} is registered twice")
        if key.account not in self._accounts:
            self.add_account(AccountSpec(account_id=key.account))
        self._keys[key.key_id] = key

    def key(self, key_id: str) -> RegisteredKey | None:
        return self._keys.get(key_id)

    def all_keys(self) -> list[RegisteredKey]:
        return list(self._keys.values())

    def accounts(self) -> list[AccountSpec]:
        return list(self._accounts.values())

    def account_of(self, key_id: str) -> str | None:
        found = self._keys.get(key_id)
        return None if found is None else found.account
