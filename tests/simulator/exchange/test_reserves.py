"""The reserve cache (:mod:`workstation.simulator.exchange.reserves`) always equals the rule it
keeps (:func:`reserved_amount` over every live order), under random flow with fills that open
and close positions, sub-accounts, cancels, amends, mass cancels, Day expiry, a restore from
the state, and settlement; and so the exchange accepts and refuses exactly as the rule says."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workstation.fix.dialect import Dialect, dialect_rules
from workstation.simulator.exchange import (
    Exchange,
    MarketResult,
    NewOrder,
    OrderRejected,
    Reason,
    ReplaceOrder,
    SelfTradePrevention,
    SequentialIds,
    Side,
    TimeInForce,
)
from workstation.simulator.exchange.accounts import reserved_amount
from workstation.simulator.exchange.orders import Order

from .helpers import NOW, T2, D, T, events, exchange, of_type, order

HOLDERS = (("alice", 0), ("alice", 1), ("bob", 0), ("carol", 0))
TICKERS = (T, T2)

new_op = st.tuples(
    st.just("new"),
    st.sampled_from(HOLDERS),
    st.sampled_from(TICKERS),
    st.sampled_from(Side),
    st.integers(1, 99),
    st.integers(1, 40),
    st.sampled_from([TimeInForce.GTC, TimeInForce.GTC, TimeInForce.IOC, TimeInForce.DAY]),
)
cancel_op = st.tuples(st.just("cancel"), st.integers(0, 60))
replace_op = st.tuples(
    st.just("replace"), st.integers(0, 60), st.integers(1, 50), st.integers(1, 99)
)
other_op = st.sampled_from(
    [("mass_cancel", "alice"), ("mass_cancel", "bob"), ("next_day",), ("restore",)]
)
ops = st.lists(
    st.one_of(new_op, new_op, new_op, cancel_op, replace_op, other_op), min_size=1, max_size=60
)


def _funded() -> Exchange:
    x = exchange(funds="40.00")
    x.fund("alice", D("25.00"), sub_account=1)
    return x


def _live(x: Exchange, account: str, sub_account: int) -> list[Order]:
    return [o for o in x.state.live_orders(account) if o.sub_account == sub_account]


def _probe(x: Exchange, account: str, sub_account: int, ticker: str, side: Side) -> Order:
    return Order(
        order_id="",
        account=account,
        sub_account=sub_account,
        session_tag=None,
        cl_ord_id="probe",
        orig_cl_ord_id=None,
        ticker=ticker,
        side=side,
        price=D("0.37"),
        order_qty=D(7),
        time_in_force=TimeInForce.GTC,
        expire_time=None,
        post_only=False,
        stp=SelfTradePrevention.TAKER_AT_CROSS,
        group_id=None,
        cancel_on_pause=False,
        report_expiry=False,
        created_at=NOW,
        priority=x.state.next_priority,
    )


def _check(x: Exchange) -> None:
    for account, sub_account in HOLDERS:
        positions = x.ledger.require(account, sub_account).positions
        live = _live(x, account, sub_account)
        rule = reserved_amount(live, positions, x._max_fee)
        assert x._reserves.reserved(account, sub_account) == rule
        for ticker in TICKERS:
            for side in Side:
                probe = _probe(x, account, sub_account, ticker, side)
                with_probe = reserved_amount([*live, probe], positions, x._max_fee)
                assert x._reserves.reserved(account, sub_account, probe) == with_probe


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_cached_reserve_equals_the_rule_under_random_flow(operations) -> None:
    x = _funded()
    placed: list[tuple[str, int, str, str, Side]] = []  # account, sub, ClOrdID, ticker, side
    now = NOW
    for n, op in enumerate(operations):
        now += 1
        if op[0] == "new":
            _, (account, sub_account), ticker, side, cents, qty, tif = op
            x.submit(
                NewOrder(
                    account=account,
                    sub_account=sub_account,
                    cl_ord_id=f"o{n}",
                    ticker=ticker,
                    side=side,
                    price=D(cents) / 100,
                    quantity=D(qty),
                    time_in_force=tif,
                ),
                now,
            )
            placed.append((account, sub_account, f"o{n}", ticker, side))
        elif op[0] == "mass_cancel":
            x.mass_cancel(account=op[1], now=now)
        elif op[0] == "next_day":
            now += 86_400
            x.advance(now)
        elif op[0] == "restore":
            x = Exchange.from_state(x.state, rules=x.rules, ids=x.ids)
        elif not placed:
            continue
        elif op[0] == "cancel":
            account, sub_account, cl, ticker, side = placed[op[1] % len(placed)]
            x.cancel(
                account=account,
                sub_account=sub_account,
                cl_ord_id=f"c{n}",
                orig_cl_ord_id=cl,
                ticker=ticker,
                side=side,
                now=now,
            )
        else:
            index = op[1] % len(placed)
            account, sub_account, cl, ticker, side = placed[index]
            x.replace(
                ReplaceOrder(
                    account=account,
                    sub_account=sub_account,
                    cl_ord_id=f"r{n}",
                    orig_cl_ord_id=cl,
                    ticker=ticker,
                    side=side,
                    quantity=D(op[2]),
                    price=D(op[3]) / 100,
                ),
                now,
            )
            placed[index] = (account, sub_account, f"r{n}", ticker, side)
        _check(x)
    for ticker in TICKERS:
        x.settle_market(ticker, MarketResult.YES, now + 10)
    _check(x)


def test_an_order_that_only_closes_a_position_fits_where_an_opening_one_does_not() -> None:
    x = Exchange(events=events(), rules=dialect_rules(Dialect.CURRENT), ids=SequentialIds())
    x.fund("alice", D("10.00"))
    x.fund("bob", D("100.00"))
    x.submit(order("bob", Side.SELL, "0.50", 10), NOW)
    x.submit(order("alice", Side.BUY, "0.50", 10), NOW)  # alice: long 10 YES, 4.82 left
    assert x.ledger.require("alice").positions[T] == 10
    # Selling the 10 she holds closes them: it reserves only the fee, however many sells.
    for n in range(10):
        out = x.submit(order("alice", Side.SELL, "0.90", 1, cl_ord_id=f"close-{n}"), NOW)
        assert not of_type(out, OrderRejected)
    # An eleventh would open a NO position at 0.10 a contract: still fits (she has 4.82).
    assert not of_type(x.submit(order("alice", Side.SELL, "0.90", 1), NOW), OrderRejected)
    # Forty more open 4.00 + 0.26 fee: with the 0.21 already held back, 4.47 of 4.82 fits.
    assert not of_type(x.submit(order("alice", Side.SELL, "0.90", 40), NOW), OrderRejected)
    assert x.reserved("alice") == D("4.47")
    # Four more would open 0.40 + 0.01: 4.88 is more than she has.
    (refused,) = of_type(x.submit(order("alice", Side.SELL, "0.90", 4), NOW), OrderRejected)
    assert refused.reason is Reason.INSUFFICIENT_BALANCE
    assert x._reserves.reserved("alice", 0) == x.reserved("alice")
    assert x.reserved("alice") <= x.ledger.require("alice").balance
    assert x.reserved("alice") > Decimal(0)
