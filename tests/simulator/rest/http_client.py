"""A tiny HTTP/1.1 client over asyncio streams for the REST tests (the server runs on the same
loop, so a blocking client would deadlock it)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from workstation.simulator.rest import sign_request


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


def parse_reply(data: bytes) -> tuple[Reply, bytes]:
    """One response from the front of ``data`` and the bytes after it."""
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.lower()] = value.strip()
    length = int(headers["content-length"])
    body, after = rest[:length], rest[length:]
    return Reply(int(status_line.split()[1]), headers, json.loads(body)), after


async def raw(port: int, data: bytes) -> bytes:
    """Send ``data``, then read until the server closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    received = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    return received


async def get(
    port: int, target: str, headers: dict[str, str] | None = None, *, method: str = "GET"
) -> Reply:
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    reply, _ = parse_reply(await raw(port, ("\r\n".join(lines) + "\r\n\r\n").encode()))
    return reply


def signed(private_key: rsa.RSAPrivateKey, key_id: str, target: str, now: float) -> dict[str, str]:
    """Headers signing GET ``target`` (the query is not part of what is signed)."""
    return sign_request(private_key, key_id, "GET", target.split("?", 1)[0], now)
