"""The signed REST poll (balance, positions) uses the order session's key as it was loaded for
the Logon: an encrypted key the trader unlocked once also signs the polls, and the passphrase
is asked for only once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from workstation.client.config import WorkstationConfig
from workstation.client.desk import Desk
from workstation.client.local_identity import local_profile, provision_local
from workstation.client.local_venue import LocalVenue
from workstation.client.profiles import VenueKind
from workstation.fix.dialect import SessionType
from workstation.fix.keys import load_private_key

from .test_desk_local import wait_for

PASSPHRASE = "correct horse battery staple"


def encrypt_in_place(path: Path) -> None:
    key = load_private_key(path)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )


def test_an_unlocked_encrypted_order_key_signs_the_balance_poll(tmp_path: Path) -> None:
    asked: list[Path] = []

    async def ask(path: Path) -> str | None:
        asked.append(path)
        return PASSPHRASE

    async def scenario() -> None:
        identity = provision_local(tmp_path / "venue")
        venue = LocalVenue(identity, flow=False)
        ready = await venue.start()
        try:
            encrypt_in_place(identity.keys[SessionType.RT].private_key)
            profile = replace(local_profile(identity, ready, None), kind=VenueKind.CUSTOM)
            config = WorkstationConfig(profile="custom", profiles={"custom": profile})
            desk = Desk(config, data_dir=tmp_path / "desk")
            await desk.start(ask)
            try:
                await wait_for(desk.all_logged_on)
                snapshot = await desk.refresh_market()
                assert snapshot is not None and not snapshot.error, snapshot
                assert snapshot.balance is not None and snapshot.balance > 0
            finally:
                await desk.stop()
        finally:
            await venue.stop()

    asyncio.run(scenario())
    assert asked == [tmp_path / "venue" / "local-venue" / "keys" / "KalshiRT.key.pem"]
