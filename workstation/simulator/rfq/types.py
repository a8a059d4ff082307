"""The RFQ desk's small vocabulary: why a request was refused, why an RFQ or a quote closed.

Values that go on the wire are the FIX values (QuoteRequestRejectReason 658, SPEC §13.2), so
a gateway maps them with ``int(reason)`` and nothing else; the desk itself never writes FIX.
The sides of a quote and of an acceptance live in :mod:`.sides`.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

__all__ = ["AcceptProblem", "CloseReason", "QuoteCancelReason", "RequestRejectReason"]


class RequestRejectReason(IntEnum):
    """QuoteRequestRejectReason (658) on an AG that refuses an RFQ creation."""

    UNKNOWN_SYMBOL = 1
    QUOTE_REQUEST_EXCEEDS_LIMIT = 3
    INSUFFICIENT_CREDIT = 11
    OTHER = 99


class CloseReason(StrEnum):
    """Why an RFQ stopped taking quotes; the Text of the AG its makers receive."""

    CANCELLED_BY_CREATOR = "RFQ cancelled by its creator"
    REPLACED = "RFQ replaced by a newer RFQ from its creator"
    EXPIRED = "RFQ expired"
    EXECUTED = "RFQ traded"


class QuoteCancelReason(StrEnum):
    """Why a quote was cancelled without trading; the Text of the AI CANCELLED."""

    BY_MAKER = "cancelled by the maker"
    REPLACED = "replaced by a newer quote from the same maker"
    CONFIRM_MISSED = "voided: not confirmed within the confirmation window"


class AcceptProblem(StrEnum):
    """Why an acceptance (UA, or 35=D with QuoteID) was refused.

    A gateway that accepted by NewOrderSingle maps EXPIRED to an ER reject with Text
    ``EXPIRED`` and 103=8 (SPEC §13.4); everything else goes out as UC REJECTED with the text.
    """

    UNKNOWN_QUOTE = "unknown_quote"
    WRONG_RFQ = "wrong_rfq"
    QUOTE_NOT_LIVE = "quote_not_live"
    RFQ_BUSY = "rfq_busy"  #: another accepted quote is waiting for its confirmation
    RFQ_CLOSED = "rfq_closed"
    EXPIRED = "expired"
    SIDE_NOT_QUOTED = "side_not_quoted"
    BAD_QUANTITY = "bad_quantity"
    MARKET_CLOSED = "market_closed"
