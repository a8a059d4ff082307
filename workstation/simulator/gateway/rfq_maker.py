"""KalshiRFQ: the market maker's side of the RFQ desk on FIX (SPEC §13.1, §13.2).

In: Quote (S), QuoteCancel (Z), QuoteConfirm (U7). Out: QuoteRequest (R), QuoteStatusReport
(AI), QuoteCancelStatus (U9), QuoteConfirmStatus (U8), QuoteRequestReject (AG). Both dialects
serve makers the same way, except for the tag the dialect table decides: U8 carries its
status in 21010 (``current``) or 297 (1.0.13).

:func:`maker_messages` turns each desk record addressed to a maker into the messages that
maker's KalshiRFQ sessions get:

==============================  =============================================================
record                          message(s)
==============================  =============================================================
``QuoteRequested``              R: 131 = RfqId, 146=1 with 55 and 38 or 152, 453=1 / 448 the
                                requester's pseudonym
``QuotePending``                AI 297=10 with 117, 131, 38, 132/133 (a declined side absent),
                                134/135 the contracts each side can trade
``QuoteRejected``               AI 297=5 with 131 and 58; **no QuoteID** (SPEC: "empty if
                                rejected"; FIX cannot carry an empty value, so 117 is left out)
``QuoteAccepted``               AI 297=0 with 54 AcceptedSide (the side of the quote that was
                                hit, :mod:`~workstation.simulator.rfq.sides`), 38, 132/133
``QuoteCancelled``              AI 297=17 with the reason in 58; after the maker's own Z also
                                U9 298=0
``QuoteCancelRefused``          U9 298=1 with 58
``QuoteConfirmed``              U8 ACCEPTED
``QuoteConfirmRefused``         U8 REJECTED with 58 (late, unknown, not accepted, closed)
``QuoteRequestWithdrawn``       AG 658=99 with 58 (cancelled, replaced, expired, traded)
==============================  =============================================================

AllocAccount (79) given on a Quote is echoed on that quote's AI reports, and the trade is booked
to that sub-account; a Quote naming a sub-account the maker does not have is REJECTED.

:class:`MakerGateway` holds the three handlers. Each parses with the typed parser (a refusal
is a Reject or BusinessMessageReject, as the error says), then asks the desk through the
:class:`~.rfq_bridge.RfqBridge`, which routes every result.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import (
    QuoteCancelStatus,
    QuoteConfirmStatus,
    QuoteRequestRejectReason,
    QuoteStatus,
    Side,
)
from workstation.fix.messages.parties import Party
from workstation.fix.messages.rfq_maker import (
    Quote,
    QuoteCancel,
    QuoteCancelStatusReport,
    QuoteConfirm,
    QuoteConfirmStatusReport,
    QuoteRequest,
    QuoteRequestReject,
    QuoteStatusReport,
)
from workstation.simulator.client import ClientSession
from workstation.simulator.rfq.results import (
    QuoteAccepted,
    QuoteCancelled,
    QuoteCancelRefused,
    QuoteConfirmed,
    QuoteConfirmRefused,
    QuotePending,
    QuoteRejected,
    QuoteRequested,
    QuoteRequestWithdrawn,
)
from workstation.simulator.rfq.types import QuoteCancelReason

if TYPE_CHECKING:
    from workstation.simulator.gateway.rfq_bridge import RfqBridge

__all__ = [
    "MAKER_RECORDS",
    "MakerGateway",
    "MakerMessage",
    "MakerRecord",
    "maker_messages",
]

_ZERO = Decimal(0)

MakerRecord = (
    QuoteRequested
    | QuotePending
    | QuoteRejected
    | QuoteAccepted
    | QuoteCancelled
    | QuoteCancelRefused
    | QuoteConfirmed
    | QuoteConfirmRefused
    | QuoteRequestWithdrawn
)
MAKER_RECORDS = (
    QuoteRequested,
    QuotePending,
    QuoteRejected,
    QuoteAccepted,
    QuoteCancelled,
    QuoteCancelRefused,
    QuoteConfirmed,
    QuoteConfirmRefused,
    QuoteRequestWithdrawn,
)
MakerMessage = (
    QuoteRequest
    | QuoteStatusReport
    | QuoteCancelStatusReport
    | QuoteConfirmStatusReport
    | QuoteRequestReject
)


def maker_messages(record: MakerRecord, *, alloc_account: int | None = None) -> list[MakerMessage]:
    """The messages ``record`` becomes for its maker (see the module docstring).

    ``alloc_account`` is the AllocAccount the quote named, echoed on its AI reports.
    """
    if isinstance(record, QuoteRequested):
        return [
            QuoteRequest(
                quote_req_id=record.rfq_id,
                symbol=record.ticker,
                order_qty=record.quantity,
                cash_order_qty=record.cash_quantity,
                parties=(Party(party_id=record.requester),),
            )
        ]
    if isinstance(record, QuotePending):
        return [
            QuoteStatusReport(
                quote_req_id=record.rfq_id,
                status=QuoteStatus.PENDING,
                quote_id=record.quote_id,
                alloc_account=alloc_account,
                order_qty=record.quantity,
                bid_px=record.yes_bid or None,
                offer_px=record.no_bid or None,
                bid_size=record.yes_size,
                offer_size=record.no_size,
            )
        ]
    if isinstance(record, QuoteRejected):
        return [
            QuoteStatusReport(
                quote_req_id=record.rfq_id, status=QuoteStatus.REJECTED, text=record.text
            )
        ]
    if isinstance(record, QuoteAccepted):
        return [
            QuoteStatusReport(
                quote_req_id=record.rfq_id,
                status=QuoteStatus.ACCEPTED,
                quote_id=record.quote_id,
                alloc_account=alloc_account,
                order_qty=record.quantity,
                bid_px=record.yes_bid or None,
                offer_px=record.no_bid or None,
                accepted_side=Side(record.accepted_side.value),
            )
        ]
    if isinstance(record, QuoteCancelled):
        messages: list[MakerMessage] = [
            QuoteStatusReport(
                quote_req_id=record.rfq_id,
                status=QuoteStatus.CANCELLED,
                quote_id=record.quote_id,
                alloc_account=alloc_account,
                text=record.reason.value,
            )
        ]
        if record.reason is QuoteCancelReason.BY_MAKER:
            messages.append(
                QuoteCancelStatusReport(quote_id=record.quote_id, status=QuoteCancelStatus.CANCELED)
            )
        return messages
    if isinstance(record, QuoteCancelRefused):
        return [
            QuoteCancelStatusReport(
                quote_id=record.quote_id, status=QuoteCancelStatus.REJECTED, text=record.text
            )
        ]
    if isinstance(record, QuoteConfirmed):
        return [
            QuoteConfirmStatusReport(quote_id=record.quote_id, status=QuoteConfirmStatus.ACCEPTED)
        ]
    if isinstance(record, QuoteConfirmRefused):
        return [
            QuoteConfirmStatusReport(
                quote_id=record.quote_id, status=QuoteConfirmStatus.REJECTED, text=record.text
            )
        ]
    return [
        QuoteRequestReject(
            quote_req_id=record.rfq_id,
            reason=QuoteRequestRejectReason.OTHER,
            text=record.reason.value,
        )
    ]


class MakerGateway:
    """The KalshiRFQ handlers: S, Z and U7."""

    def __init__(self, bridge: RfqBridge) -> None:
        self._bridge = bridge

    def register(self) -> None:
        venue = self._bridge.venue
        venue.on(SessionType.RFQ, "S", self.on_quote)
        venue.on(SessionType.RFQ, "Z", self.on_quote_cancel)
        venue.on(SessionType.RFQ, "U7", self.on_quote_confirm)

    def on_quote(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        quote = self._bridge.read(client, msg, Quote.from_message)
        if quote is None:
            return
        problem = self._bridge.sub_account_problem(client, quote.alloc_account)
        if problem is not None:
            refusal = QuoteRejected(
                maker=client.account,
                transact_time=now,
                quote_id=quote.quote_id,
                rfq_id=quote.quote_req_id,
                text=problem,
            )
            self._bridge.route([refusal], now, requester=client)
            return
        desk = self._bridge.desk
        self._bridge.remember_quote_alloc(quote.quote_id, quote.alloc_account)
        self._bridge.act(
            client,
            now,
            lambda: desk.submit_quote(
                maker=client.account,
                quote_id=quote.quote_id,
                rfq_id=quote.quote_req_id,
                ticker=quote.symbol,
                yes_bid=quote.bid_px or _ZERO,
                no_bid=quote.offer_px or _ZERO,
                rest_remainder=quote.rest_remainder,
                post_only=quote.post_only,
                now=now,
            ),
        )

    def on_quote_cancel(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        cancel = self._bridge.read(client, msg, QuoteCancel.from_message)
        if cancel is None:
            return
        desk = self._bridge.desk
        self._bridge.act(
            client,
            now,
            lambda: desk.cancel_quote(
                maker=client.account, quote_id=cancel.quote_id, rfq_id=cancel.rfq_id, now=now
            ),
        )

    def on_quote_confirm(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        confirm = self._bridge.read(client, msg, QuoteConfirm.from_message)
        if confirm is None:
            return
        desk = self._bridge.desk
        self._bridge.act(
            client,
            now,
            lambda: desk.confirm_quote(
                maker=client.account, quote_id=confirm.quote_id, rfq_id=confirm.rfq_id, now=now
            ),
        )
