"""Running one fault scenario: a fresh :class:`~tests.faults.rig.Rig`, trading under way, the
scenario's fault, and the verdict.

:func:`run_scenario` builds the rig in ``directory``, rests the desk's orders, starts the
counterparty, waits for the first fills, hands the rig to the scenario's ``fault`` coroutine,
then settles and returns the :class:`~tests.faults.reconcile.Reconciliation` with the rig (for
the scenario's own checks on what happened). The rig is closed whatever happens; a scenario
that fails leaves the venue's and the desk's files in ``directory`` to read.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from workstation.client.desk import Desk
from workstation.fix.dialect import SessionType
from workstation.fix.session import Session
from workstation.net.initiator import Initiator

from .proxy import FaultProxy, Leg
from .reconcile import Reconciliation
from .rig import Rig, wait_until

__all__ = [
    "ER",
    "Fault",
    "fills_at_least",
    "frames_through",
    "initiator",
    "record_result",
    "run_scenario",
]

#: When set, each scenario appends its figures to this file as one JSON line (the table in
#: docs/reliability.md is made from them).
RESULTS_ENV = "FAULT_RESULTS"

#: ``match`` for the proxy's one-shot faults: an ExecutionReport.
ER = b"\x0135=8\x01"

Fault = Callable[[Rig], Awaitable[None]]


async def fills_at_least(rig: Rig, count: int, timeout: float = 10.0) -> None:
    """Wait until the desk holds ``count`` more fills than now."""
    target = len(rig.the_desk.fills) + count
    await wait_until(lambda: len(rig.the_desk.fills) >= target, timeout, f"{count} more fills")


async def frames_through(proxy: FaultProxy, count: int, leg: Leg = Leg.TO_CLIENT) -> None:
    """Wait until ``count`` more frames have gone through ``proxy`` on ``leg``."""
    target = proxy.frames[leg] + count
    await wait_until(lambda: proxy.frames[leg] >= target, 10.0, f"{count} frames on {proxy}")


def initiator(desk: Desk, session_type: SessionType) -> Initiator[Session]:
    link = desk.link(session_type)
    assert link is not None, f"the desk has no {session_type.value} session"
    return link.initiator


def record_result(rig: Rig, result: Reconciliation) -> None:
    """Append the scenario's figures to ``$FAULT_RESULTS`` (nothing when it is not set)."""
    path = os.environ.get(RESULTS_ENV)
    if not path:
        return
    line = {
        "test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
        "venue_fills": result.venue_fills,
        "desk_fills": result.desk_fills,
        "healed": result.healed,
        "duplicates_ignored": rig.duplicates_ignored,
        "discrepancies": result.discrepancies,
        "faults": rig.fault_counts(),
        "connections": {p.name: p.accepted for p in rig.all_proxies()},
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


def run_scenario(
    directory: Path, fault: Fault, *, first_fills: int = 5, **rig_options: Any
) -> tuple[Reconciliation, Rig]:
    """See the module docstring. ``rig_options`` go to :class:`Rig`."""

    async def scenario() -> tuple[Reconciliation, Rig]:
        rig = Rig(directory, **rig_options)
        try:
            await rig.start()
            await rig.rest_orders()
            rig.the_counterparty.run(0.05)
            await fills_at_least(rig, first_fills)
            await fault(rig)
            result = await rig.settle()
            record_result(rig, result)
            return result, rig
        finally:
            await rig.close()

    return asyncio.run(scenario())
