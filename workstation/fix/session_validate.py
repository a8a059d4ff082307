"""Checks an inbound message must pass, each failing with the answer to send.

Every check raises :class:`~workstation.fix.errors.RemoteProtocolError`: either a Reject
(373 reason, 371 RefTagID, Text) for a message that is parseable but wrong — it still
consumes its sequence number — or the Text of a Logout for something that ends the session
(a wrong BeginString, a missing or garbage MsgSeqNum, a refused Logon). The session calls
them in the order FIX and SPEC §19.2 give; nothing here reads the clock or keeps state.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from workstation.fix.codec import BEGIN_STRING
from workstation.fix.dialect import DialectRules, SessionType
from workstation.fix.dictionary import GROUPS, MSG_TYPES
from workstation.fix.errors import RemoteProtocolError
from workstation.fix.errors import SessionRejectReason as R
from workstation.fix.message import FixMessage
from workstation.fix.values import FieldFormatError, parse_int, parse_utc_timestamp

__all__ = [
    "ADMIN_MSG_TYPES",
    "HEADER_TAGS",
    "MAX_HEARTBEAT_S",
    "MAX_SEQ_NUM",
    "LogonTerms",
    "check_admin_fields",
    "check_begin_string",
    "check_comp_ids",
    "check_logon",
    "check_message",
    "quote",
    "read_poss_dup",
    "read_seq_num",
]

#: Session-level message types; everything else is the application's.
ADMIN_MSG_TYPES = frozenset({"0", "1", "2", "3", "4", "5", "A"})
#: Standard header and trailer tags; never part of a body, never repeated.
HEADER_TAGS = frozenset(
    {8, 9, 35, 49, 56, 34, 52, 43, 97, 122, 115, 128, 50, 57, 142, 143, 1128, 369, 10}
)
#: The longest HeartBtInt we accept: an hour of silence is a dead connection, not a setting.
MAX_HEARTBEAT_S = 3600
#: The largest sequence number we accept (a signed 32-bit integer, as most engines store it).
MAX_SEQ_NUM = 2**31 - 1


def quote(text: str | None, limit: int = 40) -> str:
    """A peer's value made safe for a Text field we send: ASCII, quoted, bounded."""
    if text is None:
        return "absent"
    shown = text if len(text) <= limit else text[:limit] + "..."
    return ascii(shown)


def check_begin_string(msg: FixMessage) -> None:
    begin = msg.get(8)
    if begin != BEGIN_STRING:
        raise RemoteProtocolError.fatal(
            f"BeginString (8) must be {BEGIN_STRING}, received {quote(begin)}"
        )


def read_seq_num(msg: FixMessage) -> int:
    """MsgSeqNum (34); a missing or unreadable one ends the session (SPEC §7.2 rule 2)."""
    text = msg.get(34)
    if not text:
        raise RemoteProtocolError.fatal("MsgSeqNum (34) missing")
    if not (text.isdigit() and text.isascii()):
        raise RemoteProtocolError.fatal(f"MsgSeqNum (34) {quote(text)} is not a number")
    seq = int(text)
    if not 1 <= seq <= MAX_SEQ_NUM:
        raise RemoteProtocolError.fatal(f"MsgSeqNum (34) {quote(text)} is out of range")
    return seq


def read_poss_dup(msg: FixMessage) -> bool:
    """PossDupFlag (43) is Y (anything else, even garbage, is treated as not a replay)."""
    return msg.get(43) == "Y"


def check_comp_ids(msg: FixMessage, *, expect_sender: frozenset[str], expect_target: str) -> None:
    """SenderCompID / TargetCompID on an established session: Reject 373=9, then Logout."""
    sender, target = msg.get(49), msg.get(56)
    if sender is None or target is None:
        tag = 49 if sender is None else 56
        raise RemoteProtocolError.reject(
            R.REQUIRED_TAG_MISSING, f"Required tag missing: {tag}", tag, logout=True
        )
    if sender not in expect_sender:
        raise RemoteProtocolError.reject(
            R.COMPID_PROBLEM,
            f"CompID problem: SenderCompID (49) {quote(sender)} is not this session's peer",
            49,
            logout=True,
        )
    if target != expect_target:
        raise RemoteProtocolError.reject(
            R.COMPID_PROBLEM,
            f"CompID problem: TargetCompID (56) {quote(target)} does not match {expect_target}",
            56,
            logout=True,
        )


def check_message(msg: FixMessage, *, now: float, tolerance: float | None) -> None:
    """The checks every in-sequence message passes before it is handled (Reject on failure).

    ``tolerance``: the largest allowed difference between SendingTime and ``now``, or None
    to not check it (the workstation never refuses the exchange's clock; the field must
    still be there and be a UTC timestamp).
    """
    if msg.problems:
        tag, reason, text = msg.problems[0]
        raise RemoteProtocolError.reject(reason, text, tag or None)
    if msg.has_repeated_tags:
        _check_repeats(msg)
    get = msg.index.get
    msg_type = get(35, "")
    if msg_type not in MSG_TYPES and msg_type not in ADMIN_MSG_TYPES:
        raise RemoteProtocolError.reject(
            R.INVALID_MSG_TYPE, f"Invalid MsgType (35) {quote(msg_type)}", 35
        )
    sending_time = _utc(msg, 52, required=True)
    assert sending_time is not None
    if tolerance is not None and abs(sending_time - now) > tolerance:
        raise RemoteProtocolError.reject(
            R.SENDING_TIME_ACCURACY,
            f"SendingTime accuracy problem: {sending_time - now:+.1f} s from server time "
            f"(tolerance {tolerance:g} s)",
            52,
        )
    poss_dup = get(43)
    if poss_dup is None or poss_dup == "N":
        return
    if poss_dup != "Y":
        raise RemoteProtocolError.reject(
            R.INCORRECT_DATA_FORMAT, f"PossDupFlag (43) {quote(poss_dup)} is not Y or N", 43
        )
    if msg_type != "4":
        original = _utc(msg, 122, required=False)
        if original is None:
            raise RemoteProtocolError.reject(
                R.REQUIRED_TAG_MISSING, "OrigSendingTime (122) is required when PossDupFlag=Y", 122
            )
        if original > sending_time:
            raise RemoteProtocolError.reject(
                R.SENDING_TIME_ACCURACY, "OrigSendingTime (122) is later than SendingTime (52)", 122
            )


def check_admin_fields(msg: FixMessage) -> None:
    """Required fields and formats of the session messages we act on (Reject on failure)."""
    kind = msg.msg_type
    if kind == "1":
        _require(msg, 112)
    elif kind == "2":
        begin = _int(msg, 7)
        end = _int(msg, 16)
        if not 1 <= begin <= MAX_SEQ_NUM:
            raise RemoteProtocolError.reject(
                R.VALUE_INCORRECT, f"BeginSeqNo (7) {begin} is out of range", 7
            )
        if end != 0 and not begin <= end <= MAX_SEQ_NUM:
            raise RemoteProtocolError.reject(
                R.VALUE_INCORRECT, f"EndSeqNo (16) {end} is before BeginSeqNo {begin}", 16
            )
    elif kind == "4":
        new_seq = _int(msg, 36)
        if not 1 <= new_seq <= MAX_SEQ_NUM:
            raise RemoteProtocolError.reject(
                R.VALUE_INCORRECT, f"NewSeqNo (36) {new_seq} is out of range", 36
            )
        if 123 in msg and msg.get(123) not in ("Y", "N"):
            raise RemoteProtocolError.reject(
                R.INCORRECT_DATA_FORMAT, f"GapFillFlag (123) {quote(msg.get(123))} is not Y/N", 123
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class LogonTerms:
    """What an accepted Logon asked for."""

    heartbeat_interval: int
    reset_seq_nums: bool
    retention_hours: int | None  #: MessageRetentionPeriod (20200) when sent and valid
    sending_time: float


def check_logon(
    msg: FixMessage, *, session_type: SessionType, rules: DialectRules, reset_required: bool
) -> LogonTerms:
    """The acceptor's checks of a Logon, in SPEC §19.2 order after the BeginString and
    MsgSeqNum (the SendingTime tolerance is checked by the caller, which owns the clock).
    Any failure is the Text of the Logout that refuses it."""
    if msg.problems:
        raise RemoteProtocolError.fatal(f"Logon refused: {msg.problems[0][2]}")
    if msg.has_repeated_tags:
        try:
            _check_repeats(msg)
        except RemoteProtocolError as exc:
            raise RemoteProtocolError.fatal(f"Logon refused: {exc.text}") from None
    target = msg.get(56)
    if target != session_type.value:
        raise RemoteProtocolError.fatal(
            f"TargetCompID (56) {quote(target)} does not match this session ({session_type.value})"
        )
    if not msg.get(49):
        raise RemoteProtocolError.fatal("SenderCompID (49) missing: it must be your API key")
    if msg.get(1137) != "9":
        raise RemoteProtocolError.fatal(
            f"DefaultApplVerID (1137) must be 9 (FIX50SP2), received {quote(msg.get(1137))}"
        )
    if msg.get(98) != "0":
        raise RemoteProtocolError.fatal(
            f"EncryptMethod (98) must be 0, received {quote(msg.get(98))}"
        )
    hb_text = msg.get(108)
    if hb_text is None:
        if rules.heartbeat_required:
            raise RemoteProtocolError.fatal("HeartBtInt (108) is required")
        heartbeat = rules.default_heartbeat_s
    else:
        try:
            heartbeat = parse_int(108, hb_text)
        except FieldFormatError:
            raise RemoteProtocolError.fatal(
                f"HeartBtInt (108) {quote(hb_text)} is not a number"
            ) from None
        if not rules.min_heartbeat_s <= heartbeat <= MAX_HEARTBEAT_S:
            raise RemoteProtocolError.fatal(
                f"HeartBtInt (108) {heartbeat} is out of range "
                f"({rules.min_heartbeat_s} to {MAX_HEARTBEAT_S} seconds)"
            )
    reset_text = msg.get(141)
    if reset_text not in (None, "Y", "N"):
        raise RemoteProtocolError.fatal(f"ResetSeqNumFlag (141) {quote(reset_text)} is not Y/N")
    reset = reset_text == "Y"
    if reset_required and not reset:
        raise RemoteProtocolError.fatal(
            f"ResetSeqNumFlag (141=Y) is required on {session_type.value}: "
            "this session does not retransmit"
        )
    try:
        sending_time = parse_utc_timestamp(52, msg.require(52))
    except (FieldFormatError, KeyError):
        raise RemoteProtocolError.fatal(
            f"SendingTime (52) {quote(msg.get(52))} is missing or not a UTC timestamp"
        ) from None
    retention: int | None = None
    retention_text = msg.get(20200)
    if retention_text is not None:
        if not (retention_text.isdigit() and retention_text.isascii()):
            raise RemoteProtocolError.fatal(
                f"MessageRetentionPeriod (20200) {quote(retention_text)} is not a number of hours"
            )
        retention = int(retention_text)
        if not 1 <= retention <= rules.retention_max_hours:
            raise RemoteProtocolError.fatal(
                f"MessageRetentionPeriod (20200) {retention} is out of range "
                f"(1 to {rules.retention_max_hours} hours)"
            )
    return LogonTerms(
        heartbeat_interval=heartbeat,
        reset_seq_nums=reset,
        retention_hours=retention,
        sending_time=sending_time,
    )


def _check_repeats(msg: FixMessage) -> None:
    """Reject 373=13 for a tag repeated outside a repeating group the message declares."""
    present = {tag for tag, _ in msg.fields}
    group_members: set[int] = set()
    for count_tag, layout in GROUPS.items():
        if count_tag in present:
            group_members |= layout.members
    for tag, count in Counter(tag for tag, _ in msg.fields).items():
        if count > 1 and (tag in HEADER_TAGS or tag not in group_members):
            raise RemoteProtocolError.reject(
                R.TAG_APPEARS_MORE_THAN_ONCE, f"Tag appears more than once: {tag}", tag
            )


def _require(msg: FixMessage, tag: int) -> str:
    value = msg.get(tag)
    if value is None:
        raise RemoteProtocolError.reject(
            R.REQUIRED_TAG_MISSING, f"Required tag missing: {tag}", tag
        )
    return value


def _int(msg: FixMessage, tag: int) -> int:
    text = _require(msg, tag)
    try:
        return parse_int(tag, text)
    except FieldFormatError:
        raise RemoteProtocolError.reject(
            R.INCORRECT_DATA_FORMAT, f"Incorrect data format for tag {tag}: {quote(text)}", tag
        ) from None


def _utc(msg: FixMessage, tag: int, *, required: bool) -> float | None:
    text = msg.get(tag)
    if text is None:
        if required:
            raise RemoteProtocolError.reject(
                R.REQUIRED_TAG_MISSING, f"Required tag missing: {tag}", tag
            )
        return None
    try:
        return parse_utc_timestamp(tag, text)
    except FieldFormatError:
        raise RemoteProtocolError.reject(
            R.INCORRECT_DATA_FORMAT, f"Incorrect data format for tag {tag}: {quote(text)}", tag
        ) from None
