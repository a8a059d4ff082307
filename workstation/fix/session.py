"""The FIX session state machine (FIXT.1.1), sans-IO, one implementation for both roles.

Theory of operation
-------------------
A :class:`Session` is fed bytes (``receive_data``) and the time (``handle_timer``), and
answers with events and with bytes to send (``data_to_send``); it never touches a socket or
reads the clock. The owner (the asyncio adapter, or :class:`~workstation.fix.testing.SessionPair`
in tests) drives it::

    events = session.connection_made(now)          # initiator: the Logon is now in the outbox
    transport.write(session.data_to_send())
    events = session.receive_data(chunk, now)      # per read
    events = session.handle_timer(now)             # when get_timer()'s deadline passes
    if session.wants_close: flush, then close the transport, then session.connection_lost(now)

The connection states and their one transition table are in :mod:`workstation.fix.state`.
Inbound, each verified frame goes through, in order: BeginString, MsgSeqNum (both fatal),
the Logon exchange (:meth:`_on_logon_as_acceptor`, SPEC §19.2; :meth:`_on_logon_reply`), the
CompIDs, the sequence number (SPEC §7.2: too low ends the session, too high starts a resend
on retransmitting sessions and queues the message, or jumps ahead on the others), then the
per-message checks of :mod:`workstation.fix.session_validate` (Reject 373 on failure; the
message still consumes its number) and the handler of its MsgType. Any
:class:`~workstation.fix.errors.RemoteProtocolError` becomes the Reject or Logout it carries;
any other exception becomes a Logout naming the failure, so nothing raises out of
``receive_data`` or ``handle_timer`` whatever the bytes.

Outbound, every message is written to the store (``save_outbound``) before its bytes enter the
outbox (store before send); replays and gap fills re-use stored numbers and are not stored
again. Inbound, the store's next target number advances for every message accepted in
sequence, inside ``store.transaction()``: the owner's, when it holds one open around the read
chunk (a store that says so with ``in_transaction``; the message joins it, and a failure
half-way dooms it), or else one per message.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from workstation.fix.codec import GarbledFrame, parse_frame
from workstation.fix.dialect import SERVER_SENDER_ALIASES
from workstation.fix.errors import (
    LocalProtocolError,
    RemoteProtocolError,
    SessionNotActive,
)
from workstation.fix.events import (
    ApplicationMessageReceived,
    ClockSkewObserved,
    CloseReason,
    Event,
    FrameDiscarded,
    GapDetected,
    HeartbeatAnswered,
    LogonAccepted,
    LogonRejected,
    MessageReceived,
    ResendRequestSent,
    SessionClosed,
    TestRequestSent,
)
from workstation.fix.gap import MAX_QUEUED
from workstation.fix.heartbeat import HeartbeatDue
from workstation.fix.message import FixMessage
from workstation.fix.session_config import (
    Authenticator,
    LogonDecision,
    Role,
    SessionConfig,
)
from workstation.fix.session_core import SessionCore
from workstation.fix.session_logon import (
    check_logon_reply,
    judge_logon,
    logon_body,
    logon_prehash,
)
from workstation.fix.session_validate import (
    ADMIN_MSG_TYPES,
    HEADER_TAGS,
    check_admin_fields,
    check_begin_string,
    check_comp_ids,
    check_message,
    quote,
    read_poss_dup,
    read_seq_num,
)
from workstation.fix.state import SessionInput, SessionState
from workstation.fix.store import MessageStore
from workstation.fix.values import format_utc_timestamp

__all__ = [
    "Authenticator",
    "LogonDecision",
    "Role",
    "Session",
    "SessionConfig",
    "SessionState",
    "logon_prehash",
]

#: Session messages handled on arrival even when their number is ahead of a gap (the number
#: is consumed later, when the gap fills): a Reject may refuse our ResendRequest; a
#: ResendRequest or TestRequest left waiting behind our own ResendRequest could deadlock or
#: time the peer out; a Heartbeat may answer our TestRequest. (A Logout ends it at once.)
_HANDLED_AHEAD = frozenset({"0", "1", "2", "3"})
#: Seconds before a gap still open is asked for again, on a session without heartbeats.
_RESEND_AGAIN_S = 30.0


def _abandon_transaction(store: MessageStore, exc: Exception) -> None:
    """Doom the store's open transaction because ``exc`` interrupted a message half-way.

    Leaving a nested transaction with an exception is how a store learns that (the whole
    transaction then rolls back instead of committing half a message, ``Database``), so the
    exception leaves one here, exactly as it would have left a transaction around the message.
    """
    with contextlib.suppress(Exception), store.transaction():
        raise exc


class Session(SessionCore):
    """One FIX session, initiator or acceptor; it outlives its connections."""

    # ------------------------------------------------------------------ public API

    def connection_made(self, now: float) -> list[Event]:
        """A new transport is up. The initiator's Logon goes into the outbox."""
        if self.state is not SessionState.DISCONNECTED:
            raise LocalProtocolError("connection_made()", self.state)
        self._now = now
        self._new_connection(now)
        if self.config.role is Role.ACCEPTOR:
            self._move(SessionInput.ACCEPTOR_CONNECTED)
        else:
            self._send_logon(now)
        return self.take_events()

    def receive_data(self, data: bytes, now: float) -> list[Event]:
        """Bytes from the transport; never raises whatever they hold."""
        if self.state is SessionState.DISCONNECTED:
            raise LocalProtocolError("receive_data()", self.state)
        self._now = now
        if self.state is SessionState.CLOSING:
            return self.take_events()
        self._reader.feed(data)
        while self.state not in (SessionState.CLOSING, SessionState.DISCONNECTED):
            try:
                item = self._reader.next_frame()
            except Exception as exc:  # the framer is ours; still, hostile bytes never escape
                self._crash(None, exc, now)
                break
            if item is None:
                break
            if isinstance(item, GarbledFrame):
                self._events.append(FrameDiscarded(reason=item.reason, size=len(item.data)))
                continue
            self._heartbeats.received(now)
            self._on_frame(item, now)
        return self.take_events()

    def send_message(self, msg_type: str, body: Sequence[tuple[int, str]], now: float) -> int:
        """Send an application message; returns its MsgSeqNum."""
        if self.state is not SessionState.ACTIVE:
            raise SessionNotActive("send_message()", self.state)
        if msg_type in ADMIN_MSG_TYPES or not msg_type:
            raise LocalProtocolError(
                "send_message()", self.state, f"MsgType {msg_type!r} is not an application type"
            )
        for tag, _ in body:
            if tag in HEADER_TAGS or tag in (95, 96):
                raise LocalProtocolError(
                    "send_message()", self.state, f"tag {tag} is not allowed in a body"
                )
        self._now = now
        return self._send(msg_type, body, now)

    def send_reject(
        self, ref: FixMessage, reason: int, text: str, now: float, ref_tag: int | None = None
    ) -> None:
        """A session Reject (35=3) about ``ref``, for the application layer's own checks."""
        if self.state not in (SessionState.ACTIVE, SessionState.LOGOUT_SENT):
            raise SessionNotActive("send_reject()", self.state)
        self._now = now
        self._send_reject(
            ref_seq=ref.seq_num or 0,
            ref_msg_type=ref.msg_type,
            reason=reason,
            ref_tag=ref_tag,
            text=text,
            now=now,
        )

    def logout(self, now: float, text: str = "") -> None:
        """Start a Logout; the session closes on the answer or after ``logout_timeout``.

        Before the Logon completes there is nothing to log out of: the session just closes.
        Calling it again while logging out or closing does nothing.
        """
        self._now = now
        state = self.state
        if state in (SessionState.LOGOUT_SENT, SessionState.CLOSING):
            return
        if state is SessionState.DISCONNECTED:
            raise LocalProtocolError("logout()", state)
        if state is not SessionState.ACTIVE:
            self._finish(CloseReason.LOGOUT, text or "Logged out before the Logon completed")
            return
        self._send("5", [(58, text)] if text else [], now)
        self._move(SessionInput.LOGOUT_STARTED)
        self._logout_deadline = now + self.config.logout_timeout

    def connection_lost(self, now: float) -> list[Event]:
        """The transport is gone (closed by us after ``wants_close``, or under us)."""
        self._now = now
        if self.state is SessionState.DISCONNECTED:
            return self.take_events()
        if self.state is not SessionState.CLOSING:
            self._events.append(
                SessionClosed(
                    reason=CloseReason.CONNECTION_LOST,
                    text=f"Connection lost in state {self.state.name}",
                )
            )
        self._move(SessionInput.CONNECTION_LOST)
        self._outbox.clear()
        self._gap.clear()
        return self.take_events()

    def get_timer(self) -> float | None:
        """The next deadline (epoch seconds) at which :meth:`handle_timer` has work, or None.

        When events from ``send_message``/``send_reject``/``logout`` are waiting, the deadline
        is the last time the session saw, so the owner collects them at once.
        """
        if self._events:
            return self._now
        state = self.state
        if state in (SessionState.LOGON_SENT, SessionState.AWAITING_LOGON):
            return self._logon_deadline
        if state is SessionState.LOGOUT_SENT:
            return self._logout_deadline
        if state is SessionState.ACTIVE:
            deadline = self._heartbeats.deadline()
            again = self._resend_again_at()
            if again is not None and (deadline is None or again < deadline):
                return again
            return deadline
        return None

    def handle_timer(self, now: float) -> list[Event]:
        """Heartbeats, TestRequests and timeouts due by ``now``; never raises."""
        self._now = now
        try:
            self._on_timer(now)
        except Exception as exc:  # e.g. the store failed while sending a Heartbeat
            self._crash(None, exc, now)
        return self.take_events()

    # ------------------------------------------------------------------ inbound

    def _on_frame(self, frame: bytes, now: float) -> None:
        msg = parse_frame(frame)
        if self.config.emit_wire_events:
            self._events.append(MessageReceived(message=msg))
        store = self.store
        if getattr(store, "in_transaction", False):
            # The owner's transaction (one per read chunk) is open: the message joins it.
            try:
                self._handle_or_answer(msg, now)
            except Exception as exc:  # a hostile message we did not foresee, or a failing store
                _abandon_transaction(store, exc)
                self._crash(msg, exc, now)
            return
        try:
            with store.transaction():
                self._handle_or_answer(msg, now)
        except Exception as exc:
            self._crash(msg, exc, now)

    def _handle_or_answer(self, msg: FixMessage, now: float) -> None:
        try:
            self._handle(msg, now)
        except RemoteProtocolError as exc:
            self._answer(msg, exc, now)

    def _handle(self, msg: FixMessage, now: float) -> None:
        state = self.state
        if state is SessionState.AWAITING_LOGON:
            # Answer a refused Logon from the name the client called and to the key it gave.
            self._sender = msg.get(56) or self.config.sender_comp_id
            self._target = msg.get(49) or "UNKNOWN"
        check_begin_string(msg)
        seq = read_seq_num(msg)
        if state is SessionState.AWAITING_LOGON:
            self._on_logon_as_acceptor(msg, seq, now)
            return
        if state is SessionState.LOGON_SENT:
            self._on_logon_reply(msg, seq, now)
            return
        check_comp_ids(msg, expect_sender=self._expected_senders(), expect_target=self._sender)
        self._sequenced(msg, seq, now)
        if len(self._gap) or self._gap.resend_request_seq is not None:
            self._drain(now)  # (with nothing queued and no resend in flight, nothing to do)

    def _expected_senders(self) -> frozenset[str]:
        """The SenderCompIDs the peer may use: its own, and on the initiator the server's
        aliases (made once per peer name, not per message)."""
        target = self._target
        if target != self._senders_for:
            senders = frozenset({target})
            if self.config.role is Role.INITIATOR:
                senders |= SERVER_SENDER_ALIASES
            self._senders, self._senders_for = senders, target
        return self._senders

    def _sequenced(self, msg: FixMessage, seq: int, now: float) -> None:
        """SPEC §7.2: the number decides whether the message is handled, queued or refused."""
        if msg.msg_type == "4" and msg.get(123, "N") == "N":
            self._process(msg, seq, now, sequenced=False)  # reset mode ignores MsgSeqNum
            return
        expected = self.store.next_target_seq()
        if seq < expected:
            if read_poss_dup(msg):
                return  # a replay of something we already have
            raise RemoteProtocolError.fatal(
                f"MsgSeqNum too low, expecting {expected} but received {seq}"
            )
        if seq == expected:
            self._process(msg, seq, now, sequenced=True)
            return
        if not self._retransmits:
            # Nothing can fill the gap on this session: the application heals through drop copy.
            self._events.append(GapDetected(expected=expected, received=seq, recoverable=False))
            self._process(msg, seq, now, sequenced=True)
            return
        if msg.msg_type == "5":
            self._on_logout(msg, now)  # nothing to recover on a session that is ending
            return
        ahead = msg.msg_type in _HANDLED_AHEAD
        if ahead:
            try:
                check_admin_fields(msg)
            except RemoteProtocolError:
                ahead = False  # answered with a Reject when its turn comes
        self._enqueue(msg, seq, ahead, expected, now)
        if ahead:
            try:
                self._dispatch(msg, seq, now)
            except RemoteProtocolError as exc:
                self._answer(msg, exc, now)

    def _enqueue(self, msg: FixMessage, seq: int, handled: bool, expected: int, now: float) -> None:
        if len(self._gap) >= MAX_QUEUED:
            raise RemoteProtocolError.fatal(
                f"Too many messages ahead of the gap at {expected}; log on again"
            )
        self._gap.add(seq, msg, handled)
        if self._gap.resend_request_seq is None:
            self._request_resend(expected, seq, now)

    def _request_resend(self, expected: int, received: int, now: float) -> None:
        self._events.append(GapDetected(expected=expected, received=received, recoverable=True))
        self._gap.resend_request_seq = self._send("2", [(7, str(expected)), (16, "0")], now)
        self._gap.resend_sent_at = now
        self._events.append(ResendRequestSent(begin=expected, end=0))

    def _resend_again_at(self) -> float | None:
        """When a gap still open after our ResendRequest is asked for again: a heartbeat
        interval later (30 s when heartbeats are off). The peer answers a ResendRequest at
        once, so a gap that outlives it lost part of the answer — a resent frame that arrived
        garbled and was discarded — and nothing else would ever ask for it again."""
        sent_at = self._gap.resend_sent_at
        if sent_at is None or not len(self._gap):
            return None
        return sent_at + (self._heartbeats.interval or _RESEND_AGAIN_S)

    def _drain(self, now: float) -> None:
        """Handle queued messages whose turn has come."""
        while self.state in (SessionState.ACTIVE, SessionState.LOGOUT_SENT):
            ready = self._gap.pop_ready(self.store.next_target_seq())
            if ready is None:
                return
            seq, msg, handled = ready
            if handled:
                self.store.set_next_target_seq(seq + 1)
            else:
                self._process(msg, seq, now, sequenced=True)

    def _process(self, msg: FixMessage, seq: int, now: float, *, sequenced: bool) -> None:
        """Check and handle one message whose number is acceptable; a Reject still counts."""
        if sequenced:
            self.store.set_next_target_seq(seq + 1)
        kind = msg.msg_type
        try:
            if kind not in ("3", "5"):  # never refuse a Reject or a Logout
                check_message(msg, now=now, tolerance=self._sending_time_tolerance)
                if kind in ADMIN_MSG_TYPES:
                    check_admin_fields(msg)
            self._dispatch(msg, seq, now)
        except RemoteProtocolError as exc:
            self._answer(msg, exc, now)

    def _dispatch(self, msg: FixMessage, seq: int, now: float) -> None:
        kind = msg.msg_type
        if kind not in ADMIN_MSG_TYPES:
            self._events.append(
                ApplicationMessageReceived(message=msg, poss_dup=read_poss_dup(msg))
            )
        elif kind == "0":
            test_id = msg.get(112)
            round_trip = self._heartbeats.answered(test_id, now)
            if test_id is not None and round_trip is not None:
                self._events.append(HeartbeatAnswered(test_req_id=test_id, round_trip=round_trip))
        elif kind == "1":
            self._send("0", [(112, msg.require(112))], now)
        elif kind == "2":
            self._serve_resend(msg, now)
        elif kind == "3":
            self._on_reject(msg, now)
        elif kind == "4":
            self._on_sequence_reset(msg, seq)
        elif kind == "5":
            self._on_logout(msg, now)
        else:  # "A"
            raise RemoteProtocolError.fatal("Logon received on a session that is already logged on")

    # ------------------------------------------------------------------ the Logon exchange

    def _send_logon(self, now: float) -> None:
        """Initiator: reset if asked, sign exactly the SendingTime text we send (SPEC §5.2)."""
        config = self.config
        reset = config.reset_on_logon
        if reset is None:
            reset = self._reset_required
        seq = 1 if reset else self.store.next_sender_seq()
        sending_time = format_utc_timestamp(now)
        body = logon_body(self._heartbeats.interval, reset, config.logon_fields)
        if self._signer is not None:
            signature = self._signer(logon_prehash(sending_time, seq, self._sender, self._target))
            body += [(95, str(len(signature.encode()))), (96, signature)]
        if reset:
            self.store.reset(now)
        self._reset_sent = reset
        self._move(SessionInput.INITIATOR_CONNECTED)
        self._send("A", body, now, sending_time=sending_time)

    def _on_logon_as_acceptor(self, msg: FixMessage, seq: int, now: float) -> None:
        """SPEC §19.2, in order; every refusal is a Logout saying what was wrong."""
        accepted = judge_logon(
            msg,
            now,
            session_type=self.config.session_type,
            rules=self._rules,
            reset_required=self._reset_required,
            authenticator=self._authenticator,
            events=self._events,
        )
        terms, decision = accepted.terms, accepted.decision
        if decision.store is not None:
            self.store = decision.store
        if terms.reset_seq_nums:
            self.store.reset(now)
        expected = self.store.next_target_seq()
        if seq < expected:
            raise RemoteProtocolError.fatal(
                f"MsgSeqNum too low, expecting {expected} but received {seq}"
            )
        self._heartbeats.interval = terms.heartbeat_interval
        self._prune(terms.retention_hours, now)
        body = logon_body(terms.heartbeat_interval, terms.reset_seq_nums, decision.reply_fields)
        self._send("A", body, now)
        self._logged_on(msg, seq, expected, terms.reset_seq_nums, now)

    def _on_logon_reply(self, msg: FixMessage, seq: int, now: float) -> None:
        """Initiator: the acceptor answered our Logon (or refused it with a Logout)."""
        kind = msg.msg_type
        if kind == "5":
            text = msg.get_text(58) or "Logon refused (Logout without a Text)"
            self._events.append(LogonRejected(text=text))
            self._finish(CloseReason.LOGON_REJECTED, text)
            return
        if kind == "3":  # e.g. 373=10 before the Logout that refuses us (SPEC §6.2)
            self._on_reject(msg, now)
            return
        if kind != "A":
            raise RemoteProtocolError.fatal(
                f"Expected a Logon reply, received MsgType {quote(kind)}"
            )
        skew = check_logon_reply(msg, sender=self._sender, target=self._target, now=now)
        self._events.append(ClockSkewObserved(skew_seconds=skew))
        reset = self._reset_sent
        if msg.get(141) == "Y" and not reset:
            self.store.set_next_target_seq(1)  # the acceptor started again; so do we, inbound
            reset = True
        expected = self.store.next_target_seq()
        if seq < expected:
            raise RemoteProtocolError.fatal(
                f"MsgSeqNum too low, expecting {expected} but received {seq}"
            )
        self._prune(None, now)
        self._logged_on(msg, seq, expected, reset, now)

    def _logged_on(self, msg: FixMessage, seq: int, expected: int, reset: bool, now: float) -> None:
        self._move(SessionInput.LOGON_COMPLETED)
        self._heartbeats.received(now)
        self._events.append(
            LogonAccepted(
                heartbeat_interval=self._heartbeats.interval, reset_seq_nums=reset, message=msg
            )
        )
        if seq == expected:
            self.store.set_next_target_seq(seq + 1)
        elif self._retransmits:
            self._enqueue(msg, seq, True, expected, now)  # the Logon itself is handled
        else:
            self._events.append(GapDetected(expected=expected, received=seq, recoverable=False))
            self.store.set_next_target_seq(seq + 1)

    # ------------------------------------------------------------------ timers

    def _on_timer(self, now: float) -> None:
        state = self.state
        if state in (SessionState.LOGON_SENT, SessionState.AWAITING_LOGON):
            if now >= self._logon_deadline:
                waited = self.config.logon_timeout
                what = "reply to our Logon" if state is SessionState.LOGON_SENT else "Logon"
                self._finish(CloseReason.LOGON_TIMEOUT, f"No {what} within {waited:g} s")
            return
        if state is SessionState.LOGOUT_SENT:
            if now >= self._logout_deadline:
                waited = self.config.logout_timeout
                self._finish(CloseReason.LOGOUT_TIMEOUT, f"No answer to our Logout in {waited:g} s")
            return
        if state is not SessionState.ACTIVE:
            return
        again = self._resend_again_at()
        if again is not None and now >= again:
            lowest = self._gap.lowest
            assert lowest is not None
            self._request_resend(self.store.next_target_seq(), lowest, now)
        for due in self._heartbeats.due(now):
            if due is HeartbeatDue.TIMED_OUT:
                test_id = self._heartbeats.test_req_id
                text = f"Heartbeat timeout: no answer to TestRequest {test_id}"
                self._send("5", [(58, text)], now)
                self._finish(CloseReason.HEARTBEAT_TIMEOUT, text)
            elif due is HeartbeatDue.TEST_REQUEST:
                test_id = self._heartbeats.new_test_request(now)
                self._send("1", [(112, test_id)], now)
                self._events.append(TestRequestSent(test_req_id=test_id))
            elif now >= self._heartbeats.last_sent + self._heartbeats.interval:
                self._send("0", [], now)
