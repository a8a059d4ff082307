"""The HTTP server itself: methods, keep-alive, bodies, and garbage that must not hurt it."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from workstation.simulator.rest.server import MAX_HEAD

from ..admin.support import running_venue
from ..venue_harness import ClientKey, make_key
from .http_client import get, parse_reply, raw

STATUS = "/trade-api/v2/exchange/status"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    directory = tmp_path_factory.mktemp("keys")
    return {"alice": make_key(directory, "alice")}


def run(coro: Any) -> None:
    asyncio.run(coro)


def test_only_get_is_served(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            posted = await get(running.rest_port, "/trade-api/v2/markets", method="POST")
            assert posted.status == 405 and posted.headers["allow"] == "GET"
            assert posted.body["error"]["code"] == "method_not_allowed"
            nowhere = await get(running.rest_port, "/nowhere", method="DELETE")
            assert nowhere.status == 404

    run(scenario())


def test_keep_alive_serves_several_requests_on_one_connection(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            reader, writer = await asyncio.open_connection("127.0.0.1", running.rest_port)
            try:
                for _ in range(3):
                    writer.write(f"GET {STATUS} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                    await writer.drain()
                    head = await reader.readuntil(b"\r\n\r\n")
                    assert head.startswith(b"HTTP/1.1 200 OK")
                    assert b"Connection: keep-alive" in head
                    length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
                    await reader.readexactly(length)
            finally:
                writer.close()

    run(scenario())


def test_pipelined_requests_and_a_skipped_body(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            data = await raw(
                running.rest_port,
                f"GET {STATUS} HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello".encode()
                + b"GET /nope HTTP/1.1\r\n\r\n"
                + f"GET {STATUS} HTTP/1.0\r\n\r\n".encode(),  # 1.0: closes after this one
            )
            first, rest = parse_reply(data)
            second, rest = parse_reply(rest)
            third, rest = parse_reply(rest)
            assert (first.status, second.status, third.status) == (200, 404, 200)
            assert third.headers["connection"] == "close" and rest == b""

    run(scenario())


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET markets HTTP/1.1\r\n\r\n", 400),
        (b"GET / HTTP/2.0\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nContent-Length: lots\r\n\r\n", 400),
        (b"GET / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", 413),
        (b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 501),
        (b"GET /" + b"a" * MAX_HEAD + b" HTTP/1.1\r\n\r\n", 431),
        (b"\x00\xff\xfe\r\n\r\n", 400),
    ],
)
def test_garbage_is_refused_and_the_server_carries_on(
    keys: dict[str, ClientKey], tmp_path: Path, data: bytes, status: int
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            reply, _ = parse_reply(await raw(running.rest_port, data))
            assert reply.status == status
            assert reply.headers["connection"] == "close"
            assert "error" in reply.body
            after = await get(running.rest_port, STATUS)
            assert after.status == 200

    run(scenario())


def test_random_bytes_and_hang_ups_do_no_harm(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            port = running.rest_port
            for size in (1, 100, 5000):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.write(os.urandom(size))
                await writer.drain()
                writer.close()  # hang up without finishing a request
                await writer.wait_closed()
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {STATUS} HTTP/1.1\r\n".encode())  # half a request
            await writer.drain()
            writer.close()
            after = await get(port, STATUS)
            assert after.status == 200

    run(scenario())
