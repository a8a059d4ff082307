"""Prices, quantities and money: the wire forms of SPEC §8, §10 and §12 in both directions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import avg_prices, formats, money, prices, quantities
from workstation.fix.messages import MessageError, PriceFormat, format_price, parse_price
from workstation.fix.messages.amounts import format_money, format_qty, parse_money, parse_qty
from workstation.fix.messages.prices import (
    format_avg_price,
    format_settlement_price,
    parse_avg_price,
    parse_limit_price,
    parse_quote_price,
    parse_settlement_price,
)
from workstation.fix.values import FieldFormatError

CENTS, DOLLARS = PriceFormat.CENTS, PriceFormat.DOLLARS


@pytest.mark.parametrize(
    ("price", "fmt", "text"),
    [
        (Decimal("0.75"), CENTS, "75"),
        (Decimal("0.01"), CENTS, "1"),
        (Decimal("0.99"), CENTS, "99"),
        (Decimal("0.75"), DOLLARS, "0.7500"),
        (Decimal("0.0123"), DOLLARS, "0.0123"),
        (Decimal("0.725"), DOLLARS, "0.7250"),
    ],
)
def test_format_price_writes_the_documented_forms(
    price: Decimal, fmt: PriceFormat, text: str
) -> None:
    assert format_price(price, fmt) == text


@pytest.mark.parametrize(
    ("price", "fmt"), [(Decimal("0.725"), CENTS), (Decimal("0.00001"), DOLLARS)]
)
def test_format_price_refuses_to_round(price: Decimal, fmt: PriceFormat) -> None:
    with pytest.raises(ValueError, match="not a whole number"):
        format_price(price, fmt)


@pytest.mark.parametrize(
    ("text", "fmt", "dollars"),
    [
        ("75", CENTS, "0.75"),
        ("75.00", CENTS, "0.75"),
        ("0.7500", DOLLARS, "0.75"),
        ("0.725", DOLLARS, "0.725"),
        ("0.0123", DOLLARS, "0.0123"),
        ("0.99", DOLLARS, "0.99"),
    ],
)
def test_parse_price_gives_dollars(text: str, fmt: PriceFormat, dollars: str) -> None:
    assert parse_price(44, text, fmt) == Decimal(dollars)
    assert parse_limit_price(44, text, fmt) == Decimal(dollars)


@pytest.mark.parametrize("text", ["abc", "", "7 5", "1e2", "0x10", "NaN", "1_0", "+5", "٣"])
@pytest.mark.parametrize("fmt", list(PriceFormat))
def test_garbage_price_is_a_format_error(text: str, fmt: PriceFormat) -> None:
    with pytest.raises(FieldFormatError):
        parse_price(44, text, fmt)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("0", CENTS),
        ("100", CENTS),
        ("-1", CENTS),
        ("75.5", CENTS),  # a fraction of a cent is off the cents grid
        ("0", DOLLARS),
        ("1", DOLLARS),
        ("1.0000", DOLLARS),
        ("-0.01", DOLLARS),
        ("0.12345", DOLLARS),  # a fifth decimal is off the dollars grid
        ("75", DOLLARS),  # a cents price on a dollars session is $75
    ],
)
def test_limit_price_out_of_range_is_value_incorrect(text: str, fmt: PriceFormat) -> None:
    with pytest.raises(MessageError) as info:
        parse_limit_price(44, text, fmt)
    assert (info.value.reason, info.value.tag) == (5, 44)


def test_avg_price_may_be_zero_or_between_ticks() -> None:
    assert parse_avg_price(6, "0", CENTS) == 0
    assert parse_avg_price(6, "66.5", CENTS) == Decimal("0.665")
    assert parse_avg_price(6, "0.6600", DOLLARS) == Decimal("0.66")
    assert format_avg_price(Decimal("0.665"), CENTS) == "66.5"
    assert format_avg_price(Decimal("0.66"), DOLLARS) == "0.6600"
    assert format_avg_price(Decimal("0.123456"), DOLLARS) == "0.123456"
    with pytest.raises(MessageError):
        parse_avg_price(6, "101", CENTS)


def test_quote_price_zero_means_no_quote_and_cents_drop_the_fraction() -> None:
    assert parse_quote_price(132, "0", CENTS) is None
    assert parse_quote_price(132, "0.0000", DOLLARS) is None
    assert parse_quote_price(132, "75.9", CENTS) == Decimal("0.75")
    with pytest.raises(MessageError):
        parse_quote_price(133, "100", CENTS)


def test_settlement_price_is_cents_with_two_decimals() -> None:
    assert parse_settlement_price(730, "100.00") == Decimal(1)
    assert parse_settlement_price(730, "30.60") == Decimal("0.306")
    assert format_settlement_price(Decimal(1)) == "100.00"
    assert format_settlement_price(Decimal("0.306")) == "30.60"
    with pytest.raises(MessageError):
        parse_settlement_price(730, "100.01")


@settings(max_examples=200, deadline=None)
@given(st.data(), formats)
def test_prices_round_trip(data: st.DataObject, fmt: PriceFormat) -> None:
    price = data.draw(prices(fmt))
    assert parse_limit_price(44, format_price(price, fmt), fmt) == price
    avg = data.draw(avg_prices(fmt))
    assert parse_avg_price(6, format_avg_price(avg, fmt), fmt) == avg


@pytest.mark.parametrize(
    ("qty", "text"),
    [(Decimal(10), "10"), (Decimal("10.00"), "10"), (Decimal("2.5"), "2.50"), (Decimal(0), "0")],
)
def test_quantities_are_plain_integers_when_whole(qty: Decimal, text: str) -> None:
    assert format_qty(qty) == text


@pytest.mark.parametrize("qty", [Decimal("-1"), Decimal("0.001")])
def test_format_qty_refuses_negative_or_finer_than_a_hundredth(qty: Decimal) -> None:
    with pytest.raises(ValueError):
        format_qty(qty)


def test_parse_qty_accepts_both_scales_and_refuses_zero_unless_allowed() -> None:
    assert parse_qty(38, "10") == parse_qty(38, "10.00") == Decimal(10)
    assert parse_qty(14, "0", allow_zero=True) == 0
    for text in ("0", "-1", "0.001"):
        with pytest.raises(MessageError) as info:
            parse_qty(38, text)
        assert (info.value.reason, info.value.tag) == (5, 38)
    with pytest.raises(FieldFormatError):
        parse_qty(38, "ten")


def test_money_keeps_its_places_with_at_least_two() -> None:
    assert format_money(Decimal(100)) == "100.00"
    assert format_money(Decimal("0.006")) == "0.006"
    assert format_money(Decimal("-0.7500")) == "-0.7500"
    assert parse_money(137, "-0.01") == Decimal("-0.01")


@settings(max_examples=200, deadline=None)
@given(quantities, money)
def test_quantities_and_money_round_trip(qty: Decimal, amount: Decimal) -> None:
    assert parse_qty(38, format_qty(qty)) == qty
    assert parse_money(1704, format_money(amount)) == amount
