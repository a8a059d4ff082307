"""Positions and P&L from fills, worked out by hand (Decimal, exact)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from tests.trading.reports import ACCOUNT, VENUE, d, trade
from workstation.fix.messages.enums import Side
from workstation.trading.changes import FillAdded, PositionChanged
from workstation.trading.fills import Fill, Fills
from workstation.trading.positions import Held, Lot, Position, Positions


def make_fill(exec_id: str, side: Side, qty: int, price: str, fee: str, **kw: Any) -> Fill:
    er = trade(
        exec_id=exec_id, side=side, last_qty=qty, last_px=price, cum=qty, qty=qty, fee=fee, **kw
    )
    (added,) = Fills().add(
        er, venue=VENUE, account=ACCOUNT, now=float(kw.get("transact_time") or 0)
    )
    assert isinstance(added, FillAdded)
    return added.fill


def book(positions: Positions, fill: Fill) -> Position:
    (changed,) = positions.apply_fill(fill)
    assert isinstance(changed, PositionChanged)
    return changed.position


def test_round_trip_through_yes_and_no_by_hand() -> None:
    positions = Positions()
    # Buy 10 YES at 40¢, fee 0.07 × 10 × 0.4 × 0.6 = 0.168 → 0.17.
    p = book(positions, make_fill("1;1", Side.BUY, 10, "0.40", "0.17"))
    assert (p.net, p.held, p.cost_basis, p.avg_entry_price) == (
        d(10),
        Held.YES,
        d("4.00"),
        d("0.40"),
    )
    assert p.realized_pnl == d("-0.17")  # fees are charged when paid

    # Sell 4 YES at 55¢ (fee 0.0693 → 0.07): closes 4 of the 40¢ lot, +4 × 0.15 = 0.60.
    p = book(positions, make_fill("2;1", Side.SELL, 4, "0.55", "0.07"))
    assert (p.net, p.lots, p.cost_basis) == (d(6), (Lot(d(6), d("0.40")),), d("2.40"))
    assert p.realized_pnl == d("0.36")  # 0.60 − 0.17 − 0.07
    assert p.unrealized_pnl(yes_bid=d("0.50"), yes_ask=d("0.52")) == d("0.60")  # 6 × 0.50 − 2.40

    # Sell 10 YES at 60¢ (fee 0.168 → 0.17): closes 6 YES (+6 × 0.20 = 1.20), opens 4 NO at 40¢.
    p = book(positions, make_fill("3;1", Side.SELL, 10, "0.60", "0.17"))
    assert (p.net, p.held, p.lots) == (d(-4), Held.NO, (Lot(d(4), d("0.40")),))
    assert (p.realized_pnl, p.fees, p.exposure) == (d("1.39"), d("0.41"), d("1.60"))
    # A NO position is marked at 1 − YES ask: 4 × (1 − 0.70) − 1.60 = −0.40.
    assert p.mark_price(yes_bid=d("0.68"), yes_ask=d("0.70")) == d("0.30")
    assert p.unrealized_pnl(yes_bid=d("0.68"), yes_ask=d("0.70")) == d("-0.40")
    assert p.unrealized_pnl(yes_bid=d("0.68"), yes_ask=None) is None

    # Buy 4 YES at 30¢ (fee 0.0588 → 0.06): exits the NO at 70¢, +4 × 0.30 = 1.20.
    p = book(positions, make_fill("4;1", Side.BUY, 4, "0.30", "0.06"))
    assert (p.net, p.held, p.lots, p.avg_entry_price) == (d(0), Held.FLAT, (), None)
    assert (p.realized_pnl, p.fees, p.fill_count) == (d("2.53"), d("0.47"), 4)
    assert p.unrealized_pnl(yes_bid=None, yes_ask=None) == d(0)
    assert positions.realized_total(VENUE, ACCOUNT) == d("2.53")


def test_fifo_close_across_lots() -> None:
    positions = Positions()
    book(positions, make_fill("1;1", Side.SELL, 5, "0.80", "0.00"))  # 5 NO at 20¢
    book(positions, make_fill("1;2", Side.SELL, 5, "0.70", "0.00"))  # 5 NO at 30¢
    p = book(positions, make_fill("1;3", Side.BUY, 7, "0.50", "0.00"))  # exit 7 NO at 50¢
    # 5 × (0.50 − 0.20) + 2 × (0.50 − 0.30) = 1.50 + 0.40
    assert (p.realized_pnl, p.net, p.lots) == (d("1.90"), d(-3), (Lot(d(3), d("0.30")),))
    assert p.payout_if(yes_wins=False) == d(3) and p.payout_if(yes_wins=True) == d(0)


def test_out_of_order_fills_give_the_same_position() -> None:
    fills = [
        make_fill("1;1", Side.BUY, 10, "0.40", "0.17"),
        make_fill("2;1", Side.SELL, 4, "0.55", "0.07"),
        make_fill("3;1", Side.SELL, 10, "0.60", "0.17"),
        make_fill("4;1", Side.BUY, 2, "0.35", "0.04"),
    ]
    results = set()
    for order in itertools.permutations(fills):
        positions = Positions()
        for fill in order:
            last = book(positions, fill)
        results.add(last)
    assert len(results) == 1
    (p,) = results
    assert (p.net, p.realized_pnl) == (d(-2), d("1.39") - d("0.04") + 2 * (d("0.65") - d("0.40")))


def test_exchange_position_cross_check_flags_and_heals() -> None:
    positions = Positions()
    p = book(positions, make_fill("1;1", Side.BUY, 10, "0.40", "0", long_qty=d(10), short_qty=d(0)))
    assert p.mismatch is None
    # 3;1 says 16 YES after it: we have not seen 2;1 yet (bought 2).
    p = book(positions, make_fill("3;1", Side.BUY, 4, "0.40", "0", long_qty=d(16), short_qty=d(0)))
    assert p.net == d(14)
    assert p.mismatch == "exchange reports 16 YES after ExecID 3;1; our fills give 14 YES"
    p = book(positions, make_fill("2;1", Side.BUY, 2, "0.40", "0", long_qty=d(12), short_qty=d(0)))
    assert (p.net, p.mismatch) == (d(16), None)  # the heal fills the gap
    p = book(positions, make_fill("5;1", Side.SELL, 20, "0.50", "0", long_qty=d(0), short_qty=d(5)))
    assert p.mismatch == "exchange reports 5 NO after ExecID 5;1; our fills give 4 NO"


def test_positions_keyed_by_sub_account_and_balance_since_a_poll() -> None:
    positions = Positions()
    book(
        positions,
        make_fill("1;1", Side.BUY, 1, "0.40", "0.01", balance="-0.41", transact_time=100.0),
    )
    book(
        positions,
        make_fill(
            "1;2",
            Side.BUY,
            1,
            "0.40",
            "0.01",
            balance="-0.41",
            transact_time=200.0,
            alloc_account=3,
        ),
    )
    book(
        positions,
        make_fill("1;3", Side.SELL, 1, "0.50", "0.01", balance="0.49", transact_time=300.0),
    )
    assert len(positions) == 2
    primary = positions.get(VENUE, ACCOUNT, None, "HIGHNY-23DEC31")
    sub = positions.get(VENUE, ACCOUNT, "3", "HIGHNY-23DEC31")
    assert primary is not None and sub is not None
    assert (primary.net, sub.net) == (d(0), d(1))
    assert len(positions.in_market(VENUE, ACCOUNT, "HIGHNY-23DEC31")) == 2
    assert positions.balance_since(150.0) == d("0.08")  # −0.41 + 0.49
    assert positions.balance_since(0.0, venue=VENUE, account=ACCOUNT) == d("-0.33")
    assert positions.balance_since(0.0, venue="other") == d(0)


def test_settlement_closes_positions_and_survives_a_late_heal() -> None:
    positions = Positions()
    book(positions, make_fill("1;1", Side.BUY, 10, "0.40", "0"))
    book(positions, make_fill("1;2", Side.SELL, 5, "0.70", "0", alloc_account=3))  # 5 NO at 30¢
    changes = positions.settle_market(VENUE, ACCOUNT, "HIGHNY-23DEC31", d(0), {"3": d("0.01")})
    settled = {
        c.position.sub_account: c.position for c in changes if isinstance(c, PositionChanged)
    }
    # NO result: YES lots exit at $0, NO lots at $1; the sub-account pays a 0.01 rounding fee.
    assert (settled[None].net, settled[None].realized_pnl) == (d(0), d("-4.00"))
    assert (settled["3"].realized_pnl, settled["3"].fees, settled["3"].settled_value) == (
        d("3.49"),
        d("0.01"),
        d(0),
    )
    assert positions.settle_market(VENUE, ACCOUNT, "HIGHNY-23DEC31", d(0)) == []
    # A drop-copy heal of an earlier fill: the position is rebuilt and settled again.
    p = book(positions, make_fill("0;5", Side.BUY, 2, "0.50", "0"))
    assert (p.net, p.realized_pnl, p.fill_count) == (d(0), d("-5.00"), 2)


def test_fills_at_the_price_of_the_newest_lot_add_to_it() -> None:
    positions = Positions()
    for n in range(1, 4):  # 3 × 2 YES at 40¢: one lot of 6
        p = book(positions, make_fill(f"1;{n}", Side.BUY, 2, "0.40", "0"))
    assert (p.net, p.lots, p.cost_basis) == (d(6), (Lot(d(6), d("0.40")),), d("2.40"))
    p = book(positions, make_fill("1;4", Side.BUY, 2, "0.50", "0"))
    p = book(positions, make_fill("1;5", Side.BUY, 1, "0.40", "0"))  # not the newest lot's price
    assert p.lots == (Lot(d(6), d("0.40")), Lot(d(2), d("0.50")), Lot(d(1), d("0.40")))
    # FIFO closes the 40¢ lot of 6 first, as it would have closed three lots of 2.
    p = book(positions, make_fill("1;6", Side.SELL, 7, "0.60", "0"))
    assert (p.realized_pnl, p.lots) == (
        6 * d("0.20") + d("0.10"),
        (Lot(d(1), d("0.50")), Lot(d(1), d("0.40"))),
    )
    # Opening NO after closing every YES lot starts a new lot at the NO price.
    p = book(positions, make_fill("1;7", Side.SELL, 4, "0.70", "0"))
    assert (p.net, p.lots) == (d(-2), (Lot(d(2), d("0.30")),))


def test_balance_since_a_poll_follows_every_fill_in_any_order() -> None:
    """The kept sum equals a fresh count over every fill, whatever order fills arrive in
    (late ones included) and whichever poll, venue or account is asked about."""
    positions = Positions()
    seen: list[Fill] = []

    def brute(poll: float, venue: str | None = None, account: str | None = None) -> Decimal:
        return sum(
            (
                f.balance_change
                for f in seen
                if f.at > poll
                and (venue is None or f.venue == venue)
                and (account is None or f.account == account)
            ),
            d(0),
        )

    times = [100.0, 300.0, 200.0, 400.0, 150.0, 400.0, 50.0, 500.0]  # 200, 150, 50 arrive late
    for n, at in enumerate(times, start=1):
        fill = make_fill(
            f"{int(at)};{n}", Side.BUY, 1, "0.40", "0", balance=f"-0.{n}1", transact_time=at
        )
        book(positions, fill)
        seen.append(fill)
        for poll in (0.0, 150.0, 250.0, 400.0):  # asked again and again as fills arrive
            assert positions.balance_since(poll) == brute(poll)
        assert positions.balance_since(150.0) == brute(150.0)
        assert positions.balance_since(150.0, venue=VENUE) == brute(150.0, VENUE)
        assert positions.balance_since(0.0, venue="other") == d(0)
        assert positions.balance_since(0.0, account=ACCOUNT) == brute(0.0, account=ACCOUNT)
    after_150 = ("-0.21", "-0.31", "-0.41", "-0.61", "-0.81")  # at 300, 200, 400, 400, 500
    assert positions.balance_since(150.0) == sum((d(x) for x in after_150), d(0))
    # A fill exactly at the poll time is in the polled balance already.
    assert positions.balance_since(400.0) == d("-0.81")


def test_balance_since_counts_fills_without_a_transact_time_by_arrival() -> None:
    positions = Positions()
    assert positions.balance_since(10.0) == d(0)
    er = trade(exec_id="1;1", last_qty=1, last_px="0.40", cum=1, qty=1, balance="-0.40")
    (added,) = Fills().add(er, venue=VENUE, account=ACCOUNT, now=20.0)
    assert isinstance(added, FillAdded)
    book(positions, added.fill)
    assert positions.balance_since(10.0) == d("-0.40")
    assert positions.balance_since(20.0) == d(0)
