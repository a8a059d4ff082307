"""Fee (136) and collateral-change (1703) repeating groups, on trade ERs and inside UMS parties.

Both carry dollars. The one exception is the 1.0.13 settlement example, which wrote the
collateral type as a number (1 = Balance, 2 = Payout) and the amount in cents; DECISIONS.md
reads a numeric 1705 in a UMS as "1704 is cents" and a string 1705 as "1704 is dollars"
(SPEC §12, §20.13). ExecutionReports always used the strings and dollars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from workstation.fix.messages.amounts import format_money, parse_money
from workstation.fix.messages.enums import CollateralAmountType
from workstation.fix.messages.errors import out_of_range
from workstation.fix.messages.fields import (
    Body,
    Entry,
    Fields,
    entry_fields,
    flat_group,
    put,
    require_in,
)

__all__ = [
    "CollateralChange",
    "MiscFee",
    "collateral_to_body",
    "fees_to_body",
    "read_collateral",
    "read_fees",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class MiscFee:
    """One fee entry: MiscFeeAmt (137, dollars, may be negative for a rebate) and its labels."""

    amount: Decimal
    currency: str = "USD"  #: MiscFeeCurr (138)
    fee_type: str = "4"  #: MiscFeeType (139): 4 = exchange fees
    basis: str = "0"  #: MiscFeeBasis (891): 0 = absolute


@dataclass(frozen=True, slots=True, kw_only=True)
class CollateralChange:
    """One collateral change: CollateralAmountChange (1704, signed dollars) and its type."""

    amount: Decimal
    kind: CollateralAmountType


def fees_to_body(body: Body, fees: Sequence[MiscFee]) -> None:
    if not fees:
        return
    body.append((136, str(len(fees))))
    for fee in fees:
        body.append((137, format_money(fee.amount)))
        put(body, 138, fee.currency)
        put(body, 139, fee.fee_type)
        put(body, 891, fee.basis)


_FEE_MEMBERS = frozenset({137, 138, 139, 891})
_COLLATERAL_MEMBERS = frozenset({1704, 1705})


_FEES: dict[Entry, MiscFee] = {}


def read_fees(fields: Fields) -> tuple[MiscFee, ...]:
    """The 136 entries; 138/139/891 default to USD / exchange fee / absolute."""
    fees = []
    for entry in flat_group(fields, 136, 137, _FEE_MEMBERS):
        fee = _FEES.get(entry)
        if fee is None:
            values = entry_fields(entry)
            fee = MiscFee(
                amount=parse_money(137, require_in(values, 137)),
                currency=values.get(138, "USD"),
                fee_type=values.get(139, "4"),
                basis=values.get(891, "0"),
            )
            if len(_FEES) >= 4096:
                _FEES.clear()
            _FEES[entry] = fee
        fees.append(fee)
    return tuple(fees)


def collateral_to_body(body: Body, changes: Sequence[CollateralChange]) -> None:
    if not changes:
        return
    body.append((1703, str(len(changes))))
    for change in changes:
        body.append((1704, format_money(change.amount)))
        body.append((1705, change.kind.value))


_TYPES = {
    "BALANCE": CollateralAmountType.BALANCE,
    "PAYOUT": CollateralAmountType.PAYOUT,
    "1": CollateralAmountType.BALANCE,
    "2": CollateralAmountType.PAYOUT,
}


_COLLATERAL: dict[tuple[Entry, bool], CollateralChange] = {}


def read_collateral(
    fields: Fields, *, numeric_type_means_cents: bool
) -> tuple[CollateralChange, ...]:
    """The 1703 entries; with ``numeric_type_means_cents`` a 1705 of 1/2 marks 1704 as cents."""
    changes = []
    for entry in flat_group(fields, 1703, 1704, _COLLATERAL_MEMBERS):
        key = (entry, numeric_type_means_cents)
        change = _COLLATERAL.get(key)
        if change is None:
            values = entry_fields(entry)
            type_text = require_in(values, 1705)
            kind = _TYPES.get(type_text) or _TYPES.get(type_text.upper())
            if kind is None:
                raise out_of_range(1705, type_text, "BALANCE or PAYOUT")
            amount = parse_money(1704, require_in(values, 1704))
            if numeric_type_means_cents and type_text.isdigit():
                amount = amount.scaleb(-2)
            change = CollateralChange(amount=amount, kind=kind)
            if len(_COLLATERAL) >= 4096:
                _COLLATERAL.clear()
            _COLLATERAL[key] = change
        changes.append(change)
    return tuple(changes)
