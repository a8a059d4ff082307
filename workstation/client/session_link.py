"""One FIX session of the desk: its engine, its connection, its status and its wire log.

A :class:`SessionLink` builds the initiator :class:`~workstation.fix.session.Session` for one
session type of a profile (Logon options, signer, durable store), drives it with a
:class:`~workstation.net.initiator.Initiator` (reconnect with backoff, the ``already exists``
wait), and turns what happens into what the desk shows: application messages for the trading
state, :class:`WireRecord`s for the message log (RawData redacted) and a :class:`SessionInfo`
for the status panel.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from workstation.client.profiles import Profile, SessionSettings
from workstation.client.records import Direction, SessionInfo, SessionPhase, WireRecord
from workstation.fix.auth import LogonSigner
from workstation.fix.describe import redact
from workstation.fix.dialect import SessionType, dialect_rules
from workstation.fix.events import (
    ApplicationMessageReceived,
    ClockSkewObserved,
    Event,
    GapDetected,
    HeartbeatAnswered,
    LogonAccepted,
    LogonRejected,
    LogoutReceived,
    MessageReceived,
    MessageSent,
    RejectReceived,
    SessionClosed,
)
from workstation.fix.message import FixMessage
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.fix.store import MessageStore
from workstation.net.initiator import Initiator, InitiatorState
from workstation.net.tls import client_context

__all__ = ["LinkNotice", "SessionLink"]

#: Bytes of a burst handled per event-loop turn: about 40 ExecutionReports, so the window
#: waits at most some milliseconds for a step, at the price of a commit per 16 KiB.
READ_SIZE = 16 * 1024

_PHASES = {
    InitiatorState.STOPPED: SessionPhase.STOPPED,
    InitiatorState.CONNECTING: SessionPhase.CONNECTING,
    InitiatorState.LOGGING_ON: SessionPhase.LOGGING_ON,
    InitiatorState.ACTIVE: SessionPhase.ACTIVE,
    InitiatorState.WAITING_TO_RECONNECT: SessionPhase.WAITING_TO_RECONNECT,
}
#: Warn when our clock and the venue's SendingTime differ by more than this (DECISIONS.md).
SKEW_WARNING_S = 5.0

_record_numbers = itertools.count(1)


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkNotice:
    """Something about a session the trader should read (a refusal, a gap, clock skew)."""

    session: SessionType
    account: str
    text: str
    warning: bool = True
    #: messages were lost that this session cannot resend (an unrecoverable gap)
    gap: bool = False


class SessionLink:
    """See the module docstring."""

    def __init__(
        self,
        *,
        profile: Profile,
        settings: SessionSettings,
        account: str,
        signer: LogonSigner,
        store: MessageStore,
        clock: Callable[[], float],
        on_message: Callable[[SessionLink, FixMessage, bool], None],
        on_wire: Callable[[WireRecord], None],
        on_notice: Callable[[LinkNotice], None],
        on_status: Callable[[SessionLink], None],
    ) -> None:
        self.profile = profile
        self.settings = settings
        self.account = account
        self.session_type = settings.session_type
        self._clock = clock
        self._on_message = on_message
        self._on_wire = on_wire
        self._on_notice = on_notice
        self._on_status = on_status
        options = settings.logon_options()
        self.session = Session(
            SessionConfig(
                role=Role.INITIATOR,
                session_type=settings.session_type,
                sender_comp_id=settings.api_key_id,
                dialect=profile.dialect,
                heartbeat_interval=settings.heartbeat,
                logon_fields=options.to_fields(profile.dialect),
                emit_wire_events=True,
            ),
            store=store,
            signer=signer,
        )
        ssl = None
        if profile.tls:
            pin = str(settings.pin_file) if settings.pin_file is not None else None
            ssl = client_context(pin_file=pin)
        self.initiator: Initiator[Session] = Initiator(
            self.session,
            host=profile.host,
            port=settings.effective_port,
            ssl=ssl,
            server_hostname=profile.host if ssl is not None else None,
            on_events=self._events,
            on_state=self._state,
            clock=clock,
            read_size=READ_SIZE,
        )
        self.phase = SessionPhase.STOPPED
        self.last_message_at: float | None = None
        self.heartbeat_rtt: float | None = None
        self.last_error = ""
        self.logged_on_once = False
        #: the last Logon reset sequence numbers (141=Y): nothing missed will be resent
        self.logon_reset = False

    # ------------------------------------------------------------------ control

    @property
    def price_format(self) -> PriceFormat:
        return PriceFormat.DOLLARS if self.settings.use_dollars else PriceFormat.CENTS

    @property
    def active(self) -> bool:
        return self.initiator.state is InitiatorState.ACTIVE

    def start(self) -> None:
        self.initiator.start()

    async def stop(self) -> None:
        await self.initiator.stop()

    def send(self, msg_type: str, body: list[tuple[int, str]], *, write: bool = True) -> int:
        """Send an application message; raises SessionNotActive when not logged on. With
        ``write=False`` its bytes wait for :meth:`write_pending` (after the caller's commit)."""
        return self.initiator.send(msg_type, body, write=write)

    def write_pending(self) -> None:
        self.initiator.write_pending()

    def info(self) -> SessionInfo:
        return SessionInfo(
            session=self.session_type,
            phase=self.phase,
            host=self.profile.host,
            port=self.settings.effective_port,
            api_key_id=self.settings.api_key_id,
            next_out_seq=self.session.next_sender_seq,
            next_in_seq=self.session.next_target_seq,
            last_message_at=self.last_message_at,
            heartbeat_rtt=self.heartbeat_rtt,
            reconnect_at=self.initiator.next_attempt_at,
            last_error=self.last_error or self.initiator.last_error,
            cancel_on_disconnect=self.settings.cancel_on_disconnect and not self.settings.listener,
            listener=self.settings.listener,
            retransmits=dialect_rules(self.profile.dialect).session(self.session_type).retransmits,
            account=self.account,
        )

    # ------------------------------------------------------------------ engine events

    def _state(self, state: InitiatorState) -> None:
        self.phase = _PHASES.get(state, SessionPhase.STOPPED)
        if state is InitiatorState.ACTIVE:
            self.last_error = ""
        self._on_status(self)

    def _wire(self, direction: Direction, msg_type: str, seq: int | None, raw: bytes) -> None:
        now = self._clock()
        self.last_message_at = now
        self._on_wire(
            WireRecord(
                seq=next(_record_numbers),
                session=self.session_type,
                direction=direction,
                received_at=now,
                msg_type=msg_type,
                msg_seq_num=seq,
                raw=redact(raw),
            )
        )

    def _notice(self, text: str, *, warning: bool = True, gap: bool = False) -> None:
        self._on_notice(
            LinkNotice(
                session=self.session_type,
                account=self.account,
                text=text,
                warning=warning,
                gap=gap,
            )
        )

    def _events(self, events: list[Event]) -> None:
        status_changed = False
        for event in events:
            if isinstance(event, MessageSent):
                self._wire(Direction.OUT, event.msg_type, event.seq, event.raw)
            elif isinstance(event, MessageReceived):
                msg = event.message
                self._wire(Direction.IN, msg.msg_type, msg.seq_num, msg.raw)
            elif isinstance(event, ApplicationMessageReceived):
                self._on_message(self, event.message, event.poss_dup)
            elif isinstance(event, HeartbeatAnswered):
                self.heartbeat_rtt = event.round_trip
                status_changed = True
            elif isinstance(event, LogonAccepted):
                self.logged_on_once = True
                self.logon_reset = event.reset_seq_nums
                status_changed = True
            elif isinstance(event, LogonRejected):
                self.last_error = f"Logon refused: {event.text}"
                self._notice(f"{self.session_type.value} logon refused: {event.text}")
                status_changed = True
            elif isinstance(event, LogoutReceived) and event.text:
                self.last_error = event.text
                self._notice(f"{self.session_type.value} logged out by the venue: {event.text}")
                status_changed = True
            elif isinstance(event, SessionClosed):
                status_changed = True
            elif isinstance(event, GapDetected) and not event.recoverable:
                self._notice(
                    f"{self.session_type.value}: messages {event.expected}–{event.received - 1} "
                    "were missed and this session cannot resend them; drop copy will heal fills",
                    gap=True,
                )
            elif isinstance(event, RejectReceived):
                self._notice(f"{self.session_type.value} rejected a message: {event.text}")
            elif isinstance(event, ClockSkewObserved) and abs(event.skew_seconds) > SKEW_WARNING_S:
                self._notice(
                    f"This computer's clock differs from {self.session_type.value}'s by "
                    f"{event.skew_seconds:+.1f} s; Kalshi refuses messages more than 30 s off"
                )
        if status_changed:
            self._on_status(self)
