"""Accepting a quote: the side mapping (BUY takes the NO bid, SELL the YES bid), the
AcceptedSide the maker sees, PreferBetterQuote, and the refusals (SPEC §13.3, §20.27)."""

from __future__ import annotations

import pytest

from tests.simulator.rfq.helpers import (
    NOW,
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
    AcceptAcknowledged,
    AcceptProblem,
    AcceptRefused,
    AcceptSide,
    QuoteAccepted,
    QuoteSide,
    QuoteState,
    RfqState,
)
from workstation.simulator.rfq.sides import side_hit, trade_terms


def test_buy_accepts_the_makers_no_bid() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, yes="0.40", no="0.55")
    results = accept(desk, "q1", AcceptSide.BUY, cl_ord_id="client-accept-123", now=NOW + 2)
    assert kinds(results) == ["AcceptAcknowledged", "QuoteAccepted"]
    ack = only(results, AcceptAcknowledged)
    assert (ack.quote_id, ack.accepted_quote_id, ack.cl_ord_id) == ("q1", "q1", "client-accept-123")
    assert ack.yes_price == D("0.45")  # the creator buys YES at 1 - 0.55
    assert ack.quantity == D(100)
    assert ack.confirm_by == NOW + 2 + 30
    accepted = only(results, QuoteAccepted)
    assert accepted.maker == "mm1"
    assert accepted.accepted_side is QuoteSide.NO  # AcceptedSide 54 = 2: its NO bid was hit
    assert accepted.yes_price == D("0.45") and accepted.quantity == D(100)
    assert accepted.confirm_by == NOW + 32
    view = desk.rfq(rfq_id)
    assert view is not None and view.state is RfqState.ACCEPTED
    assert view.acceptance is not None and view.acceptance.maker == "mm1"


def test_sell_accepts_the_makers_yes_bid() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, yes="0.40", no="0.55")
    results = accept(desk, "q1", AcceptSide.SELL)
    assert only(results, AcceptAcknowledged).yes_price == D("0.40")
    assert only(results, QuoteAccepted).accepted_side is QuoteSide.YES  # 54 = 1


def test_side_mapping_in_one_place() -> None:
    assert side_hit(AcceptSide.BUY) is QuoteSide.NO
    assert side_hit(AcceptSide.SELL) is QuoteSide.YES
    buy = trade_terms(AcceptSide.BUY, yes_bid=D("0.30"), no_bid=D("0.65"))
    assert (buy.creator_buys_yes, buy.yes_price, buy.creator_cost) == (True, D("0.35"), D("0.35"))
    sell = trade_terms(AcceptSide.SELL, yes_bid=D("0.30"), no_bid=D("0.65"))
    assert (sell.creator_buys_yes, sell.yes_price, sell.creator_cost) == (
        False,
        D("0.30"),
        D("0.70"),
    )


def test_accepting_a_side_the_maker_declined_is_refused() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, yes="0.40", no="0")
    refused = only(accept(desk, "q1", AcceptSide.BUY), AcceptRefused)
    assert refused.problem is AcceptProblem.SIDE_NOT_QUOTED
    assert "no NO bid" in refused.text
    only(accept(desk, "q1", AcceptSide.SELL), AcceptAcknowledged)


def test_prefer_better_quote_picks_the_best_at_least_as_good() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, maker="mm1", quote_id="q1", yes="0.40", no="0.55")
    quote(desk, rfq_id, maker="mm2", quote_id="q2", yes="0.38", no="0.58")  # better for BUY
    quote(desk, rfq_id, maker="mm3", quote_id="q3", yes="0.44", no="0.50")  # better for SELL
    results = accept(desk, "q1", AcceptSide.BUY, prefer_better=True)
    ack = only(results, AcceptAcknowledged)
    assert (ack.quote_id, ack.accepted_quote_id) == ("q1", "q2")
    assert ack.yes_price == D("0.42")
    assert only(results, QuoteAccepted).maker == "mm2"
    states = {q.quote_id: q.state for q in desk.quotes_on(rfq_id)}
    assert states == {"q1": QuoteState.PENDING, "q2": QuoteState.ACCEPTED, "q3": QuoteState.PENDING}


def test_prefer_better_quote_for_a_sell() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, maker="mm1", quote_id="q1", yes="0.40", no="0.55")
    quote(desk, rfq_id, maker="mm2", quote_id="q2", yes="0.44", no="0")
    ack = only(accept(desk, "q1", AcceptSide.SELL, prefer_better=True), AcceptAcknowledged)
    assert (ack.accepted_quote_id, ack.yes_price) == ("q2", D("0.44"))


def test_prefer_better_quote_keeps_the_named_quote_on_a_tie_and_without_it() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, maker="mm1", quote_id="q1", yes="0.40", no="0.55")
    quote(desk, rfq_id, maker="mm2", quote_id="q2", yes="0.40", no="0.55")
    ack = only(accept(desk, "q2", AcceptSide.BUY, prefer_better=True), AcceptAcknowledged)
    assert ack.accepted_quote_id == "q2"

    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, maker="mm1", quote_id="q1", yes="0.40", no="0.55")
    quote(desk, rfq_id, maker="mm2", quote_id="q2", yes="0.38", no="0.58")
    ack = only(accept(desk, "q1", AcceptSide.BUY), AcceptAcknowledged)
    assert ack.accepted_quote_id == "q1"  # without 21022=Y the named quote is taken


@pytest.mark.parametrize(
    ("creator", "quote_id", "rfq", "problem", "text"),
    [
        ("alice", "nope", None, AcceptProblem.UNKNOWN_QUOTE, "unknown QuoteID nope"),
        ("bob", "q1", None, AcceptProblem.UNKNOWN_QUOTE, "unknown QuoteID q1"),
        ("alice", "q1", "other", AcceptProblem.WRONG_RFQ, "does not belong to RFQ other"),
    ],
)
def test_accepting_someone_elses_or_an_unknown_quote_is_refused(
    creator: str, quote_id: str, rfq: str | None, problem: AcceptProblem, text: str
) -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id)
    refused = only(
        accept(desk, quote_id, creator=creator, rfq_id=rfq, cl_ord_id="a1"), AcceptRefused
    )
    assert (refused.problem, refused.creator, refused.cl_ord_id) == (problem, creator, "a1")
    assert text in refused.text
    view = desk.quote("q1")
    assert view is not None and view.state is QuoteState.PENDING


def test_only_one_acceptance_at_a_time() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, maker="mm1", quote_id="q1")
    quote(desk, rfq_id, maker="mm2", quote_id="q2")
    accept(desk, "q1")
    refused = only(accept(desk, "q2"), AcceptRefused)
    assert refused.problem is AcceptProblem.RFQ_BUSY


def test_accepting_on_a_cancelled_rfq_or_a_cancelled_quote_is_refused() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id, maker="mm1", quote_id="q1")
    quote(desk, rfq_id, maker="mm2", quote_id="q2")
    desk.cancel_quote(maker="mm2", quote_id="q2", now=NOW)
    refused = only(accept(desk, "q2"), AcceptRefused)
    assert (refused.problem, refused.text) == (
        AcceptProblem.QUOTE_NOT_LIVE,
        "quote q2 is cancelled",
    )
    desk.cancel_rfq(creator="alice", rfq_id=rfq_id, now=NOW)
    refused = only(accept(desk, "q1"), AcceptRefused)
    assert (refused.problem, refused.text) == (AcceptProblem.RFQ_CLOSED, "the RFQ is cancelled")


def test_accepting_on_an_expired_rfq_says_expired() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id)
    refused = only(accept(desk, now=NOW + 24 * 3600), AcceptRefused)
    assert refused.problem is AcceptProblem.EXPIRED
    assert refused.text.startswith("EXPIRED")


def test_accepting_on_a_closed_market_is_refused() -> None:
    markets = Markets()
    desk = make_desk(markets=markets)
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id)
    markets.close(T)
    assert only(accept(desk), AcceptRefused).problem is AcceptProblem.MARKET_CLOSED


@pytest.mark.parametrize(
    ("quantity", "ok"),
    [("100", True), ("100.00", True), ("50", False), ("0", False), ("100.001", False)],
)
def test_order_qty_on_accept_must_be_the_rfq_size(quantity: str, ok: bool) -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id)
    results = accept(desk, quantity=D(quantity))
    if ok:
        assert only(results, AcceptAcknowledged).quantity == D(100)
    else:
        assert only(results, AcceptRefused).problem is AcceptProblem.BAD_QUANTITY


def test_cash_rfq_trades_what_the_cash_buys_at_the_accepted_price() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk, quantity=None, cash_quantity=D("100.00"))
    quote(desk, rfq_id, yes="0.25", no="0.70")
    # BUY: YES at 0.30, 100 / 0.30 = 333.33 contracts.
    results = accept(desk, side=AcceptSide.BUY)
    assert only(results, AcceptAcknowledged).quantity == D("333.33")
    assert only(results, QuoteAccepted).quantity == D("333.33")


def test_cash_rfq_accepts_a_smaller_order_qty_but_not_a_larger_one() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk, quantity=None, cash_quantity=D("100.00"))
    quote(desk, rfq_id, yes="0.25", no="0.70")
    too_many = only(accept(desk, quantity=D("333.34")), AcceptRefused)
    assert "exceeds the 333.33 contracts" in too_many.text
    assert only(accept(desk, quantity=D(200)), AcceptAcknowledged).quantity == D(200)
