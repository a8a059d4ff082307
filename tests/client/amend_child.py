"""A Desk in a child process that sends a cancel or a replace and is killed before its answer.

``python -m tests.client.amend_child SPEC``, from the repository root. SPEC is the spec of
:mod:`tests.client.journal_child` plus ``amend`` (``cancel`` or ``replace``) and, for a
replace, ``new_quantity``. The child starts a Desk on the spec's venue, places one resting
order, waits for its acknowledgement, prints the order's ClOrdID, sends the cancel or the
replace and kills itself with SIGKILL before it reads any answer: a request in flight when
the workstation died.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.client.journal_child import make_desk, ticket_of, wait_until

ROOT = Path(__file__).resolve().parents[2]


async def _run(spec: Any) -> None:
    desk = make_desk(spec)
    await desk.start()
    await wait_until(desk.all_logged_on)
    order = await desk.submit(ticket_of(spec), confirmed=True)
    await wait_until(lambda: (desk.orders.get(order.cl_ord_id) or order).order_id is not None)
    print(order.cl_ord_id, flush=True)
    if spec["amend"] == "cancel":
        await desk.cancel(order.cl_ord_id)
    else:
        await desk.replace(order.cl_ord_id, quantity=Decimal(spec["new_quantity"]))
    os.kill(os.getpid(), signal.SIGKILL)


def main(argv: list[str]) -> None:
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    asyncio.run(_run(spec))


if __name__ == "__main__":
    main(sys.argv)
