"""Data tables behind :mod:`workstation.fix.dictionary` (names, types, enum names).

``FIELD_TABLE`` maps tag → (name, FIX type, {value: value name}).
``MESSAGE_FIELD_TABLE`` maps (MsgType, tag) → the same, for tags whose meaning depends on
the message. ``MSG_TYPE_NAMES`` maps MsgType → name.

Sources: SPEC.md §4–§17 (the tag master table is §17) and Kalshi's FIX dictionary v1.03 as
SPEC quotes it; standard FIX 5.0 SP2 / FIXT.1.1 for names and types Kalshi does not restate.
Where Kalshi renamed a field, the newer name is used and the old one is given in a comment.
Where Kalshi gives a standard tag a Kalshi meaning (54 Side, 18 ExecInst ``E``), the enum
name says what it means on Kalshi.

FIX types used: STRING, CHAR, MULTIPLECHARVALUE, BOOLEAN, INT, SEQNUM, LENGTH, NUMINGROUP,
PRICE, QTY, AMT, CURRENCY, EXCHANGE, DATA, UTCTIMESTAMP, UTCDATEONLY, UTCTIMEONLY,
LOCALMKTDATE.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "FIELD_TABLE",
    "FIX_TYPES",
    "MESSAGE_FIELD_TABLE",
    "MESSAGE_GROUP_TABLE",
    "MSG_TYPE_NAMES",
    "UNSUPPORTED_MSG_TYPES",
    "Entry",
]

Entry = tuple[str, str, Mapping[str, str]]

#: Every FIX data type name used in the tables below.
FIX_TYPES = frozenset(
    {
        "STRING",
        "CHAR",
        "MULTIPLECHARVALUE",
        "BOOLEAN",
        "INT",
        "SEQNUM",
        "LENGTH",
        "NUMINGROUP",
        "PRICE",
        "QTY",
        "AMT",
        "CURRENCY",
        "EXCHANGE",
        "DATA",
        "UTCTIMESTAMP",
        "UTCDATEONLY",
        "UTCTIMEONLY",
        "LOCALMKTDATE",
    }
)

MSG_TYPE_NAMES: dict[str, str] = {
    # Session level (SPEC §6, §7)
    "0": "Heartbeat",
    "1": "TestRequest",
    "2": "ResendRequest",
    "3": "Reject",
    "4": "SequenceReset",
    "5": "Logout",
    "A": "Logon",
    # Order entry (§9)
    "D": "NewOrderSingle",
    "F": "OrderCancelRequest",
    "G": "OrderCancelReplaceRequest",
    "8": "ExecutionReport",
    "9": "OrderCancelReject",
    "q": "OrderMassCancelRequest",
    "r": "OrderMassCancelReport",
    "j": "BusinessMessageReject",
    # Order groups (§11)
    "UOG": "OrderGroupRequest",
    "UOH": "OrderGroupResponse",
    # Settlement (§12)
    "UMS": "MarketSettlementReport",
    # Drop copy (§14.1)
    "U1": "EventResendRequest",
    "U2": "EventResendComplete",
    "U3": "EventResendReject",
    # RFQ, market maker and creator (§13)
    "R": "QuoteRequest",
    "S": "Quote",
    "Z": "QuoteCancel",
    "AI": "QuoteStatusReport",
    "AG": "QuoteRequestReject",
    "U7": "QuoteConfirm",
    "U8": "QuoteConfirmStatus",
    "U9": "QuoteCancelStatus",
    "b": "QuoteRequestAck",
    "UA": "AcceptQuote",
    "UC": "AcceptQuoteStatus",
    "UE": "RFQCancel",
    "UB": "RFQCancelStatus",
    # Market data on KalshiMD (§15)
    "V": "MarketDataRequest",
    "W": "MarketDataSnapshotFullRefresh",
    "X": "MarketDataIncrementalRefresh",
    "Y": "MarketDataRequestReject",
    "e": "SecurityStatusRequest",
    "f": "SecurityStatus",
    # Standard FIX messages Kalshi does not support (§12, §19.10). They are known, so a peer
    # that sends one gets BusinessMessageReject 380=3 (Unsupported Message Type) from the
    # application rather than a session Reject 373=11 (Invalid MsgType).
    "H": "OrderStatusRequest",
    "x": "SecurityListRequest",
    "AF": "OrderMassStatusRequest",
    "AN": "RequestForPositions",
    "AP": "PositionReport",
    "BA": "CollateralReport",
}

#: Message types in :data:`MSG_TYPE_NAMES` that Kalshi answers with 380=3 (SPEC §19.10).
UNSUPPORTED_MSG_TYPES = frozenset({"H", "x", "AF", "AN", "AP", "BA"})

_NONE: Mapping[str, str] = {}

_SIDE = {"1": "Buy YES", "2": "Sell YES (buy NO)"}

_ORD_STATUS = {
    "0": "New",
    "1": "Partially filled",
    "2": "Filled",
    "4": "Canceled",
    "5": "Replaced",  # listed by the docs from 2026-06-04, not in Dict v1.03
    "6": "Pending cancel",
    "8": "Rejected",
    "A": "Pending new",
    "C": "Expired",
    "E": "Pending replace",
}

_EXEC_TYPE = {
    "0": "New",
    "4": "Canceled",
    "5": "Replaced",
    "6": "Pending cancel",
    "8": "Rejected",
    "A": "Pending new",
    "C": "Expired",
    "E": "Pending replace",
    "F": "Trade",
}

_SESSION_REJECT_REASON = {
    "0": "Invalid tag number",
    "1": "Required tag missing",
    "2": "Tag not defined for this message type",
    "3": "Undefined tag",
    "4": "Tag specified without a value",
    "5": "Value is incorrect (out of range) for this tag",
    "6": "Incorrect data format for value",
    "7": "Decryption problem",
    "8": "Signature problem",
    "9": "CompID problem",
    "10": "SendingTime accuracy problem",
    "11": "Invalid MsgType",
    "12": "XML validation error",
    "13": "Tag appears more than once",
    "14": "Tag specified out of required order",
    "15": "Repeating group fields out of order",
    "16": "Incorrect NumInGroup count for repeating group",
    "17": "Non-data value includes field delimiter",
    "18": "Invalid/unsupported application version",
    "99": "Other",
}

_BUSINESS_REJECT_REASON = {
    "0": "Other",
    "1": "Unknown ID",
    "2": "Unknown security",
    "3": "Unsupported message type",
    "4": "Application not available",
    "5": "Conditionally required field missing",
    "6": "Not authorized",
    "7": "DeliverTo firm not available at this time",  # standard FIX; not used by Kalshi
    "8": "Rate limit exceeded",
}

_ORD_REJ_REASON = {
    "1": "Unknown symbol",
    "2": "Exchange closed",
    "3": "Order exceeds limit",
    "4": "Too late to enter",
    "6": "Duplicate order",
    "8": "Stale order",
    "11": "Unsupported order characteristic",
    "13": "Incorrect quantity",
    "15": "Unknown account",
    "99": "Other",
}

_CXL_REJ_REASON = {
    "0": "Too late to cancel",
    "1": "Unknown order",
    "2": "Broker / exchange option",
    "18": "Invalid price increment",
    "99": "Other",
}

_MASS_CANCEL_REJECT_REASON = {  # standard FIX; Kalshi documents no codes (SPEC §9.5)
    "0": "Mass cancel not supported",
    "1": "Invalid or unknown security",
    "2": "Invalid or unknown underlying security",
    "3": "Invalid or unknown product",
    "4": "Invalid or unknown CFICode",
    "5": "Invalid or unknown security type",
    "6": "Invalid or unknown trading session",
    "7": "Invalid or unknown market",
    "8": "Invalid or unknown market segment",
    "9": "Invalid or unknown security group",
    "99": "Other",
}

_PARTY_ROLE = {
    "12": "Executing trader",
    "24": "Customer account",
    "35": "Liquidity provider",
}

_APPL_VER_ID = {"9": "FIX50SP2"}

_ACCEPTED_REJECTED = {"0": "Accepted", "1": "Rejected"}

_QUOTE_STATUS = {"0": "Accepted", "5": "Rejected", "10": "Pending", "17": "Cancelled"}

_YES_NO_TEXT = {"yes": "YES", "no": "NO"}

_MD_ENTRY_TYPE = {"0": "Bid", "1": "Offer", "2": "Trade"}

FIELD_TABLE: dict[int, Entry] = {
    # --- Standard header and trailer (SPEC §4) ---
    8: ("BeginString", "STRING", _NONE),
    9: ("BodyLength", "LENGTH", _NONE),
    35: ("MsgType", "STRING", _NONE),  # value names come from MSG_TYPE_NAMES
    49: ("SenderCompID", "STRING", _NONE),
    56: ("TargetCompID", "STRING", _NONE),
    34: ("MsgSeqNum", "SEQNUM", _NONE),
    52: ("SendingTime", "UTCTIMESTAMP", _NONE),
    43: ("PossDupFlag", "BOOLEAN", _NONE),
    97: ("PossResend", "BOOLEAN", _NONE),
    122: ("OrigSendingTime", "UTCTIMESTAMP", _NONE),
    1128: ("ApplVerID", "STRING", _APPL_VER_ID),
    50: ("SenderSubID", "STRING", _NONE),
    57: ("TargetSubID", "STRING", _NONE),
    115: ("OnBehalfOfCompID", "STRING", _NONE),
    128: ("DeliverToCompID", "STRING", _NONE),
    142: ("SenderLocationID", "STRING", _NONE),
    143: ("TargetLocationID", "STRING", _NONE),
    10: ("CheckSum", "STRING", _NONE),
    # --- Logon (§5, §6.1) ---
    98: ("EncryptMethod", "INT", {"0": "None"}),
    108: ("HeartBtInt", "INT", _NONE),  # the docs call it "HeartbeatInt"
    95: ("RawDataLength", "LENGTH", _NONE),
    96: ("RawData", "DATA", _NONE),  # the RSA-PSS logon signature; never shown
    1137: ("DefaultApplVerID", "STRING", _APPL_VER_ID),
    141: ("ResetSeqNumFlag", "BOOLEAN", _NONE),
    553: ("Username", "STRING", _NONE),
    554: ("Password", "STRING", _NONE),  # never shown
    789: ("NextExpectedMsgSeqNum", "SEQNUM", _NONE),
    8013: ("CancelOrdersOnDisconnect", "BOOLEAN", _NONE),
    20126: ("ListenerSession", "BOOLEAN", _NONE),
    20127: ("ReceiveSettlementReports", "BOOLEAN", _NONE),
    20200: ("MessageRetentionPeriod", "INT", _NONE),  # hours
    21005: ("UseDollars", "BOOLEAN", _NONE),
    21007: ("EnableIocCancelReport", "BOOLEAN", _NONE),
    21008: ("PreserveOriginalOrderQty", "BOOLEAN", _NONE),
    21011: ("SkipPendingExecReports", "BOOLEAN", _NONE),  # was 21003 before 1.0.17
    21012: ("UseExpiredOrdStatus", "BOOLEAN", _NONE),
    21026: ("AlwaysEmitNewBeforeTrade", "BOOLEAN", _NONE),
    21027: ("SplitCollateralReturn", "BOOLEAN", _NONE),
    21032: ("UseCapReservation", "BOOLEAN", _NONE),  # newest docs only; undefined there
    # --- Session messages (§7) ---
    112: ("TestReqID", "STRING", _NONE),
    7: ("BeginSeqNo", "SEQNUM", _NONE),
    16: ("EndSeqNo", "SEQNUM", _NONE),
    123: ("GapFillFlag", "BOOLEAN", _NONE),
    36: ("NewSeqNo", "SEQNUM", _NONE),
    58: ("Text", "STRING", _NONE),
    45: ("RefSeqNum", "SEQNUM", _NONE),
    371: ("RefTagID", "INT", _NONE),
    372: ("RefMsgType", "STRING", MSG_TYPE_NAMES),
    373: ("SessionRejectReason", "INT", _SESSION_REJECT_REASON),
    379: ("BusinessRejectRefID", "STRING", _NONE),
    380: ("BusinessRejectReason", "INT", _BUSINESS_REJECT_REASON),
    # --- Order entry (§9.2–§9.5) ---
    11: ("ClOrdID", "STRING", _NONE),
    18: ("ExecInst", "MULTIPLECHARVALUE", {"6": "Post only", "E": "Reduce only"}),
    38: ("OrderQty", "QTY", _NONE),
    40: ("OrdType", "CHAR", {"2": "Limit"}),
    44: ("Price", "PRICE", _NONE),  # the YES price: cents, or dollars with 21005=Y
    54: ("Side", "CHAR", _SIDE),
    55: ("Symbol", "STRING", _NONE),
    59: (
        "TimeInForce",
        "CHAR",
        {
            "0": "Day",
            "1": "Good till cancel",
            "3": "Immediate or cancel",
            "4": "Fill or kill",
            "6": "Good till date",
        },
    ),
    60: ("TransactTime", "UTCTIMESTAMP", _NONE),
    126: ("ExpireTime", "UTCTIMESTAMP", _NONE),
    453: ("NoPartyIDs", "NUMINGROUP", _NONE),
    448: ("PartyID", "STRING", _NONE),
    447: ("PartyIDSource", "CHAR", {"D": "Proprietary / custom code"}),
    452: ("PartyRole", "INT", _PARTY_ROLE),
    526: ("SecondaryClOrdID", "STRING", _NONE),  # Kalshi: the order group ID
    2964: (
        "SelfTradePreventionType",
        "INT",
        {"0": "Unknown", "1": "Taker at cross", "2": "Maker"},
    ),
    21006: ("CancelOrderOnPause", "BOOLEAN", _NONE),
    21009: ("MaxExecutionCost", "AMT", _NONE),
    79: ("AllocAccount", "INT", _NONE),  # subaccount number, 0 = primary
    100: ("ExDestination", "INT", _NONE),  # standard type EXCHANGE; Kalshi sends an index
    117: ("QuoteID", "STRING", _NONE),
    21023: ("RfqId", "STRING", _NONE),
    37: ("OrderID", "STRING", _NONE),
    41: ("OrigClOrdID", "STRING", _NONE),
    530: ("MassCancelRequestType", "CHAR", {"6": "Cancel orders for a trading session"}),
    531: (
        "MassCancelResponse",
        "CHAR",
        {"0": "Cancel request rejected", "6": "Cancel orders for a trading session"},
    ),
    532: ("MassCancelRejectReason", "INT", _MASS_CANCEL_REJECT_REASON),
    # --- ExecutionReport (§9.6) ---
    6: ("AvgPx", "PRICE", _NONE),
    14: ("CumQty", "QTY", _NONE),
    17: ("ExecID", "STRING", _NONE),
    30: ("LastMkt", "EXCHANGE", _NONE),
    31: ("LastPx", "PRICE", _NONE),
    32: ("LastQty", "QTY", _NONE),
    39: ("OrdStatus", "CHAR", _ORD_STATUS),
    103: ("OrdRejReason", "INT", _ORD_REJ_REASON),
    150: ("ExecType", "CHAR", _EXEC_TYPE),
    151: ("LeavesQty", "QTY", _NONE),
    378: ("ExecRestatementReason", "INT", _NONE),
    704: ("LongQty", "QTY", _NONE),
    705: ("ShortQty", "QTY", _NONE),
    136: ("NoMiscFees", "NUMINGROUP", _NONE),
    137: ("MiscFeeAmt", "AMT", _NONE),
    138: ("MiscFeeCurr", "CURRENCY", _NONE),
    139: ("MiscFeeType", "STRING", {"4": "Exchange fees"}),
    891: ("MiscFeeBasis", "INT", {"0": "Absolute", "1": "Per unit", "2": "Percentage"}),
    880: ("TrdMatchID", "STRING", _NONE),
    1057: ("AggressorIndicator", "BOOLEAN", _NONE),
    # 1.0.13 docs: "NoCollateralAmounts"; renamed 2026-04-04, same tag.
    1703: ("NoCollateralAmountChanges", "NUMINGROUP", _NONE),
    # 1.0.13 docs: "CurrentCollateralAmount".
    1704: ("CollateralAmountChange", "AMT", _NONE),
    # 1.0.13 docs: "CollateralType"; UMS in 1.0.13 used 1 (Balance) and 2 (Payout).
    1705: (
        "CollateralAmountType",
        "STRING",
        {"BALANCE": "Balance", "PAYOUT": "Payout", "1": "Balance", "2": "Payout"},
    ),
    715: ("ClearingBusinessDate", "LOCALMKTDATE", _NONE),
    21030: ("SingleMarketCollateralReturn", "AMT", _NONE),
    21031: ("RangedMarketCollateralReturn", "AMT", _NONE),
    # --- OrderCancelReject (§9.7) ---
    434: (
        "CxlRejResponseTo",
        "CHAR",
        {"1": "Order cancel request", "2": "Order cancel/replace request"},
    ),
    102: ("CxlRejReason", "INT", _CXL_REJ_REASON),
    # --- Order groups (§11) ---
    20130: ("OrderGroupID", "STRING", _NONE),
    20131: (
        "OrderGroupAction",
        "INT",
        {"1": "Create", "2": "Reset", "3": "Delete", "4": "Trigger", "5": "Update"},
    ),
    20132: ("OrderGroupContractsLimit", "INT", _NONE),
    # --- MarketSettlementReport (§12) ---
    20105: ("MarketSettlementReportID", "STRING", _NONE),
    20106: ("TotNumMarketSettlementReports", "INT", _NONE),
    20107: (
        "MarketResult",
        "STRING",
        {"yes": "YES", "no": "NO", "scalar": "Scalar", "Yes": "YES", "No": "NO"},
    ),
    893: ("LastFragment", "BOOLEAN", _NONE),
    730: ("SettlementPrice", "PRICE", _NONE),  # cents, up to 2 decimals (1.0.19)
    20108: ("NoMarketSettlementPartyIDs", "NUMINGROUP", _NONE),
    20109: ("MarketSettlementPartyID", "STRING", _NONE),
    20110: ("MarketSettlementPartyRole", "INT", {"24": "Customer account"}),
    # --- Drop copy (§14.1) ---
    21001: ("BeginExecID", "STRING", _NONE),
    21002: ("EndExecID", "STRING", _NONE),
    # 21003 is ResendEventCount (U2) since 1.0.17 (the 1.0.13 docs say "ResentEventCount");
    # on a Logon it is the legacy SkipPendingExecReports: see MESSAGE_FIELD_TABLE.
    21003: ("ResendEventCount", "INT", _NONE),
    21004: (
        "EventResendRejectReason",
        "INT",
        {
            "1": "Too many resend requests (rate limited)",
            "2": "Server error",
            "3": "BeginExecID too small (outside the window)",
            "4": "EndExecID too large",
        },
    ),
    # --- RFQ (§13) ---
    131: ("QuoteReqID", "STRING", _NONE),
    146: ("NoRelatedSym", "NUMINGROUP", _NONE),
    152: ("CashOrderQty", "QTY", _NONE),  # dollars
    20180: ("MultivariateCollectionTicker", "STRING", _NONE),
    20181: ("NoMultivariateSelectedLegs", "NUMINGROUP", _NONE),
    20182: ("MultivariateSelectedEventTicker", "STRING", _NONE),
    20183: ("MultivariateSelectedMarketTicker", "STRING", _NONE),
    # Dict v1.03 calls it "MultivariateSelectedSide".
    20184: ("MultivariateSelectedMarketSide", "STRING", _YES_NO_TEXT),
    132: ("BidPx", "PRICE", _NONE),  # the YES price
    133: ("OfferPx", "PRICE", _NONE),  # the NO price
    134: ("BidSize", "QTY", _NONE),
    135: ("OfferSize", "QTY", _NONE),
    21015: ("RestRemainder", "BOOLEAN", _NONE),
    21016: ("ReplaceExisting", "BOOLEAN", _NONE),
    # QuoteStatus on AI; on U8 before 1.0.17 it was QuoteConfirmStatus (MESSAGE_FIELD_TABLE).
    297: ("QuoteStatus", "INT", _QUOTE_STATUS),
    # Standard FIX calls 298 QuoteCancelType; Kalshi uses it only as U9's status.
    298: ("QuoteCancelStatus", "INT", {"0": "Canceled", "1": "Rejected"}),
    658: (
        "QuoteRequestRejectReason",
        "INT",
        {
            "1": "Unknown symbol",
            "3": "Quote request exceeds limit",
            "11": "Insufficient credit",
            "99": "Other",
        },
    ),
    20185: ("NoMVEOffendingLegs", "NUMINGROUP", _NONE),
    20186: ("MVEOffendingMarketTicker", "STRING", _NONE),
    20187: (
        "MVEValidationReasonCode",
        "STRING",
        {
            "conflicting_leg_outcomes": "Conflicting leg outcomes",
            "duplicated_legs": "Duplicated legs",
            "invalid_market_combination": "Invalid market combination",
        },
    ),
    303: ("QuoteRequestType", "INT", {"1": "Manual", "2": "Automatic"}),
    21010: ("QuoteConfirmStatus", "INT", _ACCEPTED_REJECTED),  # was 297 before 1.0.17
    21013: ("RFQCancelStatus", "INT", {"0": "Canceled", "1": "Rejected", "2": "Expired"}),
    21022: ("PreferBetterQuote", "BOOLEAN", _NONE),
    21024: ("AcceptedQuoteId", "STRING", _NONE),
    21025: ("AcceptQuoteStatus", "INT", _ACCEPTED_REJECTED),
    # --- Market data on KalshiMD (§15) ---
    263: (
        "SubscriptionRequestType",
        "CHAR",
        {"0": "Snapshot", "1": "Snapshot + updates", "2": "Unsubscribe"},
    ),
    268: ("NoMDEntries", "NUMINGROUP", _NONE),
    269: ("MDEntryType", "CHAR", _MD_ENTRY_TYPE),
    270: ("MDEntryPx", "PRICE", _NONE),
    271: ("MDEntrySize", "QTY", _NONE),
    272: ("MDEntryDate", "UTCDATEONLY", _NONE),
    273: ("MDEntryTime", "UTCTIMEONLY", _NONE),
    279: ("MDUpdateAction", "CHAR", {"0": "New", "1": "Change", "2": "Delete"}),
    281: (
        "MDReqRejReason",
        "CHAR",
        {"2": "Insufficient bandwidth", "4": "Unsupported SubscriptionRequestType"},
    ),
    326: (
        "SecurityTradingStatus",
        "INT",
        {"2": "Trading halt", "3": "Resume", "100": "Determined", "101": "Settled"},
    ),
    2446: ("AggressorSide", "CHAR", {"1": "Buy", "2": "Sell"}),
}

MESSAGE_FIELD_TABLE: dict[tuple[str, int], Entry] = {
    # 21003 on a Logon: SkipPendingExecReports up to 1.0.16, still accepted (SPEC §6.1).
    ("A", 21003): ("SkipPendingExecReports", "BOOLEAN", _NONE),
    ("U2", 21003): ("ResendEventCount", "INT", _NONE),
    ("AI", 297): ("QuoteStatus", "INT", _QUOTE_STATUS),
    # 297 on U8: QuoteConfirmStatus up to 1.0.16, "currently supporting both" (SPEC §13.2).
    ("U8", 297): ("QuoteConfirmStatus", "INT", _ACCEPTED_REJECTED),
    ("U8", 21010): ("QuoteConfirmStatus", "INT", _ACCEPTED_REJECTED),
    # AI's 54 is the accepted side of the quote, in YES/NO terms (SPEC §13.2, §20.27).
    ("AI", 54): ("Side", "CHAR", {"1": "YES", "2": "NO"}),
    # On AcceptQuote, BUY takes the maker's NO quote and SELL takes the YES quote (§13.3).
    ("UA", 54): ("Side", "CHAR", {"1": "Buy (accepts the NO quote)", "2": "Sell (accepts YES)"}),
    # SecurityStatusRequest: subscribe / unsubscribe only.
    ("e", 263): ("SubscriptionRequestType", "CHAR", {"1": "Subscribe", "2": "Unsubscribe"}),
    # On a Quote 18=6 is post-only too (2026-07-03); reduce-only does not apply.
    ("S", 18): ("ExecInst", "MULTIPLECHARVALUE", {"6": "Post only"}),
}

#: Repeating groups whose entries differ by message, so they cannot have one
#: :class:`~workstation.fix.dictionary.GroupLayout`: (MsgType, NumInGroup tag) → the entry's
#: tags, delimiter first (SPEC §15).
MESSAGE_GROUP_TABLE: dict[tuple[str, int], tuple[int, ...]] = {
    ("W", 268): (269, 270, 271, 272, 273),
    ("X", 268): (279, 55, 269, 270, 271, 272, 273, 2446),
}
