"""RFQ messages of an RFQ creator on KalshiRT (from 2026-04-03). SPEC §13.1, §13.3, §13.4.

Creator → exchange: QuoteRequest (R) with the creator's own QuoteReqID, AcceptQuote (UA),
RFQCancel (UE). Exchange → creator: QuoteRequestAck (b), Quote notifications (S),
AcceptQuoteStatus (UC), RFQCancelStatus (UB), and QuoteRequestReject (AG, in rfq_maker).
The trade itself arrives as an ExecutionReport.

Quotes shown to a creator always carry BidPx/OfferPx in dollars (``0.7500``) whatever the
session's UseDollars setting (SPEC §10), so :class:`QuoteNotification` ignores the
``price_format`` argument. RestRemainder (21015) and ReplaceExisting (21016) belong inside
the NoRelatedSym entry (outside it the exchange drops them silently): we write them there
and read them wherever they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from workstation.fix.message import FixMessage
from workstation.fix.messages.amounts import format_qty, parse_qty
from workstation.fix.messages.enums import (
    AcceptQuoteStatus,
    QuoteRequestType,
    RfqCancelStatus,
    Side,
)
from workstation.fix.messages.errors import conditionally_missing, translate_field_errors
from workstation.fix.messages.fields import (
    Body,
    put,
    put_int,
    read_alloc_account,
    read_ex_destination,
    require_enum,
)
from workstation.fix.messages.parties import Party, parties_to_body, read_parties
from workstation.fix.messages.prices import PriceFormat, format_price, parse_quote_price
from workstation.fix.messages.rfq_common import (
    MveLeg,
    legs_to_body,
    read_legs,
    read_related_symbol,
    related_symbol_to_body,
)

__all__ = [
    "AcceptQuote",
    "AcceptQuoteStatusReport",
    "CreatorQuoteRequest",
    "QuoteNotification",
    "QuoteRequestAck",
    "RfqCancel",
    "RfqCancelStatusReport",
]


def _get_qty(msg: FixMessage, tag: int) -> Decimal | None:
    text = msg.get(tag)
    return None if text is None else parse_qty(tag, text)


def _put_qty(body: Body, tag: int, qty: Decimal | None) -> None:
    if qty is not None:
        body.append((tag, format_qty(qty)))


@dataclass(frozen=True, slots=True, kw_only=True)
class CreatorQuoteRequest:
    """QuoteRequest (35=R), creator → exchange: open an RFQ on a market or a combo."""

    MSG_TYPE: ClassVar[str] = "R"

    quote_req_id: str  #: QuoteReqID (131), assigned by the creator
    symbol: str | None = None  #: required unless combo legs are given
    order_qty: Decimal | None = None  #: contracts (0.01 steps); or cash_order_qty
    cash_order_qty: Decimal | None = None  #: target cost in dollars
    rest_remainder: bool = False  #: RestRemainder (21015)
    replace_existing: bool = False  #: ReplaceExisting (21016)
    parties: tuple[Party, ...] = ()  #: FCM subtrader (452=24)
    alloc_account: int | None = None  #: subaccount 0–63
    mve_collection_ticker: str | None = None  #: MultivariateCollectionTicker (20180)
    mve_legs: tuple[MveLeg, ...] = ()

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        if self.symbol is None and not self.mve_legs:
            raise ValueError("an RFQ needs a symbol or combo legs")
        if self.order_qty is None and self.cash_order_qty is None:
            raise ValueError("an RFQ needs an order_qty or a cash_order_qty")
        body: Body = []
        put(body, 131, self.quote_req_id)
        related_symbol_to_body(body, self.symbol, self.order_qty, self.cash_order_qty)
        if self.rest_remainder:
            body.append((21015, "Y"))
        if self.replace_existing:
            body.append((21016, "Y"))
        parties_to_body(body, self.parties)
        put_int(body, 79, self.alloc_account)
        legs_to_body(body, self.mve_collection_ticker, self.mve_legs)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> CreatorQuoteRequest:
        related = read_related_symbol(msg)
        legs = read_legs(msg)
        if related.symbol is None and not legs:
            raise conditionally_missing(55, "Symbol is required unless combo legs are given")
        if 20180 in msg and not legs:
            raise conditionally_missing(20181, "combo legs are required with 20180")
        return cls(
            quote_req_id=msg.require(131),
            symbol=related.symbol,
            order_qty=related.order_qty,
            cash_order_qty=related.cash_order_qty,
            rest_remainder=msg.get_bool(21015),
            replace_existing=msg.get_bool(21016),
            parties=read_parties(msg),
            alloc_account=read_alloc_account(msg),
            mve_collection_ticker=msg.get(20180),
            mve_legs=legs,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRequestAck:
    """QuoteRequestAck (35=b), exchange → creator: the RFQ is open."""

    MSG_TYPE: ClassVar[str] = "b"

    quote_req_id: str  #: echo of the creator's QuoteReqID
    request_type: QuoteRequestType = QuoteRequestType.MANUAL  #: QuoteRequestType (303)
    rfq_id: str | None = None  #: RfqId (21023), the exchange's RFQ ID
    symbol: str | None = None  #: the market created for combo legs
    ex_destination: int | None = None  #: ExDestination (100), required from 2026-07-09
    text: str | None = None

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 131, self.quote_req_id)
        body.append((303, str(self.request_type.value)))
        put(body, 21023, self.rfq_id)
        put(body, 55, self.symbol)
        put_int(body, 100, self.ex_destination)
        put(body, 58, self.text)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> QuoteRequestAck:
        return cls(
            quote_req_id=msg.require(131),
            request_type=require_enum(msg, 303, QuoteRequestType),
            rfq_id=msg.get(21023),
            symbol=msg.get(55),
            ex_destination=read_ex_destination(msg),
            text=msg.get_text(58),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteNotification:
    """Quote (35=S), exchange → creator: a maker's quote on the creator's RFQ (dollars)."""

    MSG_TYPE: ClassVar[str] = "S"

    quote_id: str  #: QuoteID (117): accept with this
    quote_req_id: str  #: QuoteReqID (131): the exchange's RFQ ID
    symbol: str
    bid_px: Decimal | None = None  #: YES price in dollars; None when absent (zero)
    offer_px: Decimal | None = None  #: NO price in dollars
    order_qty: Decimal | None = None
    bid_size: Decimal | None = None
    offer_size: Decimal | None = None
    parties: tuple[Party, ...] = ()  #: the pseudonymous quoter (452=35)

    def to_body(self, price_format: PriceFormat = PriceFormat.DOLLARS) -> Body:
        """Always dollars; ``price_format`` is accepted for a uniform call and ignored."""
        body: Body = []
        put(body, 117, self.quote_id)
        put(body, 131, self.quote_req_id)
        put(body, 55, self.symbol)
        if self.bid_px is not None:
            body.append((132, format_price(self.bid_px, PriceFormat.DOLLARS)))
        if self.offer_px is not None:
            body.append((133, format_price(self.offer_px, PriceFormat.DOLLARS)))
        _put_qty(body, 38, self.order_qty)
        _put_qty(body, 134, self.bid_size)
        _put_qty(body, 135, self.offer_size)
        parties_to_body(body, self.parties)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.DOLLARS
    ) -> QuoteNotification:
        """Always dollars; ``price_format`` is accepted for a uniform call and ignored."""
        bid, offer = msg.get(132), msg.get(133)
        return cls(
            quote_id=msg.require(117),
            quote_req_id=msg.require(131),
            symbol=msg.require(55),
            bid_px=None if bid is None else parse_quote_price(132, bid, PriceFormat.DOLLARS),
            offer_px=None if offer is None else parse_quote_price(133, offer, PriceFormat.DOLLARS),
            order_qty=_get_qty(msg, 38),
            bid_size=_get_qty(msg, 134),
            offer_size=_get_qty(msg, 135),
            parties=read_parties(msg),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptQuote:
    """AcceptQuote (35=UA), creator → exchange.

    Side 1 (BUY) accepts the maker's NO quote; side 2 (SELL) accepts the maker's YES quote.
    """

    MSG_TYPE: ClassVar[str] = "UA"

    quote_id: str
    side: Side
    rfq_id: str | None = None  #: the quote must belong to this RFQ
    order_qty: Decimal | None = None
    cl_ord_id: str | None = None  #: echoed in UC
    parties: tuple[Party, ...] = ()
    prefer_better_quote: bool = False  #: PreferBetterQuote (21022)

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 117, self.quote_id)
        put(body, 21023, self.rfq_id)
        body.append((54, self.side.value))
        _put_qty(body, 38, self.order_qty)
        put(body, 11, self.cl_ord_id)
        if self.prefer_better_quote:
            body.append((21022, "Y"))
        parties_to_body(body, self.parties)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> AcceptQuote:
        return cls(
            quote_id=msg.require(117),
            side=require_enum(msg, 54, Side),
            rfq_id=msg.get(21023),
            order_qty=_get_qty(msg, 38),
            cl_ord_id=msg.get(11),
            parties=read_parties(msg),
            prefer_better_quote=msg.get_bool(21022),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptQuoteStatusReport:
    """AcceptQuoteStatus (35=UC), exchange → creator."""

    MSG_TYPE: ClassVar[str] = "UC"

    quote_id: str
    status: AcceptQuoteStatus  #: AcceptQuoteStatus (21025)
    accepted_quote_id: str | None = None  #: AcceptedQuoteId (21024): may differ with 21022=Y
    cl_ord_id: str | None = None
    text: str | None = None  #: the reason when REJECTED

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 117, self.quote_id)
        body.append((21025, str(self.status.value)))
        put(body, 21024, self.accepted_quote_id)
        put(body, 11, self.cl_ord_id)
        put(body, 58, self.text)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> AcceptQuoteStatusReport:
        return cls(
            quote_id=msg.require(117),
            status=require_enum(msg, 21025, AcceptQuoteStatus),
            accepted_quote_id=msg.get(21024),
            cl_ord_id=msg.get(11),
            text=msg.get_text(58),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqCancel:
    """RFQCancel (35=UE), creator → exchange: by the creator's ID (131) or the exchange's."""

    MSG_TYPE: ClassVar[str] = "UE"

    quote_req_id: str | None = None
    rfq_id: str | None = None
    parties: tuple[Party, ...] = ()

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        if self.quote_req_id is None and self.rfq_id is None:
            raise ValueError("an RFQ cancel names the RFQ by quote_req_id or rfq_id")
        body: Body = []
        put(body, 131, self.quote_req_id)
        put(body, 21023, self.rfq_id)
        parties_to_body(body, self.parties)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> RfqCancel:
        quote_req_id, rfq_id = msg.get(131), msg.get(21023)
        if quote_req_id is None and rfq_id is None:
            raise conditionally_missing(131, "QuoteReqID or RfqId is required")
        return cls(quote_req_id=quote_req_id, rfq_id=rfq_id, parties=read_parties(msg))


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqCancelStatusReport:
    """RFQCancelStatus (35=UB), exchange → creator; EXPIRED comes unsolicited."""

    MSG_TYPE: ClassVar[str] = "UB"

    status: RfqCancelStatus  #: RFQCancelStatus (21013)
    quote_req_id: str | None = None  #: echo of the ID the cancel used (absent on EXPIRED)
    rfq_id: str | None = None  #: always present on EXPIRED
    text: str | None = None

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 131, self.quote_req_id)
        body.append((21013, str(self.status.value)))
        put(body, 21023, self.rfq_id)
        put(body, 58, self.text)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> RfqCancelStatusReport:
        status = require_enum(msg, 21013, RfqCancelStatus)
        quote_req_id, rfq_id = msg.get(131), msg.get(21023)
        if status is RfqCancelStatus.EXPIRED:
            if rfq_id is None:
                raise conditionally_missing(21023, "RfqId is required on EXPIRED")
        elif quote_req_id is None:
            msg.require(131)
        return cls(status=status, quote_req_id=quote_req_id, rfq_id=rfq_id, text=msg.get_text(58))
