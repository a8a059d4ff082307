"""What changed in the domain: the records every mutator of this package returns.

Each mutator (``Orders.apply_execution_report``, ``Fills.add``, ``Positions.apply_fill``, …)
returns a ``list[Change]``. The records are frozen and carry the new value of what changed
(itself frozen), so a UI bridge can collect the changes of one loop tick and update each
model once per tick (the latest record for a key wins).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workstation.trading.fills import Fill, FillKey
    from workstation.trading.groups import OrderGroup
    from workstation.trading.order import Order
    from workstation.trading.positions import Position
    from workstation.trading.rfq import Rfq
    from workstation.trading.rfq_maker import MakerRfq
    from workstation.trading.settlements import Settlement

__all__ = [
    "Change",
    "FillAdded",
    "FillDuplicateIgnored",
    "FillIgnored",
    "GroupChanged",
    "GroupRequestRefused",
    "MakerRfqChanged",
    "MassCancelAnswered",
    "OrderChanged",
    "PositionChanged",
    "ReportUnmatched",
    "RfqChanged",
    "SettlementChanged",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """Base of every domain change record."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderChanged(Change):
    """An order was created or its state, figures, text or history changed."""

    order: Order


@dataclass(frozen=True, slots=True, kw_only=True)
class FillAdded(Change):
    """A trade ExecutionReport was recorded as a fill for the first time."""

    fill: Fill


@dataclass(frozen=True, slots=True, kw_only=True)
class FillDuplicateIgnored(Change):
    """A trade report with an ExecID already recorded arrived again (live and replayed)."""

    key: FillKey
    healed: bool  #: the copy that was ignored came from a drop-copy replay


@dataclass(frozen=True, slots=True, kw_only=True)
class FillIgnored(Change):
    """A trade report could not be recorded as a fill (no usable ExecID); ``reason`` says why."""

    cl_ord_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionChanged(Change):
    """A fill (or a rebuild after an out-of-order fill) changed a position."""

    position: Position


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupChanged(Change):
    """An order group was created, changed state or limit, or recorded a refusal."""

    group: OrderGroup


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupRequestRefused(Change):
    """An OrderGroupRequest was refused (BusinessMessageReject); ``text`` says why."""

    action: str  #: Create, Reset, Delete, Trigger or Update
    group_id: str | None  #: None for a refused Create
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SettlementChanged(Change):
    """A settlement page arrived; ``settlement.complete`` is True once every page has."""

    settlement: Settlement


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqChanged(Change):
    """One of our RFQs (as requester) changed: acknowledged, quoted, accepted, cancelled…"""

    rfq: Rfq


@dataclass(frozen=True, slots=True, kw_only=True)
class MakerRfqChanged(Change):
    """A request we may quote (as maker) arrived, or our quote's status changed."""

    rfq: MakerRfq


@dataclass(frozen=True, slots=True, kw_only=True)
class MassCancelAnswered(Change):
    """An OrderMassCancelReport arrived; the per-order cancels follow as ExecutionReports."""

    cl_ord_id: str
    accepted: bool
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportUnmatched(Change):
    """A report or reject named nothing we know (order, request, group); shown as a warning."""

    what: str  #: the message type name, e.g. "OrderCancelReject"
    reference: str  #: the identifier it named
    text: str
