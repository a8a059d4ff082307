"""The simulator's RFQ desk: RFQs, quotes, acceptance, confirmation and execution (SPEC §13).

Pure Python and sans-IO: no FIX, no sockets, no asyncio, no clock. Every call takes ``now``
(epoch seconds), **first runs every timer due by then** (so its results come in the order
things happened), then does what it was asked and returns the :mod:`results <.results>`, each
addressed to one account. :meth:`RfqDesk.advance` runs the timers alone and
:meth:`RfqDesk.next_deadline` says when to call it next.

The lifecycle (state tables in :mod:`.states`):

1. A creator (a FIX creator on KalshiRT, or a simulated requester) creates an RFQ on a market:
   a size in contracts or in cash (:mod:`.rules`). The desk gives it a server id and tells
   every registered maker (QuoteRequest) under the creator's pseudonym. A maker that registers
   later is told of every RFQ still taking quotes [Inferred].
2. Makers quote a YES bid and a NO bid for the full size. A new quote from the same maker on the
   same RFQ replaces the earlier one, which is cancelled (AI CANCELLED). A maker may cancel a
   quote that is not accepted.
3. The creator accepts one quote with a Side (:mod:`.sides`: BUY takes the NO bid, SELL the YES
   bid; with PreferBetterQuote the desk takes the best live quote at that side, which is at
   least as good as the one named; ties go to the named quote, then to the older quote).
4. The maker must confirm within the window (:mod:`.timers`: 30 s, 3 s HVM). **A missed window
   voids the quote**: the maker is told (AI CANCELLED, and U8 REJECTED if it confirms late), the
   creator is told (an unsolicited UC REJECTED) and **the RFQ is open again**, so the creator
   can accept another quote (SPEC §19.8 leaves the reaction open; this keeps the RFQ useful).
5. After the confirmation the execution timer (15 s, 1 s HVM) runs, then the desk reports
   :class:`~.results.RfqExecutionDue` (buyer, seller, YES price, quantity) for the exchange to
   trade, closes the RFQ and tells the other makers it is gone.

Closing: the creator may cancel an RFQ that is open or has an accepted quote not yet confirmed
(a confirmed trade cannot be cancelled). An RFQ still open 24 h after its creation expires; an
RFQ whose accepted quote is awaiting confirmation does not ("expire after 24 hours if not
cancelled or accepted"), but expires at once if that quote is then voided. Every maker told of
a closed RFQ gets a QuoteRequestReject (AG); an expiry also sends the creator an unsolicited
RFQCancelStatus EXPIRED.

**One open RFQ per (creator, market)**: an RFQ that is open or has an accepted quote counts.
A second is refused with "RFQ already exists" unless it carries **ReplaceExisting**. We read
ReplaceExisting by its newest wording (2026-08-05: "close older RFQs but keep the newest, so at
most two stay open including this one") and scope it to the RFQs the rule is about, the
creator's RFQs **on the same market**: of those, the newest is kept and every older one is
cancelled (its creator gets an unsolicited UB CANCELED, its makers an AG), so at most two are
open there afterwards, the new one included. The 2026-05 reading (cancel them all) is not
implemented.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from workstation.simulator.rfq.ids import Pseudonyms, RfqIdSource, UuidRfqIds
from workstation.simulator.rfq.market import MarketLookup, RfqMarket
from workstation.simulator.rfq.records import Acceptance, Quote, Rfq
from workstation.simulator.rfq.results import (
    AcceptAcknowledged,
    AcceptRefused,
    AcceptVoided,
    QuoteAccepted,
    QuoteCancelled,
    QuoteCancelRefused,
    QuoteConfirmed,
    QuoteConfirmRefused,
    QuoteOffered,
    QuotePending,
    QuoteRejected,
    QuoteRequested,
    QuoteRequestWithdrawn,
    RfqCancelled,
    RfqCancelRefused,
    RfqCreated,
    RfqExecutionDue,
    RfqExpired,
    RfqRefused,
    RfqResult,
)
from workstation.simulator.rfq.rules import (
    CONTRACT_STEP,
    RfqLimits,
    quote_price_problem,
    side_size,
    size_refusal,
)
from workstation.simulator.rfq.sides import AcceptSide, QuoteSide, bid_on, side_hit, trade_terms
from workstation.simulator.rfq.states import LIVE_RFQ_STATES, QuoteState, RfqState
from workstation.simulator.rfq.timers import RfqTimings
from workstation.simulator.rfq.types import (
    AcceptProblem,
    CloseReason,
    QuoteCancelReason,
    RequestRejectReason,
)
from workstation.simulator.rfq.views import QuoteView, RfqView

__all__ = ["RfqDesk"]

ZERO = Decimal(0)


class RfqDesk:
    """Every RFQ of the simulator, both roles. See the module docstring for the rules."""

    def __init__(
        self,
        *,
        markets: MarketLookup,
        ids: RfqIdSource | None = None,
        timings: RfqTimings | None = None,
        limits: RfqLimits | None = None,
    ) -> None:
        self._markets = markets
        self._ids: RfqIdSource = ids if ids is not None else UuidRfqIds()
        self.timings = timings if timings is not None else RfqTimings()
        self.limits = limits if limits is not None else RfqLimits()
        self._requesters = Pseudonyms(self._ids)
        self._quoters = Pseudonyms(self._ids)
        self._makers: dict[str, None] = {}  # an ordered set
        self._rfqs: dict[str, Rfq] = {}
        self._live: dict[str, Rfq] = {}  # RFQs not yet final, by id, in creation order
        self._by_client_id: dict[tuple[str, str], Rfq] = {}  # newest RFQ per client id
        self._quotes: dict[str, Quote] = {}  # newest quote per QuoteID
        self._seq = 0
        self._changes = 0

    # --- makers -------------------------------------------------------------------------------

    def register_maker(self, account: str, now: float) -> list[RfqResult]:
        """A maker's RFQ session is up: it is told of new RFQs from now on, and at once of each
        RFQ still taking quotes that it has not been told of."""
        out = self._begin(now)
        self._makers[account] = None
        for rfq in self._live.values():
            if rfq.state in LIVE_RFQ_STATES:
                self._tell(rfq, account, now, out)
        return out

    def unregister_maker(self, account: str) -> None:
        """A maker's RFQ session is gone: it is told of nothing more. Its quotes stay. When it
        registers again it is told of the RFQs still taking quotes afresh."""
        self._makers.pop(account, None)
        for rfq in self._live.values():
            if account in rfq.told:
                rfq.told.remove(account)

    def makers(self) -> tuple[str, ...]:
        return tuple(self._makers)

    # --- the creator's side -------------------------------------------------------------------

    def create_rfq(
        self,
        *,
        creator: str,
        ticker: str,
        now: float,
        quantity: Decimal | None = None,
        cash_quantity: Decimal | None = None,
        client_rfq_id: str | None = None,
        rest_remainder: bool = False,
        replace_existing: bool = False,
    ) -> list[RfqResult]:
        """QuoteRequest (R) from a creator: RfqCreated and a QuoteRequested per maker, or
        RfqRefused."""
        out = self._begin(now)

        def refuse(reason: RequestRejectReason, text: str) -> list[RfqResult]:
            out.append(
                RfqRefused(
                    creator=creator,
                    transact_time=now,
                    client_rfq_id=client_rfq_id,
                    ticker=ticker,
                    reason=reason,
                    text=text,
                )
            )
            return out

        market = self._markets(ticker)
        if market is None:
            return refuse(RequestRejectReason.UNKNOWN_SYMBOL, f"unknown market {ticker}")
        if not market.open:
            return refuse(RequestRejectReason.OTHER, f"market {ticker} is not open")
        size = size_refusal(quantity, cash_quantity, self.limits)
        if size is not None:
            return refuse(size.reason, size.text)
        if client_rfq_id is not None:
            same_id = self._by_client_id.get((creator, client_rfq_id))
            if same_id is not None and same_id.state in LIVE_RFQ_STATES:
                return refuse(
                    RequestRejectReason.OTHER, f"QuoteReqID {client_rfq_id} is already in use"
                )
        existing = [
            r
            for r in self._live.values()
            if r.creator == creator and r.ticker == ticker and r.state in LIVE_RFQ_STATES
        ]
        if existing and not replace_existing:
            return refuse(RequestRejectReason.OTHER, "RFQ already exists")
        for older in existing[:-1]:  # keep the newest: at most two open with the new one
            self._close(older, RfqState.CANCELLED, CloseReason.REPLACED, now, out)

        rfq = self._new_rfq(
            creator=creator,
            market=market,
            now=now,
            quantity=quantity,
            cash_quantity=cash_quantity,
            client_rfq_id=client_rfq_id,
            rest_remainder=rest_remainder,
            replace_existing=replace_existing,
        )
        out.append(
            RfqCreated(
                creator=creator,
                transact_time=now,
                rfq_id=rfq.rfq_id,
                client_rfq_id=client_rfq_id,
                ticker=ticker,
                quantity=quantity,
                cash_quantity=cash_quantity,
                expires_at=rfq.expires_at,
            )
        )
        for maker in self._makers:
            self._tell(rfq, maker, now, out)
        return out

    def accept_quote(
        self,
        *,
        creator: str,
        quote_id: str,
        side: AcceptSide,
        now: float,
        rfq_id: str | None = None,
        quantity: Decimal | None = None,
        cl_ord_id: str | None = None,
        prefer_better: bool = False,
    ) -> list[RfqResult]:
        """AcceptQuote (UA), or 35=D with QuoteID: AcceptAcknowledged and QuoteAccepted to the
        maker, or AcceptRefused."""
        out = self._begin(now)

        def refuse(problem: AcceptProblem, text: str) -> list[RfqResult]:
            out.append(
                AcceptRefused(
                    creator=creator,
                    transact_time=now,
                    quote_id=quote_id,
                    rfq_id=rfq_id,
                    cl_ord_id=cl_ord_id,
                    problem=problem,
                    text=text,
                )
            )
            return out

        named = self._quotes.get(quote_id)
        rfq = self._rfqs[named.rfq_id] if named is not None else None
        if named is None or rfq is None or rfq.creator != creator:
            return refuse(AcceptProblem.UNKNOWN_QUOTE, f"unknown QuoteID {quote_id}")
        if rfq_id is not None and rfq_id != rfq.rfq_id:
            return refuse(
                AcceptProblem.WRONG_RFQ, f"quote {quote_id} does not belong to RFQ {rfq_id}"
            )
        if rfq.state is RfqState.EXPIRED:
            return refuse(AcceptProblem.EXPIRED, "EXPIRED: the RFQ has expired")
        if rfq.state is RfqState.ACCEPTED:
            return refuse(
                AcceptProblem.RFQ_BUSY,
                "the RFQ already has an accepted quote waiting for its confirmation",
            )
        if rfq.state is not RfqState.OPEN:
            return refuse(AcceptProblem.RFQ_CLOSED, f"the RFQ is {rfq.state.value}")
        if named.state is not QuoteState.PENDING:
            return refuse(AcceptProblem.QUOTE_NOT_LIVE, f"quote {quote_id} is {named.state.value}")
        market = self._markets(rfq.ticker)
        if market is None or not market.open:
            return refuse(AcceptProblem.MARKET_CLOSED, f"market {rfq.ticker} is not open")
        hit = side_hit(side)
        if bid_on(hit, yes_bid=named.yes_bid, no_bid=named.no_bid) == ZERO:
            return refuse(
                AcceptProblem.SIDE_NOT_QUOTED,
                f"quote {quote_id} has no {hit.name} bid to {side.name.lower()} against",
            )
        chosen = self._best_quote(rfq, named, side) if prefer_better else named
        terms = trade_terms(side, yes_bid=chosen.yes_bid, no_bid=chosen.no_bid)
        available = chosen.yes_size if hit is QuoteSide.YES else chosen.no_size
        if quantity is not None:
            problem = self._accept_quantity_problem(rfq, quantity, available)
            if problem is not None:
                return refuse(AcceptProblem.BAD_QUANTITY, problem)
            available = quantity
        if available <= ZERO:
            return refuse(
                AcceptProblem.BAD_QUANTITY, "the RFQ's cash size buys no contracts at this price"
            )

        chosen.move(QuoteState.ACCEPTED)
        rfq.move(RfqState.ACCEPTED)
        acceptance = Acceptance(
            quote=chosen,
            side=side,
            side_hit=hit,
            yes_price=terms.yes_price,
            quantity=available,
            cl_ord_id=cl_ord_id,
            accepted_at=now,
            confirm_by=self.timings.confirm_by(now, high_volatility=rfq.high_volatility),
        )
        rfq.acceptance = acceptance
        out.append(
            AcceptAcknowledged(
                creator=creator,
                transact_time=now,
                quote_id=quote_id,
                accepted_quote_id=chosen.quote_id,
                rfq_id=rfq.rfq_id,
                cl_ord_id=cl_ord_id,
                side=side,
                yes_price=acceptance.yes_price,
                quantity=acceptance.quantity,
                confirm_by=acceptance.confirm_by,
            )
        )
        out.append(
            QuoteAccepted(
                maker=chosen.maker,
                transact_time=now,
                quote_id=chosen.quote_id,
                rfq_id=rfq.rfq_id,
                ticker=rfq.ticker,
                accepted_side=hit,
                yes_bid=chosen.yes_bid,
                no_bid=chosen.no_bid,
                yes_price=acceptance.yes_price,
                quantity=acceptance.quantity,
                confirm_by=acceptance.confirm_by,
            )
        )
        return out

    def cancel_rfq(
        self,
        *,
        creator: str,
        now: float,
        client_rfq_id: str | None = None,
        rfq_id: str | None = None,
    ) -> list[RfqResult]:
        """RFQCancel (UE) by client id (131) or server id (21023): RfqCancelled and an AG to
        each maker told of it, or RfqCancelRefused."""
        out = self._begin(now)
        echo = client_rfq_id if client_rfq_id is not None else rfq_id

        def refuse(text: str) -> list[RfqResult]:
            out.append(
                RfqCancelRefused(
                    creator=creator,
                    transact_time=now,
                    echo_id=echo or "",
                    rfq_id=rfq_id,
                    text=text,
                )
            )
            return out

        if echo is None:
            return refuse("QuoteReqID or RfqId is required")
        rfq = self._find_rfq(creator, client_rfq_id, rfq_id)
        if rfq is None:
            return refuse(f"unknown RFQ {echo}")
        if client_rfq_id is not None and rfq.client_rfq_id != client_rfq_id:
            return refuse(f"QuoteReqID {client_rfq_id} and RfqId {rfq_id} name different RFQs")
        if rfq.state is RfqState.CONFIRMED:
            return refuse("the RFQ's trade is confirmed and executing: it cannot be cancelled")
        if rfq.state not in LIVE_RFQ_STATES:
            return refuse(f"the RFQ is already {rfq.state.value}")
        self._close(
            rfq, RfqState.CANCELLED, CloseReason.CANCELLED_BY_CREATOR, now, out, echo_id=echo
        )
        return out

    # --- the maker's side ---------------------------------------------------------------------

    def submit_quote(
        self,
        *,
        maker: str,
        quote_id: str,
        rfq_id: str,
        yes_bid: Decimal,
        no_bid: Decimal,
        now: float,
        ticker: str | None = None,
        rest_remainder: bool = False,
        post_only: bool = False,
    ) -> list[RfqResult]:
        """Quote (S) from a maker: QuotePending and QuoteOffered to the creator (after a
        QuoteCancelled REPLACED for the maker's earlier quote), or QuoteRejected."""
        out = self._begin(now)

        def reject(text: str) -> list[RfqResult]:
            out.append(
                QuoteRejected(
                    maker=maker, transact_time=now, quote_id=quote_id, rfq_id=rfq_id, text=text
                )
            )
            return out

        if not quote_id:
            return reject("QuoteID is required")
        rfq = self._rfqs.get(rfq_id)
        if rfq is None:
            return reject(f"unknown QuoteReqID {rfq_id}")
        if ticker is not None and ticker != rfq.ticker:
            return reject(f"Symbol {ticker} is not the RFQ's market {rfq.ticker}")
        if maker == rfq.creator:
            return reject("a maker cannot quote its own RFQ")
        if rfq.state not in LIVE_RFQ_STATES:
            return reject(f"the RFQ is {rfq.state.value}")
        market = self._markets(rfq.ticker)
        if market is None or not market.open:
            return reject(f"market {rfq.ticker} is not open")
        problem = quote_price_problem(yes_bid, no_bid, market.tick)
        if problem is not None:
            return reject(problem)
        same_id = self._quotes.get(quote_id)
        if same_id is not None and (same_id.maker != maker or same_id.rfq_id != rfq_id):
            return reject(f"QuoteID {quote_id} is already in use")
        earlier = rfq.live_quote_of(maker)
        if earlier is not None and earlier.state is not QuoteState.PENDING:
            return reject(
                f"quote {earlier.quote_id} on this RFQ is {earlier.state.value}: "
                "it can no longer be replaced"
            )
        if earlier is not None:
            earlier.move(QuoteState.REPLACED)
            out.append(
                QuoteCancelled(
                    maker=maker,
                    transact_time=now,
                    quote_id=earlier.quote_id,
                    rfq_id=rfq_id,
                    reason=QuoteCancelReason.REPLACED,
                )
            )
        self._seq += 1
        quote = Quote(
            quote_id=quote_id,
            rfq_id=rfq_id,
            maker=maker,
            quoter=self._quoters.of(maker),
            ticker=rfq.ticker,
            yes_bid=yes_bid,
            no_bid=no_bid,
            yes_size=side_size(yes_bid, quantity=rfq.quantity, cash_quantity=rfq.cash_quantity),
            no_size=side_size(no_bid, quantity=rfq.quantity, cash_quantity=rfq.cash_quantity),
            rest_remainder=rest_remainder,
            post_only=post_only,
            entered_at=now,
            seq=self._seq,
        )
        rfq.quotes.append(quote)
        self._quotes[quote_id] = quote
        out.append(
            QuotePending(
                maker=maker,
                transact_time=now,
                quote_id=quote_id,
                rfq_id=rfq_id,
                ticker=rfq.ticker,
                yes_bid=yes_bid,
                no_bid=no_bid,
                quantity=rfq.quantity,
                yes_size=quote.yes_size,
                no_size=quote.no_size,
            )
        )
        out.append(
            QuoteOffered(
                creator=rfq.creator,
                transact_time=now,
                rfq_id=rfq_id,
                client_rfq_id=rfq.client_rfq_id,
                quote_id=quote_id,
                ticker=rfq.ticker,
                yes_bid=yes_bid,
                no_bid=no_bid,
                quantity=rfq.quantity,
                yes_size=quote.yes_size,
                no_size=quote.no_size,
                quoter=quote.quoter,
            )
        )
        return out

    def cancel_quote(
        self, *, maker: str, quote_id: str, now: float, rfq_id: str | None = None
    ) -> list[RfqResult]:
        """QuoteCancel (Z): QuoteCancelled, or QuoteCancelRefused (unknown, or accepted)."""
        out = self._begin(now)

        def refuse(text: str) -> list[RfqResult]:
            out.append(
                QuoteCancelRefused(maker=maker, transact_time=now, quote_id=quote_id, text=text)
            )
            return out

        quote = self._quotes.get(quote_id)
        if quote is None or quote.maker != maker:
            return refuse(f"unknown QuoteID {quote_id}")
        if rfq_id is not None and quote.rfq_id != rfq_id:
            return refuse(f"quote {quote_id} does not belong to RFQ {rfq_id}")
        if quote.state in (QuoteState.ACCEPTED, QuoteState.CONFIRMED, QuoteState.EXECUTED):
            return refuse(f"quote {quote_id} is {quote.state.value}: it cannot be cancelled")
        if quote.state is not QuoteState.PENDING:
            return refuse(f"quote {quote_id} is already {quote.state.value}")
        quote.move(QuoteState.CANCELLED)
        out.append(
            QuoteCancelled(
                maker=maker,
                transact_time=now,
                quote_id=quote_id,
                rfq_id=quote.rfq_id,
                reason=QuoteCancelReason.BY_MAKER,
            )
        )
        return out

    def confirm_quote(
        self, *, maker: str, quote_id: str, now: float, rfq_id: str | None = None
    ) -> list[RfqResult]:
        """QuoteConfirm (U7): QuoteConfirmed (the execution timer starts), or
        QuoteConfirmRefused (late: the quote was voided; unknown; not accepted)."""
        out = self._begin(now)

        def refuse(text: str) -> list[RfqResult]:
            out.append(
                QuoteConfirmRefused(maker=maker, transact_time=now, quote_id=quote_id, text=text)
            )
            return out

        quote = self._quotes.get(quote_id)
        if quote is None or quote.maker != maker:
            return refuse(f"unknown QuoteID {quote_id}")
        if rfq_id is not None and quote.rfq_id != rfq_id:
            return refuse(f"quote {quote_id} does not belong to RFQ {rfq_id}")
        rfq = self._rfqs[quote.rfq_id]
        match quote.state:
            case QuoteState.ACCEPTED:
                pass
            case QuoteState.VOIDED:
                return refuse("too late: the confirmation window has passed and the quote is void")
            case QuoteState.PENDING:
                return refuse(f"quote {quote_id} has not been accepted")
            case QuoteState.CONFIRMED | QuoteState.EXECUTED:
                return refuse(f"quote {quote_id} is already confirmed")
            case QuoteState.CLOSED:
                reason = rfq.close_reason.value if rfq.close_reason else rfq.state.value
                return refuse(f"quote {quote_id} is closed: {reason}")
            case _:
                return refuse(f"quote {quote_id} is {quote.state.value}")
        acceptance = rfq.acceptance
        assert acceptance is not None and acceptance.quote is quote
        quote.move(QuoteState.CONFIRMED)
        rfq.move(RfqState.CONFIRMED)
        acceptance.execute_at = self.timings.execute_at(now, high_volatility=rfq.high_volatility)
        out.append(
            QuoteConfirmed(
                maker=maker,
                transact_time=now,
                quote_id=quote_id,
                rfq_id=rfq.rfq_id,
                execute_at=acceptance.execute_at,
            )
        )
        return out

    # --- time ---------------------------------------------------------------------------------

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

    # --- reading ------------------------------------------------------------------------------

    def rfq(self, rfq_id: str) -> RfqView | None:
        rfq = self._rfqs.get(rfq_id)
        return rfq.view() if rfq is not None else None

    def quote(self, quote_id: str) -> QuoteView | None:
        quote = self._quotes.get(quote_id)
        return quote.view() if quote is not None else None

    def rfqs(self, *, live_only: bool = True) -> list[RfqView]:
        """RFQs in creation order: those not final (open, accepted, confirmed), or all."""
        source = self._live if live_only else self._rfqs
        return [rfq.view() for rfq in source.values()]

    def quotes_on(self, rfq_id: str) -> list[QuoteView]:
        """Every quote entered on an RFQ, oldest first (empty for an unknown RFQ)."""
        rfq = self._rfqs.get(rfq_id)
        return [q.view() for q in rfq.quotes] if rfq is not None else []

    def new_quote_id(self) -> str:
        """A fresh QuoteID, for a simulated maker."""
        return self._ids.quote_id()

    # --- persistence (the state directory) -----------------------------------------------------

    @property
    def changes(self) -> int:
        """Rises with every call that may have changed an RFQ, a quote or a pseudonym: a
        writer that saw the same number last time has nothing new to write."""
        return self._changes

    @property
    def seq(self) -> int:
        """The last creation number given to an RFQ or a quote."""
        return self._seq

    def records(self, *, after_seq: int = 0, also: Iterable[str] = ()) -> list[Rfq]:
        """The desk's own records (not copies; read them, do not change them) of the RFQs
        not yet final, those created after ``after_seq`` and those named in ``also``, in
        creation order: every RFQ that changed since a writer's last look, when it passes the
        :attr:`seq` and the live ids it saw then."""
        chosen = dict(self._live)
        for rfq in reversed(self._rfqs.values()):
            if rfq.seq <= after_seq:
                break
            chosen[rfq.rfq_id] = rfq
        for rfq_id in also:
            named = self._rfqs.get(rfq_id)
            if named is not None:
                chosen[rfq_id] = named
        return sorted(chosen.values(), key=lambda r: r.seq)

    def live_ids(self) -> list[str]:
        """The ids of the RFQs not yet final."""
        return list(self._live)

    def pseudonyms(self) -> tuple[dict[str, str], dict[str, str]]:
        """(account → requester pseudonym, account → quoter pseudonym), copies."""
        return self._requesters.known(), self._quoters.known()

    def restore(
        self,
        rfqs: Iterable[Rfq],
        *,
        seq: int,
        requesters: dict[str, str],
        quoters: dict[str, str],
    ) -> None:
        """Take back what an earlier run kept (the state directory), into an empty desk.

        No maker is registered after a restart, so no RFQ counts anyone as told: a maker that
        logs on again is told afresh of every RFQ still taking quotes, as after any logoff.
        Timers carry on from the records' times; the first call runs those already due.
        """
        if self._rfqs:
            raise RuntimeError("an RFQ desk can only be restored while it is empty")
        quotes: list[Quote] = []
        for rfq in sorted(rfqs, key=lambda r: r.seq):
            rfq.told.clear()
            self._rfqs[rfq.rfq_id] = rfq
            if rfq.state not in _FINAL_STATES:
                self._live[rfq.rfq_id] = rfq
            if rfq.client_rfq_id is not None:
                self._by_client_id[(rfq.creator, rfq.client_rfq_id)] = rfq
            quotes += rfq.quotes
            seq = max(seq, rfq.seq)
        for quote in sorted(quotes, key=lambda q: q.seq):
            self._quotes[quote.quote_id] = quote
            seq = max(seq, quote.seq)
        self._seq = seq
        self._requesters.restore(requesters)
        self._quoters.restore(quoters)

    # --- inside -------------------------------------------------------------------------------

    def _begin(self, now: float) -> list[RfqResult]:
        """The start of every call that acts: note a change, run the timers due."""
        self._changes += 1
        return self._run_timers(now)

    def _new_rfq(
        self,
        *,
        creator: str,
        market: RfqMarket,
        now: float,
        quantity: Decimal | None,
        cash_quantity: Decimal | None,
        client_rfq_id: str | None,
        rest_remainder: bool,
        replace_existing: bool,
    ) -> Rfq:
        self._seq += 1
        rfq = Rfq(
            rfq_id=self._ids.rfq_id(),
            client_rfq_id=client_rfq_id,
            creator=creator,
            requester=self._requesters.of(creator),
            ticker=market.ticker,
            quantity=quantity,
            cash_quantity=cash_quantity,
            rest_remainder=rest_remainder,
            replace_existing=replace_existing,
            high_volatility=market.high_volatility,
            created_at=now,
            expires_at=self.timings.expires_at(now),
            seq=self._seq,
        )
        self._rfqs[rfq.rfq_id] = rfq
        self._live[rfq.rfq_id] = rfq
        if client_rfq_id is not None:
            self._by_client_id[(creator, client_rfq_id)] = rfq
        return rfq

    def _tell(self, rfq: Rfq, maker: str, now: float, out: list[RfqResult]) -> None:
        if maker == rfq.creator or maker in rfq.told:
            return
        rfq.told.append(maker)
        out.append(
            QuoteRequested(
                maker=maker,
                transact_time=now,
                rfq_id=rfq.rfq_id,
                ticker=rfq.ticker,
                quantity=rfq.quantity,
                cash_quantity=rfq.cash_quantity,
                requester=rfq.requester,
                expires_at=rfq.expires_at,
            )
        )

    def _find_rfq(self, creator: str, client_rfq_id: str | None, rfq_id: str | None) -> Rfq | None:
        if rfq_id is not None:
            rfq = self._rfqs.get(rfq_id)
            return rfq if rfq is not None and rfq.creator == creator else None
        assert client_rfq_id is not None
        return self._by_client_id.get((creator, client_rfq_id))

    @staticmethod
    def _best_quote(rfq: Rfq, named: Quote, side: AcceptSide) -> Quote:
        """The live quote paying the most on the side ``side`` takes (so the creator's price
        is at least as good as ``named``'s); ties go to ``named``, then to the oldest."""
        hit = side_hit(side)
        candidates = [
            q
            for q in rfq.pending_quotes()
            if bid_on(hit, yes_bid=q.yes_bid, no_bid=q.no_bid) > ZERO
        ]
        return min(
            candidates,
            key=lambda q: (
                -bid_on(hit, yes_bid=q.yes_bid, no_bid=q.no_bid),
                q is not named,
                q.seq,
            ),
        )

    @staticmethod
    def _accept_quantity_problem(rfq: Rfq, quantity: Decimal, available: Decimal) -> str | None:
        if not quantity.is_finite() or quantity <= ZERO or quantity % CONTRACT_STEP != 0:
            return f"OrderQty {quantity} must be a positive multiple of 0.01"
        if rfq.quantity is not None and quantity != rfq.quantity:
            return f"OrderQty {quantity} must equal the RFQ size {rfq.quantity}"
        if quantity > available:
            return f"OrderQty {quantity} exceeds the {available} contracts the cash size buys"
        return None

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

    def _close(
        self,
        rfq: Rfq,
        state: RfqState,
        reason: CloseReason,
        at: float,
        out: list[RfqResult],
        *,
        echo_id: str | None = None,
    ) -> None:
        """Make ``rfq`` final: its live quotes close, the creator and its makers are told."""
        winner = (
            rfq.acceptance.quote.maker if state is RfqState.EXECUTED and rfq.acceptance else None
        )
        for quote in rfq.quotes:
            if quote.state in (QuoteState.PENDING, QuoteState.ACCEPTED):
                quote.move(QuoteState.CLOSED)
        rfq.move(state)
        rfq.closed_at = at
        rfq.close_reason = reason
        del self._live[rfq.rfq_id]
        fallback = rfq.client_rfq_id if rfq.client_rfq_id is not None else rfq.rfq_id
        if state is RfqState.CANCELLED:
            out.append(
                RfqCancelled(
                    creator=rfq.creator,
                    transact_time=at,
                    rfq_id=rfq.rfq_id,
                    client_rfq_id=rfq.client_rfq_id,
                    echo_id=echo_id if echo_id is not None else fallback,
                    reason=reason,
                    solicited=echo_id is not None,
                )
            )
        elif state is RfqState.EXPIRED:
            out.append(
                RfqExpired(
                    creator=rfq.creator,
                    transact_time=at,
                    rfq_id=rfq.rfq_id,
                    client_rfq_id=rfq.client_rfq_id,
                    echo_id=fallback,
                )
            )
        for maker in rfq.told:
            if maker in self._makers and maker != winner:
                out.append(
                    QuoteRequestWithdrawn(
                        maker=maker, transact_time=at, rfq_id=rfq.rfq_id, reason=reason
                    )
                )


_FINAL_STATES = frozenset({RfqState.EXECUTED, RfqState.CANCELLED, RfqState.EXPIRED})


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
