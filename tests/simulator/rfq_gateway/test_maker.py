"""The market maker's side over loopback: a simulated requester's RFQ (injected as the admin
port does, through RfqControl) reaches a KalshiRFQ session; quotes, rejects, acceptance,
confirmation, the missed confirmation, cancels, expiry, and the trade's ExecutionReports on
both accounts' order sessions."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from workstation.fix.dialect import SessionType
from workstation.fix.logon_options import LogonOptions
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import QuoteStatus, Side
from workstation.fix.messages.rfq_maker import (
    Quote,
    QuoteCancel,
    QuoteConfirm,
    QuoteRequest,
    QuoteStatusReport,
)
from workstation.simulator.exchange.types import Side as BookSide
from workstation.simulator.rfq import QuoteState, RfqState

from .desk_floor import HVM_MARKET, MAKER, MAKER2, D, Party, RfqFloor, kinds

RFQ = SessionType.RFQ
NR = SessionType.NR


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RfqFloor]:
    floor = RfqFloor(tmp_path_factory.mktemp("rfq-maker"))
    yield floor
    floor.close()


def inject(floor: RfqFloor, ticker: str, quantity: str = "100") -> str:
    answer = floor.bridge.inject_request(
        ticker=ticker, quantity=D(quantity), cash_quantity=None, now=floor.now()
    )
    rfq_id = answer["rfq_id"]
    assert isinstance(rfq_id, str)
    return rfq_id


def send_quote(
    mm: Party, rfq_id: str, ticker: str, quote_id: str, yes: str | None, no: str | None
) -> None:
    quote = Quote(
        quote_id=quote_id,
        quote_req_id=rfq_id,
        symbol=ticker,
        bid_px=None if yes is None else D(yes),
        offer_px=None if no is None else D(no),
    )
    mm.send("S", quote.to_body(mm.price_format))


def accept(floor: RfqFloor, quote_id: str, side: BookSide = BookSide.BUY) -> dict[str, object]:
    return floor.bridge.accept_quote(quote_id=quote_id, side=side, quantity=None, now=floor.now())


def status(mm: Party, msg: FixMessage) -> QuoteStatusReport:
    assert msg.msg_type == "AI", msg
    return QuoteStatusReport.from_message(msg, mm.price_format)


def test_an_injected_request_reaches_every_maker_under_a_pseudonym(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("maker", RFQ), ("maker2", RFQ)) as (mm, mm2):
            assert set(floor.bridge.desk.makers()) == {MAKER, MAKER2}
            ticker = floor.market()
            answer = floor.bridge.inject_request(
                ticker=ticker, quantity=D(100), cash_quantity=None, now=floor.now()
            )
            assert answer["makers"] == 2 and answer["ticker"] == ticker
            for party in (mm, mm2):
                (msg,) = await party.fence()
                request = QuoteRequest.from_message(msg)
                assert request.quote_req_id == answer["rfq_id"]
                assert request.symbol == ticker and request.order_qty == 100
                assert msg.get(146) == "1" and msg.get(453) == "1"
                (party_id,) = request.parties
                assert party_id.party_id == answer["requester"]
                view = floor.bridge.desk.rfq(request.quote_req_id)
                assert view is not None and party_id.party_id != view.creator

            # A cash-sized request carries 152 instead of 38.
            cash = floor.bridge.inject_request(
                ticker=floor.market(), quantity=None, cash_quantity=D("250.00"), now=floor.now()
            )
            (msg,) = await mm.fence()
            assert msg.get(131) == cash["rfq_id"] and msg.get(152) == "250.00"
            assert msg.get(38) is None

    floor.run(scenario())


def test_a_maker_that_logs_on_later_is_told_of_open_requests(floor: RfqFloor) -> None:
    async def scenario() -> None:
        rfq_id = inject(floor, floor.market())
        async with floor.sessions(("maker", RFQ), drain=False) as (mm,):
            (msg,) = [m for m in await mm.fence() if m.get(131) == rfq_id]
            assert msg.msg_type == "R"
        assert MAKER not in floor.bridge.desk.makers()  # unregistered when its session closed

    floor.run(scenario())


def test_quote_pending_replaced_and_rejected_over_one_dollar(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("maker", RFQ)) as (mm,):
            ticker = floor.market()
            rfq_id = inject(floor, ticker)
            await mm.fence()
            send_quote(mm, rfq_id, ticker, "q-pend", "0.40", "0.55")
            (pending,) = await mm.fence()
            assert kinds([pending]) == ["AI:10"]
            report = status(mm, pending)
            assert (report.quote_id, report.quote_req_id) == ("q-pend", rfq_id)
            assert pending.get(132) == "40" and pending.get(133) == "55"  # cents session
            assert report.order_qty == 100

            # yes + no > $1: REJECTED, the reason in 58, no QuoteID.
            send_quote(mm, rfq_id, ticker, "q-over", "0.60", "0.45")
            (rejected,) = await mm.fence()
            assert kinds([rejected]) == ["AI:5"]
            assert rejected.get(117) is None and rejected.get(131) == rfq_id
            assert "exceeds $1" in (rejected.get(58) or "")
            assert rejected.get(132) is None and rejected.get(38) is None
            desk_quote = floor.bridge.desk.quote("q-pend")
            assert desk_quote is not None and desk_quote.state is QuoteState.PENDING

            # A new quote from the same maker replaces the pending one.
            send_quote(mm, rfq_id, ticker, "q-new", None, "0.58")
            old, new = await mm.fence()
            assert kinds([old, new]) == ["AI:17", "AI:10"]
            assert old.get(117) == "q-pend" and "replaced" in (old.get(58) or "")
            assert new.get(117) == "q-new" and new.get(132) is None and new.get(133) == "58"

    floor.run(scenario())


def test_dollar_sessions_quote_in_dollars(floor: RfqFloor) -> None:
    async def scenario() -> None:
        dollars = LogonOptions(use_dollars=True)
        async with floor.sessions(("maker", RFQ, dollars)) as (mm,):
            ticker = floor.market()
            rfq_id = inject(floor, ticker)
            await mm.fence()
            send_quote(mm, rfq_id, ticker, "q-usd", "0.41", "0.52")
            (pending,) = await mm.fence()
            assert pending.get(132) == "0.4100" and pending.get(133) == "0.5200"

    floor.run(scenario())


def test_accept_confirm_and_the_trade_on_both_accounts(floor: RfqFloor) -> None:
    async def scenario() -> None:
        logins = [("maker", RFQ), ("maker_orders", NR), ("maker_watch", NR)]
        async with floor.sessions(*logins) as parties:
            mm, orders, watch = parties
            ticker = floor.market()
            rfq_id = inject(floor, ticker, "100")
            await mm.fence()
            send_quote(mm, rfq_id, ticker, "q-trade", "0.40", "0.55")
            await mm.fence()
            answer = accept(floor, "q-trade", BookSide.BUY)  # the requester takes the NO bid
            assert answer["yes_price"] == D("0.45") and answer["quantity"] == 100
            (accepted,) = await mm.fence()
            assert kinds([accepted]) == ["AI:0"]
            report = status(mm, accepted)
            assert report.status is QuoteStatus.ACCEPTED and report.quote_id == "q-trade"
            assert report.accepted_side is Side.SELL  # 2 = the maker's NO bid was hit
            assert report.order_qty == 100

            mm.send("U7", QuoteConfirm(quote_id="q-trade", rfq_id=rfq_id).to_body())
            (confirmed,) = await mm.fence()
            assert kinds([confirmed]) == ["U8:0"] and confirmed.get(21010) == "0"
            assert confirmed.get(297) is None and confirmed.get(117) == "q-trade"
            view = floor.bridge.desk.rfq(rfq_id)
            assert view is not None and view.state is RfqState.CONFIRMED
            assert await orders.fence() == []  # nothing trades before the execution timer

            requester = view.creator
            maker_before = floor.venue.exchange.snapshot(MAKER).sub_accounts[0].balance
            floor.advance(14.0)
            assert await orders.fence() == []
            floor.advance(1.5)
            (fill,) = await orders.fence()
            assert kinds([fill]) == ["8:F/2"]
            er = orders.er(fill)
            # The maker sold YES (bought NO at its 0.55 bid) to the requester at 0.45.
            assert er.cl_ord_id == "q-trade" and er.side is Side.SELL
            assert er.last_px == D("0.45") and er.last_qty == 100 and er.cum_qty == 100
            assert er.leaves_qty == 0 and er.short_qty == 100 and er.long_qty == 0
            assert er.aggressor is False and er.order_id
            assert fill.get(1704) == "-55.00"
            (watched,) = await watch.fence()
            assert kinds([watched]) == ["8:F/2"] and watch.er(watched).exec_id == er.exec_id

            snap = floor.venue.exchange.snapshot(MAKER)
            assert snap.sub_accounts[0].positions == {ticker: D(-100)}
            assert snap.sub_accounts[0].balance == maker_before - D("55.00")
            assert floor.venue.exchange.ledger.position(requester, 0, ticker) == 100
            requester_fill = next(iter(floor.venue.exchange.snapshot(requester).fills.values()))
            assert requester_fill.aggressor and requester_fill.fee == D("1.74")  # 0.07*100*.45*.55
            # Drop copy keeps the trade for both accounts, once each.
            (kept,) = floor.venue.exec_history.entries(MAKER)
            assert kept.report.exec_id == er.exec_id and kept.report.cl_ord_id == "q-trade"
            assert [e.report.last_qty for e in floor.venue.exec_history.entries(requester)] == [100]
            view = floor.bridge.desk.rfq(rfq_id)
            assert view is not None and view.state is RfqState.EXECUTED
            assert await mm.fence() == []  # the winning maker gets no AG for its own trade

    floor.run(scenario())


def test_a_missed_confirmation_voids_the_quote_and_reopens_the_request(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("maker", RFQ), ("maker2", RFQ)) as (mm, mm2):
            ticker = floor.market()
            rfq_id = inject(floor, ticker)
            await mm.fence()
            await mm2.fence()
            send_quote(mm, rfq_id, ticker, "q-slow", "0.40", "0.55")
            send_quote(mm2, rfq_id, ticker, "q-other", "0.42", "0.52")
            await mm.fence()
            await mm2.fence()
            accept(floor, "q-slow", BookSide.SELL)
            (accepted,) = await mm.fence()
            assert status(mm, accepted).accepted_side is Side.BUY  # its YES bid was hit

            floor.advance(29.0)
            assert await mm.fence() == []
            floor.advance(1.5)  # past the 30 s window
            (voided,) = await mm.fence()
            assert kinds([voided]) == ["AI:17"] and voided.get(117) == "q-slow"
            assert "not confirmed within the confirmation window" in (voided.get(58) or "")
            view = floor.bridge.desk.rfq(rfq_id)
            assert view is not None and view.state is RfqState.OPEN

            mm.send("U7", QuoteConfirm(quote_id="q-slow").to_body())
            (late,) = await mm.fence()
            assert kinds([late]) == ["U8:1"] and "too late" in (late.get(58) or "")

            # The requester may take the other maker's quote now.
            accept(floor, "q-other", BookSide.BUY)
            (other,) = await mm2.fence()
            assert kinds([other]) == ["AI:0"]

    floor.run(scenario())


def test_a_high_volatility_market_gives_three_seconds(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("maker", RFQ)) as (mm,):
            rfq_id = inject(floor, HVM_MARKET, "10")
            await mm.fence()
            send_quote(mm, rfq_id, HVM_MARKET, "q-hvm", "0.30", "0.60")
            await mm.fence()
            accept(floor, "q-hvm")
            await mm.fence()
            floor.advance(3.5)
            (voided,) = await mm.fence()
            assert kinds([voided]) == ["AI:17"]

    floor.run(scenario())


def test_quote_cancel_and_its_refusals(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("maker", RFQ)) as (mm,):
            ticker = floor.market()
            rfq_id = inject(floor, ticker)
            await mm.fence()
            send_quote(mm, rfq_id, ticker, "q-cxl", "0.40", "0.55")
            await mm.fence()
            mm.send("Z", QuoteCancel(quote_id="q-cxl", rfq_id=rfq_id).to_body())
            cancelled, status_u9 = await mm.fence()
            assert kinds([cancelled, status_u9]) == ["AI:17", "U9:0"]
            assert cancelled.get(117) == "q-cxl" and status_u9.get(117) == "q-cxl"

            mm.send("Z", QuoteCancel(quote_id="q-cxl").to_body())
            (again,) = await mm.fence()
            assert kinds([again]) == ["U9:1"] and "already cancelled" in (again.get(58) or "")
            mm.send("Z", QuoteCancel(quote_id="no-such-quote").to_body())
            (unknown,) = await mm.fence()
            assert kinds([unknown]) == ["U9:1"] and "unknown QuoteID" in (unknown.get(58) or "")

            send_quote(mm, rfq_id, ticker, "q-taken", "0.40", "0.55")
            await mm.fence()
            accept(floor, "q-taken")
            await mm.fence()
            mm.send("Z", QuoteCancel(quote_id="q-taken").to_body())
            (busy,) = await mm.fence()
            assert kinds([busy]) == ["U9:1"] and "cannot be cancelled" in (busy.get(58) or "")

    floor.run(scenario())


def test_an_expired_request_is_withdrawn_with_an_ag(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("maker", RFQ)) as (mm,):
            ticker = floor.market()
            rfq_id = inject(floor, ticker)
            await mm.fence()
            floor.advance(24 * 3600.0)  # every RFQ left open by earlier tests expires too
            (withdrawn,) = [m for m in await mm.fence() if m.get(131) == rfq_id]
            assert withdrawn.msg_type == "AG"
            assert withdrawn.get(658) == "99" and withdrawn.get(58) == "RFQ expired"
            send_quote(mm, rfq_id, ticker, "q-late", "0.40", "0.55")
            (late,) = await mm.fence()
            assert kinds([late]) == ["AI:5"] and "expired" in (late.get(58) or "")

    floor.run(scenario())


def test_bad_maker_messages_are_refused_and_the_session_carries_on(floor: RfqFloor) -> None:
    async def scenario() -> None:
        async with floor.sessions(("maker", RFQ)) as (mm,):
            ticker = floor.market()
            mm.send("S", [(131, "rfq-x"), (55, ticker), (132, "40"), (133, "55")])
            (missing,) = await mm.fence()
            assert missing.msg_type == "3" and missing.get(373) == "1" and missing.get(371) == "117"
            mm.send("S", [(117, "q"), (131, "x"), (55, ticker), (132, "40"), (9999, "x")])
            (undefined,) = await mm.fence()
            assert undefined.msg_type == "3" and undefined.get(373) == "3"
            send_quote(mm, "no-such-rfq", ticker, "q-nowhere", "0.40", "0.55")
            (unknown,) = await mm.fence()
            assert kinds([unknown]) == ["AI:5"] and "unknown QuoteReqID" in (unknown.get(58) or "")
            mm.send("U7", QuoteConfirm(quote_id="q-nowhere").to_body())
            (confirm,) = await mm.fence()
            assert kinds([confirm]) == ["U8:1"]
            mm.send("R", [(131, "mine"), (146, "1"), (55, ticker), (38, "10")])
            (unsupported,) = await mm.fence()
            assert unsupported.msg_type == "j" and unsupported.get(380) == "3"

    floor.run(scenario())


def test_simulated_requesters_keep_a_lone_maker_busy(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    busy = RfqFloor(tmp_path_factory.mktemp("rfq-busy"), requester_interval=5.0)
    try:

        async def scenario() -> None:
            async with busy.sessions(("maker", RFQ)) as (mm,):
                for _ in range(12):
                    busy.advance(5.0)
                requests = [m for m in await mm.fence() if m.msg_type == "R"]
                assert requests, "no simulated RFQ in a minute"
                creators = {
                    view.creator
                    for m in requests
                    if (view := busy.bridge.desk.rfq(m.get(131) or "")) is not None
                }
                assert creators <= set(busy.bridge.settings.requesters)
                assert all(Decimal(m.get(38) or "0") > 0 for m in requests)

        busy.run(scenario())
    finally:
        busy.close()


def test_a_quote_for_a_sub_account_trades_there(floor: RfqFloor) -> None:
    async def scenario() -> None:
        floor.venue.exchange.fund(MAKER, D("500.00"), sub_account=2)
        logins = [("maker", RFQ), ("maker_orders", NR)]
        async with floor.sessions(*logins) as parties:
            mm, orders = parties
            ticker = floor.market()
            rfq_id = inject(floor, ticker, "10")
            await mm.fence()
            nowhere = Quote(
                quote_id="q-sub9",
                quote_req_id=rfq_id,
                symbol=ticker,
                bid_px=D("0.40"),
                offer_px=None,
                alloc_account=9,
            )
            mm.send("S", nowhere.to_body(mm.price_format))
            (refused,) = await mm.fence()
            assert kinds([refused]) == ["AI:5"] and "AllocAccount 9" in (refused.get(58) or "")

            sub = Quote(
                quote_id="q-sub2",
                quote_req_id=rfq_id,
                symbol=ticker,
                bid_px=D("0.40"),
                offer_px=None,
                alloc_account=2,
            )
            mm.send("S", sub.to_body(mm.price_format))
            (pending,) = await mm.fence()
            assert kinds([pending]) == ["AI:10"] and pending.get(79) == "2"
            accept(floor, "q-sub2", BookSide.SELL)
            (accepted,) = await mm.fence()
            assert accepted.get(79) == "2" and accepted.get(54) == "1"
            mm.send("U7", QuoteConfirm(quote_id="q-sub2").to_body())
            await mm.fence()
            floor.advance(15.5)
            (fill,) = await orders.fence()
            assert fill.get(79) == "2" and orders.er(fill).side is Side.BUY
            ledger = floor.venue.exchange.ledger
            assert ledger.position(MAKER, 2, ticker) == 10
            assert ledger.position(MAKER, 0, ticker) == 0

    floor.run(scenario())
