"""RFQ messages of a market maker on KalshiRFQ. SPEC §13.1, §13.2.

Exchange → maker: QuoteRequest (R), QuoteStatusReport (AI), QuoteCancelStatus (U9),
QuoteConfirmStatus (U8), QuoteRequestReject (AG; also sent to RFQ creators).
Maker → exchange: Quote (S), QuoteCancel (Z), QuoteConfirm (U7).

BidPx (132) is the YES price and OfferPx (133) the NO price the maker offers to pay, in the
session's price format; 0 (or absent, in later docs) means no quote on that side, which we
hold as ``None``. Whether a quote is acceptable as a whole (not both sides empty, YES + NO
at most $1) is the exchange's decision and is answered with a REJECTED status, not a parse
error. QuoteConfirmStatus moved from tag 297 to 21010 in 1.0.17: we read 21010, then 297,
and write whichever tag the caller's dialect asks for (21010 by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from workstation.fix.message import FixMessage
from workstation.fix.messages.amounts import format_qty, parse_qty
from workstation.fix.messages.enums import (
    ExecInst,
    QuoteCancelStatus,
    QuoteConfirmStatus,
    QuoteRequestRejectReason,
    QuoteStatus,
    Side,
)
from workstation.fix.messages.errors import out_of_range, translate_field_errors
from workstation.fix.messages.fields import (
    Body,
    entry_fields,
    flat_group,
    get_enum,
    parse_enum,
    put,
    put_int,
    read_alloc_account,
    require_enum,
    require_in,
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
    "Quote",
    "QuoteCancel",
    "QuoteCancelStatusReport",
    "QuoteConfirm",
    "QuoteConfirmStatusReport",
    "QuoteRequest",
    "QuoteRequestReject",
    "QuoteStatusReport",
]

QUOTE_CONFIRM_STATUS_TAGS = (21010, 297)


def quote_price_text(price: Decimal | None, fmt: PriceFormat) -> str:
    """BidPx/OfferPx wire text: ``0`` for no quote on that side."""
    return "0" if price is None else format_price(price, fmt)


def _get_qty(msg: FixMessage, tag: int) -> Decimal | None:
    text = msg.get(tag)
    return None if text is None else parse_qty(tag, text)


def _put_qty(body: Body, tag: int, qty: Decimal | None) -> None:
    if qty is not None:
        body.append((tag, format_qty(qty)))


def _get_quote_price(msg: FixMessage, tag: int, fmt: PriceFormat) -> Decimal | None:
    text = msg.get(tag)
    return None if text is None else parse_quote_price(tag, text, fmt)


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRequest:
    """QuoteRequest (35=R), exchange → makers: an RFQ broadcast."""

    MSG_TYPE: ClassVar[str] = "R"

    quote_req_id: str  #: QuoteReqID (131), the exchange's RFQ ID
    symbol: str | None  #: the market ticker (None only for a combo given by its legs)
    order_qty: Decimal | None = None  #: contracts wanted
    cash_order_qty: Decimal | None = None  #: CashOrderQty (152): target cost in dollars
    parties: tuple[Party, ...] = ()  #: the pseudonymous requester
    mve_collection_ticker: str | None = None  #: MultivariateCollectionTicker (20180)
    mve_legs: tuple[MveLeg, ...] = ()

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 131, self.quote_req_id)
        related_symbol_to_body(body, self.symbol, self.order_qty, self.cash_order_qty)
        parties_to_body(body, self.parties)
        legs_to_body(body, self.mve_collection_ticker, self.mve_legs)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> QuoteRequest:
        related = read_related_symbol(msg)
        legs = read_legs(msg)
        if related.symbol is None and not legs:
            msg.require(55)
        return cls(
            quote_req_id=msg.require(131),
            symbol=related.symbol,
            order_qty=related.order_qty,
            cash_order_qty=related.cash_order_qty,
            parties=read_parties(msg),
            mve_collection_ticker=msg.get(20180),
            mve_legs=legs,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """Quote (35=S), maker → exchange: a two-sided (or one-sided) answer to an RFQ."""

    MSG_TYPE: ClassVar[str] = "S"

    quote_id: str  #: QuoteID (117), assigned by the maker
    quote_req_id: str  #: QuoteReqID (131), the RFQ answered
    symbol: str
    bid_px: Decimal | None  #: YES price offered; None = no YES quote
    offer_px: Decimal | None  #: NO price offered; None = no NO quote
    alloc_account: int | None = None
    rest_remainder: bool = False  #: RestRemainder (21015)
    post_only: bool = False  #: ExecInst (18) 6
    order_qty: Decimal | None = None
    bid_size: Decimal | None = None  #: BidSize (134)
    offer_size: Decimal | None = None  #: OfferSize (135)

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 117, self.quote_id)
        put(body, 131, self.quote_req_id)
        put(body, 55, self.symbol)
        body.append((132, quote_price_text(self.bid_px, price_format)))
        body.append((133, quote_price_text(self.offer_px, price_format)))
        put_int(body, 79, self.alloc_account)
        if self.rest_remainder:
            body.append((21015, "Y"))
        if self.post_only:
            body.append((18, "6"))
        _put_qty(body, 38, self.order_qty)
        _put_qty(body, 134, self.bid_size)
        _put_qty(body, 135, self.offer_size)
        return body

    @classmethod
    @translate_field_errors
    def from_message(cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS) -> Quote:
        post_only = False
        for part in (msg.get(18) or "").split(" "):
            if part:
                if parse_enum(ExecInst, 18, part) is not ExecInst.POST_ONLY:
                    raise out_of_range(18, part, "a quote takes only ExecInst 6 (post only)")
                post_only = True
        return cls(
            quote_id=msg.require(117),
            quote_req_id=msg.require(131),
            symbol=msg.require(55),
            bid_px=_get_quote_price(msg, 132, price_format),
            offer_px=_get_quote_price(msg, 133, price_format),
            alloc_account=read_alloc_account(msg),
            rest_remainder=msg.get_bool(21015),
            post_only=post_only,
            order_qty=_get_qty(msg, 38),
            bid_size=_get_qty(msg, 134),
            offer_size=_get_qty(msg, 135),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteStatusReport:
    """QuoteStatusReport (35=AI), exchange → maker: PENDING or REJECTED in reply to a Quote,
    ACCEPTED when the requester takes it (confirm within 30 s), CANCELLED after a QuoteCancel.
    """

    MSG_TYPE: ClassVar[str] = "AI"

    quote_req_id: str
    status: QuoteStatus  #: QuoteStatus (297)
    quote_id: str | None = None  #: empty (None) when REJECTED
    alloc_account: int | None = None
    order_qty: Decimal | None = None
    bid_px: Decimal | None = None
    offer_px: Decimal | None = None
    bid_size: Decimal | None = None  #: BidSize (134), from 1.0.25
    offer_size: Decimal | None = None  #: OfferSize (135), from 1.0.25
    accepted_side: Side | None = None  #: Side (54) when ACCEPTED: 1 = YES, 2 = NO
    text: str | None = None  #: the reason when REJECTED

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 117, self.quote_id)
        put(body, 131, self.quote_req_id)
        body.append((297, str(self.status.value)))
        put_int(body, 79, self.alloc_account)
        if self.accepted_side is not None:
            body.append((54, self.accepted_side.value))
        _put_qty(body, 38, self.order_qty)
        if self.bid_px is not None:
            body.append((132, format_price(self.bid_px, price_format)))
        if self.offer_px is not None:
            body.append((133, format_price(self.offer_px, price_format)))
        _put_qty(body, 134, self.bid_size)
        _put_qty(body, 135, self.offer_size)
        put(body, 58, self.text)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> QuoteStatusReport:
        status = require_enum(msg, 297, QuoteStatus)
        quote_id = msg.get(117) or None
        if quote_id is None and status is not QuoteStatus.REJECTED:
            msg.require(117)
        return cls(
            quote_req_id=msg.require(131),
            status=status,
            quote_id=quote_id,
            alloc_account=read_alloc_account(msg),
            order_qty=_get_qty(msg, 38),
            bid_px=_get_quote_price(msg, 132, price_format),
            offer_px=_get_quote_price(msg, 133, price_format),
            bid_size=_get_qty(msg, 134),
            offer_size=_get_qty(msg, 135),
            accepted_side=get_enum(msg, 54, Side),
            text=msg.get_text(58),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteCancel:
    """QuoteCancel (35=Z), maker → exchange: withdraw a quote."""

    MSG_TYPE: ClassVar[str] = "Z"

    quote_id: str
    rfq_id: str | None = None  #: RfqId (21023): the quote must belong to this RFQ

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 117, self.quote_id)
        put(body, 21023, self.rfq_id)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> QuoteCancel:
        return cls(quote_id=msg.require(117), rfq_id=msg.get(21023))


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteCancelStatusReport:
    """QuoteCancelStatus (35=U9), exchange → maker."""

    MSG_TYPE: ClassVar[str] = "U9"

    quote_id: str
    status: QuoteCancelStatus  #: QuoteCancelStatus (298)
    text: str | None = None  #: the reason when REJECTED

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 117, self.quote_id)
        body.append((298, str(self.status.value)))
        put(body, 58, self.text)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> QuoteCancelStatusReport:
        return cls(
            quote_id=msg.require(117),
            status=require_enum(msg, 298, QuoteCancelStatus),
            text=msg.get_text(58),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteConfirm:
    """QuoteConfirm (35=U7), maker → exchange, within 30 s of an ACCEPTED status."""

    MSG_TYPE: ClassVar[str] = "U7"

    quote_id: str
    rfq_id: str | None = None

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 117, self.quote_id)
        put(body, 21023, self.rfq_id)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> QuoteConfirm:
        return cls(quote_id=msg.require(117), rfq_id=msg.get(21023))


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteConfirmStatusReport:
    """QuoteConfirmStatus (35=U8), exchange → maker; the trade follows when ACCEPTED."""

    MSG_TYPE: ClassVar[str] = "U8"

    quote_id: str
    status: QuoteConfirmStatus  #: tag 21010 (1.0.17+) or the legacy 297
    text: str | None = None

    def to_body(
        self, price_format: PriceFormat = PriceFormat.CENTS, *, status_tag: int = 21010
    ) -> Body:
        """``status_tag``: 21010 (current) or 297 (1.0.13), as the dialect's rules say."""
        if status_tag not in QUOTE_CONFIRM_STATUS_TAGS:
            raise ValueError(f"QuoteConfirmStatus goes in tag 21010 or 297, not {status_tag}")
        body: Body = []
        put(body, 117, self.quote_id)
        body.append((status_tag, str(self.status.value)))
        put(body, 58, self.text)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> QuoteConfirmStatusReport:
        tag = 21010 if 21010 in msg else 297
        return cls(
            quote_id=msg.require(117),
            status=require_enum(msg, tag, QuoteConfirmStatus),
            text=msg.get_text(58),
        )


_OFFENDING_MEMBERS = frozenset({20186})


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRequestReject:
    """QuoteRequestReject (35=AG): an RFQ was cancelled (to makers) or refused (to its creator)."""

    MSG_TYPE: ClassVar[str] = "AG"

    quote_req_id: str
    reason: QuoteRequestRejectReason  #: QuoteRequestRejectReason (658)
    text: str  #: Text (58), required
    mve_reason_code: str | None = None  #: MVEValidationReasonCode (20187)
    offending_tickers: tuple[str, ...] = ()  #: NoMVEOffendingLegs (20185) → 20186

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 131, self.quote_req_id)
        body.append((658, str(self.reason.value)))
        put(body, 58, self.text)
        put(body, 20187, self.mve_reason_code)
        if self.offending_tickers:
            body.append((20185, str(len(self.offending_tickers))))
            for ticker in self.offending_tickers:
                put(body, 20186, ticker)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> QuoteRequestReject:
        text = msg.get_text(58)
        if text is None:
            msg.require(58)
        return cls(
            quote_req_id=msg.require(131),
            reason=require_enum(msg, 658, QuoteRequestRejectReason),
            text=text or "",
            mve_reason_code=msg.get(20187),
            offending_tickers=tuple(
                require_in(entry_fields(entry), 20186)
                for entry in flat_group(msg, 20185, 20186, _OFFENDING_MEMBERS)
            ),
        )
