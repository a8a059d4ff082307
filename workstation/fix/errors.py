"""Errors of the FIX session layer, each carrying the answer.

Two kinds, as in h11:

* :class:`LocalProtocolError` — *our* caller did something the session cannot do in its
  current state (send an order before Logon, start a second connection on a connected
  session). It names the call and the state, and is raised to the caller.
* :class:`RemoteProtocolError` — the *peer* sent something the FIX session rules do not
  allow. It is never raised out of the session: it carries what to send back, either a
  Reject (SessionRejectReason 373 and RefTagID 371) or the Text of a Logout that ends the
  session, and the session turns it into those messages.
"""

from __future__ import annotations

from enum import Enum, IntEnum

__all__ = [
    "FixError",
    "LocalProtocolError",
    "RemoteProtocolError",
    "SessionNotActive",
    "SessionRejectReason",
]


class SessionRejectReason(IntEnum):
    """SessionRejectReason (373) values (SPEC §7.6)."""

    INVALID_TAG_NUMBER = 0
    REQUIRED_TAG_MISSING = 1
    TAG_NOT_DEFINED_FOR_MESSAGE = 2
    UNDEFINED_TAG = 3
    TAG_WITHOUT_VALUE = 4
    VALUE_INCORRECT = 5
    INCORRECT_DATA_FORMAT = 6
    DECRYPTION_PROBLEM = 7
    SIGNATURE_PROBLEM = 8
    COMPID_PROBLEM = 9
    SENDING_TIME_ACCURACY = 10
    INVALID_MSG_TYPE = 11
    TAG_APPEARS_MORE_THAN_ONCE = 13
    OTHER = 99


class FixError(Exception):
    """Base of every error the FIX session layer defines."""


class LocalProtocolError(FixError):
    """An illegal call on a session: names the call and the state it was made in."""

    def __init__(self, call: str, state: Enum, detail: str = "") -> None:
        self.call = call
        self.state = state
        self.detail = detail
        text = f"{call} is not allowed in state {state.name}"
        super().__init__(f"{text}: {detail}" if detail else text)


class SessionNotActive(LocalProtocolError):
    """An application message was offered while the session is not logged on."""


class RemoteProtocolError(FixError):
    """The peer broke a session rule; carries the Reject or the Logout to answer with.

    ``reject_reason`` set: answer with a Reject (35=3) carrying 373=``reject_reason``,
    371=``ref_tag`` and 58=``text``; the message still consumes its sequence number.
    ``logout`` true: end the session with a Logout whose Text is ``text`` (after the Reject,
    when there is one, as for a CompID problem).
    """

    def __init__(
        self,
        text: str,
        *,
        reject_reason: int | None = None,
        ref_tag: int | None = None,
        logout: bool = False,
    ) -> None:
        if reject_reason is None and not logout:
            raise ValueError("a RemoteProtocolError needs a reject reason, a logout, or both")
        super().__init__(text)
        self.text = text
        self.reject_reason = reject_reason
        self.ref_tag = ref_tag
        self.logout = logout

    @classmethod
    def reject(
        cls, reason: int, text: str, ref_tag: int | None = None, *, logout: bool = False
    ) -> RemoteProtocolError:
        """Answer with a Reject (and, with ``logout``, then end the session)."""
        return cls(text, reject_reason=reason, ref_tag=ref_tag, logout=logout)

    @classmethod
    def fatal(cls, text: str) -> RemoteProtocolError:
        """Answer with a Logout saying ``text`` and close."""
        return cls(text, logout=True)
