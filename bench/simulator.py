"""Simulator benchmark: order-entry throughput, NewOrderSingle→ack latency, resident memory,
and one order sweeping thousands of resting orders.

Prints figures; asserts nothing. Run: ``python bench/simulator.py`` (``--help`` for counts;
``--parts sweep`` for the sweep alone, ``--parts orders`` for parts 1-3).

The venue runs as a child process (``python -m workstation.simulator``, as a script would
start it) on 127.0.0.1 without TLS, flow off, with a markets file of ``--markets`` markets and
an accounts file giving the one benchmark account a large balance. One signed client (the
workstation's own :class:`~workstation.net.initiator.Initiator` and FIX session) logs on to
KalshiNR with SkipPendingExecReports (21011=Y), so each accepted order is answered by exactly
one ExecutionReport, 150=0 (New). Every order rests: bids at 0.01–0.49, offers at 0.51–0.99,
spread over every market and price level, so nothing ever crosses.

1. Throughput: ``--orders`` NewOrderSingles, bodies built beforehand, sent as fast as the
   connection takes them (at most ``--window`` unanswered at once, so the client never
   queues without bound); orders/s from the first send to the last ack, and the CPU time the
   venue and the client used meanwhile (which of the two set the pace).
2. Latency: ``--latency-orders`` orders paced at ``--rate`` per second; for each, the time
   from just before the send to the client's reading of its ack (``time.perf_counter``);
   median, 99th percentile and worst.
3. Memory: orders are added (pipelined, as in 1) until ``--resting`` rest on the venue; its
   VmRSS and VmHWM are read from ``/proc/<pid>/status``, with the RSS right after start-up for
   comparison. The admin port's snapshot confirms the count of open orders.

4. Sweep: a venue of its own, started as the workstation starts its local venue, with a state
   directory (``--state-dir``; ``--no-sweep-state-dir`` leaves it off) and a second account,
   the counterparty. The benchmark account rests ``--sweep`` bids of one contract at 5¢ in
   one market (pipelined, as in 1); then the counterparty, on its own KalshiNR session, sends
   one IOC sell for all of them, so the venue matches ``--sweep`` fills in one step and
   writes the 2 × ``--sweep`` ExecutionReports (one per fill to each side) after the step's
   state commits. Figures: from just before the sweep order's send to the first and to the
   last of its reports read by each client, and the CPU time the venue used meanwhile (the
   venue's own cost per fill; both clients share this process, so the last reads also wait
   for the client's parsing of 2 × ``--sweep`` reports).

Targets (the issue): ≥ 3,000 orders/s; p50 < 1 ms and p99 < 5 ms at 100 orders/s; < 150 MB
resident with 100,000 resting orders; a 20,000-fill sweep handled by the venue in < 2 s with
the state directory on. ``--profile FILE`` runs the venue under cProfile (the sweep's venue
profiles the sweep alone, from just before the sweep order to its last report read, into
FILE.sweep).
Results and their causes: docs/benchmarks.md, "Simulator".
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.fix.auth import LogonSigner
from workstation.fix.dialect import SessionType
from workstation.fix.events import ApplicationMessageReceived, Event
from workstation.fix.keys import generate_key_pair
from workstation.fix.logon_options import LogonOptions
from workstation.fix.messages.enums import Side, TimeInForce
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.net.initiator import Initiator, InitiatorState
from workstation.runtime import tune_gc
from workstation.simulator.admin.client import send_command

#: The venue under a profiler that runs only between SIGUSR1 and SIGUSR2 (the sweep's
#: ``--profile``): ``python -c PROFILED_VENUE STATS_FILE venue-arguments…``.
PROFILED_VENUE = """
import cProfile, signal, sys
from workstation.simulator.cli import main
stats, profiler = sys.argv[1], cProfile.Profile()
signal.signal(signal.SIGUSR1, lambda *_: profiler.enable())
def dump(*_):
    profiler.disable()
    profiler.dump_stats(stats)
signal.signal(signal.SIGUSR2, dump)
sys.exit(main(sys.argv[2:]))
"""

ACCOUNT = "bench"
COUNTERPARTY = "sweeper"
#: ``orders`` is parts 1-3 (on one venue, in that order); ``sweep`` is part 4.
PARTS = ("orders", "sweep")
#: The sweep's market and the price of its resting bids.
SWEEP_PRICE = Decimal("0.05")
EVENT = "KXBENCH-26NOV24"
#: Resting prices, in cents: bids below the middle, offers above it.
BID_CENTS = range(1, 50)
ASK_CENTS = range(51, 100)


# ---------------------------------------------------------------------- the venue process


def markets_toml(count: int) -> str:
    lines = ["[[event]]", f'ticker = "{EVENT}"', 'title = "Benchmark"', ""]
    for n in range(count):
        lines += ["[[event.market]]", f'ticker = "{EVENT}-M{n:04d}"', f'title = "M{n}"', ""]
    return "\n".join(lines)


def accounts_toml(keys: dict[str, tuple[str, Path]]) -> str:
    """Accounts of a large balance: account id → (its key id, its public key file)."""
    lines: list[str] = []
    for account, (key_id, public_key) in keys.items():
        lines += [
            "[[account]]",
            f'id = "{account}"',
            'balance = "100000000.00"',
            "",
            "[[account.key]]",
            f'id = "{key_id}"',
            f'public_key = "{public_key}"',
            "",
        ]
    return "\n".join(lines)


@dataclass
class VenueProcess:
    process: subprocess.Popen[bytes]
    info: dict[str, Any]

    def status(self) -> dict[str, int]:
        """VmRSS and VmHWM of the venue, in KiB."""
        out: dict[str, int] = {}
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in {"VmRSS", "VmHWM"}:
                    out[name] = int(value.split()[0])
        return out

    def cpu_seconds(self) -> float:
        """User + system CPU time the venue has used so far."""
        with open(f"/proc/{self.process.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def open_orders(self) -> int:
        answer = send_command(
            self.info["host"],
            self.info["admin"],
            {"cmd": "snapshot", "account": ACCOUNT},
            timeout=60,
        )
        return int(answer["open_orders"])

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=60)


@dataclass(frozen=True)
class Key:
    key_id: str
    private_path: Path


def start_venue(
    directory: Path,
    markets: int,
    profile: Path | None,
    *,
    accounts: tuple[str, ...] = (ACCOUNT,),
    state_dir: Path | None = None,
    profile_on_signal: bool = False,
) -> tuple[VenueProcess, dict[str, Key]]:
    """The venue as a child process, with ``accounts`` (each with a key made here).

    ``profile`` runs it under cProfile, the whole run or, with ``profile_on_signal``, only
    between a SIGUSR1 and a SIGUSR2 (:data:`PROFILED_VENUE`)."""
    keys: dict[str, Key] = {}
    entries: dict[str, tuple[str, Path]] = {}
    for account in accounts:
        private_path = directory / f"{account}.key.pem"
        public_path = directory / f"{account}.pub.pem"
        generate_key_pair(private_path, public_path)
        keys[account] = Key(str(uuid.uuid4()), private_path)
        entries[account] = (keys[account].key_id, public_path)
    (directory / "markets.toml").write_text(markets_toml(markets), encoding="utf-8")
    (directory / "accounts.toml").write_text(accounts_toml(entries), encoding="utf-8")
    ready = directory / "ready.json"
    if profile is None:
        program = ["-m", "workstation.simulator"]
    elif profile_on_signal:
        program = ["-c", PROFILED_VENUE, str(profile)]
    else:
        program = ["-m", "cProfile", "-o", str(profile), "-m", "workstation.simulator"]
    state = [] if state_dir is None else ["--state-dir", str(state_dir)]
    command = [
        sys.executable,
        *program,
        "--base-port",
        "0",
        "--ready-file",
        str(ready),
        "--accounts",
        str(directory / "accounts.toml"),
        "--markets",
        str(directory / "markets.toml"),
        "--no-flow",
        *state,
    ]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not ready.exists():
        if process.poll() is not None:
            raise SystemExit(f"the venue exited with {process.returncode}")
        if time.monotonic() > deadline:
            process.kill()
            raise SystemExit("the venue wrote no ready file in 30 s")
        time.sleep(0.02)
    info = json.loads(ready.read_text(encoding="utf-8"))
    return VenueProcess(process=process, info=info), keys


# ---------------------------------------------------------------------- the client


@dataclass
class Client:
    initiator: Initiator[Session] = field(init=False)
    #: ClOrdID → perf_counter when its ack was read
    acked: dict[str, float] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    #: perf_counter when each Trade report (150=F) was read, in order
    fills: list[float] = field(default_factory=list)

    def on_events(self, events: list[Event]) -> None:
        now = time.perf_counter()
        for event in events:
            if isinstance(event, ApplicationMessageReceived) and event.message.msg_type == "8":
                msg = event.message
                exec_type = msg.get(150)
                if exec_type == "F":
                    self.fills.append(now)
                    continue
                cl_ord_id = msg.get(11) or ""
                if exec_type == "0":
                    self.acked[cl_ord_id] = now
                else:
                    self.rejected.append(f"{cl_ord_id}: 150={exec_type} {msg.get(58)}")
        self.arrived.set()

    def send(self, body: list[tuple[int, str]]) -> None:
        self.initiator.send("D", body)

    async def until_acked(self, count: int, timeout: float = 600.0) -> None:
        """Wait until ``count`` acks in all have been read (or an order was refused)."""
        deadline = time.monotonic() + timeout
        while len(self.acked) < count:
            if self.rejected:
                raise SystemExit(f"an order was refused: {self.rejected[0]}")
            if time.monotonic() > deadline:
                raise SystemExit(f"only {len(self.acked)} of {count} acks in {timeout} s")
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), timeout=deadline - time.monotonic())

    async def until_filled(self, count: int, timeout: float = 600.0) -> None:
        """Wait until ``count`` Trade reports in all have been read."""
        deadline = time.monotonic() + timeout
        while len(self.fills) < count:
            if self.rejected:
                raise SystemExit(f"an unexpected report: {self.rejected[0]}")
            if time.monotonic() > deadline:
                raise SystemExit(f"only {len(self.fills)} of {count} fills in {timeout} s")
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), timeout=deadline - time.monotonic())


async def log_on(port: int, key: Key) -> Client:
    from workstation.fix.keys import load_private_key  # noqa: PLC0415 - only here

    session = Session(
        SessionConfig(
            role=Role.INITIATOR,
            session_type=SessionType.NR,
            sender_comp_id=key.key_id,
            logon_fields=LogonOptions(skip_pending_exec_reports=True).to_fields(),
        ),
        signer=LogonSigner(load_private_key(key.private_path)),
    )
    client = Client()
    initiator = Initiator(session, host="127.0.0.1", port=port, on_events=client.on_events)
    client.initiator = initiator
    initiator.start()
    deadline = time.monotonic() + 10
    while initiator.state is not InitiatorState.ACTIVE:
        if time.monotonic() > deadline:
            raise SystemExit(f"no logon: {initiator.last_error}")
        await asyncio.sleep(0.01)
    return client


def order_bodies(markets: int, prefix: str) -> Iterator[tuple[str, list[tuple[int, str]]]]:
    """Resting orders, spread over every market and price level, never crossing."""
    levels = [(Side.BUY, c) for c in BID_CENTS] + [(Side.SELL, c) for c in ASK_CENTS]
    for n in itertools.count():
        side, cents = levels[(n // markets) % len(levels)]
        cl_ord_id = f"{prefix}-{n}"
        order = NewOrderSingle(
            cl_ord_id=cl_ord_id,
            symbol=f"{EVENT}-M{n % markets:04d}",
            side=side,
            order_qty=Decimal(1),
            price=Decimal(cents) / 100,
        )
        yield cl_ord_id, order.to_body()


async def pipelined(client: Client, bodies: list[list[tuple[int, str]]], window: int) -> float:
    """Send every body, at most ``window`` unanswered; seconds from first send to last ack."""
    base = len(client.acked)
    started = time.perf_counter()
    for sent, body in enumerate(bodies, start=1):
        client.send(body)
        if sent - (len(client.acked) - base) >= window:
            await client.until_acked(base + sent - window // 2)
        elif sent % 64 == 0:
            await asyncio.sleep(0)  # let acks in and the transport write
    await client.until_acked(base + len(bodies))
    return max(client.acked.values()) - started


Body = list[tuple[int, str]]


async def paced(client: Client, orders: list[tuple[str, Body]], rate: float) -> list[float]:
    """Send one order every 1/rate s; each order's send→ack time in seconds."""
    sent_at: dict[str, float] = {}
    base = len(client.acked)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for i, (cl_ord_id, body) in enumerate(orders):
        delay = start + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        sent_at[cl_ord_id] = time.perf_counter()
        client.send(body)
    await client.until_acked(base + len(orders))
    return [client.acked[c] - t for c, t in sent_at.items()]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


# ---------------------------------------------------------------------- main


async def run(args: argparse.Namespace, directory: Path) -> None:
    if "orders" in args.parts:
        await run_orders(args, directory / "orders")
    if "sweep" in args.parts:
        await run_sweep(args, directory / "sweep")


async def run_orders(args: argparse.Namespace, directory: Path) -> None:
    """Parts 1-3, on one venue: throughput, then latency, then memory."""
    directory.mkdir()
    venue, keys = start_venue(directory, args.markets, args.profile)
    try:
        time.sleep(0.5)  # let the child settle before the baseline reading
        baseline = venue.status()
        client = await log_on(venue.info["sessions"]["KalshiNR"], keys[ACCOUNT])
        orders = order_bodies(args.markets, "o")

        batch = [body for _, body in itertools.islice(orders, args.orders)]
        venue_cpu, client_cpu = venue.cpu_seconds(), time.process_time()
        seconds = await pipelined(client, batch, args.window)
        venue_cpu, client_cpu = venue.cpu_seconds() - venue_cpu, time.process_time() - client_cpu
        print(
            f"throughput: {args.orders} orders acked in {seconds:.3f} s = "
            f"{args.orders / seconds:,.0f} orders/s (window {args.window}); CPU used meanwhile: "
            f"venue {venue_cpu:.2f} s ({args.orders / max(venue_cpu, 0.01):,.0f} orders per "
            f"venue CPU second), client {client_cpu:.2f} s"
        )

        paced_orders = list(itertools.islice(orders, args.latency_orders))
        latencies = await paced(client, paced_orders, args.rate)
        ms = [1000 * x for x in latencies]
        print(
            f"latency at {args.rate:g}/s over {len(ms)} orders "
            f"({args.orders} already resting): p50 {statistics.median(ms):.3f} ms, "
            f"p99 {percentile(ms, 0.99):.3f} ms, max {max(ms):.3f} ms"
        )

        placed = args.orders + args.latency_orders
        rest = max(0, args.resting - placed)
        fill_start = time.perf_counter()
        for start in range(0, rest, 10_000):
            chunk = [body for _, body in itertools.islice(orders, min(10_000, rest - start))]
            await pipelined(client, chunk, args.window)
        fill_seconds = time.perf_counter() - fill_start
        if rest:
            rate = rest / fill_seconds
            print(f"fill: {rest} more orders in {fill_seconds:.1f} s = {rate:,.0f}/s")
        await client.initiator.stop()
        await asyncio.sleep(0.5)  # let the venue finish the logout
        status = venue.status()  # before the snapshot below, which builds a large answer
        open_orders = venue.open_orders()
        print(
            f"memory: {open_orders:,} resting orders: VmRSS {status['VmRSS'] / 1024:.1f} MiB "
            f"(VmHWM {status['VmHWM'] / 1024:.1f} MiB; "
            f"{baseline['VmRSS'] / 1024:.1f} MiB after start-up, before any order)"
        )
    finally:
        code = venue.stop()
        print(f"venue exited {code}")


async def run_sweep(args: argparse.Namespace, directory: Path) -> None:
    """Part 4: ``--sweep`` resting bids, one IOC sell for all of them."""
    directory.mkdir()
    count = args.sweep
    profile = None if args.profile is None else args.profile.with_name(args.profile.name + ".sweep")
    state_dir = directory / "state" if args.sweep_state_dir else None
    venue, keys = start_venue(
        directory,
        1,
        profile,
        accounts=(ACCOUNT, COUNTERPARTY),
        state_dir=state_dir,
        profile_on_signal=True,
    )
    try:
        port = venue.info["sessions"]["KalshiNR"]
        ours = await log_on(port, keys[ACCOUNT])
        theirs = await log_on(port, keys[COUNTERPARTY])
        market = f"{EVENT}-M0000"
        bids = [
            NewOrderSingle(
                cl_ord_id=f"rest-{n}",
                symbol=market,
                side=Side.BUY,
                order_qty=Decimal(1),
                price=SWEEP_PRICE,
            ).to_body()
            for n in range(count)
        ]
        rest_seconds = await pipelined(ours, bids, args.window)
        print(
            f"sweep: {count:,} bids of 1 at {SWEEP_PRICE} resting in {rest_seconds:.2f} s "
            f"(state directory {'on' if state_dir else 'off'})"
        )
        await asyncio.sleep(1.5)  # the venue's tick writes what the acks left; the loop idles
        sweep = NewOrderSingle(
            cl_ord_id="sweep-1",
            symbol=market,
            side=Side.SELL,
            order_qty=Decimal(count),
            price=SWEEP_PRICE,
            time_in_force=TimeInForce.IOC,
        ).to_body()
        if profile is not None:
            venue.process.send_signal(signal.SIGUSR1)
            await asyncio.sleep(0.1)
        venue_cpu = venue.cpu_seconds()
        started = time.perf_counter()
        theirs.send(sweep)
        await ours.until_filled(count)
        await theirs.until_filled(count)
        venue_cpu = venue.cpu_seconds() - venue_cpu
        if profile is not None:
            venue.process.send_signal(signal.SIGUSR2)
            print(f"sweep: the venue's profile of the sweep: {profile}")
        for who, client in (("resting account", ours), ("sweeping account", theirs)):
            first, last = client.fills[0] - started, client.fills[-1] - started
            print(
                f"sweep: {who}: first of its {count:,} fill reports read {first:.3f} s after "
                f"the sweep order was sent, the last {last:.3f} s after"
            )
        print(
            f"sweep: venue CPU meanwhile {venue_cpu:.2f} s = "
            f"{1e6 * venue_cpu / count:,.0f} µs per fill (2 reports each)"
        )
        await ours.initiator.stop()
        await theirs.initiator.stop()
    finally:
        code = venue.stop()
        print(f"venue exited {code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20_000, help="throughput run (20,000)")
    parser.add_argument("--window", type=int, default=1_000, help="most unanswered orders")
    parser.add_argument("--latency-orders", type=int, default=1_000, help="paced orders")
    parser.add_argument("--rate", type=float, default=100.0, help="paced orders per second")
    parser.add_argument("--resting", type=int, default=100_000, help="orders resting for memory")
    parser.add_argument("--markets", type=int, default=500, help="markets in the markets file")
    parser.add_argument("--sweep", type=int, default=20_000, help="fills in the sweep (20,000)")
    parser.add_argument(
        "--sweep-state-dir",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the sweep's venue keeps a state directory (default on)",
    )
    parser.add_argument(
        "--parts",
        type=lambda text: text.split(","),
        default=list(PARTS),
        help=f"comma-separated, of {', '.join(PARTS)} (default all)",
    )
    parser.add_argument(
        "--profile", type=Path, help="run the venue under cProfile, writing its stats here"
    )
    args = parser.parse_args()
    unknown = set(args.parts) - set(PARTS)
    if unknown:
        parser.error(f"--parts: unknown {', '.join(sorted(unknown))}")
    tune_gc()  # the client as the programs run (workstation.runtime); the venue does it itself
    print(
        f"python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs; venue: python -m workstation.simulator (child process), "
        f"{args.markets} markets, no TLS, flow off"
    )
    with tempfile.TemporaryDirectory(prefix="bench-sim-") as tmp:
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
