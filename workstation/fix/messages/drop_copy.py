"""Drop copy on KalshiDC: EventResendRequest (U1), EventResendComplete (U2) and
EventResendReject (U3). SPEC §14.1.

The client asks for past ExecutionReports by ExecID range (inclusive, 3-hour lookback);
the exchange replays them with new sequence numbers, then sends U2 with the count or U3
instead. On U2, tag 21003 is ResendEventCount (on a Logon the same tag was the old
SkipPendingExecReports). A pending ExecID (``-1;-1``) cannot bound a range (373=5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import EventResendRejectReason
from workstation.fix.messages.errors import out_of_range, translate_field_errors
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.fields import Body, require_enum
from workstation.fix.messages.prices import PriceFormat

__all__ = ["EventResendComplete", "EventResendReject", "EventResendRequest"]


def _read_bound(tag: int, text: str) -> ExecId:
    exec_id = ExecId.parse(text, tag)
    if exec_id.is_pending:
        raise out_of_range(tag, text, "a pending ExecID cannot bound a resend")
    return exec_id


@dataclass(frozen=True, slots=True, kw_only=True)
class EventResendRequest:
    """EventResendRequest (35=U1), client → KalshiDC."""

    MSG_TYPE: ClassVar[str] = "U1"

    begin_exec_id: ExecId  #: BeginExecID (21001), inclusive
    end_exec_id: ExecId | None = None  #: EndExecID (21002), inclusive; None = the latest

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        for bound in (self.begin_exec_id, self.end_exec_id):
            if bound is not None and bound.is_pending:
                raise ValueError("a pending ExecID cannot bound a resend")
        body: Body = [(21001, str(self.begin_exec_id))]
        if self.end_exec_id is not None:
            body.append((21002, str(self.end_exec_id)))
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> EventResendRequest:
        end = msg.get(21002)
        return cls(
            begin_exec_id=_read_bound(21001, msg.require(21001)),
            end_exec_id=None if end is None else _read_bound(21002, end),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class EventResendComplete:
    """EventResendComplete (35=U2): every matching report has been resent."""

    MSG_TYPE: ClassVar[str] = "U2"

    ref_seq_num: int  #: RefSeqNum (45): MsgSeqNum of the U1
    resend_event_count: int  #: ResendEventCount (21003)

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        return [(45, str(self.ref_seq_num)), (21003, str(self.resend_event_count))]

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> EventResendComplete:
        count = msg.require_int(21003)
        if count < 0:
            raise out_of_range(21003, str(count), "a count cannot be negative")
        return cls(ref_seq_num=msg.require_int(45), resend_event_count=count)


@dataclass(frozen=True, slots=True, kw_only=True)
class EventResendReject:
    """EventResendReject (35=U3): the resend was refused."""

    MSG_TYPE: ClassVar[str] = "U3"

    ref_seq_num: int
    reason: EventResendRejectReason  #: EventResendRejectReason (21004)

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        return [(45, str(self.ref_seq_num)), (21004, str(self.reason.value))]

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> EventResendReject:
        return cls(
            ref_seq_num=msg.require_int(45),
            reason=require_enum(msg, 21004, EventResendRejectReason),
        )
