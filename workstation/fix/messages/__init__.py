"""Typed Kalshi application messages: builders and validating parsers, both directions.

Every message type is a frozen dataclass with ``MSG_TYPE``, ``to_body(price_format)``
(body fields only; the session adds the header) and
``from_message(msg, price_format) -> T``, which raises :class:`MessageError` carrying the
Reject (373) or BusinessMessageReject (380) answer. Prices are ``Decimal`` dollars,
quantities ``Decimal`` contracts, money ``Decimal`` dollars, times epoch seconds (float).
"""

from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.drop_copy import (
    EventResendComplete,
    EventResendReject,
    EventResendRequest,
)
from workstation.fix.messages.enums import (
    AcceptQuoteStatus,
    BusinessRejectReason,
    CollateralAmountType,
    CxlRejReason,
    CxlRejResponseTo,
    EventResendRejectReason,
    ExecInst,
    ExecType,
    LegSide,
    MarketResult,
    MassCancelRequestType,
    MassCancelResponse,
    OrderGroupAction,
    OrdRejReason,
    OrdStatus,
    OrdType,
    PartyRole,
    QuoteCancelStatus,
    QuoteConfirmStatus,
    QuoteRequestRejectReason,
    QuoteRequestType,
    QuoteStatus,
    RfqCancelStatus,
    SelfTradePrevention,
    Side,
    TimeInForce,
)
from workstation.fix.messages.errors import (
    MessageError,
    RejectKind,
    SessionRejectReason,
    clordid_problem,
)
from workstation.fix.messages.exec_id import PENDING_EXEC_ID, ExecId
from workstation.fix.messages.execution import (
    ExecutionReport,
    OrderCancelReject,
    OrderMassCancelReport,
)
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.order_groups import OrderGroupRequest, OrderGroupResponse
from workstation.fix.messages.orders import (
    NewOrderSingle,
    OrderCancelReplaceRequest,
    OrderCancelRequest,
    OrderMassCancelRequest,
)
from workstation.fix.messages.parties import Party
from workstation.fix.messages.prices import PriceFormat, format_price, parse_price
from workstation.fix.messages.rfq_common import MveLeg
from workstation.fix.messages.rfq_creator import (
    AcceptQuote,
    AcceptQuoteStatusReport,
    CreatorQuoteRequest,
    QuoteNotification,
    QuoteRequestAck,
    RfqCancel,
    RfqCancelStatusReport,
)
from workstation.fix.messages.rfq_maker import (
    Quote,
    QuoteCancel,
    QuoteCancelStatusReport,
    QuoteConfirm,
    QuoteConfirmStatusReport,
    QuoteRequest,
    QuoteRequestReject,
    QuoteStatusReport,
)
from workstation.fix.messages.settlement import MarketSettlementReport, SettlementParty

__all__ = [
    "PENDING_EXEC_ID",
    "AcceptQuote",
    "AcceptQuoteStatus",
    "AcceptQuoteStatusReport",
    "BusinessMessageReject",
    "BusinessRejectReason",
    "CollateralAmountType",
    "CollateralChange",
    "CreatorQuoteRequest",
    "CxlRejReason",
    "CxlRejResponseTo",
    "EventResendComplete",
    "EventResendReject",
    "EventResendRejectReason",
    "EventResendRequest",
    "ExecId",
    "ExecInst",
    "ExecType",
    "ExecutionReport",
    "LegSide",
    "MarketResult",
    "MarketSettlementReport",
    "MassCancelRequestType",
    "MassCancelResponse",
    "MessageError",
    "MiscFee",
    "MveLeg",
    "NewOrderSingle",
    "OrdRejReason",
    "OrdStatus",
    "OrdType",
    "OrderCancelReject",
    "OrderCancelReplaceRequest",
    "OrderCancelRequest",
    "OrderGroupAction",
    "OrderGroupRequest",
    "OrderGroupResponse",
    "OrderMassCancelReport",
    "OrderMassCancelRequest",
    "Party",
    "PartyRole",
    "PriceFormat",
    "Quote",
    "QuoteCancel",
    "QuoteCancelStatus",
    "QuoteCancelStatusReport",
    "QuoteConfirm",
    "QuoteConfirmStatus",
    "QuoteConfirmStatusReport",
    "QuoteNotification",
    "QuoteRequest",
    "QuoteRequestAck",
    "QuoteRequestReject",
    "QuoteRequestRejectReason",
    "QuoteRequestType",
    "QuoteStatus",
    "QuoteStatusReport",
    "RejectKind",
    "RfqCancel",
    "RfqCancelStatus",
    "RfqCancelStatusReport",
    "SelfTradePrevention",
    "SessionRejectReason",
    "SettlementParty",
    "Side",
    "TimeInForce",
    "clordid_problem",
    "format_price",
    "parse_price",
]
