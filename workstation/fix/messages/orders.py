"""Order entry, client → exchange: NewOrderSingle (D), OrderCancelRequest (F),
OrderCancelReplaceRequest (G) and OrderMassCancelRequest (q). SPEC §9.1–§9.5, §9.9, §13.4.

Each message has ``to_body(price_format)`` (body fields only; the session adds the header)
and ``from_message(msg, price_format)``, which validates and raises :class:`MessageError`.
ClOrdID rules are left to :func:`clordid_problem` (the exchange answers them with a rejected
ExecutionReport). Our readings where the docs are silent:

- TimeInForce absent stays ``None`` (GTC is assumed by the exchange, SPEC §20.18);
- ExpireTime (126) is required only with TimeInForce GTD (380=5 when missing);
- the order group is SecondaryClOrdID (526); the dictionary's OrderGroupID (20130) is
  accepted as well, and 526 is what we write (SPEC §20.21);
- a replace must keep a quantity above zero (a replace to the filled quantity cancels the
  order on the exchange; a zero-quantity replace is refused here, use a cancel).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from workstation.fix.message import FixMessage
from workstation.fix.messages.amounts import format_money, format_qty, parse_money, parse_qty
from workstation.fix.messages.enums import (
    ExecInst,
    MassCancelRequestType,
    OrdType,
    SelfTradePrevention,
    Side,
    TimeInForce,
)
from workstation.fix.messages.errors import (
    conditionally_missing,
    out_of_range,
    translate_field_errors,
)
from workstation.fix.messages.fields import (
    Body,
    get_enum,
    get_time,
    parse_enum,
    put,
    put_int,
    put_time,
    read_alloc_account,
    read_ex_destination,
    require_enum,
)
from workstation.fix.messages.parties import Party, parties_to_body, read_parties
from workstation.fix.messages.prices import PriceFormat, format_price, parse_limit_price

__all__ = [
    "NewOrderSingle",
    "OrderCancelReplaceRequest",
    "OrderCancelRequest",
    "OrderMassCancelRequest",
]

_ZERO = Decimal(0)


def _read_ord_type(msg: FixMessage) -> None:
    require_enum(msg, 40, OrdType)


def _read_expiry(msg: FixMessage) -> tuple[TimeInForce | None, float | None]:
    tif = get_enum(msg, 59, TimeInForce)
    expire = get_time(msg, 126)
    if tif is TimeInForce.GTD and expire is None:
        raise conditionally_missing(126, "ExpireTime is required with TimeInForce GTD")
    return tif, expire


def _check_expiry(tif: TimeInForce | None, expire_time: float | None) -> None:
    if tif is TimeInForce.GTD and expire_time is None:
        raise ValueError("TimeInForce GTD needs an expire_time")


def _read_exec_inst(msg: FixMessage) -> frozenset[ExecInst]:
    text = msg.get(18)
    if text is None:
        return frozenset()
    return frozenset(parse_enum(ExecInst, 18, part) for part in text.split(" ") if part)


@dataclass(frozen=True, slots=True, kw_only=True)
class NewOrderSingle:
    """NewOrderSingle (35=D): a limit order on the YES book. Prices are dollars."""

    MSG_TYPE: ClassVar[str] = "D"

    cl_ord_id: str
    symbol: str
    side: Side
    order_qty: Decimal
    price: Decimal
    time_in_force: TimeInForce | None = None
    expire_time: float | None = None  #: ExpireTime (126), epoch seconds; required with GTD
    post_only: bool = False  #: ExecInst 6
    reduce_only: bool = False  #: ExecInst E (IOC only)
    self_trade_prevention: SelfTradePrevention | None = None
    order_group_id: str | None = None  #: SecondaryClOrdID (526)
    cancel_order_on_pause: bool = False  #: CancelOrderOnPause (21006)
    max_execution_cost: Decimal | None = None  #: MaxExecutionCost (21009), dollars
    alloc_account: int | None = None  #: AllocAccount (79), 0–63
    parties: tuple[Party, ...] = ()
    ex_destination: int | None = None  #: ExDestination (100)
    quote_id: str | None = None  #: QuoteID (117): accept an RFQ quote (§13.4)
    rfq_id: str | None = None  #: RfqId (21023), with quote_id
    transact_time: float | None = None  #: TransactTime (60), seen in the dollars example

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        _check_expiry(self.time_in_force, self.expire_time)
        body: Body = []
        put(body, 11, self.cl_ord_id)
        put(body, 55, self.symbol)
        body.append((54, self.side.value))
        body.append((38, format_qty(self.order_qty)))
        body.append((40, OrdType.LIMIT.value))
        body.append((44, format_price(self.price, price_format)))
        if self.time_in_force is not None:
            body.append((59, self.time_in_force.value))
        put_time(body, 126, self.expire_time)
        inst = [ExecInst.POST_ONLY.value] if self.post_only else []
        if self.reduce_only:
            inst.append(ExecInst.REDUCE_ONLY.value)
        if inst:
            body.append((18, " ".join(inst)))
        if self.self_trade_prevention is not None:
            body.append((2964, self.self_trade_prevention.value))
        put(body, 526, self.order_group_id)
        if self.cancel_order_on_pause:
            body.append((21006, "Y"))
        if self.max_execution_cost is not None:
            body.append((21009, format_money(self.max_execution_cost)))
        put_int(body, 79, self.alloc_account)
        put_int(body, 100, self.ex_destination)
        put(body, 117, self.quote_id)
        put(body, 21023, self.rfq_id)
        put_time(body, 60, self.transact_time)
        parties_to_body(body, self.parties)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> NewOrderSingle:
        _read_ord_type(msg)
        tif, expire = _read_expiry(msg)
        inst = _read_exec_inst(msg)
        max_cost = None
        cost_text = msg.get(21009)
        if cost_text is not None:
            max_cost = parse_money(21009, cost_text)
            if max_cost <= _ZERO:
                raise out_of_range(21009, cost_text, "MaxExecutionCost must be above 0")
        return cls(
            cl_ord_id=msg.require(11),
            symbol=msg.require(55),
            side=require_enum(msg, 54, Side),
            order_qty=parse_qty(38, msg.require(38)),
            price=parse_limit_price(44, msg.require(44), price_format),
            time_in_force=tif,
            expire_time=expire,
            post_only=ExecInst.POST_ONLY in inst,
            reduce_only=ExecInst.REDUCE_ONLY in inst,
            self_trade_prevention=get_enum(msg, 2964, SelfTradePrevention),
            order_group_id=msg.get(526) or msg.get(20130),
            cancel_order_on_pause=msg.get_bool(21006),
            max_execution_cost=max_cost,
            alloc_account=read_alloc_account(msg),
            parties=read_parties(msg),
            ex_destination=read_ex_destination(msg),
            quote_id=msg.get(117),
            rfq_id=msg.get(21023),
            transact_time=get_time(msg, 60),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCancelRequest:
    """OrderCancelRequest (35=F): cancel all that is left of an order."""

    MSG_TYPE: ClassVar[str] = "F"

    cl_ord_id: str  #: a new ClOrdID for this request
    orig_cl_ord_id: str  #: the order's current ClOrdID
    symbol: str
    side: Side
    order_id: str | None = None
    order_qty: Decimal | None = None  #: optional since 1.0.11
    alloc_account: int | None = None
    parties: tuple[Party, ...] = ()
    ex_destination: int | None = None

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 11, self.cl_ord_id)
        put(body, 41, self.orig_cl_ord_id)
        put(body, 37, self.order_id)
        put(body, 55, self.symbol)
        body.append((54, self.side.value))
        if self.order_qty is not None:
            body.append((38, format_qty(self.order_qty)))
        put_int(body, 79, self.alloc_account)
        put_int(body, 100, self.ex_destination)
        parties_to_body(body, self.parties)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> OrderCancelRequest:
        qty_text = msg.get(38)
        return cls(
            cl_ord_id=msg.require(11),
            orig_cl_ord_id=msg.require(41),
            symbol=msg.require(55),
            side=require_enum(msg, 54, Side),
            order_id=msg.get(37),
            order_qty=None if qty_text is None else parse_qty(38, qty_text),
            alloc_account=read_alloc_account(msg),
            parties=read_parties(msg),
            ex_destination=read_ex_destination(msg),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCancelReplaceRequest:
    """OrderCancelReplaceRequest (35=G): new total quantity and/or price (and expiry)."""

    MSG_TYPE: ClassVar[str] = "G"

    cl_ord_id: str  #: a new ClOrdID for the order from now on
    orig_cl_ord_id: str
    symbol: str  #: must match the order
    side: Side  #: must match the order
    order_qty: Decimal  #: the new total quantity, fills included
    price: Decimal | None = None  #: the new price; None keeps it
    order_id: str | None = None
    time_in_force: TimeInForce | None = None  #: None with no expire_time keeps the expiry
    expire_time: float | None = None
    alloc_account: int | None = None
    parties: tuple[Party, ...] = ()
    ex_destination: int | None = None

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        _check_expiry(self.time_in_force, self.expire_time)
        body: Body = []
        put(body, 11, self.cl_ord_id)
        put(body, 41, self.orig_cl_ord_id)
        put(body, 37, self.order_id)
        put(body, 55, self.symbol)
        body.append((54, self.side.value))
        body.append((38, format_qty(self.order_qty)))
        body.append((40, OrdType.LIMIT.value))
        if self.price is not None:
            body.append((44, format_price(self.price, price_format)))
        if self.time_in_force is not None:
            body.append((59, self.time_in_force.value))
        put_time(body, 126, self.expire_time)
        put_int(body, 79, self.alloc_account)
        put_int(body, 100, self.ex_destination)
        parties_to_body(body, self.parties)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> OrderCancelReplaceRequest:
        _read_ord_type(msg)
        tif, expire = _read_expiry(msg)
        price_text = msg.get(44)
        return cls(
            cl_ord_id=msg.require(11),
            orig_cl_ord_id=msg.require(41),
            symbol=msg.require(55),
            side=require_enum(msg, 54, Side),
            order_qty=parse_qty(38, msg.require(38)),
            price=None if price_text is None else parse_limit_price(44, price_text, price_format),
            order_id=msg.get(37),
            time_in_force=tif,
            expire_time=expire,
            alloc_account=read_alloc_account(msg),
            parties=read_parties(msg),
            ex_destination=read_ex_destination(msg),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderMassCancelRequest:
    """OrderMassCancelRequest (35=q): cancel every order of this trading session."""

    MSG_TYPE: ClassVar[str] = "q"

    cl_ord_id: str
    request_type: MassCancelRequestType = MassCancelRequestType.CANCEL_SESSION_ORDERS

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 11, self.cl_ord_id)
        body.append((530, self.request_type.value))
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> OrderMassCancelRequest:
        return cls(
            cl_ord_id=msg.require(11),
            request_type=require_enum(msg, 530, MassCancelRequestType),
        )
