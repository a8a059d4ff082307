"""Market settlement reports: exchange settlements → MarketSettlementReport (35=UMS). SPEC §12,
§19.7, DECISIONS.md (UMS amounts).

When a publish batch holds :class:`~workstation.simulator.exchange.results.PositionSettled`
records (they follow the market's ``MarketSettled``), every account that held a net position
gets the market's settlement, one page per party — a party is one (account, sub-account)
that held the market:

- 20105 a new MarketSettlementReportID on every page; 55 the ticker; 715 the Eastern clearing
  date; 20107 the result in lower case; 730 the settlement price in cents (``100.00`` for a
  YES result, ``0.00`` for NO);
- 20106 the number of pages and 893 LastFragment ``N`` on every page but the last (an
  account with one party gets one page, 20106=1, 893=Y);
- the 20108 entry: 20109 the party (the sub-account number as text, ``0`` for the primary,
  the AllocAccount form a direct member's orders use), 20110=24, 704/705 the net YES/NO
  position that settled, 1703 one PAYOUT change in dollars (whole cents) and 136 one fee
  entry (the sub-cent rounding kept back; 0 for yes/no results), so 1704 + 137 is the exact
  value.

Who receives it, per the dialect (``rules.settlement_sessions_default`` and
``rules.settlement_opt_in_sessions``): every session of the account whose type gets UMS by
default (KalshiPT), unless it logged on with ReceiveSettlementReports (20127) = N, and every
session whose type may opt in (KalshiRT) that logged on with 20127=Y.

A session that would receive the page but is logged off (the venue remembers each key's last
Logon per session type) gets it kept in its FIX message store when its session type
retransmits (KalshiPT and KalshiRT on ``current``), so it arrives by ResendRequest when the
client logs on again without a reset; sessions that reset at Logon simply miss it.

Every page is kept per account whether or not a session was there to receive it
(:meth:`SettlementGateway.settlement_history`): the REST ``/portfolio/settlements`` resource
can read it, and the state directory persists it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from workstation.fix.dialect import DialectRules
from workstation.fix.messages.enums import CollateralAmountType, MarketResult, PartyRole
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.settlement import MarketSettlementReport, SettlementParty
from workstation.simulator.client import ClientSession
from workstation.simulator.exchange.results import PositionSettled, Result
from workstation.simulator.exchange.types import MarketResult as ExchangeMarketResult
from workstation.simulator.venue import Venue

__all__ = ["SettlementGateway", "SettlementRecord", "party_id_of", "receives_settlements"]

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class SettlementRecord:
    """One UMS page the venue issued to an account: one party, one market."""

    account: str
    sub_account: int
    sent_at: float  #: venue time, epoch seconds
    report: MarketSettlementReport

    @property
    def party(self) -> SettlementParty:
        return self.report.parties[0]

    @property
    def ticker(self) -> str:
        return self.report.symbol

    @property
    def result(self) -> MarketResult:
        return self.report.result

    @property
    def long_qty(self) -> Decimal:
        return self.party.long_qty or _ZERO

    @property
    def short_qty(self) -> Decimal:
        return self.party.short_qty or _ZERO

    @property
    def payout(self) -> Decimal:
        """Dollars credited (1704 PAYOUT)."""
        return self.party.payout

    @property
    def fee(self) -> Decimal:
        """Dollars kept back as rounding (137)."""
        return self.party.total_fees

    def position(self) -> PositionSettled:
        """The exchange's settlement of the position this page reports (what it was made
        from): how the REST portfolio rebuilds its settlement history after a restart."""
        report = self.report
        return PositionSettled(
            transact_time=self.sent_at,
            ticker=report.symbol,
            account=self.account,
            sub_account=self.sub_account,
            result=ExchangeMarketResult(report.result.value),
            settlement_value=_ZERO if report.settlement_price is None else report.settlement_price,
            long_qty=self.long_qty,
            short_qty=self.short_qty,
            payout=self.payout,
            fee=self.fee,
            balance_change=self.payout,
            clearing_date=report.clearing_business_date,
        )


def party_id_of(sub_account: int) -> str:
    """MarketSettlementPartyID (20109) of a sub-account: its number as text."""
    return str(sub_account)


def receives_settlements(client: ClientSession, rules: DialectRules) -> bool:
    """Whether ``client`` gets UMS under ``rules`` (SPEC §12.1)."""
    asked = client.options.receive_settlement_reports
    if client.session_type in rules.settlement_sessions_default and asked is not False:
        return True
    return client.session_type in rules.settlement_opt_in_sessions and asked is True


class SettlementGateway:
    """Turns settlements into UMS pages, sends them and keeps them; see the module docstring.

    ``report_ids`` gives each page's MarketSettlementReportID (random UUIDs by default).
    """

    def __init__(self, venue: Venue, *, report_ids: Callable[[], str] | None = None) -> None:
        self._venue = venue
        self._report_ids = report_ids if report_ids is not None else _uuid_text
        self._by_account: dict[str, list[SettlementRecord]] = {}
        #: every record in the order it was issued (restored ones first)
        self._issued: list[SettlementRecord] = []

    def register(self) -> None:
        self._venue.on_results(self.on_results)

    # ------------------------------------------------------------------ queries

    def settlement_history(self, account: str) -> list[SettlementRecord]:
        """Every page issued to ``account``, oldest first."""
        return list(self._by_account.get(account, []))

    def issued(self) -> list[SettlementRecord]:
        """Every page issued to anyone, in issue order (restored ones first)."""
        return list(self._issued)

    def issued_since(self, count: int) -> list[SettlementRecord]:
        """Records issued after the first ``count`` (restored ones included), for persistence."""
        return self._issued[count:]

    @property
    def issued_count(self) -> int:
        return len(self._issued)

    def restore(self, records: Iterable[SettlementRecord]) -> None:
        """Take back records kept by an earlier run (nothing is sent)."""
        for record in records:
            self._keep(record)

    # ------------------------------------------------------------------ the listener

    def on_results(self, results: list[Result], now: float) -> None:
        """The venue's result listener: settle every market whose positions are in ``results``."""
        by_market: dict[str, dict[str, list[PositionSettled]]] = {}
        for result in results:
            if isinstance(result, PositionSettled):
                accounts = by_market.setdefault(result.ticker, {})
                accounts.setdefault(result.account, []).append(result)
        for accounts in by_market.values():
            for account, positions in accounts.items():
                self._settle_account(account, positions, now)

    def _settle_account(self, account: str, positions: list[PositionSettled], now: float) -> None:
        positions = sorted(positions, key=lambda p: p.sub_account)
        rules = self._venue.rules
        online = [c for c in self._venue.clients(account=account) if receives_settlements(c, rules)]
        offline = [c for c in self._offline_clients(account) if receives_settlements(c, rules)]
        total = len(positions)
        for number, position in enumerate(positions, start=1):
            report = self._page(position, total=total, last=number == total)
            self._keep(
                SettlementRecord(
                    account=account, sub_account=position.sub_account, sent_at=now, report=report
                )
            )
            for client in online:
                self._venue.send(client, report.MSG_TYPE, report.to_body(client.price_format))
            for client in offline:
                body = report.to_body(client.price_format)
                self._venue.store_offline(client, report.MSG_TYPE, body, now)

    def _offline_clients(self, account: str) -> list[ClientSession]:
        """The account's sessions that could get UMS, logged on before but not now."""
        rules = self._venue.rules
        session_types = rules.settlement_sessions_default | rules.settlement_opt_in_sessions
        found = []
        for key in self._venue.registry.all_keys():
            if key.account != account:
                continue
            for session_type in sorted(session_types):
                # ClientSession.tag of that key's session of that type
                client = self._venue.offline_client(f"{session_type.value}:{key.key_id}")
                if client is not None:
                    found.append(client)
        return found

    def _page(self, position: PositionSettled, *, total: int, last: bool) -> MarketSettlementReport:
        party = SettlementParty(
            party_id=party_id_of(position.sub_account),
            role=PartyRole.CUSTOMER_ACCOUNT,
            long_qty=position.long_qty,
            short_qty=position.short_qty,
            collateral_changes=(
                CollateralChange(amount=position.payout, kind=CollateralAmountType.PAYOUT),
            ),
            fees=(MiscFee(amount=position.fee),),
        )
        return MarketSettlementReport(
            report_id=self._report_ids(),
            symbol=position.ticker,
            clearing_business_date=position.clearing_date,
            result=MarketResult(position.result.value),
            settlement_price=position.settlement_value,
            total_reports=total,
            last_fragment=last,
            parties=(party,),
        )

    def _keep(self, record: SettlementRecord) -> None:
        self._by_account.setdefault(record.account, []).append(record)
        self._issued.append(record)


def _uuid_text() -> str:
    return str(uuid.uuid4())
