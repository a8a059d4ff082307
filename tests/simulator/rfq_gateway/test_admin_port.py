"""The venue as ``workstation-sim`` builds it: the admin port's rfq_request/rfq_accept drive
the RFQ gateway (RfqControl), and its clock command runs the RFQ timers."""

from __future__ import annotations

import asyncio
from pathlib import Path

from workstation.fix.dialect import SessionType
from workstation.fix.events import MessageReceived
from workstation.fix.message import FixMessage
from workstation.fix.messages.rfq_maker import Quote, QuoteConfirm
from workstation.simulator.admin import AdminClient
from workstation.simulator.assembly import build_venue
from workstation.simulator.registry import KeyRegistry
from workstation.simulator.settings import VenueSettings

from ..venue_harness import Client, connect, logged_on, make_key, register, wait_for
from .desk_floor import D, markets_toml

TICKER = "KXRFQGW-26NOV24-M01"
_SESSION = frozenset({"0", "1", "2", "4", "5", "A"})


def app_messages(client: Client) -> list[FixMessage]:
    return [
        e.message
        for e in client.events
        if isinstance(e, MessageReceived) and e.message.msg_type not in _SESSION
    ]


async def next_message(client: Client, seen: int) -> FixMessage:
    await wait_for(lambda: len(app_messages(client)) > seen)
    return app_messages(client)[seen]


def test_admin_requests_and_accepts_for_a_maker_on_kalshirfq(tmp_path: Path) -> None:
    async def scenario() -> None:
        maker_key = make_key(tmp_path, "maker")
        orders_key = make_key(tmp_path, "orders")
        registry = KeyRegistry()
        register(registry, maker_key, "acct-mm")
        register(registry, orders_key, "acct-mm")
        markets = tmp_path / "markets.toml"
        markets.write_text(markets_toml(), encoding="utf-8")
        venue = build_venue(
            VenueSettings(base_port=0, registry=registry, markets_file=markets, seed=3)
        )
        info = await venue.start()
        try:
            sessions = info["sessions"]
            mm = connect(sessions[SessionType.RFQ.value], maker_key, SessionType.RFQ)
            orders = connect(sessions[SessionType.NR.value], orders_key, SessionType.NR)
            await logged_on(mm)
            await logged_on(orders)
            async with await AdminClient.connect("127.0.0.1", info["admin"]) as admin:
                refused = await admin.send("rfq_request", ticker="KXNOPE-1", quantity=5)
                assert refused["ok"] is False and "KXNOPE-1" in refused["error"]

                # (seed 3: the automatic requesters first create an RFQ 32 s in, after this test)
                made = await admin.send("rfq_request", ticker=TICKER, quantity=25)
                assert made["ok"] is True and made["makers"] == 1
                rfq_id = made["rfq_id"]
                told = await next_message(mm, 0)
                assert told.msg_type == "R" and told.get(131) == rfq_id
                assert told.get(38) == "25" and told.get(448) == made["requester"]

                twice = await admin.send("rfq_request", ticker=TICKER, cash="100.00")
                assert twice["ok"] is True and twice["rfq_id"] != rfq_id  # another requester
                await next_message(mm, 1)

                quote = Quote(
                    quote_id="adm-q",
                    quote_req_id=rfq_id,
                    symbol=TICKER,
                    bid_px=D("0.35"),
                    offer_px=D("0.60"),
                )
                mm.initiator.send("S", quote.to_body())
                assert (await next_message(mm, 2)).get(297) == "10"

                unknown = await admin.send("rfq_accept", quote_id="nope", side="buy")
                assert unknown["ok"] is False and "unknown QuoteID" in unknown["error"]
                wrong_qty = await admin.send("rfq_accept", quote_id="adm-q", side="buy", quantity=3)
                assert wrong_qty["ok"] is False and "RFQ size" in wrong_qty["error"]
                taken = await admin.send("rfq_accept", quote_id="adm-q", side="buy")
                assert taken["ok"] is True and taken["yes_price"] == "0.40"
                assert taken["quantity"] == "25" and taken["rfq_id"] == rfq_id
                accepted = await next_message(mm, 3)
                assert accepted.get(297) == "0" and accepted.get(54) == "2"

                mm.initiator.send("U7", QuoteConfirm(quote_id="adm-q").to_body())
                assert (await next_message(mm, 4)).get(21010) == "0"
                moved = await admin.send("clock", advance=16)
                assert moved["ok"] is True
                fill = await next_message(orders, 0)
                assert fill.msg_type == "8" and fill.get(150) == "F" and fill.get(11) == "adm-q"
                assert fill.get(31) == "40" and fill.get(32) == "25" and fill.get(54) == "2"
                snapshot = await admin.send("snapshot", account="acct-mm")
                assert snapshot["ok"] is True
            await mm.initiator.stop()
            await orders.initiator.stop()
        finally:
            await venue.stop()

    asyncio.run(scenario())
