"""The RFQ desk on the venue: sessions in, desk calls, every desk result routed out.

:func:`install_rfq_gateway` puts one :class:`~workstation.simulator.rfq.RfqDesk` on a venue
with the KalshiRFQ maker handlers (:mod:`.rfq_maker`), the KalshiRT creator handlers
(:mod:`.rfq_creator`, where the dialect has them), simulated participants, and the admin
port's :class:`~workstation.simulator.admin.rfq_control.RfqControl` (:class:`RfqBridge`
implements it).

Theory of operation
-------------------
**Makers.** An account is a registered maker while it has a KalshiRFQ session logged on: the
bridge compares the desk's makers with the venue's KalshiRFQ sessions on every tick and before
every desk call (the venue has no logon hook), so a maker that logs on is told of every RFQ
still taking quotes, and one whose last KalshiRFQ session closes (``on_disconnect``) is told of
nothing more; its quotes stay.

**Routing.** Every desk call goes through :meth:`RfqBridge.act` (or the tick): bring the makers
up to date, call the desk, step the simulated participants, then route every result in order:

- a record for a maker → :func:`~.rfq_maker.maker_messages` to each of that account's
  KalshiRFQ sessions (none for a simulated maker);
- a record for a creator → :meth:`~.rfq_creator.CreatorGateway.messages_for` to one KalshiRT
  session: the answer to a request goes to the session that sent it; anything later about an
  RFQ (quotes, a voided acceptance, an unsolicited cancel or expiry) to the session that created
  it while it is logged on, else to every KalshiRT session of the account (never a listener);
  nothing on a dialect without the creator flow (its creators are all simulated);
- :class:`~workstation.simulator.rfq.results.RfqExecutionDue` → the block trade.

**The trade.** The exchange books it off the book (:mod:`..exchange.block_trades`): an order per
side — the creator's under its acceptance's ClOrdID (or the QuoteID when it gave none; the
NewOrderSingle's ClOrdID and OrderID when it accepted by 35=D), the maker's under its QuoteID —
filled at once with fees, collateral and positions. Its reports reach both accounts the way a
book trade's reach the trader: the account's order sessions (KalshiNR and KalshiRT, all of
them: no session placed these orders) get them directly, and the results are published to the
venue, whose report fan-out sends them to the account's listener sessions and keeps them in
the drop-copy history. A refused trade (a side can no longer afford it, the market stopped
trading) reaches the order sessions as ER rejects.

**Simulated participants.** Requesters (:class:`~workstation.simulator.rfq.SimulatedRequesters`)
always run, so a human maker has RFQs to quote; simulated makers answer RFQs of human creators
only. The admin port's ``rfq_request``/``rfq_accept`` act as *hand* requesters: simulated
accounts the bridge never steps, so an injected RFQ stays open and is accepted only when the
admin says so (the automatic requesters would otherwise accept or cancel it on their own).
Simulated accounts are funded on their first trade. Their seeds come from the venue settings.

**High volatility.** The desk asks :attr:`RfqSettings.high_volatility` of a market's ticker
(default: Kalshi's combo/MVE tickers, ``KXMVE…``) for the 3 s / 1 s timers (SPEC §13.1).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, TypeVar

from workstation.fix.dialect import SessionType
from workstation.fix.dictionary import field_def
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import BusinessRejectReason
from workstation.fix.messages.errors import MessageError, RejectKind, SessionRejectReason
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.messages.rfq_maker import QuoteConfirmStatusReport
from workstation.fix.session_validate import HEADER_TAGS
from workstation.fix.values import format_utc_timestamp
from workstation.simulator.client import ClientSession
from workstation.simulator.exchange.block_trades import BlockTrade, BlockTradeSide
from workstation.simulator.exchange.market import MarketStatus
from workstation.simulator.exchange.results import OrderAccepted, OrderFilled, OrderRejected
from workstation.simulator.exchange.types import Side as BookSide
from workstation.simulator.gateway import OrderGateway
from workstation.simulator.gateway.fanout import Outbound, ReportFanout
from workstation.simulator.gateway.order_entry import ORDER_SESSIONS
from workstation.simulator.gateway.reports import NO_ECHO, OrderEcho, ReportStyle, render
from workstation.simulator.gateway.rfq_creator import (
    ANSWERS,
    CreatorGateway,
    CreatorRecord,
)
from workstation.simulator.gateway.rfq_maker import MAKER_RECORDS, MakerGateway, maker_messages
from workstation.simulator.gateway.rfq_state import SavedDesk, SavedRfq
from workstation.simulator.rfq import (
    AcceptAcknowledged,
    AcceptRefused,
    AcceptSide,
    AcceptVoided,
    MakerBehaviour,
    QuoteOffered,
    QuoteRequested,
    RequesterBehaviour,
    RfqCancelled,
    RfqCancelRefused,
    RfqCreated,
    RfqDesk,
    RfqExecutionDue,
    RfqExpired,
    RfqIdSource,
    RfqLimits,
    RfqMarket,
    RfqRefused,
    RfqResult,
    RfqTimings,
    SimulatedMakers,
    SimulatedRequesters,
    rfq_market,
)
from workstation.simulator.rfq.records import Rfq
from workstation.simulator.venue import Venue

__all__ = [
    "RfqBridge",
    "RfqSettings",
    "install_rfq_gateway",
    "is_combo_ticker",
]

_log = logging.getLogger(__name__)

T = TypeVar("T")


def is_combo_ticker(ticker: str) -> bool:
    """Kalshi's combo (multivariate) markets, all High-Volatility Markets (SPEC §13.1)."""
    return ticker.startswith("KXMVE")


def _accounts(kind: str, count: int) -> tuple[str, ...]:
    return tuple(f"sim-rfq-{kind}-{n}" for n in range(1, count + 1))


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqSettings:
    """The RFQ gateway's participants and rules."""

    #: automatic requesters: create RFQs for human makers, accept some quotes, cancel stale RFQs
    requesters: tuple[str, ...] = _accounts("requester", 3)
    #: simulated makers: quote human creators' RFQs and confirm what they are accepted on
    makers: tuple[str, ...] = _accounts("maker", 3)
    #: hand requesters: the admin port's rfq_request/rfq_accept act as these
    hand_requesters: tuple[str, ...] = _accounts("admin", 4)
    requester_behaviour: RequesterBehaviour = field(default_factory=RequesterBehaviour)
    maker_behaviour: MakerBehaviour = field(default_factory=MakerBehaviour)
    #: what a simulated account is funded with before its first trade, dollars
    funds: Decimal = Decimal(1_000_000)
    timings: RfqTimings = field(default_factory=RfqTimings)
    limits: RfqLimits = field(default_factory=RfqLimits)
    high_volatility: Callable[[str], bool] = is_combo_ticker


class RfqBridge:
    """The RFQ desk on one venue; see the module docstring. Implements ``RfqControl``."""

    def __init__(
        self,
        venue: Venue,
        fanout: ReportFanout,
        settings: RfqSettings | None = None,
        *,
        ids: RfqIdSource | None = None,
    ) -> None:
        self.venue = venue
        self.fanout = fanout
        self.settings = settings if settings is not None else RfqSettings()
        s = self.settings
        seed = venue.settings.seed
        self.desk = RfqDesk(markets=self._market, ids=ids, timings=s.timings, limits=s.limits)
        self.requesters = SimulatedRequesters(
            self.desk,
            accounts=s.requesters,
            open_markets=self._open_markets,
            fair_price=self._fair_price,
            seed=seed,
            behaviour=s.requester_behaviour,
        )
        self.hand = SimulatedRequesters(
            self.desk,
            accounts=s.hand_requesters,
            open_markets=self._open_markets,
            fair_price=self._fair_price,
            seed=seed + 2,
            behaviour=RequesterBehaviour(accept_probability=0.0),
        )
        self.makers = SimulatedMakers(
            self.desk,
            accounts=s.makers,
            fair_price=self._fair_price,
            seed=seed + 1,
            behaviour=s.maker_behaviour,
            ignore_creators=(*s.requesters, *s.hand_requesters),
        )
        self._simulated = frozenset((*s.requesters, *s.makers, *s.hand_requesters))
        self.creator = CreatorGateway(self)
        self._origin: dict[str, str] = {}  #: RfqId -> tag of the KalshiRT session that made it
        self._quote_alloc: dict[str, int] = {}  #: QuoteID -> AllocAccount of the quote
        self._rfq_alloc: dict[tuple[str, str], int] = {}  #: (creator, QuoteReqID) -> 79
        #: called with ``now`` after results were routed (the state directory writes then, in
        #: the same event-loop step, so the messages leave only after the desk is on disk)
        self._after_route: list[Callable[[float], None]] = []

    # ------------------------------------------------------------------ the desk's world

    def _market(self, ticker: str) -> RfqMarket | None:
        exchange = self.venue.exchange
        market = exchange.market(ticker)
        if market is None:
            return None
        view = rfq_market(market, high_volatility=self.settings.high_volatility(ticker))
        return replace(view, open=view.open and not exchange.state.exchange_paused)

    def _open_markets(self) -> list[str]:
        exchange = self.venue.exchange
        if exchange.state.exchange_paused:
            return []
        return [m.ticker for m in exchange.markets() if m.status is MarketStatus.OPEN]

    def _fair_price(self, ticker: str) -> Decimal | None:
        """The mid of the book when it has both sides, else the market's reference price."""
        exchange = self.venue.exchange
        market = exchange.market(ticker)
        if market is None:
            return None
        bid = exchange.best_price(ticker, BookSide.BUY)
        ask = exchange.best_price(ticker, BookSide.SELL)
        if bid is not None and ask is not None:
            return (bid + ask) / 2
        return market.reference_price

    # ------------------------------------------------------------------ for the handlers

    def read(
        self,
        client: ClientSession,
        msg: FixMessage,
        parse: Callable[[FixMessage, PriceFormat], T],
    ) -> T | None:
        """The typed message in ``msg``, or None when it was refused (and answered): a
        listener session, an undefined tag (Reject 373=3), whatever ``parse`` refuses."""
        if self.fanout.refuse_listener(client, msg):
            return None
        try:
            for tag, _ in msg.fields:
                if tag not in HEADER_TAGS and field_def(tag, msg.msg_type) is None:
                    raise MessageError(
                        SessionRejectReason.UNDEFINED_TAG, tag, "Undefined tag received"
                    )
            return parse(msg, client.price_format)
        except MessageError as error:
            if error.kind is RejectKind.SESSION:
                self.venue.reject(client, msg, error.reason, error.text, error.tag)
            else:
                self.fanout.business_reject(
                    client, msg, error.reason, error.text, ref_tag=error.tag, ref_id=_ref_id(msg)
                )
            return None

    def business_reject(
        self, client: ClientSession, msg: FixMessage, text: str, tag: int | None = None
    ) -> None:
        """BusinessMessageReject 380=0 (Other) about an RFQ message, with the reason."""
        self.fanout.business_reject(
            client, msg, BusinessRejectReason.OTHER, text, ref_tag=tag, ref_id=_ref_id(msg)
        )

    def sub_account_problem(self, client: ClientSession, alloc_account: int | None) -> str | None:
        """Why an AllocAccount (79) cannot be used by ``client``'s account, or None."""
        if alloc_account is None:
            return None
        if self.venue.exchange.ledger.get(client.account, alloc_account) is None:
            return f"unknown AllocAccount {alloc_account}: the account has no such sub-account"
        return None

    def remember_quote_alloc(self, quote_id: str, alloc_account: int | None) -> None:
        """The AllocAccount (79) a maker's Quote named: echoed on its AIs, traded there."""
        if alloc_account is None:
            self._quote_alloc.pop(quote_id, None)
        else:
            self._quote_alloc[quote_id] = alloc_account

    def remember_rfq_alloc(self, creator: str, client_id: str, alloc_account: int | None) -> None:
        """The AllocAccount (79) a creator's QuoteRequest named: its trade is booked there."""
        if alloc_account is None:
            self._rfq_alloc.pop((creator, client_id), None)
        else:
            self._rfq_alloc[(creator, client_id)] = alloc_account

    def act(
        self, client: ClientSession | None, now: float, action: Callable[[], list[RfqResult]]
    ) -> list[RfqResult]:
        """Bring the makers up to date, run one desk call, step the participants, route it
        all (answers to ``client``). Returns every result, in order."""
        out = self._sync_makers(now)
        out += action()
        out += self._step(now)
        self.route(out, now, requester=client)
        return out

    def send(self, client: ClientSession, message: Outbound) -> None:
        """One message in the session's price format (U8's status tag as the dialect says).
        A message that cannot go to one session is logged and skipped."""
        try:
            if isinstance(message, QuoteConfirmStatusReport):
                tag = self.venue.rules.quote_confirm_status_tags[0]
                body = message.to_body(client.price_format, status_tag=tag)
            else:
                body = message.to_body(client.price_format)
            self.venue.send(client, message.MSG_TYPE, body)
        except Exception:
            _log.exception("%s to %s failed", type(message).__name__, client.tag)

    # ------------------------------------------------------------------ venue hooks

    def tick(self, now: float) -> None:
        """The venue's tick: maker sessions, desk timers, simulated participants."""
        out = self._sync_makers(now)
        out += self._step(now)
        self.route(out, now)

    def on_disconnect(self, client: ClientSession, now: float) -> None:
        """A session closed: a maker whose last KalshiRFQ session it was is unregistered."""
        if client.session_type is SessionType.RFQ:
            self.route(self._sync_makers(now), now)

    def _sync_makers(self, now: float) -> list[RfqResult]:
        live = {c.account for c in self.venue.clients(session_type=SessionType.RFQ)}
        registered = set(self.desk.makers())
        out: list[RfqResult] = []
        for account in sorted(live - registered):
            out += self.desk.register_maker(account, now)
        for account in registered - live:
            self.desk.unregister_maker(account)
        return out

    def _step(self, now: float) -> list[RfqResult]:
        return self.requesters.step(now) + self.makers.step(now)

    # ------------------------------------------------------------------ routing

    def route(
        self, results: list[RfqResult], now: float, *, requester: ClientSession | None = None
    ) -> None:
        """Send each result to whom it concerns, in order (see the module docstring)."""
        if not results:
            return
        for record in results:
            try:
                if isinstance(record, RfqExecutionDue):
                    self._execute(record, now)
                elif isinstance(record, MAKER_RECORDS):
                    alloc = self._quote_alloc.get(getattr(record, "quote_id", ""))
                    messages = maker_messages(record, alloc_account=alloc)
                    for client in self.venue.clients(
                        account=record.maker, session_type=SessionType.RFQ
                    ):
                        for message in messages:
                            self.send(client, message)
                else:
                    self._to_creator(record, requester)
            except Exception:  # one record's trouble must not cost the others theirs
                _log.exception("routing %s failed", type(record).__name__)
        for hook in self._after_route:
            hook(now)

    def after_route(self, hook: Callable[[float], None]) -> None:
        """Call ``hook(now)`` after every batch of results is routed."""
        self._after_route.append(hook)

    def _to_creator(self, record: CreatorRecord, requester: ClientSession | None) -> None:
        self.creator.track(record)
        for client in self._creator_clients(record, requester):
            for message in self.creator.messages_for(record, client):
                self.send(client, message)
        self.creator.settle(record)
        if isinstance(record, RfqCancelled | RfqExpired):
            self._forget(record.rfq_id)

    def _creator_clients(
        self, record: CreatorRecord, requester: ClientSession | None
    ) -> list[ClientSession]:
        if not self.venue.rules.rfq_creator_on_rt:
            return []
        answer = isinstance(record, ANSWERS) or (
            isinstance(record, RfqCancelled) and record.solicited
        )
        if (
            answer
            and requester is not None
            and requester.account == record.creator
            and requester.session_type is SessionType.RT
        ):
            if isinstance(record, RfqCreated):
                self._origin[record.rfq_id] = requester.tag
            return [requester]
        sessions = [
            c
            for c in self.venue.clients(account=record.creator, session_type=SessionType.RT)
            if not c.is_listener
        ]
        rfq_id = _rfq_id_of(record)
        origin = None if rfq_id is None else self._origin.get(rfq_id)
        own = [c for c in sessions if origin is not None and c.tag == origin]
        return own or sessions

    def _forget(self, rfq_id: str) -> None:
        self._origin.pop(rfq_id, None)

    # ------------------------------------------------------------------ the state directory

    def saved(self, rfq: Rfq) -> SavedRfq:
        """``rfq`` (a record from ``desk.records()``) with the gateway's notes on it."""
        rfq_alloc = (
            None
            if rfq.client_rfq_id is None
            else self._rfq_alloc.get((rfq.creator, rfq.client_rfq_id))
        )
        quote_allocs = {
            q.quote_id: alloc
            for q in rfq.quotes
            if (alloc := self._quote_alloc.get(q.quote_id)) is not None
        }
        return SavedRfq(
            rfq=rfq,
            origin=self._origin.get(rfq.rfq_id),
            rfq_alloc=rfq_alloc,
            quote_allocs=quote_allocs,
            order=self.creator.order_for(rfq.rfq_id),
        )

    def saved_desk(self) -> SavedDesk:
        requesters, quoters = self.desk.pseudonyms()
        return SavedDesk(seq=self.desk.seq, requesters=requesters, quoters=quoters)

    def restore(self, rfqs: list[SavedRfq], desk: SavedDesk) -> None:
        """Take back the RFQs an earlier run kept, before the venue starts (state directory)."""
        self.desk.restore(
            [s.rfq for s in rfqs], seq=desk.seq, requesters=desk.requesters, quoters=desk.quoters
        )
        for saved in rfqs:
            rfq = saved.rfq
            if saved.origin is not None:
                self._origin[rfq.rfq_id] = saved.origin
            if saved.rfq_alloc is not None and rfq.client_rfq_id is not None:
                self._rfq_alloc[(rfq.creator, rfq.client_rfq_id)] = saved.rfq_alloc
            self._quote_alloc.update(saved.quote_allocs)
            if saved.order is not None:
                self.creator.restore_order(rfq.rfq_id, saved.order)

    # ------------------------------------------------------------------ the trade

    def _fund(self, account: str) -> None:
        exchange = self.venue.exchange
        if account in self._simulated and exchange.ledger.get(account) is None:
            exchange.fund(account, self.settings.funds)

    def _execute(self, due: RfqExecutionDue, now: float) -> None:
        """Hand an RFQ whose execution timer ended to the exchange and report the trade."""
        self._fund(due.buyer)
        self._fund(due.seller)
        order = self.creator.take_order(due)
        rfq = self.desk.rfq(due.rfq_id)
        client_id = None if rfq is None else rfq.client_rfq_id
        creator_alloc = (
            self._rfq_alloc.pop((due.creator, client_id), 0) if client_id is not None else 0
        )
        if order is not None:
            creator = BlockTradeSide(
                account=due.creator,
                cl_ord_id=order.cl_ord_id,
                sub_account=order.sub_account,
                order_id=order.order_id,
            )
        else:
            creator = BlockTradeSide(
                account=due.creator,
                cl_ord_id=due.creator_cl_ord_id or due.quote_id,
                sub_account=creator_alloc,
            )
        maker = BlockTradeSide(
            account=due.maker,
            cl_ord_id=due.quote_id,
            sub_account=self._quote_alloc.pop(due.quote_id, 0),
        )
        creator_buys = due.creator_side is AcceptSide.BUY
        trade = BlockTrade(
            ticker=due.ticker,
            yes_price=due.yes_price,
            quantity=due.quantity,
            buyer=creator if creator_buys else maker,
            seller=maker if creator_buys else creator,
            taker_is_buyer=creator_buys,
        )
        results = self.venue.exchange.execute_block_trade(trade, now)
        echoes = {due.creator: order.echo if order is not None else NO_ECHO, due.maker: NO_ECHO}
        if order is not None:
            self.fanout.remember(order.order_id, order.echo)
        for item in results:
            if isinstance(item, OrderAccepted | OrderFilled):
                account = item.order.account
            elif isinstance(item, OrderRejected):
                account = item.request.account
            else:
                continue  # an expiry of some other order: the fan-out reports it
            echo: OrderEcho = echoes.get(account, NO_ECHO)
            for client in self._order_clients(account):
                message = render(item, ReportStyle.of(client), echo=echo)
                if message is not None:
                    self.send(client, message)
        self.venue.publish(results, now)
        self._forget(due.rfq_id)

    def _order_clients(self, account: str) -> list[ClientSession]:
        return [
            c
            for c in self.venue.clients(account=account)
            if c.session_type in ORDER_SESSIONS and not c.is_listener
        ]

    # ------------------------------------------------------------------ RfqControl (admin)

    def inject_request(
        self,
        *,
        ticker: str,
        quantity: Decimal | None,
        cash_quantity: Decimal | None,
        now: float,
    ) -> dict[str, Any]:
        """A QuoteRequest from a hand requester (admin ``rfq_request``); ValueError with the
        desk's text when it refuses."""
        results = self.act(
            None,
            now,
            lambda: self.hand.inject(
                now, ticker=ticker, quantity=quantity, cash_quantity=cash_quantity
            ),
        )
        for record in results:
            if isinstance(record, RfqRefused) and record.creator in self.hand.accounts:
                raise ValueError(f"rfq_request refused: {record.text}")
        created = next(
            r for r in results if isinstance(r, RfqCreated) and r.creator in self.hand.accounts
        )
        view = self.desk.rfq(created.rfq_id)
        told = [
            r.maker for r in results if isinstance(r, QuoteRequested) and r.rfq_id == created.rfq_id
        ]
        return {
            "rfq_id": created.rfq_id,
            "ticker": created.ticker,
            "requester": None if view is None else view.requester,
            "makers": len(told),
        }

    def accept_quote(
        self,
        *,
        quote_id: str,
        side: BookSide,
        quantity: Decimal | None,
        now: float,
    ) -> dict[str, Any]:
        """Accept a maker's quote as the simulated requester whose RFQ it answers (admin
        ``rfq_accept``); ValueError with the reason when that cannot be done."""
        quote = self.desk.quote(quote_id)
        rfq = None if quote is None else self.desk.rfq(quote.rfq_id)
        if quote is None or rfq is None:
            raise ValueError(f"rfq_accept: unknown QuoteID {quote_id}")
        if rfq.creator not in self._simulated:
            raise ValueError(f"rfq_accept: quote {quote_id} is not on a simulated requester's RFQ")
        results = self.act(
            None,
            now,
            lambda: self.desk.accept_quote(
                creator=rfq.creator,
                quote_id=quote_id,
                rfq_id=rfq.rfq_id,
                side=AcceptSide(side.value),
                quantity=quantity,
                now=now,
            ),
        )
        for record in results:
            if isinstance(record, AcceptRefused) and record.creator == rfq.creator:
                raise ValueError(f"rfq_accept refused: {record.text}")
        ack = next(
            r for r in results if isinstance(r, AcceptAcknowledged) and r.creator == rfq.creator
        )
        return {
            "quote_id": ack.quote_id,
            "accepted_quote_id": ack.accepted_quote_id,
            "rfq_id": ack.rfq_id,
            "side": side.name.lower(),
            "yes_price": ack.yes_price,
            "quantity": ack.quantity,
            "confirm_by": format_utc_timestamp(ack.confirm_by),
        }


def _ref_id(msg: FixMessage) -> str | None:
    """BusinessRejectRefID (379) for an RFQ message: its QuoteID, RFQ id or ClOrdID."""
    for tag in (117, 131, 21023, 11):
        value = msg.get(tag)
        if value:
            return value
    return None


def _rfq_id_of(record: CreatorRecord) -> str | None:
    if isinstance(
        record, QuoteOffered | AcceptAcknowledged | AcceptVoided | RfqCancelled | RfqExpired
    ):
        return record.rfq_id
    if isinstance(record, AcceptRefused | RfqCancelRefused | RfqCreated):
        return record.rfq_id
    return None


def install_rfq_gateway(
    venue: Venue,
    orders: OrderGateway,
    settings: RfqSettings | None = None,
    *,
    ids: RfqIdSource | None = None,
) -> RfqBridge:
    """Put the RFQ desk on ``venue`` next to its order gateway: the KalshiRFQ handlers, the
    KalshiRT creator handlers (35=D without QuoteID still goes to ``orders``), the tick and
    disconnect hooks. Attach the returned bridge to the admin port with ``attach_rfq``."""
    bridge = RfqBridge(venue, orders.fanout, settings, ids=ids)
    bridge.creator = CreatorGateway(bridge, orders=orders.orders.on_new_order)
    bridge.creator.register()
    MakerGateway(bridge).register()
    venue.every_tick(bridge.tick)
    venue.on_disconnect(bridge.on_disconnect)
    return bridge
