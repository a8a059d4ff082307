"""Fills keyed by (venue, account, ExecID), applied once; healed and estimated fees flagged."""

from __future__ import annotations

from tests.trading.reports import ACCOUNT, VENUE, d, new, trade
from workstation.fix.messages.enums import CollateralAmountType
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.money_groups import CollateralChange
from workstation.trading.changes import FillAdded, FillDuplicateIgnored, FillIgnored
from workstation.trading.fills import Fills


def test_trade_recorded_once_then_duplicates_reported() -> None:
    fills = Fills()
    er = trade(
        exec_id="7;3",
        last_qty=4,
        last_px="0.45",
        cum=4,
        fee="0.07",
        balance="-1.87",
        long_qty=d(4),
        short_qty=d(0),
        aggressor=True,
        trd_match_id="m1",
    )
    (added,) = fills.add(er, venue=VENUE, account=ACCOUNT, now=5.0)
    assert isinstance(added, FillAdded)
    fill = added.fill
    assert fill.key == (VENUE, ACCOUNT, ExecId(7, 3))
    assert (fill.price, fill.no_price, fill.quantity) == (d("0.45"), d("0.55"), d(4))
    assert (fill.fee, fill.fee_estimated, fill.balance_change) == (d("0.07"), False, d("-1.87"))
    assert (fill.long_qty, fill.aggressor, fill.healed) == (d(4), True, False)

    (again,) = fills.add(er, venue=VENUE, account=ACCOUNT, now=6.0, healed=True)
    assert again == FillDuplicateIgnored(key=(VENUE, ACCOUNT, ExecId(7, 3)), healed=True)
    assert len(fills) == 1 and fills.get(fill.key) is fill


def test_exec_ids_are_unique_only_within_a_venue() -> None:
    fills = Fills()
    er = trade(exec_id="1;1", last_qty=1, last_px="0.5", cum=1)
    assert isinstance(fills.add(er, venue="sim-a", account=ACCOUNT, now=1.0)[0], FillAdded)
    assert isinstance(fills.add(er, venue="sim-b", account=ACCOUNT, now=1.0)[0], FillAdded)
    assert len(fills) == 2


def test_healed_fill_flagged_and_pending_exec_id_never_keyed() -> None:
    fills = Fills()
    (added,) = fills.add(
        trade(exec_id="3;1", last_qty=2, last_px="0.6", cum=2),
        venue=VENUE,
        account=ACCOUNT,
        now=1.0,
        healed=True,
    )
    assert isinstance(added, FillAdded) and added.fill.healed
    (ignored,) = fills.add(
        trade(exec_id="-1;-1", last_qty=2, last_px="0.6", cum=2),
        venue=VENUE,
        account=ACCOUNT,
        now=1.0,
    )
    assert isinstance(ignored, FillIgnored) and "-1;-1" in ignored.reason
    assert fills.add(new(), venue=VENUE, account=ACCOUNT, now=1.0) == []
    assert len(fills) == 1


def test_missing_fee_is_estimated_and_flagged() -> None:
    fills = Fills()
    taker = trade(exec_id="1;1", last_qty=10, last_px="0.50", cum=10, aggressor=True)
    maker = trade(exec_id="1;2", last_qty=10, last_px="0.50", cum=10, aggressor=False)
    (t,) = fills.add(taker, venue=VENUE, account=ACCOUNT, now=1.0)
    (m,) = fills.add(maker, venue=VENUE, account=ACCOUNT, now=1.0)
    assert isinstance(t, FillAdded) and isinstance(m, FillAdded)
    assert (t.fill.fee, t.fill.fee_estimated) == (d("0.18"), True)
    assert (m.fill.fee, m.fill.fee_estimated) == (d("0.00"), True)


def test_collateral_sums_and_lookups() -> None:
    fills = Fills()
    er = trade(
        exec_id="2;9",
        last_qty=1,
        last_px="0.5",
        cum=1,
        collateral_changes=(
            CollateralChange(amount=d("-0.50"), kind=CollateralAmountType.BALANCE),
            CollateralChange(amount=d("-0.01"), kind=CollateralAmountType.BALANCE),
            CollateralChange(amount=d("1.00"), kind=CollateralAmountType.PAYOUT),
        ),
    )
    fills.add(er, venue=VENUE, account=ACCOUNT, now=1.0)
    fills.add(
        trade(exec_id="10;1", last_qty=1, last_px="0.5", cum=2),
        venue=VENUE,
        account=ACCOUNT,
        now=2.0,
    )
    (fill, later) = fills.for_order(VENUE, "o1")
    assert (fill.balance_change, fill.payout_change) == (d("-0.51"), d("1.00"))
    assert later.exec_id == ExecId(10, 1)
    assert fills.newest_exec_id(VENUE, ACCOUNT) == ExecId(10, 1)
    assert fills.newest_exec_id("elsewhere", ACCOUNT) is None
