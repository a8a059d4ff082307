"""The soak: random faults against continuous trading for ``--minutes`` (default 30), checked
against the venue again and again. Bounded; stops by itself; prints figures, asserts nothing.

Run from the repository root::

    python -m tests.soak.soak --minutes 30 --seed 1 --report soak.json

It builds the fault scenarios' :class:`~tests.faults.rig.Rig` (``workstation-sim`` as a child
process with a state directory and seeded simulated flow, a proxy in front of every port, a
real Desk through them, a counterparty trading against the desk's resting orders at 20 orders
a second) and then, until the time is up, picks a fault at random (seeded) from
:data:`FAULTS`, injects it while trading goes on, lets trading run a few seconds more, and
every ``--check-every`` faults settles: trading pauses, the desk recovers, and its fills,
positions and balance are compared with the venue's admin snapshot (the same ExecIDs, each
recorded once). Then trading resumes. A last check ends the run.

Every fault is bounded by :data:`FAULT_TIMEOUT` and every check by :data:`CHECK_TIMEOUT`; the
whole run by ``--minutes`` plus :data:`OVERRUN`, after which it stops wherever it is. The
figures printed at the end (and written as JSON with ``--report``): minutes run, faults
injected by kind, checks made, fills checked (the venue's fills for the account at the last
check, and summed over every check), discrepancies (summed over every check: 0 is the pass
mark), and any fault that did not recover in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import signal
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.fix.dialect import SessionType
from workstation.trading.ticket import Intent

from ..faults.counterparty import DESK_PRICE
from ..faults.desk_child import spawn
from ..faults.proxy import Leg
from ..faults.reconcile import Reconciliation
from ..faults.rig import Rig, wait_until
from ..faults.scenario import ER, frames_through
from ..faults.simulator import DESK_ACCOUNT, MARKETS

FAULT_TIMEOUT = 180.0  #: seconds one fault (with its recovery waits) may take
CHECK_TIMEOUT = 180.0  #: seconds one check may wait for the desk to agree with the venue
OVERRUN = 600.0  #: seconds past --minutes after which the run stops wherever it is
HEARTBEAT = 5  #: HeartBtInt of the desk's sessions (a stall past it is noticed in ~11 s)

Fault = Callable[[Rig, random.Random], Awaitable[str]]


# ---------------------------------------------------------------------------------- faults


def _order(rig: Rig) -> SessionType:
    return rig.order_session


async def cut_mid_burst(rig: Rig, rng: random.Random) -> str:
    proxy = rig.proxies[_order(rig)]
    rig.the_counterparty.burst(rng.randint(10, 40))
    with contextlib.suppress(AssertionError):
        await frames_through(proxy, rng.randint(1, 8))
    return f"{proxy.cut()} connection(s)"


async def cut_everything(rig: Rig, rng: random.Random) -> str:
    rig.the_counterparty.burst(rng.randint(5, 20))
    cut = sum(proxy.cut() for proxy in rig.proxies.values())
    return f"{cut} connection(s)"


async def half_open(rig: Rig, rng: random.Random) -> str:
    """The venue keeps the dead connection: the desk meets 'already exists' and waits."""
    rig.proxies[_order(rig)].cut(keep_server_side=True)
    return "order session, venue side left open"


async def stall_past_heartbeat(rig: Rig, rng: random.Random) -> str:
    proxy = rig.proxies[_order(rig)]
    seconds = rng.uniform(2.5, 4.0) * HEARTBEAT
    proxy.stall(seconds, Leg.TO_CLIENT)
    await asyncio.sleep(seconds)
    return f"{seconds:.1f} s towards the desk"


async def stall_briefly(rig: Rig, rng: random.Random) -> str:
    proxy = rig.proxies[rng.choice([_order(rig), SessionType.DC])]
    seconds = rng.uniform(0.3, 2.0)
    proxy.stall(seconds)
    await asyncio.sleep(seconds)
    return f"{proxy.name} {seconds:.1f} s both ways"


async def split_writes(rig: Rig, rng: random.Random) -> str:
    k = rng.choice([1, 1, 2, 3, 7, 64])
    seconds = rng.uniform(2.0, 6.0)
    for st in (_order(rig), SessionType.DC):
        rig.proxies[st].split(k, leg=None)
    with contextlib.suppress(AssertionError):
        await wait_until(rig.the_desk.heal_from_drop_copy, 3.0, "a drop-copy request")
    await asyncio.sleep(seconds)
    for st in (_order(rig), SessionType.DC):
        rig.proxies[st].split(None, leg=None)
    return f"{k}-byte pieces for {seconds:.1f} s"


async def corrupt_fill(rig: Rig, rng: random.Random) -> str:
    proxy = rig.proxies[_order(rig)]
    offset = rng.randrange(-20, 400)
    proxy.corrupt_next(offset, match=ER)
    await wait_until(lambda: proxy.armed == 0, 30.0, "the corruption")
    return f"byte {offset} of an ExecutionReport"


async def corrupt_order(rig: Rig, rng: random.Random) -> str:
    proxy = rig.proxies[_order(rig)]
    offset = rng.randrange(0, 200)
    proxy.corrupt_next(offset, leg=Leg.TO_SERVER, match=b"\x0135=D\x01")
    for _ in range(2):  # the second shows the venue the gap the first left
        await _small_order(rig, rng)
    await wait_until(lambda: proxy.armed == 0, 30.0, "the corruption")
    return f"byte {offset} of a NewOrderSingle"


async def corrupt_replay(rig: Rig, rng: random.Random) -> str:
    dc = rig.proxies[SessionType.DC]
    dc.corrupt_next(rng.randrange(0, 400), match=rng.choice([ER, b"\x0135=U2\x01"]), skip=1)
    rig.proxies[_order(rig)].cut()
    with contextlib.suppress(AssertionError):
        await wait_until(lambda: dc.armed == 0, 20.0, "the corruption")
    dc.pass_through()
    return "a drop-copy replay, after cutting the order session"


async def duplicate_fill(rig: Rig, rng: random.Random) -> str:
    proxy = rig.proxies[rng.choice([_order(rig), _order(rig), SessionType.DC])]
    proxy.duplicate_next(match=ER)
    if proxy.name == SessionType.DC.value:
        with contextlib.suppress(AssertionError):
            await wait_until(rig.the_desk.heal_from_drop_copy, 5.0, "a drop-copy request")
    with contextlib.suppress(AssertionError):
        await wait_until(lambda: proxy.armed == 0, 30.0, "the duplicate")
    proxy.pass_through()
    return f"an ExecutionReport on {proxy.name}"


async def duplicate_order(rig: Rig, rng: random.Random) -> str:
    proxy = rig.proxies[_order(rig)]
    proxy.duplicate_next(leg=Leg.TO_SERVER, match=b"\x0135=D\x01")
    await _small_order(rig, rng)
    with contextlib.suppress(AssertionError):
        await wait_until(lambda: proxy.armed == 0, 10.0, "the duplicate")
    proxy.pass_through()
    return "a NewOrderSingle to the venue"


async def restart_simulator(rig: Rig, rng: random.Random) -> str:
    signum = rng.choice([signal.SIGKILL, signal.SIGTERM])
    rig.the_counterparty.burst(rng.randint(0, 20))
    await rig.restart_simulator(signum)
    await rig.sim.admin("flow", on=True)
    return signum.name


async def exchange_unavailable(rig: Rig, rng: random.Random) -> str:
    applied = rng.random() < 0.5
    await rig.sim.admin("fail", account=DESK_ACCOUNT, kind="EXCHANGE_UNAVAILABLE", applied=applied)
    await _small_order(rig, rng, price=Decimal("0.51"))
    return "applied" if applied else "not applied"


async def kill_workstation(rig: Rig, rng: random.Random) -> str:
    """The desk moves to a child process, trades, and is killed with SIGKILL mid-stream;
    then it opens here again on the same journal."""
    await rig.close_desk()
    child = await spawn(rig, lifetime=120.0)
    try:
        await child.wait_for("ready", timeout=60.0)
        await asyncio.sleep(rng.uniform(1.0, 5.0))
        rig.the_counterparty.burst(rng.randint(10, 30))
        await asyncio.sleep(rng.uniform(0.0, 0.3))
    finally:
        await child.kill()
    await asyncio.sleep(rng.uniform(0.5, 3.0))
    await rig.open_desk(wait=120.0)
    return f"after {child.fills} fill(s) in the child"


async def _small_order(rig: Rig, rng: random.Random, price: Decimal = DESK_PRICE) -> None:
    desk = rig.the_desk
    await wait_until(desk.all_logged_on, 90.0, "the desk logged on, to send an order")
    await rig.submit(MARKETS[0], Intent.BUY_YES, price, Decimal(rng.randint(1, 20)))


@dataclass(frozen=True, slots=True)
class SoakFault:
    name: str
    weight: int
    run: Fault
    #: acts on a message of a logged-on session: waits (bounded) for the desk to be back from
    #: the last fault first, e.g. from the 60 s 'already exists' wait of a half-open cut
    needs_traffic: bool = False


FAULTS = (
    SoakFault("cut mid-burst", 12, cut_mid_burst),
    SoakFault("cut every session", 5, cut_everything),
    SoakFault("half-open cut (already exists)", 2, half_open),
    SoakFault("stall past the heartbeat", 5, stall_past_heartbeat),
    SoakFault("brief stall", 6, stall_briefly),
    SoakFault("split writes", 6, split_writes, needs_traffic=True),
    SoakFault("corrupt a fill", 8, corrupt_fill, needs_traffic=True),
    SoakFault("corrupt an order", 4, corrupt_order, needs_traffic=True),
    SoakFault("corrupt a drop-copy replay", 4, corrupt_replay, needs_traffic=True),
    SoakFault("duplicate a fill", 6, duplicate_fill, needs_traffic=True),
    SoakFault("duplicate an order", 3, duplicate_order, needs_traffic=True),
    SoakFault("restart the simulator", 4, restart_simulator),
    SoakFault("EXCHANGE_UNAVAILABLE", 3, exchange_unavailable, needs_traffic=True),
    SoakFault("kill -9 the workstation", 3, kill_workstation),
)
#: seconds a fault that needs traffic waits for the desk to be logged on again
RECOVERY_WAIT = 150.0


# ---------------------------------------------------------------------------------- the run


@dataclass
class Figures:
    minutes: float = 0.0
    faults: Counter[str] = field(default_factory=Counter)
    checks: int = 0
    fills_checked_last: int = 0
    fills_checked_total: int = 0
    healed_last: int = 0
    discrepancies: int = 0
    failed_checks: list[str] = field(default_factory=list)
    stuck_faults: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "minutes": round(self.minutes, 1),
            "faults_injected": sum(self.faults.values()),
            "faults_by_kind": dict(sorted(self.faults.items())),
            "checks": self.checks,
            "fills_checked": self.fills_checked_last,
            "fills_checked_over_all_checks": self.fills_checked_total,
            "fills_healed_by_drop_copy": self.healed_last,
            "discrepancies": self.discrepancies,
            "failed_checks": self.failed_checks,
            "faults_not_recovered_in_time": self.stuck_faults,
        }


class Soak:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.figures = Figures()
        self.started = time.monotonic()

    def say(self, text: str) -> None:
        elapsed = time.monotonic() - self.started
        print(f"[{int(elapsed // 60):02d}:{int(elapsed % 60):02d}] {text}", flush=True)

    async def run(self) -> Figures:
        args = self.args
        directory = Path(args.directory)
        directory.mkdir(parents=True, exist_ok=True)
        lifetime = args.minutes * 60 + OVERRUN + 300
        rig = Rig(
            directory,
            order_session=SessionType(args.order_session),
            heartbeat=HEARTBEAT,
            seed=args.seed,
            lifetime=lifetime,
        )
        try:
            await rig.start()
            await rig.rest_orders()
            rig.the_counterparty.run(0.05)
            self.say(f"trading: desk on {args.order_session}, venue {rig.sim.venue_id}")
            end = self.started + args.minutes * 60
            while True:
                await self.inject(rig)
                await asyncio.sleep(self.rng.uniform(2.0, 6.0))
                if time.monotonic() >= end:
                    break
                if sum(self.figures.faults.values()) % args.check_every == 0:
                    await self.check(rig)
                    await self.resume(rig)
            await self.check(rig)
        finally:
            self.figures.minutes = (time.monotonic() - self.started) / 60
            await rig.close()
        return self.figures

    async def inject(self, rig: Rig) -> None:
        kind = self.rng.choices(FAULTS, weights=[f.weight for f in FAULTS])[0]
        number = sum(self.figures.faults.values()) + 1
        try:
            if kind.needs_traffic:
                await wait_until(rig.the_desk.all_logged_on, RECOVERY_WAIT, "the desk back")
            detail = await asyncio.wait_for(kind.run(rig, self.rng), FAULT_TIMEOUT)
        except (TimeoutError, AssertionError) as exc:
            detail = f"did not finish: {exc or 'timed out'}"
            self.figures.stuck_faults.append(f"#{number} {kind.name}: {detail}")
            for proxy in rig.all_proxies():
                proxy.pass_through()
            if not rig.desk_running:
                with contextlib.suppress(AssertionError):
                    await rig.open_desk(wait=120.0)
        self.figures.faults[kind.name] += 1
        self.say(f"fault #{number}: {kind.name} — {detail}")
        with contextlib.suppress(Exception):
            await rig.refill()

    async def check(self, rig: Rig) -> None:
        result: Reconciliation = await rig.settle(timeout=CHECK_TIMEOUT)
        figures = self.figures
        figures.checks += 1
        figures.fills_checked_last = result.venue_fills
        figures.fills_checked_total += result.venue_fills
        figures.healed_last = result.healed
        figures.discrepancies += result.discrepancies
        if not result.ok:
            figures.failed_checks.append(f"check {figures.checks}: {result.describe()}")
        self.say(
            f"check #{figures.checks}: {result.describe()} — "
            f"{result.discrepancies} discrepancies"
        )

    async def resume(self, rig: Rig) -> None:
        await rig.sim.admin("flow", on=True)
        with contextlib.suppress(Exception):
            await rig.refill()
        rig.the_counterparty.run(0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="how long to run (30)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the faults and the flow")
    parser.add_argument(
        "--order-session", choices=[SessionType.RT.value, SessionType.NR.value],
        default=SessionType.RT.value, help="the desk's order session (KalshiRT)",
    )  # fmt: skip
    parser.add_argument("--check-every", type=int, default=3, help="faults between checks (3)")
    parser.add_argument("--directory", default="soak-run", help="venue and desk files")
    parser.add_argument("--report", help="also write the figures here as JSON")
    args = parser.parse_args(argv)
    soak = Soak(args)

    async def bounded() -> Figures:
        return await asyncio.wait_for(soak.run(), args.minutes * 60 + OVERRUN)

    try:
        figures = asyncio.run(bounded())
    except TimeoutError:
        figures = soak.figures
        figures.stuck_faults.append("the run passed its bound and was stopped")
    except Exception as exc:  # the rig itself broke (a venue that cannot start again ...)
        figures = soak.figures
        figures.stuck_faults.append(f"the run ended early: {type(exc).__name__}: {exc}")
    report = figures.as_json()
    report.update(seed=args.seed, order_session=args.order_session)
    print(json.dumps(report, indent=2), flush=True)
    if args.report:
        Path(args.report).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0 if figures.discrepancies == 0 and not figures.stuck_faults else 1


if __name__ == "__main__":
    sys.exit(main())
