"""Builders for the typed messages the trading tests feed in (real message classes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workstation.fix.messages.enums import (
    CollateralAmountType,
    ExecType,
    OrdRejReason,
    OrdStatus,
    Side,
)
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.money_groups import CollateralChange, MiscFee
from workstation.fix.messages.orders import NewOrderSingle

VENUE = "sim-1"
ACCOUNT = "acct"
SYMBOL = "HIGHNY-23DEC31"


def d(text: str | int) -> Decimal:
    return Decimal(str(text))


def nos(cl: str = "c1", *, side: Side = Side.BUY, qty: int = 10, price: str = "0.50", **kw: Any):
    return NewOrderSingle(
        cl_ord_id=cl,
        symbol=kw.pop("symbol", SYMBOL),
        side=side,
        order_qty=d(qty),
        price=d(price),
        **kw,
    )


def report(
    exec_type: ExecType,
    ord_status: OrdStatus,
    *,
    cl: str = "c1",
    exec_id: str | None = "1;1",
    order_id: str | None = "o1",
    side: Side = Side.BUY,
    qty: int | str = 10,
    cum: int | str = 0,
    leaves: int | str | None = None,
    avg: str = "0",
    price: str | None = "0.50",
    **kw: Any,
) -> ExecutionReport:
    """An ExecutionReport; ``leaves`` defaults to qty − cum."""
    order_qty, cum_qty = d(qty), d(cum)
    return ExecutionReport(
        exec_id=None if exec_id is None else ExecId.parse(exec_id),
        order_id=order_id,
        cl_ord_id=cl,
        exec_type=exec_type,
        ord_status=ord_status,
        symbol=kw.pop("symbol", SYMBOL),
        side=side,
        order_qty=order_qty,
        cum_qty=cum_qty,
        leaves_qty=order_qty - cum_qty if leaves is None else d(leaves),
        avg_px=d(avg),
        price=None if price is None else d(price),
        **kw,
    )


def new(cl: str = "c1", exec_id: str = "1;1", **kw: Any) -> ExecutionReport:
    return report(ExecType.NEW, OrdStatus.NEW, cl=cl, exec_id=exec_id, **kw)


def pending_new(cl: str = "c1", **kw: Any) -> ExecutionReport:
    return report(ExecType.PENDING_NEW, OrdStatus.PENDING_NEW, cl=cl, exec_id="-1;-1", **kw)


def trade(
    cl: str = "c1",
    exec_id: str = "2;1",
    *,
    last_qty: int | str,
    last_px: str,
    cum: int | str,
    avg: str | None = None,
    fee: str | None = None,
    balance: str | None = None,
    **kw: Any,
) -> ExecutionReport:
    qty = d(kw.pop("qty", 10))
    status = OrdStatus.FILLED if d(cum) >= qty else OrdStatus.PARTIALLY_FILLED
    return report(
        ExecType.TRADE,
        kw.pop("ord_status", status),
        cl=cl,
        exec_id=exec_id,
        qty=str(qty),
        cum=cum,
        avg=avg or last_px,
        last_qty=d(last_qty),
        last_px=d(last_px),
        fees=() if fee is None else (MiscFee(amount=d(fee)),),
        collateral_changes=kw.pop("collateral_changes", None)
        or (
            ()
            if balance is None
            else (CollateralChange(amount=d(balance), kind=CollateralAmountType.BALANCE),)
        ),
        **kw,
    )


def reject(
    cl: str = "c1", text: str | None = None, reason: OrdRejReason = OrdRejReason.OTHER, **kw: Any
):
    return report(
        ExecType.REJECTED,
        OrdStatus.REJECTED,
        cl=cl,
        exec_id=kw.pop("exec_id", None),
        order_id=kw.pop("order_id", None),
        cum=0,
        leaves=0,
        text=text,
        ord_rej_reason=reason,
        **kw,
    )
