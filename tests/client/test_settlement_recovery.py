"""Recovering settlements KalshiPT could not resend, from the venue's REST settlement history.

The rows are Kalshi's ``/portfolio/settlements`` shape. The check runs against the simulator's
real REST server with a signed client: a market our account held settles, the check books it
once (recovered, journaled), a second check finds it held, and a replay of the journal brings
it back recovered with the time of the last check.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from workstation.client.journal import Journal, NoteKind
from workstation.client.journal_replay import replay
from workstation.client.market_data import RestClient
from workstation.client.settlement_recovery import (
    RecoveryProblem,
    SettlementRecovery,
    decode_report,
    encode_report,
    report_from_rest,
)
from workstation.fix.dialect import SessionType
from workstation.fix.keys import load_private_key
from workstation.fix.messages.enums import MarketResult
from workstation.simulator.exchange.orders import NewOrder
from workstation.simulator.exchange.types import MarketResult as VenueResult
from workstation.simulator.exchange.types import Side as VenueSide
from workstation.trading.changes import Change
from workstation.trading.state import TradingState

from .journal_child import ACCOUNT, start_venue

D = Decimal
VENUE = "custom:test"


def row(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "ticker": "KXHIGHNY-26MAR11-B58.5",
        "event_ticker": "KXHIGHNY-26MAR11",
        "market_result": "yes",
        "yes_count": 100,
        "yes_count_fp": "100.00",
        "no_count": 0,
        "no_count_fp": "0.00",
        "revenue": 10000,
        "revenue_dollars": "100.0000",
        "fee_cost": "0.0000",
        "value": 100,
        "value_dollars": "1.0000",
        "settled_time": "2026-03-12T03:30:00.000Z",  # 23:30 EDT on the 11th
    }
    base.update(fields)
    return base


def test_a_row_becomes_a_complete_report_in_the_venue_s_terms() -> None:
    report = report_from_rest("KXHIGHNY-26MAR11-B58.5", [(0, row())])
    assert report.result is MarketResult.YES and report.settlement_price == D(1)
    assert report.clearing_business_date == "20260311"  # the Eastern date, not UTC's
    assert report.total_reports == 1 and report.last_fragment is True
    assert report.report_id.startswith("REST ")
    (party,) = report.parties
    assert party.party_id == "0" and party.long_qty == D(100) and party.short_qty == D(0)
    assert party.payout == D(100) and party.total_fees == D(0)


def test_scalar_rows_of_two_sub_accounts_in_legacy_cents() -> None:
    """Only the integer (cents) fields, as older copies of the API give them."""
    rows = [
        (
            3,
            {
                "ticker": "KXGAS",
                "market_result": "scalar",
                "no_count": 7,
                "revenue": 485,
                "fee_cost": "0.0045",
                "value": 30.65,
                "settled_time": "2026-03-12T20:00:00Z",
            },
        ),
        (
            0,
            {
                "ticker": "KXGAS",
                "market_result": "scalar",
                "yes_count": 10,
                "revenue": 306,
                "fee_cost": "0.005",
                "value": 30.65,
                "settled_time": "2026-03-12T20:00:00Z",
            },
        ),
    ]
    report = report_from_rest("KXGAS", rows)
    price = D("0.3065")
    assert report.result is MarketResult.SCALAR and report.settlement_price == price
    assert [p.party_id for p in report.parties] == ["0", "3"]
    primary, sub = report.parties
    assert primary.long_qty == D(10) and primary.payout == D("3.06")
    assert sub.short_qty == D(7) and sub.payout == D("4.85") and sub.total_fees == D("0.0045")
    # payout + fee = the value before rounding (SPEC §12.3), exactly
    assert primary.payout + primary.total_fees == D(10) * price
    assert sub.payout + sub.total_fees == D(7) * (1 - price)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"market_result": "void"}, "void"),
        ({"settled_time": "yesterday"}, "settled_time"),
        ({"revenue_dollars": "lots"}, "revenue_dollars"),
    ],
)
def test_an_unreadable_row_names_its_market_and_field(fields: dict[str, Any], problem: str) -> None:
    with pytest.raises(RecoveryProblem, match=problem) as caught:
        report_from_rest("KXHIGHNY-26MAR11-B58.5", [(0, row(**fields))])
    assert "KXHIGHNY-26MAR11-B58.5" in str(caught.value)


def test_the_journal_form_reads_back_the_same_report() -> None:
    report = report_from_rest(
        "KXGAS",
        [(0, row(market_result="scalar", value_dollars="0.3060", fee_cost="0.0060"))],
    )
    assert decode_report(encode_report(report)) == report


def test_check_books_a_missed_settlement_once_and_the_journal_replays_it(
    tmp_path: Path,
) -> None:
    published: list[Change] = []
    notices: list[str] = []

    async def scenario() -> None:
        ext = await start_venue(tmp_path / "venue")
        venue = ext.venue
        journal = Journal.open(tmp_path / "sessions.db")
        try:
            ticker = ext.open_market()
            now = venue.clock()
            bid = NewOrder(
                account=ACCOUNT,
                cl_ord_id=str(uuid.uuid4()),
                ticker=ticker,
                side=VenueSide.BUY,
                price=D("0.40"),
                quantity=D(5),
            )
            venue.publish(venue.exchange.submit(bid, now), now)
            ext.counterparty_sells(ticker, D("0.40"), D(5))
            settled = venue.exchange.settle_market(ticker, VenueResult.YES, venue.clock())
            venue.publish(settled, venue.clock())

            key_id, key_path = ext.keys[SessionType.RT]
            client = RestClient(
                f"http://127.0.0.1:{ext.ready['rest']}/trade-api/v2",
                key_id=key_id,
                private_key=load_private_key(key_path),
            )
            state = TradingState()
            recovery = SettlementRecovery(
                state=state,
                journal=lambda: journal,
                venue=lambda: VENUE,
                client=lambda: client,
                clock=time.time,
                publish=published.extend,
                notice=lambda text, _warn: notices.append(text),
                failed=notices.append,
            )
            recovery.restored(None, time.time() - 60)
            first = await recovery.check(client, ACCOUNT)
            assert first.recovered == (ticker,) and first.already_held == 0
            found = state.settlements.get(VENUE, ticker)
            assert found is not None and found.recovered and found.complete
            assert found.total_payout == D(5) and found.parties[0].long_qty == D(5)
            assert published  # the views were told

            second = await recovery.check(client, ACCOUNT)
            assert second.recovered == () and second.already_held == 1
            assert state.settlements.totals(VENUE).payout == D(5)

            kinds = [
                e.kind for e in journal.entries(VENUE) if hasattr(e, "kind")
            ]  # the notes, in order
            assert kinds == [
                NoteKind.SETTLEMENT_RECOVERED,
                NoteKind.SETTLEMENTS_CHECKED,
                NoteKind.SETTLEMENTS_CHECKED,
            ]
            again = TradingState()
            result = replay(journal.entries(VENUE), state=again)
            assert result.problems == []
            restored = again.settlements.get(VENUE, ticker)
            assert restored is not None and restored.recovered
            assert restored.parties == found.parties
            assert result.settlements_checked_at is not None
            assert recovery.since == result.settlements_checked_at
        finally:
            journal.close()
            await venue.stop()

    asyncio.run(scenario())
    assert notices == []
