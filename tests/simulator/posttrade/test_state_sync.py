"""The state file follows the exchange exactly: after every publish batch, what a fresh read of
the file gives back equals the live exchange state and the drop-copy history (every report
as sent), whatever the batch did (orders of every kind, amends, cancels, expiries, order
groups, simulated flow that forgets its own history, pauses, settlement), also after a
transaction that rolled back. Real SQLite files, the real
exchange and order gateway; no sockets (nothing here needs a client)."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from workstation.fix.messages.prices import PriceFormat
from workstation.simulator.clock import VenueClock
from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.exchange.flow import FlowConfig, SimulatedFlow
from workstation.simulator.exchange.market import MarketStatus
from workstation.simulator.exchange.orders import NewOrder, ReplaceOrder
from workstation.simulator.exchange.results import Result
from workstation.simulator.exchange.state import ExchangeState
from workstation.simulator.exchange.types import MarketResult, Side, TimeInForce
from workstation.simulator.gateway import install_order_gateway
from workstation.simulator.gateway.drop_copy import LOOKBACK_SECONDS, DropCopyGateway
from workstation.simulator.gateway.settlement import SettlementGateway
from workstation.simulator.persistence import StateDir
from workstation.simulator.persistence.exchange_state import HANDLED_FIELDS, state_field_names
from workstation.simulator.persistence.records import decode_report
from workstation.simulator.persistence.state_file import read_state_file
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

from .desk import ALICE, BOB, MARKETS, D, markets_toml, registry

TRADERS = (ALICE, BOB)


def test_every_exchange_state_field_is_stored_or_rebuilt() -> None:
    assert state_field_names() == HANDLED_FIELDS


def non_empty(maps: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    """An account with an empty map is the same as one without (the engine reads .get())."""
    return {k: v for k, v in maps.items() if v}


def assert_same_state(stored: ExchangeState, live: ExchangeState) -> None:
    assert stored.orders == live.orders
    assert non_empty(stored.cl_ord_ids) == non_empty(live.cl_ord_ids)  # type: ignore[arg-type]
    assert non_empty(stored.live) == non_empty(live.live)  # type: ignore[arg-type]
    assert stored.ledger == live.ledger
    assert stored.groups == live.groups
    assert stored.fills == live.fills
    assert {a: list(f) for a, f in stored.fills.items()} == {
        a: list(f) for a, f in live.fills.items()
    }
    assert stored.markets == live.markets
    assert stored.events == live.events
    for event in stored.events.values():  # markets are shared with the events, as live
        assert all(stored.markets[m.ticker] is m for m in event.markets)
    # A cycle that issued no ExecID (an expiry sweep with nothing due) publishes nothing and
    # may be written later; every ExecID issued is below the stored clock.
    issued = [f.exec_id.clock for fills in live.fills.values() for f in fills.values()]
    assert max(issued, default=0) <= stored.exec_ids.clock <= live.exec_ids.clock
    assert stored.exchange_paused == live.exchange_paused
    assert stored.next_priority == live.next_priority


class Session:
    """A venue with the order gateway, settlement gateway and a state directory, driven by
    direct exchange calls and venue.publish (the way the admin port and the flow drive it)."""

    def __init__(self, tmp_path: Path) -> None:
        markets = tmp_path / "markets.toml"
        markets.write_text(markets_toml(), encoding="utf-8")
        self.venue = Venue(VenueSettings(base_port=0, registry=registry(), markets_file=markets))
        self.state_dir = StateDir.open(self.venue, tmp_path / "state")
        install_order_gateway(self.venue)
        self.settlements = SettlementGateway(self.venue)
        self.settlements.register()
        self.state_dir.attach(self.settlements)
        self.now = self.venue.clock()

    @property
    def exchange(self) -> Exchange:
        return self.venue.exchange

    def publish(self, results: list[Result]) -> None:
        self.venue.publish(results, self.now)

    def check(self) -> None:
        stored = read_state_file(self.state_dir.path)
        assert stored is not None
        assert stored.venue_id == self.venue.venue_id
        assert_same_state(stored.state, self.exchange.state)
        newest = [e.exec_id.clock for a in TRADERS for e in self.venue.exec_history.entries(a)]
        assert max(newest, default=0) <= stored.state.exec_ids.clock
        for account in TRADERS:
            kept = [(a, t, r) for a, t, r in stored.history if a == account]
            live = [
                (account, e.sent_at, e.report) for e in self.venue.exec_history.entries(account)
            ]
            assert kept == live  # every report exactly as sent, field for field
        assert stored.settlements == self.settlements.issued_since(0)

    def close(self) -> None:
        asyncio.run(self.state_dir.stop())


def random_op(s: Session, rng: random.Random, flow: SimulatedFlow, n: int) -> list[Result]:
    exchange = s.exchange
    account = rng.choice(TRADERS)
    ticker = rng.choice(MARKETS[:3])
    kind = rng.random()
    if kind < 0.4:
        tif = rng.choice(
            [TimeInForce.GTC] * 5 + [TimeInForce.IOC, TimeInForce.DAY, TimeInForce.GTD]
        )
        request = NewOrder(
            account=account,
            cl_ord_id=f"c{n}",
            ticker=ticker,
            side=rng.choice([Side.BUY, Side.SELL]),
            price=Decimal(rng.randint(30, 70)) / 100,
            quantity=Decimal(rng.randint(1, 20)),
            sub_account=rng.choice([0, 0, 2]) if account == ALICE else 0,
            time_in_force=tif,
            expire_time=s.now + rng.uniform(1, 600) if tif is TimeInForce.GTD else None,
            group_id=rng.choice([None, *exchange.state.groups]) if account == BOB else None,
        )
        return exchange.submit(request, s.now)
    live = exchange.open_orders(account)
    if kind < 0.55 and live:
        order = rng.choice(live)
        return exchange.cancel(
            account=account,
            cl_ord_id=f"x{n}",
            orig_cl_ord_id=order.cl_ord_id,
            ticker=order.ticker,
            side=order.side,
            sub_account=order.sub_account,
            now=s.now,
        )
    if kind < 0.7 and live:
        order = rng.choice(live)
        return exchange.replace(
            ReplaceOrder(
                account=account,
                cl_ord_id=f"r{n}",
                orig_cl_ord_id=order.cl_ord_id,
                ticker=order.ticker,
                side=order.side,
                sub_account=order.sub_account,
                quantity=order.cum_qty + rng.randint(1, 10),
                price=rng.choice([None, Decimal(rng.randint(30, 70)) / 100]),
            ),
            s.now,
        )
    if kind < 0.85:
        return flow.step(s.now)
    if kind < 0.9:
        if exchange.state.groups and rng.random() < 0.5:
            group = rng.choice(list(exchange.state.groups.values()))
            return exchange.trigger_group(account=group.account, group_id=group.group_id, now=s.now)
        return exchange.create_group(account=BOB, limit=rng.randint(5, 30), now=s.now)
    if kind < 0.94:
        # No result, so no publish: the tick's next write finds the orders gone by counting.
        exchange.forget_history(BOB)
        s.state_dir.flush(now=s.now)
        return []
    s.now += rng.uniform(0, 900)
    return exchange.advance(s.now)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_file_matches_the_exchange_after_every_batch(tmp_path: Path, seed: int) -> None:
    s = Session(tmp_path)
    try:
        s.exchange.fund(ALICE, D("500.00"), sub_account=2)
        s.publish([])  # nothing published: the tick writes it
        s.venue.tick(s.now + 2)
        s.check()
        rng = random.Random(seed)
        flow = SimulatedFlow(s.exchange, FlowConfig(seed=seed))
        for n in range(120):
            s.now += rng.uniform(0, 3)
            s.publish(random_op(s, rng, flow, n))
            if n == 60:
                s.publish(s.exchange.pause_market(MARKETS[2], s.now))
            if n == 80:
                s.publish(s.exchange.resume_market(MARKETS[2], s.now))
            if n % 4 == 0:
                s.check()
        s.publish(s.exchange.settle_market(MARKETS[0], MarketResult.YES, s.now))
        assert s.exchange.market(MARKETS[0]).status is MarketStatus.SETTLED  # type: ignore[union-attr]
        assert s.settlements.settlement_history(ALICE) or s.settlements.settlement_history(BOB)
        s.check()
    finally:
        s.close()


def test_after_a_rolled_back_transaction_everything_is_rewritten(tmp_path: Path) -> None:
    s = Session(tmp_path)
    try:
        first = NewOrder(
            account=ALICE,
            cl_ord_id="a1",
            ticker=MARKETS[0],
            side=Side.BUY,
            price=D("0.40"),
            quantity=D(10),
        )
        s.publish(s.exchange.submit(first, s.now))
        s.check()
        with pytest.raises(RuntimeError), s.state_dir.database.transaction():
            # The batch is written inside the message's transaction, which then fails.
            second = NewOrder(
                account=BOB,
                cl_ord_id="b1",
                ticker=MARKETS[0],
                side=Side.SELL,
                price=D("0.40"),
                quantity=D(4),
            )
            s.publish(s.exchange.submit(second, s.now))
            raise RuntimeError("the connection's transaction failed")
        stored = read_state_file(s.state_dir.path)
        assert stored is not None and "b1" not in stored.state.cl_ord_ids.get(BOB, {})
        s.now += 1
        s.publish(s.exchange.advance(s.now) or s.exchange.mass_cancel(account=BOB, now=s.now))
        s.check()
    finally:
        s.close()


def test_an_order_changed_without_a_result_still_reaches_the_file_at_the_audit(
    tmp_path: Path,
) -> None:
    """A write costs what its batch changed; the minute's audit, due however busy the venue
    is, catches a change no result named (none is made today; this is the safety net)."""
    s = Session(tmp_path)
    try:
        start = s.now
        for n in range(2):
            request = NewOrder(
                account=ALICE,
                cl_ord_id=f"a{n}",
                ticker=MARKETS[0],
                side=Side.BUY,
                price=D("0.40"),
                quantity=D(10),
            )
            s.publish(s.exchange.submit(request, s.now))
        s.check()
        quiet = s.exchange.state.orders[s.exchange.open_orders(ALICE)[0].order_id]
        quiet.cl_ord_id, quiet.orig_cl_ord_id = "renamed", quiet.cl_ord_id
        s.exchange.state.cl_ord_ids[ALICE]["renamed"] = quiet.order_id
        while s.now < start + 61:  # a batch every half second: no idle write is ever due
            s.now += 0.5
            request = NewOrder(
                account=BOB,
                cl_ord_id=f"b{s.now}",
                ticker=MARKETS[1],
                side=Side.SELL,
                price=D("0.60"),
                quantity=D(1),
            )
            s.publish(s.exchange.submit(request, s.now))
            s.venue.tick(s.now)
        s.check()
    finally:
        s.close()


def test_a_version_2_file_keeps_its_history_rows_in_their_older_form(tmp_path: Path) -> None:
    """Before version 3 a kept report was its body's [tag, value] pairs: such rows still read
    back (as the wire shows them), the file says version 3 afterwards, and both forms then
    read back side by side."""
    s = Session(tmp_path)
    for n, (account, side) in enumerate([(ALICE, Side.BUY), (BOB, Side.SELL)]):
        request = NewOrder(
            account=account,
            cl_ord_id=f"o{n}",
            ticker=MARKETS[0],
            side=side,
            price=D("0.40"),
            quantity=D(3),
        )
        s.publish(s.exchange.submit(request, s.now))
    sent = {a: [e.report for e in s.venue.exec_history.entries(a)] for a in TRADERS}
    assert sum(map(len, sent.values())) == 3  # Alice's acknowledgement, a fill each
    s.close()
    with sqlite3.connect(s.state_dir.path) as db:
        rows = db.execute("SELECT account, clock, event, report FROM venue_exec_history")
        for account, clock, event, report in rows.fetchall():
            body = decode_report(report).to_body(PriceFormat.DOLLARS)
            db.execute(
                "UPDATE venue_exec_history SET report = ?"
                " WHERE account = ? AND clock = ? AND event = ?",
                (json.dumps(body, separators=(",", ":")), account, clock, event),
            )
        db.execute("UPDATE schema_version SET version = 2 WHERE component = 'venue'")
    db.close()

    reopened = Venue(s.venue.settings, clock=VenueClock(lambda: s.now))
    state_dir = StateDir.open(reopened, tmp_path / "state")
    try:
        install_order_gateway(reopened)
        state_dir.attach()
        for account in TRADERS:
            restored = [e.report for e in reopened.exec_history.entries(account)]
            assert [r.to_body(PriceFormat.DOLLARS) for r in restored] == [
                r.to_body(PriceFormat.DOLLARS) for r in sent[account]
            ]
        request = NewOrder(
            account=BOB,
            cl_ord_id="later",
            ticker=MARKETS[1],
            side=Side.SELL,
            price=D("0.70"),
            quantity=D(1),
        )
        reopened.publish(reopened.exchange.submit(request, s.now), s.now)
        stored = read_state_file(state_dir.path)
        assert stored is not None
        assert [r.cl_ord_id for a, _, r in stored.history if a == BOB] == ["o1", "later"]
        with sqlite3.connect(state_dir.path) as db:
            (version,) = db.execute(
                "SELECT version FROM schema_version WHERE component = 'venue'"
            ).fetchone()
            forms = [row[0][0] for row in db.execute("SELECT report FROM venue_exec_history")]
        db.close()
        assert version == 3 and sorted(forms) == ["[", "[", "[", "{"]
    finally:
        asyncio.run(state_dir.stop())


def test_reopening_prunes_aged_out_history_but_still_knows_it_aged_out(tmp_path: Path) -> None:
    s = Session(tmp_path)
    start = s.now
    for n in range(3):  # three reports of Alice's, then four hours pass
        order = NewOrder(
            account=ALICE,
            cl_ord_id=f"old{n}",
            ticker=MARKETS[0],
            side=Side.BUY,
            price=D("0.10"),
            quantity=D(1),
        )
        s.publish(s.exchange.submit(order, s.now))
    old = [e.exec_id for e in s.venue.exec_history.entries(ALICE)]
    s.now = start + LOOKBACK_SECONDS + 3600
    recent = NewOrder(
        account=ALICE,
        cl_ord_id="new",
        ticker=MARKETS[0],
        side=Side.BUY,
        price=D("0.10"),
        quantity=D(1),
    )
    s.publish(s.exchange.submit(recent, s.now))
    s.close()

    reopened = Venue(s.venue.settings, clock=VenueClock(lambda: s.now))
    state_dir = StateDir.open(reopened, tmp_path / "state")
    try:
        kept = [e.exec_id for e in reopened.exec_history.entries(ALICE)]
        assert len(old) == 3 and kept[0] == old[-1] and len(kept) == 2
        stored = read_state_file(state_dir.path)
        assert stored is not None and [r.exec_id for a, _, r in stored.history] == kept
        # The newest aged-out report still marks where the window begins.
        drop_copy = DropCopyGateway(reopened)
        assert drop_copy.horizon(ALICE, s.now) == old[-1]
    finally:
        asyncio.run(state_dir.stop())


def test_the_venue_clock_never_runs_backwards_across_a_restart(tmp_path: Path) -> None:
    s = Session(tmp_path)
    moved = s.venue.clock.advance(7200)  # the admin moved the clock two hours ahead
    s.venue.tick(moved)  # the tick writes the time
    s.close()
    reopened = Venue(s.venue.settings)
    state_dir = StateDir.open(reopened, tmp_path / "state")
    try:
        assert reopened.clock() >= moved
    finally:
        asyncio.run(state_dir.stop())
