"""A state directory the venue must not use is refused with a clear message and left exactly as
it was: not a SQLite file, a database of something else, a newer schema, a record that does
not read back. ``workstation-sim --state-dir`` says so and exits 2."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
from pathlib import Path

import pytest

from workstation.simulator.cli import main
from workstation.simulator.persistence import FILE_NAME, StateDir, StateDirError
from workstation.simulator.persistence.state_file import SCHEMA_VERSION
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

from .desk import markets_toml, registry


def fingerprint(directory: Path) -> dict[str, str]:
    """Every file of ``directory`` and a hash of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.iterdir())
        if p.is_file()
    }


def venue(tmp_path: Path) -> Venue:
    markets = tmp_path / "markets.toml"
    markets.write_text(markets_toml(), encoding="utf-8")
    return Venue(VenueSettings(base_port=0, registry=registry(), markets_file=markets))


def make_state(tmp_path: Path) -> Path:
    """A real state directory, written and closed by a venue."""
    state_dir = tmp_path / "state"
    opened = StateDir.open(venue(tmp_path), state_dir)
    opened.attach()
    asyncio.run(opened.stop())
    return state_dir


def refused(tmp_path: Path, state_dir: Path) -> str:
    before = fingerprint(state_dir)
    with pytest.raises(StateDirError) as caught:
        StateDir.open(venue(tmp_path), state_dir)
    assert fingerprint(state_dir) == before
    return str(caught.value)


def test_garbage_is_not_a_sqlite_file(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    (state_dir / FILE_NAME).write_bytes(b"this is not a database\n" * 10)
    message = refused(tmp_path, state_dir)
    assert FILE_NAME in message and "not a SQLite database" in message


def test_another_programs_database_is_not_a_venue_state_file(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    with sqlite3.connect(state_dir / FILE_NAME) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
        db.execute("INSERT INTO notes VALUES ('mine')")
    db.close()
    assert "not a venue state file" in refused(tmp_path, state_dir)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    state_dir = make_state(tmp_path)
    with sqlite3.connect(state_dir / FILE_NAME) as db:
        db.execute("UPDATE schema_version SET version = 99 WHERE component = 'venue'")
    db.close()
    message = refused(tmp_path, state_dir)
    assert "schema version 99" in message and "newer" in message


def test_a_record_that_does_not_read_back_is_refused(tmp_path: Path) -> None:
    state_dir = make_state(tmp_path)
    with sqlite3.connect(state_dir / FILE_NAME) as db:
        db.execute("INSERT INTO venue_orders VALUES ('o-1', 'acct-alice', '{\"price\": 12}')")
    db.close()
    message = refused(tmp_path, state_dir)
    assert "does not read back" in message and "Order" in message


def test_a_good_file_opens_and_keeps_its_venue_id(tmp_path: Path) -> None:
    state_dir = make_state(tmp_path)
    first = venue(tmp_path)
    opened = StateDir.open(first, state_dir)
    assert opened.restored
    again = venue(tmp_path)
    asyncio.run(opened.stop())
    reopened = StateDir.open(again, state_dir)
    assert again.venue_id == first.venue_id
    asyncio.run(reopened.stop())


def test_the_command_line_refuses_a_corrupt_state_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state_dir = tmp_path / "state"
    state_dir.mkdir()
    (state_dir / FILE_NAME).write_bytes(b"garbage" * 100)
    before = fingerprint(state_dir)
    assert main(["--base-port", "0", "--state-dir", str(state_dir)]) == 2
    error = capsys.readouterr().err
    assert "workstation-sim:" in error and "not a SQLite database" in error
    assert fingerprint(state_dir) == before


def test_a_version_1_file_is_brought_to_the_current_version(tmp_path: Path) -> None:
    """Version 1 had no order echoes and no RFQs: it opens with none, gains their tables, and
    says the current version afterwards."""
    state_dir = make_state(tmp_path)
    path = state_dir / FILE_NAME
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE venue_order_echoes")
        db.execute("DROP TABLE venue_rfqs")
        db.execute("UPDATE schema_version SET version = 1 WHERE component = 'venue'")
    db.close()
    first = venue(tmp_path)
    opened = StateDir.open(first, state_dir)
    assert opened.restored
    opened.attach()
    asyncio.run(opened.stop())
    with sqlite3.connect(path) as db:
        (version,) = db.execute(
            "SELECT version FROM schema_version WHERE component = 'venue'"
        ).fetchone()
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    db.close()
    assert version == SCHEMA_VERSION == 3
    assert {"venue_order_echoes", "venue_rfqs"} <= tables
