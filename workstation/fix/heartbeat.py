"""Heartbeat and TestRequest timing of one connection (SPEC §7.1), sans-IO.

Send a Heartbeat after HeartBtInt seconds without sending anything; send a TestRequest after
HeartBtInt × 1.2 seconds without receiving anything; if nothing at all arrives within another
HeartBtInt after that TestRequest, the peer is gone. A HeartBtInt of 0 turns all of it off.
"""

from __future__ import annotations

from enum import Enum, auto

__all__ = ["TEST_REQUEST_FACTOR", "HeartbeatDue", "HeartbeatMonitor"]

#: Inbound silence before a TestRequest, in heartbeat intervals.
TEST_REQUEST_FACTOR = 1.2


class HeartbeatDue(Enum):
    """What the clock asks for."""

    HEARTBEAT = auto()  #: we have been silent: send a Heartbeat
    TEST_REQUEST = auto()  #: the peer has been silent: send a TestRequest
    TIMED_OUT = auto()  #: the peer stayed silent after our TestRequest


class HeartbeatMonitor:
    """Remembers when we last sent and received, and the TestRequest in flight."""

    def __init__(self, interval: int, now: float) -> None:
        self.interval = interval
        self.last_sent = now
        self.last_received = now
        self.awaiting_answer = False  #: a TestRequest is out and nothing arrived since
        self.test_req_id: str | None = None  #: the last TestRequest not yet echoed
        self.test_sent_at = now
        self._counter = 0

    def sent(self, now: float) -> None:
        self.last_sent = now

    def received(self, now: float) -> None:
        """Any verified frame proves the peer is alive."""
        self.last_received = now
        self.awaiting_answer = False

    def deadline(self) -> float | None:
        hb = self.interval
        if hb <= 0:
            return None
        if self.awaiting_answer:
            watch = self.test_sent_at + hb
        else:
            watch = self.last_received + hb * TEST_REQUEST_FACTOR
        return min(self.last_sent + hb, watch)

    def due(self, now: float) -> list[HeartbeatDue]:
        """What is due at ``now``, in the order to do it (a timeout ends the list)."""
        hb = self.interval
        if hb <= 0:
            return []
        due: list[HeartbeatDue] = []
        if self.awaiting_answer:
            if now >= self.test_sent_at + hb:
                return [HeartbeatDue.TIMED_OUT]
        elif now >= self.last_received + hb * TEST_REQUEST_FACTOR:
            due.append(HeartbeatDue.TEST_REQUEST)
        if now >= self.last_sent + hb:
            due.append(HeartbeatDue.HEARTBEAT)
        return due

    def new_test_request(self, now: float) -> str:
        """A fresh TestReqID, remembered as in flight from ``now``."""
        self._counter += 1
        test_id = f"TEST-{int(now * 1000)}-{self._counter}"
        self.test_req_id = test_id
        self.test_sent_at = now
        self.awaiting_answer = True
        return test_id

    def answered(self, test_req_id: str | None, now: float) -> float | None:
        """The round trip if ``test_req_id`` echoes our TestRequest, else None."""
        if test_req_id is None or test_req_id != self.test_req_id:
            return None
        self.test_req_id = None
        return now - self.test_sent_at
