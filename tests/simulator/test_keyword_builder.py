"""keyword_builder: the same object as the dataclass's own ``__init__``, defaults included, and a
refusal for any class whose ``__init__`` does more than set its fields."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from workstation.fix.messages.enums import ExecType, OrdStatus, Side
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.money_groups import MiscFee
from workstation.simulator.keyword_builder import keyword_builder


def test_it_builds_what_init_builds_with_the_same_defaults() -> None:
    fields = {
        "exec_id": ExecId(4, 2),
        "order_id": "o-1",
        "cl_ord_id": "c-1",
        "exec_type": ExecType.NEW,
        "ord_status": OrdStatus.NEW,
        "symbol": "KXPT-26NOV24-M1",
        "side": Side.BUY,
        "order_qty": Decimal(5),
        "cum_qty": Decimal(0),
        "leaves_qty": Decimal(5),
        "avg_px": Decimal(0),
        "price": Decimal("0.40"),
        "fees": (MiscFee(amount=Decimal("0.01")),),
    }
    built = keyword_builder(ExecutionReport)(**fields)
    assert type(built) is ExecutionReport
    assert built == ExecutionReport(**fields)  # type: ignore[arg-type]
    assert built.text is None and built.parties == ()
    assert keyword_builder(MiscFee)(amount=Decimal(1)) == MiscFee(amount=Decimal(1))


def test_a_missing_or_unknown_field_is_a_type_error() -> None:
    build = keyword_builder(MiscFee)
    with pytest.raises(TypeError):
        build()
    with pytest.raises(TypeError):
        build(amount=Decimal(1), colour="red")
    with pytest.raises(TypeError):
        build(Decimal(1))  # keyword only, as the dataclass is


@dataclass(slots=True)
class Mutable:
    x: int


@dataclass(frozen=True, slots=True)
class Checked:
    x: int

    def __post_init__(self) -> None:
        if self.x < 0:
            raise ValueError("negative")


@dataclass(frozen=True, slots=True)
class Listed:
    xs: list[int] = field(default_factory=list)


@pytest.mark.parametrize("cls", [Mutable, Checked, Listed, int])
def test_a_class_whose_init_does_more_is_refused(cls: type) -> None:
    with pytest.raises(TypeError):
        keyword_builder(cls)
