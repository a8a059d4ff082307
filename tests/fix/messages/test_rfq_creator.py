"""RFQ creator messages on KalshiRT (R out, b, S in, UA, UC, UE, UB), SPEC §13.3."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import alloc_accounts, formats, ids, parties, quantities, texts
from tests.fix.messages.wire import WireMessage, encode, example, fields_of, roundtrip
from workstation.fix.message import FixMessage
from workstation.fix.messages import (
    AcceptQuote,
    AcceptQuoteStatus,
    AcceptQuoteStatusReport,
    CreatorQuoteRequest,
    LegSide,
    MessageError,
    MveLeg,
    Party,
    PriceFormat,
    QuoteNotification,
    QuoteRequestAck,
    QuoteRequestType,
    RejectKind,
    RfqCancel,
    RfqCancelStatus,
    RfqCancelStatusReport,
    Side,
)

LEGS = (
    MveLeg(event_ticker="EVENT1", market_ticker="MKT1", side=LegSide.YES),
    MveLeg(event_ticker="EVENT2", market_ticker="MKT2", side=LegSide.NO),
)


def test_spec_request_examples() -> None:
    plain = CreatorQuoteRequest.from_message(
        example("8=FIXT.1.1|35=R|131=client-req-123|146=1|55=HIGHNY-23DEC31|38=100|")
    )
    assert plain == CreatorQuoteRequest(
        quote_req_id="client-req-123", symbol="HIGHNY-23DEC31", order_qty=Decimal(100)
    )
    combo = CreatorQuoteRequest.from_message(
        example(
            "8=FIXT.1.1|35=R|131=client-req-456|146=1|38=100|20180=PARLAY-COLLECTION|20181=2|"
            "20182=EVENT1|20183=MKT1|20184=yes|20182=EVENT2|20183=MKT2|20184=no|"
        )
    )
    assert (combo.symbol, combo.mve_collection_ticker, combo.mve_legs) == (
        None,
        "PARLAY-COLLECTION",
        LEGS,
    )
    replace = CreatorQuoteRequest.from_message(
        example("8=FIXT.1.1|35=R|131=client-req-124|146=1|55=HIGHNY-23DEC31|38=100|21016=Y|")
    )
    assert replace.replace_existing
    fcm = CreatorQuoteRequest.from_message(
        example(
            "8=FIXT.1.1|35=R|131=client-req-457|146=1|38=100|21016=Y|453=1|448=subtrader-uuid|"
            "452=24|20180=PARLAY-COLLECTION|20181=2|20182=EVENT1|20183=MKT1|20184=yes|"
            "20182=EVENT2|20183=MKT2|20184=no|"
        )
    )
    assert fcm.parties == (Party(party_id="subtrader-uuid", role=24),)
    assert fcm.mve_legs == LEGS and fcm.replace_existing


def test_request_flags_are_written_inside_the_related_symbol_entry() -> None:
    request = CreatorQuoteRequest(
        quote_req_id="c",
        symbol="S",
        order_qty=Decimal(5),
        rest_remainder=True,
        replace_existing=True,
        parties=(Party(party_id="sub", role=24),),
        alloc_account=3,
    )
    body = request.to_body()
    tags = [tag for tag, _ in body]
    assert tags[:9] == [131, 146, 55, 38, 21015, 21016, 453, 448, 452]
    parsed = FixMessage([(35, "R"), *body])
    group = parsed.groups(146)[0]  # the dictionary's layout sees them inside the entry
    assert group.get(21015) == "Y" and group.get(21016) == "Y"


def test_spec_ack_quote_accept_and_cancel_examples() -> None:
    ack = QuoteRequestAck.from_message(
        example("8=FIXT.1.1|35=b|131=client-req-123|303=1|21023=server-rfq-456|100=0|")
    )
    assert ack == QuoteRequestAck(
        quote_req_id="client-req-123",
        request_type=QuoteRequestType.MANUAL,
        rfq_id="server-rfq-456",
        ex_destination=0,
    )
    combo_ack = QuoteRequestAck.from_message(
        example(
            "8=FIXT.1.1|35=b|131=client-req-456|303=1|21023=server-rfq-789|55=PARLAY-MKT-ABC|100=1|"
        )
    )
    assert (combo_ack.symbol, combo_ack.ex_destination) == ("PARLAY-MKT-ABC", 1)
    old_ack = QuoteRequestAck.from_message(example("35=b|131=c|303=1|"))
    assert (old_ack.rfq_id, old_ack.ex_destination) == (None, None)

    text = (
        "8=FIXT.1.1|35=S|117=quote-789|131=server-rfq-456|55=HIGHNY-23DEC31|132=0.7500|"
        "133=0.2500|38=100|453=1|448=quoter-public-id|452=35|"
    )
    for session_format in PriceFormat:  # always dollars, whatever the session uses
        quote = QuoteNotification.from_message(example(text), session_format)
        assert (quote.bid_px, quote.offer_px, quote.order_qty) == (
            Decimal("0.75"),
            Decimal("0.25"),
            Decimal(100),
        )
        assert quote.parties == (Party(party_id="quoter-public-id", role=35),)
        assert fields_of(encode(quote, session_format))[132] == "0.7500"

    accept = AcceptQuote.from_message(
        example(
            "8=FIXT.1.1|35=UA|117=quote-789|21023=server-rfq-456|54=1|38=100|11=client-accept-123|"
        )
    )
    assert accept == AcceptQuote(
        quote_id="quote-789",
        side=Side.BUY,
        rfq_id="server-rfq-456",
        order_qty=Decimal(100),
        cl_ord_id="client-accept-123",
    )
    status = AcceptQuoteStatusReport.from_message(
        example("8=FIXT.1.1|35=UC|117=quote-789|21025=0|21024=quote-789|11=client-accept-123|")
    )
    assert (status.status, status.accepted_quote_id) == (AcceptQuoteStatus.ACCEPTED, "quote-789")
    cancel = RfqCancel.from_message(example("8=FIXT.1.1|35=UE|131=client-req-123|"))
    assert cancel == RfqCancel(quote_req_id="client-req-123")
    cancelled = RfqCancelStatusReport.from_message(
        example("8=FIXT.1.1|35=UB|131=client-req-123|21013=0|")
    )
    assert cancelled.status is RfqCancelStatus.CANCELED


def test_expired_rfq_needs_its_rfq_id_not_a_request_id() -> None:
    expired = RfqCancelStatusReport.from_message(example("35=UB|21013=2|21023=server-rfq|"))
    assert (expired.quote_req_id, expired.rfq_id) == (None, "server-rfq")
    with pytest.raises(MessageError) as info:
        RfqCancelStatusReport.from_message(example("35=UB|21013=2|131=c|"))
    assert (info.value.tag, info.value.reason, info.value.kind) == (21023, 5, RejectKind.BUSINESS)
    with pytest.raises(MessageError) as info:
        RfqCancelStatusReport.from_message(example("35=UB|21013=1|"))
    assert (info.value.tag, info.value.reason) == (131, 1)


@pytest.mark.parametrize(
    ("cls", "text", "tag", "reason"),
    [
        (CreatorQuoteRequest, "35=R|131=c|146=1|38=100|", 55, 5),
        (CreatorQuoteRequest, "35=R|131=c|146=1|55=S|", 38, 5),
        (CreatorQuoteRequest, "35=R|131=c|146=1|55=S|38=100|20180=P|", 20181, 5),
        (
            CreatorQuoteRequest,
            "35=R|131=c|146=1|38=1|20181=1|20182=E|20183=M|20184=maybe|",
            20184,
            5,
        ),
        (CreatorQuoteRequest, "35=R|131=c|146=1|55=S|38=1|79=99|", 79, 5),
        (CreatorQuoteRequest, "35=R|131=c|146=1|55=S|152=-5|", 152, 5),
        (QuoteRequestAck, "35=b|131=c|", 303, 1),
        (QuoteRequestAck, "35=b|131=c|303=3|", 303, 5),
        (QuoteNotification, "35=S|117=q|131=r|55=S|132=75|", 132, 5),
        (AcceptQuote, "35=UA|117=q|", 54, 1),
        (AcceptQuote, "35=UA|117=q|54=1|38=0|", 38, 5),
        (AcceptQuoteStatusReport, "35=UC|117=q|21025=7|", 21025, 5),
        (RfqCancel, "35=UE|", 131, 5),
        (RfqCancelStatusReport, "35=UB|131=c|21013=9|", 21013, 5),
    ],
)
def test_errors(cls: Any, text: str, tag: int, reason: int) -> None:
    with pytest.raises(MessageError) as info:
        cls.from_message(example(text))
    assert (info.value.tag, info.value.reason) == (tag, reason)


dollar_prices = st.none() | st.integers(1, 9999).map(lambda t: Decimal(t).scaleb(-4))
legs = st.lists(
    st.builds(MveLeg, event_ticker=ids, market_ticker=ids, side=st.sampled_from(list(LegSide))),
    min_size=1,
    max_size=3,
).map(tuple)


@settings(max_examples=100, deadline=None)
@given(st.data(), formats)
def test_round_trips(data: st.DataObject, fmt: PriceFormat) -> None:
    draw = data.draw
    combo = draw(st.booleans())
    messages: list[WireMessage] = [
        CreatorQuoteRequest(
            quote_req_id=draw(ids),
            symbol=None if combo else draw(ids),
            order_qty=draw(quantities),
            cash_order_qty=draw(st.none() | quantities),
            rest_remainder=draw(st.booleans()),
            replace_existing=draw(st.booleans()),
            parties=draw(parties),
            alloc_account=draw(st.none() | alloc_accounts),
            mve_collection_ticker=draw(ids) if combo else None,
            mve_legs=draw(legs) if combo else (),
        ),
        QuoteRequestAck(
            quote_req_id=draw(ids),
            request_type=draw(st.sampled_from(list(QuoteRequestType))),
            rfq_id=draw(st.none() | ids),
            symbol=draw(st.none() | ids),
            ex_destination=draw(st.none() | st.integers(0, 4)),
            text=draw(st.none() | texts),
        ),
        QuoteNotification(
            quote_id=draw(ids),
            quote_req_id=draw(ids),
            symbol=draw(ids),
            bid_px=draw(dollar_prices),
            offer_px=draw(dollar_prices),
            order_qty=draw(st.none() | quantities),
            bid_size=draw(st.none() | quantities),
            offer_size=draw(st.none() | quantities),
            parties=draw(parties),
        ),
        AcceptQuote(
            quote_id=draw(ids),
            side=draw(st.sampled_from(list(Side))),
            rfq_id=draw(st.none() | ids),
            order_qty=draw(st.none() | quantities),
            cl_ord_id=draw(st.none() | ids),
            parties=draw(parties),
            prefer_better_quote=draw(st.booleans()),
        ),
        AcceptQuoteStatusReport(
            quote_id=draw(ids),
            status=draw(st.sampled_from(list(AcceptQuoteStatus))),
            accepted_quote_id=draw(st.none() | ids),
            cl_ord_id=draw(st.none() | ids),
            text=draw(st.none() | texts),
        ),
        RfqCancel(quote_req_id=draw(ids), rfq_id=draw(st.none() | ids), parties=draw(parties)),
        RfqCancelStatusReport(
            status=draw(st.sampled_from([RfqCancelStatus.CANCELED, RfqCancelStatus.REJECTED])),
            quote_req_id=draw(ids),
            rfq_id=draw(st.none() | ids),
            text=draw(st.none() | texts),
        ),
    ]
    for message in messages:
        assert roundtrip(message, fmt) == message
