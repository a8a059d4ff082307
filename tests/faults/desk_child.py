"""The workstation in a child process, to be killed with ``kill -9`` in the middle of fills.

``python -m tests.faults.desk_child SPEC.json`` opens a :class:`~workstation.client.desk.Desk`
on the spec's data directory with the rig's profile (:func:`~tests.faults.rig.build_profile`:
every session through the rig's proxies), waits until every session is logged on, rests the
rig's orders for the counterparty and the flow, prints ``ready``, and then ``fills N`` after
every update that added fills (an update is delivered after its messages' transaction
committed), until it is killed. It stops by itself after ``--seconds`` (default 120), so a test that
forgets it cannot leave it running for long.

The parent's side: :func:`spawn` starts it for a :class:`~tests.faults.rig.Rig`, and
:class:`DeskChild` reads what it prints and kills it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sys
from decimal import Decimal
from pathlib import Path

from workstation.client.desk import Desk, DeskUpdate, NeedsConfirmation
from workstation.fix.dialect import Dialect, SessionType
from workstation.trading.changes import FillAdded
from workstation.trading.ticket import Intent, Ticket

from .counterparty import DESK_PRICE
from .rig import RESTING, Rig, build_profile, desk_config, wait_until
from .simulator import MARKETS, use_keys

__all__ = ["DeskChild", "spawn"]

LIFETIME = 120.0


async def _submit(desk: Desk, symbol: str, intent: Intent, quantity: Decimal) -> None:
    ticket = Ticket(symbol=symbol, intent=intent, price=DESK_PRICE, quantity=quantity)
    try:
        await desk.submit(ticket)
    except NeedsConfirmation:
        await desk.submit(ticket, confirmed=True)


async def run(spec: dict[str, object], lifetime: float) -> None:
    use_keys(Path(str(spec["keys_dir"])))
    ports = spec["ports"]
    assert isinstance(ports, dict)
    profile = build_profile(
        order_session=SessionType(str(spec["order_session"])),
        heartbeat=int(str(spec["heartbeat"])),
        ports={SessionType(name): int(port) for name, port in ports.items()},
        rest_port=int(str(spec["rest_port"])),
        dialect=Dialect(str(spec["dialect"])),
    )
    desk = Desk(desk_config(profile), data_dir=Path(str(spec["data_dir"])))

    def report(update: DeskUpdate) -> None:
        if any(isinstance(c, FillAdded) for c in update.changes):
            print(f"fills {len(desk.fills)}", flush=True)

    desk.subscribe(report)
    await desk.start()
    await wait_until(desk.all_logged_on, 15.0, "the child desk's logon")
    await _submit(desk, MARKETS[0], Intent.BUY_YES, RESTING)
    await _submit(desk, MARKETS[1], Intent.SELL_YES, RESTING)
    await wait_until(
        lambda: all(o.order_id is not None for o in desk.orders.open_orders()),
        10.0,
        "the child's resting orders' acks",
    )
    print("ready", flush=True)
    await asyncio.sleep(lifetime)
    await desk.stop()


class DeskChild:
    """The child process and the lines it printed."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            self.lines.append(raw.decode().strip())

    @property
    def fills(self) -> int:
        counts = [int(m.group(1)) for ln in self.lines if (m := re.fullmatch(r"fills (\d+)", ln))]
        return max(counts, default=0)

    async def wait_for(self, line: str, timeout: float = 45.0) -> None:
        await wait_until(
            lambda: line in self.lines or self.process.returncode is not None,
            timeout,
            f"{line!r} from the desk child",
        )
        assert line in self.lines, f"the desk child ended early: {self.lines[-5:]}"

    async def kill(self) -> int:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        code = await self.process.wait()
        await self._reader
        return code


async def spawn(rig: Rig, lifetime: float = 60.0) -> DeskChild:
    """Start the desk child on ``rig``'s profile and data directory (it prints ``ready``)."""
    spec = rig.directory / "desk-spec.json"
    spec.write_text(json.dumps(rig.desk_spec()), encoding="utf-8")
    log = (rig.directory / "desk-child.log").open("ab")
    root = Path(__file__).resolve().parents[2]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.faults.desk_child", str(spec), "--seconds", str(lifetime),
        stdout=asyncio.subprocess.PIPE, stderr=log, cwd=root,
    )  # fmt: skip
    log.close()
    return DeskChild(process)


def main(argv: list[str]) -> None:
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    lifetime = float(argv[2]) if len(argv) > 2 and argv[1] == "--seconds" else LIFETIME
    asyncio.run(run(spec, lifetime))


if __name__ == "__main__":
    main(sys.argv[1:])
