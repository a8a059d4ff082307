"""The venue's store for sessions that never retransmit: sequence numbers, no messages.

A session type that retransmits (KalshiRT and KalshiPT under the current rules) keeps what it
sent, to answer ResendRequest. The others reset at every Logon and refuse ResendRequest
(SPEC §3), so nothing ever reads a message they sent back from their store; keeping each one
in memory only costs the venue about 400 bytes per ExecutionReport, 40 MB for an account
with 100,000 resting orders. :class:`NumbersOnlyStore` keeps the numbers (and their rollback)
and lets the message go.
"""

from __future__ import annotations

from workstation.fix.dialect import DialectRules, SessionType
from workstation.fix.store import MemoryStore, MessageStore

__all__ = ["NumbersOnlyStore", "memory_store_for"]


class NumbersOnlyStore(MemoryStore):
    """A :class:`MemoryStore` that advances the sender number but keeps no sent message."""

    def save_outbound(self, seq: int, sending_time: float, message: bytes) -> None:
        self.set_next_sender_seq(seq + 1)


def memory_store_for(rules: DialectRules, session_type: SessionType, now: float) -> MessageStore:
    """An in-memory store for one session: messages kept only where they can be resent."""
    if session_type in rules.retransmitting_sessions:
        return MemoryStore(now)
    return NumbersOnlyStore(now)
