"""Market-maker RFQ messages on KalshiRFQ (R, S, AI, Z, U9, U7, U8, AG), SPEC §13.2."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import (
    alloc_accounts,
    formats,
    ids,
    parties,
    prices,
    quantities,
    texts,
)
from tests.fix.messages.wire import WireMessage, encode, example, fields_of, roundtrip
from workstation.fix.messages import (
    LegSide,
    MessageError,
    MveLeg,
    Party,
    PriceFormat,
    Quote,
    QuoteCancel,
    QuoteCancelStatus,
    QuoteCancelStatusReport,
    QuoteConfirm,
    QuoteConfirmStatus,
    QuoteConfirmStatusReport,
    QuoteRequest,
    QuoteRequestReject,
    QuoteRequestRejectReason,
    QuoteStatus,
    QuoteStatusReport,
    RejectKind,
    Side,
)


def test_1_0_13_flow_examples() -> None:
    request = QuoteRequest.from_message(
        example("8=FIXT.1.1|35=R|131=req-123|146=1|38=100|55=HIGHNY-23DEC31|453=1|448=anon-456|")
    )
    assert request == QuoteRequest(
        quote_req_id="req-123",
        symbol="HIGHNY-23DEC31",
        order_qty=Decimal(100),
        parties=(Party(party_id="anon-456"),),
    )
    quote = Quote.from_message(
        example("8=FIXT.1.1|35=S|117=quote-789|131=req-123|55=HIGHNY-23DEC31|132=75|133=25|")
    )
    assert (quote.bid_px, quote.offer_px) == (Decimal("0.75"), Decimal("0.25"))
    accepted = QuoteStatusReport.from_message(
        example("8=FIXT.1.1|35=AI|117=quote-789|131=req-123|297=0|54=1|38=100|")
    )
    assert accepted.status is QuoteStatus.ACCEPTED
    assert (accepted.accepted_side, accepted.order_qty) == (Side.BUY, Decimal(100))
    assert QuoteConfirm.from_message(example("8=FIXT.1.1|35=U7|117=quote-789|")) == QuoteConfirm(
        quote_id="quote-789"
    )


def test_later_examples() -> None:
    request = QuoteRequest.from_message(
        example("35=R|131=server-rfq-456|146=1|55=HIGHNY-23DEC31|38=100|453=1|448=anon-456|")
    )
    assert (request.symbol, request.order_qty) == ("HIGHNY-23DEC31", Decimal(100))
    pending = QuoteStatusReport.from_message(
        example("35=AI|117=quote-789|131=server-rfq-456|297=10|38=100|132=75|133=25|")
    )
    assert pending.status is QuoteStatus.PENDING
    assert (pending.bid_px, pending.offer_px) == (Decimal("0.75"), Decimal("0.25"))
    quote = Quote.from_message(
        example("35=S|117=quote-789|131=server-rfq-456|55=HIGHNY-23DEC31|132=75|133=25|")
    )
    assert (quote.quote_req_id, quote.bid_px) == ("server-rfq-456", Decimal("0.75"))
    accepted = QuoteStatusReport.from_message(
        example("35=AI|117=quote-789|131=server-rfq-456|297=0|54=1|38=100|")
    )
    assert (accepted.status, accepted.accepted_side) == (QuoteStatus.ACCEPTED, Side.BUY)
    confirm = QuoteConfirm.from_message(example("35=U7|117=quote-789|21023=server-rfq-456|"))
    assert confirm.rfq_id == "server-rfq-456"
    status = QuoteConfirmStatusReport.from_message(example("35=U8|117=quote-789|21010=0|"))
    assert status.status is QuoteConfirmStatus.ACCEPTED


def test_quote_confirm_status_reads_21010_then_the_legacy_297() -> None:
    legacy = QuoteConfirmStatusReport.from_message(example("35=U8|117=q|297=1|58=too late|"))
    assert (legacy.status, legacy.text) == (QuoteConfirmStatus.REJECTED, "too late")
    both = QuoteConfirmStatusReport.from_message(example("35=U8|117=q|21010=0|297=1|"))
    assert both.status is QuoteConfirmStatus.ACCEPTED
    report = QuoteConfirmStatusReport(quote_id="q", status=QuoteConfirmStatus.REJECTED, text="x")
    assert 297 in fields_of(encode(report, status_tag=297))
    assert 21010 in fields_of(encode(report))
    assert roundtrip(report, status_tag=297) == report
    with pytest.raises(ValueError):
        report.to_body(status_tag=298)
    with pytest.raises(MessageError) as info:
        QuoteConfirmStatusReport.from_message(example("35=U8|117=q|"))
    assert (info.value.tag, info.value.reason) == (297, 1)


def test_rejected_status_has_an_empty_quote_id() -> None:
    report = QuoteStatusReport.from_message(
        example("35=AI|117=|131=rfq|297=5|58=bid plus offer above 100|")
    )
    assert (report.quote_id, report.status, report.text) == (
        None,
        QuoteStatus.REJECTED,
        "bid plus offer above 100",
    )
    assert 117 not in fields_of(encode(report))
    with pytest.raises(MessageError) as info:
        QuoteStatusReport.from_message(example("35=AI|131=rfq|297=10|"))
    assert (info.value.tag, info.value.reason) == (117, 1)


def test_quote_sides_may_be_zero_or_absent() -> None:
    quote = Quote.from_message(example("35=S|117=q|131=r|55=S|132=0|133=40|"))
    assert (quote.bid_px, quote.offer_px) == (None, Decimal("0.40"))
    assert fields_of(encode(quote))[132] == "0"
    later = Quote.from_message(example("35=S|117=q|131=r|55=S|133=0.4000|"), PriceFormat.DOLLARS)
    assert (later.bid_px, later.offer_px) == (None, Decimal("0.4"))
    post_only = Quote.from_message(example("35=S|117=q|131=r|55=S|132=1|21015=Y|18=6|79=2|"))
    assert (post_only.post_only, post_only.rest_remainder, post_only.alloc_account) == (
        True,
        True,
        2,
    )


@pytest.mark.parametrize(
    ("text", "tag", "reason"),
    [
        ("35=S|131=r|55=S|132=75|133=25|", 117, 1),
        ("35=S|117=q|55=S|132=75|133=25|", 131, 1),
        ("35=S|117=q|131=r|132=75|133=25|", 55, 1),
        ("35=S|117=q|131=r|55=S|132=100|133=25|", 132, 5),
        ("35=S|117=q|131=r|55=S|132=75|133=-1|", 133, 5),
        ("35=S|117=q|131=r|55=S|132=abc|133=25|", 132, 6),
        ("35=S|117=q|131=r|55=S|132=75|18=E|", 18, 5),
        ("35=S|117=q|131=r|55=S|132=75|38=0|", 38, 5),
    ],
)
def test_quote_errors(text: str, tag: int, reason: int) -> None:
    with pytest.raises(MessageError) as info:
        Quote.from_message(example(text))
    assert (info.value.tag, info.value.reason) == (tag, reason)


@pytest.mark.parametrize(
    ("text", "tag", "reason", "kind"),
    [
        ("35=R|146=1|55=S|38=1|", 131, 1, RejectKind.SESSION),
        ("35=R|131=r|55=S|38=1|", 146, 1, RejectKind.SESSION),
        ("35=R|131=r|146=2|55=S|38=1|", 146, 5, RejectKind.SESSION),
        ("35=R|131=r|146=1|55=S|", 38, 5, RejectKind.BUSINESS),
        ("35=R|131=r|146=1|38=1|", 55, 1, RejectKind.SESSION),
        ("35=R|131=r|146=1|55=S|38=0|", 38, 5, RejectKind.SESSION),
    ],
)
def test_quote_request_errors(text: str, tag: int, reason: int, kind: RejectKind) -> None:
    with pytest.raises(MessageError) as info:
        QuoteRequest.from_message(example(text))
    assert (info.value.tag, info.value.reason, info.value.kind) == (tag, reason, kind)


def test_quote_request_with_combo_legs_and_cash() -> None:
    request = QuoteRequest.from_message(
        example(
            "35=R|131=r|146=1|152=25.50|20180=PARLAY|20181=2|20182=E1|20183=M1|20184=yes|"
            "20182=E2|20183=M2|20184=NO|"
        )
    )
    assert request.symbol is None and request.cash_order_qty == Decimal("25.50")
    assert request.mve_legs == (
        MveLeg(event_ticker="E1", market_ticker="M1", side=LegSide.YES),
        MveLeg(event_ticker="E2", market_ticker="M2", side=LegSide.NO),
    )


def test_cancel_statuses_and_request_reject() -> None:
    assert QuoteCancel.from_message(example("35=Z|117=q|21023=r|")) == QuoteCancel(
        quote_id="q", rfq_id="r"
    )
    cancelled = QuoteCancelStatusReport.from_message(example("35=U9|117=q|298=1|58=unknown quote|"))
    assert (cancelled.status, cancelled.text) == (QuoteCancelStatus.REJECTED, "unknown quote")
    reject = QuoteRequestReject.from_message(
        example(
            "35=AG|131=r|658=99|58=RFQ cancelled|20187=duplicated_legs|20185=2|20186=M1|20186=M2|"
        )
    )
    assert reject.reason is QuoteRequestRejectReason.OTHER
    assert reject.offending_tickers == ("M1", "M2")
    with pytest.raises(MessageError) as info:
        QuoteRequestReject.from_message(example("35=AG|131=r|658=99|"))
    assert (info.value.tag, info.value.reason) == (58, 1)
    with pytest.raises(MessageError) as info:
        QuoteRequestReject.from_message(example("35=AG|131=r|658=12|58=x|"))
    assert (info.value.tag, info.value.reason) == (658, 5)


quote_sides = st.none() | st.integers(1, 99).map(lambda c: Decimal(c).scaleb(-2))
legs = st.lists(
    st.builds(MveLeg, event_ticker=ids, market_ticker=ids, side=st.sampled_from(list(LegSide))),
    max_size=3,
).map(tuple)


@settings(max_examples=100, deadline=None)
@given(st.data(), formats)
def test_round_trips(data: st.DataObject, fmt: PriceFormat) -> None:
    draw = data.draw
    side_price = st.none() | prices(fmt)
    messages: list[WireMessage] = [
        QuoteRequest(
            quote_req_id=draw(ids),
            symbol=draw(ids),
            order_qty=draw(st.none() | quantities),
            cash_order_qty=draw(quantities),
            parties=draw(parties),
            mve_collection_ticker=draw(st.none() | ids),
            mve_legs=draw(legs),
        ),
        Quote(
            quote_id=draw(ids),
            quote_req_id=draw(ids),
            symbol=draw(ids),
            bid_px=draw(side_price),
            offer_px=draw(side_price),
            alloc_account=draw(st.none() | alloc_accounts),
            rest_remainder=draw(st.booleans()),
            post_only=draw(st.booleans()),
            order_qty=draw(st.none() | quantities),
            bid_size=draw(st.none() | quantities),
            offer_size=draw(st.none() | quantities),
        ),
        QuoteStatusReport(
            quote_req_id=draw(ids),
            status=draw(st.sampled_from(list(QuoteStatus))),
            quote_id=draw(ids),
            alloc_account=draw(st.none() | alloc_accounts),
            order_qty=draw(st.none() | quantities),
            bid_px=draw(side_price),
            offer_px=draw(side_price),
            bid_size=draw(st.none() | quantities),
            offer_size=draw(st.none() | quantities),
            accepted_side=draw(st.none() | st.sampled_from(list(Side))),
            text=draw(st.none() | texts),
        ),
        QuoteCancel(quote_id=draw(ids), rfq_id=draw(st.none() | ids)),
        QuoteCancelStatusReport(
            quote_id=draw(ids),
            status=draw(st.sampled_from(list(QuoteCancelStatus))),
            text=draw(st.none() | texts),
        ),
        QuoteConfirm(quote_id=draw(ids), rfq_id=draw(st.none() | ids)),
        QuoteConfirmStatusReport(
            quote_id=draw(ids),
            status=draw(st.sampled_from(list(QuoteConfirmStatus))),
            text=draw(st.none() | texts),
        ),
        QuoteRequestReject(
            quote_req_id=draw(ids),
            reason=draw(st.sampled_from(list(QuoteRequestRejectReason))),
            text=draw(texts),
            mve_reason_code=draw(st.none() | st.sampled_from(["duplicated_legs"])),
            offending_tickers=tuple(draw(st.lists(ids, max_size=3))),
        ),
    ]
    for message in messages:
        assert roundtrip(message, fmt) == message
