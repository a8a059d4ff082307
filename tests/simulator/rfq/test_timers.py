"""The desk's clocks with a fake ``now``: the confirmation window (30 s, 3 s HVM), the missed
confirmation, the execution timer (15 s, 1 s HVM) and the 24-hour expiry (SPEC §13.1)."""

from __future__ import annotations

import pytest

from tests.simulator.rfq.helpers import (
    HVM,
    NOW,
    D,
    T,
    accept,
    kinds,
    make_desk,
    of_type,
    only,
    open_rfq,
    quote,
)
from workstation.simulator.rfq import (
    AcceptAcknowledged,
    AcceptSide,
    AcceptVoided,
    BlockTradeDue,
    CloseReason,
    QuoteCancelled,
    QuoteCancelReason,
    QuoteConfirmed,
    QuoteConfirmRefused,
    QuoteRequestWithdrawn,
    QuoteState,
    RfqDesk,
    RfqExecutionDue,
    RfqExpired,
    RfqState,
    RfqTimings,
)

DAY = 24 * 3600.0


def accepted_desk(ticker: str = T, side: AcceptSide = AcceptSide.BUY) -> tuple[RfqDesk, str]:
    desk = make_desk("mm1", "mm2")
    rfq_id = open_rfq(desk, ticker=ticker)
    quote(desk, rfq_id, maker="mm1", quote_id="q1", yes="0.40", no="0.55")
    quote(desk, rfq_id, maker="mm2", quote_id="q2", yes="0.39", no="0.56")
    accept(desk, "q1", side, cl_ord_id="a1", now=NOW + 10)
    return desk, rfq_id


def test_confirm_in_time_then_execution_after_fifteen_seconds() -> None:
    desk, rfq_id = accepted_desk()
    results = desk.confirm_quote(maker="mm1", quote_id="q1", rfq_id=rfq_id, now=NOW + 39.9)
    confirmed = only(results, QuoteConfirmed)
    assert confirmed.execute_at == NOW + 39.9 + 15
    view = desk.rfq(rfq_id)
    assert view is not None and view.state is RfqState.CONFIRMED
    assert desk.next_deadline() == NOW + 54.9

    assert desk.advance(NOW + 54.8) == []
    results = desk.advance(NOW + 54.9)
    due = only(results, RfqExecutionDue)
    assert due.transact_time == NOW + 54.9
    # BUY: alice buys YES at 1 - 0.55 from mm1.
    assert (due.buyer, due.seller, due.yes_price, due.quantity) == (
        "alice",
        "mm1",
        D("0.45"),
        D(100),
    )
    assert (due.ticker, due.rfq_id, due.quote_id) == (T, rfq_id, "q1")
    assert (due.creator, due.maker, due.creator_side, due.creator_cl_ord_id) == (
        "alice",
        "mm1",
        AcceptSide.BUY,
        "a1",
    )
    # The other maker learns the RFQ is gone; the winner gets its trade instead.
    withdrawn = only(results, QuoteRequestWithdrawn)
    assert (withdrawn.maker, withdrawn.reason) == ("mm2", CloseReason.EXECUTED)
    view = desk.rfq(rfq_id)
    assert view is not None and view.state is RfqState.EXECUTED
    assert {q.quote_id: q.state for q in desk.quotes_on(rfq_id)} == {
        "q1": QuoteState.EXECUTED,
        "q2": QuoteState.CLOSED,
    }
    assert desk.rfqs() == []
    assert desk.advance(NOW + DAY * 2) == []
    assert desk.next_deadline() is None


def test_sell_executes_with_the_maker_as_buyer() -> None:
    desk, _ = accepted_desk(side=AcceptSide.SELL)
    desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 11)
    due = only(desk.advance(NOW + 26), BlockTradeDue)
    assert (due.buyer, due.seller, due.yes_price) == ("mm1", "alice", D("0.40"))


def test_high_volatility_market_uses_three_and_one_seconds() -> None:
    desk, rfq_id = accepted_desk(ticker=HVM)
    view = desk.rfq(rfq_id)
    assert view is not None and view.acceptance is not None
    assert view.acceptance.confirm_by == NOW + 13
    late = desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 13)
    assert "too late" in only(late, QuoteConfirmRefused).text

    desk, rfq_id = accepted_desk(ticker=HVM)
    confirmed = only(desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 12.9), QuoteConfirmed)
    assert confirmed.execute_at == pytest.approx(NOW + 13.9)
    assert of_type(desk.advance(NOW + 13.9), RfqExecutionDue)


def test_missed_confirmation_voids_the_quote_and_reopens_the_rfq() -> None:
    desk, rfq_id = accepted_desk()
    assert desk.next_deadline() == NOW + 40
    assert desk.advance(NOW + 39.99) == []
    results = desk.advance(NOW + 40)
    assert kinds(results) == ["QuoteCancelled", "AcceptVoided"]
    cancelled = only(results, QuoteCancelled)
    assert (cancelled.maker, cancelled.quote_id, cancelled.reason) == (
        "mm1",
        "q1",
        QuoteCancelReason.CONFIRM_MISSED,
    )
    voided = only(results, AcceptVoided)
    assert (voided.creator, voided.quote_id, voided.cl_ord_id) == ("alice", "q1", "a1")
    assert "did not confirm" in voided.text
    view = desk.rfq(rfq_id)
    assert view is not None and view.state is RfqState.OPEN and view.acceptance is None
    q1 = desk.quote("q1")
    assert q1 is not None and q1.state is QuoteState.VOIDED

    # A late confirmation is refused; the creator may accept another quote.
    late = only(desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 41), QuoteConfirmRefused)
    assert "confirmation window has passed" in late.text
    ack = only(accept(desk, "q2", now=NOW + 42), AcceptAcknowledged)
    assert ack.accepted_quote_id == "q2"
    only(desk.confirm_quote(maker="mm2", quote_id="q2", now=NOW + 43), QuoteConfirmed)


def test_a_late_confirm_before_advance_voids_first_then_refuses() -> None:
    desk, _ = accepted_desk()
    results = desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 45)
    assert kinds(results) == ["QuoteCancelled", "AcceptVoided", "QuoteConfirmRefused"]
    assert results[0].transact_time == NOW + 40  # the void happened when the window closed


@pytest.mark.parametrize(
    ("maker", "quote_id", "text"),
    [
        ("mm2", "q1", "unknown QuoteID q1"),
        ("mm1", "nope", "unknown QuoteID nope"),
        ("mm2", "q2", "has not been accepted"),
    ],
)
def test_confirm_of_a_quote_not_awaiting_confirmation_is_refused(
    maker: str, quote_id: str, text: str
) -> None:
    desk, _ = accepted_desk()
    refused = only(
        desk.confirm_quote(maker=maker, quote_id=quote_id, now=NOW + 11), QuoteConfirmRefused
    )
    assert text in refused.text
    assert (refused.maker, refused.quote_id) == (maker, quote_id)


def test_confirming_twice_is_refused() -> None:
    desk, _ = accepted_desk()
    desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 11)
    again = only(desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 12), QuoteConfirmRefused)
    assert "already confirmed" in again.text


def test_open_rfq_expires_after_24_hours() -> None:
    desk = make_desk("mm1", "mm2")
    rfq_id = open_rfq(desk, client_rfq_id="c1")
    quote(desk, rfq_id)
    assert desk.next_deadline() == NOW + DAY
    assert desk.advance(NOW + DAY - 0.001) == []
    results = desk.advance(NOW + DAY + 5)
    assert kinds(results) == ["RfqExpired", "QuoteRequestWithdrawn", "QuoteRequestWithdrawn"]
    expired = only(results, RfqExpired)
    assert (expired.creator, expired.rfq_id, expired.echo_id) == ("alice", rfq_id, "c1")
    assert expired.transact_time == NOW + DAY
    assert [(w.maker, w.reason) for w in of_type(results, QuoteRequestWithdrawn)] == [
        ("mm1", CloseReason.EXPIRED),
        ("mm2", CloseReason.EXPIRED),
    ]
    view = desk.rfq(rfq_id)
    assert view is not None and view.state is RfqState.EXPIRED
    q1 = desk.quote("q1")
    assert q1 is not None and q1.state is QuoteState.CLOSED
    # The market is free again.
    open_rfq(desk, now=NOW + DAY + 6)


def test_an_accepted_rfq_does_not_expire_until_its_quote_is_voided() -> None:
    desk = make_desk("mm1")
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id)
    accept(desk, now=NOW + DAY - 10)  # confirm window ends 20 s after the 24 h mark
    assert desk.advance(NOW + DAY + 1) == []
    results = desk.advance(NOW + DAY + 20)
    assert kinds(results) == [
        "QuoteCancelled",
        "AcceptVoided",
        "RfqExpired",
        "QuoteRequestWithdrawn",
    ]
    # The expiry could not happen before the void that reopened the RFQ.
    assert [r.transact_time for r in results] == [NOW + DAY + 20] * 4


def test_expiry_echoes_the_server_id_when_there_is_no_client_id() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    expired = only(desk.advance(NOW + DAY), RfqExpired)
    assert expired.echo_id == rfq_id and expired.client_rfq_id is None


def test_timers_fire_in_time_order_across_rfqs() -> None:
    desk = make_desk("mm1", timings=RfqTimings(lifetime=100))
    a = open_rfq(desk, ticker=T, now=NOW)
    b = open_rfq(desk, ticker=HVM, now=NOW + 50)
    quote(desk, b, now=NOW + 51)
    accept(desk, now=NOW + 52)
    desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 53)
    results = desk.advance(NOW + 1000)
    assert [(type(r).__name__, r.transact_time) for r in results] == [
        ("RfqExecutionDue", NOW + 54),
        ("RfqExpired", NOW + 100),
        ("QuoteRequestWithdrawn", NOW + 100),
    ]
    assert only(results, RfqExpired).rfq_id == a


def test_every_call_runs_due_timers_first() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    results = desk.create_rfq(creator="bob", ticker=T, quantity=D(1), now=NOW + DAY)
    assert kinds(results) == ["RfqExpired", "RfqCreated"]
    assert only(results, RfqExpired).rfq_id == rfq_id
