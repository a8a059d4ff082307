"""The RFQ desk's timers: the confirmation window, the execution timer and the 24-hour
expiry, fired in time order at the start of every call (:mod:`.desk`, :mod:`.timers`)."""

from __future__ import annotations

from workstation.simulator.rfq.desk_state import DeskState
from workstation.simulator.rfq.records import Rfq
from workstation.simulator.rfq.results import (
    AcceptVoided,
    QuoteCancelled,
    RfqExecutionDue,
    RfqResult,
)
from workstation.simulator.rfq.sides import AcceptSide
from workstation.simulator.rfq.states import QuoteState, RfqState
from workstation.simulator.rfq.types import (
    CloseReason,
    QuoteCancelReason,
)

__all__ = ["DeskClock"]


class DeskClock(DeskState):
    """Runs the timers due before each call, and on :meth:`advance`."""

    def advance(self, now: float) -> list[RfqResult]:
        """Run every timer due by ``now``: confirmation windows, execution timers, expiries."""
        out = self._run_timers(now)
        if out:
            self._changes += 1
        return out

    def next_deadline(self) -> float | None:
        """When the earliest pending timer is due (call :meth:`advance` then), or None."""
        times = [t for rfq in self._live.values() if (t := _timer_of(rfq)) is not None]
        return min(times, default=None)

    def _begin(self, now: float) -> list[RfqResult]:
        """The start of every call that acts: note a change, run the timers due."""
        self._changes += 1
        return self._run_timers(now)

    def _run_timers(self, now: float) -> list[RfqResult]:
        """Fire every due timer, earliest first (ties by RFQ age), until none is due."""
        out: list[RfqResult] = []
        floor = float("-inf")
        while True:
            due: tuple[float, int, Rfq] | None = None
            for rfq in self._live.values():
                at = _timer_of(rfq)
                if at is not None and at <= now and (due is None or (at, rfq.seq) < due[:2]):
                    due = (at, rfq.seq, rfq)
            if due is None:
                return out
            at, _, rfq = due
            floor = max(floor, at)  # an expiry made due by a later void happens after it
            self._fire(rfq, floor, out)

    def _fire(self, rfq: Rfq, at: float, out: list[RfqResult]) -> None:
        if rfq.state is RfqState.OPEN:
            self._close(rfq, RfqState.EXPIRED, CloseReason.EXPIRED, at, out)
        elif rfq.state is RfqState.ACCEPTED:
            self._void(rfq, at, out)
        elif rfq.state is RfqState.CONFIRMED:
            self._execute(rfq, at, out)

    def _void(self, rfq: Rfq, at: float, out: list[RfqResult]) -> None:
        acceptance = rfq.acceptance
        assert acceptance is not None
        quote = acceptance.quote
        quote.move(QuoteState.VOIDED)
        rfq.move(RfqState.OPEN)
        rfq.acceptance = None
        out.append(
            QuoteCancelled(
                maker=quote.maker,
                transact_time=at,
                quote_id=quote.quote_id,
                rfq_id=rfq.rfq_id,
                reason=QuoteCancelReason.CONFIRM_MISSED,
            )
        )
        out.append(
            AcceptVoided(
                creator=rfq.creator,
                transact_time=at,
                quote_id=quote.quote_id,
                rfq_id=rfq.rfq_id,
                client_rfq_id=rfq.client_rfq_id,
                cl_ord_id=acceptance.cl_ord_id,
                text="quote voided: the maker did not confirm in time; the RFQ is open again",
            )
        )

    def _execute(self, rfq: Rfq, at: float, out: list[RfqResult]) -> None:
        acceptance = rfq.acceptance
        assert acceptance is not None
        quote = acceptance.quote
        quote.move(QuoteState.EXECUTED)
        creator_buys = acceptance.side is AcceptSide.BUY
        out.append(
            RfqExecutionDue(
                transact_time=at,
                rfq_id=rfq.rfq_id,
                quote_id=quote.quote_id,
                ticker=rfq.ticker,
                buyer=rfq.creator if creator_buys else quote.maker,
                seller=quote.maker if creator_buys else rfq.creator,
                yes_price=acceptance.yes_price,
                quantity=acceptance.quantity,
                creator=rfq.creator,
                maker=quote.maker,
                creator_side=acceptance.side,
                creator_cl_ord_id=acceptance.cl_ord_id,
                creator_rest_remainder=rfq.rest_remainder,
                maker_rest_remainder=quote.rest_remainder,
            )
        )
        self._close(rfq, RfqState.EXECUTED, CloseReason.EXECUTED, at, out)


def _timer_of(rfq: Rfq) -> float | None:
    """The time of the one timer an RFQ has in its state, if any."""
    if rfq.state is RfqState.OPEN:
        return rfq.expires_at
    if rfq.acceptance is None:
        return None
    if rfq.state is RfqState.ACCEPTED:
        return rfq.acceptance.confirm_by
    if rfq.state is RfqState.CONFIRMED:
        return rfq.acceptance.execute_at
    return None
