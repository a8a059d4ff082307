"""Messages that arrived ahead of a sequence gap, waiting for it to be filled (SPEC §7.2).

On a retransmitting session a message numbered above the expected one is kept here while a
ResendRequest fills the gap; when the expected number reaches it, it is handled in order.
Some session messages are handled on arrival (a ResendRequest, a Reject, the Logon): they
wait here only so that their number is consumed at their turn.
"""

from __future__ import annotations

import heapq

from workstation.fix.message import FixMessage

__all__ = ["MAX_QUEUED", "GapQueue"]

#: Messages ahead of a gap, at most; more ends the session.
MAX_QUEUED = 10_000


class GapQueue:
    """Queued messages by number, and the ResendRequest (our MsgSeqNum) filling the gap."""

    def __init__(self) -> None:
        self._messages: dict[int, tuple[FixMessage, bool]] = {}
        self._seqs: list[int] = []  # a heap of the keys of _messages
        self.resend_request_seq: int | None = None  #: our ResendRequest in flight, if any
        self.resend_sent_at: float | None = None  #: when it was sent

    def __len__(self) -> int:
        return len(self._messages)

    @property
    def lowest(self) -> int | None:
        return self._seqs[0] if self._seqs else None

    def add(self, seq: int, msg: FixMessage, handled: bool) -> None:
        """Keep ``msg`` (``handled``: already acted on; only its number is left to consume)."""
        if seq not in self._messages:
            heapq.heappush(self._seqs, seq)
        self._messages[seq] = (msg, handled)

    def pop_ready(self, expected: int) -> tuple[int, FixMessage, bool] | None:
        """The queued message numbered ``expected``, dropping any a gap fill passed over."""
        seqs = self._seqs
        while seqs and seqs[0] <= expected:
            seq = heapq.heappop(seqs)
            msg, handled = self._messages.pop(seq)
            if seq == expected:
                return seq, msg, handled
        if not seqs:
            self.resend_request_seq = None  # nothing left waiting: the gap is closed
            self.resend_sent_at = None
        return None

    def clear(self) -> None:
        self._messages.clear()
        self._seqs.clear()
        self.resend_request_seq = None
        self.resend_sent_at = None
