"""Simulated market makers: they answer RFQs from other creators (a human creator on
KalshiRT) with quotes around a fair price within a few seconds, and confirm the quotes a
creator accepts promptly — or, with ``miss_confirm_probability`` (0 by default), never, so the
confirmation timeout can be exercised.

Seeded and deterministic: the same seed, the same desk history and the same ``step`` times
give the same quotes, at the same times, with the same ids (given a deterministic id source).
Every random draw happens in a fixed order: RFQs in creation order, quotes in entry order.

Drive it by calling :meth:`SimulatedMakers.step` after desk calls that create RFQs or accept
quotes, and again at :meth:`SimulatedMakers.next_deadline`. The makers talk to the desk
directly (they are not registered makers, so no QuoteRequest is addressed to them); the
results they cause are returned for the gateway to route (QuoteOffered to the creator, ...).
"""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from workstation.simulator.rfq.desk import RfqDesk
from workstation.simulator.rfq.pricing import CENT, FairPrice, clamp_fair, two_sided
from workstation.simulator.rfq.results import RfqResult
from workstation.simulator.rfq.states import LIVE_RFQ_STATES, QuoteState, RfqState

__all__ = ["MakerBehaviour", "SimulatedMakers"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MakerBehaviour:
    """How the simulated makers act. Ranges are inclusive (low, high)."""

    quote_delay: tuple[float, float] = (0.5, 3.0)  #: seconds from seeing an RFQ to quoting
    half_spread_cents: tuple[int, int] = (1, 5)  #: each bid this far under fair
    fair_jitter_cents: int = 2  #: each maker's view of fair differs by up to this
    max_quotes_per_rfq: int | None = None  #: None: up to every maker quotes
    confirm_delay: tuple[float, float] = (0.2, 1.0)  #: seconds from acceptance to confirming
    miss_confirm_probability: float = 0.0  #: chance an accepted quote is never confirmed


@dataclass(order=True, slots=True, frozen=True)
class _Planned:
    due: float
    order: int
    maker: str = field(compare=False)
    rfq_id: str = field(compare=False)
    quote_id: str | None = field(compare=False, default=None)  #: set for a confirmation
    yes_bid: Decimal = field(compare=False, default=Decimal(0))
    no_bid: Decimal = field(compare=False, default=Decimal(0))


class SimulatedMakers:
    """A few maker accounts that quote other creators' RFQs and confirm when accepted."""

    def __init__(
        self,
        desk: RfqDesk,
        *,
        accounts: Sequence[str],
        fair_price: FairPrice,
        seed: int,
        behaviour: MakerBehaviour | None = None,
        ignore_creators: Collection[str] = (),
    ) -> None:
        if not accounts:
            raise ValueError("simulated makers need at least one account")
        self._desk = desk
        self.accounts = tuple(accounts)
        self._fair_price = fair_price
        self._rng = random.Random(seed)
        self.behaviour = behaviour if behaviour is not None else MakerBehaviour()
        self._ignore = frozenset(ignore_creators) | frozenset(self.accounts)
        self._seen_rfqs: set[str] = set()
        self._seen_accepts: set[str] = set()
        self._quotes: list[_Planned] = []
        self._confirms: list[_Planned] = []
        self._order = 0

    def step(self, now: float) -> list[RfqResult]:
        """Notice new RFQs and accepted quotes, then do whatever is due by ``now``."""
        out = self._desk.advance(now)
        self._plan_quotes(now)
        self._plan_confirms(now)
        for planned in _take_due(self._quotes, now):
            rfq = self._desk.rfq(planned.rfq_id)
            if rfq is None or rfq.state not in LIVE_RFQ_STATES:
                continue
            out += self._desk.submit_quote(
                maker=planned.maker,
                quote_id=self._desk.new_quote_id(),
                rfq_id=planned.rfq_id,
                ticker=rfq.ticker,
                yes_bid=planned.yes_bid,
                no_bid=planned.no_bid,
                now=now,
            )
        for planned in _take_due(self._confirms, now):
            assert planned.quote_id is not None
            out += self._desk.confirm_quote(
                maker=planned.maker, quote_id=planned.quote_id, rfq_id=planned.rfq_id, now=now
            )
        return out

    def next_deadline(self) -> float | None:
        """When the next planned quote or confirmation is due, or None."""
        return min((p.due for p in (*self._quotes, *self._confirms)), default=None)

    def _next_order(self) -> int:
        self._order += 1
        return self._order

    def _plan_quotes(self, now: float) -> None:
        b = self.behaviour
        for rfq in self._desk.rfqs():
            if rfq.rfq_id in self._seen_rfqs or rfq.state not in LIVE_RFQ_STATES:
                continue
            self._seen_rfqs.add(rfq.rfq_id)
            if rfq.creator in self._ignore:
                continue
            limit = len(self.accounts) if b.max_quotes_per_rfq is None else b.max_quotes_per_rfq
            count = self._rng.randint(1, max(1, min(limit, len(self.accounts))))
            fair = clamp_fair(self._fair_price(rfq.ticker))
            for maker in self._rng.sample(self.accounts, count):
                jitter = self._rng.randint(-b.fair_jitter_cents, b.fair_jitter_cents) * CENT
                half = self._rng.randint(*b.half_spread_cents) * CENT
                bids = two_sided(clamp_fair(fair + jitter), half)
                delay = self._rng.uniform(*b.quote_delay)
                if bids.yes_bid == 0 and bids.no_bid == 0:
                    continue
                self._quotes.append(
                    _Planned(
                        due=now + delay,
                        order=self._next_order(),
                        maker=maker,
                        rfq_id=rfq.rfq_id,
                        yes_bid=bids.yes_bid,
                        no_bid=bids.no_bid,
                    )
                )

    def _plan_confirms(self, now: float) -> None:
        b = self.behaviour
        for rfq in self._desk.rfqs():
            acceptance = rfq.acceptance
            if rfq.state is not RfqState.ACCEPTED or acceptance is None:
                continue
            if acceptance.maker not in self.accounts:
                continue
            quote = self._desk.quote(acceptance.quote_id)
            key = f"{rfq.rfq_id}/{acceptance.quote_id}"
            if quote is None or quote.state is not QuoteState.ACCEPTED or key in self._seen_accepts:
                continue
            self._seen_accepts.add(key)
            if self._rng.random() < b.miss_confirm_probability:
                continue  # this one is never confirmed: the window runs out
            window = acceptance.confirm_by - now
            delay = min(self._rng.uniform(*b.confirm_delay), window / 2)
            self._confirms.append(
                _Planned(
                    due=now + max(delay, 0.0),
                    order=self._next_order(),
                    maker=acceptance.maker,
                    rfq_id=rfq.rfq_id,
                    quote_id=acceptance.quote_id,
                )
            )


def _take_due(planned: list[_Planned], now: float) -> list[_Planned]:
    """Remove and return the entries due by ``now``, earliest first."""
    due = sorted(p for p in planned if p.due <= now)
    planned[:] = [p for p in planned if p.due > now]
    return due
