"""Simulated RFQ requesters: accounts that create RFQs on open markets from time to time, for a
human market maker on KalshiRFQ to quote, accept some of the quotes they get, and cancel
their RFQs that nobody traded after a while.

Seeded and deterministic, like :mod:`.makers`: the same seed, desk history and ``step`` times
give the same RFQs and acceptances. Drive it with :meth:`SimulatedRequesters.step` after desk
calls that place quotes, and at :meth:`SimulatedRequesters.next_deadline`.

Two hooks serve the admin port: :meth:`SimulatedRequesters.inject` creates an RFQ from a
simulated requester now, and :meth:`SimulatedRequesters.accept` accepts a maker's quote on a
simulated requester's RFQ. Misuse raises :class:`AdminCommandError`, whose message is the
answer to show.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from workstation.simulator.rfq.desk import RfqDesk
from workstation.simulator.rfq.pricing import FairPrice, clamp_fair, creator_edge
from workstation.simulator.rfq.results import RfqResult
from workstation.simulator.rfq.sides import AcceptSide
from workstation.simulator.rfq.states import LIVE_RFQ_STATES, QuoteState, RfqState
from workstation.simulator.rfq.views import QuoteView

__all__ = ["AdminCommandError", "RequesterBehaviour", "SimulatedRequesters"]

#: The tickers of the markets open now.
OpenMarkets = Callable[[], Sequence[str]]


class AdminCommandError(ValueError):
    """An admin command that cannot be done; the message says why."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequesterBehaviour:
    """How the simulated requesters act. Ranges are inclusive (low, high)."""

    mean_interval: float = 120.0  #: mean seconds between two new RFQs (exponential)
    sizes: tuple[Decimal, ...] = tuple(Decimal(n) for n in (10, 25, 50, 100, 250))
    accept_probability: float = 0.5  #: chance a quote no worse than ``min_edge`` is taken
    min_edge: Decimal = Decimal("-0.05")  #: the worst price vs fair a requester accepts
    accept_delay: tuple[float, float] = (1.0, 5.0)  #: seconds from a quote to accepting it
    rfq_lifetime: float = 300.0  #: an RFQ nobody traded is cancelled after this many seconds


@dataclass(order=True, slots=True, frozen=True)
class _PlannedAccept:
    due: float
    order: int
    creator: str = field(compare=False)
    quote_id: str = field(compare=False)
    side: AcceptSide = field(compare=False)


class SimulatedRequesters:
    """A few requester accounts creating RFQs on open markets."""

    def __init__(
        self,
        desk: RfqDesk,
        *,
        accounts: Sequence[str],
        open_markets: OpenMarkets,
        fair_price: FairPrice,
        seed: int,
        behaviour: RequesterBehaviour | None = None,
    ) -> None:
        if not accounts:
            raise ValueError("simulated requesters need at least one account")
        self._desk = desk
        self.accounts = tuple(accounts)
        self._open_markets = open_markets
        self._fair_price = fair_price
        self._rng = random.Random(seed)
        self.behaviour = behaviour if behaviour is not None else RequesterBehaviour()
        self._next_rfq_at: float | None = None
        self._seen_quotes: set[tuple[str, float]] = set()
        self._accepts: list[_PlannedAccept] = []
        self._order = 0

    def step(self, now: float) -> list[RfqResult]:
        """Create, accept and cancel whatever is due by ``now``."""
        out = self._desk.advance(now)
        if self._next_rfq_at is None:
            self._next_rfq_at = now + self._interval()
        elif now >= self._next_rfq_at:
            self._next_rfq_at = now + self._interval()
            out += self._create_one(now)
        out += self._cancel_stale(now)
        self._plan_accepts(now)
        due = sorted(p for p in self._accepts if p.due <= now)
        self._accepts = [p for p in self._accepts if p.due > now]
        for planned in due:
            quote = self._desk.quote(planned.quote_id)
            rfq = self._desk.rfq(quote.rfq_id) if quote is not None else None
            if quote is None or rfq is None or rfq.state is not RfqState.OPEN:
                continue
            if quote.state is not QuoteState.PENDING:
                continue
            out += self._desk.accept_quote(
                creator=planned.creator,
                quote_id=planned.quote_id,
                rfq_id=quote.rfq_id,
                side=planned.side,
                now=now,
            )
        return out

    def next_deadline(self) -> float | None:
        """When the next RFQ, acceptance or stale-RFQ cancel is due, or None."""
        times = [p.due for p in self._accepts]
        if self._next_rfq_at is not None:
            times.append(self._next_rfq_at)
        times += [
            rfq.created_at + self.behaviour.rfq_lifetime
            for rfq in self._desk.rfqs()
            if rfq.creator in self.accounts and rfq.state is RfqState.OPEN
        ]
        return min(times, default=None)

    # --- admin hooks --------------------------------------------------------------------------

    def inject(
        self,
        now: float,
        *,
        ticker: str,
        quantity: Decimal | None = None,
        cash_quantity: Decimal | None = None,
        requester: str | None = None,
    ) -> list[RfqResult]:
        """Create an RFQ from a simulated requester now (the first one without an open RFQ on
        ``ticker`` unless one is named). The desk's answer (RfqCreated or RfqRefused) is in
        the results."""
        if requester is not None and requester not in self.accounts:
            raise AdminCommandError(f"{requester} is not a simulated requester")
        if requester is None:
            busy = self._busy_on(ticker)
            requester = next((a for a in self.accounts if a not in busy), self.accounts[0])
        if quantity is None and cash_quantity is None:
            quantity = self.behaviour.sizes[0]
        return self._desk.create_rfq(
            creator=requester,
            ticker=ticker,
            quantity=quantity,
            cash_quantity=cash_quantity,
            now=now,
        )

    def accept(
        self,
        now: float,
        *,
        quote_id: str,
        side: AcceptSide | None = None,
        prefer_better: bool = False,
    ) -> list[RfqResult]:
        """Accept a maker's quote as the simulated requester whose RFQ it answers. Without a
        side, take the side that is better for the requester against the fair price."""
        quote = self._desk.quote(quote_id)
        rfq = self._desk.rfq(quote.rfq_id) if quote is not None else None
        if quote is None or rfq is None:
            raise AdminCommandError(f"unknown QuoteID {quote_id}")
        if rfq.creator not in self.accounts:
            raise AdminCommandError(f"quote {quote_id} is not on a simulated requester's RFQ")
        return self._desk.accept_quote(
            creator=rfq.creator,
            quote_id=quote_id,
            rfq_id=rfq.rfq_id,
            side=side if side is not None else self._better_side(quote)[0],
            prefer_better=prefer_better,
            now=now,
        )

    # --- inside -------------------------------------------------------------------------------

    def _interval(self) -> float:
        return self._rng.expovariate(1.0 / self.behaviour.mean_interval)

    def _busy_on(self, ticker: str) -> set[str]:
        return {
            rfq.creator
            for rfq in self._desk.rfqs()
            if rfq.ticker == ticker and rfq.state in LIVE_RFQ_STATES
        }

    def _create_one(self, now: float) -> list[RfqResult]:
        markets = list(self._open_markets())
        requester = self._rng.choice(self.accounts)
        size = self._rng.choice(self.behaviour.sizes)
        mine = {
            rfq.ticker
            for rfq in self._desk.rfqs()
            if rfq.creator == requester and rfq.state in LIVE_RFQ_STATES
        }
        free = [t for t in markets if t not in mine]
        if not free:
            return []
        ticker = self._rng.choice(free)
        return self._desk.create_rfq(creator=requester, ticker=ticker, quantity=size, now=now)

    def _cancel_stale(self, now: float) -> list[RfqResult]:
        out: list[RfqResult] = []
        for rfq in self._desk.rfqs():
            if rfq.creator not in self.accounts or rfq.state is not RfqState.OPEN:
                continue
            if now >= rfq.created_at + self.behaviour.rfq_lifetime:
                out += self._desk.cancel_rfq(creator=rfq.creator, rfq_id=rfq.rfq_id, now=now)
        return out

    def _better_side(self, quote: QuoteView) -> tuple[AcceptSide, Decimal]:
        """The side (and its edge against fair) a requester would take on ``quote``."""
        fair = clamp_fair(self._fair_price(quote.ticker))
        options = []
        if quote.no_bid > 0:
            edge = creator_edge(buy=True, yes_bid=quote.yes_bid, no_bid=quote.no_bid, fair=fair)
            options.append((edge, AcceptSide.BUY))
        if quote.yes_bid > 0:
            edge = creator_edge(buy=False, yes_bid=quote.yes_bid, no_bid=quote.no_bid, fair=fair)
            options.append((edge, AcceptSide.SELL))
        edge, side = max(options, key=lambda o: (o[0], o[1] is AcceptSide.BUY))
        return side, edge

    def _plan_accepts(self, now: float) -> None:
        b = self.behaviour
        for rfq in self._desk.rfqs():
            if rfq.creator not in self.accounts or rfq.state is not RfqState.OPEN:
                continue
            for quote in self._desk.quotes_on(rfq.rfq_id):
                key = (quote.quote_id, quote.entered_at)  # a QuoteID may come back re-quoted
                if quote.state is not QuoteState.PENDING or key in self._seen_quotes:
                    continue
                self._seen_quotes.add(key)
                side, edge = self._better_side(quote)
                delay = self._rng.uniform(*b.accept_delay)
                if edge < b.min_edge or self._rng.random() >= b.accept_probability:
                    continue
                self._order += 1
                self._accepts.append(
                    _PlannedAccept(
                        due=now + delay,
                        order=self._order,
                        creator=rfq.creator,
                        quote_id=quote.quote_id,
                        side=side,
                    )
                )
