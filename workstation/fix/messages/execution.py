"""Exchange → client order reports: ExecutionReport (8), OrderCancelReject (9) and
OrderMassCancelReport (r). SPEC §9.5–§9.8.

The ExecutionReport parser is on the hot path (tens of thousands a second): it reads the
message's index once per tag, looks enums up in prepared tables, caches checked prices and
quantities, and reads a repeating group only when its count tag is present.

Our readings where the docs leave room:

- reject reports (150=8) "have no valid ExecID" (§9.10): on them ExecID (17) and OrderID (37)
  may be absent, and an ExecID that does not parse reads as ``None``; on every other report
  both are required;
- a trade (150=F) must carry LastPx (31) and LastQty (32) (380=5 otherwise); LastQty > 0;
- Price (44) and LastPx (31) lie strictly between $0 and $1, AvgPx (6) between $0 and $1;
  OrderQty may be 0 (a cancelled order with nothing filled shows 38 = 14 + 151);
- OrdStatus on a Replaced report may be 0, 1 or 5 (§20.17); all three are accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from workstation.fix.message import FieldMissing, FixMessage
from workstation.fix.messages.amounts import format_money, format_qty, parse_money, parse_qty
from workstation.fix.messages.enums import (
    CxlRejReason,
    CxlRejResponseTo,
    ExecType,
    MassCancelRequestType,
    MassCancelResponse,
    OrdRejReason,
    OrdStatus,
    SelfTradePrevention,
    Side,
    TimeInForce,
)
from workstation.fix.messages.errors import conditionally_missing, translate_field_errors
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.fields import (
    Body,
    get_enum,
    get_time,
    parse_enum,
    parse_time,
    put,
    put_int,
    put_time,
    read_alloc_account,
    require_enum,
    slot_builder,
    wire_table,
)
from workstation.fix.messages.money_groups import (
    CollateralChange,
    MiscFee,
    collateral_to_body,
    fees_to_body,
    read_collateral,
    read_fees,
)
from workstation.fix.messages.parties import Party, parties_to_body, read_parties
from workstation.fix.messages.prices import (
    PriceFormat,
    format_avg_price,
    format_price,
    parse_avg_price,
    parse_limit_price,
)
from workstation.fix.values import FieldFormatError, format_bool, parse_bool

__all__ = ["ExecutionReport", "OrderCancelReject", "OrderMassCancelReport"]

_EXEC_TYPES = wire_table(ExecType)
_ORD_STATUSES = wire_table(OrdStatus)
_SIDES = wire_table(Side)


@dataclass(frozen=True, slots=True, kw_only=True)
class ExecutionReport:
    """ExecutionReport (35=8): every field of SPEC §9.6. Prices are dollars."""

    MSG_TYPE: ClassVar[str] = "8"

    exec_id: ExecId | None  #: None only on a reject without a valid ExecID
    order_id: str | None  #: None only on a reject without an OrderID
    cl_ord_id: str
    exec_type: ExecType
    ord_status: OrdStatus
    symbol: str
    side: Side
    order_qty: Decimal
    cum_qty: Decimal
    leaves_qty: Decimal
    avg_px: Decimal
    price: Decimal | None = None  #: Price (44), the order's limit
    orig_cl_ord_id: str | None = None  #: OrigClOrdID (41) on Replaced/Canceled
    last_px: Decimal | None = None  #: LastPx (31), YES price of this fill
    last_qty: Decimal | None = None  #: LastQty (32)
    transact_time: float | None = None  #: TransactTime (60), epoch seconds
    text: str | None = None  #: Text (58), SPEC §9.8
    ord_rej_reason: OrdRejReason | None = None  #: OrdRejReason (103) on rejects
    time_in_force: TimeInForce | None = None
    expire_time: float | None = None  #: ExpireTime (126)
    long_qty: Decimal | None = None  #: LongQty (704), net YES position after a trade
    short_qty: Decimal | None = None  #: ShortQty (705), net NO position after a trade
    fees: tuple[MiscFee, ...] = ()  #: NoMiscFees (136)
    trd_match_id: str | None = None  #: TrdMatchID (880)
    aggressor: bool | None = None  #: AggressorIndicator (1057): True when this order took
    collateral_changes: tuple[CollateralChange, ...] = ()  #: NoCollateralAmountChanges (1703)
    single_market_collateral_return: Decimal | None = None  #: 21030, dollars
    ranged_market_collateral_return: Decimal | None = None  #: 21031, dollars
    alloc_account: int | None = None  #: AllocAccount (79)
    last_mkt: str | None = None  #: LastMkt (30), the exchange index
    clearing_business_date: str | None = None  #: ClearingBusinessDate (715), YYYYMMDD
    self_trade_prevention: SelfTradePrevention | None = None  #: 2964 (dictionary only)
    parties: tuple[Party, ...] = ()

    @property
    def is_pending(self) -> bool:
        """A PendingNew/PendingCancel/PendingReplace report (ExecID ``-1;-1``)."""
        return self.exec_id is not None and self.exec_id.is_pending

    @property
    def is_trade(self) -> bool:
        return self.exec_type is ExecType.TRADE

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        append = body.append
        put(body, 37, self.order_id)
        put(body, 11, self.cl_ord_id)
        put(body, 41, self.orig_cl_ord_id)
        if self.exec_id is not None:
            append((17, str(self.exec_id)))
        append((150, self.exec_type.value))
        append((39, self.ord_status.value))
        if self.ord_rej_reason is not None:
            append((103, str(self.ord_rej_reason.value)))
        put(body, 55, self.symbol)
        append((54, self.side.value))
        append((38, format_qty(self.order_qty)))
        if self.price is not None:
            append((44, format_price(self.price, price_format)))
        if self.time_in_force is not None:
            append((59, self.time_in_force.value))
        put_time(body, 126, self.expire_time)
        if self.last_qty is not None:
            append((32, format_qty(self.last_qty)))
        if self.last_px is not None:
            append((31, format_price(self.last_px, price_format)))
        append((151, format_qty(self.leaves_qty)))
        append((14, format_qty(self.cum_qty)))
        append((6, format_avg_price(self.avg_px, price_format)))
        put_time(body, 60, self.transact_time)
        put(body, 58, self.text)
        put(body, 880, self.trd_match_id)
        if self.aggressor is not None:
            append((1057, format_bool(self.aggressor)))
        if self.long_qty is not None:
            append((704, format_qty(self.long_qty)))
        if self.short_qty is not None:
            append((705, format_qty(self.short_qty)))
        fees_to_body(body, self.fees)
        collateral_to_body(body, self.collateral_changes)
        if self.single_market_collateral_return is not None:
            append((21030, format_money(self.single_market_collateral_return)))
        if self.ranged_market_collateral_return is not None:
            append((21031, format_money(self.ranged_market_collateral_return)))
        put_int(body, 79, self.alloc_account)
        put(body, 30, self.last_mkt)
        put(body, 715, self.clearing_business_date)
        if self.self_trade_prevention is not None:
            append((2964, self.self_trade_prevention.value))
        parties_to_body(body, self.parties)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> ExecutionReport:
        index = msg.index
        get = index.get
        try:
            return cls._read(msg, index, get, price_format)
        except KeyError as exc:  # index[tag] of a required tag
            raise FieldMissing(exc.args[0]) from None

    @classmethod
    def _read(
        cls,
        msg: FixMessage,
        index: Mapping[int, str],
        get: Callable[[int], str | None],
        price_format: PriceFormat,
    ) -> ExecutionReport:
        require = index.__getitem__

        wire = require(150)
        exec_type = _EXEC_TYPES.get(wire) or parse_enum(ExecType, 150, wire)
        wire = require(39)
        ord_status = _ORD_STATUSES.get(wire) or parse_enum(OrdStatus, 39, wire)
        wire = require(54)
        side = _SIDES.get(wire) or parse_enum(Side, 54, wire)
        is_reject = exec_type is ExecType.REJECTED

        exec_id: ExecId | None = None
        order_id = get(37)
        text: str | None = get(17)
        if text is not None:
            try:
                exec_id = ExecId.parse(text)
            except FieldFormatError:
                if not is_reject:
                    raise
        elif not is_reject:
            raise FieldMissing(17)
        if order_id is None and not is_reject:
            raise FieldMissing(37)

        last_px = last_qty = None
        text = get(31)
        if text is not None:
            last_px = parse_limit_price(31, text, price_format)
        text = get(32)
        if text is not None:
            last_qty = parse_qty(32, text)
        if exec_type is ExecType.TRADE:
            if last_px is None:
                raise conditionally_missing(31, "LastPx is required on a trade")
            if last_qty is None:
                raise conditionally_missing(32, "LastQty is required on a trade")

        text = get(44)
        price = None if text is None else parse_limit_price(44, text, price_format)
        text = get(60)
        transact_time = None if text is None else parse_time(60, text)
        text = get(1057)
        aggressor = None if text is None else parse_bool(1057, text)
        text = get(704)
        long_qty = None if text is None else parse_qty(704, text, allow_zero=True)
        text = get(705)
        short_qty = None if text is None else parse_qty(705, text, allow_zero=True)
        text = get(21030)
        single_return = None if text is None else parse_money(21030, text)
        text = get(21031)
        ranged_return = None if text is None else parse_money(21031, text)
        text = get(103)
        rej_reason = None if text is None else parse_enum(OrdRejReason, 103, text)
        text = get(59)
        tif = None if text is None else parse_enum(TimeInForce, 59, text)
        text = get(2964)
        stp = None if text is None else parse_enum(SelfTradePrevention, 2964, text)

        # Positional, in field order (see _build_report).
        return _build_report(
            exec_id,
            order_id,
            require(11),
            exec_type,
            ord_status,
            require(55),
            side,
            parse_qty(38, require(38), allow_zero=True),
            parse_qty(14, require(14), allow_zero=True),
            parse_qty(151, require(151), allow_zero=True),
            parse_avg_price(6, require(6), price_format),
            price,
            get(41),
            last_px,
            last_qty,
            transact_time,
            msg.get_text(58) if 58 in index else None,
            rej_reason,
            tif,
            get_time(msg, 126) if 126 in index else None,
            long_qty,
            short_qty,
            read_fees(msg) if 136 in index else (),
            get(880),
            aggressor,
            read_collateral(msg, numeric_type_means_cents=False) if 1703 in index else (),
            single_return,
            ranged_return,
            read_alloc_account(msg) if 79 in index else None,
            get(30),
            get(715),
            stp,
            read_parties(msg) if 453 in index else (),
        )


#: ``ExecutionReport(...)`` without the per-field cost of a frozen ``__init__`` (hot path).
_build_report = slot_builder(ExecutionReport)


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderCancelReject:
    """OrderCancelReject (35=9): a cancel or replace request failed (SPEC §9.7)."""

    MSG_TYPE: ClassVar[str] = "9"

    order_id: str  #: OrderID (37); ``NONE`` by FIX convention when the order is unknown
    cl_ord_id: str  #: the ClOrdID of the failed request
    ord_status: OrdStatus  #: the order's current status
    response_to: CxlRejResponseTo
    orig_cl_ord_id: str | None = None
    reason: CxlRejReason | None = None  #: CxlRejReason (102)
    text: str | None = None

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 37, self.order_id)
        put(body, 11, self.cl_ord_id)
        put(body, 41, self.orig_cl_ord_id)
        body.append((39, self.ord_status.value))
        body.append((434, self.response_to.value))
        if self.reason is not None:
            body.append((102, str(self.reason.value)))
        put(body, 58, self.text)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> OrderCancelReject:
        return cls(
            order_id=msg.require(37),
            cl_ord_id=msg.require(11),
            ord_status=require_enum(msg, 39, OrdStatus),
            response_to=require_enum(msg, 434, CxlRejResponseTo),
            orig_cl_ord_id=msg.get(41),
            reason=get_enum(msg, 102, CxlRejReason),
            text=msg.get_text(58),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderMassCancelReport:
    """OrderMassCancelReport (35=r): the answer to a mass cancel; ERs follow per order."""

    MSG_TYPE: ClassVar[str] = "r"

    cl_ord_id: str
    order_id: str  #: the "operation ID"
    response: MassCancelResponse
    request_type: MassCancelRequestType | None = None  #: MassCancelRequestType (530) echo
    reject_reason: int | None = None  #: MassCancelRejectReason (532); codes undocumented
    text: str | None = None

    @property
    def rejected(self) -> bool:
        return self.response is MassCancelResponse.REJECTED

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 11, self.cl_ord_id)
        put(body, 37, self.order_id)
        if self.request_type is not None:
            body.append((530, self.request_type.value))
        body.append((531, self.response.value))
        put_int(body, 532, self.reject_reason)
        put(body, 58, self.text)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> OrderMassCancelReport:
        return cls(
            cl_ord_id=msg.require(11),
            order_id=msg.require(37),
            response=require_enum(msg, 531, MassCancelResponse),
            request_type=get_enum(msg, 530, MassCancelRequestType),
            reject_reason=msg.get_int(532),
            text=msg.get_text(58),
        )
