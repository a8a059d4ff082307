"""Store before send, on the venue: a fill reaches a client only once the venue's state
directory holds it.

Found by the soak: after ``kill -9`` of ``workstation-sim`` the desk held two fills the
restarted venue had no record of. The venue sent a client's ExecutionReports as soon as they
were made, and wrote the exchange state behind them at the end of the batch — committed in
the same event-loop step, so only a kill between the two showed it. Here every write the
venue makes on the desk's connection is watched (a wrapper around the real transport's
``write``, which passes every call on): for each ExecutionReport of a fill in the bytes, a
separate read-only connection to ``venue.db`` must already see that fill committed.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.fix.messages.enums import Side, TimeInForce
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.prices import PriceFormat
from workstation.simulator.assembly import build_venue
from workstation.simulator.registry import AccountSpec, KeyRegistry
from workstation.simulator.settings import VenueSettings

from ..simulator.venue_harness import connect, logged_on, make_key, register, wait_for


def _fills_in(data: bytes) -> list[tuple[int, int]]:
    found = []
    for frame in data.split(b"8=FIXT.1.1\x01")[1:]:
        if b"\x01150=F\x01" in frame:
            exec_id = re.search(rb"\x0117=(\d+);(\d+)\x01", frame)
            assert exec_id is not None
            found.append((int(exec_id.group(1)), int(exec_id.group(2))))
    return found


def test_the_venue_commits_a_fill_before_sending_it(tmp_path: Path) -> None:
    desk_key, cp_key = make_key(tmp_path, "desk"), make_key(tmp_path, "cp")
    registry = KeyRegistry()
    registry.add_account(AccountSpec(account_id="desk"))
    registry.add_account(AccountSpec(account_id="cp"))
    register(registry, desk_key, "desk")
    register(registry, cp_key, "cp")
    state_dir = tmp_path / "state"
    settings = VenueSettings(base_port=0, registry=registry, state_dir=state_dir)
    sent_uncommitted: list[tuple[int, int]] = []
    sent: list[tuple[int, int]] = []

    async def scenario() -> None:
        venue = build_venue(settings)
        info = await venue.start()
        ports = info["sessions"]
        desk = connect(ports["KalshiRT"], desk_key, SessionType.RT)
        cp = connect(ports["KalshiNR"], cp_key, SessionType.NR)
        reader = sqlite3.connect(f"{(state_dir / 'venue.db').resolve().as_uri()}?mode=ro", uri=True)
        try:
            await logged_on(desk)
            await logged_on(cp)
            market = sorted(
                m.ticker for m in venue.exchange.markets() if m.status.value == "open"
            )[0]
            server = venue.servers[SessionType.RT]
            (session,) = server.sessions
            conn = server.connection_for(session)
            assert conn is not None
            transport = conn._writer.transport  # the real transport, watched below
            write = transport.write

            def watched(data: bytes | bytearray | memoryview) -> None:
                for fill in _fills_in(bytes(data)):
                    sent.append(fill)
                    row = reader.execute(
                        "SELECT 1 FROM venue_fills WHERE account = ? AND clock = ? AND event = ?",
                        ("desk", *fill),
                    ).fetchone()
                    if row is None:
                        sent_uncommitted.append(fill)
                write(data)

            transport.write = watched  # type: ignore[method-assign]
            bid = NewOrderSingle(
                cl_ord_id="desk-bid", symbol=market, side=Side.BUY,
                order_qty=Decimal(50), price=Decimal("0.30"),
            )  # fmt: skip
            desk.initiator.send("D", bid.to_body(PriceFormat.CENTS))
            await asyncio.sleep(0.2)
            for n in range(10):  # another client's orders fill the desk's bid
                ioc = NewOrderSingle(
                    cl_ord_id=f"cp-{n}", symbol=market, side=Side.SELL, order_qty=Decimal(2),
                    price=Decimal("0.30"), time_in_force=TimeInForce.IOC,
                )  # fmt: skip
                cp.initiator.send("D", ioc.to_body(PriceFormat.CENTS))
            await wait_for(lambda: len(sent) >= 10)
        finally:
            reader.close()
            await desk.initiator.stop()
            await cp.initiator.stop()
            await venue.stop()

    asyncio.run(scenario())
    assert len(sent) == 10
    assert sent_uncommitted == []
