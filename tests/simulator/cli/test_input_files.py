"""``--accounts`` and ``--markets`` as a script uses them: the ready file maps every key of
the accounts file (and every ``--key``) to its account, a key of the file logs on, and the
venue lists exactly the markets of the markets file."""

from __future__ import annotations

import asyncio
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.simulator.admin.client import send_command

from ..venue_harness import logged_on, make_key
from .sim_process import READY_KEYS, connect, key_argument, launch

MARKETS = """\
[[event]]
ticker = "KXCLI-26NOV24"
title = "Scripted markets"

[[event.market]]
ticker = "KXCLI-26NOV24-A"
title = "A"

[[event.market]]
ticker = "KXCLI-26NOV24-B"
title = "B"
"""


def test_accounts_and_markets_files_shape_the_venue(tmp_path: Path) -> None:
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    desk, watch, solo = (make_key(keys_dir, n) for n in ("desk", "watch", "solo"))
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(
        "[[account]]\n"
        'id = "desk-a"\n'
        'balance = "2500.00"\n\n'
        "[[account.key]]\n"
        f'id = "{desk.key_id}"\n'
        f'public_key = "keys/{desk.public_path.name}"\n\n'
        "[[account.key]]\n"
        f'id = "{watch.key_id}"\n'
        f'public_key = "keys/{watch.public_path.name}"\n'
        'scope = "read"\n',
        encoding="utf-8",
    )
    markets = tmp_path / "markets.toml"
    markets.write_text(MARKETS, encoding="utf-8")
    sim = launch(
        tmp_path / "run",
        "--base-port",
        "0",
        "--accounts",
        str(accounts),
        "--markets",
        str(markets),
        "--key",
        key_argument(solo),
        "--no-flow",
        "--seed",
        "11",
    )

    async def desk_logs_on(info: dict[str, object]) -> None:
        sessions = info["sessions"]
        assert isinstance(sessions, dict)
        client = connect("127.0.0.1", sessions["KalshiRT"], desk, SessionType.RT)
        try:
            await logged_on(client)
        finally:
            await client.initiator.stop()

    try:
        info = sim.wait_ready()
        assert set(info) == READY_KEYS
        assert info["accounts"] == {
            desk.key_id: "desk-a",
            watch.key_id: "desk-a",
            solo.key_id: solo.key_id,
        }
        asyncio.run(desk_logs_on(info))
        answer = send_command(info["host"], info["admin"], {"cmd": "markets"})
        assert answer["ok"] is True, answer
        assert sorted(m["ticker"] for m in answer["markets"]) == [
            "KXCLI-26NOV24-A",
            "KXCLI-26NOV24-B",
        ]
        snapshot = send_command(
            info["host"], info["admin"], {"cmd": "snapshot", "account": "desk-a"}
        )
        assert snapshot["balance"] == "2500.00"
        assert sim.stop() == 0
    finally:
        sim.kill()
