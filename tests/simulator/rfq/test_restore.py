"""An RFQ desk written down as the state directory writes it and read back into a new desk
carries on: an accepted quote is still the very quote in its RFQ's list, the confirmation
window that ran out meanwhile fires on the first call, pseudonyms and the creation counter
continue, and a second restore is refused."""

from __future__ import annotations

import json

import pytest

from tests.simulator.rfq.helpers import (
    NOW,
    T,
    accept,
    kinds,
    make_desk,
    of_type,
    open_rfq,
    quote,
)
from workstation.simulator.gateway.rfq_state import SavedDesk, SavedRfq
from workstation.simulator.persistence.codec import codec_for
from workstation.simulator.persistence.state_file import relink_acceptance
from workstation.simulator.rfq import QuoteRequested, QuoteState, RfqDesk, RfqState
from workstation.simulator.rfq.records import Rfq


def through_json(rfqs: list[Rfq]) -> list[SavedRfq]:
    """What the state file holds and gives back (JSON text in between)."""
    codec = codec_for(SavedRfq)
    texts = [json.dumps(codec.encode(SavedRfq(rfq=rfq))) for rfq in rfqs]
    return [relink_acceptance(codec.decode(json.loads(text))) for text in texts]


def restored(desk: RfqDesk) -> RfqDesk:
    requesters, quoters = desk.pseudonyms()
    kept = SavedDesk(seq=desk.seq, requesters=requesters, quoters=quoters)
    again = make_desk()
    again.restore(
        [s.rfq for s in through_json(desk.records())],
        seq=kept.seq,
        requesters=kept.requesters,
        quoters=kept.quoters,
    )
    return again


def test_a_restored_desk_carries_on() -> None:
    desk = make_desk("mm1", "mm2")
    accepted = open_rfq(desk)
    quote(desk, accepted, maker="mm1", quote_id="q1", yes="0.40", no="0.55")
    quote(desk, accepted, maker="mm2", quote_id="q2", yes="0.39", no="0.56")
    accept(desk, "q1", cl_ord_id="a1", now=NOW + 10)
    other = open_rfq(desk, creator="carol", ticker=T, client_rfq_id="c-1")
    before = desk.rfq(accepted)
    assert before is not None and before.acceptance is not None
    changes = desk.changes

    again = restored(desk)
    assert again.rfq(accepted) == before
    assert [v.rfq_id for v in again.rfqs()] == [accepted, other]
    (record,) = [r for r in again.records() if r.rfq_id == accepted]
    assert record.acceptance is not None and record.acceptance.quote is record.quotes[0]
    assert again.pseudonyms() == desk.pseudonyms() and again.seq == desk.seq
    assert again.changes == 0 and changes > 0

    # The window ran out while the venue was down: the first call voids the acceptance.
    results = again.advance(NOW + 41)
    assert kinds(results) == ["QuoteCancelled", "AcceptVoided"]
    voided = again.quote("q1")
    assert voided is not None and voided.state is QuoteState.VOIDED
    view = again.rfq(accepted)
    assert view is not None and view.state is RfqState.OPEN
    assert again.changes == 1

    # A maker that logs on again is told afresh; new RFQs continue the numbering.
    told = again.register_maker("mm1", NOW + 42)
    assert {r.rfq_id for r in of_type(told, QuoteRequested)} == {accepted, other}
    newest = open_rfq(again, creator="dave", now=NOW + 43)
    (created,) = [r for r in again.records() if r.rfq_id == newest]
    assert created.seq > desk.seq


def test_only_an_empty_desk_can_be_restored() -> None:
    desk = make_desk()
    open_rfq(desk)
    with pytest.raises(RuntimeError, match="empty"):
        desk.restore([], seq=0, requesters={}, quoters={})
