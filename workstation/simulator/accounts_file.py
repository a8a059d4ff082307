"""The ``--accounts`` file: accounts, their balances and sub-accounts, and their API keys.

Format (TOML)::

    [[account]]
    id = "desk-a"                 # required, unique
    balance = "25000.00"          # dollars, as a string or number; default 10000.00
    sub_accounts = [1, 2]         # optional, each 1-63

      [[account.key]]
      id = "5f0c…-uuid"           # the API key id (SenderCompID)
      public_key = "keys/a-nr.pub.pem"   # relative to this file
      scope = "trade"             # "trade" (default) or "read" (listener sessions only)

A mistake is reported as :class:`AccountsFileError` naming the file, the line and the fix.
"""

from __future__ import annotations

import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from workstation.fix.keys import KeyFileError, load_public_key
from workstation.simulator.registry import AccountSpec, KeyRegistry, KeyScope, RegisteredKey

__all__ = ["AccountsFileError", "load_accounts_file"]


class AccountsFileError(ValueError):
    """The accounts file cannot be used; the message says where and how to fix it."""


def _line_of(text: str, nth_account: int, needle: str | None = None) -> int:
    """1-based line of the ``nth_account``-th ``[[account]]`` table (or a key inside it)."""
    starts = [m.start() for m in re.finditer(r"^\s*\[\[account\]\]", text, re.MULTILINE)]
    if nth_account >= len(starts):
        return 1
    start = starts[nth_account]
    end = starts[nth_account + 1] if nth_account + 1 < len(starts) else len(text)
    offset = start
    if needle is not None:
        found = text.find(needle, start, end)
        offset = found if found >= 0 else start
    return text.count("\n", 0, offset) + 1


def load_accounts_file(path: str | Path, registry: KeyRegistry) -> None:
    """Read ``path`` into ``registry``; raises :class:`AccountsFileError`."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise AccountsFileError(f"{file}: cannot read the accounts file ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AccountsFileError(f"{file}: not valid TOML: {exc}") from None
    accounts = data.get("account")
    if not isinstance(accounts, list) or not accounts:
        raise AccountsFileError(
            f"{file}: no accounts; add at least one [[account]] table with an id"
        )
    for index, entry in enumerate(accounts):
        _load_account(file, text, index, entry, registry)


def _fail(file: Path, text: str, index: int, needle: str | None, problem: str) -> AccountsFileError:
    return AccountsFileError(f"{file}, line {_line_of(text, index, needle)}: {problem}")


def _load_account(
    file: Path, text: str, index: int, entry: dict[str, Any], registry: KeyRegistry
) -> None:
    account_id = entry.get("id")
    if not isinstance(account_id, str) or not account_id.strip():
        raise _fail(file, text, index, None, 'this [[account]] needs an id = "…" string')
    raw_balance = entry.get("balance", "10000.00")
    try:
        balance = Decimal(str(raw_balance))
    except InvalidOperation:
        balance = Decimal(-1)
    if balance < 0 or balance != balance.quantize(Decimal("0.01")):
        raise _fail(
            file, text, index, "balance",
            f"balance {raw_balance!r} of account {account_id!r} must be dollars and cents, "
            'e.g. balance = "25000.00"',
        )
    subs = entry.get("sub_accounts", [])
    if not isinstance(subs, list) or not all(isinstance(s, int) and 1 <= s <= 63 for s in subs):
        raise _fail(
            file, text, index, "sub_accounts",
            f"sub_accounts of {account_id!r} must be a list of numbers from 1 to 63",
        )
    try:
        registry.add_account(
            AccountSpec(account_id=account_id, balance=balance, sub_accounts=tuple(subs))
        )
    except ValueError as exc:
        raise _fail(file, text, index, None, f"{exc}; give each account its own id") from None
    for key in entry.get("key", []):
        _load_key(file, text, index, account_id, key, registry)


def _load_key(
    file: Path,
    text: str,
    index: int,
    account_id: str,
    key: dict[str, Any],
    registry: KeyRegistry,
) -> None:
    key_id = key.get("id")
    if not isinstance(key_id, str) or not key_id.strip():
        raise _fail(file, text, index, "[[account.key]]", "each [[account.key]] needs an id")
    scope_text = key.get("scope", "trade")
    try:
        scope = KeyScope(scope_text)
    except ValueError:
        raise _fail(
            file, text, index, key_id,
            f'scope {scope_text!r} of key {key_id}: use "trade" or "read"',
        ) from None
    pub = key.get("public_key")
    if not isinstance(pub, str):
        raise _fail(file, text, index, key_id, f"key {key_id} needs public_key = \"path.pem\"")
    pub_path = (file.parent / pub) if not Path(pub).is_absolute() else Path(pub)
    try:
        public_key = load_public_key(pub_path)
    except KeyFileError as exc:
        raise _fail(file, text, index, key_id, f"key {key_id}: {exc}") from None
    try:
        registry.add_key(
            RegisteredKey(key_id=key_id, account=account_id, public_key=public_key, scope=scope)
        )
    except ValueError as exc:
        raise _fail(file, text, index, key_id, f"{exc}; each key id may appear once") from None
