"""The local venue as the workstation runs it: ``workstation-sim`` in a child process, tied to
the workstation's life, failing at start-up with a reason instead of a traceback."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from workstation.client.config import WorkstationConfig
from workstation.client.desk import Desk
from workstation.client.local_identity import provision_local
from workstation.client.local_venue_process import LocalVenueFailed, LocalVenueProcess

from .test_desk_local import wait_for


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_desk_runs_its_venue_as_a_child_and_stops_it(tmp_path: Path) -> None:
    async def scenario() -> int:
        desk = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False)
        await desk.start()
        try:
            assert isinstance(desk.local, LocalVenueProcess)
            pid = desk.local.pid
            assert pid is not None and pid != os.getpid() and desk.local.running
            await wait_for(desk.all_logged_on)
            assert desk.venue_id == f"local:{desk.local.venue_id}" and desk.local.venue_id
            ports = {link.settings.port for link in desk.links}
            assert ports == set(desk.local.ready["sessions"][st] for st in
                                ("KalshiRT", "KalshiDC", "KalshiPT", "KalshiRFQ"))
        finally:
            await desk.stop()
        return pid

    pid = asyncio.run(scenario())
    assert not _alive(pid), "the venue must stop with the desk"
    assert not (tmp_path / "local-venue" / "ready.json").exists()
    assert any((tmp_path / "local-venue" / "state").iterdir()), "the venue kept its state"


def test_the_same_venue_comes_back_on_the_next_start(tmp_path: Path) -> None:
    async def venue_id() -> str:
        local = LocalVenueProcess(provision_local(tmp_path), flow=False)
        ready = await local.start()
        await local.stop()
        return str(ready["venue_id"])

    assert asyncio.run(venue_id()) == asyncio.run(venue_id())


def test_a_venue_that_cannot_start_says_why(tmp_path: Path) -> None:
    identity = provision_local(tmp_path)
    next(iter(identity.keys.values())).public_key.write_text("not a key\n")

    async def scenario() -> None:
        await LocalVenueProcess(identity, flow=False).start()

    with pytest.raises(LocalVenueFailed, match=r"exited .* before it was ready: .*accounts"):
        asyncio.run(scenario())
