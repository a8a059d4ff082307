"""A restart restores exactly what the workstation showed.

A Desk trades on its local venue (state directory kept, so the venue agrees after the
restart): orders rest, fill partly from a counterparty, are amended and cancelled; one fills
whole and its market settles (KalshiPT); an order group is created; an RFQ is created and
cancelled as requester; an RFQ from a simulated requester is quoted as maker. Then it stops,
and a new Desk starts on the same data directory: before any session has said anything, its
orders, fills, positions, groups, RFQs (both roles) and settlements are equal — field for
field, history included — to the first Desk's, and every intent is known again.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.client.config import WorkstationConfig
from workstation.client.desk import DATABASE_FILE, Desk
from workstation.client.journal import Journal
from workstation.client.local_venue import LocalVenue
from workstation.simulator.admin.client import AdminClient
from workstation.simulator.exchange.orders import NewOrder
from workstation.simulator.exchange.types import Side as ExchangeSide
from workstation.simulator.exchange.types import TimeInForce as ExchangeTif
from workstation.simulator.venue import Venue
from workstation.trading.groups import GroupState
from workstation.trading.order_state import OrderStatus
from workstation.trading.rfq import RfqStatus
from workstation.trading.rfq_maker import MakerStatus
from workstation.trading.ticket import Intent, Ticket

from .journal_child import wait_until

COUNTERPARTY = "restore-counterparty"


def snapshot(desk: Desk) -> dict[str, list[str]]:
    """Every record of the domain, as text (repr shows every field, Decimal exponents too)."""
    stores: dict[str, Iterable[Any]] = {
        "orders": desk.orders,
        "fills": desk.fills,
        "positions": desk.positions,
        "groups": desk.groups,
        "rfqs": desk.rfqs,
        "maker_rfqs": desk.maker_rfqs,
        "settlements": desk.settlements,
    }
    return {name: sorted(repr(record) for record in store) for name, store in stores.items()}


def counterparty_sells(venue: Venue, ticker: str, price: Decimal, quantity: int) -> None:
    now = venue.clock()
    order = NewOrder(
        account=COUNTERPARTY,
        cl_ord_id=str(uuid.uuid4()),
        ticker=ticker,
        side=ExchangeSide.SELL,
        price=price,
        quantity=Decimal(quantity),
        time_in_force=ExchangeTif.IOC,
    )
    venue.publish(venue.exchange.submit(order, now), now)


def status(desk: Desk, cl_ord_id: str) -> OrderStatus | None:
    order = desk.orders.get(cl_ord_id)
    return None if order is None else order.status


def quantity(desk: Desk, cl_ord_id: str) -> Decimal | None:
    order = desk.orders.get(cl_ord_id)
    return None if order is None else order.order_qty


def test_restart_restores_every_view_exactly(tmp_path: Path) -> None:
    async def trade(desk: Desk) -> None:
        assert isinstance(desk.local, LocalVenue)
        venue = desk.local.venue
        venue.exchange.fund(COUNTERPARTY, Decimal(100000))
        markets = sorted(m.ticker for m in venue.exchange.markets() if m.status == "open")
        m1, m2, m3 = markets[:3]

        def ticket(symbol: str, intent: Intent, price: str, qty: int) -> Ticket:
            return Ticket(symbol=symbol, intent=intent, price=Decimal(price), quantity=Decimal(qty))

        # resting, partly filled, then amended
        bid = await desk.submit(ticket(m1, Intent.BUY_YES, "0.40", 10))
        await wait_until(lambda: status(desk, bid.cl_ord_id) is OrderStatus.NEW)
        counterparty_sells(venue, m1, Decimal("0.40"), 4)
        await wait_until(lambda: status(desk, bid.cl_ord_id) is OrderStatus.PARTIALLY_FILLED)
        await desk.replace(bid.cl_ord_id, quantity=Decimal(12))
        await wait_until(lambda: quantity(desk, bid.cl_ord_id) == 12)
        # resting, then cancelled
        offer = await desk.submit(ticket(m1, Intent.BUY_NO, "0.30", 5))
        await wait_until(lambda: status(desk, offer.cl_ord_id) is OrderStatus.NEW)
        await desk.cancel(offer.cl_ord_id)
        await wait_until(lambda: status(desk, offer.cl_ord_id) is OrderStatus.CANCELLED)
        # filled whole, then the market settles
        full = await desk.submit(ticket(m2, Intent.BUY_YES, "0.55", 3))
        await wait_until(lambda: status(desk, full.cl_ord_id) is OrderStatus.NEW)
        counterparty_sells(venue, m2, Decimal("0.55"), 3)
        await wait_until(lambda: status(desk, full.cl_ord_id) is OrderStatus.FILLED)
        ready = desk.local.ready
        async with await AdminClient.connect(ready["host"], int(ready["admin"])) as client:
            answer = await client.send("settle", ticker=m2, result="yes")
            assert answer["ok"], answer
            # a request for us to quote, as maker on KalshiRFQ
            answer = await client.send("rfq_request", ticker=m3, quantity="7")
            assert answer["ok"], answer
        await wait_until(lambda: any(s.complete for s in desk.settlements))
        # an order group
        await desk.create_group(40)
        await wait_until(lambda: any(g.state is GroupState.ACTIVE for g in desk.groups))
        # an RFQ of ours, acknowledged, then cancelled
        quote_req_id = await desk.create_rfq(m3, Decimal(10))
        await wait_until(
            lambda: (
                (r := desk.rfqs.get(quote_req_id)) is not None and r.status is not RfqStatus.SENT
            )
        )
        await desk.cancel_rfq(quote_req_id)
        await wait_until(
            lambda: (r := desk.rfqs.get(quote_req_id)) is not None and r.status.is_closed
        )
        # the simulated requester's RFQ, quoted
        await wait_until(lambda: len(desk.maker_rfqs) > 0)
        request = next(iter(desk.maker_rfqs))
        await desk.send_quote(request.quote_req_id, Decimal("0.40"), Decimal("0.50"))
        await wait_until(
            lambda: (
                (r := desk.maker_rfqs.get(request.quote_req_id)) is not None
                and r.status is not MakerStatus.QUOTE_SENT
            )
        )

    async def scenario() -> None:
        first = Desk(
            WorkstationConfig(), data_dir=tmp_path, local_flow=False, venue_in_process=True
        )
        await first.start()
        try:
            await wait_until(first.all_logged_on)
            await trade(first)
        finally:
            await first.stop()
        before = snapshot(first)  # as it stood when it stopped: nothing more can arrive
        intents = {o.first_cl_ord_id: first.intent_of(o.cl_ord_id) for o in first.orders}
        journal = Journal.open(tmp_path / DATABASE_FILE)
        rows = journal.count(first.venue_id)
        journal.close()
        assert before["fills"] and before["settlements"] and before["groups"]
        assert before["rfqs"] and before["maker_rfqs"]
        assert set(intents.values()) == {Intent.BUY_YES, Intent.BUY_NO}

        # the workstation's own way: the venue as a child process, on the same state dir
        second = Desk(WorkstationConfig(), data_dir=tmp_path, local_flow=False)
        await second.start()
        try:
            assert second.venue_id == first.venue_id  # the same venue state directory
            assert snapshot(second) == before
            assert {o.first_cl_ord_id: second.intent_of(o.cl_ord_id) for o in second.orders} == (
                intents
            )
            assert second.journal is not None
            assert second.journal.count(second.venue_id) == rows  # nothing written by replaying
            await wait_until(second.all_logged_on)
            await asyncio.sleep(0.5)  # resends and drop copy: nothing new, nothing doubled
            after = snapshot(second)
            assert after["fills"] == before["fills"]
            assert after["positions"] == before["positions"]
            assert after["settlements"] == before["settlements"]
        finally:
            await second.stop()

    asyncio.run(scenario())
