"""The local venue in this process, on the running asyncio loop (qasync's in the GUI).

The workstation itself runs its local venue as a child process
(:mod:`.local_venue_process`), so the venue's matching and simulated flow use another core
than the window. This in-process form is for tests that drive the venue's objects directly
(register a key on the running venue, fund an account, move its clock) and for tools.
Both take the same :class:`~workstation.client.local_identity.LocalIdentity` and give the
same ready information and profile.
"""

from __future__ import annotations

from typing import Any

from workstation.client.local_identity import LocalIdentity, local_profile
from workstation.client.profiles import Profile
from workstation.fix.dialect import Dialect
from workstation.fix.keys import load_public_key
from workstation.simulator.assembly import build_venue
from workstation.simulator.registry import AccountSpec, KeyRegistry, RegisteredKey
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

__all__ = ["LocalVenue"]


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
        return local_profile(self.identity, self.ready, base)
