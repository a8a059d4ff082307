"""The creator's RFQCancel (UE): by client id or server id, the AG fan-out to makers, and the
refusals (SPEC §13.3)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.simulator.rfq.helpers import (
    NOW,
    T2,
    T,
    accept,
    kinds,
    make_desk,
    of_type,
    only,
    open_rfq,
    quote,
)
from workstation.simulator.rfq import (
    CloseReason,
    QuoteConfirmRefused,
    QuoteRequestWithdrawn,
    QuoteState,
    RfqCancelled,
    RfqCancelRefused,
    RfqState,
)


def test_cancel_by_client_id_tells_the_creator_and_every_maker() -> None:
    desk = make_desk("mm1", "mm2")
    rfq_id = open_rfq(desk, client_rfq_id="client-req-123")
    quote(desk, rfq_id)
    results = desk.cancel_rfq(creator="alice", client_rfq_id="client-req-123", now=NOW + 5)
    assert kinds(results) == ["RfqCancelled", "QuoteRequestWithdrawn", "QuoteRequestWithdrawn"]
    cancelled = only(results, RfqCancelled)
    assert (cancelled.creator, cancelled.echo_id, cancelled.rfq_id) == (
        "alice",
        "client-req-123",
        rfq_id,
    )
    assert cancelled.solicited and cancelled.reason is CloseReason.CANCELLED_BY_CREATOR
    assert [(w.maker, w.rfq_id, w.reason) for w in of_type(results, QuoteRequestWithdrawn)] == [
        ("mm1", rfq_id, CloseReason.CANCELLED_BY_CREATOR),
        ("mm2", rfq_id, CloseReason.CANCELLED_BY_CREATOR),
    ]
    view = desk.rfq(rfq_id)
    assert view is not None and view.state is RfqState.CANCELLED and view.closed_at == NOW + 5
    q1 = desk.quote("q1")
    assert q1 is not None and q1.state is QuoteState.CLOSED
    assert desk.next_deadline() is None


def test_cancel_by_server_id_echoes_it() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk, client_rfq_id="c1")
    cancelled = only(desk.cancel_rfq(creator="alice", rfq_id=rfq_id, now=NOW), RfqCancelled)
    assert cancelled.echo_id == rfq_id


def test_the_withdrawal_to_makers_never_names_the_creator() -> None:
    desk = make_desk("mm1")
    rfq_id = open_rfq(desk)
    for result in desk.cancel_rfq(creator="alice", rfq_id=rfq_id, now=NOW):
        if isinstance(result, QuoteRequestWithdrawn):
            assert "alice" not in [getattr(result, f.name) for f in dataclasses.fields(result)]


@pytest.mark.parametrize(
    ("creator", "client_id", "server_id", "text"),
    [
        ("alice", "nope", None, "unknown RFQ nope"),
        ("bob", "c1", None, "unknown RFQ c1"),
        ("alice", None, "no-such-id", "unknown RFQ no-such-id"),
        ("alice", None, None, "QuoteReqID or RfqId is required"),
    ],
)
def test_unknown_rfq_cancel_is_refused(
    creator: str, client_id: str | None, server_id: str | None, text: str
) -> None:
    desk = make_desk("mm1")
    open_rfq(desk, client_rfq_id="c1")
    results = desk.cancel_rfq(creator=creator, client_rfq_id=client_id, rfq_id=server_id, now=NOW)
    assert kinds(results) == ["RfqCancelRefused"]
    refused = only(results, RfqCancelRefused)
    assert refused.text == text
    assert refused.echo_id == (client_id or server_id or "")
    assert len(desk.rfqs()) == 1


def test_another_creators_server_id_is_unknown() -> None:
    desk = make_desk()
    rfq_id = open_rfq(desk)
    refused = only(desk.cancel_rfq(creator="bob", rfq_id=rfq_id, now=NOW), RfqCancelRefused)
    assert refused.text == f"unknown RFQ {rfq_id}"


def test_client_and_server_ids_that_disagree_are_refused() -> None:
    desk = make_desk()
    open_rfq(desk, client_rfq_id="c1")
    other = open_rfq(desk, ticker=T2, client_rfq_id="c2")
    refused = only(
        desk.cancel_rfq(creator="alice", client_rfq_id="c1", rfq_id=other, now=NOW),
        RfqCancelRefused,
    )
    assert "name different RFQs" in refused.text


def test_cancelling_twice_is_refused() -> None:
    desk = make_desk()
    open_rfq(desk, client_rfq_id="c1")
    desk.cancel_rfq(creator="alice", client_rfq_id="c1", now=NOW)
    refused = only(desk.cancel_rfq(creator="alice", client_rfq_id="c1", now=NOW), RfqCancelRefused)
    assert refused.text == "the RFQ is already cancelled"


def test_cancel_while_awaiting_confirmation_closes_the_accepted_quote() -> None:
    desk = make_desk("mm1")
    rfq_id = open_rfq(desk)
    quote(desk, rfq_id)
    accept(desk)
    results = desk.cancel_rfq(creator="alice", rfq_id=rfq_id, now=NOW + 1)
    assert kinds(results) == ["RfqCancelled", "QuoteRequestWithdrawn"]
    q1 = desk.quote("q1")
    assert q1 is not None and q1.state is QuoteState.CLOSED
    late = only(desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 2), QuoteConfirmRefused)
    assert late.text == f"quote q1 is closed: {CloseReason.CANCELLED_BY_CREATOR.value}"
    assert desk.advance(NOW + 100) == []


def test_a_confirmed_rfq_cannot_be_cancelled() -> None:
    desk = make_desk("mm1")
    rfq_id = open_rfq(desk, ticker=T)
    quote(desk, rfq_id)
    accept(desk)
    desk.confirm_quote(maker="mm1", quote_id="q1", now=NOW + 1)
    refused = only(desk.cancel_rfq(creator="alice", rfq_id=rfq_id, now=NOW + 2), RfqCancelRefused)
    assert "confirmed and executing" in refused.text
    view = desk.rfq(rfq_id)
    assert view is not None and view.state is RfqState.CONFIRMED
