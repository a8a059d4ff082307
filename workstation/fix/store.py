"""The message store contract, and an in-memory implementation for tests and throwaway sessions.

A store keeps one session's next sender and target sequence numbers and every outbound
message, so that a ResendRequest can be served and a restart continues the sequence. The
session writes an outbound message with :meth:`MessageStore.save_outbound` *before* its bytes
reach the transport (store before send), and advances the target sequence number for every
inbound message it accepts. The I/O adapter wraps the processing of one read chunk in
:meth:`MessageStore.transaction`, so a message, the application's record of it and the
sequence number it advances are committed together. A store may also tell whether such a
transaction is open (``in_transaction``, optional; both stores here have it), which spares
the session a nested transaction per message.
"""

from __future__ import annotations

import bisect
import contextlib
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

__all__ = ["MemoryStore", "MessageStore"]


@runtime_checkable
class MessageStore(Protocol):
    def next_sender_seq(self) -> int: ...

    def next_target_seq(self) -> int: ...

    def set_next_sender_seq(self, seq: int) -> None: ...

    def set_next_target_seq(self, seq: int) -> None: ...

    def save_outbound(self, seq: int, sending_time: float, message: bytes) -> None:
        """Store ``message`` as number ``seq`` and set the next sender number to ``seq + 1``."""

    def outbound_range(self, begin: int, end: int | None) -> list[tuple[int, bytes]]:
        """Stored messages with ``begin <= seq <= end`` (``end`` None: to the last), in order."""

    def creation_time(self) -> float:
        """When this session's sequence started (epoch seconds); changes on reset."""

    def reset(self, now: float) -> None:
        """Both numbers back to 1, stored messages dropped, creation time ``now``."""

    def prune(self, older_than: float) -> int:
        """Drop outbound messages sent before ``older_than``; returns how many."""

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """Group writes; reentrant (an inner transaction joins the outer one)."""


class MemoryStore:
    """A :class:`MessageStore` that lives only as long as the process."""

    def __init__(self, now: float = 0.0) -> None:
        self._sender = 1
        self._target = 1
        self._created = now
        self._seqs: list[int] = []
        self._messages: dict[int, tuple[float, bytes]] = {}
        # Inside a transaction: each message's previous entry, to restore on rollback.
        self._undo: list[tuple[int, tuple[float, bytes] | None]] | None = None

    def next_sender_seq(self) -> int:
        return self._sender

    def next_target_seq(self) -> int:
        return self._target

    def set_next_sender_seq(self, seq: int) -> None:
        self._sender = seq

    def set_next_target_seq(self, seq: int) -> None:
        self._target = seq

    def save_outbound(self, seq: int, sending_time: float, message: bytes) -> None:
        self._remember(seq)
        if seq not in self._messages:
            bisect.insort(self._seqs, seq)
        self._messages[seq] = (sending_time, message)
        self._sender = seq + 1

    def outbound_range(self, begin: int, end: int | None) -> list[tuple[int, bytes]]:
        lo = bisect.bisect_left(self._seqs, begin)
        hi = len(self._seqs) if end is None else bisect.bisect_right(self._seqs, end)
        return [(s, self._messages[s][1]) for s in self._seqs[lo:hi]]

    def creation_time(self) -> float:
        return self._created

    def reset(self, now: float) -> None:
        for seq in self._seqs:
            self._remember(seq)
        self._sender = 1
        self._target = 1
        self._created = now
        self._seqs.clear()
        self._messages.clear()

    def prune(self, older_than: float) -> int:
        doomed = [s for s in self._seqs if self._messages[s][0] < older_than]
        for seq in doomed:
            self._remember(seq)
            del self._messages[seq]
        if doomed:
            gone = set(doomed)
            self._seqs = [s for s in self._seqs if s not in gone]
        return len(doomed)

    @property
    def in_transaction(self) -> bool:
        """A transaction is open, so writes join it.

        Optional for a store (not part of :class:`MessageStore`): when a store has it and it
        is true, the session lets each inbound message join the open transaction instead of
        nesting one per message, and dooms it (by leaving a nested transaction with the
        exception) if the message fails half-way.
        """
        return self._undo is not None

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Reentrant; an exception leaving the outermost transaction undoes all its writes."""
        if self._undo is not None:
            yield
            return
        self._undo = []
        numbers = (self._sender, self._target, self._created)
        try:
            yield
        except BaseException:
            for seq, entry in reversed(self._undo):
                if entry is None:
                    self._messages.pop(seq, None)
                else:
                    self._messages[seq] = entry
            self._seqs = sorted(self._messages)
            self._sender, self._target, self._created = numbers
            raise
        finally:
            self._undo = None

    def _remember(self, seq: int) -> None:
        if self._undo is not None:
            self._undo.append((seq, self._messages.get(seq)))
