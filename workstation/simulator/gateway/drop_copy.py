"""Drop copy on KalshiDC: EventResendRequest (U1) answered with the account's past
ExecutionReports, then EventResendComplete (U2) or EventResendReject (U3). SPEC §14.1, §19.9.

A U1 names an inclusive ExecID range: BeginExecID (21001) and, optionally, EndExecID (21002),
which defaults to the latest. The account's reports in that range — the venue's
:class:`~workstation.simulator.exec_history.ExecHistory`, which keeps only replayable reports
(no pending ``-1;-1``, no rejects) — are sent again as ExecutionReports (35=8) in ExecID order,
with this session's own new sequence numbers and in its price format, followed by U2 with
RefSeqNum (45) = the U1's MsgSeqNum and ResendEventCount (21003) = how many were sent.

The request is refused with U3 instead, checked in this order:

==================  ========================================================================
21004               when
==================  ========================================================================
1 RATE_LIMITED      the same API key made a request less than ``min_interval`` (1 s) of
                    venue time ago that was not itself rate limited
4 END too large     EndExecID belongs to a matching cycle the exchange has not started yet
3 BEGIN too small   a report of the account at or after BeginExecID was sent more than
                    ``lookback`` (3 h) of venue time ago: the window no longer holds it
==================  ========================================================================

A U1 whose ExecIDs do not parse, or that names the pending ExecID ``-1;-1``, is answered with
a session Reject (35=3) on the offending tag, as the typed parser says. Our readings where
the docs are silent:

- **"Too small"** is judged per account: only a report the account actually had and that
  has aged out makes a range too old. A BeginExecID below the account's first report, with
  nothing aged out, replays everything from that first report.
- **"Too large"** is judged against the exchange's ExecID clock (ExecIDs are exchange-wide,
  ``clock;event``): an EndExecID whose clock is beyond the last matching cycle names a report
  that cannot exist yet. An EndExecID between the account's latest report and the exchange's
  clock is a valid range that simply ends early.
- A range whose end is before its beginning holds nothing: U2 with a count of 0.
- A BeginExecID and EndExecID on different exchange indexes (the third ExecID part, SPEC
  §14.1 [Later 2026-06-25]) are refused with 35=3 (373=5) on 21002.
- A report whose price is a fraction of a cent goes to a cents session rounded half-even to
  the cent (never to 0 or 100), as the order gateway does live; sessions that trade sub-penny
  markets log on with UseDollars (21005). Money fields stay exact.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_EVEN, Decimal

from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.drop_copy import (
    EventResendComplete,
    EventResendReject,
    EventResendRequest,
)
from workstation.fix.messages.enums import BusinessRejectReason, EventResendRejectReason
from workstation.fix.messages.errors import MessageError, RejectKind, SessionRejectReason
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.fields import Body
from workstation.fix.messages.prices import PriceFormat
from workstation.simulator.client import ClientSession
from workstation.simulator.exec_history import HistoryEntry
from workstation.simulator.venue import Venue

__all__ = ["LOOKBACK_SECONDS", "MIN_REQUEST_INTERVAL", "DropCopyGateway"]

LOOKBACK_SECONDS = 3 * 3600.0  #: SPEC §14.1: "lookback is the last 3 hours"
MIN_REQUEST_INTERVAL = 1.0  #: seconds between two served requests of one API key

_CENT = Decimal("0.01")
_LOWEST_CENT = Decimal("0.01")
_HIGHEST_CENT = Decimal("0.99")


class DropCopyGateway:
    """Answers EventResendRequests on KalshiDC; see the module docstring."""

    def __init__(
        self,
        venue: Venue,
        *,
        lookback: float = LOOKBACK_SECONDS,
        min_interval: float = MIN_REQUEST_INTERVAL,
    ) -> None:
        self._venue = venue
        self.lookback = lookback
        self.min_interval = min_interval
        #: API key -> venue time of its last request that was not rate limited
        self._last_request: dict[str, float] = {}

    def register(self) -> None:
        self._venue.on(SessionType.DC, EventResendRequest.MSG_TYPE, self.on_resend_request)

    # ------------------------------------------------------------------ the handler

    def on_resend_request(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        """Handle one U1 from ``client`` (a KalshiDC session)."""
        try:
            request = EventResendRequest.from_message(msg, client.price_format)
            _check_same_index(request)
        except MessageError as error:
            self._refuse(client, msg, error)
            return
        ref_seq = msg.seq_num or 0
        reason = self._refusal(client, request, now)
        if reason is not None:
            self._send(client, EventResendReject(ref_seq_num=ref_seq, reason=reason))
            return
        sent = 0
        for entry in self._range(client.account, request):
            body = _replay_body(entry.report, client.price_format)
            if self._venue.send(client, ExecutionReport.MSG_TYPE, body) is None:
                return  # the session went away mid-replay: nothing more to say to it
            sent += 1
        self._send(client, EventResendComplete(ref_seq_num=ref_seq, resend_event_count=sent))

    # ------------------------------------------------------------------ the rules

    def _refusal(
        self, client: ClientSession, request: EventResendRequest, now: float
    ) -> EventResendRejectReason | None:
        last = self._last_request.get(client.key_id)
        if last is not None and now - last < self.min_interval:
            return EventResendRejectReason.RATE_LIMITED
        self._last_request[client.key_id] = now
        end = request.end_exec_id
        if end is not None and end.clock > self._venue.exchange.state.exec_ids.clock:
            return EventResendRejectReason.END_EXEC_ID_TOO_LARGE
        horizon = self.horizon(client.account, now)
        if horizon is not None and request.begin_exec_id <= horizon:
            return EventResendRejectReason.BEGIN_EXEC_ID_TOO_SMALL
        return None

    def horizon(self, account: str, now: float) -> ExecId | None:
        """The newest ExecID of ``account`` that has aged out of the lookback window, if any:
        a range beginning at or before it can no longer be replayed whole."""
        history = self._venue.exec_history
        cutoff = now - self.lookback
        oldest = history.oldest_sent_at(account)
        newest_gone: ExecId | None = history.pruned_through(account)
        if oldest is None or oldest >= cutoff:
            return newest_gone  # the usual case: nothing held has aged out
        held = history.newest_sent_before(account, cutoff)
        return newest_gone if held is None else held

    def _range(self, account: str, request: EventResendRequest) -> list[HistoryEntry]:
        begin, end = request.begin_exec_id, request.end_exec_id
        if end is not None and end < begin:
            return []
        return self._venue.exec_history.between(account, begin, end)

    # ------------------------------------------------------------------ replies

    def _send(
        self, client: ClientSession, message: EventResendComplete | EventResendReject
    ) -> None:
        self._venue.send(client, message.MSG_TYPE, message.to_body())

    def _refuse(self, client: ClientSession, msg: FixMessage, error: MessageError) -> None:
        if error.kind is RejectKind.SESSION:
            self._venue.reject(client, msg, error.reason, error.text, error.tag)
            return
        reject = BusinessMessageReject(
            reason=BusinessRejectReason(error.reason),
            ref_msg_type=msg.msg_type,
            ref_seq_num=msg.seq_num or 0,
            ref_tag_id=error.tag,
            text=error.text,
        )
        self._venue.send(client, reject.MSG_TYPE, reject.to_body())


def _check_same_index(request: EventResendRequest) -> None:
    end = request.end_exec_id
    if end is not None and end.exchange != request.begin_exec_id.exchange:
        raise MessageError(
            SessionRejectReason.VALUE_IS_INCORRECT,
            21002,
            "Value is incorrect (out of range) for this tag: 21002 "
            f"({end} is not on the exchange index of BeginExecID {request.begin_exec_id})",
        )


def _whole_cents(price: Decimal) -> Decimal:
    """A price a cents session can carry: half-even to the cent, kept within 1–99 cents."""
    rounded = price.quantize(_CENT, rounding=ROUND_HALF_EVEN)
    return min(max(rounded, _LOWEST_CENT), _HIGHEST_CENT)


def _replay_body(report: ExecutionReport, price_format: PriceFormat) -> Body:
    if price_format is PriceFormat.CENTS:
        price, last_px = report.price, report.last_px
        if (price is not None and price != _whole_cents(price)) or (
            last_px is not None and last_px != _whole_cents(last_px)
        ):
            report = dataclasses.replace(
                report,
                price=None if price is None else _whole_cents(price),
                last_px=None if last_px is None else _whole_cents(last_px),
            )
    return report.to_body(price_format)
