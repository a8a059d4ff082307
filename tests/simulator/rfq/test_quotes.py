"""Makers' quotes: PENDING and the creator's notification, the price rules (sum over $1, both
sides zero, grid), replacing a quote, and QuoteCancel (SPEC §13.2, §13.3)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.simulator.rfq.helpers import (
    NOW,
    SUB,
    T2,
    D,
    Markets,
    T,
    accept,
    kinds,
    make_desk,
    only,
    open_rfq,
    quote,
)
from workstation.simulator.rfq import (
    AcceptRefused,
    QuoteCancelled,
    QuoteCancelReason,
    QuoteCancelRefused,
    QuoteOffered,
    QuotePending,
    QuoteRejected,
    QuoteState,
)


def test_quote_goes_pending_and_the_creator_is_offered_it() -> None:
    desk = make_desk("mm1")
    rfq_id = open_rfq(desk, client_rfq_id="c1")
    results = desk.submit_quote(
        maker="mm1",
        quote_id="quote-789",
        rfq_id=rfq_id,
        ticker=T,
        yes_bid=D("0.75"),
        no_bid=D("0.25"),
        now=NOW + 1,
    )
    assert kinds(results) == ["QuotePending", "QuoteOffered"]
    pending = only(results, QuotePending)
    assert (pending.maker, pending.quote_id, pending.rfq_id) == ("mm1", "quote-789", rfq_id)
    assert (pending.yes_bid, pending.no_bid, pending.quantity) == (D("0.75"), D("0.25"), D(100))
    assert (pending.yes_size, pending.no_size) == (D(100), D(100))
    offered = only(results, QuoteOffered)
    assert offered.creator == "alice"
    assert (offered.rfq_id, offered.client_rfq_id, offered.quote_id) == (rfq_id, "c1", "quote-789")
    assert (offered.yes_bid, offered.no_bid) == (D("0.75"), D("0.25"))
    # The creator sees the maker only by a pseudonym.
    assert offered.quoter != "mm1"
    assert "mm1" not in [getattr(offered, f.name) for f in dataclasses.fields(offered)]
    view = desk.quote("quote-789")
    assert view is not None and view.state is QuoteState.PENDING


def test_quoter_pseudonym_is_stable_across_rfqs() -> None:
    desk = make_desk()
    a = open_rfq(desk)
    b = open_rfq(desk, creator="bob")
    first = only(quote(desk, a, quote_id="q1"), QuoteOffered)
    second = only(quote(desk, b, quote_id="q2"), QuoteOffered)
    third = only(quote(desk, b, maker="mm2", quote_id="q3"), QuoteOffered)
    assert first.quoter == second.quoter != third.quoter


@pytest.mark.parametrize(
    ("yes", "no", "text"),
    [
        ("0.60", "0.45", "exceeds $1"),
        ("0", "0", "both 0"),
        ("0.505", "0.40", "price grid"),
        ("1", "0", "between 0 and 1"),
        ("-0.01", "0.50", "between 0 and 1"),
    ],
)
def test_bad_prices_are_rejected_with_a_clear_text(yes: str, no: str, text: str) -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    results = desk.submit_quote(
        maker="mm1", quote_id="q1", rfq_id=rfq_id, yes_bid=D(yes), no_bid=D(no), now=NOW
    )
    assert kinds(results) == ["QuoteRejected"]
    rejected = only(results, QuoteRejected)
    assert text in rejected.text
    assert (rejected.maker, rejected.rfq_id) == ("mm1", rfq_id)
    assert desk.quote("q1") is None


def test_sum_of_exactly_one_dollar_and_one_sided_quotes_are_accepted() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, maker="mm1", quote_id="q1", yes="0.60", no="0.40")
    pending = only(
        quote(desk, rfq_id, maker="mm2", quote_id="q2", yes="0", no="0.30"), QuotePending
    )
    assert (pending.yes_size, pending.no_size) == (D(0), D(100))
    quote(desk, rfq_id, maker="mm3", quote_id="q3", yes="0.30", no="0")


def test_subpenny_prices_only_where_the_market_allows() -> None:
    desk = make_desk()
    penny = open_rfq(desk)
    sub = open_rfq(desk, ticker=SUB)
    quote(desk, sub, quote_id="q1", yes="0.4525", no="0.5025")
    rejected = desk.submit_quote(
        maker="mm1", quote_id="q2", rfq_id=penny, yes_bid=D("0.4525"), no_bid=D("0.50"), now=NOW
    )
    assert "price grid" in only(rejected, QuoteRejected).text


def test_a_new_quote_from_the_same_maker_replaces_the_earlier() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, quote_id="q1", yes="0.40", no="0.55")
    results = quote(desk, rfq_id, quote_id="q2", yes="0.42", no="0.54", now=NOW + 1)
    assert kinds(results) == ["QuoteCancelled", "QuotePending", "QuoteOffered"]
    cancelled = only(results, QuoteCancelled)
    assert (cancelled.quote_id, cancelled.reason) == ("q1", QuoteCancelReason.REPLACED)
    old = desk.quote("q1")
    assert old is not None and old.state is QuoteState.REPLACED
    # The replaced quote cannot be accepted any more.
    refused = only(accept(desk, "q1"), AcceptRefused)
    assert refused.text == "quote q1 is replaced"
    # Another maker's quote is untouched by mm1 requoting.
    quote(desk, rfq_id, maker="mm2", quote_id="m2")
    quote(desk, rfq_id, quote_id="q3", now=NOW + 2)
    other = desk.quote("m2")
    assert other is not None and other.state is QuoteState.PENDING


def test_requote_with_the_same_quote_id_replaces_it() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, quote_id="q1", yes="0.40", no="0.55")
    results = quote(desk, rfq_id, quote_id="q1", yes="0.41", no="0.55", now=NOW + 1)
    assert kinds(results) == ["QuoteCancelled", "QuotePending", "QuoteOffered"]
    view = desk.quote("q1")
    assert view is not None and view.yes_bid == D("0.41") and view.state is QuoteState.PENDING
    assert [q.state for q in desk.quotes_on(rfq_id)] == [QuoteState.REPLACED, QuoteState.PENDING]


@pytest.mark.parametrize(
    ("maker", "rfq", "ticker", "text"),
    [
        ("mm1", "no-such-rfq", None, "unknown QuoteReqID"),
        ("mm1", None, T2, "is not the RFQ's market"),
        ("alice", None, None, "cannot quote its own RFQ"),
    ],
)
def test_quotes_on_the_wrong_rfq_are_rejected(
    maker: str, rfq: str | None, ticker: str | None, text: str
) -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    results = desk.submit_quote(
        maker=maker,
        quote_id="q1",
        rfq_id=rfq or rfq_id,
        ticker=ticker,
        yes_bid=D("0.40"),
        no_bid=D("0.50"),
        now=NOW,
    )
    assert text in only(results, QuoteRejected).text


def test_quote_on_a_cancelled_rfq_or_closed_market_is_rejected() -> None:
    markets = Markets()
    desk = make_desk(markets=markets)
    cancelled = open_rfq(desk)
    desk.cancel_rfq(creator="alice", rfq_id=cancelled, now=NOW)
    results = desk.submit_quote(
        maker="mm1", quote_id="q1", rfq_id=cancelled, yes_bid=D("0.4"), no_bid=D("0.5"), now=NOW
    )
    assert only(results, QuoteRejected).text == "the RFQ is cancelled"
    live = open_rfq(desk, ticker=T2)
    markets.close(T2)
    results = desk.submit_quote(
        maker="mm1", quote_id="q2", rfq_id=live, yes_bid=D("0.4"), no_bid=D("0.5"), now=NOW
    )
    assert only(results, QuoteRejected).text == f"market {T2} is not open"


def test_a_quote_id_in_use_elsewhere_is_rejected() -> None:
    desk = make_desk()
    a = open_rfq(desk)
    b = open_rfq(desk, ticker=T2)
    quote(desk, a, maker="mm1", quote_id="shared")
    for maker, rfq_id in (("mm2", a), ("mm1", b)):
        results = desk.submit_quote(
            maker=maker,
            quote_id="shared",
            rfq_id=rfq_id,
            yes_bid=D("0.4"),
            no_bid=D("0.5"),
            now=NOW,
        )
        assert "QuoteID shared is already in use" in only(results, QuoteRejected).text


def test_cash_sized_rfq_gives_side_sizes_by_the_creator_cost() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk, quantity=None, cash_quantity=D("100.00"))
    pending = only(quote(desk, rfq_id, yes="0.25", no="0.70"), QuotePending)
    assert pending.quantity is None
    # Selling into a 0.25 YES bid costs the creator 0.75 a contract: 100 / 0.75 = 133.33...
    assert pending.yes_size == D("133.33")
    # Buying against a 0.70 NO bid costs 0.30: 100 / 0.30 = 333.33...
    assert pending.no_size == D("333.33")


def test_maker_cancels_a_pending_quote() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id)
    results = desk.cancel_quote(maker="mm1", quote_id="q1", rfq_id=rfq_id, now=NOW + 1)
    cancelled = only(results, QuoteCancelled)
    assert (cancelled.quote_id, cancelled.reason) == ("q1", QuoteCancelReason.BY_MAKER)
    view = desk.quote("q1")
    assert view is not None and view.state is QuoteState.CANCELLED
    again = desk.cancel_quote(maker="mm1", quote_id="q1", now=NOW + 2)
    assert "already cancelled" in only(again, QuoteCancelRefused).text


@pytest.mark.parametrize(
    ("maker", "quote_id", "rfq", "text"),
    [
        ("mm1", "nope", None, "unknown QuoteID nope"),
        ("mm2", "q1", None, "unknown QuoteID q1"),
        ("mm1", "q1", "other-rfq", "does not belong to RFQ other-rfq"),
    ],
)
def test_quote_cancel_of_an_unknown_quote_is_refused(
    maker: str, quote_id: str, rfq: str | None, text: str
) -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id)
    results = desk.cancel_quote(maker=maker, quote_id=quote_id, rfq_id=rfq, now=NOW)
    refused = only(results, QuoteCancelRefused)
    assert text in refused.text
    assert (refused.maker, refused.quote_id) == (maker, quote_id)


def test_an_accepted_quote_cannot_be_cancelled_or_replaced() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id)
    accept(desk)
    refused = only(desk.cancel_quote(maker="mm1", quote_id="q1", now=NOW), QuoteCancelRefused)
    assert "accepted: it cannot be cancelled" in refused.text
    results = desk.submit_quote(
        maker="mm1", quote_id="q9", rfq_id=rfq_id, yes_bid=D("0.4"), no_bid=D("0.5"), now=NOW
    )
    assert "can no longer be replaced" in only(results, QuoteRejected).text
    # Other makers may still quote while the acceptance waits for its confirmation.
    quote(desk, rfq_id, maker="mm2", quote_id="m2")
    assert [q.state for q in desk.quotes_on(rfq_id)] == [QuoteState.ACCEPTED, QuoteState.PENDING]
