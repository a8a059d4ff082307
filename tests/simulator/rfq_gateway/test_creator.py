"""The RFQ creator's side over loopback on KalshiRT (current dialect): R → b, quotes from the
simulated makers as S in dollars, UA → UC and the trade's ExecutionReports after the timers,
UE → UB, the documented refusals, acceptance by NewOrderSingle (SPEC §13.4), and a human
creator trading with a human maker."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import OrdRejReason, PartyRole, Side
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.rfq_creator import (
    AcceptQuote,
    CreatorQuoteRequest,
    QuoteNotification,
    RfqCancel,
)
from workstation.fix.messages.rfq_maker import Quote, QuoteConfirm
from workstation.simulator.rfq import RfqState

from .desk_floor import CREATOR, MAKER, D, Party, RfqFloor, kinds

RT = SessionType.RT
RFQ = SessionType.RFQ
NR = SessionType.NR


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RfqFloor]:
    floor = RfqFloor(tmp_path_factory.mktemp("rfq-creator"))
    yield floor
    floor.close()


def request(creator: Party, ticker: str, client_id: str, qty: str = "100", **extra: object) -> None:
    message = CreatorQuoteRequest(
        quote_req_id=client_id,
        symbol=ticker,
        order_qty=D(qty),
        **extra,  # type: ignore[arg-type]
    )
    creator.send("R", message.to_body(creator.price_format))


async def acknowledged(creator: Party, client_id: str) -> str:
    (ack,) = await creator.fence()
    assert ack.msg_type == "b", ack
    assert ack.get(131) == client_id and ack.get(303) == "1" and ack.get(100) == "0"
    rfq_id = ack.get(21023)
    assert rfq_id
    return rfq_id


async def quotes(floor: RfqFloor, creator: Party, rfq_id: str) -> list[FixMessage]:
    """Let the simulated makers quote (they answer within 3 s) and collect their quotes."""
    floor.advance(3.5)
    got = await creator.fence()
    assert got and all(m.msg_type == "S" and m.get(131) == rfq_id for m in got), got
    return got


def accept(creator: Party, quote_id: str, side: Side, **extra: object) -> None:
    message = AcceptQuote(quote_id=quote_id, side=side, **extra)  # type: ignore[arg-type]
    creator.send("UA", message.to_body(creator.price_format))


def test_request_is_acknowledged_and_makers_are_told(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", RT), ("maker", RFQ)) as (creator, mm):
            ticker = floor.market()
            request(creator, ticker, "cr-ack")
            rfq_id = await acknowledged(creator, "cr-ack")
            (told,) = await mm.fence()
            assert told.msg_type == "R" and told.get(131) == rfq_id and told.get(55) == ticker
            assert told.get(38) == "100" and told.get(448) not in (None, CREATOR)
            view = floor.bridge.desk.rfq(rfq_id)
            assert view is not None and view.creator == CREATOR
            assert view.client_rfq_id == "cr-ack"

    floor.run(scenario())


def test_simulated_makers_quote_in_dollars_on_a_cents_session(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", RT)) as (creator,):
            ticker = floor.market()
            request(creator, ticker, "cr-quotes")
            rfq_id = await acknowledged(creator, "cr-quotes")
            got = await quotes(floor, creator, rfq_id)
            assert 1 <= len(got) <= len(floor.bridge.settings.makers)
            quoters = set()
            for msg in got:
                note = QuoteNotification.from_message(msg)
                assert note.symbol == ticker and note.order_qty == 100
                for tag in (132, 133):
                    text = msg.get(tag)
                    assert text is None or (text.startswith("0.") and len(text) == 6), text
                assert (note.bid_px or 0) + (note.offer_px or 0) <= 1
                (party,) = note.parties
                assert party.role == PartyRole.LIQUIDITY_PROVIDER
                assert not party.party_id.startswith("sim-rfq")  # a pseudonym, not the account
                quoters.add(party.party_id)
            assert len(quoters) == len(got)

    floor.run(scenario())


def test_accept_then_the_trade_after_the_timers(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", RT), ("creator_watch", RT)) as (creator, watch):
            ticker = floor.market()
            request(creator, ticker, "cr-trade")
            rfq_id = await acknowledged(creator, "cr-trade")
            note = QuoteNotification.from_message((await quotes(floor, creator, rfq_id))[0])
            assert note.offer_px is not None
            accept(creator, note.quote_id, Side.BUY, rfq_id=rfq_id, cl_ord_id="acc-1")
            (uc,) = await creator.fence()
            assert kinds([uc]) == ["UC:0"]
            assert uc.get(117) == note.quote_id and uc.get(21024) == note.quote_id
            assert uc.get(11) == "acc-1"

            floor.advance(1.5)  # the simulated maker confirms
            view = floor.bridge.desk.rfq(rfq_id)
            assert view is not None and view.state is RfqState.CONFIRMED
            assert await creator.fence() == []
            before = floor.venue.exchange.snapshot(CREATOR).sub_accounts[0].balance
            floor.advance(15.0)
            (fill,) = await creator.fence()
            assert kinds([fill]) == ["8:F/2"]
            er = creator.er(fill)
            price = 1 - note.offer_px
            assert er.cl_ord_id == "acc-1" and er.side is Side.BUY and er.symbol == ticker
            assert er.last_px == price and er.last_qty == 100 and er.long_qty == 100
            assert er.aggressor is True
            (watched,) = await watch.fence()
            assert watch.er(watched).exec_id == er.exec_id
            sub = floor.venue.exchange.snapshot(CREATOR).sub_accounts[0]
            assert sub.positions == {ticker: D(100)}
            fee = (D("0.07") * 100 * price * (1 - price)).quantize(D("0.01"), rounding="ROUND_UP")
            assert sub.balance == before - price * 100 - fee
            maker = view.acceptance.maker if view.acceptance else ""
            assert floor.venue.exchange.ledger.position(maker, 0, ticker) == -100

    floor.run(scenario())


def test_cancel_by_either_id_and_the_refusals(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", RT), ("maker", RFQ)) as (creator, mm):
            ticker = floor.market()
            request(creator, ticker, "cr-cancel")
            rfq_id = await acknowledged(creator, "cr-cancel")
            await mm.fence()
            creator.send("UE", RfqCancel(quote_req_id="cr-cancel").to_body())
            (ub,) = await creator.fence()
            assert kinds([ub]) == ["UB:0"]
            assert ub.get(131) == "cr-cancel" and ub.get(21023) == rfq_id
            (ag,) = await mm.fence()
            assert ag.msg_type == "AG" and ag.get(131) == rfq_id and ag.get(658) == "99"
            assert ag.get(58) == "RFQ cancelled by its creator"

            creator.send("UE", RfqCancel(quote_req_id="cr-cancel").to_body())
            (again,) = await creator.fence()
            assert kinds([again]) == ["UB:1"] and "already cancelled" in (again.get(58) or "")
            creator.send("UE", RfqCancel(quote_req_id="no-such-rfq").to_body())
            (unknown,) = await creator.fence()
            assert kinds([unknown]) == ["UB:1"] and unknown.get(131) == "no-such-rfq"
            assert "unknown RFQ" in (unknown.get(58) or "")

            # By the server's id (21023): UB echoes it in 131.
            request(creator, ticker, "cr-cancel-2")
            second = await acknowledged(creator, "cr-cancel-2")
            creator.send("UE", RfqCancel(rfq_id=second).to_body())
            (by_server,) = await creator.fence()
            assert kinds([by_server]) == ["UB:0"] and by_server.get(131) == second

    floor.run(scenario())


def test_refused_requests_and_acceptances(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", RT)) as (creator,):
            request(creator, "KXNOSUCH-1", "cr-unknown")
            (ag,) = await creator.fence()
            assert ag.msg_type == "AG" and ag.get(131) == "cr-unknown" and ag.get(658) == "1"

            ticker = floor.market()
            request(creator, ticker, "cr-first")
            rfq_id = await acknowledged(creator, "cr-first")
            request(creator, ticker, "cr-second")
            (dup,) = await creator.fence()
            assert dup.msg_type == "AG" and dup.get(131) == "cr-second" and dup.get(658) == "99"
            assert dup.get(58) == "RFQ already exists"
            request(creator, floor.market(), "cr-huge", qty="2000000")
            (huge,) = await creator.fence()
            assert huge.msg_type == "AG" and huge.get(658) == "3"

            accept(creator, "no-such-quote", Side.BUY, cl_ord_id="acc-x")
            (uc,) = await creator.fence()
            assert kinds([uc]) == ["UC:1"] and uc.get(117) == "no-such-quote"
            assert uc.get(11) == "acc-x" and "unknown QuoteID" in (uc.get(58) or "")

            note = QuoteNotification.from_message((await quotes(floor, creator, rfq_id))[0])
            accept(creator, note.quote_id, Side.BUY, rfq_id="some-other-rfq")
            (wrong,) = await creator.fence()
            assert kinds([wrong]) == ["UC:1"] and "does not belong" in (wrong.get(58) or "")
            accept(creator, note.quote_id, Side.BUY, order_qty=D(99))
            (qty,) = await creator.fence()
            assert kinds([qty]) == ["UC:1"] and "must equal the RFQ size" in (qty.get(58) or "")

    floor.run(scenario())


def test_a_listener_session_cannot_create_rfqs(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator_watch", RT)) as (watch,):
            request(watch, floor.market(), "cr-listener")
            (reject,) = await watch.fence()
            assert reject.msg_type == "j" and reject.get(380) == "6"

    floor.run(scenario())


def test_a_human_creator_trades_with_a_human_maker(floor: RfqFloor) -> None:
    async def scenario() -> None:
        logins = [("creator", RT), ("maker", RFQ), ("maker_orders", NR)]
        async with floor.sessions(*logins) as parties:
            creator, mm, orders = parties
            ticker = floor.market()
            request(creator, ticker, "cr-human", qty="40")
            rfq_id = await acknowledged(creator, "cr-human")
            assert kinds(await mm.fence()) == ["R"]
            quote = Quote(
                quote_id="mm-q1",
                quote_req_id=rfq_id,
                symbol=ticker,
                bid_px=D("0.47"),
                offer_px=D("0.50"),
            )
            mm.send("S", quote.to_body(mm.price_format))
            assert kinds(await mm.fence()) == ["AI:10"]
            mine = await creator.next_where(lambda m: m.get(117) == "mm-q1")
            assert mine.get(132) == "0.4700" and mine.get(133) == "0.5000"
            assert mine.get(448) not in (None, MAKER)
            await creator.fence()  # the simulated makers' quotes, if any came meanwhile

            accept(creator, "mm-q1", Side.SELL, cl_ord_id="acc-human")  # take the YES bid
            assert kinds(await creator.fence()) == ["UC:0"]
            (accepted,) = await mm.fence()
            assert kinds([accepted]) == ["AI:0"] and accepted.get(54) == "1"
            assert accepted.get(38) == "40"
            mm.send("U7", QuoteConfirm(quote_id="mm-q1").to_body())
            assert kinds(await mm.fence()) == ["U8:0"]
            floor.advance(15.5)
            (creator_fill,) = await creator.fence()
            (maker_fill,) = await orders.fence()
            c, m = creator.er(creator_fill), orders.er(maker_fill)
            assert (c.side, m.side) == (Side.SELL, Side.BUY)
            assert c.last_px == m.last_px == D("0.47") and c.last_qty == m.last_qty == 40
            assert c.trd_match_id == m.trd_match_id and c.trd_match_id
            assert (c.cl_ord_id, m.cl_ord_id) == ("acc-human", "mm-q1")
            assert (c.aggressor, m.aggressor) == (True, False)
            assert (c.short_qty, m.long_qty) == (D(40), D(40))
            assert await mm.fence() == []

    floor.run(scenario())


def test_a_missed_confirmation_is_told_to_the_creator(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", RT), ("maker", RFQ)) as (creator, mm):
            ticker = floor.market()
            request(creator, ticker, "cr-void")
            rfq_id = await acknowledged(creator, "cr-void")
            await mm.fence()
            mm.send(
                "S",
                Quote(
                    quote_id="mm-void",
                    quote_req_id=rfq_id,
                    symbol=ticker,
                    bid_px=D("0.30"),
                    offer_px=D("0.60"),
                ).to_body(mm.price_format),
            )
            await mm.fence()
            await creator.next_where(lambda m: m.get(117) == "mm-void")
            accept(creator, "mm-void", Side.BUY, cl_ord_id="acc-void")
            await creator.next_where(lambda m: m.msg_type == "UC")
            await creator.fence()
            floor.advance(30.5)
            voided = [m for m in await creator.fence() if m.msg_type == "UC"]
            assert kinds(voided) == ["UC:1"]
            assert voided[0].get(117) == "mm-void" and voided[0].get(11) == "acc-void"
            assert "did not confirm" in (voided[0].get(58) or "")
            view = floor.bridge.desk.rfq(rfq_id)
            assert view is not None and view.state is RfqState.OPEN

    floor.run(scenario())


def nos_accept(creator: Party, ticker: str, quote_id: str, cl_ord_id: str, **extra: object) -> None:
    order = NewOrderSingle(
        cl_ord_id=cl_ord_id,
        symbol=ticker,
        side=Side.BUY,
        order_qty=D(100),
        price=D("0.99"),
        quote_id=quote_id,
        **extra,  # type: ignore[arg-type]
    )
    creator.send("D", order.to_body(creator.price_format))


def test_accepting_by_new_order_single(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", RT)) as (creator,):
            ticker = floor.market()
            request(creator, ticker, "cr-nos")
            rfq_id = await acknowledged(creator, "cr-nos")
            note = QuoteNotification.from_message((await quotes(floor, creator, rfq_id))[0])
            assert note.offer_px is not None
            nos_accept(creator, ticker, note.quote_id, "nos-acc", rfq_id=rfq_id)
            (pending,) = await creator.fence()
            assert kinds([pending]) == ["8:A/A"]
            p = creator.er(pending)
            assert p.is_pending and p.cl_ord_id == "nos-acc" and p.order_id
            floor.advance(1.5)
            floor.advance(15.0)
            (fill,) = await creator.fence()
            assert kinds([fill]) == ["8:F/2"]
            f = creator.er(fill)
            assert (f.cl_ord_id, f.order_id) == ("nos-acc", p.order_id)
            assert f.last_px == 1 - note.offer_px and f.cum_qty == 100

            # A plain NewOrderSingle on KalshiRT is still an ordinary order.
            order = NewOrderSingle(
                cl_ord_id="plain-1", symbol=ticker, side=Side.BUY, order_qty=D(1), price=D("0.01")
            )
            creator.send("D", order.to_body(creator.price_format))
            assert kinds(await creator.fence()) == ["8:A/A", "8:0/0"]

            # Reduce-only is not offered on this path.
            nos_accept(creator, ticker, note.quote_id, "nos-ro", reduce_only=True)
            (ro,) = await creator.fence()
            assert kinds([ro]) == ["8:8/8"] and ro.get(58) == "INVALID_ORDER"
            assert ro.get(103) == str(int(OrdRejReason.UNSUPPORTED_ORDER_CHARACTERISTIC))

    floor.run(scenario())


def test_new_order_single_on_an_expired_rfq_is_rejected_expired(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", RT)) as (creator,):
            ticker = floor.market()
            request(creator, ticker, "cr-expire")
            rfq_id = await acknowledged(creator, "cr-expire")
            note = QuoteNotification.from_message((await quotes(floor, creator, rfq_id))[0])
            floor.advance(24 * 3600.0)
            expired = [m for m in await creator.fence() if m.get(21023) == rfq_id]
            assert kinds(expired) == ["UB:2"] and expired[0].get(131) == "cr-expire"
            nos_accept(creator, ticker, note.quote_id, "nos-late")
            (reject,) = await creator.fence()
            assert kinds([reject]) == ["8:8/8"]
            assert reject.get(58) == "EXPIRED" and reject.get(103) == "8"
            assert reject.get(11) == "nos-late"

    floor.run(scenario())


def test_nothing_is_sent_to_a_creator_whose_session_is_gone(floor: RfqFloor) -> None:
    async def scenario() -> None:
        creator = await floor.login("creator", RT)
        ticker = floor.market()
        request(creator, ticker, "cr-gone")
        rfq_id = await acknowledged(creator, "cr-gone")
        await floor.logout(creator)
        floor.advance(3.5)  # quotes arrive while no KalshiRT session is logged on
        quotes_on = floor.bridge.desk.quotes_on(rfq_id)
        assert quotes_on and all(q.rfq_id == rfq_id for q in quotes_on)
        async with floor.sessions(("creator", RT)) as (creator,):
            creator.send("UE", RfqCancel(rfq_id=rfq_id).to_body())
            assert kinds(await creator.fence()) == ["UB:0"]

    floor.run(scenario())


def test_a_request_for_an_unknown_sub_account_is_refused(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("creator", RT)) as (creator,):
            request(creator, floor.market(), "cr-sub", alloc_account=7)
            (ag,) = await creator.fence()
            assert ag.msg_type == "AG" and ag.get(131) == "cr-sub" and ag.get(658) == "99"
            assert "AllocAccount 7" in (ag.get(58) or "")

    floor.run(scenario())
