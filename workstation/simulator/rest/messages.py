"""One HTTP request as the REST handlers see it, one response, and Kalshi-style errors.

An error body is ``{"error": {"code": "…", "message": "…"}}``, the shape of Kalshi's REST
errors, so a client has one place to look whatever went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["HttpRequest", "HttpResponse", "error_response"]


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpRequest:
    method: str  #: upper case
    path: str  #: as sent, percent-encoding kept, without the query (what is signed)
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  #: names in lower case

    def param(self, name: str) -> str | None:
        """The last value of query parameter ``name``, or None."""
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpResponse:
    status: int
    body: dict[str, Any]
    headers: tuple[tuple[str, str], ...] = ()


def error_response(
    status: int, code: str, message: str, headers: tuple[tuple[str, str], ...] = ()
) -> HttpResponse:
    return HttpResponse(
        status=status, body={"error": {"code": code, "message": message}}, headers=headers
    )
