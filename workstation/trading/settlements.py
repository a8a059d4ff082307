"""Market settlements: paginated UMS reports reassembled, then reconciled with our positions.

Reassembly (SPEC §12.2): one settlement may come in several MarketSettlementReports. Each
page has its own MarketSettlementReportID (20105), so pages are grouped by (venue, Symbol);
LastFragment (893) is N on every page but the last, and TotNumMarketSettlementReports
(20106) gives the page count when present. A settlement is complete once the last page has
arrived and, when the total is known, that many distinct pages. A page seen before (same
20105) is ignored.

Reconciliation (SPEC §12.3, trading-ui-anchors §4.2): for every party of a complete
settlement, the held quantities (LongQty 704 / ShortQty 705) are compared with the position
built from our own ExecID-keyed fills, and the money with what that position is worth at
the result: $1 per winning contract (YES result: YES contracts; NO result: NO contracts;
scalar: YES × settlement price + NO × (1 − settlement price)). Payout (1704, PAYOUT) + fee
(137) must equal that value before rounding. Any difference is listed with both figures.

A party is matched to our position with the same sub-account (its PartyID, see
``subaccounts``); a settlement with a single party that names no sub-account of ours is
matched to the primary account's position. A position we hold in the market that no party
matched is listed as a difference too.

Recovered settlements: where KalshiPT cannot resend (it resets on every logon on the 1.0.13
dialect), a settlement pushed while it was down is fetched from the venue's REST settlement
history instead and applied with ``recovered=True`` as one complete report
(``client.settlement_recovery``). It is the same settlement as the UMS it stands for, so
each market settles once: a recovered report for a market whose settlement is already
complete is ignored, one for a market still missing pages replaces those pages (REST gives
the whole settlement), and a live page arriving after a recovered settlement is ignored.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from workstation.fix.messages.enums import MarketResult
from workstation.fix.messages.settlement import MarketSettlementReport, SettlementParty
from workstation.trading.changes import Change, SettlementChanged
from workstation.trading.positions import Position

__all__ = [
    "PartyReconciliation",
    "Settlement",
    "SettlementTotals",
    "Settlements",
    "reconcile",
    "settlement_value",
]

_ZERO = Decimal(0)
_ONE = Decimal(1)


def _held(net: Decimal) -> tuple[Decimal, Decimal]:
    return (max(net, _ZERO), max(-net, _ZERO))


def settlement_value(
    net: Decimal, result: MarketResult, settlement_price: Decimal | None
) -> Decimal:
    """What a position of ``net`` YES contracts (negative = NO) is worth at the result."""
    long, short = _held(net)
    if result is MarketResult.YES:
        return long
    if result is MarketResult.NO:
        return short
    price = _ZERO if settlement_price is None else settlement_price
    return long * price + short * (_ONE - price)


@dataclass(frozen=True, slots=True, kw_only=True)
class PartyReconciliation:
    """One party's settlement compared with our position."""

    party_id: str  #: "" for a position of ours that no party matched
    sub_account: str | None  #: the position it was compared with
    exchange_long: Decimal
    exchange_short: Decimal
    our_net: Decimal
    payout: Decimal  #: PAYOUT collateral change, dollars
    fee: Decimal  #: MiscFeeAmt, dollars
    expected_value: Decimal  #: what our position is worth at the result
    differences: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.differences

    @property
    def value_before_rounding(self) -> Decimal:
        """Payout + fee (SPEC §12.3)."""
        return self.payout + self.fee


@dataclass(frozen=True, slots=True, kw_only=True)
class Settlement:
    """One market's settlement, reassembled from its pages."""

    venue: str
    account: str
    symbol: str
    result: MarketResult
    settlement_price: Decimal | None  #: dollars (730 is cents on the wire)
    clearing_business_date: str
    report_ids: tuple[str, ...]  #: every page's 20105, in arrival order
    total_pages: int | None
    last_page_seen: bool
    parties: tuple[SettlementParty, ...]
    received_at: float
    reconciliation: tuple[PartyReconciliation, ...] = ()  #: filled in once complete
    #: booked from the venue's REST settlement history, not from a MarketSettlementReport
    #: (KalshiPT could not resend the report it pushed while the session was down)
    recovered: bool = False

    @property
    def complete(self) -> bool:
        if not self.last_page_seen:
            return False
        return self.total_pages is None or len(self.report_ids) >= self.total_pages

    @property
    def total_payout(self) -> Decimal:
        return sum((p.payout for p in self.parties), _ZERO)

    @property
    def total_fees(self) -> Decimal:
        return sum((p.total_fees for p in self.parties), _ZERO)

    @property
    def mismatched(self) -> bool:
        return any(not r.ok for r in self.reconciliation)


def _money(amount: Decimal) -> str:
    return f"${amount:.2f}" if amount == amount.quantize(Decimal("0.01")) else f"${amount}"


def _describe(long: Decimal, short: Decimal) -> str:
    return f"{long} YES / {short} NO"


def _reconcile_party(
    party: SettlementParty | None,
    position: Position | None,
    result: MarketResult,
    price: Decimal | None,
) -> PartyReconciliation:
    net = _ZERO if position is None else position.net
    our_long, our_short = _held(net)
    ex_long = _ZERO if party is None or party.long_qty is None else party.long_qty
    ex_short = _ZERO if party is None or party.short_qty is None else party.short_qty
    payout = _ZERO if party is None else party.payout
    fee = _ZERO if party is None else party.total_fees
    expected = settlement_value(net, result, price)
    differences: list[str] = []
    if party is None:
        differences.append(
            f"our fills give {_describe(our_long, our_short)}, "
            "but the settlement lists no party for it"
        )
    elif (ex_long, ex_short) != (our_long, our_short):
        differences.append(
            f"held: exchange {_describe(ex_long, ex_short)}, "
            f"our fills {_describe(our_long, our_short)}"
        )
    if party is not None and payout + fee != expected:
        differences.append(
            f"payout: exchange {_money(payout)} + fee {_money(fee)} = {_money(payout + fee)}, "
            f"our position is worth {_money(expected)} at {result.value}"
        )
    return PartyReconciliation(
        party_id="" if party is None else party.party_id,
        sub_account=None if position is None else position.sub_account,
        exchange_long=ex_long,
        exchange_short=ex_short,
        our_net=net,
        payout=payout,
        fee=fee,
        expected_value=expected,
        differences=tuple(differences),
    )


#: The party id a venue gives the primary account (AllocAccount 0) in a settlement report.
PRIMARY_PARTY_ID = "0"


def reconcile(
    settlement: Settlement, positions: Sequence[Position]
) -> tuple[PartyReconciliation, ...]:
    """Compare every party of ``settlement`` with ``positions`` (ours, in that market)."""
    by_sub = {p.sub_account: p for p in positions}
    used: set[str | None] = set()
    results = []
    single = len(settlement.parties) == 1
    for party in settlement.parties:
        position = by_sub.get(party.party_id)
        if position is None and party.party_id == PRIMARY_PARTY_ID:
            position = by_sub.get(None)  # AllocAccount 0 names the primary account
        if position is None and single:
            position = by_sub.get(None)  # one party naming no sub-account of ours: the primary
        if position is not None:
            used.add(position.sub_account)
        results.append(
            _reconcile_party(party, position, settlement.result, settlement.settlement_price)
        )
    for position in positions:
        if position.sub_account not in used and position.net != 0:
            results.append(
                _reconcile_party(None, position, settlement.result, settlement.settlement_price)
            )
    return tuple(results)


@dataclass(frozen=True, slots=True, kw_only=True)
class SettlementTotals:
    """Sums over complete settlements."""

    count: int
    payout: Decimal
    fees: Decimal
    mismatched: int  #: settlements with at least one difference


class Settlements:
    """Every settlement, by (venue, symbol)."""

    def __init__(self) -> None:
        self._settlements: dict[tuple[str, str], Settlement] = {}

    def apply_report(
        self,
        report: MarketSettlementReport,
        *,
        venue: str,
        account: str,
        positions: Sequence[Position],
        now: float,
        recovered: bool = False,
    ) -> list[Change]:
        """Add one page; reconcile against ``positions`` (ours in that market) once complete.

        Pass the positions as they were *before* the settlement is booked into them.
        ``recovered``: the report was built from the venue's REST history (see the module
        docstring); nothing changes when the market's settlement is already held.
        """
        key = (venue, report.symbol)
        current = self._settlements.get(key)
        last_page = report.last_fragment is not False
        if current is not None and (current.recovered or (recovered and current.complete)):
            return []  # the same settlement again: a market settles once
        if recovered:
            current = None  # REST holds the whole settlement: it replaces any partial pages
        if current is None:
            settlement = Settlement(
                venue=venue,
                account=account,
                symbol=report.symbol,
                result=report.result,
                settlement_price=report.settlement_price,
                clearing_business_date=report.clearing_business_date,
                report_ids=(report.report_id,),
                total_pages=report.total_reports,
                last_page_seen=last_page,
                parties=report.parties,
                received_at=now,
                recovered=recovered,
            )
        elif report.report_id in current.report_ids:
            return []
        else:
            settlement = replace(
                current,
                report_ids=(*current.report_ids, report.report_id),
                total_pages=current.total_pages or report.total_reports,
                last_page_seen=current.last_page_seen or last_page,
                parties=(*current.parties, *report.parties),
                settlement_price=current.settlement_price or report.settlement_price,
            )
        if settlement.complete:
            settlement = replace(settlement, reconciliation=reconcile(settlement, positions))
        self._settlements[key] = settlement
        return [SettlementChanged(settlement=settlement)]

    def get(self, venue: str, symbol: str) -> Settlement | None:
        return self._settlements.get((venue, symbol))

    def holds(self, venue: str, symbol: str) -> bool:
        """Whether the market's settlement is complete here (a recovered one is)."""
        found = self._settlements.get((venue, symbol))
        return found is not None and found.complete

    def __iter__(self) -> Iterator[Settlement]:
        return iter(self._settlements.values())

    def __len__(self) -> int:
        return len(self._settlements)

    def totals(self, venue: str | None = None) -> SettlementTotals:
        done = [
            s
            for s in self._settlements.values()
            if s.complete and (venue is None or s.venue == venue)
        ]
        return SettlementTotals(
            count=len(done),
            payout=sum((s.total_payout for s in done), _ZERO),
            fees=sum((s.total_fees for s in done), _ZERO),
            mismatched=sum(1 for s in done if s.mismatched),
        )
