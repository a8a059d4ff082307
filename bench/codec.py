"""FIX engine throughput: decode-and-process, encode-and-store, and a 2,000-message resend.

Prints figures; asserts nothing. Run: ``python bench/codec.py [--count 100000] [--runs 5]``.
Each figure is printed with the load average at its start and, after ``cpu``, the same figure
by this process's CPU time (user + system) instead of the wall clock: on a shared machine the
wall clock also counts the time other programs held the core, the CPU time mostly does not.

1. Decode and process: a stream of full trade ExecutionReports (fees, collateral, positions;
   about 400 bytes each) from a logged-on KalshiRT acceptor, delivered in 64 KiB chunks to the
   initiator session with a SQLite store on, one store transaction per chunk (as the network
   adapter does), each application message parsed into a typed ExecutionReport.
2. Encode: NewOrderSingle built from the typed message, encoded, stored durably (a committed
   SQLite write per message, WAL + synchronous=NORMAL) by the session, bytes taken.
3. Burst: 2,000 ExecutionReports lost in flight, recovered by ResendRequest; the time for the
   initiator to digest the whole resend (PossDup replays, one chunk per 64 KiB).

Targets (issue 2, one core): >= 30,000 ER/s; >= 10,000 NOS/s; burst < 80 ms.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.fix.events import ApplicationMessageReceived
from workstation.fix.messages.enums import (
    CollateralAmountType,
    ExecType,
    OrdStatus,
    Side,
    TimeInForce,
)
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.sqlite_store import open_store
from workstation.fix.testing import API_KEY, SessionPair
from workstation.runtime import tune_gc

CHUNK = 64 * 1024


def trade_report(n: int) -> ExecutionReport:
    qty = Decimal(n % 50 + 1)
    return ExecutionReport(
        exec_id=ExecId.parse(f"{1_000_000 + n};{3 * n + 1}"),
        order_id=f"8f3b2c1e-5d4a-4b9c-a7e6-{n:012d}",
        cl_ord_id=f"c0ffee00-1234-4abc-9def-{n:012d}",
        exec_type=ExecType.TRADE,
        ord_status=OrdStatus.PARTIALLY_FILLED,
        symbol="KXHIGHNY-26NOV24-B45.5",
        side=Side.BUY,
        order_qty=Decimal(100),
        cum_qty=qty,
        leaves_qty=Decimal(100) - qty,
        avg_px=Decimal("0.56"),
        price=Decimal("0.57"),
        last_px=Decimal("0.56"),
        last_qty=qty,
        transact_time=1_767_623_400.123,
        time_in_force=TimeInForce.GTC,
        long_qty=qty,
        short_qty=Decimal(0),
        fees=(MiscFee(amount=Decimal("0.02")),),
        trd_match_id=f"a1b2c3d4-e5f6-4a7b-8c9d-{n:012d}",
        aggressor=True,
        collateral_changes=(
            CollateralChange(amount=Decimal("-0.58"), kind=CollateralAmountType.BALANCE),
        ),
    )


def logged_on_pair(store_path: Path) -> SessionPair:
    store = open_store(store_path, API_KEY, SessionType.RT.value, time.time())
    pair = SessionPair(session_type=SessionType.RT, initiator_store=store)
    pair.connect()
    assert pair.connected, "logon failed"
    return pair


def produce(pair: SessionPair, count: int) -> bytes:
    """``count`` trade reports from the acceptor, as the bytes it would write."""
    now = pair.clock.now
    out = bytearray()
    for n in range(count):
        pair.acceptor.send_message("8", trade_report(n).to_body(), now)
        if n % 1000 == 999:
            out += pair.acceptor.data_to_send()
    out += pair.acceptor.data_to_send()
    return bytes(out)


class Timer:
    """Wall-clock and CPU seconds since it was made."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


def digest(pair: SessionPair, stream: bytes) -> tuple[int, tuple[float, float]]:
    """Feed ``stream`` to the initiator in 64 KiB chunks; returns (reports parsed, (wall, CPU
    seconds))."""
    session, store, now = pair.initiator, pair.initiator.store, pair.clock.now
    parsed = 0
    timer = Timer()
    for i in range(0, len(stream), CHUNK):
        with store.transaction():
            for event in session.receive_data(stream[i : i + CHUNK], now):
                if isinstance(event, ApplicationMessageReceived):
                    ExecutionReport.from_message(event.message)
                    parsed += 1
        session.data_to_send()
    return parsed, timer.stop()


def load() -> str:
    """The 1-minute load average, to print next to a figure."""
    return f"[load {os.getloadavg()[0]:.2f}]"


def bench_decode(count: int, workdir: Path, run: int = 0) -> float:
    pair = logged_on_pair(workdir / f"decode-{run}.db")
    stream = produce(pair, count)
    before = load()
    parsed, (seconds, cpu) = digest(pair, stream)
    assert parsed == count, f"parsed {parsed} of {count}"
    size = len(stream) / count
    print(
        f"decode+process: {count:,} ExecutionReports ({size:.0f} bytes each) in {seconds:.3f} s"
        f" = {count / seconds:,.0f} ER/s (cpu {count / cpu:,.0f}) {before}"
    )
    return count / seconds


def bench_encode(count: int, workdir: Path) -> None:
    pair = logged_on_pair(workdir / "encode.db")
    session, now = pair.initiator, pair.clock.now
    before = load()
    timer = Timer()
    for n in range(count):
        order = NewOrderSingle(
            cl_ord_id=f"5b1d7e0a-2c3f-4e8d-9a6b-{n:012d}",
            symbol="KXHIGHNY-26NOV24-B45.5",
            side=Side.BUY,
            order_qty=Decimal(10),
            price=Decimal("0.55"),
            time_in_force=TimeInForce.GTC,
        )
        session.send_message("D", order.to_body(), now)
        session.data_to_send()
    seconds, cpu = timer.stop()
    print(
        f"encode+store:   {count:,} NewOrderSingle built, encoded, committed in {seconds:.3f} s"
        f" = {count / seconds:,.0f} NOS/s (cpu {count / cpu:,.0f}) {before}"
    )


def bench_resend(burst: int, workdir: Path) -> None:
    pair = logged_on_pair(workdir / "resend.db")
    now = pair.clock.now
    produce(pair, burst)  # lost in flight: never delivered
    pair.acceptor.send_message("8", trade_report(burst).to_body(), now)
    pair.initiator.receive_data(pair.acceptor.data_to_send(), now)  # gap -> ResendRequest
    pair.acceptor.receive_data(pair.initiator.data_to_send(), now)  # served from the store
    replay = pair.acceptor.data_to_send()
    before = load()
    parsed, (seconds, cpu) = digest(pair, replay)
    assert parsed >= burst, f"resend delivered {parsed} of {burst}"
    print(
        f"resend burst:   {parsed:,} messages digested in {seconds * 1000:.1f} ms"
        f" (cpu {cpu * 1000:.1f}) {before}"
    )


def main() -> None:
    tune_gc()  # as both programs run (workstation.runtime)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--burst", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=1, help="decode runs, each on a fresh store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rates = [bench_decode(args.count, workdir, run) for run in range(args.runs)]
        if args.runs > 1:
            print(f"decode+process: {min(rates):,.0f}-{max(rates):,.0f} ER/s over {args.runs} runs")
        bench_encode(args.orders, workdir)
        bench_resend(args.burst, workdir)


if __name__ == "__main__":
    main()
