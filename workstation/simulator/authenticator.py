"""The venue's Logon judge (SPEC §5, §19.2): key, signature, one connection per key, scope and
Logon options. The session engine has already checked framing, BeginString, TargetCompID,
1137/98/108, ResetSeqNumFlag and SendingTime before it asks."""

from __future__ import annotations

from collections.abc import Callable

from workstation.fix.auth import logon_signature_valid
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.session_config import LogonDecision
from workstation.fix.store import MessageStore
from workstation.fix.values import FieldFormatError
from workstation.simulator.registry import KeyRegistry, KeyScope

__all__ = ["VenueAuthenticator"]


class VenueAuthenticator:
    """Judges the Logons of one listener's connections.

    ``live_keys`` is shared by every listener of the venue: a key already in it is refused with
    ``already exists`` (one connection per key, SPEC §2.3). ``store_for(key_id)`` gives the
    accepted session's message store.
    """

    def __init__(
        self,
        *,
        session_type: SessionType,
        dialect: Dialect,
        registry: KeyRegistry,
        live_keys: dict[str, object],
        store_for: Callable[[str], MessageStore],
    ) -> None:
        self.session_type = session_type
        self.dialect = dialect
        self.registry = registry
        self.live_keys = live_keys
        self.store_for = store_for
        self.owner: object = None  #: the session this judge belongs to; set by the venue

    def authenticate(self, logon: FixMessage, now: float) -> LogonDecision:
        key_id = logon.get(49) or ""
        key = self.registry.key(key_id)
        if key is None:
            return LogonDecision(
                accepted=False,
                text=f"Unknown API key {key_id!r}: register its public key with the venue",
            )
        if not logon_signature_valid(key.public_key, logon):
            return LogonDecision(
                accepted=False,
                text="Invalid signature: RawData (96) must be the RSA-PSS SHA-256 signature of "
                "SendingTime, MsgType, MsgSeqNum, SenderCompID and TargetCompID of this Logon",
            )
        if key_id in self.live_keys:
            return LogonDecision(accepted=False, text="already exists")
        try:
            options = LogonOptions.from_logon(logon, self.dialect)
        except FieldFormatError as exc:
            return LogonDecision(accepted=False, text=f"Invalid Logon field: {exc}")
        problems = options.validate(self.session_type, self.dialect)
        if key.scope is KeyScope.READ and not options.listener_session:
            problems.append(
                "this API key has read scope: it may only log on as a listener session "
                "(ListenerSession 20126=Y on KalshiNR or KalshiRT)"
            )
        if problems:
            return LogonDecision(accepted=False, text="; ".join(problems))
        self.live_keys[key_id] = self.owner
        return LogonDecision(accepted=True, store=self.store_for(key_id))
