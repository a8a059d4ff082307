"""Talking to the admin port: one command from the shell, or a conversation from a test.

:func:`send_command` is blocking (the ``workstation-sim admin`` CLI): it connects, sends one
JSON line, reads one JSON line back and closes. :class:`AdminClient` keeps one connection open
on an asyncio loop for many commands (tests, scripts that already run a loop); it must not be
used on the loop that runs the venue from a blocking call, so it is async all the way.
Decimals in a command are sent as strings; numbers in answers come back as
:class:`~decimal.Decimal` where they are not integers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from decimal import Decimal
from typing import Any

__all__ = ["AdminClient", "AdminConnectionError", "encode_command", "send_command"]


#: The longest answer line read, in bytes: a busy account's snapshot (every order and every
#: fill) runs far past asyncio's 64 KiB default line limit.
MAX_ANSWER = 256 * 1024 * 1024


class AdminConnectionError(Exception):
    """The admin port could not be reached, or closed without answering."""


def _default(value: object) -> object:
    if isinstance(value, Decimal):
        return f"{value:f}"
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def encode_command(command: dict[str, Any]) -> bytes:
    """One command as a JSON line."""
    return (json.dumps(command, default=_default) + "\n").encode()


def _decode(line: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(line.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AdminConnectionError(
            f"the admin port answered something that is not JSON: {exc}"
        ) from None
    if not isinstance(answer, dict):
        raise AdminConnectionError("the admin port answered something that is not an object")
    return answer


def send_command(
    host: str, port: int, command: dict[str, Any], *, timeout: float = 10.0
) -> dict[str, Any]:
    """Send ``command`` and return the answer (blocking)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(encode_command(command))
            with sock.makefile("rb") as stream:
                line = stream.readline()
    except OSError as exc:
        raise AdminConnectionError(f"cannot reach the admin port {host}:{port}: {exc}") from exc
    if not line:
        raise AdminConnectionError(f"the admin port {host}:{port} closed without answering")
    return _decode(line)


class AdminClient:
    """One open connection to the admin port, for many commands (async)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def connect(cls, host: str, port: int) -> AdminClient:
        try:
            reader, writer = await asyncio.open_connection(host, port, limit=MAX_ANSWER)
        except OSError as exc:
            raise AdminConnectionError(f"cannot reach the admin port {host}:{port}: {exc}") from exc
        return cls(reader, writer)

    async def send_raw(self, data: bytes) -> dict[str, Any]:
        """Send bytes as they are (one line, newline included) and read one answer."""
        self._writer.write(data)
        await self._writer.drain()
        line = await self._reader.readline()
        if not line:
            raise AdminConnectionError("the admin port closed without answering")
        return _decode(line)

    async def send(self, cmd: str, **args: Any) -> dict[str, Any]:
        """Send ``{"cmd": cmd, **args}`` and return the answer."""
        return await self.send_raw(encode_command({"cmd": cmd, **args}))

    async def close(self) -> None:
        self._writer.close()
        with contextlib.suppress(ConnectionError):
            await self._writer.wait_closed()

    async def __aenter__(self) -> AdminClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
