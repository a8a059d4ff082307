"""The Logon exchange (SPEC §5, §6, §19.2): what each side sends and how it judges the other's.

The initiator signs exactly the SendingTime text it sends (:func:`logon_prehash`). The
acceptor judges a Logon in the order of SPEC §19.2 (:func:`judge_logon`) and answers with a
Logon echoing 98=0, 108, 1137=9 and 141=Y when the client reset (:func:`logon_body`). Every
refusal is a :class:`~workstation.fix.errors.RemoteProtocolError` carrying the Logout Text.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.fix.auth import logon_prehash
from workstation.fix.dialect import SERVER_SENDER_ALIASES, DialectRules, SessionType
from workstation.fix.errors import RemoteProtocolError
from workstation.fix.events import ClockSkewObserved, Event
from workstation.fix.message import FixMessage
from workstation.fix.session_config import Authenticator, LogonDecision
from workstation.fix.session_validate import LogonTerms, check_logon, quote
from workstation.fix.values import FieldFormatError, parse_utc_timestamp

__all__ = ["AcceptedLogon", "check_logon_reply", "judge_logon", "logon_body", "logon_prehash"]


def logon_body(
    heartbeat: int, reset: bool, extra: tuple[tuple[int, str], ...] = ()
) -> list[tuple[int, str]]:
    """98=0, 108, 141=Y when resetting, 1137=9, then ``extra`` (flags, or the signature)."""
    body: list[tuple[int, str]] = [(98, "0"), (108, str(heartbeat))]
    if reset:
        body.append((141, "Y"))
    body.append((1137, "9"))
    body.extend(extra)
    return body


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptedLogon:
    terms: LogonTerms
    decision: LogonDecision


def judge_logon(
    msg: FixMessage,
    now: float,
    *,
    session_type: SessionType,
    rules: DialectRules,
    reset_required: bool,
    authenticator: Authenticator | None,
    events: list[Event],
) -> AcceptedLogon:
    """The acceptor's verdict on the client's first message, SPEC §19.2 in order.

    Appends :class:`ClockSkewObserved` to ``events`` as soon as the SendingTime is read, so
    the owner sees the skew even when it is what refuses the Logon. Without an
    ``authenticator`` every well-formed Logon is accepted.
    """
    if msg.msg_type != "A":
        raise RemoteProtocolError.fatal(
            f"First message must be a Logon (35=A), received MsgType {quote(msg.msg_type)}"
        )
    terms = check_logon(msg, session_type=session_type, rules=rules, reset_required=reset_required)
    skew = terms.sending_time - now
    events.append(ClockSkewObserved(skew_seconds=skew))
    tolerance = rules.sending_time_tolerance_s
    if abs(skew) > tolerance:
        raise RemoteProtocolError.fatal(
            f"SendingTime (52) is {skew:+.1f} s from server time (tolerance {tolerance:g} s)"
        )
    decision = LogonDecision(accepted=True)
    if authenticator is not None:
        decision = authenticator.authenticate(msg, now)
    if not decision.accepted:
        raise RemoteProtocolError.fatal(decision.text or "Logon refused")
    return AcceptedLogon(terms=terms, decision=decision)


def check_logon_reply(msg: FixMessage, *, sender: str, target: str, now: float) -> float:
    """The initiator's checks of the acceptor's Logon reply; returns the clock skew.

    The reply may come from the session name we called or from an alias (SPEC §2.3, §20.8).
    """
    reply_sender, reply_target = msg.get(49), msg.get(56)
    if reply_sender != target and reply_sender not in SERVER_SENDER_ALIASES:
        raise RemoteProtocolError.fatal(
            f"Logon reply from SenderCompID {quote(reply_sender)}, expected {target}"
        )
    if reply_target != sender:
        raise RemoteProtocolError.fatal(
            f"Logon reply to TargetCompID {quote(reply_target)}, expected {sender}"
        )
    if msg.problems:
        raise RemoteProtocolError.fatal(f"Logon reply refused: {msg.problems[0][2]}")
    try:
        return parse_utc_timestamp(52, msg.require(52)) - now
    except (FieldFormatError, KeyError):
        raise RemoteProtocolError.fatal(
            f"SendingTime (52) {quote(msg.get(52))} is missing or not a UTC timestamp"
        ) from None
