"""The Kalshi dictionary: every message type and tag of the SPEC, with types and enum names."""

from __future__ import annotations

import pytest

from workstation.fix.dictionary import (
    FIELDS,
    GROUPS,
    MESSAGE_FIELDS,
    MSG_TYPES,
    FieldDef,
    field_def,
    field_name,
    msg_type_name,
    value_name,
)
from workstation.fix.dictionary_fields import (
    FIX_TYPES,
    MESSAGE_GROUP_TABLE,
    UNSUPPORTED_MSG_TYPES,
)

# SPEC: session, orders, order groups, settlement, drop copy, RFQ (both roles), market data.
SPEC_MSG_TYPES = {
    "0": "Heartbeat",
    "1": "TestRequest",
    "2": "ResendRequest",
    "3": "Reject",
    "4": "SequenceReset",
    "5": "Logout",
    "A": "Logon",
    "D": "NewOrderSingle",
    "F": "OrderCancelRequest",
    "G": "OrderCancelReplaceRequest",
    "8": "ExecutionReport",
    "9": "OrderCancelReject",
    "q": "OrderMassCancelRequest",
    "r": "OrderMassCancelReport",
    "j": "BusinessMessageReject",
    "UOG": "OrderGroupRequest",
    "UOH": "OrderGroupResponse",
    "UMS": "MarketSettlementReport",
    "U1": "EventResendRequest",
    "U2": "EventResendComplete",
    "U3": "EventResendReject",
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
    "V": "MarketDataRequest",
    "W": "MarketDataSnapshotFullRefresh",
    "X": "MarketDataIncrementalRefresh",
    "Y": "MarketDataRequestReject",
    "e": "SecurityStatusRequest",
    "f": "SecurityStatus",
}

# SPEC §17, the master table of Kalshi-specific tags, with the names it gives.
MASTER_TABLE = {
    8013: "CancelOrdersOnDisconnect",
    2964: "SelfTradePreventionType",
    20105: "MarketSettlementReportID",
    20106: "TotNumMarketSettlementReports",
    20107: "MarketResult",
    20108: "NoMarketSettlementPartyIDs",
    20109: "MarketSettlementPartyID",
    20110: "MarketSettlementPartyRole",
    20126: "ListenerSession",
    20127: "ReceiveSettlementReports",
    20130: "OrderGroupID",
    20131: "OrderGroupAction",
    20132: "OrderGroupContractsLimit",
    20180: "MultivariateCollectionTicker",
    20181: "NoMultivariateSelectedLegs",
    20182: "MultivariateSelectedEventTicker",
    20183: "MultivariateSelectedMarketTicker",
    20184: "MultivariateSelectedMarketSide",
    20185: "NoMVEOffendingLegs",
    20186: "MVEOffendingMarketTicker",
    20187: "MVEValidationReasonCode",
    20200: "MessageRetentionPeriod",
    21001: "BeginExecID",
    21002: "EndExecID",
    21003: "ResendEventCount",
    21004: "EventResendRejectReason",
    21005: "UseDollars",
    21006: "CancelOrderOnPause",
    21007: "EnableIocCancelReport",
    21008: "PreserveOriginalOrderQty",
    21009: "MaxExecutionCost",
    21010: "QuoteConfirmStatus",
    21011: "SkipPendingExecReports",
    21012: "UseExpiredOrdStatus",
    21013: "RFQCancelStatus",
    21015: "RestRemainder",
    21016: "ReplaceExisting",
    21022: "PreferBetterQuote",
    21023: "RfqId",
    21024: "AcceptedQuoteId",
    21025: "AcceptQuoteStatus",
    21026: "AlwaysEmitNewBeforeTrade",
    21027: "SplitCollateralReturn",
    21030: "SingleMarketCollateralReturn",
    21031: "RangedMarketCollateralReturn",
    21032: "UseCapReservation",
}

# Standard tags the SPEC's tables mention (§4–§15), by section.
STANDARD_TAGS = {
    "header/trailer §4": [8, 9, 35, 49, 56, 34, 52, 43, 97, 122, 1128, 50, 10, 57, 115, 128],
    "logon §6.1": [98, 108, 95, 96, 1137, 141, 553, 554, 789],
    "session §7": [7, 16, 123, 36, 58, 45, 371, 372, 373, 379, 380, 112],
    "orders §9.2–9.5": [
        11,
        18,
        38,
        40,
        44,
        54,
        55,
        59,
        60,
        126,
        453,
        448,
        452,
        526,
        79,
        100,
        117,
        37,
        41,
        530,
        531,
        532,
    ],
    "execution report §9.6": [
        6,
        14,
        17,
        30,
        31,
        32,
        39,
        103,
        150,
        151,
        378,
        704,
        705,
        136,
        137,
        138,
        139,
        891,
        880,
        1057,
        1703,
        1704,
        1705,
        715,
    ],
    "cancel reject §9.7": [434, 102],
    "settlement §12": [893, 730],
    "rfq §13": [131, 146, 152, 132, 133, 134, 135, 297, 298, 658, 303],
    "market data §15": [263, 268, 269, 270, 271, 272, 273, 279, 281, 326, 2446],
}


def defined(tag: int, msg_type: str | None = None) -> FieldDef:
    found = field_def(tag, msg_type)
    assert found is not None
    return found


def test_every_spec_message_type_has_its_name() -> None:
    for msg_type, name in SPEC_MSG_TYPES.items():
        assert msg_type_name(msg_type) == name, msg_type


def test_unknown_message_type_is_named_as_unknown() -> None:
    assert "ZZ" not in MSG_TYPES
    assert msg_type_name("ZZ") == "Unknown(ZZ)"


def test_unsupported_standard_messages_are_known_but_marked() -> None:
    assert {"H", "x", "AF"} <= UNSUPPORTED_MSG_TYPES
    assert UNSUPPORTED_MSG_TYPES.issubset(MSG_TYPES)
    assert not UNSUPPORTED_MSG_TYPES & SPEC_MSG_TYPES.keys()
    assert msg_type_name("H") == "OrderStatusRequest"


@pytest.mark.parametrize(("tag", "name"), sorted(MASTER_TABLE.items()))
def test_master_table_tag_has_its_name(tag: int, name: str) -> None:
    assert field_name(tag) == name


@pytest.mark.parametrize("section", sorted(STANDARD_TAGS))
def test_standard_tags_of_each_section_are_defined(section: str) -> None:
    missing = [tag for tag in STANDARD_TAGS[section] if tag not in FIELDS]
    assert missing == []


def test_every_definition_is_consistent() -> None:
    for tag, definition in FIELDS.items():
        assert definition.tag == tag
        assert definition.type in FIX_TYPES, tag
        assert definition.name and definition.name[0].isupper(), tag
    for (msg_type, tag), definition in MESSAGE_FIELDS.items():
        assert msg_type in MSG_TYPES
        assert definition.tag == tag and definition.type in FIX_TYPES
        assert tag in FIELDS, "a per-message meaning needs a default meaning too"


def test_types_of_representative_fields() -> None:
    expected = {
        9: "LENGTH",
        34: "SEQNUM",
        52: "UTCTIMESTAMP",
        96: "DATA",
        95: "LENGTH",
        141: "BOOLEAN",
        44: "PRICE",
        38: "QTY",
        137: "AMT",
        1704: "AMT",
        54: "CHAR",
        453: "NUMINGROUP",
        715: "LOCALMKTDATE",
        108: "INT",
    }
    assert {tag: FIELDS[tag].type for tag in expected} == expected


def test_group_layouts_use_defined_tags_and_count_tags_are_numingroup() -> None:
    for count_tag, layout in GROUPS.items():
        assert FIELDS[count_tag].type == "NUMINGROUP"
        assert layout.delimiter in FIELDS
        assert all(tag in FIELDS for tag in layout.members)
    for (msg_type, count_tag), members in MESSAGE_GROUP_TABLE.items():
        assert msg_type in MSG_TYPES and FIELDS[count_tag].type == "NUMINGROUP"
        assert all(tag in FIELDS for tag in members)


@pytest.mark.parametrize(
    ("tag", "value", "name"),
    [
        (54, "1", "Buy YES"),
        (54, "2", "Sell YES (buy NO)"),
        (39, "0", "New"),
        (39, "2", "Filled"),
        (39, "C", "Expired"),
        (39, "E", "Pending replace"),
        (150, "F", "Trade"),
        (150, "A", "Pending new"),
        (59, "0", "Day"),
        (59, "4", "Fill or kill"),
        (59, "6", "Good till date"),
        (18, "6", "Post only"),
        (40, "2", "Limit"),
        (103, "6", "Duplicate order"),
        (103, "99", "Other"),
        (102, "18", "Invalid price increment"),
        (434, "2", "Order cancel/replace request"),
        (373, "10", "SendingTime accuracy problem"),
        (373, "3", "Undefined tag"),
        (380, "8", "Rate limit exceeded"),
        (380, "3", "Unsupported message type"),
        (297, "10", "Pending"),
        (297, "17", "Cancelled"),
        (298, "1", "Rejected"),
        (531, "6", "Cancel orders for a trading session"),
        (531, "0", "Cancel request rejected"),
        (530, "6", "Cancel orders for a trading session"),
        (658, "99", "Other"),
        (1705, "PAYOUT", "Payout"),
        (1705, "1", "Balance"),
        (2964, "1", "Taker at cross"),
        (2964, "2", "Maker"),
        (20131, "4", "Trigger"),
        (20131, "5", "Update"),
        (21004, "3", "BeginExecID too small (outside the window)"),
        (21013, "2", "Expired"),
        (21025, "0", "Accepted"),
        (303, "1", "Manual"),
        (452, "24", "Customer account"),
        (20110, "24", "Customer account"),
        (139, "4", "Exchange fees"),
        (891, "0", "Absolute"),
        (98, "0", "None"),
        (1137, "9", "FIX50SP2"),
        (269, "2", "Trade"),
        (326, "101", "Settled"),
        (372, "D", "NewOrderSingle"),
        (35, "UMS", "MarketSettlementReport"),
    ],
)
def test_enum_value_names(tag: int, value: str, name: str) -> None:
    assert value_name(tag, value) == name


def test_value_without_a_name_and_unknown_tag() -> None:
    assert value_name(39, "Z") is None
    assert value_name(55, "HIGHNY-23DEC31") is None
    assert value_name(333333, "test") is None
    assert field_name(333333) == "Tag333333"
    assert field_def(333333) is None


def test_renamed_collateral_fields_use_the_new_names() -> None:
    assert field_name(1703) == "NoCollateralAmountChanges"
    assert field_name(1704) == "CollateralAmountChange"
    assert field_name(1705) == "CollateralAmountType"


def test_21003_means_skip_pending_on_logon_and_resend_count_on_u2() -> None:
    assert field_name(21003, "A") == "SkipPendingExecReports"
    assert defined(21003, "A").type == "BOOLEAN"
    assert field_name(21003, "U2") == "ResendEventCount"
    assert defined(21003, "U2").type == "INT"
    assert field_name(21003) == "ResendEventCount"  # the tag's meaning since 1.0.17


def test_297_is_quote_status_on_ai_and_legacy_confirm_status_on_u8() -> None:
    assert field_name(297, "AI") == "QuoteStatus"
    assert value_name(297, "0", "AI") == "Accepted"
    assert value_name(297, "10", "AI") == "Pending"
    assert field_name(297, "U8") == "QuoteConfirmStatus"
    assert value_name(297, "1", "U8") == "Rejected"
    assert value_name(297, "10", "U8") is None  # PENDING is not a confirm status
    assert field_name(21010, "U8") == "QuoteConfirmStatus"
    assert value_name(21010, "0", "U8") == "Accepted"


def test_per_message_meaning_falls_back_to_the_default() -> None:
    assert field_name(55, "UMS") == "Symbol"
    assert value_name(54, "1", "D") == "Buy YES"
    assert value_name(54, "1", "AI") == "YES"
