"""Reading one admin command's arguments, with errors that say what to send instead.

A command is a JSON object: ``{"cmd": "settle", "ticker": "…", "result": "yes"}``. Every
other key is an argument. :class:`Args` hands them out typed and raises :class:`AdminError`
with the answer's ``error`` text when one is missing, of the wrong type or unknown. Money and
prices are exact: a decimal argument may be a JSON string (``"0.35"``), an integer, or a JSON
number the server parsed as :class:`~decimal.Decimal` — never a binary float.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import TypeVar

__all__ = ["AdminError", "Args"]

E = TypeVar("E", bound=Enum)


class AdminError(Exception):
    """A command was refused; ``str(error)`` is the ``error`` text of the answer."""


class Args:
    """The arguments of one command, checked against the names the command accepts."""

    def __init__(self, command: str, values: Mapping[str, object], allowed: tuple[str, ...]):
        self.command = command
        self._values = dict(values)
        unknown = sorted(set(self._values) - set(allowed))
        if unknown:
            expected = ", ".join(allowed) if allowed else "no arguments"
            names = ", ".join(map(repr, unknown))
            raise AdminError(f"{command}: unknown argument {names} (expected: {expected})")

    def has(self, name: str) -> bool:
        return self._values.get(name) is not None

    def text(self, name: str) -> str:
        """A required non-empty string."""
        value = self._values.get(name)
        if value is None:
            raise AdminError(f"{self.command}: {name!r} is required")
        if not isinstance(value, str) or not value:
            raise AdminError(f"{self.command}: {name!r} must be a non-empty string")
        return value

    def optional_text(self, name: str) -> str | None:
        return self.text(name) if self.has(name) else None

    def decimal(self, name: str) -> Decimal:
        """A required exact number: a decimal string, an integer or a parsed JSON decimal."""
        value = self._values.get(name)
        if value is None:
            raise AdminError(f"{self.command}: {name!r} is required")
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise AdminError(f'{self.command}: {name!r} must be a number such as "0.35"')
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise AdminError(
                f'{self.command}: {name!r} must be a number such as "0.35", not {value!r}'
            ) from None
        if not number.is_finite():
            raise AdminError(f"{self.command}: {name!r} must be a finite number")
        return number

    def optional_decimal(self, name: str) -> Decimal | None:
        return self.decimal(name) if self.has(name) else None

    def boolean(self, name: str, default: bool) -> bool:
        """A JSON ``true``/``false``; ``default`` when absent."""
        value = self._values.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise AdminError(f"{self.command}: {name!r} must be true or false, not {value!r}")
        return value

    def choice(self, name: str, kind: type[E]) -> E:
        """One value of the enum ``kind``, given by its value or name (any case)."""
        raw = self.text(name)
        for member in kind:
            if raw.lower() in (str(member.value).lower(), member.name.lower()):
                return member
        allowed = ", ".join(str(m.value) for m in kind)
        raise AdminError(f"{self.command}: {name!r} must be one of {allowed}, not {raw!r}")
