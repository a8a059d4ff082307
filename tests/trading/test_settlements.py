"""Settlements: paginated UMS reassembled by Symbol, reconciled with positions from our fills."""

from __future__ import annotations

from decimal import Decimal

from tests.trading.reports import ACCOUNT, SYMBOL, VENUE, d
from workstation.fix.codec import parse_frame
from workstation.fix.messages.enums import CollateralAmountType, MarketResult
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.settlement import MarketSettlementReport, SettlementParty
from workstation.trading.changes import SettlementChanged
from workstation.trading.positions import Lot, Position
from workstation.trading.settlements import Settlement, Settlements, settlement_value


def position(sub: str | None, net: int, price: str = "0.50") -> Position:
    return Position(
        venue=VENUE,
        account=ACCOUNT,
        sub_account=sub,
        symbol=SYMBOL,
        net=d(net),
        lots=(Lot(d(abs(net)), d(price)),),
    )


def party(pid: str, long: int, short: int, payout: str, fee: str = "0.00") -> SettlementParty:
    return SettlementParty(
        party_id=pid,
        long_qty=d(long),
        short_qty=d(short),
        collateral_changes=(CollateralChange(amount=d(payout), kind=CollateralAmountType.PAYOUT),),
        fees=(MiscFee(amount=d(fee)),),
    )


def page(
    report_id: str,
    parties: tuple[SettlementParty, ...],
    *,
    last: bool,
    total: int | None = 3,
    result: MarketResult = MarketResult.YES,
    price: str | None = "1.00",
) -> MarketSettlementReport:
    return MarketSettlementReport(
        report_id=report_id,
        symbol=SYMBOL,
        clearing_business_date="20231231",
        result=result,
        settlement_price=None if price is None else d(price),
        total_reports=total,
        last_fragment=last,
        parties=parties,
    )


def apply(
    book: Settlements, report: MarketSettlementReport, positions: list[Position]
) -> Settlement:
    (change,) = book.apply_report(
        report, venue=VENUE, account=ACCOUNT, positions=positions, now=1.0
    )
    assert isinstance(change, SettlementChanged)
    return change.settlement


OURS = [position("sub-a", 50), position("sub-b", -20), position("sub-c", 10)]


def test_three_pages_reassembled_and_a_mismatch_flagged_with_figures() -> None:
    book = Settlements()
    s = apply(book, page("settle-1", (party("sub-a", 50, 0, "50.00"),), last=False), OURS)
    assert not s.complete and s.reconciliation == ()
    s = apply(book, page("settle-2", (party("sub-b", 0, 20, "0.00"),), last=False), OURS)
    assert not s.complete
    s = apply(book, page("settle-3", (party("sub-c", 12, 0, "12.00"),), last=True), OURS)
    assert s.complete and s.report_ids == ("settle-1", "settle-2", "settle-3")
    assert [p.party_id for p in s.parties] == ["sub-a", "sub-b", "sub-c"]
    assert (s.total_payout, s.total_fees) == (d("62.00"), d("0.00"))

    a, b, c = s.reconciliation
    assert a.ok and b.ok and not c.ok
    assert (a.expected_value, b.expected_value, c.expected_value) == (d(50), d(0), d(10))
    assert c.differences == (
        "held: exchange 12 YES / 0 NO, our fills 10 YES / 0 NO",
        "payout: exchange $12.00 + fee $0.00 = $12.00, our position is worth $10.00 at yes",
    )
    assert s.mismatched
    totals = book.totals()
    assert (totals.count, totals.payout, totals.mismatched) == (1, d("62.00"), 1)


def test_pages_out_of_order_and_repeated() -> None:
    book = Settlements()
    s = apply(book, page("p3", (party("sub-c", 10, 0, "10.00"),), last=True), OURS)
    assert not s.complete  # the last page, but 1 of 3
    assert (
        book.apply_report(
            page("p3", (), last=True), venue=VENUE, account=ACCOUNT, positions=OURS, now=2.0
        )
        == []
    )
    apply(book, page("p1", (party("sub-a", 50, 0, "50.00"),), last=False), OURS)
    s = apply(book, page("p2", (party("sub-b", 0, 20, "0.00"),), last=False), OURS)
    assert s.complete and not s.mismatched
    assert book.get(VENUE, SYMBOL) is s and len(book) == 1


def test_1_0_13_example_in_cents_reconciles_with_the_primary_position() -> None:
    wire = (
        "8=FIXT.1.1|9=999|35=UMS|20105=settle-123|55=HIGHNY-23DEC31|715=20231231|20107=Yes|"
        "20108=1|20109=user-456|20110=24|704=100|705=0|1703=1|1704=10000|1705=1|"
        "136=1|137=0.00|138=USD|139=4|891=0|893=Y|10=000|"
    ).replace("|", "\x01")
    report = MarketSettlementReport.from_message(parse_frame(wire.encode()))
    s = apply(Settlements(), report, [position(None, 100, "0.62")])
    assert s.complete and s.total_pages is None
    (only,) = s.reconciliation
    assert only.ok and only.payout == d("100.00") and only.sub_account is None


def test_scalar_payout_plus_rounding_fee_is_the_value_before_rounding() -> None:
    # 7 YES at a scalar settlement of 33.33¢ is worth 2.3331; paid 2.33 with a 0.0031 fee.
    report = page(
        "s1",
        (party("sub-a", 7, 0, "2.33", "0.0031"),),
        last=True,
        total=1,
        result=MarketResult.SCALAR,
        price="0.3333",
    )
    s = apply(Settlements(), report, [position("sub-a", 7)])
    assert s.reconciliation[0].ok
    assert s.reconciliation[0].value_before_rounding == d("2.3331")
    assert settlement_value(d(-4), MarketResult.SCALAR, d("0.3333")) == d("2.6668")
    assert settlement_value(d(-4), MarketResult.NO, None) == d(4)


def test_position_without_a_party_is_listed() -> None:
    report = page(
        "s1", (party("sub-a", 50, 0, "50.00"), party("sub-x", 1, 0, "1.00")), last=True, total=1
    )
    s = apply(Settlements(), report, OURS)
    by_party = {r.party_id: r for r in s.reconciliation}
    assert by_party["sub-a"].ok
    assert by_party["sub-x"].differences[0] == "held: exchange 1 YES / 0 NO, our fills 0 YES / 0 NO"
    unmatched = [r for r in s.reconciliation if r.party_id == ""]
    assert [(r.sub_account, r.our_net) for r in unmatched] == [("sub-b", d(-20)), ("sub-c", d(10))]
    assert unmatched[0].differences == (
        "our fills give 0 YES / 20 NO, but the settlement lists no party for it",
    )
    assert Decimal(0) == unmatched[0].payout


def test_party_zero_is_the_primary_account_among_several() -> None:
    """A venue names the primary account (AllocAccount 0) party "0"; with sub-accounts in the
    same settlement it must still be matched to our primary position, not reported unmatched."""
    book = Settlements()
    ours = [position(None, 30), position("2", -10)]
    apply(book, page("p1", (party("0", 30, 0, "30.00"),), last=False, total=2), ours)
    settlement = apply(book, page("p2", (party("2", 0, 10, "0.00"),), last=True, total=2), ours)
    by_party = {r.party_id: r for r in settlement.reconciliation}
    assert by_party["0"].sub_account is None and by_party["0"].ok
    assert by_party["2"].sub_account == "2" and by_party["2"].ok
    assert not settlement.mismatched
