"""Applies what the venue sends to the trading state, and says what changed.

Every application message from any session comes through :class:`Inbound`: it is parsed into
its typed form (with the session's price format), applied to the orders, fills, positions,
groups and settlements, and the resulting :class:`~workstation.trading.changes.Change` records
are returned for the UI. A message that cannot be read is never fatal: it becomes a notice that
names the message and the problem, and nothing already applied is touched.

Replays (KalshiRT resends with PossDup, KalshiDC drop copy) go through the same path: fills are
keyed by (venue, account, ExecID) and an older report never rolls an order back, so a report
that arrives twice is applied once (DESIGN.md, DECISIONS.md "Identity of fills").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workstation.fix.dialect import SessionType
from workstation.fix.message import FixMessage
from workstation.fix.messages import (
    BusinessMessageReject,
    EventResendComplete,
    EventResendReject,
    ExecutionReport,
    MarketSettlementReport,
    MessageError,
    OrderCancelReject,
    OrderGroupResponse,
    OrderMassCancelReport,
)
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.values import FieldFormatError
from workstation.trading.changes import Change, FillAdded
from workstation.trading.fills import Fills
from workstation.trading.groups import OrderGroups
from workstation.trading.orders import Orders
from workstation.trading.positions import Positions
from workstation.trading.settlements import Settlements

__all__ = ["Inbound", "InboundResult"]

_ORDER_MESSAGES = frozenset({"D", "F", "G", "q"})
_EU1_REJECT_REASONS = {
    1: "too many drop-copy requests; wait a few seconds and it will be asked again",
    2: "the venue had a server error",
    3: "the missing fills are older than the 3-hour drop-copy window: check Kalshi's website "
    "or REST fills for that period",
    4: "the request ran past the newest ExecID",
}


@dataclass
class InboundResult:
    changes: list[Change] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    healed_fills: int = 0


class Inbound:
    """Routes parsed messages into the trading state (see the module docstring)."""

    def __init__(
        self,
        *,
        orders: Orders,
        fills: Fills,
        positions: Positions,
        groups: OrderGroups,
        settlements: Settlements,
    ) -> None:
        self.orders = orders
        self.fills = fills
        self.positions = positions
        self.groups = groups
        self.settlements = settlements

    def apply(
        self,
        msg: FixMessage,
        *,
        session: SessionType,
        venue: str,
        account: str,
        price_format: PriceFormat,
        now: float,
    ) -> InboundResult:
        result = InboundResult()
        try:
            self._apply(msg, session, venue, account, price_format, now, result)
        except (MessageError, FieldFormatError, KeyError, ValueError) as exc:
            result.notices.append(
                f"Could not read a {msg.msg_type} message from {session.value} "
                f"(MsgSeqNum {msg.seq_num}): {exc}. It was logged and skipped."
            )
        return result

    def _apply(
        self,
        msg: FixMessage,
        session: SessionType,
        venue: str,
        account: str,
        fmt: PriceFormat,
        now: float,
        result: InboundResult,
    ) -> None:
        kind = msg.msg_type
        if kind == "8":
            report = ExecutionReport.from_message(msg, fmt)
            healed = session is SessionType.DC
            self._execution(report, venue, account, now, healed, result)
        elif kind == "9":
            cancel_reject = OrderCancelReject.from_message(msg, fmt)
            result.changes += self.orders.apply_cancel_reject(cancel_reject, venue=venue, now=now)
        elif kind == "j":
            business = BusinessMessageReject.from_message(msg, fmt)
            self._business_reject(business, session, now, result)
        elif kind == "r":
            mass = OrderMassCancelReport.from_message(msg, fmt)
            if mass.rejected:
                result.notices.append(f"Cancel all was refused by {session.value}: {mass.text}")
        elif kind == "UOH":
            response = OrderGroupResponse.from_message(msg, fmt)
            result.changes += self.groups.apply_response(response, now=now)
        elif kind == "UMS":
            settlement = MarketSettlementReport.from_message(msg, fmt)
            result.changes += self.settlements.apply_report(
                settlement,
                venue=venue,
                account=account,
                positions=self.positions.in_market(venue, account, settlement.symbol),
                now=now,
            )
        elif kind == "U2":
            done = EventResendComplete.from_message(msg, fmt)
            count = done.resend_event_count
            result.notices.append(f"Drop copy replayed {count} execution report(s)")
        elif kind == "U3":
            refused = EventResendReject.from_message(msg, fmt)
            why = _EU1_REJECT_REASONS.get(int(refused.reason), "the venue refused it")
            result.notices.append(f"Drop copy could not heal the gap: {why}")

    def _business_reject(
        self, reject: BusinessMessageReject, session: SessionType, now: float, result: InboundResult
    ) -> None:
        if reject.ref_msg_type == "UOG":
            result.changes += self.groups.apply_business_reject(reject, now=now)
        elif reject.ref_msg_type in _ORDER_MESSAGES or reject.ref_msg_type is None:
            result.changes += self.orders.apply_business_reject(reject, now=now)
        result.notices.append(
            f"{session.value} refused a {reject.ref_msg_type or 'message'}: "
            f"{reject.text or reject.reason.name}"
        )

    def _execution(
        self,
        er: ExecutionReport,
        venue: str,
        account: str,
        now: float,
        healed: bool,
        result: InboundResult,
    ) -> None:
        result.changes += self.orders.apply_execution_report(
            er, venue=venue, account=account, now=now, healed=healed
        )
        for change in self.fills.add(er, venue=venue, account=account, now=now, healed=healed):
            result.changes.append(change)
            if isinstance(change, FillAdded):
                fill = change.fill
                result.changes += self.positions.apply_fill(fill)
                if healed:
                    result.healed_fills += 1
                order = self.orders.get(er.cl_ord_id)
                if order is not None and order.order_group_id:
                    result.changes += self.groups.record_fill(
                        order.order_group_id, fill.quantity, at=fill.at
                    )
