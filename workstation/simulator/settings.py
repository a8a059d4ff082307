"""How a venue is set up: addresses, dialect, markets, accounts, state, flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workstation.fix.dialect import Dialect, SessionType
from workstation.simulator.registry import KeyRegistry

__all__ = ["PORT_OFFSETS", "VenueSettings"]

#: Kalshi's layout (SPEC §2.2): base port 8228 and the sessions at fixed offsets from it.
PORT_OFFSETS: dict[SessionType, int] = {
    SessionType.NR: 0,
    SessionType.DC: 1,
    SessionType.RT: 2,
    SessionType.PT: 3,
    SessionType.RFQ: 4,
}


@dataclass(kw_only=True)
class VenueSettings:
    host: str = "127.0.0.1"
    base_port: int = 8228  #: 0: every listener on an OS-assigned port
    dialect: Dialect = Dialect.CURRENT
    registry: KeyRegistry = field(default_factory=KeyRegistry)
    markets_file: Path | None = None  #: None: the built-in market set
    state_dir: Path | None = None  #: None: nothing survives a restart
    flow: bool = False  #: simulated makers and takers
    seed: int = 0
    tls_cert: Path | None = None
    tls_key: Path | None = None
    ready_file: Path | None = None
    tick_interval: float = 0.1  #: seconds between timer sweeps (expiry, groups, RFQ, flow)

    def port_for(self, session_type: SessionType) -> int:
        return 0 if self.base_port == 0 else self.base_port + PORT_OFFSETS[session_type]
