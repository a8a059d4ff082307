"""The states of a FIX session connection and the one table of transitions between them.

How the machine works (SPEC §6 Logon, §7.1 heartbeats, §7.5 Logout, §19.2 acceptor order;
FIXT.1.1 session protocol):

* A :class:`~workstation.fix.session.Session` outlives its connections. It rests in
  ``DISCONNECTED`` between them; ``connection_made`` starts a connection.
* The **initiator** sends its Logon as soon as the transport is up (``LOGON_SENT``) and is
  ``ACTIVE`` when the acceptor's Logon reply arrives; a Logout instead means the Logon was
  refused. The **acceptor** waits in ``AWAITING_LOGON``; the first message must be a Logon,
  which it validates (§19.2) and answers with its own Logon (``ACTIVE``) or a Logout.
* Either side may end an active session: the one that starts sends Logout and waits in
  ``LOGOUT_SENT`` for the answer (at most ``logout_timeout``); the other answers at once.
* Whenever the session has nothing more to say on this connection — a Logout exchange
  finished, a Logon was refused, a timer ran out, or the peer broke a rule and we sent a
  Logout saying why — it moves to ``CLOSING``: the owner flushes the outbox and closes the
  transport (``Session.wants_close``). Nothing is read in ``CLOSING``.
* ``connection_lost`` from any state returns to ``DISCONNECTED``.

Sequence-number recovery (ResendRequest, gap fill, the queue of messages that arrived early)
happens inside ``ACTIVE`` and ``LOGOUT_SENT``; it is not a state of its own, because
application messages keep flowing in both directions while a gap is being filled.
"""

from __future__ import annotations

from enum import Enum, auto

from workstation.fix.errors import LocalProtocolError

__all__ = ["TRANSITIONS", "SessionInput", "SessionState", "next_state"]


class SessionState(Enum):
    """Where one connection of a session stands."""

    DISCONNECTED = auto()  #: no transport
    AWAITING_LOGON = auto()  #: acceptor: connected, waiting for the client's Logon
    LOGON_SENT = auto()  #: initiator: our Logon is out, waiting for the reply
    ACTIVE = auto()  #: logged on; application messages flow
    LOGOUT_SENT = auto()  #: we started a Logout and wait for the answer
    CLOSING = auto()  #: done; the transport should be closed


class SessionInput(Enum):
    """What moves the machine."""

    INITIATOR_CONNECTED = auto()  #: transport up; our Logon went out
    ACCEPTOR_CONNECTED = auto()  #: transport up; waiting for a Logon
    LOGON_COMPLETED = auto()  #: the Logon exchange finished successfully
    LOGOUT_STARTED = auto()  #: we sent a Logout and wait for the answer
    FINISHED = auto()  #: nothing more to say: logout done, Logon refused, timeout, fatal error
    CONNECTION_LOST = auto()  #: the transport is gone


_S = SessionState
_I = SessionInput

#: (state, input) -> next state. A pair that is missing is an illegal move.
TRANSITIONS: dict[tuple[SessionState, SessionInput], SessionState] = {
    (_S.DISCONNECTED, _I.INITIATOR_CONNECTED): _S.LOGON_SENT,
    (_S.DISCONNECTED, _I.ACCEPTOR_CONNECTED): _S.AWAITING_LOGON,
    (_S.LOGON_SENT, _I.LOGON_COMPLETED): _S.ACTIVE,
    (_S.AWAITING_LOGON, _I.LOGON_COMPLETED): _S.ACTIVE,
    (_S.ACTIVE, _I.LOGOUT_STARTED): _S.LOGOUT_SENT,
    (_S.LOGON_SENT, _I.FINISHED): _S.CLOSING,
    (_S.AWAITING_LOGON, _I.FINISHED): _S.CLOSING,
    (_S.ACTIVE, _I.FINISHED): _S.CLOSING,
    (_S.LOGOUT_SENT, _I.FINISHED): _S.CLOSING,
    (_S.CLOSING, _I.FINISHED): _S.CLOSING,
    **{(state, _I.CONNECTION_LOST): _S.DISCONNECTED for state in SessionState},
}


def next_state(state: SessionState, event: SessionInput) -> SessionState:
    """The state after ``event`` in ``state``; :class:`LocalProtocolError` if not allowed."""
    try:
        return TRANSITIONS[(state, event)]
    except KeyError:
        raise LocalProtocolError(event.name.lower(), state) from None
