"""Mass cancel by account and session tag, cancel-on-disconnect, and snapshot()."""

from __future__ import annotations

from workstation.simulator.exchange import (
    MassCancelDone,
    OrderCancelled,
    OrderFilled,
    OrdStatus,
    Side,
)

from .helpers import NOW, T2, D, T, exchange, of_type, only, order


def test_mass_cancel_by_account_and_by_session() -> None:
    x = exchange()
    x.submit(order("alice", Side.BUY, "0.30", 1, session_tag="s1"), NOW)
    x.submit(order("alice", Side.BUY, "0.31", 1, session_tag="s2", ticker=T2), NOW)
    x.submit(order("bob", Side.BUY, "0.32", 1, session_tag="s1"), NOW)
    out = x.mass_cancel(account="alice", session_tag="s1", now=NOW)
    assert [c.order.price for c in of_type(out, OrderCancelled)] == [D("0.30")]
    assert only(out, MassCancelDone).cancelled == 1
    out = x.mass_cancel(account="alice", now=NOW)
    assert only(out, MassCancelDone).cancelled == 1
    assert len(x.snapshot("bob").open_orders) == 1


def test_cancel_orders_of_a_disconnected_session_across_accounts() -> None:
    x = exchange()
    x.submit(order("alice", Side.BUY, "0.30", 1, session_tag="gone"), NOW)
    x.submit(order("bob", Side.BUY, "0.31", 1, session_tag="gone"), NOW)
    x.submit(order("bob", Side.BUY, "0.32", 1, session_tag="alive"), NOW)
    out = x.cancel_orders_of("gone", NOW)
    assert sorted(c.order.account for c in of_type(out, OrderCancelled)) == ["alice", "bob"]
    assert [o.session_tag for o in x.snapshot("bob").open_orders] == ["alive"]


def test_snapshot_holds_orders_fills_positions_and_balances() -> None:
    x = exchange()
    x.submit(order("alice", Side.SELL, "0.40", 5), NOW)
    out = x.submit(order("bob", Side.BUY, "0.40", 2), NOW)
    x.submit(order("alice", Side.BUY, "0.10", 3, ticker=T2), NOW)
    snap = x.snapshot("alice")
    alice_fill = next(f for f in of_type(out, OrderFilled) if f.order.account == "alice")
    assert list(snap.fills) == [str(alice_fill.exec_id)]
    assert [o.status for o in snap.orders] == [OrdStatus.PARTIALLY_FILLED, OrdStatus.NEW]
    sub = snap.sub_accounts[0]
    assert sub.positions == {T: D(-2)}
    assert sub.balance == D("1000.00") - D("1.20")
    # Resting: 3 NO at 0.60 plus fee 0.06; 3 YES at 0.10 plus fee 0.02.
    assert sub.reserved == D("1.80") + D("0.06") + D("0.30") + D("0.02")
    assert sub.available == sub.balance - sub.reserved
    assert x.snapshot("nobody").orders == []


def test_an_exchange_rebuilt_from_its_state_carries_on_identically() -> None:
    import copy

    from workstation.simulator.exchange import Exchange, SequentialIds, TimeInForce

    x = exchange()
    x.submit(order("alice", Side.SELL, "0.50", 5, cl_ord_id="a1"), NOW)
    x.submit(order("bob", Side.SELL, "0.50", 5, cl_ord_id="b1"), NOW)
    x.submit(order("alice", Side.SELL, "0.49", 5, time_in_force=TimeInForce.DAY), NOW)
    x.submit(order("bob", Side.BUY, "0.49", 2), NOW)
    x.submit(order("alice", Side.BUY, "0.10", 1, time_in_force=TimeInForce.DAY), NOW)
    ids = x.ids
    assert isinstance(ids, SequentialIds)
    twin = Exchange.from_state(
        copy.deepcopy(x.state), rules=x.rules, ids=SequentialIds(ids.next_value)
    )
    assert twin.depth(T, Side.SELL) == x.depth(T, Side.SELL)
    probe = order("carol", Side.BUY, "0.50", 9, cl_ord_id="probe")
    out = x.submit(probe, NOW + 1)
    assert twin.submit(probe, NOW + 1) == out
    # 3 left at 0.49, then alice's 0.50 before bob's (time priority survived the rebuild).
    makers = [(f.order.account, f.last_qty) for f in of_type(out, OrderFilled) if not f.aggressor]
    assert makers == [("alice", 3), ("alice", 5), ("bob", 1)]
    assert twin.advance(NOW + 86400) == x.advance(NOW + 86400)
    assert twin.snapshot("alice") == x.snapshot("alice")
