"""The workstation in a child process, to be killed with ``kill -9`` in the middle of fills.

``python -m tests.faults.desk_child SPEC.json`` opens a :class:`~workstation.client.desk.Desk`
on the spec's data directory with the rig's profile (:func:`~tests.faults.rig.build_profile`:
every session through the rig's proxies), waits until every session is logged on, rests the
rig's orders for the counterparty and the flow, prints ``ready``, and then ``fills N`` after
every update that added fills (an update is delivered after its messages' transaction
committed), until it is killed. It never stops by itself before ``--seconds`` (default 120)
have passed, so a test that forgets it cannot leave it running for long.
"""

from __future__ import annotations

import asyncio
import json
import sys
from decimal import Decimal
from pathlib import Path

from workstation.client.desk import Desk, DeskUpdate, NeedsConfirmation
from workstation.fix.dialect import SessionType
from workstation.trading.changes import FillAdded
from workstation.trading.ticket import Intent, Ticket

from .counterparty import DESK_PRICE
from .rig import RESTING, build_profile, desk_config, wait_until
from .simulator import MARKETS, use_keys

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


def main(argv: list[str]) -> None:
    spec = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    lifetime = float(argv[2]) if len(argv) > 2 and argv[1] == "--seconds" else LIFETIME
    asyncio.run(run(spec, lifetime))


if __name__ == "__main__":
    main(sys.argv[1:])
