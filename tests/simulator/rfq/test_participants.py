"""Simulated requesters and makers: they quote a human creator's RFQ within seconds, confirm
what is accepted (or, when told to, miss the window), create RFQs for a human maker, accept
its quotes, serve the admin hooks, and do it all the same way for the same seed."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from tests.simulator.rfq.helpers import HVM, NOW, T2, D, T, make_desk, of_type, only, open_rfq
from workstation.simulator.rfq import (
    AcceptAcknowledged,
    AcceptSide,
    AcceptVoided,
    AdminCommandError,
    MakerBehaviour,
    QuoteAccepted,
    QuoteConfirmed,
    QuoteOffered,
    QuoteRequested,
    QuoteSide,
    RequesterBehaviour,
    RfqCancelled,
    RfqCreated,
    RfqDesk,
    RfqExecutionDue,
    RfqRefused,
    RfqResult,
    RfqState,
    SimulatedMakers,
    SimulatedRequesters,
)

MAKERS = ("sim-mm1", "sim-mm2", "sim-mm3")
REQUESTERS = ("sim-req1", "sim-req2")
FAIR = D("0.60")


def fair(_ticker: str) -> Decimal:
    return FAIR


def sim_makers(desk: RfqDesk, seed: int = 1, **behaviour: object) -> SimulatedMakers:
    return SimulatedMakers(
        desk,
        accounts=MAKERS,
        fair_price=fair,
        seed=seed,
        behaviour=MakerBehaviour(**behaviour),  # type: ignore[arg-type]
        ignore_creators=REQUESTERS,
    )


def sim_requesters(desk: RfqDesk, seed: int = 1, **behaviour: object) -> SimulatedRequesters:
    return SimulatedRequesters(
        desk,
        accounts=REQUESTERS,
        open_markets=lambda: [T, T2],
        fair_price=fair,
        seed=seed,
        behaviour=RequesterBehaviour(**behaviour),  # type: ignore[arg-type]
    )


def run_until(
    step: Callable[[float], list[RfqResult]], start: float, end: float, tick: float = 0.25
) -> list[RfqResult]:
    out: list[RfqResult] = []
    now = start
    while now <= end:
        out += step(now)
        now += tick
    return out


# --- makers -----------------------------------------------------------------------------------


def test_makers_quote_a_human_rfq_around_fair_within_seconds() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk, client_rfq_id="c1")
    makers = sim_makers(desk)
    assert makers.step(NOW) == []
    deadline = makers.next_deadline()
    assert deadline is not None and NOW < deadline <= NOW + 3
    offered = of_type(run_until(makers.step, NOW, NOW + 3), QuoteOffered)
    assert 1 <= len(offered) <= len(MAKERS)
    assert {o.rfq_id for o in offered} == {rfq_id}
    for o in offered:
        assert o.creator == "alice"
        assert o.yes_bid + o.no_bid < 1
        assert D("0.60") - D("0.08") <= o.yes_bid < D("0.62")
        assert D("0.40") - D("0.08") <= o.no_bid < D("0.42")
        assert o.quoter not in MAKERS
    quotes = desk.quotes_on(rfq_id)
    assert {q.maker for q in quotes} <= set(MAKERS)
    assert len({q.maker for q in quotes}) == len(quotes)  # one quote per maker
    assert makers.next_deadline() is None


def test_makers_confirm_accepted_quotes_promptly_and_the_trade_executes() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    makers = sim_makers(desk)
    offered = of_type(run_until(makers.step, NOW, NOW + 3), QuoteOffered)
    chosen = offered[0]
    ack = only(accept(desk, chosen.quote_id, NOW + 4), AcceptAcknowledged)
    results = run_until(makers.step, NOW + 4, NOW + 6)
    confirmed = only(results, QuoteConfirmed)
    assert confirmed.quote_id == ack.accepted_quote_id
    assert confirmed.transact_time <= NOW + 5
    due = only(desk.advance(confirmed.execute_at), RfqExecutionDue)
    assert due.buyer == "alice" and due.seller in MAKERS
    view = desk.rfq(rfq_id)
    assert view is not None and view.state is RfqState.EXECUTED


def accept(desk: RfqDesk, quote_id: str, now: float) -> list[RfqResult]:
    return desk.accept_quote(creator="alice", quote_id=quote_id, side=AcceptSide.BUY, now=now)


def test_makers_confirm_inside_a_high_volatility_window() -> None:
    desk = make_desk()
    open_rfq(desk, ticker=HVM)
    makers = sim_makers(desk, confirm_delay=(2.5, 2.9))
    offered = of_type(run_until(makers.step, NOW, NOW + 3), QuoteOffered)
    accept(desk, offered[0].quote_id, NOW + 4)
    results = run_until(makers.step, NOW + 4, NOW + 8)
    assert of_type(results, QuoteConfirmed)
    assert not of_type(results, AcceptVoided)


def test_makers_that_miss_the_confirmation_let_the_quote_be_voided() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    makers = sim_makers(desk, miss_confirm_probability=1.0)
    offered = of_type(run_until(makers.step, NOW, NOW + 3), QuoteOffered)
    accept(desk, offered[0].quote_id, NOW + 4)
    results = run_until(makers.step, NOW + 4, NOW + 40, tick=1.0)
    assert not of_type(results, QuoteConfirmed)
    voided = only(results, AcceptVoided)
    assert voided.transact_time == NOW + 34
    view = desk.rfq(rfq_id)
    assert view is not None and view.state is RfqState.OPEN


def test_makers_leave_simulated_requesters_and_their_own_rfqs_alone() -> None:
    desk = make_desk()
    open_rfq(desk, creator="sim-req1")
    open_rfq(desk, creator="sim-mm1", ticker=T2)
    makers = sim_makers(desk)
    assert run_until(makers.step, NOW, NOW + 10) == []


def test_makers_need_an_account() -> None:
    with pytest.raises(ValueError, match="at least one account"):
        SimulatedMakers(make_desk(), accounts=(), fair_price=fair, seed=1)


# --- requesters -------------------------------------------------------------------------------


def test_requesters_create_rfqs_on_open_markets_for_a_human_maker() -> None:
    desk = make_desk("human-mm")
    requesters = sim_requesters(desk, mean_interval=10.0, accept_probability=0.0)
    results = run_until(requesters.step, NOW, NOW + 120, tick=1.0)
    created = of_type(results, RfqCreated)
    assert len(created) >= 3
    assert {c.creator for c in created} <= set(REQUESTERS)
    assert {c.ticker for c in created} <= {T, T2}
    assert not of_type(results, RfqRefused)  # never a second RFQ on a market it has open
    told = of_type(results, QuoteRequested)
    assert {t.maker for t in told} == {"human-mm"}
    assert {t.rfq_id for t in told} == {c.rfq_id for c in created}


def test_requesters_cancel_rfqs_nobody_traded() -> None:
    desk = make_desk("human-mm")
    requesters = sim_requesters(desk, mean_interval=5.0, rfq_lifetime=30.0)
    results = run_until(requesters.step, NOW, NOW + 200, tick=1.0)
    cancelled = of_type(results, RfqCancelled)
    assert cancelled
    for c in cancelled:
        view = desk.rfq(c.rfq_id)
        assert view is not None and c.transact_time - view.created_at < 31
    assert all(NOW + 200 - r.created_at <= 31 for r in desk.rfqs())


def test_requesters_accept_a_human_makers_quote() -> None:
    desk = make_desk("human-mm")
    requesters = sim_requesters(
        desk, accept_probability=1.0, min_edge=Decimal(-1), accept_delay=(1.0, 2.0)
    )
    rfq_id = only(requesters.inject(NOW, ticker=T), RfqCreated).rfq_id
    desk.submit_quote(
        maker="human-mm",
        quote_id="hq1",
        rfq_id=rfq_id,
        yes_bid=D("0.55"),
        no_bid=D("0.35"),
        now=NOW + 1,
    )
    results = run_until(requesters.step, NOW + 1, NOW + 4)
    accepted = only(results, QuoteAccepted)
    assert (accepted.maker, accepted.quote_id) == ("human-mm", "hq1")
    # Against fair 0.60, selling YES at 0.55 and buying YES at 1 - 0.35 = 0.65 are both 5¢
    # worse than fair; a tie goes to BUY, which hits the maker's NO bid.
    assert accepted.accepted_side is QuoteSide.NO


def test_admin_inject_and_accept() -> None:
    desk = make_desk("human-mm")
    requesters = sim_requesters(desk)
    first = only(requesters.inject(NOW, ticker=T, quantity=D(40)), RfqCreated)
    second = only(requesters.inject(NOW, ticker=T), RfqCreated)
    assert (first.creator, second.creator) == ("sim-req1", "sim-req2")
    assert first.quantity == D(40) and second.quantity == D(10)
    refused = only(requesters.inject(NOW, ticker="NOPE", requester="sim-req1"), RfqRefused)
    assert refused.text == "unknown market NOPE"

    desk.submit_quote(
        maker="human-mm",
        quote_id="hq1",
        rfq_id=first.rfq_id,
        yes_bid=D("0.62"),
        no_bid=D("0.30"),
        now=NOW + 1,
    )
    results = requesters.accept(NOW + 2, quote_id="hq1")
    accepted = only(results, QuoteAccepted)
    assert accepted.maker == "human-mm"
    assert accepted.yes_price == D("0.62")  # selling YES at 0.62 > fair beats buying at 0.70
    ack = only(results, AcceptAcknowledged)
    assert ack.creator == "sim-req1"


def test_admin_accept_refuses_what_is_not_a_simulated_requesters() -> None:
    desk = make_desk()
    requesters = sim_requesters(desk)
    with pytest.raises(AdminCommandError, match="unknown QuoteID nope"):
        requesters.accept(NOW, quote_id="nope")
    rfq_id = open_rfq(desk, creator="alice")
    desk.submit_quote(
        maker="mm1", quote_id="q1", rfq_id=rfq_id, yes_bid=D("0.5"), no_bid=D("0.4"), now=NOW
    )
    with pytest.raises(AdminCommandError, match="not on a simulated requester's RFQ"):
        requesters.accept(NOW, quote_id="q1")
    with pytest.raises(AdminCommandError, match="alice is not a simulated requester"):
        requesters.inject(NOW, ticker=T, requester="alice")


# --- determinism ------------------------------------------------------------------------------


def scenario(seed: int) -> list[RfqResult]:
    """Both kinds of participant and two humans (a creator and a maker) for 5 minutes."""
    desk = make_desk("human-mm")
    requesters = sim_requesters(desk, seed=seed, mean_interval=15.0, accept_probability=0.8)
    makers = sim_makers(desk, seed=seed + 1000, miss_confirm_probability=0.3)
    out: list[RfqResult] = []
    now = NOW
    while now <= NOW + 300:
        if now in (NOW + 5, NOW + 150):
            out += desk.create_rfq(creator="alice", ticker=T, quantity=D(25), now=now)
        out += requesters.step(now)
        out += makers.step(now)
        out += desk.advance(now)
        for result in list(out):
            if isinstance(result, QuoteRequested) and result.transact_time == now - 1:
                out += desk.submit_quote(
                    maker="human-mm",
                    quote_id=f"h-{result.rfq_id}",
                    rfq_id=result.rfq_id,
                    yes_bid=D("0.57"),
                    no_bid=D("0.38"),
                    now=now,
                )
            if (
                isinstance(result, QuoteAccepted)
                and result.maker == "human-mm"
                and result.transact_time == now - 1
            ):
                out += desk.confirm_quote(maker="human-mm", quote_id=result.quote_id, now=now)
            if (
                isinstance(result, QuoteOffered)
                and result.creator == "alice"
                and result.transact_time == now - 2
            ):
                out += accept(desk, result.quote_id, now)
        now += 0.5
    return out


def test_same_seed_gives_the_same_events() -> None:
    first = scenario(7)
    assert first == scenario(7)
    # The scenario exercised every role.
    assert of_type(first, RfqCreated)
    assert {o.creator for o in of_type(first, QuoteOffered)} >= {"alice"}
    assert of_type(first, QuoteConfirmed)
    assert of_type(first, RfqExecutionDue)


def test_another_seed_gives_other_events() -> None:
    assert scenario(7) != scenario(8)
