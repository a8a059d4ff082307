"""The reason texts the exchange gives and the FIX codes each maps to (SPEC §9.7, §9.8).

Every refusal and every system cancel carries a :class:`Reason`, whose value is the Text (58)
Kalshi sends. :func:`ord_rej_reason` gives OrdRejReason (103) for a rejected order and
:func:`cxl_rej_reason` gives CxlRejReason (102) for a refused cancel or replace. The codes that
differ by version come from :class:`~workstation.fix.dialect.DialectRules`, never from here.
"""

from __future__ import annotations

from enum import StrEnum

from workstation.fix.dialect import DialectRules

__all__ = ["Reason", "cxl_rej_reason", "ord_rej_reason"]


class Reason(StrEnum):
    """Text (58) of a reject or of a cancel the exchange made on its own."""

    # Rejects of a new order (ER 150=8) — SPEC §9.8.
    EXCHANGE_UNAVAILABLE = "EXCHANGE_UNAVAILABLE"
    INTERNAL_ERROR = "INTERNAL_ERROR"
    MARKET_ALREADY_CLOSED = "MARKET_ALREADY_CLOSED"
    MARKET_INACTIVE = "MARKET_INACTIVE"
    MARKET_NOT_FOUND = "MARKET_NOT_FOUND"
    ORDER_ALREADY_EXISTS = "ORDER_ALREADY_EXISTS"
    EXCEEDED_ORDER_GROUP_RISK_LIMIT = "EXCEEDED_ORDER_GROUP_RISK_LIMIT"
    INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE"
    EXCHANGE_PAUSED = "EXCHANGE_PAUSED"
    TRADING_PAUSED = "TRADING_PAUSED"
    INVALID_ORDER = "INVALID_ORDER"
    ORDER_GROUP_NOT_FOUND = "ORDER_GROUP_NOT_FOUND"
    CUSTOMER_ACCOUNT_NOT_FOUND = "CUSTOMER_ACCOUNT_NOT_FOUND"
    # Amend / cancel failures (35=9 on `current`, ER reject on 1.0.13) — SPEC §9.7.
    INVALID_AMEND_QTY_FOR_ORDER = "INVALID_AMEND_QTY_FOR_ORDER"
    CANNOT_UPDATE_FILLED_ORDER = "CANNOT_UPDATE_FILLED_ORDER"
    SELF_CROSS_ATTEMPT = "SELF_CROSS_ATTEMPT"
    #: Not a Kalshi text: the order named by OrigClOrdID is not live for this account, or its
    #: side/ticker/sub-account does not match (CxlRejReason 1, SPEC §9.7).
    UNKNOWN_ORDER = "UNKNOWN_ORDER"
    # Cancels the exchange makes on its own (ER 150=4) — SPEC §9.8.
    POST_ONLY_CROSS = "POST_ONLY_CROSS"
    FOK_INSUFFICIENT_VOLUME = "FOK_INSUFFICIENT_VOLUME"
    IMMEDIATE_OR_CANCELLED = "IMMEDIATE_OR_CANCELLED"
    ORDER_GROUP_CANCEL = "ORDER_GROUP_CANCEL"
    TAKER_CANCEL_FOR_SELF_TRADE_PREVENTION = "TAKER_CANCEL_FOR_SELF_TRADE_PREVENTION"
    MAKER_CANCEL_FOR_SELF_TRADE_PREVENTION = "MAKER_CANCEL_FOR_SELF_TRADE_PREVENTION"


# OrdRejReason (103) per Text, SPEC §9.8 ("1.0.13 mapping" column; later changes come from the
# dialect table). 1 unknown symbol, 2 exchange closed, 3 exceeds limit, 4 too late,
# 6 duplicate, 11 unsupported characteristic, 15 unknown account, 99 other.
_ORD_REJ: dict[Reason, int] = {
    Reason.EXCHANGE_UNAVAILABLE: 99,
    Reason.INTERNAL_ERROR: 99,
    Reason.MARKET_ALREADY_CLOSED: 2,
    Reason.MARKET_INACTIVE: 2,
    Reason.MARKET_NOT_FOUND: 1,
    Reason.ORDER_ALREADY_EXISTS: 6,
    Reason.EXCEEDED_ORDER_GROUP_RISK_LIMIT: 3,
    Reason.EXCHANGE_PAUSED: 2,
    Reason.TRADING_PAUSED: 2,
    Reason.INVALID_ORDER: 11,
    Reason.ORDER_GROUP_NOT_FOUND: 11,
    Reason.CUSTOMER_ACCOUNT_NOT_FOUND: 15,
    Reason.INVALID_AMEND_QTY_FOR_ORDER: 99,
    Reason.CANNOT_UPDATE_FILLED_ORDER: 4,
    Reason.POST_ONLY_CROSS: 99,
}

# CxlRejReason (102), SPEC §9.7: 1 unknown order, 2 broker option, 18 invalid price increment.
_CXL_REJ: dict[Reason, int] = {
    Reason.UNKNOWN_ORDER: 1,
    Reason.INVALID_AMEND_QTY_FOR_ORDER: 2,
    Reason.CANNOT_UPDATE_FILLED_ORDER: 2,
    Reason.SELF_CROSS_ATTEMPT: 18,
}


def ord_rej_reason(reason: Reason, rules: DialectRules) -> int:
    """OrdRejReason (103) for ``reason`` under ``rules``' dialect (99 Other when unmapped)."""
    if reason is Reason.INSUFFICIENT_BALANCE:
        return rules.insufficient_balance_reason
    return _ORD_REJ.get(reason, 99)


def cxl_rej_reason(reason: Reason) -> int:
    """CxlRejReason (102) for a refused cancel or replace (99 Other when unmapped)."""
    return _CXL_REJ.get(reason, 99)
