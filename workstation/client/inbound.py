"""Reads what the venue sends and hands it to the trading state.

The domain (:class:`~workstation.trading.state.TradingState`) takes typed messages; which
type a frame is depends on the session it came from as well as its MsgType (a QuoteRequest R is
an RFQ for us to quote on KalshiRFQ; a Quote S on KalshiRT is a maker's quote on our RFQ). This
module makes that choice, parses with the session's price format, and turns what cannot be
read into a notice that names the message and the problem — never into a crash, and without
touching what was already applied.

Replays (KalshiRT resends with PossDup, KalshiDC drop copy) go through the same path: fills are
keyed by (venue, account, ExecID) and an older report never rolls an order back, so a report
that arrives twice is applied once (DESIGN.md; DECISIONS.md "Identity of fills").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages import (
    AcceptQuoteStatusReport,
    BusinessMessageReject,
    EventResendComplete,
    EventResendReject,
    ExecutionReport,
    MarketSettlementReport,
    MessageError,
    OrderCancelReject,
    OrderGroupResponse,
    OrderMassCancelReport,
    QuoteCancelStatusReport,
    QuoteConfirmStatusReport,
    QuoteNotification,
    QuoteRequest,
    QuoteRequestAck,
    QuoteRequestReject,
    QuoteStatusReport,
    RfqCancelStatusReport,
)
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.values import FieldFormatError
from workstation.trading.changes import Change, FillAdded
from workstation.trading.state import TradingState

__all__ = ["Inbound", "InboundResult"]

Parser = Callable[[FixMessage, PriceFormat], Any]

#: MsgType → typed parser, the same on every session.
_COMMON: dict[str, Parser] = {
    "8": ExecutionReport.from_message,
    "9": OrderCancelReject.from_message,
    "j": BusinessMessageReject.from_message,
    "r": OrderMassCancelReport.from_message,
    "UOH": OrderGroupResponse.from_message,
    "UMS": MarketSettlementReport.from_message,
    "AG": QuoteRequestReject.from_message,
}
#: Messages whose type depends on our role: maker on KalshiRFQ, RFQ creator on order sessions.
_MAKER: dict[str, Parser] = {
    "R": QuoteRequest.from_message,
    "AI": QuoteStatusReport.from_message,
    "U8": QuoteConfirmStatusReport.from_message,
    "U9": QuoteCancelStatusReport.from_message,
}
_CREATOR: dict[str, Parser] = {
    "b": QuoteRequestAck.from_message,
    "S": QuoteNotification.from_message,
    "UC": AcceptQuoteStatusReport.from_message,
    "UB": RfqCancelStatusReport.from_message,
}
_DROP_COPY_REFUSALS = {
    1: "too many drop-copy requests; it will be asked again shortly",
    2: "the venue had a server error",
    3: "the missing fills are older than the 3-hour drop-copy window: check the venue's "
    "website or REST fills for that period",
    4: "the request ran past the newest ExecID",
}


@dataclass
class InboundResult:
    changes: list[Change] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    healed_fills: int = 0


class Inbound:
    """See the module docstring."""

    def __init__(self, state: TradingState) -> None:
        self.state = state

    def apply(
        self,
        msg: FixMessage,
        *,
        session: SessionType,
        venue: str,
        account: str,
        price_format: PriceFormat,
        now: float,
    ) -> InboundResult:
        result = InboundResult()
        kind = msg.msg_type
        try:
            if kind == "U2":
                count = EventResendComplete.from_message(msg, price_format).resend_event_count
                result.notices.append(f"Drop copy replayed {count} execution report(s)")
                return result
            if kind == "U3":
                refused = EventResendReject.from_message(msg, price_format)
                why = _DROP_COPY_REFUSALS.get(int(refused.reason), "the venue refused it")
                result.notices.append(f"Drop copy could not heal the gap: {why}")
                return result
            role = _MAKER if session is SessionType.RFQ else _CREATOR
            parser = _COMMON.get(kind) or role.get(kind)
            if parser is None:
                result.notices.append(f"{session.value} sent a {kind} message, which is not used")
                return result
            typed = parser(msg, price_format)
            healed = session is SessionType.DC
            result.changes = self.state.apply(
                typed, venue=venue, account=account, now=now, healed=healed
            )
        except (MessageError, FieldFormatError, KeyError, ValueError, TypeError) as exc:
            result.notices.append(
                f"Could not read a {kind} message from {session.value} "
                f"(MsgSeqNum {msg.seq_num}): {exc}. It was logged and skipped."
            )
            return result
        if isinstance(typed, BusinessMessageReject):
            result.notices.append(
                f"{session.value} refused a {typed.ref_msg_type or 'message'}: "
                f"{typed.text or typed.reason.name}"
            )
        result.healed_fills = sum(
            1 for c in result.changes if isinstance(c, FillAdded) and c.fill.healed
        )
        return result
