"""The exchange's block trade (an executed RFQ): two accounts trade off the book with full
trade economics, all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workstation.fix.dialect import Dialect
from workstation.simulator.exchange import (
    Exchange,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderRejected,
    Reason,
    Side,
    TimeInForce,
)
from workstation.simulator.exchange.block_trades import BlockTrade, BlockTradeSide
from workstation.simulator.exchange.types import OrdStatus

from ..exchange.helpers import NOW, SUB, T2, D, T, exchange, of_type, order


def trade(
    *,
    buyer: str = "alice",
    seller: str = "bob",
    price: str = "0.60",
    quantity: str | int = 10,
    taker_is_buyer: bool = True,
    ticker: str = T,
    **sides: BlockTradeSide,
) -> BlockTrade:
    return BlockTrade(
        ticker=ticker,
        yes_price=D(price),
        quantity=D(quantity),
        buyer=sides.get("buyer_side", BlockTradeSide(account=buyer, cl_ord_id=f"{buyer}-blk")),
        seller=sides.get("seller_side", BlockTradeSide(account=seller, cl_ord_id=f"{seller}-blk")),
        taker_is_buyer=taker_is_buyer,
    )


def balance(x: Exchange, account: str, sub: int = 0) -> Decimal:
    found = x.ledger.get(account, sub)
    assert found is not None
    return found.balance


def test_both_sides_are_accepted_then_filled_in_one_cycle_taker_first() -> None:
    x = exchange()
    results = x.execute_block_trade(trade(taker_is_buyer=False), NOW)
    assert [type(r).__name__ for r in results] == [
        "OrderAccepted",
        "OrderAccepted",
        "OrderFilled",
        "OrderFilled",
    ]
    accepted = of_type(results, OrderAccepted)
    fills = of_type(results, OrderFilled)
    # The seller took the buyer's quote: the seller is first and the aggressor.
    assert [a.order.account for a in accepted] == ["bob", "alice"]
    assert [f.order.account for f in fills] == ["bob", "alice"]
    assert [f.aggressor for f in fills] == [True, False]
    assert all(a.traded_at_once and a.order.status is OrdStatus.NEW for a in accepted)
    assert accepted[0].order.leaves_qty == 10
    ids = [r.exec_id for r in (*accepted, *fills)]
    assert len({i.clock for i in ids}) == 1 and [i.event for i in ids] == [1, 2, 3, 4]
    assert fills[0].trade_id == fills[1].trade_id
    for fill in fills:
        assert fill.last_px == D("0.60") and fill.last_qty == 10
        assert fill.order.status is OrdStatus.FILLED
        assert (fill.order.cum_qty, fill.order.leaves_qty, fill.order.avg_px) == (
            10,
            0,
            D("0.6000"),
        )
        assert fill.order.session_tag is None and fill.order.price == D("0.60")
        assert fill.clearing_date == "20261118"
    assert fills[0].order.side is Side.SELL and fills[1].order.side is Side.BUY


def test_fees_collateral_and_positions_follow_the_trade() -> None:
    x = exchange()
    results = x.execute_block_trade(trade(), NOW)
    buyer_fill, seller_fill = of_type(results, OrderFilled)
    # Taker (the buyer) pays ceil(0.07 * 10 * 0.6 * 0.4) = 0.17; makers pay nothing by default.
    assert (buyer_fill.fee, seller_fill.fee) == (D("0.17"), D("0.00"))
    assert buyer_fill.balance_change == D("-6.17")  # 10 YES at 0.60, plus the fee
    assert seller_fill.balance_change == D("-4.00")  # 10 NO at 0.40
    assert (buyer_fill.long_qty, buyer_fill.short_qty) == (10, 0)
    assert (seller_fill.long_qty, seller_fill.short_qty) == (0, 10)
    assert balance(x, "alice") == D("993.83") and balance(x, "bob") == D("996.00")
    assert x.ledger.position("alice", 0, T) == 10 and x.ledger.position("bob", 0, T) == -10
    snapshot = x.snapshot("alice")
    assert [o.cl_ord_id for o in snapshot.orders] == ["alice-blk"]
    assert snapshot.orders[0].status is OrdStatus.FILLED
    assert list(snapshot.fills) == [str(buyer_fill.exec_id)]
    assert snapshot.sub_accounts[0].fees_paid == D("0.17")

    # Closing: alice sells her 10 YES to carol at 0.70 and gets the collateral back.
    closing = x.execute_block_trade(
        trade(buyer="carol", seller="alice", price="0.70", taker_is_buyer=False), NOW + 1
    )
    carol_fill, alice_fill = of_type(closing, OrderFilled)[1], of_type(closing, OrderFilled)[0]
    assert alice_fill.order.account == "alice" and carol_fill.order.account == "carol"
    assert alice_fill.collateral_returned == D("7.00")
    assert alice_fill.fee == D("0.15")  # ceil(0.07 * 10 * 0.7 * 0.3) = 0.147 -> 0.15
    assert alice_fill.balance_change == D("6.85")
    assert (alice_fill.long_qty, alice_fill.short_qty) == (0, 0)
    assert x.ledger.position("alice", 0, T) == 0


def test_a_market_maker_fee_applies_to_the_side_that_quoted() -> None:
    x = exchange()
    market = x.market(T)
    assert market is not None
    market.maker_fee_coefficient = D("0.0175")
    taker, maker = of_type(x.execute_block_trade(trade(taker_is_buyer=False), NOW), OrderFilled)
    assert (taker.order.account, taker.fee) == ("bob", D("0.17"))
    assert (maker.order.account, maker.fee) == ("alice", D("0.05"))  # 0.042 rounded up


def test_the_book_takes_no_part() -> None:
    x = exchange()
    x.submit(order("carol", Side.SELL, "0.55", 5), NOW)
    x.submit(order("carol", Side.BUY, "0.45", 5), NOW)
    before = (x.depth(T, Side.BUY), x.depth(T, Side.SELL))
    results = x.execute_block_trade(trade(price="0.60"), NOW + 1)
    assert {f.order.account for f in of_type(results, OrderFilled)} == {"alice", "bob"}
    assert (x.depth(T, Side.BUY), x.depth(T, Side.SELL)) == before
    assert not x.open_orders("alice") and not x.open_orders("bob")
    assert len(x.open_orders("carol")) == 2


def test_fractional_rfq_sizes_trade_in_hundredths() -> None:
    x = exchange()
    buyer, seller = of_type(x.execute_block_trade(trade(quantity="2.50"), NOW), OrderFilled)
    assert buyer.last_qty == D("2.50") and seller.short_qty == D("2.50")
    assert buyer.balance_change == D("-1.50") - buyer.fee


def test_a_subpenny_price_trades_on_a_subpenny_market() -> None:
    x = exchange()
    buyer, seller = of_type(
        x.execute_block_trade(trade(ticker=SUB, price="0.6025"), NOW), OrderFilled
    )
    # 10 NO at 0.3975 = 3.975: the balance moves by whole cents, the fraction joins the fee.
    assert seller.balance_change == D("-3.98") and seller.fee == D("0.005")
    assert buyer.last_px == D("0.6025")


def test_given_order_ids_and_sub_accounts_are_used() -> None:
    x = exchange()
    x.fund("alice", D("50.00"), sub_account=3)
    results = x.execute_block_trade(
        trade(
            buyer_side=BlockTradeSide(
                account="alice", cl_ord_id="acc-1", sub_account=3, order_id="announced-id"
            )
        ),
        NOW,
    )
    buyer = of_type(results, OrderFilled)[0]
    assert buyer.order.order_id == "announced-id" and buyer.order.sub_account == 3
    assert x.ledger.position("alice", 3, T) == 10 and x.ledger.position("alice", 0, T) == 0


def test_a_clordid_held_by_a_live_order_keeps_pointing_at_it() -> None:
    x = exchange()
    x.submit(order("bob", Side.BUY, "0.30", 5, ticker=T2, cl_ord_id="shared"), NOW)
    x.execute_block_trade(
        trade(seller_side=BlockTradeSide(account="bob", cl_ord_id="shared")), NOW + 1
    )
    cancelled = x.cancel(
        account="bob",
        cl_ord_id="c-1",
        orig_cl_ord_id="shared",
        ticker=T2,
        side=Side.BUY,
        now=NOW + 2,
    )
    assert of_type(cancelled, OrderCancelled), cancelled
    # A ClOrdID nobody holds finds the block order afterwards.
    x.execute_block_trade(trade(price="0.61"), NOW + 3)
    order_id = x.state.cl_ord_ids["alice"]["alice-blk"]
    found = x.order(order_id)
    assert found is not None and found.price == D("0.61")


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        (lambda x: x.pause_exchange(NOW), Reason.EXCHANGE_PAUSED),
        (lambda x: x.pause_market(T, NOW), Reason.TRADING_PAUSED),
        (lambda x: x.close_market(T, NOW), Reason.MARKET_ALREADY_CLOSED),
    ],
    ids=["exchange-paused", "market-paused", "market-closed"],
)
def test_nothing_trades_when_trading_has_stopped(setup: object, reason: Reason) -> None:
    x = exchange()
    assert callable(setup)
    setup(x)
    results = x.execute_block_trade(trade(), NOW + 1)
    rejects = of_type(results, OrderRejected)
    assert [r.request.account for r in rejects] == ["alice", "bob"]
    assert {r.reason for r in rejects} == {reason}
    assert not of_type(results, OrderFilled)
    assert balance(x, "alice") == D("1000.00") and not x.snapshot("alice").orders


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"ticker": "KXNOPE-1"}, Reason.MARKET_NOT_FOUND),
        ({"price": "0.605"}, Reason.INVALID_ORDER),
        ({"price": "1.00"}, Reason.INVALID_ORDER),
        ({"quantity": "0"}, Reason.INVALID_ORDER),
        ({"quantity": "1.005"}, Reason.INVALID_ORDER),
        ({"seller": "nobody"}, Reason.CUSTOMER_ACCOUNT_NOT_FOUND),
    ],
)
def test_bad_trades_are_refused_whole(kwargs: dict[str, str], reason: Reason) -> None:
    x = exchange()
    results = x.execute_block_trade(trade(**kwargs), NOW)  # type: ignore[arg-type]
    rejects = of_type(results, OrderRejected)
    assert len(rejects) == 2 and {r.reason for r in rejects} == {reason}
    assert not of_type(results, OrderAccepted) and not x.state.fills


def test_a_side_that_cannot_afford_it_stops_the_trade_for_both() -> None:
    x = exchange(funds="5.00")
    results = x.execute_block_trade(trade(price="0.60", quantity=10), NOW)  # buyer needs 6.17
    rejects = of_type(results, OrderRejected)
    assert [(r.request.account, r.reason) for r in rejects] == [
        ("alice", Reason.INSUFFICIENT_BALANCE),
        ("bob", Reason.INSUFFICIENT_BALANCE),
    ]
    assert [r.request.side for r in rejects] == [Side.BUY, Side.SELL]
    assert [r.ord_rej_reason for r in rejects] == [3, 3]
    assert balance(x, "alice") == D("5.00") and balance(x, "bob") == D("5.00")
    assert x.ledger.position("bob", 0, T) == 0


def test_the_reserve_of_resting_orders_counts_against_the_trade() -> None:
    x = exchange(funds="10.00")
    x.submit(order("bob", Side.SELL, "0.50", 15, ticker=T2), NOW)  # reserves 7.50 + fee
    rejected = x.execute_block_trade(trade(price="0.60", quantity=10), NOW)  # bob needs 4.00
    assert {r.reason for r in of_type(rejected, OrderRejected)} == {Reason.INSUFFICIENT_BALANCE}
    assert of_type(x.execute_block_trade(trade(price="0.60", quantity=5), NOW), OrderFilled)


def test_the_1_0_13_dialect_codes_insufficient_balance_as_other() -> None:
    x = exchange(Dialect.V1_0_13, funds="1.00")
    rejects = of_type(x.execute_block_trade(trade(), NOW), OrderRejected)
    assert {r.ord_rej_reason for r in rejects} == {99}


def test_expiries_due_come_first() -> None:
    x = exchange()
    x.submit(
        order("carol", Side.BUY, "0.20", 1, time_in_force=TimeInForce.GTD, expire_time=NOW + 5),
        NOW,
    )
    results = x.execute_block_trade(trade(), NOW + 10)
    assert isinstance(results[0], OrderCancelled) and results[0].expired
    assert results[0].order.account == "carol"
    assert [type(r).__name__ for r in results[1:]] == ["OrderAccepted"] * 2 + ["OrderFilled"] * 2


def test_one_account_cannot_trade_with_itself() -> None:
    with pytest.raises(ValueError, match="two accounts"):
        trade(buyer="alice", seller="alice")
