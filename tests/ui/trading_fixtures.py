"""Trading data for the ticket and blotter tests: real orders, fills and positions.

:class:`Floor` sends tickets through ``trading.ticket.build_order`` into a real
``trading.Orders`` and answers them with real typed ExecutionReports, so every Change the
models see is one the Desk would deliver. :class:`DeskDouble` is the small protocol object the
panels take (the brief's decoupling): its ``submit_now`` runs the Desk's own checks
(check_ticket, risk.check_order) on the real stores; it records every call, and can hold the
blotter's calls open (``gate``) to test the in-flight guards.

:func:`busy_morning` builds a realistic desk: four events, orders in every status, partial
fills, a healed (drop-copy) fill, an external order, a position mismatch and a market poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from workstation.client.desk import ActionRefused, NeedsConfirmation
from workstation.client.market_data import EventRow, MarketRow, MarketSnapshot
from workstation.fix.messages.enums import (
    CollateralAmountType,
    ExecType,
    OrdStatus,
    Side,
    TimeInForce,
)
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.parties import Party
from workstation.trading.changes import Change, FillAdded
from workstation.trading.fees import taker_fee
from workstation.trading.fills import Fills
from workstation.trading.groups import OrderGroups
from workstation.trading.order import Order
from workstation.trading.orders import Orders
from workstation.trading.positions import Positions
from workstation.trading.risk import RiskLimits, RiskOutcome, check_order
from workstation.trading.ticket import Intent, Ticket, build_order, check_ticket, ticket_figures
from workstation.ui.timefmt import EASTERN

VENUE = "local:sim-1"
ACCOUNT = "trader-1"
#: Tue 2025-01-07 10:30:00 ET
T0 = datetime(2025, 1, 7, 10, 30, tzinfo=EASTERN).timestamp()


def d(value: str | int) -> Decimal:
    return Decimal(str(value))


class Floor:
    """The trading stores plus an exchange that answers tickets with real reports."""

    def __init__(self, *, venue: str = VENUE, account: str = ACCOUNT) -> None:
        self.venue = venue
        self.account = account
        self.orders = Orders()
        self.fills = Fills()
        self.positions = Positions()
        self.changes: list[Change] = []
        self.intents: dict[str, Intent] = {}
        self._exec = 100
        self._order_ids = 5000

    # -- sending -------------------------------------------------------------------------

    def send(
        self,
        symbol: str,
        intent: Intent,
        price: str,
        qty: int | str,
        *,
        at: float,
        tif: TimeInForce = TimeInForce.GTC,
        alloc: int | None = None,
        party: str | None = None,
        group: str | None = None,
        expire_time: float | None = None,
    ) -> str:
        """Send a ticket (price in the contract's terms); returns the ClOrdID."""
        ticket = Ticket(
            symbol=symbol,
            intent=intent,
            price=d(price),
            quantity=d(qty),
            time_in_force=tif,
            expire_time=expire_time,
            order_group_id=group,
            alloc_account=alloc,
            parties=() if party is None else (Party(party_id=party, role=24),),
        )
        nos = build_order(ticket)
        self._record(self.orders.submitted(nos, venue=self.venue, account=self.account, now=at))
        self.intents[nos.cl_ord_id] = intent
        return nos.cl_ord_id

    def order(self, cl: str) -> Order:
        order = self.orders.get(cl)
        assert order is not None
        return order

    # -- the exchange's answers ----------------------------------------------------------

    def _next_exec(self) -> ExecId:
        self._exec += 1
        return ExecId(self._exec, 1)

    def _er(
        self,
        cl: str,
        exec_type: ExecType,
        ord_status: OrdStatus,
        *,
        at: float,
        exec_id: ExecId | None = None,
        **kw: Any,
    ) -> ExecutionReport:
        o = self.order(cl)
        order_id = o.order_id
        if order_id is None:
            self._order_ids += 1
            order_id = f"ord-{self._order_ids}"
        fields: dict[str, Any] = {
            "exec_id": exec_id if exec_id is not None else self._next_exec(),
            "order_id": order_id,
            "cl_ord_id": o.cl_ord_id,
            "exec_type": exec_type,
            "ord_status": ord_status,
            "symbol": o.symbol,
            "side": o.side,
            "order_qty": o.order_qty,
            "cum_qty": o.cum_qty,
            "leaves_qty": o.leaves_qty,
            "avg_px": o.avg_px,
            "price": o.price,
            "transact_time": at,
            "time_in_force": o.time_in_force,
            "alloc_account": o.alloc_account,
            "parties": o.parties,
        }
        fields.update(kw)
        return ExecutionReport(**fields)

    def _apply(self, er: ExecutionReport, at: float, healed: bool = False) -> list[Change]:
        changes = self.orders.apply_execution_report(
            er, venue=self.venue, account=self.account, now=at, healed=healed
        )
        changes += self.fills.add(er, venue=self.venue, account=self.account, now=at, healed=healed)
        for change in list(changes):
            if isinstance(change, FillAdded):
                changes += self.positions.apply_fill(change.fill)
        self._record(changes)
        return changes

    def _record(self, changes: list[Change]) -> list[Change]:
        self.changes.extend(changes)
        return changes

    def ack(self, cl: str, *, at: float) -> list[Change]:
        return self._apply(self._er(cl, ExecType.NEW, OrdStatus.NEW, at=at), at)

    def fill(
        self,
        cl: str,
        qty: int | str,
        *,
        at: float,
        yes_px: str | None = None,
        taker: bool = False,
        healed: bool = False,
        exchange_net: Decimal | None = None,
        exec_id: ExecId | None = None,
    ) -> list[Change]:
        """A trade of ``qty`` at the order's YES price (or ``yes_px``)."""
        o = self.order(cl)
        px = d(yes_px) if yes_px is not None else o.price
        assert px is not None
        last = d(qty)
        cum = o.cum_qty + last
        avg = (o.avg_px * o.cum_qty + px * last) / cum
        fee = taker_fee(last, px) if taker else Decimal("0.00")
        paid = px if o.side is Side.BUY else 1 - px
        balance = -(last * paid) - fee
        net_now = sum(
            (
                p.net
                for p in self.positions.in_market(self.venue, self.account, o.symbol)
                if p.sub_account == o.sub_account
            ),
            Decimal(0),
        )
        after = net_now + (last if o.side is Side.BUY else -last)
        if exchange_net is not None:
            after = exchange_net
        status = OrdStatus.FILLED if cum >= o.order_qty else OrdStatus.PARTIALLY_FILLED
        er = self._er(
            cl,
            ExecType.TRADE,
            status,
            at=at,
            exec_id=exec_id,
            cum_qty=cum,
            leaves_qty=o.order_qty - cum,
            avg_px=avg.quantize(Decimal("0.0001")),
            last_px=px,
            last_qty=last,
            aggressor=taker,
            fees=(MiscFee(amount=fee),),
            collateral_changes=(
                CollateralChange(amount=balance, kind=CollateralAmountType.BALANCE),
            ),
            long_qty=max(after, Decimal(0)),
            short_qty=max(-after, Decimal(0)),
            trd_match_id=f"T{self._exec}",
        )
        return self._apply(er, at, healed=healed)

    def cancel(self, cl: str, *, at: float, text: str | None = None) -> list[Change]:
        """We ask for a cancel and the exchange cancels."""
        request = self.orders.cancel_request_for(cl)
        self._record(self.orders.cancel_requested(request, now=at))
        er = self._er(
            cl,
            ExecType.CANCELED,
            OrdStatus.CANCELED,
            at=at,
            cl_ord_id=request.cl_ord_id,
            orig_cl_ord_id=request.orig_cl_ord_id,
            leaves_qty=Decimal(0),
            text=text,
        )
        return self._apply(er, at)

    def exchange_cancel(self, cl: str, text: str, *, at: float) -> list[Change]:
        """The exchange cancels on its own (IOC remainder, self-trade, group trigger)."""
        er = self._er(
            cl, ExecType.CANCELED, OrdStatus.CANCELED, at=at, leaves_qty=Decimal(0), text=text
        )
        return self._apply(er, at)

    def expire(self, cl: str, *, at: float) -> list[Change]:
        er = self._er(cl, ExecType.EXPIRED, OrdStatus.EXPIRED, at=at, leaves_qty=Decimal(0))
        return self._apply(er, at)

    def reject(self, cl: str, text: str, *, at: float) -> list[Change]:
        er = self._er(
            cl,
            ExecType.REJECTED,
            OrdStatus.REJECTED,
            at=at,
            exec_id=None,
            order_id=None,
            leaves_qty=Decimal(0),
            text=text,
        )
        return self._apply(er, at)

    def pending_cancel(self, cl: str, *, at: float) -> list[Change]:
        request = self.orders.cancel_request_for(cl)
        return self._record(self.orders.cancel_requested(request, now=at))

    def pending_replace(self, cl: str, *, qty: int, yes_price: str, at: float) -> list[Change]:
        request = self.orders.replace_request_for(cl, order_qty=d(qty), price=d(yes_price))
        return self._record(self.orders.replace_requested(request, now=at))

    def external(
        self, symbol: str, side: Side, yes_price: str, qty: int, *, cl: str, at: float
    ) -> list[Change]:
        """An order placed elsewhere (another session), first seen in its New report."""
        self._order_ids += 1
        er = ExecutionReport(
            exec_id=self._next_exec(),
            order_id=f"ord-{self._order_ids}",
            cl_ord_id=cl,
            exec_type=ExecType.NEW,
            ord_status=OrdStatus.NEW,
            symbol=symbol,
            side=side,
            order_qty=d(qty),
            cum_qty=Decimal(0),
            leaves_qty=d(qty),
            avg_px=Decimal(0),
            price=d(yes_price),
            transact_time=at,
            time_in_force=TimeInForce.GTC,
        )
        return self._apply(er, at)


# -- the market poll --------------------------------------------------------------------------

_EVENTS: tuple[
    tuple[str, str, tuple[tuple[str, str, str | None, str | None, str | None], ...]], ...
] = (
    (
        "KXHIGHNY-25JAN07",
        "Highest temperature in NYC on Jan 7?",
        (
            ("KXHIGHNY-25JAN07-B37.5", "37° to 38°", "0.21", "0.24", "0.22"),
            ("KXHIGHNY-25JAN07-B39.5", "39° to 40°", "0.33", "0.36", "0.35"),
            ("KXHIGHNY-25JAN07-T41", "41° or above", "0.12", "0.15", "0.13"),
        ),
    ),
    (
        "KXFEDDECISION-25MAR",
        "Fed decision in March 2025?",
        (
            ("KXFEDDECISION-25MAR-H0", "Hold", "0.61", "0.63", "0.62"),
            ("KXFEDDECISION-25MAR-C25", "Cut 25bps", "0.36", "0.38", "0.37"),
        ),
    ),
    (
        "KXNBAGAME-25JAN07NYKCLE",
        "New York vs Cleveland: who wins?",
        (
            ("KXNBAGAME-25JAN07NYKCLE-NYK", "New York", "0.41", "0.43", "0.42"),
            ("KXNBAGAME-25JAN07NYKCLE-CLE", "Cleveland", "0.57", "0.59", "0.58"),
        ),
    ),
    (
        "EURUSD-25JAN0718",
        "EUR/USD at 6pm ET on Jan 7?",
        (("EURUSD-25JAN0718-B1.087", "Above 1.0870", None, "0.52", "0.50"),),
    ),
)


def market_snapshot(*, as_of: float, balance: str | None = "1250.00") -> MarketSnapshot:
    events = []
    markets: dict[str, MarketRow] = {}
    for event_ticker, title, rows in _EVENTS:
        tickers = []
        for ticker, market_title, bid, ask, last in rows:
            markets[ticker] = MarketRow(
                ticker=ticker,
                event_ticker=event_ticker,
                title=market_title,
                status="active",
                yes_bid=None if bid is None else d(bid),
                yes_ask=None if ask is None else d(ask),
                last_price=None if last is None else d(last),
                volume=1200,
            )
            tickers.append(ticker)
        events.append(
            EventRow(
                event_ticker=event_ticker,
                title=title,
                mutually_exclusive=True,
                markets=tuple(tickers),
            )
        )
    return MarketSnapshot(
        as_of=as_of,
        events=tuple(events),
        markets=markets,
        balance=None if balance is None else d(balance),
    )


NYC = "KXHIGHNY-25JAN07-B39.5"
NYC_HOT = "KXHIGHNY-25JAN07-T41"
NYC_COLD = "KXHIGHNY-25JAN07-B37.5"
FED_HOLD = "KXFEDDECISION-25MAR-H0"
FED_CUT = "KXFEDDECISION-25MAR-C25"
NYK = "KXNBAGAME-25JAN07NYKCLE-NYK"
CLE = "KXNBAGAME-25JAN07NYKCLE-CLE"
EUR = "EURUSD-25JAN0718-B1.087"


@dataclass
class Morning:
    """What :func:`busy_morning` built: the floor and the ClOrdIDs by role."""

    floor: Floor
    ids: dict[str, str] = field(default_factory=dict)


def busy_morning() -> Morning:
    """A trading morning with orders in every status (times from 09:31 to 10:29 ET)."""
    f = Floor()
    m = Morning(floor=f)
    t = T0 - 3540.0

    def at(minutes: float) -> float:
        return t + minutes * 60

    # Cleveland: bought 40 YES in two fills (one healed from drop copy), then sold 15.
    m.ids["cle_buy"] = cl = f.send(CLE, Intent.BUY_YES, "0.45", 40, at=at(0))
    f.ack(cl, at=at(0.01))
    f.fill(cl, 25, at=at(2), taker=True)
    f.fill(cl, 15, at=at(3), healed=True)
    m.ids["cle_sell"] = cl = f.send(CLE, Intent.SELL_YES, "0.58", 15, at=at(21))
    f.ack(cl, at=at(21.01))
    f.fill(cl, 15, at=at(24))
    # Fed cut: Buy NO 10 at 62¢ (Side 2 at YES 38¢), 4 filled, working.
    m.ids["fed_no"] = cl = f.send(FED_CUT, Intent.BUY_NO, "0.62", 10, at=at(5))
    f.ack(cl, at=at(5.01))
    f.fill(cl, 4, at=at(9))
    # NYC: a resting bid and a pending cancel.
    m.ids["nyc_bid"] = cl = f.send(NYC, Intent.BUY_YES, "0.34", 25, at=at(12))
    f.ack(cl, at=at(12.01))
    m.ids["nyc_cancel"] = cl = f.send(NYC_COLD, Intent.BUY_YES, "0.19", 50, at=at(13))
    f.ack(cl, at=at(13.01))
    f.pending_cancel(cl, at=at(55))
    # Hot-day NO, amended: pending replace.
    m.ids["hot_no"] = cl = f.send(NYC_HOT, Intent.BUY_NO, "0.86", 30, at=at(14), alloc=3)
    f.ack(cl, at=at(14.01))
    f.pending_replace(cl, qty=40, yes_price="0.15", at=at(56))
    # Rejected: insufficient balance; post-only that would cross.
    m.ids["rejected"] = cl = f.send(FED_HOLD, Intent.BUY_YES, "0.63", 2000, at=at(16))
    f.reject(cl, "INSUFFICIENT_BALANCE", at=at(16.01))
    m.ids["post_only"] = cl = f.send(NYK, Intent.BUY_YES, "0.43", 10, at=at(17))
    f.exchange_cancel(cl, "POST_ONLY_CROSS", at=at(17.01))
    # Cancelled after a partial fill; an IOC remainder cancelled.
    m.ids["cancelled"] = cl = f.send(NYK, Intent.SELL_NO, "0.58", 20, at=at(18))
    f.ack(cl, at=at(18.01))
    f.fill(cl, 8, at=at(19), taker=True)
    f.cancel(cl, at=at(30))
    m.ids["ioc"] = cl = f.send(FED_HOLD, Intent.BUY_YES, "0.62", 12, at=at(31), tif=TimeInForce.IOC)
    f.fill(cl, 5, at=at(31.01), taker=True)
    f.exchange_cancel(cl, "IMMEDIATE_OR_CANCELLED", at=at(31.02))
    # Expired day order from yesterday's session.
    m.ids["expired"] = cl = f.send(EUR, Intent.BUY_YES, "0.48", 10, at=at(1), tif=TimeInForce.DAY)
    f.ack(cl, at=at(1.01))
    f.expire(cl, at=at(1.5))
    # Outcome unknown: the exchange could not confirm.
    m.ids["unknown"] = cl = f.send(EUR, Intent.SELL_YES, "0.55", 6, at=at(40))
    f.reject(cl, "EXCHANGE_UNAVAILABLE", at=at(40.01))
    # Pending: sent, not answered yet.
    m.ids["pending"] = f.send(NYC, Intent.BUY_NO, "0.64", 5, at=at(58))
    # An order placed from another session (seen in its report), in a sub-account.
    m.ids["external"] = "ext-7f1c9a"
    f.external(FED_HOLD, Side.SELL, "0.66", 15, cl="ext-7f1c9a", at=at(44))
    # The exchange's position disagrees with our fills in NYK (a fill we never saw).
    m.ids["nyk_buy"] = cl = f.send(NYK, Intent.BUY_YES, "0.41", 6, at=at(46))
    f.ack(cl, at=at(46.01))
    f.fill(cl, 6, at=at(47), exchange_net=Decimal(4))
    return m


# -- the desk the panels talk to -----------------------------------------------------------


class DeskDouble:
    """The ticket's and blotter's desk: real stores and checks, calls recorded."""

    def __init__(
        self,
        floor: Floor | None = None,
        *,
        market: MarketSnapshot | None = None,
        listen_only: bool = False,
        risk: RiskLimits | None = None,
        clock: Callable[[], float] = lambda: T0,
    ) -> None:
        self.floor = floor or Floor()
        self.listen_only = listen_only
        self.market = market
        self.groups = OrderGroups()
        self.risk = risk or RiskLimits()
        self.clock = clock
        self.calls: list[tuple[Any, ...]] = []
        self.gate: asyncio.Event | None = None
        self.refuse: str | None = None  #: every action raises ActionRefused with this

    @property
    def orders(self) -> Orders:
        return self.floor.orders

    @property
    def fills(self) -> Fills:
        return self.floor.fills

    @property
    def positions(self) -> Positions:
        return self.floor.positions

    async def _hold(self) -> None:
        if self.gate is not None:
            await self.gate.wait()
        if self.refuse is not None:
            raise ActionRefused(self.refuse)

    def submit_now(self, ticket: Ticket, *, confirmed: bool = False) -> Order:
        """Check and "send" at once, as ``Desk.submit_now`` does (the ticket's path)."""
        self.calls.append(("submit", ticket, confirmed))
        if self.refuse is not None:
            raise ActionRefused(self.refuse)
        check = check_ticket(ticket, now=self.clock())
        if not check.ok:
            raise ActionRefused("; ".join(check.errors))
        figures = ticket_figures(ticket.intent, ticket.price, ticket.quantity)
        verdict = check_order(
            self.risk,
            quantity=ticket.quantity,
            cost=figures.cost + figures.fee,
            open_orders=len(self.orders.open_orders()),
        )
        if verdict.outcome is RiskOutcome.BLOCKED:
            raise ActionRefused(verdict.message)
        if verdict.outcome is RiskOutcome.NEEDS_CONFIRMATION and not confirmed:
            raise NeedsConfirmation(verdict.message)
        nos = build_order(ticket)
        self.floor._record(
            self.orders.submitted(
                nos, venue=self.floor.venue, account=self.floor.account, now=self.clock()
            )
        )
        return self.floor.order(nos.cl_ord_id)

    async def cancel(self, cl_ord_id: str) -> None:
        self.calls.append(("cancel", cl_ord_id))
        await self._hold()

    async def replace(
        self, cl_ord_id: str, *, price: Decimal | None = None, quantity: Decimal | None = None
    ) -> None:
        self.calls.append(("replace", cl_ord_id, price, quantity))
        await self._hold()

    async def cancel_all(self) -> int:
        self.calls.append(("cancel_all",))
        await self._hold()
        return len(self.orders.open_orders())


def run_until(
    loop: asyncio.AbstractEventLoop, done: Callable[[], bool], timeout: float = 5.0
) -> None:
    """Run the qasync loop until ``done()`` (or fail after ``timeout`` seconds)."""

    async def wait() -> None:
        while not done():
            await asyncio.sleep(0.005)

    loop.run_until_complete(asyncio.wait_for(wait(), timeout))
