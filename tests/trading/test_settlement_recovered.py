"""A settlement recovered from REST (KalshiPT could not resend it) books once: against a live
copy arriving before or after it, a second recovery, or pages of the live one still missing."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from tests.trading.reports import ACCOUNT, SYMBOL, VENUE, d, new, trade
from workstation.fix.messages.enums import CollateralAmountType, MarketResult
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.settlement import MarketSettlementReport, SettlementParty
from workstation.trading.changes import PositionChanged, SettlementChanged
from workstation.trading.state import TradingState


def holding(yes: int = 10) -> TradingState:
    """Our fills hold ``yes`` YES contracts bought at 40¢."""
    state = TradingState()
    state.apply(new(qty=yes), venue=VENUE, account=ACCOUNT, now=1.0)
    state.apply(
        trade(exec_id="2;1", last_qty=yes, last_px="0.40", cum=yes, qty=yes),
        venue=VENUE,
        account=ACCOUNT,
        now=2.0,
    )
    return state


def report(
    report_id: str, *, parties: int = 1, page: int = 1, yes: int = 10
) -> MarketSettlementReport:
    """Page ``page`` of a YES settlement: party ``0`` holds our ``yes`` contracts; with
    ``parties`` > 1 the other pages are sub-accounts with nothing of ours."""
    pid = "0" if page == 1 else str(page)
    held = yes if page == 1 else 5
    return MarketSettlementReport(
        report_id=report_id,
        symbol=SYMBOL,
        clearing_business_date="20231231",
        result=MarketResult.YES,
        settlement_price=d("1.00"),
        total_reports=parties,
        last_fragment=page == parties,
        parties=(
            SettlementParty(
                party_id=pid,
                long_qty=d(held),
                short_qty=d(0),
                collateral_changes=(
                    CollateralChange(amount=d(held), kind=CollateralAmountType.PAYOUT),
                ),
                fees=(MiscFee(amount=d("0.00")),),
            ),
        ),
    )


def settle_count(changes: Sequence[object]) -> int:
    return sum(1 for c in changes if isinstance(c, PositionChanged))


def test_a_recovered_settlement_is_complete_reconciled_and_closes_the_position() -> None:
    state = holding()
    changes = state.recover_settlement(report("REST 1"), venue=VENUE, account=ACCOUNT, now=5.0)
    settlement = state.settlements.get(VENUE, SYMBOL)
    assert settlement is not None and settlement.recovered and settlement.complete
    assert not settlement.mismatched and settlement.total_payout == Decimal(10)
    assert any(isinstance(c, SettlementChanged) for c in changes)
    assert settle_count(changes) == 1
    (position,) = list(state.positions)
    assert position.settled_value == Decimal(1)
    assert state.settlements.holds(VENUE, SYMBOL)


def test_a_live_copy_after_a_recovered_one_is_applied_once() -> None:
    state = holding()
    state.recover_settlement(report("REST 1"), venue=VENUE, account=ACCOUNT, now=5.0)
    later = state.apply(report("live-1"), venue=VENUE, account=ACCOUNT, now=6.0)
    assert later == []
    settlement = state.settlements.get(VENUE, SYMBOL)
    assert settlement is not None and settlement.recovered
    assert settlement.report_ids == ("REST 1",) and settlement.total_payout == Decimal(10)
    assert state.settlements.totals(VENUE).payout == Decimal(10)


def test_recovering_a_settlement_already_received_live_changes_nothing() -> None:
    state = holding()
    state.apply(report("live-1"), venue=VENUE, account=ACCOUNT, now=5.0)
    assert state.recover_settlement(report("REST 1"), venue=VENUE, account=ACCOUNT, now=6.0) == []
    again = state.recover_settlement(report("REST 2"), venue=VENUE, account=ACCOUNT, now=7.0)
    assert again == []
    settlement = state.settlements.get(VENUE, SYMBOL)
    assert settlement is not None and not settlement.recovered
    assert settlement.report_ids == ("live-1",)


def test_a_recovered_settlement_replaces_live_pages_that_never_completed() -> None:
    """The venue reset KalshiPT between two pages: REST gives the whole settlement."""
    state = holding()
    first = state.apply(report("live-1", parties=2), venue=VENUE, account=ACCOUNT, now=5.0)
    assert settle_count(first) == 0  # incomplete: nothing booked yet
    changes = state.recover_settlement(
        report("REST 1", parties=1), venue=VENUE, account=ACCOUNT, now=6.0
    )
    settlement = state.settlements.get(VENUE, SYMBOL)
    assert settlement is not None and settlement.recovered and settlement.complete
    assert settlement.report_ids == ("REST 1",) and settlement.total_payout == Decimal(10)
    assert settle_count(changes) == 1
    late = state.apply(report("live-2", parties=2, page=2), venue=VENUE, account=ACCOUNT, now=7.0)
    assert late == []
