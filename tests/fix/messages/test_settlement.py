"""MarketSettlementReport (UMS), SPEC §12 and DECISIONS.md: the 1.0.13 and current forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fix.messages.strategies import ids, money, whole_or_zero
from tests.fix.messages.wire import encode, example, fields_of, roundtrip
from workstation.fix.messages import (
    CollateralAmountType,
    CollateralChange,
    MarketResult,
    MarketSettlementReport,
    MessageError,
    MiscFee,
    SettlementParty,
)

V1013 = (
    "8=FIXT.1.1|35=UMS|20105=settle-123|55=HIGHNY-23DEC31|715=20231231|20107=Yes|\n"
    "20108=1|20109=user-456|20110=24|704=100|705=0|1703=1|1704=10000|1705=1|\n"
    "136=1|137=0.00|138=USD|139=4|891=0|893=Y|"
)
LATER = (
    "8=FIXT.1.1|35=UMS|20105=settle-123|55=HIGHNY-23DEC31|715=20231231|20107=yes|730=100.00|\n"
    "20108=1|20109=user-456|20110=24|704=100|705=0|1703=1|1704=100.00|1705=PAYOUT|\n"
    "136=1|137=0.00|138=USD|139=4|891=0|893=Y|"
)
LATER_FEE = (
    "8=FIXT.1.1|35=UMS|20105=settle-456|55=HIGHNY-23DEC31|715=20231231|20107=yes|730=100.00|\n"
    "20108=1|20109=user-789|20110=24|704=100|705=0|1703=1|1704=100.00|1705=PAYOUT|\n"
    "136=1|137=0.006|138=USD|139=4|891=0|893=Y|"
)


def test_1_0_13_example_pays_100_dollars() -> None:
    report = MarketSettlementReport.from_message(example(V1013))
    assert report.result is MarketResult.YES
    assert report.settlement_price is None  # the 1.0.13 example omits 730
    (party,) = report.parties
    # 1704=10000 with a numeric 1705 is cents; 1 is Balance<1> in the 1.0.13 table.
    assert party.collateral_changes == (
        CollateralChange(amount=Decimal("100.00"), kind=CollateralAmountType.BALANCE),
    )
    assert party.payout == Decimal("100.00")
    assert (party.long_qty, party.short_qty, party.total_fees) == (
        Decimal(100),
        Decimal(0),
        Decimal(0),
    )
    assert report.last_fragment is True


def test_later_examples_read_the_same_payout() -> None:
    old = MarketSettlementReport.from_message(example(V1013))
    new = MarketSettlementReport.from_message(example(LATER))
    assert [p.payout for p in new.parties] == [p.payout for p in old.parties] == [100]
    assert new.parties[0].collateral_changes[0].kind is CollateralAmountType.PAYOUT
    assert new.settlement_price == Decimal(1)
    fee = MarketSettlementReport.from_message(example(LATER_FEE))
    assert fee.parties[0].fees == (MiscFee(amount=Decimal("0.006")),)
    assert fee.parties[0].payout + fee.parties[0].total_fees == Decimal("100.006")


def test_written_in_the_current_form() -> None:
    fields = fields_of(encode(MarketSettlementReport.from_message(example(V1013))))
    assert (fields[1704], fields[1705], fields[20107]) == ("100.00", "BALANCE", "yes")
    two = V1013.replace("1705=1", "1705=2")
    (party,) = MarketSettlementReport.from_message(example(two)).parties
    assert party.collateral_changes[0].kind is CollateralAmountType.PAYOUT


@pytest.mark.parametrize("result", ["YES", "No", "sCaLaR"])
def test_result_is_case_insensitive(result: str) -> None:
    report = MarketSettlementReport.from_message(
        example(LATER.replace("20107=yes", f"20107={result}"))
    )
    assert report.result is MarketResult(result.lower())


@pytest.mark.parametrize(
    ("old", "new", "tag", "reason"),
    [
        ("20107=yes", "20107=maybe", 20107, 5),
        ("730=100.00", "730=100.50", 730, 5),
        ("715=20231231", "715=2023-12-31", 715, 6),
        ("1705=PAYOUT", "1705=3", 1705, 5),
        ("20109=user-456|", "", 20108, 16),
        ("20105=settle-123|", "", 20105, 1),
        ("20110=24", "20110=x", 20110, 6),
    ],
)
def test_errors(old: str, new: str, tag: int, reason: int) -> None:
    with pytest.raises(MessageError) as info:
        MarketSettlementReport.from_message(example(LATER.replace(old, new)))
    assert (info.value.tag, info.value.reason) == (tag, reason)


parties = st.lists(
    st.builds(
        SettlementParty,
        party_id=ids,
        role=st.just(24),
        long_qty=st.none() | whole_or_zero,
        short_qty=st.none() | whole_or_zero,
        collateral_changes=st.lists(
            st.builds(
                CollateralChange, amount=money, kind=st.sampled_from(list(CollateralAmountType))
            ),
            max_size=2,
        ).map(tuple),
        fees=st.lists(st.builds(MiscFee, amount=money), max_size=1).map(tuple),
    ),
    max_size=3,
).map(tuple)


@settings(max_examples=100, deadline=None)
@given(
    st.builds(
        MarketSettlementReport,
        report_id=ids,
        symbol=ids,
        clearing_business_date=st.just("20260513"),
        result=st.sampled_from(list(MarketResult)),
        settlement_price=st.none() | st.integers(0, 10000).map(lambda n: Decimal(n).scaleb(-4)),
        total_reports=st.none() | st.integers(1, 50),
        last_fragment=st.none() | st.booleans(),
        parties=parties,
    )
)
def test_round_trip(report: MarketSettlementReport) -> None:
    assert roundtrip(report) == report
