"""The local venue: the simulator the workstation starts for itself on a fresh machine.

On first use it provisions one account with an RSA key per session type (2048-bit PKCS#8,
private files owner-only) under ``<data dir>/local-venue/``, and remembers the key ids there,
so later starts reuse the same account and the venue's state directory (orders, fills, ExecIDs)
agrees with the workstation's journal. The venue runs in this process on the running asyncio
loop (qasync's in the GUI), on free loopback ports, with simulated flow on.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from workstation.client.profiles import Profile, VenueKind, default_profiles
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.keys import generate_key_pair, load_private_key, load_public_key
from workstation.simulator.assembly import build_venue
from workstation.simulator.registry import AccountSpec, KeyRegistry, RegisteredKey
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

__all__ = ["LOCAL_ACCOUNT", "LocalIdentity", "LocalVenue", "provision_local"]

LOCAL_ACCOUNT = "local-trader"
#: The sessions the local profile logs on: orders on KalshiRT, drop copy, post trade, RFQ.
LOCAL_SESSIONS = (SessionType.RT, SessionType.DC, SessionType.PT, SessionType.RFQ)


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalKey:
    session_type: SessionType
    key_id: str
    private_key: Path
    public_key: Path


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalIdentity:
    account: str
    keys: dict[SessionType, LocalKey]
    directory: Path

    @property
    def state_dir(self) -> Path:
        return self.directory / "state"


def provision_local(data_dir: Path) -> LocalIdentity:
    """The local account and its keys, created on first use and reused afterwards."""
    directory = data_dir / "local-venue"
    keys_dir = directory / "keys"
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    identity_file = directory / "identity.json"
    known: dict[str, Any] = {}
    if identity_file.exists():
        known = json.loads(identity_file.read_text(encoding="utf-8"))
    keys: dict[SessionType, LocalKey] = {}
    for st in LOCAL_SESSIONS:
        private = keys_dir / f"{st.value}.key.pem"
        public = keys_dir / f"{st.value}.pub.pem"
        key_id = known.get("keys", {}).get(st.value)
        if key_id is None or not private.exists() or not public.exists():
            for stale in (private, public):
                stale.unlink(missing_ok=True)
            generate_key_pair(private, public)
            key_id = str(uuid.uuid4())
        keys[st] = LocalKey(session_type=st, key_id=key_id, private_key=private, public_key=public)
    account = str(known.get("account", LOCAL_ACCOUNT))
    record = {"account": account, "keys": {st.value: k.key_id for st, k in keys.items()}}
    tmp = identity_file.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
    os.replace(tmp, identity_file)
    return LocalIdentity(account=account, keys=keys, directory=directory)


class LocalVenue:
    """The in-process simulator and the profile that trades on it."""

    def __init__(
        self,
        identity: LocalIdentity,
        *,
        flow: bool = True,
        seed: int = 7,
        dialect: Dialect = Dialect.CURRENT,
        persist: bool = True,
    ) -> None:
        self.identity = identity
        registry = KeyRegistry()
        registry.add_account(AccountSpec(account_id=identity.account))
        for key in identity.keys.values():
            registry.add_key(
                RegisteredKey(
                    key_id=key.key_id,
                    account=identity.account,
                    public_key=load_public_key(key.public_key),
                )
            )
        identity.state_dir.mkdir(parents=True, exist_ok=True)
        self.settings = VenueSettings(
            base_port=0,
            registry=registry,
            dialect=dialect,
            state_dir=identity.state_dir if persist else None,
            flow=flow,
            seed=seed,
        )
        self.venue: Venue = build_venue(self.settings)
        self.ready: dict[str, Any] = {}

    async def start(self) -> dict[str, Any]:
        self.ready = await self.venue.start()
        return self.ready

    async def stop(self) -> None:
        await self.venue.stop()

    @property
    def venue_id(self) -> str:
        return str(self.ready.get("venue_id", self.venue.venue_id))

    def profile(self, base: Profile | None = None) -> Profile:
        """The local profile with this venue's ports and keys filled in."""
        profile = base if base is not None else default_profiles()["local"]
        profile = replace(profile, kind=VenueKind.LOCAL, host="127.0.0.1", tls=False)
        ports: dict[str, int] = self.ready.get("sessions", {})
        rest = self.ready.get("rest")
        if isinstance(rest, int):
            host = self.ready.get("host", "127.0.0.1")
            profile = replace(profile, rest_url=f"http://{host}:{rest}/trade-api/v2")
        for st, key in self.identity.keys.items():
            settings = profile.session(st)
            profile = profile.with_session(
                replace(
                    settings,
                    enabled=settings.enabled or st in LOCAL_SESSIONS,
                    api_key_id=key.key_id,
                    private_key=key.private_key,
                    port=ports.get(st.value),
                )
            )
        return profile

    def check_keys(self) -> None:
        """Load every private key once, so a damaged file is reported at start-up."""
        for key in self.identity.keys.values():
            load_private_key(key.private_key)
