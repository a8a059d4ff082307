"""Creating RFQs: the broadcast to makers, pseudonyms, size rules, one open RFQ per
(creator, market) and ReplaceExisting (SPEC §13.1, §13.3)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.simulator.rfq.helpers import (
    HVM,
    NOW,
    T2,
    D,
    Markets,
    T,
    kinds,
    make_desk,
    of_type,
    only,
    open_rfq,
)
from workstation.simulator.rfq import (
    CloseReason,
    QuoteRequested,
    QuoteRequestWithdrawn,
    RequestRejectReason,
    RfqCancelled,
    RfqCreated,
    RfqLimits,
    RfqRefused,
    RfqState,
)


def test_new_rfq_is_acknowledged_and_broadcast_to_every_maker() -> None:
    desk = make_desk("mm1", "mm2")
    results = desk.create_rfq(
        creator="alice", ticker=T, quantity=D(100), client_rfq_id="client-req-123", now=NOW
    )
    assert kinds(results) == ["RfqCreated", "QuoteRequested", "QuoteRequested"]
    created = only(results, RfqCreated)
    assert created.creator == "alice"
    assert created.client_rfq_id == "client-req-123"
    assert created.ticker == T
    assert created.quantity == D(100)
    assert created.expires_at == NOW + 24 * 3600
    told = of_type(results, QuoteRequested)
    assert [r.maker for r in told] == ["mm1", "mm2"]
    assert {r.rfq_id for r in told} == {created.rfq_id}
    assert all(r.quantity == D(100) and r.ticker == T for r in told)
    view = desk.rfq(created.rfq_id)
    assert view is not None and view.state is RfqState.OPEN


def test_makers_see_a_stable_pseudonym_never_the_account() -> None:
    desk = make_desk("mm1")
    first = only(desk.create_rfq(creator="alice", ticker=T, quantity=D(5), now=NOW), QuoteRequested)
    second = only(
        desk.create_rfq(creator="alice", ticker=T2, quantity=D(5), now=NOW), QuoteRequested
    )
    other = only(desk.create_rfq(creator="bob", ticker=T, quantity=D(5), now=NOW), QuoteRequested)
    assert first.requester == second.requester
    assert first.requester != other.requester
    for told in (first, second, other):
        values = [getattr(told, f.name) for f in dataclasses.fields(told)]
        assert "alice" not in values and "bob" not in values


def test_server_id_differs_from_the_client_id() -> None:
    desk = make_desk()
    created = only(
        desk.create_rfq(creator="alice", ticker=T, quantity=D(1), client_rfq_id="c1", now=NOW),
        RfqCreated,
    )
    assert created.rfq_id != "c1"
    assert len(created.rfq_id) == 36  # UUID-shaped


def test_creator_is_not_told_of_its_own_rfq_and_cannot_quote_it() -> None:
    desk = make_desk("alice", "mm1")
    results = desk.create_rfq(creator="alice", ticker=T, quantity=D(10), now=NOW)
    assert [r.maker for r in of_type(results, QuoteRequested)] == ["mm1"]


def test_a_maker_registering_later_is_told_of_open_rfqs_once() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    closed = open_rfq(desk, ticker=T2)
    desk.cancel_rfq(creator="alice", rfq_id=closed, now=NOW)
    results = desk.register_maker("mm1", NOW + 1)
    assert [(r.maker, r.rfq_id) for r in of_type(results, QuoteRequested)] == [("mm1", rfq_id)]
    assert desk.register_maker("mm1", NOW + 2) == []
    assert desk.makers() == ("mm1",)


def test_unregistered_maker_is_told_nothing() -> None:
    desk = make_desk("mm1", "mm2")
    desk.unregister_maker("mm1")
    results = desk.create_rfq(creator="alice", ticker=T, quantity=D(10), now=NOW)
    assert [r.maker for r in of_type(results, QuoteRequested)] == ["mm2"]


@pytest.mark.parametrize(
    ("ticker", "quantity", "cash", "reason", "text"),
    [
        ("NOPE", "10", None, RequestRejectReason.UNKNOWN_SYMBOL, "unknown market NOPE"),
        (T, None, None, RequestRejectReason.OTHER, "OrderQty or CashOrderQty is required"),
        (T, "10", "5.00", RequestRejectReason.OTHER, "give OrderQty or CashOrderQty, not both"),
        (T, "0", None, RequestRejectReason.OTHER, "positive multiple of 0.01"),
        (T, "-5", None, RequestRejectReason.OTHER, "positive multiple of 0.01"),
        (T, "1.005", None, RequestRejectReason.OTHER, "positive multiple of 0.01"),
        (T, None, "0.001", RequestRejectReason.OTHER, "positive multiple of $0.01"),
        (T, "1001", None, RequestRejectReason.QUOTE_REQUEST_EXCEEDS_LIMIT, "exceeds the limit"),
        (T, None, "500.01", RequestRejectReason.QUOTE_REQUEST_EXCEEDS_LIMIT, "exceeds the limit"),
    ],
)
def test_bad_requests_are_refused_with_the_reason(
    ticker: str, quantity: str | None, cash: str | None, reason: RequestRejectReason, text: str
) -> None:
    desk = make_desk("mm1", limits=RfqLimits(max_contracts=D(1000), max_cash=D(500)))
    results = desk.create_rfq(
        creator="alice",
        ticker=ticker,
        quantity=D(quantity) if quantity else None,
        cash_quantity=D(cash) if cash else None,
        client_rfq_id="c1",
        now=NOW,
    )
    refused = only(results, RfqRefused)
    assert refused.reason is reason
    assert text in refused.text
    assert refused.client_rfq_id == "c1"
    assert kinds(results) == ["RfqRefused"]
    assert desk.rfqs() == []


def test_fractional_and_cash_sizes_are_accepted() -> None:
    desk = make_desk("mm1")
    fractional = desk.create_rfq(creator="alice", ticker=T, quantity=D("12.34"), now=NOW)
    assert only(fractional, RfqCreated).quantity == D("12.34")
    cash = desk.create_rfq(creator="alice", ticker=T2, cash_quantity=D("250.00"), now=NOW)
    told = only(cash, QuoteRequested)
    assert told.quantity is None and told.cash_quantity == D("250.00")


def test_closed_market_is_refused() -> None:
    markets = Markets()
    markets.close(T)
    desk = make_desk(markets=markets)
    refused = only(desk.create_rfq(creator="alice", ticker=T, quantity=D(1), now=NOW), RfqRefused)
    assert refused.text == f"market {T} is not open"


def test_second_open_rfq_on_the_same_market_is_refused() -> None:
    desk = make_desk("mm1")
    first = open_rfq(desk)
    results = desk.create_rfq(creator="alice", ticker=T, quantity=D(50), now=NOW + 1)
    refused = only(results, RfqRefused)
    assert refused.text == "RFQ already exists"
    assert refused.reason is RequestRejectReason.OTHER
    assert [r.rfq_id for r in desk.rfqs()] == [first]
    # Other markets and other creators are free.
    open_rfq(desk, ticker=T2)
    open_rfq(desk, creator="bob")
    assert len(desk.rfqs()) == 3


def test_a_closed_rfq_frees_the_market() -> None:
    desk = make_desk()
    first = open_rfq(desk)
    desk.cancel_rfq(creator="alice", rfq_id=first, now=NOW)
    open_rfq(desk, now=NOW + 1)


def test_duplicate_client_id_on_a_live_rfq_is_refused() -> None:
    desk = make_desk()
    open_rfq(desk, client_rfq_id="c1")
    refused = only(
        desk.create_rfq(creator="alice", ticker=T2, quantity=D(1), client_rfq_id="c1", now=NOW),
        RfqRefused,
    )
    assert "QuoteReqID c1 is already in use" in refused.text
    # Another creator may use the same client id.
    open_rfq(desk, creator="bob", client_rfq_id="c1")


def test_replace_existing_keeps_the_newest_and_closes_older_ones() -> None:
    desk = make_desk("mm1")
    first = open_rfq(desk, client_rfq_id="c1")
    second_results = desk.create_rfq(
        creator="alice",
        ticker=T,
        quantity=D(20),
        client_rfq_id="c2",
        replace_existing=True,
        now=NOW + 1,
    )
    second = only(second_results, RfqCreated).rfq_id
    # Nothing closed: the first is the newest existing one and stays (two open now).
    assert of_type(second_results, RfqCancelled) == []
    assert [r.rfq_id for r in desk.rfqs()] == [first, second]

    third_results = desk.create_rfq(
        creator="alice",
        ticker=T,
        quantity=D(30),
        client_rfq_id="c3",
        replace_existing=True,
        now=NOW + 2,
    )
    third = only(third_results, RfqCreated).rfq_id
    assert kinds(third_results) == [
        "RfqCancelled",
        "QuoteRequestWithdrawn",
        "RfqCreated",
        "QuoteRequested",
    ]
    cancelled = only(third_results, RfqCancelled)
    assert (cancelled.rfq_id, cancelled.echo_id) == (first, "c1")
    assert cancelled.reason is CloseReason.REPLACED and not cancelled.solicited
    withdrawn = only(third_results, QuoteRequestWithdrawn)
    assert (withdrawn.maker, withdrawn.rfq_id, withdrawn.reason) == (
        "mm1",
        first,
        CloseReason.REPLACED,
    )
    assert [r.rfq_id for r in desk.rfqs()] == [second, third]
    view = desk.rfq(first)
    assert view is not None and view.state is RfqState.CANCELLED


def test_replace_existing_leaves_other_markets_alone() -> None:
    desk = make_desk()
    other = open_rfq(desk, ticker=T2)
    open_rfq(desk, ticker=T, replace_existing=True)
    open_rfq(desk, ticker=T, replace_existing=True, now=NOW + 1)
    open_rfq(desk, ticker=T, replace_existing=True, now=NOW + 2)
    live = desk.rfqs()
    assert other in [r.rfq_id for r in live]
    assert sum(1 for r in live if r.ticker == T) == 2


def test_high_volatility_flag_is_taken_from_the_market() -> None:
    desk = make_desk()
    view = desk.rfq(open_rfq(desk, ticker=HVM))
    assert view is not None and view.high_volatility


def test_a_maker_that_reconnects_is_told_of_open_rfqs_again() -> None:
    desk = make_desk("mm1")
    rfq_id = open_rfq(desk)
    desk.unregister_maker("mm1")
    assert desk.cancel_rfq(creator="alice", rfq_id=open_rfq(desk, ticker=T2), now=NOW)[1:] == []
    results = desk.register_maker("mm1", NOW + 1)
    assert [r.rfq_id for r in of_type(results, QuoteRequested)] == [rfq_id]
