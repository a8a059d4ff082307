"""The small pieces under the desk: price and size rules, the trade an acceptance makes,
pseudonyms, ids, the market adapter and the state tables."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.simulator.rfq.helpers import D
from workstation.simulator.exchange.market import SUBPENNY, Market, MarketStatus
from workstation.simulator.rfq import AcceptSide, Pseudonyms, SequentialRfqIds, rfq_market
from workstation.simulator.rfq.rules import contracts_for_cash, quote_price_problem
from workstation.simulator.rfq.sides import trade_terms
from workstation.simulator.rfq.states import (
    IllegalTransition,
    QuoteState,
    RfqState,
    check_quote_move,
    check_rfq_move,
)

cents = st.integers(min_value=0, max_value=99).map(lambda c: Decimal(c) / 100)


@settings(max_examples=200, deadline=None)
@given(yes=cents, no=cents, side=st.sampled_from(list(AcceptSide)))
def test_a_valid_quote_always_makes_a_sound_trade(
    yes: Decimal, no: Decimal, side: AcceptSide
) -> None:
    problem = quote_price_problem(yes, no, D("0.01"))
    assert (problem is None) == (yes + no <= 1 and (yes > 0 or no > 0))
    hit = yes if side is AcceptSide.SELL else no
    if problem is not None or hit == 0:
        return
    terms = trade_terms(side, yes_bid=yes, no_bid=no)
    assert 0 < terms.yes_price < 1
    # The creator's cost and the maker's bid make up the $1 a contract pays.
    assert terms.creator_cost + hit == 1
    # Neither the creator nor the maker ever pays more than the maker offered.
    assert terms.yes_price == (1 - no if side is AcceptSide.BUY else yes)


def test_contracts_for_cash_round_down_to_a_hundredth() -> None:
    assert contracts_for_cash(D("100.00"), D("0.30")) == D("333.33")
    assert contracts_for_cash(D("1.00"), D("0.50")) == D("2.00")
    assert contracts_for_cash(D("0.01"), D("0.99")) == D("0.01")
    assert contracts_for_cash(D("0.001"), D("0.99")) == D("0.00")


def test_pseudonyms_are_stable_and_never_the_account() -> None:
    class Echo:
        """An id source that first hands out the account's own name."""

        def __init__(self) -> None:
            self.values = iter(["alice", "p-1", "p-2"])

        def rfq_id(self) -> str:
            return "r"

        def quote_id(self) -> str:
            return "q"

        def pseudonym(self) -> str:
            return next(self.values)

    names = Pseudonyms(Echo())
    assert names.of("alice") == "p-1"
    assert names.of("alice") == "p-1"
    assert names.of("bob") == "p-2"


def test_sequential_ids_are_deterministic_and_distinct() -> None:
    a, b = SequentialRfqIds(), SequentialRfqIds()
    first = [a.rfq_id(), a.quote_id(), a.pseudonym()]
    assert first == [b.rfq_id(), b.quote_id(), b.pseudonym()]
    assert len(set(first)) == 3


def test_market_adapter() -> None:
    market = Market(ticker="X", event_ticker="E", title="x", tick=SUBPENNY)
    view = rfq_market(market, high_volatility=True)
    assert (view.ticker, view.tick, view.high_volatility, view.open) == ("X", SUBPENNY, True, True)
    market.status = MarketStatus.PAUSED
    assert not rfq_market(market).open


def test_state_tables_refuse_illegal_moves() -> None:
    assert check_rfq_move("r", RfqState.ACCEPTED, RfqState.OPEN) is RfqState.OPEN
    with pytest.raises(IllegalTransition, match="RFQ r: executed -> open"):
        check_rfq_move("r", RfqState.EXECUTED, RfqState.OPEN)
    with pytest.raises(IllegalTransition):
        check_rfq_move("r", RfqState.CONFIRMED, RfqState.CANCELLED)
    with pytest.raises(IllegalTransition, match="quote q: pending -> confirmed"):
        check_quote_move("q", QuoteState.PENDING, QuoteState.CONFIRMED)
