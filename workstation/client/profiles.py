"""Connection profiles: which venue, which sessions, which keys, which Logon options.

A profile is one venue the workstation can trade on — the local simulator, Kalshi Demo,
Kalshi Production, or a custom host — with settings per session type (SPEC §2.2, §3): enabled,
API key id, private key file (an encrypted one asks for its passphrase, which is never stored),
certificate pin file and Logon options (cancel on disconnect, dollar prices, listener mode).
A *desk monitor* profile logs its order sessions on as listeners (SPEC §14.2), one per watched
account, and the workstation disables every trading control.

Hosts follow DECISIONS.md: production is ``mm.fix.elections.kalshi.com`` with the older
``fix.elections.kalshi.com`` kept as an alias; demo is ``fix.demo.kalshi.co``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.logon_options import LogonOptions

__all__ = [
    "DEMO_HOST",
    "ORDER_SESSION_TYPES",
    "PRODUCTION_ALIASES",
    "PRODUCTION_HOST",
    "Profile",
    "SessionSettings",
    "VenueKind",
    "WatchedAccount",
    "default_profiles",
]

DEMO_HOST = "fix.demo.kalshi.co"
PRODUCTION_HOST = "mm.fix.elections.kalshi.com"
PRODUCTION_ALIASES = ("fix.elections.kalshi.com",)
DEMO_REST = "https://demo-api.kalshi.co/trade-api/v2"
PRODUCTION_REST = "https://api.elections.kalshi.com/trade-api/v2"

#: The two session types an order session can be (SPEC §3).
ORDER_SESSION_TYPES = (SessionType.RT, SessionType.NR)


class VenueKind(StrEnum):
    LOCAL = "local"  #: the built-in simulator, started by the workstation
    DEMO = "demo"
    PRODUCTION = "production"
    CUSTOM = "custom"

    @property
    def banner(self) -> str:
        """What the window's banner says (custom hosts are neither demo nor production)."""
        return {"local": "LOCAL", "demo": "DEMO", "production": "PRODUCTION"}.get(
            self.value, "CUSTOM"
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionSettings:
    """One session type within a profile."""

    session_type: SessionType
    enabled: bool = False
    api_key_id: str = ""
    private_key: Path | None = None
    pin_file: Path | None = None
    port: int | None = None  #: None: Kalshi's port for the session type
    heartbeat: int = 30
    cancel_on_disconnect: bool = False
    use_dollars: bool = False
    listener: bool = False
    settlement_reports: bool | None = None  #: 20127; None: not sent

    def logon_options(self) -> LogonOptions:
        return LogonOptions(
            cancel_orders_on_disconnect=self.cancel_on_disconnect and not self.listener,
            listener_session=self.listener,
            skip_pending_exec_reports=self.listener,
            use_dollars=self.use_dollars,
            receive_settlement_reports=self.settlement_reports,
        )

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else self.session_type.default_port


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchedAccount:
    """A desk monitor's listener session on one account."""

    label: str
    api_key_id: str
    private_key: Path


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    name: str
    kind: VenueKind
    host: str = "127.0.0.1"
    dialect: Dialect = Dialect.CURRENT
    order_session: SessionType = SessionType.RT  #: KalshiRT or KalshiNR
    sessions: dict[SessionType, SessionSettings] = field(default_factory=dict)
    rest_url: str = ""
    listen_only: bool = False  #: desk monitor: listener sessions, no trading controls
    watch: tuple[WatchedAccount, ...] = ()
    tls: bool = True

    def session(self, session_type: SessionType) -> SessionSettings:
        found = self.sessions.get(session_type)
        return found if found is not None else SessionSettings(session_type=session_type)

    def enabled_sessions(self) -> list[SessionSettings]:
        """The sessions to log on, order session first."""
        wanted = [self.order_session, SessionType.DC, SessionType.PT, SessionType.RFQ]
        return [self.session(st) for st in wanted if self.session(st).enabled]

    def with_session(self, settings: SessionSettings) -> Profile:
        sessions = dict(self.sessions)
        sessions[settings.session_type] = settings
        return replace(self, sessions=sessions)


def _kalshi_sessions() -> dict[SessionType, SessionSettings]:
    return {st: SessionSettings(session_type=st) for st in SessionType}


def default_profiles() -> dict[str, Profile]:
    """Local (ready to use), Demo and Production (keys to fill in)."""
    local_sessions = {
        st: SessionSettings(session_type=st, enabled=st is not SessionType.NR)
        for st in SessionType
    }
    return {
        "local": Profile(
            name="local", kind=VenueKind.LOCAL, sessions=local_sessions, tls=False
        ),
        "demo": Profile(
            name="demo",
            kind=VenueKind.DEMO,
            host=DEMO_HOST,
            sessions=_kalshi_sessions(),
            rest_url=DEMO_REST,
        ),
        "production": Profile(
            name="production",
            kind=VenueKind.PRODUCTION,
            host=PRODUCTION_HOST,
            sessions=_kalshi_sessions(),
            rest_url=PRODUCTION_REST,
        ),
    }
