"""Fees, collateral, balances, positions, insufficient balance and settlement money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workstation.fix.dialect import Dialect
from workstation.simulator.exchange import (
    Exchange,
    FeeSchedule,
    Market,
    MarketResult,
    MarketSettled,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderRejected,
    PositionSettled,
    Reason,
    Result,
    Side,
)
from workstation.simulator.exchange.fees import KALSHI_MAKER_COEFFICIENT

from .helpers import NOW, SUB, D, T, exchange, of_type, only, order


def _fills(out: list[Result], account: str) -> list[OrderFilled]:
    return [f for f in of_type(out, OrderFilled) if f.order.account == account]


def _balance(x: Exchange, account: str, sub: int = 0) -> Decimal:
    return x.ledger.require(account, sub).balance


@pytest.mark.parametrize(
    ("quantity", "price", "fee"),
    [(100, "0.50", "1.75"), (1, "0.50", "0.02"), (10, "0.99", "0.01"), (37, "0.23", "0.46")],
)
def test_taker_fee_is_kalshi_formula_rounded_up_to_the_cent(quantity, price, fee) -> None:
    market = Market(ticker="X-1", event_ticker="X", title="x")
    assert FeeSchedule().fee(market, D(quantity), D(price), maker=False) == D(fee)
    assert FeeSchedule().fee(market, D(quantity), D(price), maker=True) == 0


def test_maker_fee_only_where_the_market_charges_it() -> None:
    market = Market(
        ticker="X-1", event_ticker="X", title="x", maker_fee_coefficient=KALSHI_MAKER_COEFFICIENT
    )
    # 0.0175 × 100 × 0.5 × 0.5 = 0.4375 → 0.44
    assert FeeSchedule().fee(market, D(100), D("0.50"), maker=True) == D("0.44")


def test_buy_yes_and_buy_no_lock_their_cost_plus_fee() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.40", 10), NOW)  # alice buys NO at 0.60 when hit
    out = x.submit(order("bob", Side.BUY, "0.40", 10), NOW)
    bob = only(_fills(out, "bob"), OrderFilled)
    alice = only(_fills(out, "alice"), OrderFilled)
    # 0.07 × 10 × 0.4 × 0.6 = 0.168 → 0.17
    assert (bob.fee, bob.balance_change) == (D("0.17"), D("-4.17"))
    assert (bob.long_qty, bob.short_qty) == (10, 0)
    assert (alice.fee, alice.balance_change) == (D("0.00"), D("-6.00"))
    assert (alice.long_qty, alice.short_qty) == (0, 10)
    assert _balance(x, "bob") == D("995.83")
    assert _balance(x, "alice") == D("994.00")


def test_closing_releases_collateral_and_flips_through_zero() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.40", 3), NOW)
    x.submit(order("bob", Side.BUY, "0.40", 3), NOW)  # bob long 3 YES, alice 3 NO
    # Bob sells 5 YES at 0.60: closes 3 (+1.80), opens 2 NO (−0.80).
    x.submit(order("carol", Side.BUY, "0.60", 5), NOW)
    out = x.submit(order("bob", Side.SELL, "0.60", 5), NOW)
    bob = only(_fills(out, "bob"), OrderFilled)
    fee = D("0.09")  # bob is the taker: 0.07 × 5 × 0.6 × 0.4 = 0.084 → 0.09
    assert bob.collateral_returned == D("1.80")
    assert bob.balance_change == D("1.00") - fee
    assert (bob.long_qty, bob.short_qty) == (0, 2)
    # Alice buys YES against the NO she holds: +(1 − 0.55) per contract.
    x.submit(order("carol", Side.SELL, "0.55", 3), NOW)
    out = x.submit(order("alice", Side.BUY, "0.55", 3), NOW)
    alice = only(_fills(out, "alice"), OrderFilled)
    assert alice.collateral_returned == D("1.35")
    assert (alice.long_qty, alice.short_qty) == (0, 0)
    assert alice.balance_change == D("1.35") - alice.fee


@pytest.mark.parametrize(("dialect", "code"), [(Dialect.CURRENT, 3), (Dialect.V1_0_13, 99)])
def test_insufficient_balance_counts_resting_orders(dialect: Dialect, code: int) -> None:
    x = exchange(dialect, funds="10.00")
    # 10 at 0.50 = 5.00 + fee ceil(0.175) = 0.18 → 5.18 reserved.
    assert only(x.submit(order("alice", Side.BUY, "0.50", 10), NOW), OrderAccepted)
    assert x.reserved("alice") == D("5.18")
    # NO at 0.50 for 10 needs 5.18 more: 10.36 > 10.00.
    rejected = only(x.submit(order("alice", Side.SELL, "0.50", 10, ticker=SUB), NOW), OrderRejected)
    assert (rejected.reason, rejected.ord_rej_reason) == (Reason.INSUFFICIENT_BALANCE, code)
    assert only(x.submit(order("alice", Side.SELL, "0.50", 9, ticker=SUB), NOW), OrderAccepted)


def test_selling_what_you_hold_needs_no_cash() -> None:
    x = exchange(funds="10.00")
    x.submit(order("bob", Side.SELL, "0.90", 10), NOW)
    x.submit(order("alice", Side.BUY, "0.90", 10), NOW)  # alice: 10 YES, ~0.94 left
    assert _balance(x, "alice") < D("1.00")
    assert only(x.submit(order("alice", Side.SELL, "0.95", 10), NOW), OrderAccepted)
    # But an 11th contract would open a NO position she cannot pay for.
    rejected = only(x.submit(order("alice", Side.SELL, "0.05", 11), NOW), OrderRejected)
    assert rejected.reason is Reason.INSUFFICIENT_BALANCE


def test_unknown_sub_account_is_refused() -> None:
    x = exchange()
    rejected = only(
        x.submit(order("alice", Side.BUY, "0.50", 1, sub_account=7), NOW), OrderRejected
    )
    assert (rejected.reason, rejected.ord_rej_reason) == (Reason.CUSTOMER_ACCOUNT_NOT_FOUND, 15)
    with pytest.raises(ValueError, match=r"outside 0\.\.63"):
        x.fund("alice", D("1.00"), sub_account=64)


def test_subpenny_fill_keeps_balance_in_whole_cents_and_puts_the_rest_in_the_fee() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.1234", 3, ticker=SUB), NOW)
    out = x.submit(order("bob", Side.BUY, "0.1234", 3, ticker=SUB), NOW)
    for fill in of_type(out, OrderFilled):
        assert fill.balance_change == fill.balance_change.quantize(D("0.01"))
    bob = only(_fills(out, "bob"), OrderFilled)
    alice = only(_fills(out, "alice"), OrderFilled)
    assert bob.balance_change + bob.fee == D("-0.3702")
    assert alice.balance_change + alice.fee == D("-2.6298")  # 3 × (1 − 0.1234)
    assert _balance(x, "bob") == D("1000.00") + bob.balance_change
    # Off-grid prices are refused on a penny market.
    bad = only(x.submit(order("bob", Side.BUY, "0.1234", 3), NOW), OrderRejected)
    assert (bad.reason, bad.ord_rej_reason) == (Reason.INVALID_ORDER, 11)


def test_settlement_pays_net_winners_per_sub_account_and_cancels_resting_orders() -> None:
    x = exchange()
    x.fund("alice", D("100.00"), sub_account=2)
    x.submit(order("bob", Side.SELL, "0.30", 10), NOW)
    x.submit(order("alice", Side.BUY, "0.30", 4), NOW)
    x.submit(order("alice", Side.BUY, "0.30", 6, sub_account=2), NOW)
    x.submit(order("carol", Side.BUY, "0.10", 5), NOW)  # resting, cancelled at settlement
    before = {a: _balance(x, a) for a in ("alice", "bob", "carol")}
    out = x.settle_market(T, MarketResult.YES, NOW + 100)
    assert only(of_type(out, OrderCancelled), OrderCancelled).order.account == "carol"
    summary = only(out, MarketSettled)
    assert (summary.settlement_value, summary.positions) == (D(1), 3)
    settled = {(p.account, p.sub_account): p for p in of_type(out, PositionSettled)}
    assert (settled["alice", 0].long_qty, settled["alice", 0].payout) == (4, D("4.00"))
    assert (settled["alice", 2].long_qty, settled["alice", 2].payout) == (6, D("6.00"))
    assert (settled["bob", 0].short_qty, settled["bob", 0].payout) == (10, D("0.00"))
    assert _balance(x, "alice") == before["alice"] + 4
    assert _balance(x, "alice", 2) == D("100.00") - D("1.80") - D("0.09") + 6  # fee ⌈0.0882⌉
    assert x.ledger.position("alice", 0, T) == 0
    assert x.market(T).result is MarketResult.YES  # type: ignore[union-attr]


def test_scalar_settlement_rounds_payout_down_and_reports_the_fraction_as_fee() -> None:
    x = exchange()
    x.submit(order("bob", Side.SELL, "0.50", 3), NOW)
    x.submit(order("alice", Side.BUY, "0.50", 3), NOW)
    out = x.settle_market(T, MarketResult.SCALAR, NOW, value=D("0.3333"))
    settled = {p.account: p for p in of_type(out, PositionSettled)}
    assert (settled["alice"].payout, settled["alice"].fee) == (D("0.99"), D("0.0099"))
    assert (settled["bob"].payout, settled["bob"].fee) == (D("2.00"), D("0.0001"))
    with pytest.raises(ValueError, match="scalar"):
        x.settle_market("KXTEST-26NOV24-B", MarketResult.SCALAR, NOW)
