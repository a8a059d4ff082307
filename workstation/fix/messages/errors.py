"""What a typed parser raises when a message is not acceptable, and the answer it carries.

Every parser in this package raises :class:`MessageError` and nothing else for a bad
message. The error knows how the receiving side must answer (SPEC §7.6, §7.7):

- ``RejectKind.SESSION``: a Reject (35=3) with SessionRejectReason (373) = ``reason`` and
  RefTagID (371) = ``tag``;
- ``RejectKind.BUSINESS``: a BusinessMessageReject (35=j) with BusinessRejectReason (380) =
  ``reason`` (and 371 when ``tag`` is known).

How we read the reasons (SPEC §7.6 lists the codes, §9.2 the field types; Kalshi gives no
per-field mapping, so this is our reading of standard FIX 5.0 SP2):

- a required tag absent → 373=1 *Required tag missing*;
- a value that is not text of the field's type (``abc`` for a price, ``1.5x`` for a
  quantity, ``Q`` for a boolean) → 373=6 *Incorrect data format*;
- a well-formed value outside what the field allows → 373=5 *Value is incorrect (out of
  range)*. That covers prices ``0``, ``100``, ``-1`` in cents (and ``0``, ``1``, ``-0.01`` in
  dollars), prices off the grid of the session's format (a fraction of a cent in cents mode,
  a fifth decimal in dollars mode), quantities ``0`` or below or finer than 0.01, and every
  value an enumerated tag does not define;
- a NumInGroup that does not match the entries → 373=16 *Incorrect NumInGroup count*;
- a field that is required only together with another (ExpireTime with TimeInForce GTD,
  LastPx on a trade, an OrderGroupID for Reset) absent → 380=5 *Conditionally required field
  missing*, and a combination the message does not allow → 380=0 *Other* with the text.

ClOrdID rules are not checked by the parsers: the exchange answers a bad ClOrdID with a
rejected ExecutionReport, not with a Reject, so the simulator calls :func:`clordid_problem`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from enum import IntEnum, StrEnum
from typing import ParamSpec, TypeVar

from workstation.fix.message import FieldMissing
from workstation.fix.values import FieldFormatError

__all__ = [
    "CLORDID_MAX_LENGTH",
    "MessageError",
    "RejectKind",
    "SessionRejectReason",
    "clordid_problem",
    "conditionally_missing",
    "not_allowed",
    "out_of_range",
    "translate_field_errors",
]


class RejectKind(StrEnum):
    """Which reject answers the error."""

    SESSION = "session"  #: Reject (35=3); ``reason`` is a SessionRejectReason (373)
    BUSINESS = "business"  #: BusinessMessageReject (35=j); ``reason`` is a 380 code


class SessionRejectReason(IntEnum):
    """SessionRejectReason (373), SPEC §7.6 and the rest of the standard set."""

    INVALID_TAG_NUMBER = 0
    REQUIRED_TAG_MISSING = 1
    TAG_NOT_DEFINED_FOR_MESSAGE_TYPE = 2
    UNDEFINED_TAG = 3
    TAG_SPECIFIED_WITHOUT_A_VALUE = 4
    VALUE_IS_INCORRECT = 5
    INCORRECT_DATA_FORMAT = 6
    DECRYPTION_PROBLEM = 7
    SIGNATURE_PROBLEM = 8
    COMPID_PROBLEM = 9
    SENDING_TIME_ACCURACY_PROBLEM = 10
    INVALID_MSG_TYPE = 11
    XML_VALIDATION_ERROR = 12
    TAG_APPEARS_MORE_THAN_ONCE = 13
    TAG_SPECIFIED_OUT_OF_REQUIRED_ORDER = 14
    REPEATING_GROUP_FIELDS_OUT_OF_ORDER = 15
    INCORRECT_NUMINGROUP_COUNT = 16
    NON_DATA_VALUE_INCLUDES_FIELD_DELIMITER = 17
    INVALID_APPL_VER_ID = 18
    OTHER = 99


class MessageError(ValueError):
    """A received message cannot be accepted; the attributes say how to answer it.

    ``reason`` is a SessionRejectReason (373) when ``kind`` is ``SESSION`` and a
    BusinessRejectReason (380) when it is ``BUSINESS``; ``tag`` goes in RefTagID (371);
    ``text`` goes in Text (58).
    """

    def __init__(
        self,
        reason: int,
        tag: int | None,
        text: str,
        kind: RejectKind = RejectKind.SESSION,
    ) -> None:
        super().__init__(text)
        self.reason = reason
        self.tag = tag
        self.text = text
        self.kind = kind

    def __repr__(self) -> str:
        return (
            f"MessageError(reason={self.reason}, tag={self.tag}, text={self.text!r}, "
            f"kind={self.kind.value})"
        )


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def out_of_range(tag: int, value: str, why: str = "") -> MessageError:
    """373=5: a well-formed value the field does not allow."""
    detail = f" ({why})" if why else ""
    return MessageError(
        SessionRejectReason.VALUE_IS_INCORRECT,
        tag,
        f"Value is incorrect (out of range) for this tag: {tag}={_shown(value)}{detail}",
    )


def conditionally_missing(tag: int, why: str) -> MessageError:
    """380=5: a tag required by another field's value is absent."""
    return MessageError(
        5, tag, f"Conditionally required field missing: {tag} ({why})", RejectKind.BUSINESS
    )


def not_allowed(tag: int, why: str) -> MessageError:
    """380=0: a combination of fields the message does not allow."""
    return MessageError(0, tag, why, RejectKind.BUSINESS)


P = ParamSpec("P")
T = TypeVar("T")


def translate_field_errors(func: Callable[P, T]) -> Callable[P, T]:
    """Turn the typed getters' FieldMissing / FieldFormatError into :class:`MessageError`."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return func(*args, **kwargs)
        except FieldMissing as exc:
            raise MessageError(
                SessionRejectReason.REQUIRED_TAG_MISSING,
                exc.tag,
                f"Required tag missing: {exc.tag}",
            ) from None
        except FieldFormatError as exc:
            if exc.expected.startswith("group count"):
                raise MessageError(
                    SessionRejectReason.INCORRECT_NUMINGROUP_COUNT,
                    exc.tag,
                    f"Incorrect NumInGroup count for repeating group: {exc.tag}",
                ) from None
            raise MessageError(
                SessionRejectReason.INCORRECT_DATA_FORMAT,
                exc.tag,
                f"Incorrect data format for value: {exc.tag}={_shown(exc.value)}"
                f" is not a valid {exc.expected}",
            ) from None

    return wrapper


CLORDID_MAX_LENGTH = 64
# SPEC §9.1: the regex Kalshi gives, ``^[\-\w:+=/]*$``, read with ASCII \w (letters, digits, _).
_CLORDID_CHARS = re.compile(r"[\-\w:+=/]*", re.ASCII)


def clordid_problem(text: str) -> str | None:
    """Why ``text`` is not an acceptable ClOrdID (SPEC §9.1), or ``None`` when it is.

    At most 64 characters from letters, digits and ``_ + = - : /``. The exchange answers a
    bad ClOrdID with a rejected ExecutionReport, so this returns the reason instead of raising.
    """
    if not text:
        return "ClOrdID is empty"
    if len(text) > CLORDID_MAX_LENGTH:
        return f"ClOrdID is {len(text)} characters long (at most {CLORDID_MAX_LENGTH})"
    if _CLORDID_CHARS.fullmatch(text) is None:
        return "ClOrdID may only contain letters, digits and _ + = - : /"
    return None
