"""The local venue's account and keys, and the profile that trades on it.

On first use :func:`provision_local` makes one account with an RSA key per session type
(2048-bit PKCS#8, private files owner-only) under ``<data dir>/local-venue/``, and remembers
the key ids there, so later starts reuse the same account and the venue's state directory
(orders, fills, ExecIDs) agrees with the workstation's journal. Whichever way the venue runs
(:mod:`.local_venue_process`, a child process, or :mod:`.local_venue`, on this loop), its ready
information turns the built-in local profile into one with ports and keys
(:func:`local_profile`). Nothing here imports the simulator.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from workstation.client.profiles import Profile, VenueKind, default_profiles
from workstation.fix.dialect import SessionType
from workstation.fix.keys import generate_key_pair

__all__ = [
    "LOCAL_ACCOUNT",
    "LOCAL_SESSIONS",
    "LocalIdentity",
    "LocalKey",
    "local_profile",
    "provision_local",
]

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


def local_profile(identity: LocalIdentity, ready: dict[str, Any], base: Profile | None) -> Profile:
    """The local profile with the running venue's ports (its ready information, the
    ``workstation-sim`` scripting contract) and the identity's keys filled in."""
    profile = base if base is not None else default_profiles()["local"]
    host = str(ready.get("host", "127.0.0.1"))
    profile = replace(profile, kind=VenueKind.LOCAL, host=host, tls=False)
    rest = ready.get("rest")
    if isinstance(rest, int):
        profile = replace(profile, rest_url=f"http://{host}:{rest}/trade-api/v2")
    ports: dict[str, int] = ready.get("sessions", {})
    for st, key in identity.keys.items():
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

