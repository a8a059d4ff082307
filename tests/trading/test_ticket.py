"""Ticket math: the four intents mapped to Kalshi's Side and YES price, figures, validation."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.trading.reports import d
from workstation.fix.messages.enums import Side, TimeInForce
from workstation.fix.messages.errors import clordid_problem
from workstation.trading.ticket import (
    Intent,
    Ticket,
    build_order,
    check_ticket,
    new_cl_ord_id,
    order_terms,
    ticket_figures,
)


@pytest.mark.parametrize(
    ("intent", "side", "yes_price", "words"),
    [
        (
            Intent.BUY_YES,
            Side.BUY,
            "0.30",
            "Buy 10 YES at 30¢ = Sell 10 NO at 70¢ (Side 1, YES price 30¢)",
        ),
        (
            Intent.SELL_YES,
            Side.SELL,
            "0.30",
            "Sell 10 YES at 30¢ = Buy 10 NO at 70¢ (Side 2, YES price 30¢)",
        ),
        (
            Intent.BUY_NO,
            Side.SELL,
            "0.70",
            "Buy 10 NO at 30¢ = Sell 10 YES at 70¢ (Side 2, YES price 70¢)",
        ),
        (
            Intent.SELL_NO,
            Side.BUY,
            "0.70",
            "Sell 10 NO at 30¢ = Buy 10 YES at 70¢ (Side 1, YES price 70¢)",
        ),
    ],
)
def test_all_four_intents_map_to_side_and_yes_price(
    intent: Intent, side: Side, yes_price: str, words: str
) -> None:
    terms = order_terms(intent, d("0.30"), d(10))
    assert (terms.side, terms.yes_price, terms.words) == (side, d(yes_price), words)


def test_subpenny_price_in_words() -> None:
    terms = order_terms(Intent.BUY_NO, d("0.0123"))
    assert terms.yes_price == d("0.9877")
    assert terms.words == "Buy NO at 1.23¢ = Sell YES at 98.77¢ (Side 2, YES price 98.77¢)"


def test_figures_buy_yes() -> None:
    # 10 YES at 40¢: cost 4.00, taker fee 0.168 → 0.17, break-even 0.40 + 0.017.
    f = ticket_figures(Intent.BUY_YES, d("0.40"), d(10))
    assert (f.contract_bought, f.price_paid, f.cost, f.fee) == (
        "YES",
        d("0.40"),
        d("4.00"),
        d("0.17"),
    )
    assert (f.max_loss, f.max_payout, f.max_profit) == (d("4.17"), d(10), d("5.83"))
    assert f.break_even == d("0.417")
    assert f.proceeds_if_closing is None


def test_figures_sell_yes_is_buying_no() -> None:
    # Sell 10 YES at 75¢ = buy 10 NO at 25¢: cost 2.50, fee 0.07 × 10 × 0.1875 = 0.13125 → 0.14.
    f = ticket_figures(Intent.SELL_YES, d("0.75"), d(10))
    assert (f.contract_bought, f.price_paid, f.cost, f.fee) == (
        "NO",
        d("0.25"),
        d("2.50"),
        d("0.14"),
    )
    assert (f.max_loss, f.max_profit, f.break_even) == (d("2.64"), d("7.36"), d("0.264"))
    assert f.proceeds_if_closing == d("7.50")


def test_figures_buy_no_and_sell_no() -> None:
    buy_no = ticket_figures(Intent.BUY_NO, d("0.30"), d(5))
    assert (buy_no.contract_bought, buy_no.cost, buy_no.fee) == ("NO", d("1.50"), d("0.08"))
    sell_no = ticket_figures(Intent.SELL_NO, d("0.30"), d(5))
    assert (sell_no.contract_bought, sell_no.price_paid, sell_no.cost) == (
        "YES",
        d("0.70"),
        d("3.50"),
    )
    assert sell_no.proceeds_if_closing == d("1.50")


def ticket(**kw: Any) -> Ticket:
    fields: dict[str, Any] = {
        "symbol": "MKT",
        "intent": Intent.BUY_YES,
        "price": d("0.40"),
        "quantity": d(10),
    }
    fields.update(kw)
    return Ticket(**fields)


@pytest.mark.parametrize(
    ("kw", "error"),
    [
        ({"price": d("0")}, "Price must be between 1¢ and 99¢ (got 0¢)"),
        ({"price": d("1")}, "Price must be between 1¢ and 99¢ (got 100¢)"),
        ({"price": d("0.405")}, "Price 40.5¢ is not on the 1¢ grid"),
        ({"quantity": d(0)}, "Quantity must be a whole number of contracts, at least 1 (got 0)"),
        (
            {"quantity": d("2.5")},
            "Quantity must be a whole number of contracts, at least 1 (got 2.5)",
        ),
        ({"symbol": " "}, "Choose a market"),
        ({"time_in_force": TimeInForce.GTD}, "Good-till-date needs an expiry time"),
        (
            {"post_only": True, "time_in_force": TimeInForce.IOC},
            "A post-only order must rest: it cannot be IOC or FOK",
        ),
    ],
)
def test_validation_messages(kw: dict[str, Any], error: str) -> None:
    check = check_ticket(ticket(**kw), now=1000.0)
    assert not check.ok
    assert check.errors == (error,)


def test_subpenny_grid() -> None:
    assert check_ticket(ticket(price=d("0.4051")), now=0, subpenny=True).ok
    check = check_ticket(ticket(price=d("0.40515")), now=0, subpenny=True)
    assert check.errors == ("Price 40.515¢ is not on the 0.01¢ (subpenny) grid",)
    assert not check_ticket(ticket(price=d("0.00001")), now=0, subpenny=True).ok


def test_past_gtd_becomes_ioc_with_a_warning() -> None:
    past = check_ticket(ticket(time_in_force=TimeInForce.GTD, expire_time=999.0), now=1000.0)
    assert past.ok
    assert past.warnings == (
        "The expiry time is already past: "
        "Kalshi will treat this order as immediate-or-cancel (IOC)",
    )
    future = check_ticket(ticket(time_in_force=TimeInForce.GTD, expire_time=2000.0), now=1000.0)
    assert future.ok and future.warnings == ()


def test_build_order_and_cl_ord_id() -> None:
    cl = new_cl_ord_id()
    assert uuid.UUID(cl).version == 4 and clordid_problem(cl) is None
    order = build_order(ticket(intent=Intent.BUY_NO, price=d("0.30"), post_only=True), cl)
    assert (order.cl_ord_id, order.side, order.price, order.order_qty) == (
        cl,
        Side.SELL,
        d("0.70"),
        d(10),
    )
    assert order.post_only and order.time_in_force is TimeInForce.GTC and order.expire_time is None
    gtd = build_order(ticket(time_in_force=TimeInForce.GTD, expire_time=5.0))
    assert gtd.expire_time == 5.0 and gtd.cl_ord_id != cl


def test_cancel_order_on_pause_reaches_the_order() -> None:
    from decimal import Decimal

    from workstation.trading.ticket import Intent, Ticket, build_order

    price, quantity = Decimal("0.40"), Decimal(3)
    ticket = Ticket(
        symbol="KX-1", intent=Intent.BUY_YES, price=price, quantity=quantity,
        cancel_order_on_pause=True,
    )
    order = build_order(ticket)
    assert order.cancel_order_on_pause
    assert (21006, "Y") in order.to_body()
    plain = Ticket(symbol="KX-1", intent=Intent.BUY_YES, price=price, quantity=quantity)
    assert not build_order(plain).cancel_order_on_pause
