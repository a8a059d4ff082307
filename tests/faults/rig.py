"""The scenario rig: the venue, a proxy in front of every port, the Desk, and trading during the
fault.

:class:`Rig` starts ``workstation-sim`` (:class:`~tests.faults.simulator.Simulator`: state
directory, seeded simulated flow), puts a :class:`~tests.faults.proxy.FaultProxy` in front of
each of the desk's FIX sessions (the order session — KalshiRT or KalshiNR —, KalshiDC and
KalshiPT), of the REST port and of the counterparty's session, and opens a real
:class:`~workstation.client.desk.Desk` on a custom profile that points at the proxies. The
desk rests orders the counterparty and the flow trade against (:meth:`Rig.rest_orders`), so
fills keep arriving while a scenario cuts, stalls, splits, corrupts or duplicates the desk's
traffic, or restarts the venue.

:meth:`Rig.settle` ends a scenario: it stops the counterparty, waits until every desk session
is logged on again and the desk holds every fill the venue reports (bounded), and returns the
:class:`~tests.faults.reconcile.Reconciliation` of the desk against the venue's admin snapshot.
Every FillAdded the desk publishes is counted by ExecID, so a fill recorded twice shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.client.config import RiskSettings, WorkstationConfig
from workstation.client.desk import ActionRefused, Desk, DeskUpdate, NeedsConfirmation, Notice
from workstation.client.profiles import Profile, SessionSettings, VenueKind
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.messages.enums import Side
from workstation.trading.changes import FillAdded, FillDuplicateIgnored
from workstation.trading.order import Order
from workstation.trading.ticket import Intent, Ticket

from .counterparty import DESK_PRICE, Counterparty
from .proxy import FaultInjected, FaultProxy
from .reconcile import Reconciliation, reconcile
from .simulator import DESK_ACCOUNT, DESK_BALANCE, MARKETS, Simulator, desk_key, keys_dir

__all__ = ["Rig", "build_profile", "desk_config", "wait_until"]

#: Contracts the desk rests on each side for the counterparty.
RESTING = Decimal(900)
SETTLE_TIMEOUT = 30.0


async def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` every 20 ms; fail naming ``what`` after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.02)


def build_profile(
    *,
    order_session: SessionType,
    heartbeat: int,
    ports: dict[SessionType, int],
    rest_port: int,
    dialect: Dialect = Dialect.CURRENT,
) -> Profile:
    """The desk's custom profile: each session on its port (a proxy's), the desk's keys."""
    sessions = {
        st: SessionSettings(
            session_type=st,
            enabled=True,
            api_key_id=desk_key(st).key_id,
            private_key=desk_key(st).private_key,
            port=port,
            heartbeat=heartbeat,
        )
        for st, port in ports.items()
    }
    return Profile(
        name="faults",
        kind=VenueKind.CUSTOM,
        host="127.0.0.1",
        tls=False,
        dialect=dialect,
        order_session=order_session,
        sessions=sessions,
        rest_url=f"http://127.0.0.1:{rest_port}/trade-api/v2",
    )


def desk_config(profile: Profile) -> WorkstationConfig:
    """Settings with risk limits wide enough for the scenarios' resting orders."""
    return WorkstationConfig(
        profile=profile.name,
        poll_seconds=60.0,
        risk=RiskSettings(
            max_contracts=1000,
            max_order_cost=Decimal("100000"),
            confirm_above_cost=Decimal("100000"),
            max_open_orders=500,
        ),
        profiles={profile.name: profile},
    )


class Rig:
    """See the module docstring."""

    def __init__(
        self,
        directory: Path,
        *,
        order_session: SessionType = SessionType.RT,
        heartbeat: int = 30,
        seed: int = 11,
        flow: bool = True,
        lifetime: float = 300.0,
        dialect: Dialect = Dialect.CURRENT,
    ) -> None:
        self.directory = directory
        self.dialect = dialect
        self.order_session = order_session
        self.heartbeat = heartbeat
        self.lifetime = lifetime
        self.sim = Simulator(directory / "venue", seed=seed, flow=flow, dialect=dialect)
        self.sessions = (order_session, SessionType.DC, SessionType.PT)
        self.proxies: dict[SessionType, FaultProxy] = {}
        self.rest_proxy: FaultProxy | None = None
        self.cp_proxy: FaultProxy | None = None
        self.counterparty: Counterparty | None = None
        self.desk: Desk | None = None
        self._desk_stopped = True
        self.recorded: Counter[str] = Counter()
        self.duplicates_ignored = 0
        self.notices: list[Notice] = []
        self.faults: list[FaultInjected] = []
        #: the venue's snapshot of the desk's account at the last reconciliation
        self.last_snapshot: dict[str, Any] = {}
        #: (session, "in"/"out", MsgType) -> messages the desk's message log saw
        self.wire: Counter[tuple[SessionType, str, str]] = Counter()

    # ------------------------------------------------------------------ life cycle

    async def start(self, *, desk: bool = True) -> None:
        """The venue, the proxies, the desk (logged on everywhere; unless ``desk`` is False,
        for a desk in a child process) and the counterparty."""
        await self.sim.start()
        for st in self.sessions:
            self.proxies[st] = await self._proxy(self.sim.port(st), st.value)
        self.rest_proxy = await self._proxy(self.sim.rest_port, "REST")
        self.cp_proxy = await self._proxy(self.sim.port(SessionType.NR), "counterparty")
        if desk:
            await self.open_desk()
        self.counterparty = Counterparty(self.cp_proxy.port, dialect=self.dialect)
        self.counterparty.start()
        await wait_until(lambda: self.counterparty is not None and self.counterparty.active,
                         10.0, "the counterparty's logon")  # fmt: skip

    async def _proxy(self, port: int, name: str) -> FaultProxy:
        proxy = FaultProxy(port, name=name, lifetime=self.lifetime, on_fault=self.faults.append)
        await proxy.start()
        return proxy

    def profile(self) -> Profile:
        """A custom profile whose every session goes through its proxy."""
        assert self.rest_proxy is not None
        return build_profile(
            order_session=self.order_session,
            heartbeat=self.heartbeat,
            ports={st: proxy.port for st, proxy in self.proxies.items()},
            rest_port=self.rest_proxy.port,
            dialect=self.dialect,
        )

    def desk_spec(self) -> dict[str, Any]:
        """What a desk in a child process needs to open this rig's desk (JSON-ready)."""
        assert self.rest_proxy is not None
        return {
            "data_dir": str(self.directory / "desk"),
            "order_session": self.order_session.value,
            "heartbeat": self.heartbeat,
            "ports": {st.value: proxy.port for st, proxy in self.proxies.items()},
            "rest_port": self.rest_proxy.port,
            "keys_dir": str(keys_dir()),
            "dialect": self.dialect.value,
        }

    @property
    def desk_running(self) -> bool:
        return self.desk is not None and not self._desk_stopped

    async def open_desk(self, wait: float = 15.0) -> Desk:
        """Start a Desk on :meth:`profile` (its data directory survives a restart of it) and
        wait up to ``wait`` seconds until every session is logged on."""
        desk = Desk(desk_config(self.profile()), data_dir=self.directory / "desk")
        self.recorded.clear()  # counted per desk: a restarted one restores its fills once
        desk.subscribe(self._on_update)
        self.desk = desk
        self._desk_stopped = False
        await desk.start()
        await wait_until(desk.all_logged_on, wait, "the desk's logon on every session")
        return desk

    async def close_desk(self) -> None:
        """Stop the desk cleanly (its last state stays readable on :attr:`desk`)."""
        if self.desk is not None and not self._desk_stopped:
            self._desk_stopped = True
            await self.desk.stop()
            # Deliver its last update now (the desk batches them on a timer), so a desk opened
            # next does not have this one's last changes counted as its own.
            self.desk.flush()

    async def close(self) -> None:
        """Stop everything this rig started, whatever state it is in."""
        if self.counterparty is not None:
            with contextlib.suppress(Exception):
                await self.counterparty.stop()
        with contextlib.suppress(Exception):
            await self.close_desk()
        for proxy in self.all_proxies():
            await proxy.close()
        if self.sim.process is not None and self.sim.process.poll() is None:
            with contextlib.suppress(Exception):
                await self.sim.stop(signal.SIGTERM)
        self.sim.kill()

    def all_proxies(self) -> list[FaultProxy]:
        extra = [p for p in (self.rest_proxy, self.cp_proxy) if p is not None]
        return [*self.proxies.values(), *extra]

    def _on_update(self, update: DeskUpdate) -> None:
        for change in update.changes:
            if isinstance(change, FillAdded):
                self.recorded[str(change.fill.exec_id)] += 1
            elif isinstance(change, FillDuplicateIgnored):
                self.duplicates_ignored += 1
        self.notices.extend(update.notices)
        for record in update.wire:
            self.wire[(record.session, record.direction.value, record.msg_type)] += 1

    # ------------------------------------------------------------------ trading

    @property
    def the_desk(self) -> Desk:
        assert self.desk is not None, "the desk is not running"
        return self.desk

    @property
    def the_counterparty(self) -> Counterparty:
        assert self.counterparty is not None
        return self.counterparty

    async def submit(self, symbol: str, intent: Intent, price: Decimal, quantity: Decimal) -> Order:
        ticket = Ticket(symbol=symbol, intent=intent, price=price, quantity=quantity)
        try:
            return await self.the_desk.submit(ticket)
        except NeedsConfirmation:
            return await self.the_desk.submit(ticket, confirmed=True)

    async def rest_orders(self, quantity: Decimal = RESTING) -> list[Order]:
        """A YES bid in the first market and a YES offer in the second at the middle of the
        maker's spread (for the counterparty and the flow's takers), and a bid and an offer
        one tick behind the maker's in the third; waits for the venue's acks."""
        orders = [
            await self.submit(MARKETS[0], Intent.BUY_YES, DESK_PRICE, quantity),
            await self.submit(MARKETS[1], Intent.SELL_YES, DESK_PRICE, quantity),
            await self.submit(MARKETS[2], Intent.BUY_YES, Decimal("0.48"), Decimal(60)),
            await self.submit(MARKETS[2], Intent.SELL_YES, Decimal("0.52"), Decimal(60)),
        ]
        ids = [o.cl_ord_id for o in orders]
        await wait_until(
            lambda: all(self._acknowledged(i) for i in ids), 10.0, "the resting orders' acks"
        )
        return orders

    def _acknowledged(self, cl_ord_id: str) -> bool:
        order = self.the_desk.orders.get(cl_ord_id)
        return order is not None and order.order_id is not None

    async def refill(self) -> int:
        """Top up the counterparty's side of the book when the desk's orders run low (the
        soak's long runs); returns how many orders were sent."""
        desk = self.the_desk
        if not desk.all_logged_on():
            return 0
        sent = 0
        for ticker, intent, side in (
            (MARKETS[0], Intent.BUY_YES, Side.BUY),
            (MARKETS[1], Intent.SELL_YES, Side.SELL),
        ):
            leaves = sum(
                (o.leaves_qty for o in desk.orders.open_orders()
                 if o.symbol == ticker and o.side is side),
                Decimal(0),
            )  # fmt: skip
            if leaves < RESTING / 3:
                with contextlib.suppress(ActionRefused):
                    await self.submit(ticker, intent, DESK_PRICE, RESTING)
                    sent += 1
        return sent

    # ------------------------------------------------------------------ venue

    async def restart_simulator(self, signum: signal.Signals = signal.SIGKILL) -> None:
        """Stop the venue (``SIGKILL`` by default) and start it again from its state directory;
        every proxy follows it to its new ports."""
        for proxy in self.all_proxies():
            proxy.refuse(True)
        await self.sim.restart(signum)
        for st, proxy in self.proxies.items():
            proxy.retarget(self.sim.port(st))
        assert self.rest_proxy is not None and self.cp_proxy is not None
        self.rest_proxy.retarget(self.sim.rest_port)
        self.cp_proxy.retarget(self.sim.port(SessionType.NR))
        for proxy in self.all_proxies():
            proxy.refuse(False)

    # ------------------------------------------------------------------ the verdict

    async def settle(self, timeout: float = SETTLE_TIMEOUT) -> Reconciliation:
        """Stop trading, let the desk recover, and compare it with the venue (see the module
        docstring). Returns the last comparison, agreeing or not, once ``timeout`` passes."""
        if self.counterparty is not None:
            await self.counterparty.pause()
        for proxy in self.all_proxies():
            proxy.pass_through()
        await self.sim.admin("flow", on=False)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        started = loop.time()
        result = await self.reconciliation()
        while not (result.ok and self.the_desk.all_logged_on()):
            if loop.time() > deadline:
                return result
            # A long run's snapshot is large: poll no more often than it takes to read one.
            await asyncio.sleep(max(0.25, loop.time() - started))
            started = loop.time()
            result = await self.reconciliation()
        return result

    async def reconciliation(self) -> Reconciliation:
        desk = self.the_desk
        snapshot = self.last_snapshot = await self.sim.snapshot(DESK_ACCOUNT)
        venue, account = desk.venue_id, self._account()
        return reconcile(
            fills=[f for f in desk.fills if f.venue == venue and f.account == account],
            positions=[p for p in desk.positions if p.venue == venue and p.account == account],
            recorded=self.recorded,
            snapshot=snapshot,
            starting_balance=DESK_BALANCE,
            payouts=sum(
                (s.total_payout for s in desk.settlements if s.venue == venue and s.complete),
                Decimal(0),
            ),
        )

    def _account(self) -> str:
        link = self.the_desk.order_link()
        assert link is not None
        return link.account

    def fault_counts(self) -> dict[str, int]:
        return dict(Counter(f.kind.value for f in self.faults))
