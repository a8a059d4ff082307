"""The 1.0.13 dialect: makers as before, QuoteConfirmStatus in tag 297; no RFQ creator flow on
KalshiRT, so R, UA and UE there are BusinessMessageReject 380=3."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.messages.enums import Side
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.rfq_creator import AcceptQuote, CreatorQuoteRequest, RfqCancel
from workstation.fix.messages.rfq_maker import Quote, QuoteConfirm
from workstation.simulator.exchange.types import Side as BookSide

from .desk_floor import CREATOR, D, RfqFloor, kinds


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RfqFloor]:
    floor = RfqFloor(tmp_path_factory.mktemp("rfq-1013"), Dialect.V1_0_13)
    yield floor
    floor.close()


def test_confirm_status_goes_in_297_and_the_trade_follows(floor: RfqFloor) -> None:
    async def scenario() -> None:
        logins = [("maker", SessionType.RFQ), ("maker_orders", SessionType.NR)]
        async with floor.sessions(*logins) as parties:
            mm, orders = parties
            ticker = floor.market()
            answer = floor.bridge.inject_request(
                ticker=ticker, quantity=D(20), cash_quantity=None, now=floor.now()
            )
            rfq_id = str(answer["rfq_id"])
            assert kinds(await mm.fence()) == ["R"]
            quote = Quote(
                quote_id="q-13", quote_req_id=rfq_id, symbol=ticker, bid_px=D("0.40"), offer_px=None
            )
            mm.send("S", quote.to_body(mm.price_format))
            (pending,) = await mm.fence()
            assert kinds([pending]) == ["AI:10"] and pending.get(133) is None
            floor.bridge.accept_quote(
                quote_id="q-13", side=BookSide.SELL, quantity=None, now=floor.now()
            )
            assert kinds(await mm.fence()) == ["AI:0"]
            mm.send("U7", QuoteConfirm(quote_id="q-13").to_body())
            (confirmed,) = await mm.fence()
            assert confirmed.msg_type == "U8"
            assert confirmed.get(297) == "0" and confirmed.get(21010) is None
            mm.send("U7", QuoteConfirm(quote_id="q-13").to_body())
            (again,) = await mm.fence()
            assert again.get(297) == "1" and "already confirmed" in (again.get(58) or "")
            floor.advance(15.5)
            (fill,) = await orders.fence()
            er = orders.er(fill)
            assert kinds([fill]) == ["8:F/2"] and er.side is Side.BUY  # its YES bid was hit
            assert er.last_px == D("0.40") and er.last_qty == 20 and er.cl_ord_id == "q-13"

    floor.run(scenario())


def test_the_creator_messages_are_unsupported_on_kalshirt(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", SessionType.RT)) as (creator,):
            ticker = floor.market()
            creator.send(
                "R",
                CreatorQuoteRequest(quote_req_id="old-r", symbol=ticker, order_qty=D(5)).to_body(),
            )
            creator.send("UA", AcceptQuote(quote_id="q", side=Side.BUY).to_body())
            creator.send("UE", RfqCancel(quote_req_id="old-r").to_body())
            answers = await creator.fence()
            assert [(m.msg_type, m.get(372), m.get(380)) for m in answers] == [
                ("j", "R", "3"),
                ("j", "UA", "3"),
                ("j", "UE", "3"),
            ]
            assert all(r.creator != CREATOR for r in floor.bridge.desk.rfqs(live_only=False))
            # Accepting by NewOrderSingle does not exist either: the order gateway refuses it.
            order = NewOrderSingle(
                cl_ord_id="old-d",
                symbol=ticker,
                side=Side.BUY,
                order_qty=D(5),
                price=D("0.50"),
                quote_id="q",
            )
            creator.send("D", order.to_body(creator.price_format))
            (refused,) = await creator.fence()
            assert refused.msg_type == "j" and refused.get(372) == "D"

    floor.run(scenario())
