"""RFQs: ours as requester (b/S/UC/UB/AG) and others' as maker (R/AI/U8/U9/AG, confirm window)."""

from __future__ import annotations

import pytest

from tests.trading.reports import d
from workstation.fix.codec import parse_frame
from workstation.fix.message import FixMessage
from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import (
    AcceptQuoteStatus,
    BusinessRejectReason,
    QuoteCancelStatus,
    QuoteConfirmStatus,
    QuoteRequestRejectReason,
    QuoteStatus,
    RfqCancelStatus,
    Side,
)
from workstation.fix.messages.parties import Party
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.messages.rfq_creator import (
    AcceptQuoteStatusReport,
    CreatorQuoteRequest,
    QuoteNotification,
    QuoteRequestAck,
    RfqCancelStatusReport,
)
from workstation.fix.messages.rfq_maker import (
    QuoteCancelStatusReport,
    QuoteConfirmStatusReport,
    QuoteRequest,
    QuoteRequestReject,
    QuoteStatusReport,
)
from workstation.trading.changes import Change, MakerRfqChanged, ReportUnmatched, RfqChanged
from workstation.trading.rfq import Rfq, Rfqs, RfqStatus
from workstation.trading.rfq_maker import MakerRfq, MakerRfqs, MakerStatus, quote_problem


def wire(text: str) -> FixMessage:
    return parse_frame(("8=FIXT.1.1|9=99|" + text + "10=000|").replace("|", "\x01").encode())


def rfq_of(changes: list[Change]) -> Rfq:
    (change,) = changes
    assert isinstance(change, RfqChanged)
    return change.rfq


def maker_of(changes: list[Change]) -> MakerRfq:
    (change,) = changes
    assert isinstance(change, MakerRfqChanged)
    return change.rfq


def open_rfq() -> Rfqs:
    rfqs = Rfqs()
    request = CreatorQuoteRequest(
        quote_req_id="client-req-123", symbol="HIGHNY-23DEC31", order_qty=d(100)
    )
    assert rfq_of(rfqs.requested(request, now=1.0)).status is RfqStatus.SENT
    ack = QuoteRequestAck(quote_req_id="client-req-123", rfq_id="server-rfq-456", ex_destination=0)
    rfq = rfq_of(rfqs.apply_ack(ack, now=2.0))
    assert (rfq.status, rfq.rfq_id) == (RfqStatus.OPEN, "server-rfq-456")
    quote = QuoteNotification.from_message(
        wire(
            "35=S|117=quote-789|131=server-rfq-456|55=HIGHNY-23DEC31|132=0.4500|133=0.5000|38=100|"
            "453=1|448=quoter-public-id|452=35|"
        )
    )
    rfqs.apply_quote(quote, now=3.0)
    return rfqs


def test_quotes_arrive_with_implied_prices_and_replace_per_quoter() -> None:
    rfqs = open_rfq()
    rfq = rfqs.get("client-req-123")
    assert rfq is not None and rfqs.by_rfq_id("server-rfq-456") is rfq
    (quote,) = rfq.quotes
    assert (quote.yes_bid, quote.no_bid, quote.quoter) == (d("0.45"), d("0.50"), "quoter-public-id")
    assert (quote.buy_yes_price, quote.sell_yes_price, quote.buy_no_price) == (
        d("0.50"),
        d("0.45"),
        d("0.55"),
    )

    again = QuoteNotification(
        quote_id="quote-790",
        quote_req_id="server-rfq-456",
        symbol="HIGHNY-23DEC31",
        bid_px=d("0.46"),
        offer_px=None,
        parties=quote_parties("quoter-public-id"),
    )
    other = QuoteNotification(
        quote_id="quote-800",
        quote_req_id="server-rfq-456",
        symbol="HIGHNY-23DEC31",
        bid_px=None,
        offer_px=d("0.52"),
        parties=quote_parties("someone-else"),
    )
    rfqs.apply_quote(again, now=4.0)
    rfq = rfq_of(rfqs.apply_quote(other, now=5.0))
    assert [q.quote_id for q in rfq.quotes] == ["quote-790", "quote-800"]
    assert rfq.quotes[0].buy_yes_price is None  # no NO bid to take


def quote_parties(party_id: str) -> tuple[Party, ...]:
    return (Party(party_id=party_id, role=35),)


def test_accept_then_accepted() -> None:
    rfqs = open_rfq()
    with pytest.raises(LookupError):
        rfqs.accept_request("nope", Side.BUY)
    accept = rfqs.accept_request("quote-789", Side.BUY, cl_ord_id="client-accept-123")
    assert (accept.rfq_id, accept.side, accept.cl_ord_id) == (
        "server-rfq-456",
        Side.BUY,
        "client-accept-123",
    )
    assert rfq_of(rfqs.accept_sent(accept, now=4.0)).status is RfqStatus.ACCEPTING
    report = AcceptQuoteStatusReport(
        quote_id="quote-789", status=AcceptQuoteStatus.ACCEPTED, accepted_quote_id="quote-better"
    )
    rfq = rfq_of(rfqs.apply_accept_status(report, now=5.0))
    assert (rfq.status, rfq.accepted_quote_id, rfq.accept_side) == (
        RfqStatus.ACCEPTED,
        "quote-better",
        Side.BUY,
    )


def test_accept_refused_returns_to_open_with_the_reason() -> None:
    rfqs = open_rfq()
    rfqs.accept_sent(rfqs.accept_request("quote-789", Side.SELL), now=4.0)
    report = AcceptQuoteStatusReport(
        quote_id="quote-789", status=AcceptQuoteStatus.REJECTED, text="EXPIRED"
    )
    rfq = rfq_of(rfqs.apply_accept_status(report, now=5.0))
    assert (rfq.status, rfq.text) == (RfqStatus.OPEN, "accept refused: EXPIRED")
    rfqs.apply_quote(
        QuoteNotification(
            quote_id="q2", quote_req_id="server-rfq-456", symbol="X", offer_px=d("0.3")
        ),
        now=6.0,
    )
    with pytest.raises(ValueError, match="no YES bid"):
        rfqs.accept_request("q2", Side.SELL)


def test_cancel_refused_then_cancelled_and_expired_and_rejected() -> None:
    rfqs = open_rfq()
    cancel = rfqs.cancel_request("client-req-123")
    assert (cancel.rfq_id, cancel.quote_req_id) == ("server-rfq-456", None)
    assert rfq_of(rfqs.cancel_sent(cancel, now=4.0)).status is RfqStatus.CANCELLING
    refused = RfqCancelStatusReport(
        status=RfqCancelStatus.REJECTED, rfq_id="server-rfq-456", text="busy"
    )
    assert rfq_of(rfqs.apply_cancel_status(refused, now=5.0)).status is RfqStatus.OPEN
    rfqs.cancel_sent(cancel, now=6.0)
    done = RfqCancelStatusReport(status=RfqCancelStatus.CANCELED, quote_req_id="client-req-123")
    rfq = rfq_of(rfqs.apply_cancel_status(done, now=7.0))
    assert (rfq.status, rfq.quotes) == (RfqStatus.CANCELLED, ())

    rfqs = open_rfq()
    expired = RfqCancelStatusReport(status=RfqCancelStatus.EXPIRED, rfq_id="server-rfq-456")
    assert rfq_of(rfqs.apply_cancel_status(expired, now=9.0)).status is RfqStatus.EXPIRED

    rfqs = Rfqs()
    rfqs.requested(CreatorQuoteRequest(quote_req_id="r1", symbol="X", order_qty=d(1)), now=1.0)
    ag = QuoteRequestReject(
        quote_req_id="r1", reason=QuoteRequestRejectReason.OTHER, text="RFQ already exists"
    )
    rfq = rfq_of(rfqs.apply_reject(ag, now=2.0))
    assert (rfq.status, rfq.text, rfq.status.is_closed) == (
        RfqStatus.REJECTED,
        "RFQ already exists",
        True,
    )
    unmatched = rfqs.apply_ack(QuoteRequestAck(quote_req_id="zzz"), now=3.0)
    assert isinstance(unmatched[0], ReportUnmatched)


# -- maker ------------------------------------------------------------------------------------


def incoming() -> MakerRfqs:
    makers = MakerRfqs()
    request = QuoteRequest.from_message(
        wire("35=R|131=req-123|146=1|38=100|55=HIGHNY-23DEC31|453=1|448=anon-456|")  # 1.0.13 layout
    )
    rfq = maker_of(makers.apply_request(request, now=100.0))
    assert (rfq.status, rfq.requester, rfq.order_qty) == (MakerStatus.OPEN, "anon-456", d(100))
    assert makers.apply_request(request, now=101.0) == []
    return makers


@pytest.mark.parametrize(
    ("yes", "no", "problem"),
    [
        (
            "0.60",
            "0.45",
            "YES bid + NO bid = $1.05 is over $1: the exchange would reject the quote",
        ),
        (None, None, "Quote at least one side (YES bid or NO bid)"),
        ("0", "0", "Quote at least one side (YES bid or NO bid)"),
        ("0.605", None, "YES bid 0.605 is not a price between 0 and $1 on the 1¢ grid"),
        ("0.75", "0.25", None),
        (None, "0.99", None),
    ],
)
def test_quote_problems_checked_before_sending(
    yes: str | None, no: str | None, problem: str | None
) -> None:
    yes_bid = None if yes is None else d(yes)
    no_bid = None if no is None else d(no)
    assert quote_problem(yes_bid, no_bid) == problem
    makers = incoming()
    if problem:
        with pytest.raises(ValueError) as refused:
            makers.build_quote("req-123", yes_bid=yes_bid, no_bid=no_bid)
        assert str(refused.value) == problem
    else:
        quote = makers.build_quote("req-123", yes_bid=yes_bid, no_bid=no_bid, quote_id="quote-789")
        assert (quote.symbol, quote.bid_px, quote.offer_px) == ("HIGHNY-23DEC31", yes_bid, no_bid)


def quoted(makers: MakerRfqs) -> None:
    quote = makers.build_quote("req-123", yes_bid=d("0.75"), no_bid=d("0.25"), quote_id="quote-789")
    assert maker_of(makers.quote_sent(quote, now=101.0)).status is MakerStatus.QUOTE_SENT
    pending = QuoteStatusReport.from_message(
        wire("35=AI|117=quote-789|131=req-123|297=10|38=100|132=75|133=25|"), PriceFormat.CENTS
    )
    assert maker_of(makers.apply_status(pending, now=102.0)).status is MakerStatus.QUOTED


def test_accepted_confirmed_within_the_window() -> None:
    makers = incoming()
    quoted(makers)
    accepted = QuoteStatusReport(
        quote_req_id="req-123",
        quote_id="quote-789",
        status=QuoteStatus.ACCEPTED,
        accepted_side=Side.BUY,
        order_qty=d(100),
    )
    rfq = maker_of(makers.apply_status(accepted, now=110.0))
    assert (rfq.status, rfq.confirm_deadline) == (MakerStatus.ACCEPTED, 140.0)
    assert rfq.seconds_to_confirm(125.0) == 15.0 and rfq.seconds_to_confirm(150.0) == 0.0
    assert rfq.trade_words == "we buy 100 YES at 75¢"
    confirm = makers.confirm_request("req-123")
    assert (confirm.quote_id, confirm.rfq_id) == ("quote-789", "req-123")
    assert maker_of(makers.confirm_sent(confirm, now=111.0)).status is MakerStatus.CONFIRMING
    u8 = QuoteConfirmStatusReport.from_message(wire("35=U8|117=quote-789|297=0|"))  # legacy tag 297
    rfq = maker_of(makers.apply_confirm_status(u8, now=112.0))
    assert rfq.status is MakerStatus.CONFIRMED and rfq.seconds_to_confirm(112.0) is None
    assert makers.expire(200.0) == []


def test_missed_confirm_voids_the_quote_and_late_confirm_refused() -> None:
    makers = incoming()
    quoted(makers)
    accepted = QuoteStatusReport(
        quote_req_id="req-123",
        quote_id="quote-789",
        status=QuoteStatus.ACCEPTED,
        accepted_side=Side.SELL,
    )
    rfq = maker_of(makers.apply_status(accepted, now=110.0, confirm_window=3.0))  # high volatility
    assert rfq.trade_words == "we buy 100 NO at 25¢"
    assert makers.expire(112.9) == []
    (change,) = makers.expire(113.0)
    assert isinstance(change, MakerRfqChanged)
    assert (change.rfq.status, change.rfq.text) == (MakerStatus.VOIDED, "not confirmed in time")
    with pytest.raises(ValueError, match="no accepted quote"):
        makers.confirm_request("req-123")
    refused = QuoteConfirmStatusReport(
        quote_id="quote-789", status=QuoteConfirmStatus.REJECTED, text="late"
    )
    assert maker_of(makers.apply_confirm_status(refused, now=114.0)).text == "confirm refused: late"


def test_rejected_quote_found_by_request_and_cancel_paths() -> None:
    makers = incoming()
    quote = makers.build_quote("req-123", yes_bid=d("0.70"), no_bid=None, quote_id="q1")
    makers.quote_sent(quote, now=101.0)
    rejected = QuoteStatusReport.from_message(
        wire("35=AI|117=|131=req-123|297=5|58=Quote too wide|")
    )
    rfq = maker_of(makers.apply_status(rejected, now=102.0))
    assert (rfq.status, rfq.text) == (MakerStatus.QUOTE_REJECTED, "Quote too wide")

    makers = incoming()
    quoted(makers)
    cancel = makers.cancel_request("req-123")
    refused = QuoteCancelStatusReport(
        quote_id=cancel.quote_id, status=QuoteCancelStatus.REJECTED, text="accepted"
    )
    assert (
        maker_of(makers.apply_cancel_status(refused, now=103.0)).text == "cancel refused: accepted"
    )
    done = QuoteCancelStatusReport(quote_id=cancel.quote_id, status=QuoteCancelStatus.CANCELED)
    rfq = maker_of(makers.apply_cancel_status(done, now=104.0))
    assert rfq.status is MakerStatus.OPEN and rfq.quote is not None and rfq.quote.cancelled
    ag = QuoteRequestReject(
        quote_req_id="req-123", reason=QuoteRequestRejectReason.OTHER, text="RFQ cancelled"
    )
    assert maker_of(makers.apply_reject(ag, now=105.0)).status is MakerStatus.CLOSED
    stray = QuoteStatusReport(quote_req_id="x", quote_id="y", status=QuoteStatus.PENDING)
    assert isinstance(makers.apply_status(stray, now=106.0)[0], ReportUnmatched)


def test_business_rejects_for_rfq_requests() -> None:
    rfqs = open_rfq()
    rfqs.accept_sent(rfqs.accept_request("quote-789", Side.BUY), now=4.0)
    refused = BusinessMessageReject(
        reason=BusinessRejectReason.RATE_LIMIT_EXCEEDED, ref_msg_type="UA", ref_id="quote-789"
    )
    rfq = rfq_of(rfqs.apply_business_reject(refused, now=5.0))
    assert (rfq.status, rfq.text) == (RfqStatus.OPEN, "accept refused: rate limit exceeded")

    makers = incoming()
    makers.quote_sent(
        makers.build_quote("req-123", yes_bid=d("0.5"), no_bid=None, quote_id="q1"), now=101.0
    )
    listener = BusinessMessageReject(
        reason=BusinessRejectReason.NOT_AUTHORIZED, ref_msg_type="S", ref_id="q1", text="listener"
    )
    rfq_m = maker_of(makers.apply_business_reject(listener, now=102.0))
    assert (rfq_m.status, rfq_m.text) == (MakerStatus.QUOTE_REJECTED, "listener")
    stray = BusinessMessageReject(reason=BusinessRejectReason.OTHER, ref_id="nothing")
    assert isinstance(makers.apply_business_reject(stray, now=103.0)[0], ReportUnmatched)
