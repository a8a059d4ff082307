"""Describing messages for people: names per message type, group depth, secrets redacted.

The messages are the SPEC's examples (§6.1, §7.6, §12.4, §13, §14.1, §15, §18), encoded with
the real codec and parsed back, so the describer sees exactly what the session will hand it.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.describe import (
    DescribedField,
    describe,
    describe_lines,
    format_field,
    redact,
)
from workstation.fix.message import FixMessage

HEADER = [(49, "your-api-key"), (56, "KalshiNR"), (34, "5"), (52, "20230809-12:34:56.789")]
SIGNATURE = "QhA8659Mhygcm+xE/wb1m" + "A" * 320 + "Zw=="


def message(msg_type: str, body: list[tuple[int, str]]) -> FixMessage:
    return parse_frame(encode_message(msg_type, HEADER, body))


def pipe(text: str) -> list[tuple[int, str]]:
    """Body fields from the SPEC's ``|``-separated notation."""
    out = []
    for part in text.strip("|").split("|"):
        tag, _, value = part.partition("=")
        out.append((int(tag), value))
    return out


def by_tag(described: list[DescribedField], tag: int) -> list[DescribedField]:
    return [df for df in described if df.tag == tag]


def one(described: list[DescribedField], tag: int) -> DescribedField:
    (found,) = by_tag(described, tag)
    return found


def lines(msg: FixMessage) -> list[str]:
    return [format_field(df) for df in describe(msg)]


def test_new_order_single_example_is_named_field_by_field() -> None:
    # SPEC §18, order entry.
    msg = message(
        "D",
        pipe(
            "11=550e8400-e29b-41d4-a716-446655440000|38=10|40=2|54=1|55=HIGHNY-23DEC31|44=75|59=1"
        ),
    )
    out = lines(msg)
    assert out[:3] == ["BeginString(8)=FIXT.1.1", out[1], "MsgType(35)=D (NewOrderSingle)"]
    assert out[1].startswith("BodyLength(9)=")
    assert "SenderCompID(49)=your-api-key" in out
    assert "SendingTime(52)=20230809-12:34:56.789" in out
    assert "OrdType(40)=2 (Limit)" in out
    assert "Side(54)=1 (Buy YES)" in out
    assert "Price(44)=75" in out
    assert "TimeInForce(59)=1 (Good till cancel)" in out
    assert out[-1].startswith("CheckSum(10)=")
    assert all(df.depth == 0 for df in describe(msg))


def test_sell_side_says_it_buys_no() -> None:
    msg = message("D", pipe("11=a|38=10|40=2|54=2|55=HIGHNY-23DEC31|44=75"))
    assert format_field(one(describe(msg), 54)) == "Side(54)=2 (Sell YES (buy NO))"


def test_unknown_tag_is_shown_by_number() -> None:
    # SPEC §7.6: the NewOrderSingle with an undefined tag, and the Reject it gets.
    sent = message("D", pipe("11=123|38=10|333333=test"))
    assert format_field(one(describe(sent), 333333)) == "Tag333333(333333)=test"
    reply = message("3", pipe("45=5|58=Undefined tag received|371=333333|372=D|373=3"))
    out = lines(reply)
    assert "MsgType(35)=3 (Reject)" in out
    assert "RefTagID(371)=333333" in out
    assert "RefMsgType(372)=D (NewOrderSingle)" in out
    assert "SessionRejectReason(373)=3 (Undefined tag)" in out
    assert "Text(58)=Undefined tag received" in out


def test_business_reject_example() -> None:
    msg = message("j", pipe("45=10|58=Kalshi exchange unavailable|372=D|380=4"))
    assert "BusinessRejectReason(380)=4 (Application not available)" in lines(msg)


def test_rejected_execution_report_example() -> None:
    msg = message("8", pipe("11=456|150=8|39=8|58=EXCHANGE_PAUSED|103=2"))
    out = lines(msg)
    assert "ExecType(150)=8 (Rejected)" in out
    assert "OrdStatus(39)=8 (Rejected)" in out
    assert "OrdRejReason(103)=2 (Exchange closed)" in out


def test_logon_signature_is_redacted_with_its_length() -> None:
    # SPEC §6.1 listener logon, with the signature and its length as the session sends them.
    body = pipe("98=0|108=30|1137=9|20126=Y|21011=Y")
    body += [(95, str(len(SIGNATURE))), (96, SIGNATURE)]
    msg = message("A", body)
    described = describe(msg)
    raw_data = one(described, 96)
    assert raw_data.name == "RawData"
    assert raw_data.value == f"<redacted {len(SIGNATURE)} bytes>"
    assert raw_data.value_name is None
    out = [format_field(df) for df in described]
    assert f"RawData(96)=<redacted {len(SIGNATURE)} bytes>" in out
    assert "ListenerSession(20126)=Y" in out
    assert "SkipPendingExecReports(21011)=Y" in out
    assert "DefaultApplVerID(1137)=9 (FIX50SP2)" in out
    assert "EncryptMethod(98)=0 (None)" in out
    assert all(SIGNATURE[:20] not in line for line in describe_lines(msg))


def test_password_is_redacted_too() -> None:
    msg = message("A", pipe("98=0|108=30|553=me|554=hunter2"))
    assert one(describe(msg), 554).value == "<redacted 7 bytes>"


def test_21003_is_named_for_the_message_it_is_in() -> None:
    # SPEC §6.1 (1.0.13 logon) and §14.1 (U2 after a drop-copy replay).
    logon = message("A", pipe("98=0|108=30|1137=9|141=Y|21003=Y"))
    assert format_field(one(describe(logon), 21003)) == "SkipPendingExecReports(21003)=Y"
    done = message("U2", pipe("45=3|21003=17"))
    assert format_field(one(describe(done), 21003)) == "ResendEventCount(21003)=17"
    assert "MsgType(35)=U2 (EventResendComplete)" in lines(done)


def test_drop_copy_request_and_reject() -> None:
    request = message("U1", pipe("21001=12345;67890|21002=12350;67895"))
    assert "BeginExecID(21001)=12345;67890" in lines(request)
    reject = message("U3", pipe("45=3|21004=3"))
    assert "EventResendRejectReason(21004)=3 (BeginExecID too small (outside the window))" in lines(
        reject
    )


def test_297_is_quote_status_on_ai_and_confirm_status_on_u8() -> None:
    # SPEC §13.2: pending and accepted QuoteStatusReports, and both forms of U8.
    pending = message("AI", pipe("117=quote-789|131=server-rfq-456|297=10|38=100|132=75|133=25"))
    assert format_field(one(describe(pending), 297)) == "QuoteStatus(297)=10 (Pending)"
    accepted = message("AI", pipe("117=quote-789|131=req-123|297=0|54=1|38=100"))
    out = lines(accepted)
    assert "QuoteStatus(297)=0 (Accepted)" in out
    assert "Side(54)=1 (YES)" in out
    legacy = message("U8", pipe("117=quote-789|297=1|58=too late"))
    assert format_field(one(describe(legacy), 297)) == "QuoteConfirmStatus(297)=1 (Rejected)"
    current = message("U8", pipe("117=quote-789|21010=0"))
    assert format_field(one(describe(current), 21010)) == "QuoteConfirmStatus(21010)=0 (Accepted)"


def depths(msg: FixMessage) -> list[tuple[int, int]]:
    return [(df.tag, df.depth) for df in describe(msg)[3:-1]]  # skip 8, 9, 35 and 10


def test_ums_nested_groups_of_two_parties() -> None:
    # SPEC §12.4 (2026 form), with a second party page entry to cross an entry boundary.
    party_a = "20109=user-456|20110=24|704=100|705=0|1703=1|1704=100.00|1705=PAYOUT|"
    fees_a = "136=1|137=0.00|138=USD|139=4|891=0|"
    party_b = "20109=user-789|20110=24|704=0|705=40|1703=1|1704=0.00|1705=PAYOUT|"
    fees_b = "136=1|137=0.006|138=USD|139=4|891=0|"
    msg = message(
        "UMS",
        pipe(
            "20105=settle-123|55=HIGHNY-23DEC31|715=20231231|20107=yes|730=100.00|20108=2|"
            + party_a
            + fees_a
            + party_b
            + fees_b
            + "893=Y"
        ),
    )
    body = [(tag, depth) for tag, depth in depths(msg) if tag not in (49, 56, 34, 52)]
    entry = [(20109, 1), (20110, 1), (704, 1), (705, 1), (1703, 1), (1704, 2), (1705, 2)]
    fees = [(136, 1), (137, 2), (138, 2), (139, 2), (891, 2)]
    assert body == [
        (20105, 0),
        (55, 0),
        (715, 0),
        (20107, 0),
        (730, 0),
        (20108, 0),
        *entry,
        *fees,
        *entry,
        *fees,
        (893, 0),
    ]
    out = describe_lines(msg)
    assert "    CollateralAmountChange(1704)=100.00" in out
    assert "    CollateralAmountType(1705)=PAYOUT (Payout)" in out
    assert "  MarketSettlementPartyRole(20110)=24 (Customer account)" in out
    assert "    MiscFeeType(139)=4 (Exchange fees)" in out
    assert "MarketResult(20107)=yes (YES)" in out
    assert "LastFragment(893)=Y" in out
    assert "MsgType(35)=UMS (MarketSettlementReport)" in out
    # The parser's view of the same groups agrees with the description.
    parties = msg.groups(20108)
    assert [p.get(20109) for p in parties] == ["user-456", "user-789"]
    assert parties[1].groups(136)[0].get(137) == "0.006"


def test_ums_1_0_13_example_names_the_numeric_collateral_type() -> None:
    msg = message(
        "UMS",
        pipe(
            "20105=settle-123|55=HIGHNY-23DEC31|715=20231231|20107=Yes|20108=1|20109=user-456|"
            "20110=24|704=100|705=0|1703=1|1704=10000|1705=1|136=1|137=0.00|138=USD|139=4|"
            "891=0|893=Y"
        ),
    )
    described = describe(msg)
    assert format_field(one(described, 1705)) == "CollateralAmountType(1705)=1 (Balance)"
    assert one(described, 1705).depth == 2
    assert one(described, 893).depth == 0
    assert format_field(one(described, 20107)) == "MarketResult(20107)=Yes (YES)"


def test_execution_report_groups_close_before_trailing_fields() -> None:
    msg = message(
        "8",
        pipe(
            "37=o1|11=c1|17=4;7|150=F|39=2|54=1|55=HIGHNY-23DEC31|38=10|14=10|151=0|6=75|31=75|"
            "32=10|704=10|705=0|136=1|137=0.07|138=USD|139=4|891=0|1703=1|1704=-7.50|"
            "1705=BALANCE|880=T1|1057=Y"
        ),
    )
    described = describe(msg)
    assert one(described, 137).depth == 1
    assert one(described, 136).depth == 0
    assert one(described, 1704).depth == 1
    assert one(described, 880).depth == 0
    assert format_field(one(described, 150)) == "ExecType(150)=F (Trade)"
    assert format_field(one(described, 1705)) == "CollateralAmountType(1705)=BALANCE (Balance)"


def test_rfq_1_0_13_layout_with_qty_before_symbol() -> None:
    # SPEC §13.2 [1.0.13] QuoteRequest: 38 opens the 146 entry, 453 nests inside it.
    msg = message("R", pipe("131=req-123|146=1|38=100|55=HIGHNY-23DEC31|453=1|448=anon-456"))
    assert [d for d in depths(msg) if d[0] not in (49, 56, 34, 52)] == [
        (131, 0),
        (146, 0),
        (38, 1),
        (55, 1),
        (453, 1),
        (448, 2),
    ]


def test_rfq_creator_mve_request_groups() -> None:
    # SPEC §13.3, the fourth creator example.
    msg = message(
        "R",
        pipe(
            "131=client-req-457|146=1|38=100|21016=Y|453=1|448=subtrader-uuid|452=24|"
            "20180=PARLAY-COLLECTION|20181=2|20182=EVENT1|20183=MKT1|20184=yes|"
            "20182=EVENT2|20183=MKT2|20184=no"
        ),
    )
    body = [d for d in depths(msg) if d[0] not in (49, 56, 34, 52)]
    assert body == [
        (131, 0),
        (146, 0),
        (38, 1),
        (21016, 1),
        (453, 1),
        (448, 2),
        (452, 2),
        (20180, 0),
        (20181, 0),
        (20182, 1),
        (20183, 1),
        (20184, 1),
        (20182, 1),
        (20183, 1),
        (20184, 1),
    ]
    sides = [df.value_name for df in by_tag(describe(msg), 20184)]
    assert sides == ["YES", "NO"]


def test_group_with_more_entries_than_its_count_ends_at_the_count() -> None:
    msg = message("D", pipe("11=a|453=1|448=p1|452=24|448=p2"))
    assert [df.depth for df in by_tag(describe(msg), 448)] == [1, 0]


def test_empty_group_opens_nothing() -> None:
    msg = message("D", pipe("11=a|453=0|55=X"))
    assert one(describe(msg), 55).depth == 0


def test_market_data_entries_by_message_type() -> None:
    # SPEC §15 examples: W entries open with 269, X entries with 279.
    snapshot = message(
        "W",
        pipe(
            "55=KXNBAGAME-26MAY25NYKCLE-NYK|268=2|269=0|270=0.3500|271=10.00|272=20260817|"
            "273=16:00:00.123|269=1|270=0.6500|271=5.00|272=20260817|273=16:00:00.123"
        ),
    )
    entries = [df for df in describe(snapshot) if df.tag in (269, 270, 271, 272, 273)]
    assert {df.depth for df in entries} == {1}
    assert [df.value_name for df in by_tag(describe(snapshot), 269)] == ["Bid", "Offer"]
    update = message(
        "X",
        pipe(
            "268=1|279=0|55=KXNBAGAME-26MAY25NYKCLE-NYK|269=2|270=0.6500|271=3.00|"
            "272=20260817|273=16:00:00.789|2446=1"
        ),
    )
    described = describe(update)
    assert one(described, 55).depth == 1
    assert format_field(one(described, 279)) == "MDUpdateAction(279)=0 (New)"
    assert format_field(one(described, 2446)) == "AggressorSide(2446)=1 (Buy)"
    status = message("f", pipe("55=KXNBAGAME-26MAY25NYKCLE-NYK|326=2"))
    assert "SecurityTradingStatus(326)=2 (Trading halt)" in lines(status)


def test_order_group_examples() -> None:
    # SPEC §11.4: create and trigger.
    create = message("UOG", pipe("20131=1|20132=5000"))
    out = lines(create)
    assert "MsgType(35)=UOG (OrderGroupRequest)" in out
    assert "OrderGroupAction(20131)=1 (Create)" in out
    assert "OrderGroupContractsLimit(20132)=5000" in out
    trigger = message("UOG", pipe("20131=4|20130=770e8400-e29b-41d4-a716-446655440002"))
    assert "OrderGroupAction(20131)=4 (Trigger)" in lines(trigger)


def test_format_field_without_a_value_name() -> None:
    df = DescribedField(tag=55, name="Symbol", value="HIGHNY-23DEC31", value_name=None, depth=1)
    assert format_field(df) == "Symbol(55)=HIGHNY-23DEC31"
    named = DescribedField(tag=39, name="OrdStatus", value="2", value_name="Filled", depth=0)
    assert format_field(named) == "OrdStatus(39)=2 (Filled)"


_GROUP_HEAVY_TAGS = [
    453,
    448,
    452,
    20108,
    20109,
    1703,
    1704,
    136,
    137,
    146,
    55,
    38,
    268,
    269,
    279,
    96,
    554,
    35,
    21003,
    297,
    54,
    333333,
]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["UMS", "R", "W", "X", "8", "A", "U8", "ZZ"]),
    st.lists(st.tuples(st.sampled_from(_GROUP_HEAVY_TAGS), st.text(max_size=4)), max_size=30),
)
def test_describe_never_raises(msg_type: str, fields: list[tuple[int, str]]) -> None:
    msg = FixMessage([(35, msg_type), *fields])
    described = describe(msg)
    assert [df.tag for df in described] == [tag for tag, _ in msg.fields]
    assert all(df.depth >= 0 for df in described)
    assert all(df.value.startswith("<redacted") for df in described if df.tag in (96, 554))


# --- redact() on raw frames -------------------------------------------------------------


def signed_logon(signature: str) -> bytes:
    body = [*pipe("98=0|108=30|1137=9|141=Y"), (95, str(len(signature))), (96, signature)]
    return encode_message("A", HEADER, body)


def test_redact_masks_the_signature_and_keeps_every_length() -> None:
    frame = signed_logon(SIGNATURE)
    masked = redact(frame)
    assert len(masked) == len(frame)
    assert SIGNATURE.encode() not in masked
    assert b"96=" + b"*" * len(SIGNATURE) + b"\x0110=" in masked
    assert masked.replace(b"*" * len(SIGNATURE), SIGNATURE.encode()) == frame


def test_redact_masks_a_data_value_containing_soh_whole() -> None:
    secret = "ab\x01cd=ef"
    frame = signed_logon(secret)
    assert parse_frame(frame).get(96) == secret  # the codec honours RawDataLength
    masked = redact(frame)
    assert b"ab" not in masked.split(b"96=")[1]
    assert b"96=********\x0110=" in masked


def test_redact_without_length_masks_to_the_next_soh() -> None:
    frame = encode_message("A", HEADER, pipe("98=0|108=30|96=c2lnbmF0dXJl|1137=9"))
    masked = redact(frame)
    assert b"96=************\x011137=9\x01" in masked
    assert b"c2lnbmF0dXJl" not in masked


def test_redact_leaves_other_frames_untouched_and_handles_several() -> None:
    order = encode_message("D", HEADER, pipe("11=a|38=10|40=2|54=1|55=X|44=75|1960=96=x"))
    assert redact(order) == order
    stream = order + signed_logon(SIGNATURE) + order
    masked = redact(stream)
    assert masked.startswith(order) and masked.endswith(order)
    assert SIGNATURE.encode() not in masked


def test_redact_masks_password() -> None:
    frame = encode_message("A", HEADER, pipe("98=0|553=me|554=hunter2|108=30"))
    assert b"554=*******\x01108=30" in redact(frame)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200), st.binary(max_size=40))
def test_redact_never_raises_and_never_leaks_a_signature(noise: bytes, tail: bytes) -> None:
    frame = signed_logon(SIGNATURE)
    for data in (noise, noise + frame + tail, frame[: len(noise) % len(frame)] + noise):
        masked = redact(data)
        assert len(masked) == len(data)
    assert SIGNATURE.encode() not in redact(noise + b"\x01" + frame + tail)
