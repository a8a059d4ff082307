"""The fault proxy on its own, over real loopback sockets: a sink server records every chunk it
reads, a raw client writes FIX frames (and other bytes) through the proxy, and each control
is shown to do exactly what it says — and nothing else to the bytes around it."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.fix.codec import FrameReader, encode_message

from .proxy import FaultKind, FaultProxy, Leg, UnitCutter, corrupt_byte
from .rig import wait_until


def frame(seq: int, msg_type: str = "8", text: str = "hello") -> bytes:
    header = [(49, "KalshiRT"), (56, "client"), (34, str(seq)), (52, "20261124-12:00:00.000")]
    return encode_message(msg_type, header, [(58, text)])


class Sink:
    """A server that records what each connection sends it, chunk by chunk."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.writers: list[asyncio.StreamWriter] = []
        self.ended = asyncio.Event()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self.port

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.append(writer)
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                self.chunks.append(data)
        self.ended.set()

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)

    async def close(self) -> None:
        for writer in self.writers:
            writer.close()
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()


def run(
    body: Callable[[FaultProxy, Sink], Awaitable[None]], lifetime: float = 60.0
) -> FaultProxy:
    """Start a sink and a proxy in front of it, run ``body``, close both."""

    async def scenario() -> FaultProxy:
        sink = Sink()
        proxy = FaultProxy(await sink.start(), name="test", lifetime=lifetime)
        await proxy.start()
        try:
            await body(proxy, sink)
        finally:
            await proxy.close()
            await sink.close()
        return proxy

    return asyncio.run(scenario())


async def client(proxy: FaultProxy) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", proxy.port)


async def until(condition: Callable[[], bool], what: str = "the bytes") -> None:
    await wait_until(condition, 5.0, what)


FRAMES = [frame(n, text=f"message {n}") for n in range(1, 6)]
STREAM = b"".join(FRAMES)


def test_pass_through_forwards_every_byte_in_order_and_counts_frames() -> None:
    noise = b"GET / HTTP/1.1\r\n\r\n"

    async def body(proxy: FaultProxy, sink: Sink) -> None:
        _, writer = await client(proxy)
        writer.write(noise + STREAM[:7])
        await writer.drain()
        writer.write(STREAM[7:])
        await until(lambda: sink.data == noise + STREAM)
        writer.close()

    proxy = run(body)
    assert proxy.frames[Leg.TO_SERVER] == len(FRAMES)
    assert proxy.injected == []


def test_split_delivers_every_byte_on_its_own() -> None:
    async def body(proxy: FaultProxy, sink: Sink) -> None:
        proxy.split(1, Leg.TO_SERVER)
        _, writer = await client(proxy)
        writer.write(FRAMES[0])
        await until(lambda: sink.data == FRAMES[0])
        writer.close()
        assert len(sink.chunks) == len(FRAMES[0])  # the reader saw each byte on its own

    proxy = run(body)
    assert [f.kind for f in proxy.injected] == [FaultKind.SPLIT]


def test_corrupt_changes_one_byte_of_the_next_matching_frame_only() -> None:
    target = frame(9, msg_type="8", text="the fill")
    other = frame(10, msg_type="0")

    async def body(proxy: FaultProxy, sink: Sink) -> None:
        proxy.corrupt_next(len(target) + 20, leg=Leg.TO_SERVER, match=b"\x0135=8\x01")
        _, writer = await client(proxy)
        writer.write(other + target + other)
        await until(lambda: len(sink.data) == len(other) * 2 + len(target))
        writer.close()
        received = sink.data
        assert received[: len(other)] == other and received[-len(other) :] == other
        changed = received[len(other) : len(other) + len(target)]
        differ = [i for i in range(len(target)) if changed[i] != target[i]]
        assert differ == [20]  # the offset wraps around the frame's length
        assert changed[20] == corrupt_byte(target[20])
        reader = FrameReader()
        reader.feed(changed)
        assert not isinstance(reader.next_frame(), bytes)  # the reader discards it

    proxy = run(body)
    assert proxy.armed == 0
    assert [f.kind for f in proxy.injected] == [FaultKind.CORRUPT]


def test_corrupting_a_digit_writes_another_digit() -> None:
    assert [corrupt_byte(b) for b in b"09A\x01="] == [ord("1"), ord("0"), ord("a"), 0x21, 0x1D]


def test_duplicate_writes_the_next_matching_frame_twice() -> None:
    async def body(proxy: FaultProxy, sink: Sink) -> None:
        proxy.duplicate_next(leg=Leg.TO_SERVER, match=b"message 3")
        _, writer = await client(proxy)
        writer.write(STREAM)
        expected = b"".join(FRAMES[:3]) + FRAMES[2] + b"".join(FRAMES[3:])
        await until(lambda: sink.data == expected)
        writer.close()

    assert [f.kind for f in run(body).injected] == [FaultKind.DUPLICATE]


def test_a_stall_holds_the_bytes_then_delivers_them_in_order() -> None:
    async def body(proxy: FaultProxy, sink: Sink) -> None:
        _, writer = await client(proxy)
        writer.write(FRAMES[0])
        await until(lambda: sink.data == FRAMES[0])
        proxy.stall(0.6, Leg.TO_SERVER)
        writer.write(b"".join(FRAMES[1:]))
        await asyncio.sleep(0.3)
        assert sink.data == FRAMES[0]  # held
        await until(lambda: sink.data == STREAM)
        writer.close()

    run(body)


def test_when_one_end_goes_during_a_stall_the_other_is_reset_at_once() -> None:
    async def body(proxy: FaultProxy, sink: Sink) -> None:
        _, writer = await client(proxy)
        writer.write(FRAMES[0])
        await until(lambda: sink.data == FRAMES[0])
        proxy.stall(30.0)
        writer.write(FRAMES[1])
        await asyncio.sleep(0.1)
        writer.close()  # the client gives up while its bytes are held
        await asyncio.wait_for(sink.ended.wait(), 5.0)
        assert sink.data == FRAMES[0]  # what was held is dropped, never delivered late

    run(body)


def test_cut_ends_both_ends_and_the_next_connection_passes() -> None:
    async def body(proxy: FaultProxy, sink: Sink) -> None:
        reader, writer = await client(proxy)
        writer.write(FRAMES[0])
        await until(lambda: sink.data == FRAMES[0])
        assert proxy.cut() == 1
        await asyncio.wait_for(sink.ended.wait(), 5.0)
        with contextlib.suppress(ConnectionError):
            assert await asyncio.wait_for(reader.read(100), 5.0) == b""
        sink.ended.clear()
        _, again = await client(proxy)
        again.write(FRAMES[1])
        await until(lambda: sink.data == FRAMES[0] + FRAMES[1])
        again.close()

    proxy = run(body)
    assert proxy.accepted == 2
    assert [f.kind for f in proxy.injected] == [FaultKind.CUT]


def test_a_half_open_cut_leaves_the_server_end_open_and_silent() -> None:
    async def body(proxy: FaultProxy, sink: Sink) -> None:
        reader, writer = await client(proxy)
        writer.write(FRAMES[0])
        await until(lambda: sink.data == FRAMES[0])
        proxy.cut(keep_server_side=True)
        with contextlib.suppress(ConnectionError):
            assert await asyncio.wait_for(reader.read(100), 5.0) == b""
        await asyncio.sleep(0.2)
        assert not sink.ended.is_set()  # the server still believes in the connection
        sink.writers[0].write(FRAMES[1])  # and what it sends goes nowhere
        sink.writers[0].close()  # until it gives up itself
        await until(lambda: proxy.open_connections == 0, "the proxy to let go")

    assert [f.kind for f in run(body).injected] == [FaultKind.HALF_OPEN]


def test_refuse_and_retarget_act_on_new_connections() -> None:
    async def body(proxy: FaultProxy, sink: Sink) -> None:
        proxy.refuse(True)
        reader, _ = await client(proxy)
        with contextlib.suppress(ConnectionError):
            assert await asyncio.wait_for(reader.read(100), 5.0) == b""
        proxy.refuse(False)
        other = Sink()
        proxy.retarget(await other.start())
        _, writer = await client(proxy)
        writer.write(FRAMES[0])
        await until(lambda: other.data == FRAMES[0])
        assert sink.data == b""
        writer.close()
        await other.close()

    assert [f.kind for f in run(body).injected] == [FaultKind.REFUSE]


def test_the_proxy_closes_itself_when_its_lifetime_is_over() -> None:
    async def body(proxy: FaultProxy, sink: Sink) -> None:
        reader, writer = await client(proxy)
        writer.write(FRAMES[0])
        await until(lambda: sink.data == FRAMES[0])
        with contextlib.suppress(ConnectionError):
            assert await asyncio.wait_for(reader.read(100), 5.0) == b""  # after ~0.5 s
        with contextlib.suppress(ConnectionError, OSError):
            _, late = await client(proxy)
            late.close()
            raise AssertionError("the expired proxy still accepts connections")

    run(body, lifetime=0.5)


@settings(max_examples=60, deadline=None)
@given(
    pieces=st.lists(
        st.one_of(
            st.integers(min_value=1, max_value=40).map(lambda n: frame(n, text="x" * n)),
            st.binary(min_size=1, max_size=20).filter(lambda b: b"8=F" not in b),
        ),
        min_size=1,
        max_size=8,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=10),
)
def test_the_cutter_returns_every_byte_once_and_frames_whole(
    pieces: list[bytes], cuts: list[int]
) -> None:
    stream = b"".join(pieces)
    bounds = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    cutter = UnitCutter()
    units: list[tuple[bytes, bool]] = []
    for start, end in itertools.pairwise(bounds):
        units += cutter.feed(stream[start:end])
    rest = cutter.flush()
    assert b"".join(u for u, _ in units) + rest == stream
    # every frame comes out whole and in order (raw runs may come out in any pieces)
    assert [u for u, is_frame in units if is_frame] == [p for p in pieces if p.startswith(b"8=FIX")]
