"""Replaying a journal repeats what the live Desk did, call for call.

Each message the Desk journals before sending goes through its body and back into the typed
message the live call took (both price formats), the workstation's own notes re-apply, and a
journal replayed into two fresh states gives the same state twice.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from workstation.client.journal import Journal, NoteKind
from workstation.client.journal_replay import replay
from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages import (
    AcceptQuote,
    CreatorQuoteRequest,
    ExecutionReport,
    NewOrderSingle,
    OrderCancelReplaceRequest,
    OrderCancelRequest,
    OrderGroupAction,
    OrderGroupRequest,
    Quote,
    QuoteConfirm,
    RfqCancel,
)
from workstation.fix.messages.enums import ExecType, OrdStatus, Side, TimeInForce
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.prices import PriceFormat
from workstation.trading.order_state import OrderStatus
from workstation.trading.state import TradingState
from workstation.trading.ticket import Intent

VENUE = "local:v1"

SENT: list[tuple[str, Any]] = [
    (
        "D",
        NewOrderSingle(
            cl_ord_id="c1",
            symbol="KX-A",
            side=Side.SELL,
            order_qty=Decimal(12),
            price=Decimal("0.37"),
            time_in_force=TimeInForce.GTD,
            expire_time=1_900_000_000.5,
            post_only=True,
            order_group_id="g1",
            alloc_account=2,
        ),
    ),
    (
        "F",
        OrderCancelRequest(
            cl_ord_id="c2", orig_cl_ord_id="c1", symbol="KX-A", side=Side.SELL, order_id="o1"
        ),
    ),
    (
        "G",
        OrderCancelReplaceRequest(
            cl_ord_id="c3",
            orig_cl_ord_id="c1",
            symbol="KX-A",
            side=Side.SELL,
            order_qty=Decimal(15),
            price=Decimal("0.38"),
            order_id="o1",
        ),
    ),
    ("UOG", OrderGroupRequest(action=OrderGroupAction.CREATE, contracts_limit=40)),
    ("R", CreatorQuoteRequest(quote_req_id="q1", symbol="KX-A", order_qty=Decimal("10.5"))),
    ("UE", RfqCancel(rfq_id="rfq-1")),
    ("UA", AcceptQuote(quote_id="quote-1", side=Side.BUY, rfq_id="rfq-1", cl_ord_id="c9")),
    (
        "S",
        Quote(
            quote_id="mq1",
            quote_req_id="r1",
            symbol="KX-A",
            bid_px=Decimal("0.41"),
            offer_px=Decimal("0.52"),
        ),
    ),
    ("U7", QuoteConfirm(quote_id="mq1", rfq_id="r1")),
]


@pytest.mark.parametrize("price_format", list(PriceFormat))
@pytest.mark.parametrize(("msg_type", "sent"), SENT, ids=[t for t, _ in SENT])
def test_a_sent_message_reads_back_as_it_was_sent(
    msg_type: str, sent: Any, price_format: PriceFormat
) -> None:
    body = sent.to_body(price_format)
    message = FixMessage([(35, msg_type), *body])
    assert type(sent).from_message(message, price_format) == sent


def execution_report(**fields: Any) -> ExecutionReport:
    base: dict[str, Any] = {
        "order_id": "o1",
        "cl_ord_id": "c1",
        "exec_id": ExecId(7, 1),
        "exec_type": ExecType.NEW,
        "ord_status": OrdStatus.NEW,
        "symbol": "KX-A",
        "side": Side.SELL,
        "order_qty": Decimal(12),
        "price": Decimal("0.37"),
        "leaves_qty": Decimal(12),
        "cum_qty": Decimal(0),
        "avg_px": Decimal(0),
    }
    base.update(fields)
    return ExecutionReport(**base)


def frame_of(msg_type: str, seq: int, body: list[tuple[int, str]]) -> FixMessage:
    header = [(49, "KalshiNR"), (56, "key"), (34, str(seq)), (52, "20261124-12:00:00.000")]
    return parse_frame(encode_message(msg_type, header, body))


def test_a_replay_twice_gives_the_same_state(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.db")
    try:
        order = SENT[0][1]
        journal.record_sent(
            venue=VENUE,
            account="a",
            session=SessionType.NR,
            price_format=PriceFormat.CENTS,
            msg_type="D",
            body=order.to_body(PriceFormat.CENTS),
            sent_at=10.0,
            seq_num=3,
            intent=Intent.BUY_NO,
        )
        ack = execution_report()
        journal.record_inbound(
            venue=VENUE,
            account="a",
            session=SessionType.NR,
            price_format=PriceFormat.CENTS,
            message=frame_of("8", 1, ack.to_body(PriceFormat.CENTS)),
            received_at=11.0,
        )
        second = NewOrderSingle(
            cl_ord_id="c5", symbol="KX-B", side=Side.BUY, order_qty=Decimal(1), price=Decimal("0.5")
        )
        journal.record_sent(
            venue=VENUE,
            account="a",
            session=SessionType.NR,
            price_format=PriceFormat.CENTS,
            msg_type="D",
            body=second.to_body(PriceFormat.CENTS),
            sent_at=12.0,
            seq_num=4,
        )
        journal.record_note(
            venue=VENUE,
            account="a",
            kind=NoteKind.ORDER_UNKNOWN,
            at=13.0,
            subject="c5",
            text="sent before the workstation restarted; reconciling",
        )
        journal.record_note(
            venue=VENUE, account="a", kind=NoteKind.HEAL_OWED, at=14.0, subject="7;1"
        )
        entries = list(journal.entries(VENUE))
    finally:
        journal.close()

    states = [TradingState(), TradingState()]
    results = [replay(entries, state=state) for state in states]
    first, again = results
    assert again.changes == first.changes
    assert first.problems == [] and first.entries == 5
    assert first.intents == {"c1": Intent.BUY_NO}
    assert first.heal_owed == ExecId(7, 1)
    orders = [sorted(repr(o) for o in state.orders) for state in states]
    assert orders[0] == orders[1]
    working = states[0].orders.get("c1")
    unknown = states[0].orders.get("c5")
    assert working is not None and working.status is OrderStatus.NEW
    assert working.created_at == 10.0 and working.updated_at == 11.0
    assert unknown is not None and unknown.status is OrderStatus.UNKNOWN
    assert unknown.reason.startswith("sent before the workstation restarted")


def test_a_finished_drop_copy_replay_is_no_longer_owed(tmp_path: Path) -> None:
    journal = Journal.open(tmp_path / "j.db")
    try:
        journal.record_note(venue=VENUE, account="a", kind=NoteKind.HEAL_OWED, at=1, subject="5;2")
        journal.record_note(venue=VENUE, account="a", kind=NoteKind.HEAL_DONE, at=2)
        result = replay(journal.entries(VENUE), state=TradingState())
    finally:
        journal.close()
    assert result.heal_owed is None
