"""Failures the admin port arms for an account's next order (fault tests, SPEC §9.8).

``EXCHANGE_UNAVAILABLE`` means the gateway could not confirm whether the order was applied:
armed with ``applied=True`` the order really goes to the book (and later reports reveal it),
with ``applied=False`` it does not. ``INTERNAL_ERROR`` is a final reject, never applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ArmedFailure", "FailureInjector", "FailureKind"]


class FailureKind(StrEnum):
    EXCHANGE_UNAVAILABLE = "EXCHANGE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"


@dataclass(frozen=True, slots=True, kw_only=True)
class ArmedFailure:
    kind: FailureKind
    applied: bool = False  #: EXCHANGE_UNAVAILABLE only: the order was really placed


class FailureInjector:
    """One armed failure per account, consumed by that account's next NewOrderSingle."""

    def __init__(self) -> None:
        self._armed: dict[str, ArmedFailure] = {}

    def arm(self, account: str, kind: FailureKind, *, applied: bool = False) -> None:
        if kind is FailureKind.INTERNAL_ERROR and applied:
            raise ValueError("INTERNAL_ERROR is never applied")
        self._armed[account] = ArmedFailure(kind=kind, applied=applied)

    def take(self, account: str) -> ArmedFailure | None:
        """The failure armed for ``account``, disarming it."""
        return self._armed.pop(account, None)

    def armed(self, account: str) -> ArmedFailure | None:
        return self._armed.get(account)
