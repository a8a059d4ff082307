"""One logged-on client connection as the venue sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from workstation.fix.dialect import SessionType
from workstation.fix.logon_options import LogonOptions
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.session import Session
from workstation.simulator.registry import KeyScope

__all__ = ["ClientSession"]


@dataclass(eq=False, kw_only=True)
class ClientSession:
    """A logged-on session: who it is, what it asked for at Logon, and its FIX session."""

    session: Session = field(repr=False)
    session_type: SessionType
    key_id: str
    account: str
    scope: KeyScope
    options: LogonOptions

    @cached_property
    def tag(self) -> str:
        """Identifies this connection's orders (mass cancel, cancel on disconnect); made once,
        since every order of the connection keeps it."""
        return f"{self.session_type.value}:{self.key_id}"

    @property
    def price_format(self) -> PriceFormat:
        return PriceFormat.DOLLARS if self.options.use_dollars else PriceFormat.CENTS

    @property
    def is_listener(self) -> bool:
        return self.options.listener_session
