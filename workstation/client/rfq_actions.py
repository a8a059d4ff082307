"""RFQ actions of the Desk, both roles (SPEC §13).

As requester the workstation works on its order session (KalshiRT, current dialect): it sends
QuoteRequest R, accepts a maker's quote with AcceptQuote UA (Side BUY takes the maker's NO bid,
SELL its YES bid), or cancels with RFQCancel UE. As market maker it works on KalshiRFQ: it quotes
(S) a YES bid and a NO bid — their sum must not exceed $1, checked before anything is sent —
cancels a quote (Z), and confirms an accepted quote (U7) inside the confirm window.

Each action reads the clock once: the same time goes to the sender (the Desk journals the
message with it before sending) and to the state's "sent" call, so a replay of the journal
repeats the call exactly. The state changes only once the message is on its way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal

from workstation.client.session_link import SessionLink
from workstation.fix.dialect import SessionType
from workstation.fix.errors import SessionNotActive
from workstation.fix.messages import CreatorQuoteRequest
from workstation.fix.messages.enums import Side
from workstation.fix.messages.fields import Body
from workstation.trading.changes import Change
from workstation.trading.state import TradingState

__all__ = ["RfqActions", "RfqRefused", "Sender"]

#: Sends one message on a link at a time ``now``; returns its MsgSeqNum.
Sender = Callable[[SessionLink, str, Body, float], int]


class RfqRefused(Exception):
    """Not sent; the message says why."""


class RfqActions:
    def __init__(
        self,
        state: TradingState,
        *,
        link_for: Callable[[SessionType], SessionLink | None],
        order_session: SessionType,
        clock: Callable[[], float],
        publish: Callable[[list[Change]], None],
        listen_only: bool,
        send: Sender | None = None,
    ) -> None:
        self.state = state
        self._link_for = link_for
        self._order_session = order_session
        self._clock = clock
        self._publish = publish
        self._listen_only = listen_only
        self._sender = send

    def _link(self, session_type: SessionType) -> SessionLink:
        if self._listen_only:
            raise RfqRefused("This is a listen-only desk monitor: RFQs are disabled")
        link = self._link_for(session_type)
        if link is None:
            raise RfqRefused(f"{session_type.value} is not configured for this profile")
        if not link.active:
            raise RfqRefused(f"{session_type.value} is not logged on; wait for it")
        return link

    def _send(self, link: SessionLink, msg_type: str, body: Body, now: float) -> int:
        try:
            if self._sender is not None:
                return self._sender(link, msg_type, body, now)
            return link.send(msg_type, body)
        except SessionNotActive:
            raise RfqRefused(f"{link.session_type.value} went offline; not sent") from None

    # ------------------------------------------------------------------ requester

    def create_rfq(self, symbol: str, quantity: Decimal) -> str:
        link = self._link(self._order_session)
        if quantity <= 0 or quantity != quantity.quantize(Decimal("0.01")):
            raise RfqRefused("An RFQ's size is a positive number of contracts (0.01 steps)")
        request = CreatorQuoteRequest(
            quote_req_id=str(uuid.uuid4()), symbol=symbol, order_qty=quantity
        )
        now = self._clock()
        self._send(link, "R", request.to_body(link.price_format), now)
        self._publish(self.state.rfqs.requested(request, now=now))
        return request.quote_req_id

    def cancel_rfq(self, quote_req_id: str) -> None:
        link = self._link(self._order_session)
        try:
            cancel = self.state.rfqs.cancel_request(quote_req_id)
        except LookupError as exc:
            raise RfqRefused(str(exc)) from None
        now = self._clock()
        self._send(link, "UE", cancel.to_body(link.price_format), now)
        self._publish(self.state.rfqs.cancel_sent(cancel, now=now))

    def accept_quote(self, quote_id: str, side: Side) -> None:
        link = self._link(self._order_session)
        try:
            accept = self.state.rfqs.accept_request(quote_id, side, cl_ord_id=str(uuid.uuid4()))
        except (LookupError, ValueError) as exc:
            raise RfqRefused(str(exc)) from None
        now = self._clock()
        self._send(link, "UA", accept.to_body(link.price_format), now)
        self._publish(self.state.rfqs.accept_sent(accept, now=now))

    # ------------------------------------------------------------------ market maker

    def send_quote(self, quote_req_id: str, yes_bid: Decimal, no_bid: Decimal) -> str:
        link = self._link(SessionType.RFQ)
        try:
            quote = self.state.maker_rfqs.build_quote(
                quote_req_id,
                yes_bid=yes_bid or None,
                no_bid=no_bid or None,
                subpenny=link.settings.use_dollars,
            )
        except (LookupError, ValueError) as exc:
            raise RfqRefused(str(exc)) from None
        now = self._clock()
        self._send(link, "S", quote.to_body(link.price_format), now)
        self._publish(self.state.maker_rfqs.quote_sent(quote, now=now))
        return quote.quote_id

    def cancel_quote(self, quote_req_id: str) -> None:
        link = self._link(SessionType.RFQ)
        try:
            cancel = self.state.maker_rfqs.cancel_request(quote_req_id)
        except LookupError as exc:
            raise RfqRefused(str(exc)) from None
        self._send(link, "Z", cancel.to_body(link.price_format), self._clock())

    def confirm_quote(self, quote_req_id: str) -> None:
        link = self._link(SessionType.RFQ)
        try:
            confirm = self.state.maker_rfqs.confirm_request(quote_req_id)
        except (LookupError, ValueError) as exc:
            raise RfqRefused(str(exc)) from None
        now = self._clock()
        self._send(link, "U7", confirm.to_body(link.price_format), now)
        self._publish(self.state.maker_rfqs.confirm_sent(confirm, now=now))
