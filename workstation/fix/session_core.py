"""The state and the outbound half of a FIX session: what :class:`~workstation.fix.session.Session`
is built on.

:class:`SessionCore` holds one session's configuration, store and per-connection state, and
does everything that ends in bytes for the outbox: numbering and storing each message before
it is queued (store before send), answering ResendRequest, SequenceReset, Reject and Logout,
and turning a :class:`~workstation.fix.errors.RemoteProtocolError` into the Reject or the
Logout it carries. The inbound pipeline, the Logon exchange, the timers and the public calls
are in :mod:`workstation.fix.session`.
"""

from __future__ import annotations

from collections.abc import Sequence

from workstation.fix.codec import FrameReader, encode_message
from workstation.fix.dialect import dialect_rules
from workstation.fix.errors import RemoteProtocolError, SessionRejectReason
from workstation.fix.events import (
    CloseReason,
    Event,
    GapDetected,
    LogonRejected,
    LogoutReceived,
    MessageSent,
    RejectReceived,
    RejectSent,
    ResendServed,
    SequenceResetReceived,
    SessionClosed,
)
from workstation.fix.gap import GapQueue
from workstation.fix.heartbeat import HeartbeatMonitor
from workstation.fix.message import FixMessage
from workstation.fix.resend import build_resend
from workstation.fix.session_config import Authenticator, Role, SessionConfig, Signer
from workstation.fix.session_validate import quote
from workstation.fix.state import SessionInput, SessionState, next_state
from workstation.fix.store import MemoryStore, MessageStore
from workstation.fix.values import format_utc_timestamp

__all__ = ["SessionCore"]


class SessionCore:
    """Configuration, store and connection state of one session, and its outbound half."""

    def __init__(
        self,
        config: SessionConfig,
        *,
        store: MessageStore | None = None,
        signer: Signer | None = None,
        authenticator: Authenticator | None = None,
    ) -> None:
        initiator = config.role is Role.INITIATOR
        if initiator and not config.sender_comp_id:
            raise ValueError("an initiator needs its SenderCompID (the API key)")
        if config.heartbeat_interval < 0:
            raise ValueError("heartbeat_interval must not be negative")
        self.config = config
        self.store: MessageStore = store if store is not None else MemoryStore()
        self.state = SessionState.DISCONNECTED
        self._signer = signer
        self._authenticator = authenticator
        self._rules = dialect_rules(config.dialect)
        self._retransmits = self._rules.session(config.session_type).retransmits
        self._reset_required = self._rules.session(config.session_type).reset_required
        #: The largest SendingTime error accepted: the acceptor's rule; the initiator never
        #: refuses the exchange's clock (it only checks the field is there and well formed).
        self._sending_time_tolerance = None if initiator else self._rules.sending_time_tolerance_s
        self._sender = config.sender_comp_id
        self._target = config.target_comp_id or (config.session_type.value if initiator else "")
        self._senders: frozenset[str] = frozenset()
        self._senders_for: str | None = None  #: the peer name ``_senders`` was made for
        self._events: list[Event] = []
        self._now = 0.0
        self._new_connection(0.0)

    # ------------------------------------------------------------------ state

    @property
    def wants_close(self) -> bool:
        """The owner should flush :meth:`data_to_send` and close the transport."""
        return self.state is SessionState.CLOSING

    @property
    def next_sender_seq(self) -> int:
        return self.store.next_sender_seq()

    @property
    def next_target_seq(self) -> int:
        return self.store.next_target_seq()

    @property
    def heartbeat_interval(self) -> int:
        """The interval in force on this connection (the acceptor's comes from the Logon)."""
        return self._heartbeats.interval

    @property
    def sender_comp_id(self) -> str:
        """Our SenderCompID on this connection (the acceptor answers as the name it was called)."""
        return self._sender

    @property
    def peer_comp_id(self) -> str:
        """The peer's SenderCompID: the session name (initiator) or the client's key (acceptor)."""
        return self._target

    def data_to_send(self) -> bytes:
        """Everything queued for the transport since the last call."""
        data = b"".join(self._outbox)
        self._outbox.clear()
        return data

    def take_events(self) -> list[Event]:
        """Events produced since the last call (``send_message`` and friends keep theirs here)."""
        events, self._events = self._events, []
        return events

    def _new_connection(self, now: float) -> None:
        self._reader = FrameReader()
        self._outbox: list[bytes] = []
        self._heartbeats = HeartbeatMonitor(self.config.heartbeat_interval, now)
        self._gap = GapQueue()
        self._logon_deadline = now + self.config.logon_timeout
        self._logout_deadline = now
        self._reset_sent = False

    def _move(self, event: SessionInput) -> None:
        self.state = next_state(self.state, event)

    # ------------------------------------------------------------------ outbound

    def _send(
        self,
        msg_type: str,
        body: Sequence[tuple[int, str]],
        now: float,
        *,
        sending_time: str | None = None,
    ) -> int:
        """Number, store, then queue one message (store before send)."""
        seq = self.store.next_sender_seq()
        header = [
            (49, self._sender),
            (56, self._target),
            (34, str(seq)),
            (52, sending_time or format_utc_timestamp(now)),
        ]
        raw = encode_message(msg_type, header, body)
        self.store.save_outbound(seq, now, raw)
        self._queue_out(msg_type, seq, raw, now)
        return seq

    def _queue_out(self, msg_type: str, seq: int, raw: bytes, now: float) -> None:
        self._outbox.append(raw)
        self._heartbeats.sent(now)
        if self.config.emit_wire_events:
            self._events.append(MessageSent(msg_type=msg_type, seq=seq, raw=raw))

    def _send_reject(
        self,
        *,
        ref_seq: int,
        ref_msg_type: str,
        reason: int,
        ref_tag: int | None,
        text: str,
        now: float,
    ) -> None:
        body: list[tuple[int, str]] = [(45, str(ref_seq))]
        if ref_msg_type:
            body.append((372, ref_msg_type))
        if ref_tag is not None:
            body.append((371, str(ref_tag)))
        body.append((373, str(int(reason))))
        if text:
            body.append((58, text))
        self._send("3", body, now)
        self._events.append(
            RejectSent(ref_seq=ref_seq, reason=int(reason), ref_tag=ref_tag, text=text)
        )

    # ------------------------------------------------------------------ session messages

    def _serve_resend(self, msg: FixMessage, now: float) -> None:
        """SPEC §7.3: replay application messages, gap-fill the rest, within retention."""
        begin = int(msg.require(7))
        end = int(msg.require(16))
        if not self._retransmits:
            raise RemoteProtocolError.reject(
                SessionRejectReason.OTHER,
                f"{self.config.session_type.value} does not retransmit: ResendRequest is not "
                "supported; log on with 141=Y",
                35,
            )
        batch = build_resend(
            self.store,
            begin,
            end,
            sender=self._sender,
            target=self._target,
            now=now,
            replay_filter=self.config.replay_filter,
        )
        for msg_type, seq, raw in batch.frames:
            self._queue_out(msg_type, seq, raw, now)
        self._events.append(
            ResendServed(
                begin=batch.begin,
                end=batch.end,
                replayed=batch.replayed,
                gap_filled=batch.gap_filled,
            )
        )

    def _on_reject(self, msg: FixMessage, now: float) -> None:
        ref_seq = _lenient_int(msg.get(45))
        self._events.append(
            RejectReceived(
                ref_seq=ref_seq,
                reason=_lenient_int(msg.get(373)),
                ref_tag=_lenient_int(msg.get(371)),
                ref_msg_type=msg.get(372),
                text=msg.get_text(58) or "",
            )
        )
        lowest = self._gap.lowest
        if ref_seq is not None and ref_seq == self._gap.resend_request_seq and lowest is not None:
            # The peer cannot fill the gap (e.g. outside its retention): give up on it.
            expected = self.store.next_target_seq()
            self._events.append(GapDetected(expected=expected, received=lowest, recoverable=False))
            self.store.set_next_target_seq(lowest)

    def _on_sequence_reset(self, msg: FixMessage, seq: int) -> None:
        """SPEC §7.4: GapFill moves the expected number forward in sequence; Reset mode
        moves it regardless of MsgSeqNum; neither may move it back (Reject 373=5)."""
        new_seq = int(msg.require(36))
        gap_fill = msg.get(123) == "Y"
        if gap_fill and new_seq <= seq:
            raise RemoteProtocolError.reject(
                SessionRejectReason.VALUE_INCORRECT,
                f"NewSeqNo (36) {new_seq} must be higher than MsgSeqNum {seq}",
                36,
            )
        expected = self.store.next_target_seq()
        if not gap_fill and new_seq < expected:
            raise RemoteProtocolError.reject(
                SessionRejectReason.VALUE_INCORRECT,
                f"NewSeqNo (36) {new_seq} is lower than expected {expected}",
                36,
            )
        self.store.set_next_target_seq(new_seq)
        self._events.append(SequenceResetReceived(new_seq=new_seq, gap_fill=gap_fill))

    def _on_logout(self, msg: FixMessage, now: float) -> None:
        text = msg.get_text(58) or ""
        self._events.append(LogoutReceived(text=text))
        if self.state is SessionState.ACTIVE:
            self._send("5", [], now)  # the answer
        self._finish(CloseReason.LOGOUT, text or "Logged out")

    def _prune(self, requested_hours: int | None, now: float) -> None:
        hours = requested_hours or self.config.retention_hours
        if hours is None:
            hours = self._rules.retention_default_hours
        self.store.prune(now - hours * 3600.0)

    # ------------------------------------------------------------------ ending

    def _answer(self, msg: FixMessage, exc: RemoteProtocolError, now: float) -> None:
        """Send what a RemoteProtocolError carries: a Reject, a Logout, or both."""
        if exc.reject_reason is not None and self.state in (
            SessionState.ACTIVE,
            SessionState.LOGOUT_SENT,
        ):
            self._send_reject(
                ref_seq=msg.seq_num or 0,
                ref_msg_type=msg.msg_type,
                reason=exc.reject_reason,
                ref_tag=exc.ref_tag,
                text=exc.text,
                now=now,
            )
        if exc.logout:
            self._fatal(exc.text, now)

    def _fatal(self, text: str, now: float) -> None:
        """Logout saying ``text``, then close. On the acceptor before Logon: a refused Logon."""
        if self.state in (SessionState.CLOSING, SessionState.DISCONNECTED):
            return
        reason = CloseReason.PROTOCOL_ERROR
        if self.state is SessionState.AWAITING_LOGON:
            reason = CloseReason.LOGON_REJECTED
            self._events.append(LogonRejected(text=text))
        try:
            self._send("5", [(58, text)], now)
        finally:
            self._finish(reason, text)

    def _crash(self, msg: FixMessage | None, exc: Exception, now: float) -> None:
        where = "" if msg is None else f" processing MsgSeqNum {quote(msg.get(34))}"
        text = f"Internal error{where}: {type(exc).__name__}"
        try:
            self._fatal(text, now)
        except Exception:  # the store itself failed: close without a Logout
            self._finish(CloseReason.PROTOCOL_ERROR, text)

    def _finish(self, reason: CloseReason, text: str) -> None:
        if self.state in (SessionState.CLOSING, SessionState.DISCONNECTED):
            return
        self._move(SessionInput.FINISHED)
        self._events.append(SessionClosed(reason=reason, text=text))


def _lenient_int(text: str | None) -> int | None:
    if text is None or not (text.isdigit() and text.isascii()):
        return None
    return int(text)
