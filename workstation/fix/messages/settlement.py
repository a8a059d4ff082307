"""MarketSettlementReport (35=UMS), exchange → client: a market's result and each party's
payout. SPEC §12, DECISIONS.md (UMS amounts).

Collateral changes and fees sit inside each NoMarketSettlementPartyIDs (20108) entry. The
1.0.13 example writes CollateralAmountType as a number and the amount in cents
(``1704=10000|1705=1`` for $100.00); every later copy writes ``1704=100.00|1705=PAYOUT``.
We read a numeric 1705 as "1704 is cents" and a string 1705 as "1704 is dollars", compare
MarketResult case-insensitively (``Yes`` in 1.0.13, ``yes`` later), read SettlementPrice (730)
as cents with up to 2 decimals and accept its absence (the 1.0.13 example omits it). We
always write the current form.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from workstation.fix.message import FieldGroup, FixMessage
from workstation.fix.messages.amounts import format_qty, parse_qty
from workstation.fix.messages.enums import MarketResult, PartyRole
from workstation.fix.messages.errors import translate_field_errors
from workstation.fix.messages.fields import Body, parse_enum, put, put_bool, put_int
from workstation.fix.messages.money_groups import (
    CollateralChange,
    MiscFee,
    collateral_to_body,
    fees_to_body,
    read_collateral,
    read_fees,
)
from workstation.fix.messages.prices import (
    PriceFormat,
    format_settlement_price,
    parse_settlement_price,
)
from workstation.fix.values import FieldFormatError

__all__ = ["MarketSettlementReport", "SettlementParty"]

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class SettlementParty:
    """One NoMarketSettlementPartyIDs (20108) entry: a party's position and payout."""

    party_id: str  #: MarketSettlementPartyID (20109)
    role: int = PartyRole.CUSTOMER_ACCOUNT  #: MarketSettlementPartyRole (20110)
    long_qty: Decimal | None = None  #: YES contracts held
    short_qty: Decimal | None = None  #: NO contracts held
    collateral_changes: tuple[CollateralChange, ...] = ()
    fees: tuple[MiscFee, ...] = ()

    @property
    def payout(self) -> Decimal:
        """The settlement's balance change in dollars: the sum of the 1704 amounts.

        The group "should be only 1 — payout balance change" (SPEC §12.2), and the 1.0.13
        example labels its $100.00 payout ``1705=1`` (Balance), so the label is not used.
        """
        return sum((change.amount for change in self.collateral_changes), _ZERO)

    @property
    def total_fees(self) -> Decimal:
        return sum((fee.amount for fee in self.fees), _ZERO)

    def _to_body(self, body: Body) -> None:
        put(body, 20109, self.party_id)
        put_int(body, 20110, self.role)
        if self.long_qty is not None:
            body.append((704, format_qty(self.long_qty)))
        if self.short_qty is not None:
            body.append((705, format_qty(self.short_qty)))
        collateral_to_body(body, self.collateral_changes)
        fees_to_body(body, self.fees)

    @classmethod
    def _from_entry(cls, entry: FieldGroup) -> SettlementParty:
        long_text, short_text = entry.get(704), entry.get(705)
        return cls(
            party_id=entry.require(20109),
            role=entry.require_int(20110),
            long_qty=None if long_text is None else parse_qty(704, long_text, allow_zero=True),
            short_qty=None if short_text is None else parse_qty(705, short_text, allow_zero=True),
            collateral_changes=read_collateral(entry, numeric_type_means_cents=True),
            fees=read_fees(entry),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class MarketSettlementReport:
    """MarketSettlementReport (35=UMS); one page of a possibly paginated settlement."""

    MSG_TYPE: ClassVar[str] = "UMS"

    report_id: str  #: MarketSettlementReportID (20105), different on every page
    symbol: str  #: group the pages of one settlement by this
    clearing_business_date: str  #: ClearingBusinessDate (715), YYYYMMDD
    result: MarketResult  #: MarketResult (20107)
    settlement_price: Decimal | None = None  #: SettlementPrice (730) in dollars
    total_reports: int | None = None  #: TotNumMarketSettlementReports (20106)
    last_fragment: bool | None = None  #: LastFragment (893): False while pages follow
    parties: tuple[SettlementParty, ...] = ()

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 20105, self.report_id)
        put(body, 55, self.symbol)
        put(body, 715, self.clearing_business_date)
        put_int(body, 20106, self.total_reports)
        body.append((20107, self.result.value))
        if self.settlement_price is not None:
            body.append((730, format_settlement_price(self.settlement_price)))
        if self.parties:
            body.append((20108, str(len(self.parties))))
            for party in self.parties:
                party._to_body(body)
        put_bool(body, 893, self.last_fragment)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> MarketSettlementReport:
        date = msg.require(715)
        if len(date) != 8 or not (date.isdigit() and date.isascii()):
            raise FieldFormatError(715, date, "LocalMktDate (YYYYMMDD)")
        price_text = msg.get(730)
        fragment = msg.get(893)
        return cls(
            report_id=msg.require(20105),
            symbol=msg.require(55),
            clearing_business_date=date,
            result=parse_enum(MarketResult, 20107, msg.require(20107).lower()),
            settlement_price=(
                None if price_text is None else parse_settlement_price(730, price_text)
            ),
            total_reports=msg.get_int(20106),
            last_fragment=None if fragment is None else msg.get_bool(893),
            parties=tuple(
                SettlementParty._from_entry(entry)
                for entry in (msg.groups(20108) if 20108 in msg else ())
            ),
        )
