"""Query parameters and cursor paging, as Kalshi's list endpoints take them.

A list answer carries ``cursor``: empty when there is nothing more, else an opaque string to
send back as ``?cursor=`` for the next page (here: the key of the first item of that page, so
a page stays stable while items are added after it). ``limit`` is 1…``maximum``.
A bad value raises :class:`BadRequest`, answered 400 with the parameter named.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from workstation.simulator.rest.messages import HttpRequest

__all__ = ["BadRequest", "bool_param", "int_param", "limit_param", "list_param", "paginate"]

T = TypeVar("T")


class BadRequest(Exception):
    """A request parameter is unusable; the text says which and what it should be."""


def int_param(request: HttpRequest, name: str, default: int | None = None) -> int | None:
    raw = request.param(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.lstrip("-").isdigit() and len(raw) <= 18):
        raise BadRequest(f"query parameter {name!r} must be an integer, not {raw!r}")
    return int(raw)


def limit_param(request: HttpRequest, *, default: int, maximum: int) -> int:
    limit = int_param(request, "limit", default)
    assert limit is not None
    if not 1 <= limit <= maximum:
        raise BadRequest(f"query parameter 'limit' must be between 1 and {maximum}")
    return limit


def bool_param(request: HttpRequest, name: str, default: bool = False) -> bool:
    raw = request.param(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise BadRequest(f"query parameter {name!r} must be true or false, not {raw!r}")


def list_param(request: HttpRequest, name: str) -> list[str] | None:
    """A comma-separated list (``tickers=A,B``), None when absent."""
    raw = request.param(name)
    if raw is None or raw == "":
        return None
    return [item for item in raw.split(",") if item]


def paginate(
    items: Sequence[T], key: Callable[[T], str], cursor: str | None, limit: int
) -> tuple[list[T], str]:
    """The page of ``items`` starting at ``cursor`` and the cursor of the page after it."""
    start = 0
    if cursor:
        for index, item in enumerate(items):
            if key(item) == cursor:
                start = index
                break
        else:
            raise BadRequest("query parameter 'cursor' is not one this server gave out")
    page = list(items[start : start + limit])
    after = start + limit
    return page, key(items[after]) if after < len(items) else ""
