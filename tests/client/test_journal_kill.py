"""kill -9 of a workstation while a counterparty's fills stream in: nothing is lost or doubled.

A child process runs a Desk (KalshiNR + KalshiDC) with a large resting bid on a venue that
runs in this process; a counterparty sells into the bid one contract at a time, and the
child is killed with SIGKILL at random moments, a few times, and started again. The fills
go on while it is dead. At the end a Desk starts on the same data directory: once drop copy
has healed what was missed, its fills — rebuilt from the journal — are exactly the venue's
record for the account, the same ExecIDs, each once, and the position agrees.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from workstation.fix.dialect import SessionType

from .journal_child import ACCOUNT, HERE, ExternalVenue, make_desk, start_venue, wait_until

PRICE = Decimal("0.40")
RESTING = Decimal(5000)
MAX_SOLD = 4000  #: the counterparty stops here at the latest (bounded), below what rests
KILLS = 3


class Child:
    """The child process and the lines it has printed so far."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            self.lines.append(raw.decode().strip())

    async def wait_for_line(self, wanted: Callable[[str], bool], timeout: float = 30.0) -> None:
        def seen() -> bool:
            return any(wanted(line) for line in self.lines)

        await wait_until(lambda: seen() or self.process.returncode is not None, timeout)
        assert seen(), f"the child ended early: {self.lines[-5:]}"

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()
        await self._reader


async def spawn(spec_file: Path, log: Path) -> Child:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(HERE),
        str(spec_file),
        stdout=asyncio.subprocess.PIPE,
        stderr=log.open("ab"),
    )
    return Child(process)


async def counterparty(ext: ExternalVenue, ticker: str, stop: asyncio.Event) -> int:
    """Sell one contract into our bid every few milliseconds until told to stop (or MAX_SOLD)."""
    sold = 0
    while not stop.is_set() and sold < MAX_SOLD:
        ext.counterparty_sells(ticker, PRICE, Decimal(1))
        sold += 1
        await asyncio.sleep(0.004)
    return sold


def test_fills_survive_kill_9_at_random_points(tmp_path: Path) -> None:
    async def scenario() -> None:
        ext = await start_venue(tmp_path / "venue")
        stop = asyncio.Event()
        pump: asyncio.Task[int] | None = None
        desk = None
        rng = random.Random(20261124)
        try:
            ticker = ext.open_market()
            spec = ext.spec(
                tmp_path / "desk",
                SessionType.NR,
                "stream",
                symbol=ticker,
                price=str(PRICE),
                quantity=str(RESTING),
            )
            spec_file = ext.write_spec(tmp_path / "spec.json", spec)
            for _ in range(KILLS):
                child = await spawn(spec_file, tmp_path / "child.log")
                try:
                    await child.wait_for_line(lambda line: line == "ready")
                    if pump is None:
                        pump = asyncio.get_running_loop().create_task(
                            counterparty(ext, ticker, stop)
                        )
                    # a fill of this run journaled, then a random moment mid-stream
                    await child.wait_for_line(lambda line: line.startswith("fills"))
                    await asyncio.sleep(rng.uniform(0.02, 0.5))  # mid-stream
                finally:
                    await child.kill()
                await asyncio.sleep(rng.uniform(0.05, 0.3))  # fills go on while it is dead
            assert pump is not None
            stop.set()
            sold = await pump
            assert sold < MAX_SOLD  # still streaming at the last kill

            venue_fills = ext.fill_ids()
            assert len(venue_fills) == sold  # one fill per contract sold into the bid
            desk = make_desk(spec)
            await desk.start()
            await wait_until(desk.all_logged_on)

            link = desk.order_link()
            assert link is not None
            account = link.account  # the desk keeps a custom venue's fills under its key

            def ours() -> list[str]:
                return [str(f.exec_id) for f in desk.fills if f.account == account]

            await wait_until(lambda: sorted(ours()) == sorted(venue_fills), timeout=20.0)
            assert len(ours()) == len(set(ours()))  # each exactly once
            assert any(f.healed for f in desk.fills)  # drop copy brought the missed ones
            assert desk.journal is not None
            held = {str(e) for e in desk.journal.exec_ids(desk.venue_id, account)}
            assert set(venue_fills) <= held
            position = sum(p.net for p in desk.positions if p.symbol == ticker)
            venue_position = ext.venue.exchange.snapshot(ACCOUNT).sub_accounts[0].positions
            assert position == venue_position[ticker] == sold
        finally:
            stop.set()
            if pump is not None:
                await asyncio.gather(pump, return_exceptions=True)
            if desk is not None:
                await desk.stop()
            await ext.venue.stop()

    asyncio.run(scenario())
