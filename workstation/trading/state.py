"""The workstation's whole domain state, and the one place typed messages are routed into it.

:meth:`TradingState.apply` takes any inbound typed application message and returns the
changes it caused, across stores: a trade ExecutionReport moves its order, adds its fill
(once), updates the position and the order group's gauge; a cancel for ORDER_GROUP_CANCEL
or a reject for EXCEEDED_ORDER_GROUP_RISK_LIMIT shows the group triggered; a complete
settlement is reconciled against the positions and then booked into them. What the
workstation *sends* is recorded on the stores directly (``orders.submitted``,
``orders.cancel_requested``, ``groups.requested``, ``rfqs.requested`` …).

``venue`` names the exchange instance (ExecIDs are unique only within one), ``account`` the
trading identity on it; ``now`` is the caller's clock (epoch seconds) — nothing here reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import ExecType, MarketResult, MassCancelResponse
from workstation.fix.messages.execution import (
    ExecutionReport,
    OrderCancelReject,
    OrderMassCancelReport,
)
from workstation.fix.messages.order_groups import OrderGroupResponse
from workstation.fix.messages.rfq_creator import (
    AcceptQuoteStatusReport,
    QuoteNotification,
    QuoteRequestAck,
    RfqCancelStatusReport,
)
from workstation.fix.messages.rfq_maker import (
    QuoteCancelStatusReport,
    QuoteConfirmStatusReport,
    QuoteRequest,
    QuoteRequestReject,
    QuoteStatusReport,
)
from workstation.fix.messages.settlement import MarketSettlementReport
from workstation.trading.changes import (
    Change,
    FillAdded,
    MassCancelAnswered,
    OrderChanged,
    ReportUnmatched,
    SettlementChanged,
)
from workstation.trading.fills import Fills
from workstation.trading.groups import OrderGroups
from workstation.trading.orders import Orders
from workstation.trading.positions import Positions
from workstation.trading.reasons import Cause, cause_of
from workstation.trading.rfq import Rfqs
from workstation.trading.rfq_maker import MakerRfqs
from workstation.trading.settlements import Settlements

__all__ = ["TradingState"]

_ORDER_MSG_TYPES = frozenset({"D", "F", "G", "q"})
_GROUP_MSG_TYPES = frozenset({"UOG"})
_CREATOR_MSG_TYPES = frozenset({"R", "UA", "UE"})
_MAKER_MSG_TYPES = frozenset({"S", "Z", "U7"})
_GROUP_CAUSES = {
    Cause.GROUP_CANCEL: "cancelled by its order group",
    Cause.GROUP_LIMIT: "order group limit exceeded",
}


class TradingState:
    """Orders, fills, positions, order groups, RFQs (both roles) and settlements."""

    def __init__(self) -> None:
        self.orders = Orders()
        self.fills = Fills()
        self.positions = Positions()
        self.groups = OrderGroups()
        self.rfqs = Rfqs()
        self.maker_rfqs = MakerRfqs()
        self.settlements = Settlements()
        self._handlers: dict[type[Any], Callable[..., list[Change]]] = {
            ExecutionReport: self.on_execution_report,
            OrderCancelReject: self._on_cancel_reject,
            BusinessMessageReject: self._on_business_reject,
            OrderMassCancelReport: self._on_mass_cancel_report,
            OrderGroupResponse: self._on_group_response,
            MarketSettlementReport: self.on_settlement,
            QuoteRequestAck: self._on_rfq(self.rfqs.apply_ack),
            QuoteNotification: self._on_rfq(self.rfqs.apply_quote),
            AcceptQuoteStatusReport: self._on_rfq(self.rfqs.apply_accept_status),
            RfqCancelStatusReport: self._on_rfq(self.rfqs.apply_cancel_status),
            QuoteRequest: self._on_rfq(self.maker_rfqs.apply_request),
            QuoteStatusReport: self._on_rfq(self.maker_rfqs.apply_status),
            QuoteConfirmStatusReport: self._on_rfq(self.maker_rfqs.apply_confirm_status),
            QuoteCancelStatusReport: self._on_rfq(self.maker_rfqs.apply_cancel_status),
            QuoteRequestReject: self._on_quote_request_reject,
        }

    def apply(
        self, message: object, *, venue: str, account: str, now: float, healed: bool = False
    ) -> list[Change]:
        """Apply one inbound typed message; TypeError for a type the domain does not take."""
        handler = self._handlers.get(type(message))
        if handler is None:
            raise TypeError(f"the trading state takes no {type(message).__name__}")
        return handler(message, venue=venue, account=account, now=now, healed=healed)

    def on_execution_report(
        self, er: ExecutionReport, *, venue: str, account: str, now: float, healed: bool = False
    ) -> list[Change]:
        """Order, then (for a trade) fill, position and group gauge; group triggers by Text."""
        changes = self.orders.apply_execution_report(
            er, venue=venue, account=account, now=now, healed=healed
        )
        order = next((c.order for c in changes if isinstance(c, OrderChanged)), None)
        group_id = None if order is None else order.order_group_id
        if er.exec_type is ExecType.TRADE:
            for change in self.fills.add(er, venue=venue, account=account, now=now, healed=healed):
                changes.append(change)
                if isinstance(change, FillAdded):
                    changes += self.positions.apply_fill(change.fill)
                    if group_id is not None:
                        changes += self.groups.record_fill(group_id, change.fill.quantity, at=now)
        trigger = _GROUP_CAUSES.get(cause_of(er.text))
        if group_id is not None and trigger is not None:
            changes += self.groups.mark_triggered(group_id, trigger, now=now)
        return changes

    def _on_cancel_reject(
        self, reject: OrderCancelReject, *, venue: str, now: float, **_: object
    ) -> list[Change]:
        return self.orders.apply_cancel_reject(reject, venue=venue, now=now)

    def _on_business_reject(
        self, reject: BusinessMessageReject, *, now: float, **_: object
    ) -> list[Change]:
        """Route a 35=j by RefMsgType (372); without one, to whichever store knows its RefID."""
        kind = reject.ref_msg_type
        if kind in _GROUP_MSG_TYPES:
            return self.groups.apply_business_reject(reject, now=now)
        if kind in _CREATOR_MSG_TYPES:
            return self.rfqs.apply_business_reject(reject, now=now)
        if kind in _MAKER_MSG_TYPES:
            return self.maker_rfqs.apply_business_reject(reject, now=now)
        if kind is None or kind in _ORDER_MSG_TYPES:
            return self.orders.apply_business_reject(reject, now=now)
        reference = reject.ref_id or f"{kind} MsgSeqNum {reject.ref_seq_num}"
        return [
            ReportUnmatched(
                what="BusinessMessageReject", reference=reference, text=reject.text or ""
            )
        ]

    def _on_mass_cancel_report(self, report: OrderMassCancelReport, **_: object) -> list[Change]:
        accepted = report.response is not MassCancelResponse.REJECTED
        text = report.text or ("" if accepted else f"rejected (reason {report.reject_reason})")
        return [MassCancelAnswered(cl_ord_id=report.cl_ord_id, accepted=accepted, text=text)]

    def _on_group_response(
        self, response: OrderGroupResponse, *, now: float, **_: object
    ) -> list[Change]:
        return self.groups.apply_response(response, now=now)

    def _on_rfq(self, method: Callable[..., list[Change]]) -> Callable[..., list[Change]]:
        def handle(message: object, *, now: float, **_: object) -> list[Change]:
            return method(message, now=now)

        return handle

    def _on_quote_request_reject(
        self, reject: QuoteRequestReject, *, now: float, **_: object
    ) -> list[Change]:
        """AG goes to our own RFQ when it names one, else to the request we were quoting."""
        if self.rfqs.get(reject.quote_req_id) or self.rfqs.by_rfq_id(reject.quote_req_id):
            return self.rfqs.apply_reject(reject, now=now)
        return self.maker_rfqs.apply_reject(reject, now=now)

    def recover_settlement(
        self, report: MarketSettlementReport, *, venue: str, account: str, now: float
    ) -> list[Change]:
        """A settlement read from the venue's REST history (KalshiPT could not resend its
        report): booked like a complete UMS and marked recovered, unless the market's
        settlement is already held (see ``settlements``)."""
        return self.on_settlement(report, venue=venue, account=account, now=now, recovered=True)

    def on_settlement(
        self,
        report: MarketSettlementReport,
        *,
        venue: str,
        account: str,
        now: float,
        recovered: bool = False,
        **_: object,
    ) -> list[Change]:
        """Add a settlement page; once complete, reconcile it, then close the positions."""
        before = self.settlements.get(venue, report.symbol)
        was_complete = before is not None and before.complete
        changes = self.settlements.apply_report(
            report,
            venue=venue,
            account=account,
            positions=self.positions.in_market(venue, account, report.symbol),
            now=now,
            recovered=recovered,
        )
        for change in list(changes):
            settlement = change.settlement if isinstance(change, SettlementChanged) else None
            if settlement is None or not settlement.complete or was_complete:
                continue
            price = settlement.settlement_price
            if settlement.result is MarketResult.YES:
                yes_value = Decimal(1)
            elif settlement.result is MarketResult.NO:
                yes_value = Decimal(0)
            else:
                yes_value = Decimal(0) if price is None else price
            fees = {r.sub_account: r.fee for r in settlement.reconciliation if r.party_id}
            changes += self.positions.settle_market(
                venue, account, settlement.symbol, yes_value, fees
            )
        return changes
