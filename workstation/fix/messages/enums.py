"""Enumerated field values shared by Kalshi's application messages, with their wire values.

Char and String fields are :class:`~enum.StrEnum` members whose value is the wire text;
Int fields are :class:`~enum.IntEnum` members whose value is the wire integer (``str()``
of either gives the wire text). Values come from SPEC §8–§14; where Kalshi documents only
some codes of a standard FIX reason field (103, 102, 380, 658) the rest of the standard
codes are listed too, so a report with a code Kalshi adds later still parses.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

__all__ = [
    "AcceptQuoteStatus",
    "BusinessRejectReason",
    "CollateralAmountType",
    "CxlRejReason",
    "CxlRejResponseTo",
    "EventResendRejectReason",
    "ExecInst",
    "ExecType",
    "LegSide",
    "MarketResult",
    "MassCancelRequestType",
    "MassCancelResponse",
    "OrdRejReason",
    "OrdStatus",
    "OrdType",
    "OrderGroupAction",
    "PartyRole",
    "QuoteCancelStatus",
    "QuoteConfirmStatus",
    "QuoteRequestRejectReason",
    "QuoteRequestType",
    "QuoteStatus",
    "RfqCancelStatus",
    "SelfTradePrevention",
    "Side",
    "TimeInForce",
]


class Side(StrEnum):
    """Side (54). Every order is on the YES book (SPEC §8)."""

    BUY = "1"  #: buy YES (a bid)
    SELL = "2"  #: sell YES, which is buying NO (an ask)


class OrdType(StrEnum):
    """OrdType (40): Kalshi takes limit orders only."""

    LIMIT = "2"


class TimeInForce(StrEnum):
    """TimeInForce (59), SPEC §9.2."""

    DAY = "0"  #: until 23:59:59.999 ET
    GTC = "1"
    IOC = "3"
    FOK = "4"
    GTD = "6"  #: until ExpireTime (126)


class ExecInst(StrEnum):
    """ExecInst (18), a space-separated list of these."""

    POST_ONLY = "6"
    REDUCE_ONLY = "E"


class OrdStatus(StrEnum):
    """OrdStatus (39), SPEC §9.6."""

    NEW = "0"
    PARTIALLY_FILLED = "1"
    FILLED = "2"
    CANCELED = "4"
    REPLACED = "5"  #: documented from 2026-06; the client also accepts 0/1 on Replaced ERs
    PENDING_CANCEL = "6"
    REJECTED = "8"
    PENDING_NEW = "A"
    EXPIRED = "C"
    PENDING_REPLACE = "E"


class ExecType(StrEnum):
    """ExecType (150), SPEC §9.6."""

    NEW = "0"
    CANCELED = "4"
    REPLACED = "5"
    PENDING_CANCEL = "6"
    REJECTED = "8"
    PENDING_NEW = "A"
    EXPIRED = "C"
    PENDING_REPLACE = "E"
    TRADE = "F"


class OrdRejReason(IntEnum):
    """OrdRejReason (103). Kalshi uses 1, 2, 3, 4, 6, 8, 11, 13, 15 and 99 (SPEC §9.6)."""

    BROKER_OPTION = 0
    UNKNOWN_SYMBOL = 1
    EXCHANGE_CLOSED = 2
    ORDER_EXCEEDS_LIMIT = 3
    TOO_LATE_TO_ENTER = 4
    UNKNOWN_ORDER = 5
    DUPLICATE_ORDER = 6
    DUPLICATE_OF_VERBAL_ORDER = 7
    STALE_ORDER = 8
    TRADE_ALONG_REQUIRED = 9
    INVALID_INVESTOR_ID = 10
    UNSUPPORTED_ORDER_CHARACTERISTIC = 11
    SURVEILLANCE_OPTION = 12
    INCORRECT_QUANTITY = 13
    INCORRECT_ALLOCATED_QUANTITY = 14
    UNKNOWN_ACCOUNT = 15
    PRICE_EXCEEDS_PRICE_BAND = 16
    INVALID_PRICE_INCREMENT = 18
    OTHER = 99


class CxlRejReason(IntEnum):
    """CxlRejReason (102). Kalshi uses 0, 1, 2, 18 and 99 (SPEC §9.7)."""

    TOO_LATE_TO_CANCEL = 0
    UNKNOWN_ORDER = 1
    BROKER_OPTION = 2
    ALREADY_PENDING = 3
    UNABLE_TO_PROCESS_MASS_CANCEL = 4
    ORIG_ORD_MOD_TIME_MISMATCH = 5
    DUPLICATE_CL_ORD_ID = 6
    PRICE_EXCEEDS_CURRENT_PRICE = 7
    PRICE_EXCEEDS_PRICE_BAND = 8
    INVALID_PRICE_INCREMENT = 18
    OTHER = 99


class CxlRejResponseTo(StrEnum):
    """CxlRejResponseTo (434): which request an OrderCancelReject answers."""

    ORDER_CANCEL_REQUEST = "1"
    ORDER_CANCEL_REPLACE_REQUEST = "2"


class BusinessRejectReason(IntEnum):
    """BusinessRejectReason (380), SPEC §7.7 (6 and 8 from 2026-05-13)."""

    OTHER = 0
    UNKNOWN_ID = 1
    UNKNOWN_SECURITY = 2
    UNSUPPORTED_MESSAGE_TYPE = 3
    APPLICATION_NOT_AVAILABLE = 4
    CONDITIONALLY_REQUIRED_FIELD_MISSING = 5
    NOT_AUTHORIZED = 6
    DELIVER_TO_FIRM_NOT_AVAILABLE = 7
    RATE_LIMIT_EXCEEDED = 8
    INVALID_PRICE_INCREMENT = 18


class SelfTradePrevention(StrEnum):
    """SelfTradePreventionType (2964), SPEC §9.9."""

    TAKER_AT_CROSS = "1"  #: cancel the incoming order (the default when absent)
    MAKER = "2"  #: cancel the resting own order and keep matching


class OrderGroupAction(IntEnum):
    """OrderGroupAction (20131), SPEC §11.2."""

    CREATE = 1
    RESET = 2
    DELETE = 3
    TRIGGER = 4
    UPDATE = 5  #: from 2026-01-23


class MassCancelRequestType(StrEnum):
    """MassCancelRequestType (530): Kalshi supports one scope."""

    CANCEL_SESSION_ORDERS = "6"


class MassCancelResponse(StrEnum):
    """MassCancelResponse (531)."""

    REJECTED = "0"
    CANCEL_SESSION_ORDERS = "6"  #: all orders of the session cancelled


class CollateralAmountType(StrEnum):
    """CollateralAmountType (1705); UMS in 1.0.13 sent 1 and 2 for these (SPEC §12.2)."""

    BALANCE = "BALANCE"
    PAYOUT = "PAYOUT"


class PartyRole(IntEnum):
    """PartyRole (452) values Kalshi uses."""

    EXECUTING_TRADER = 12  #: sponsored-access operator (newest docs)
    CUSTOMER_ACCOUNT = 24  #: FCM sub-account / subtrader
    LIQUIDITY_PROVIDER = 35  #: the pseudonymous quoter on a Quote to an RFQ creator


class MarketResult(StrEnum):
    """MarketResult (20107); compared case-insensitively (1.0.13 sent ``Yes``)."""

    YES = "yes"
    NO = "no"
    SCALAR = "scalar"


class LegSide(StrEnum):
    """MultivariateSelectedMarketSide (20184) of a combo leg."""

    YES = "yes"
    NO = "no"


class QuoteStatus(IntEnum):
    """QuoteStatus (297) on a QuoteStatusReport (AI), SPEC §13.2."""

    ACCEPTED = 0
    REJECTED = 5
    PENDING = 10
    CANCELLED = 17


class QuoteCancelStatus(IntEnum):
    """QuoteCancelStatus (298) on U9."""

    CANCELED = 0
    REJECTED = 1


class QuoteConfirmStatus(IntEnum):
    """QuoteConfirmStatus (21010, legacy 297) on U8."""

    ACCEPTED = 0
    REJECTED = 1


class QuoteRequestRejectReason(IntEnum):
    """QuoteRequestRejectReason (658). Kalshi uses 1, 3, 11 and 99 (SPEC §13.2)."""

    UNKNOWN_SYMBOL = 1
    EXCHANGE_CLOSED = 2
    QUOTE_REQUEST_EXCEEDS_LIMIT = 3
    TOO_LATE_TO_ENTER = 4
    INVALID_PRICE = 5
    NOT_AUTHORIZED = 6
    NO_MATCH_FOR_INQUIRY = 7
    NO_MARKET_FOR_INSTRUMENT = 8
    NO_INVENTORY = 9
    PASS = 10
    INSUFFICIENT_CREDIT = 11
    OTHER = 99


class QuoteRequestType(IntEnum):
    """QuoteRequestType (303) on a QuoteRequestAck (b)."""

    MANUAL = 1
    AUTOMATIC = 2


class AcceptQuoteStatus(IntEnum):
    """AcceptQuoteStatus (21025) on UC."""

    ACCEPTED = 0
    REJECTED = 1


class RfqCancelStatus(IntEnum):
    """RFQCancelStatus (21013) on UB."""

    CANCELED = 0
    REJECTED = 1
    EXPIRED = 2  #: unsolicited, when the exchange closes the RFQ (2026-08-20)


class EventResendRejectReason(IntEnum):
    """EventResendRejectReason (21004) on U3, SPEC §14.1."""

    RATE_LIMITED = 1  #: too many resend requests
    SERVER_ERROR = 2
    BEGIN_EXEC_ID_TOO_SMALL = 3  #: outside the 3-hour window
    END_EXEC_ID_TOO_LARGE = 4
