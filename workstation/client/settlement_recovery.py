"""Settlements KalshiPT could not resend, recovered from the venue's REST settlement history.

KalshiPT pushes MarketSettlementReports (UMS) and nothing can ask for one (SPEC §12.1). On
the ``current`` dialect it keeps sequence numbers, so a report pushed while the session was
down arrives by ResendRequest when it logs on again. On the ``1.0.13`` dialect it must reset
on every logon (SPEC §3, DECISIONS.md), so such a report is simply gone. The issue's answer:
where the session cannot resend, read the settlement history of the disconnected period from
the venue's REST API and mark those rows as recovered. :class:`SettlementRecovery` does that:

- **When.** Every time KalshiPT logs on with its sequence numbers reset (141=Y: it did not
  resume, so nothing it pushed meanwhile will be resent). A logon that resumed is left to
  the ResendRequest.
- **Which period.** From the last time the history was read (journaled as a
  ``SETTLEMENTS_CHECKED`` note, so it survives a restart or a ``kill -9``), else from the
  journal's first entry, else from the first logon of this run — less
  :data:`WINDOW_MARGIN_S` for the venue's clock and for a report lost in flight. The window
  may be wider than the outage; that costs a page of REST, never a double booking.
- **How.** The signed ``GET /portfolio/settlements?min_ts=…`` (Kalshi's shape, which the
  simulator serves), page by page (bounded), for the primary account and every numbered
  sub-account the desk holds positions in. Each market's rows become one complete
  MarketSettlementReport (:func:`report_from_rest`: one party per sub-account, the payout
  in dollars, the fee exact) so the settlement is reconciled and booked exactly as a pushed
  one would be.
- **Once.** A market whose settlement the desk already holds is skipped, and the trading
  state ignores a live copy that arrives after a recovered one (``trading.settlements``).
- **Journaled.** Each recovered settlement is journaled (a ``SETTLEMENT_RECOVERED`` note
  holding the report) before it is applied, and replays from there after a restart, still
  marked recovered.
- **Failures.** A REST failure is retried with backoff (2 s doubling to 60 s) until it
  succeeds or the desk stops, with a notice saying what failed; a market whose rows cannot
  be read is named in a notice (the others are still booked); a profile without a REST URL
  gets a notice that settlements missed while KalshiPT was down cannot be recovered; a
  journal that cannot take a recovered settlement blocks trading, as any journal failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from workstation.client.journal import Journal, JournalFailed, NoteKind
from workstation.client.market_data import RestClient, RestError
from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import CollateralAmountType, MarketResult, PartyRole
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.messages.settlement import MarketSettlementReport, SettlementParty
from workstation.trading.changes import Change
from workstation.trading.state import TradingState

__all__ = [
    "MAX_PAGES",
    "WINDOW_MARGIN_S",
    "RecoveryProblem",
    "SettlementRecovery",
    "decode_report",
    "encode_report",
    "report_from_rest",
]

#: Seconds the window starts before the last check (venue clock skew, a report in flight).
WINDOW_MARGIN_S = 300.0
#: Rows asked for per page, and pages read at most per check.
PAGE_LIMIT = 200
MAX_PAGES = 50
#: First and longest wait before a failed check is tried again.
RETRY_FIRST_S = 2.0
RETRY_MAX_S = 60.0
#: The prefix of a recovered settlement's MarketSettlementReportID (none came on the wire).
REPORT_ID_PREFIX = "REST "

_EASTERN = ZoneInfo("America/New_York")
_CENT = Decimal("0.01")


class RecoveryProblem(Exception):
    """A REST settlement row cannot be read; the message names the market and the field."""


# -- rows to reports ---------------------------------------------------------------------------


def _decimal(row: dict[str, Any], *names: str) -> Decimal | None:
    for name in names:
        raw = row.get(name)
        if raw is None or isinstance(raw, bool):
            continue
        try:
            return Decimal(str(raw))
        except InvalidOperation:
            raise RecoveryProblem(f"{name} is {raw!r}, not a number") from None
    return None


def _dollars(row: dict[str, Any], name: str) -> Decimal | None:
    """``name_dollars`` (text, dollars), else ``name`` (integer cents)."""
    value = _decimal(row, f"{name}_dollars")
    if value is not None:
        return value
    cents = _decimal(row, name)
    return None if cents is None else cents / 100


def _count(row: dict[str, Any], name: str) -> Decimal:
    value = _decimal(row, f"{name}_fp", name)
    return Decimal(0) if value is None else value


def settled_at(row: dict[str, Any]) -> float:
    """``settled_time`` (RFC 3339) as epoch seconds."""
    text = str(row.get("settled_time", ""))
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise RecoveryProblem(f"settled_time is {text!r}, not a time") from None


def report_from_rest(
    ticker: str, rows: Sequence[tuple[int, dict[str, Any]]]
) -> MarketSettlementReport:
    """One complete MarketSettlementReport for ``ticker`` from its REST settlement rows, one
    ``(sub-account number, row)`` per sub-account that held the market.

    Each row becomes a party: PartyID the sub-account number (``0`` the primary account, as
    the venue names parties), LongQty/ShortQty from ``yes_count``/``no_count``, one PAYOUT
    collateral change of ``revenue`` (dollars) and one fee of ``fee_cost``. MarketResult
    from ``market_result``; SettlementPrice from ``value`` (what one YES contract settled
    at); ClearingBusinessDate the Eastern date of ``settled_time``. RecoveryProblem when a
    row cannot be read."""
    if not rows:
        raise RecoveryProblem(f"{ticker}: no settlement rows")
    try:
        first = rows[0][1]
        result = MarketResult(str(first.get("market_result", "")).lower())
        price = _dollars(first, "value")
        moment = settled_at(first)
        parties = []
        for sub_account, row in sorted(rows, key=lambda pair: pair[0]):
            payout = _dollars(row, "revenue") or Decimal(0)
            fee = _decimal(row, "fee_cost") or Decimal(0)
            parties.append(
                SettlementParty(
                    party_id=str(sub_account),
                    role=PartyRole.CUSTOMER_ACCOUNT,
                    long_qty=_count(row, "yes_count"),
                    short_qty=_count(row, "no_count"),
                    collateral_changes=(
                        CollateralChange(
                            amount=payout.quantize(_CENT), kind=CollateralAmountType.PAYOUT
                        ),
                    ),
                    fees=(MiscFee(amount=fee),),
                )
            )
    except ValueError as exc:  # MarketResult
        raise RecoveryProblem(f"{ticker}: {exc}") from None
    except RecoveryProblem as exc:
        raise RecoveryProblem(f"{ticker}: {exc}") from None
    date = datetime.fromtimestamp(moment, _EASTERN).strftime("%Y%m%d")
    return MarketSettlementReport(
        report_id=f"{REPORT_ID_PREFIX}{first.get('settled_time', '')}",
        symbol=ticker,
        clearing_business_date=date,
        result=result,
        settlement_price=price,
        total_reports=1,
        last_fragment=True,
        parties=tuple(parties),
    )


def encode_report(report: MarketSettlementReport) -> str:
    """The report as the journal keeps it: its UMS body as JSON ``[tag, value]`` pairs."""
    return json.dumps([[tag, value] for tag, value in report.to_body(PriceFormat.CENTS)])


def decode_report(text: str) -> MarketSettlementReport:
    """The report :func:`encode_report` wrote (MessageError / ValueError if it cannot be read)."""
    pairs = json.loads(text)
    message = FixMessage([(35, "UMS"), *((int(tag), str(value)) for tag, value in pairs)])
    return MarketSettlementReport.from_message(message, PriceFormat.CENTS)


# -- the recovery ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckOutcome:
    """What one read of the REST history did."""

    rows: int  #: settlement rows read
    recovered: tuple[str, ...]  #: markets booked from REST
    already_held: int  #: markets whose settlement the desk had
    unreadable: tuple[str, ...] = ()  #: markets whose rows could not be read, and why


class SettlementRecovery:
    """See the module docstring. The Desk calls :meth:`restored` after its journal replay,
    :meth:`status` whenever its KalshiPT session's status changes, and :meth:`stop`."""

    def __init__(
        self,
        *,
        state: TradingState,
        journal: Callable[[], Journal | None],
        venue: Callable[[], str],
        client: Callable[[], RestClient | None],
        clock: Callable[[], float],
        publish: Callable[[list[Change]], None],
        notice: Callable[[str, bool], None],
        failed: Callable[[str], None],
    ) -> None:
        self._state = state
        self._journal = journal
        self._venue = venue
        self._client = client
        self._clock = clock
        self._publish = publish
        self._notice = notice
        self._failed = failed
        #: read the history from here (epoch seconds, less the margin); None: nothing to cover
        self.since: float | None = None
        self.checks = 0  #: successful reads so far
        self._active = False
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._stopped = False

    def restored(self, checked_at: float | None, first_entry_at: float | None) -> None:
        """The journal replay's word on where the window starts (see the module docstring)."""
        self.since = checked_at if checked_at is not None else first_entry_at

    def status(self, *, active: bool, logon_reset: Callable[[], bool], account: str) -> None:
        """KalshiPT's status changed; on a fresh logon, check the history unless it resumed.

        ``logon_reset`` is read once the logon's events are handled (the session's status
        changes before its LogonAccepted reaches the link)."""
        was, self._active = self._active, active
        if not active or was or self._stopped:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        loop.call_soon(self._logged_on, logon_reset, account)

    def _logged_on(self, logon_reset: Callable[[], bool], account: str) -> None:
        if self._stopped:
            return
        if not logon_reset():
            return  # resumed: what was pushed meanwhile comes by ResendRequest
        if self.since is None:
            self.since = self._clock()  # the first logon of a desk with no journal: from now
            return
        if self._task is not None and not self._task.done():
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(self._recover(account))

    async def stop(self) -> None:
        self._stopped = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _recover(self, account: str) -> None:
        delay = RETRY_FIRST_S
        while not self._stopped:
            client = self._client()
            if client is None:
                self._notice(
                    f"{SessionType.PT.value} logged on without resending (it cannot, on this "
                    "dialect), and this profile has no REST URL: settlements pushed while it "
                    "was down cannot be recovered. Check the venue's website.",
                    True,
                )
                return
            try:
                outcome = await self.check(client, account)
            except (RestError, RecoveryProblem) as exc:  # the history could not be read
                self._notice(
                    f"Could not read the venue's settlement history to recover what "
                    f"{SessionType.PT.value} missed while down: {exc}. Trying again in "
                    f"{delay:.0f} s.",
                    True,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_S)
                continue
            except JournalFailed as exc:
                self._failed(str(exc))
                return
            self._report(outcome)
            if not self._again:
                return
            self._again = False
            delay = RETRY_FIRST_S

    async def check(self, client: RestClient, account: str) -> CheckOutcome:
        """Read the history since :attr:`since` and book what the desk lacks; journal that the
        history was read. RestError, RecoveryProblem or JournalFailed propagate (nothing of
        this check is booked when reading fails)."""
        started = self._clock()
        since = started if self.since is None else self.since
        min_ts = max(0, int(since - WINDOW_MARGIN_S))
        venue = self._venue()
        by_market: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        rows = 0
        for sub_account in self._sub_accounts(venue, account):
            for row in await _read_history(client, min_ts, sub_account):
                rows += 1
                ticker = str(row.get("ticker", ""))
                if ticker:
                    by_market.setdefault(ticker, []).append((sub_account, row))
        reports: list[MarketSettlementReport] = []
        unreadable: list[str] = []
        for ticker, found in sorted(by_market.items()):
            try:
                reports.append(report_from_rest(ticker, found))
            except RecoveryProblem as exc:
                unreadable.append(str(exc))
        recovered: list[str] = []
        held = 0
        journal = self._journal()
        for report in reports:
            if self._state.settlements.holds(venue, report.symbol):
                held += 1
                continue
            now = self._clock()
            if journal is not None:
                journal.record_note(
                    venue=venue,
                    account=account,
                    kind=NoteKind.SETTLEMENT_RECOVERED,
                    at=now,
                    subject=report.symbol,
                    text=encode_report(report),
                )
            changes = self._state.recover_settlement(report, venue=venue, account=account, now=now)
            recovered.append(report.symbol)
            self._publish(changes)
        if journal is not None:
            journal.record_note(
                venue=venue, account=account, kind=NoteKind.SETTLEMENTS_CHECKED, at=started
            )
        self.since = started
        self.checks += 1
        return CheckOutcome(
            rows=rows, recovered=tuple(recovered), already_held=held, unreadable=tuple(unreadable)
        )

    def _sub_accounts(self, venue: str, account: str) -> list[int]:
        """The primary account (0) and every numbered sub-account the desk holds positions in."""
        numbers = {0}
        for position in self._state.positions:
            sub = position.sub_account
            if position.venue == venue and position.account == account and sub and sub.isdigit():
                numbers.add(int(sub))
        return sorted(numbers)

    def _report(self, outcome: CheckOutcome) -> None:
        pt = SessionType.PT.value
        for problem in outcome.unreadable:
            self._notice(
                f"A settlement {pt} missed could not be read from the venue's REST history "
                f"({problem}): check that market's settlement on the venue's website",
                True,
            )
        if outcome.recovered:
            names = ", ".join(outcome.recovered)
            self._notice(
                f"{pt} logged on without resending (it cannot, on this dialect): "
                f"{len(outcome.recovered)} settlement(s) pushed while it was down were "
                f"recovered from the venue's REST history and marked recovered: {names}",
                True,
            )
        else:
            self._notice(
                f"{pt} logged on without resending: the venue's REST settlement history "
                "holds nothing the desk lacks",
                False,
            )


async def _read_history(
    client: RestClient, min_ts: int, sub_account: int
) -> Iterable[dict[str, Any]]:
    """Every settlement row since ``min_ts``, page by page (at most :data:`MAX_PAGES`)."""
    rows: list[dict[str, Any]] = []
    cursor = ""
    for _ in range(MAX_PAGES):
        path = f"/portfolio/settlements?limit={PAGE_LIMIT}&min_ts={min_ts}"
        if sub_account:
            path += f"&subaccount={sub_account}"
        if cursor:
            path += f"&cursor={quote(cursor, safe='')}"
        payload = await client.get(path)
        page = payload.get("settlements")
        if not isinstance(page, list):
            raise RecoveryProblem("the settlement history has no 'settlements' list")
        rows += [row for row in page if isinstance(row, dict)]
        cursor = str(payload.get("cursor") or "")
        if not cursor:
            return rows
    raise RecoveryProblem(
        f"the settlement history since {min_ts} runs past {MAX_PAGES} pages of {PAGE_LIMIT}"
    )
