"""Kalshi's published fee formula: round up to the next cent of coefficient × C × P × (1 − P)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.trading.reports import d
from workstation.trading.fees import (
    TAKER_COEFFICIENT,
    estimate_order_fee,
    fee,
    maker_fee,
    taker_fee,
)


@pytest.mark.parametrize(
    ("qty", "price", "expected"),
    [
        (10, "0.50", "0.18"),  # 0.07 × 10 × 0.25 = 0.175 → 0.18
        (100, "0.50", "1.75"),  # exactly 1.75: no rounding
        (1, "0.01", "0.01"),  # 0.000693 → 0.01
        (10, "0.40", "0.17"),  # 0.168 → 0.17
        (3, "0.0123", "0.01"),  # subpenny price
        (0, "0.50", "0.00"),
    ],
)
def test_taker_fee(qty: int, price: str, expected: str) -> None:
    assert taker_fee(d(qty), d(price)) == d(expected)


def test_maker_fee_only_where_charged() -> None:
    assert maker_fee(d(100), d("0.50")) == d("0.44")  # 0.4375 → 0.44
    assert maker_fee(d(100), d("0.50"), charged=False) == d("0.00")
    estimate = estimate_order_fee(d(100), d("0.50"), maker_fees=True)
    assert (estimate.taker, estimate.maker, estimate.worst) == (d("1.75"), d("0.44"), d("1.75"))


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="between"):
        taker_fee(d(1), d("1.5"))
    with pytest.raises(ValueError, match="negative"):
        taker_fee(d(-1), d("0.5"))


@settings(max_examples=200, deadline=None)
@given(
    qty=st.integers(min_value=1, max_value=100_000),
    cents=st.integers(min_value=1, max_value=99),
)
def test_fee_is_the_next_whole_cent_and_the_same_for_yes_and_no(qty: int, cents: int) -> None:
    price = Decimal(cents) / 100
    raw = TAKER_COEFFICIENT * qty * price * (1 - price)
    charged = fee(Decimal(qty), price, TAKER_COEFFICIENT)
    assert charged == charged.quantize(Decimal("0.01"))
    assert raw <= charged < raw + Decimal("0.01")
    assert charged == taker_fee(Decimal(qty), 1 - price)
