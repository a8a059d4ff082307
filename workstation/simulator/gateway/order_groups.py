"""Order groups on KalshiNR and KalshiRT: OrderGroupRequest (UOG) → OrderGroupResponse (UOH).
SPEC §11, §7.6, §7.7, §19.6.

- A listener session is refused (BusinessMessageReject, as for orders).
- A malformed request is a Reject (35=3): an OrderGroupID that is not a UUID (373=6), a
  contracts limit outside 1–1,000,000 (373=5), a bad action (373=5). A missing ID or limit,
  or an ID sent on Create, is a BusinessMessageReject (380=5 / 380=0) — the typed parser's
  :class:`MessageError` says which.
- The exchange's refusals are BusinessMessageRejects with the reason as Text (errors are
  never UOH): ``ORDER_GROUP_NOT_FOUND`` with 380=1 Unknown ID (SPEC §19.6 allows 0 or 1),
  ``EXCHANGE_PAUSED`` with 380=4 Application not available, anything else with 380=0.
  BusinessRejectRefID (379) names the group.
- Success is a UOH with the group's ID, its limit on Create and Update (20132), and the
  AllocAccount (79) when the request carried one. Orders the action cancels (Trigger, Delete,
  an Update below the rolling total) follow as ExecutionReports with Text ORDER_GROUP_CANCEL.

Groups that trigger on their own (their fills exceeded the limit) send no UOH: their
cancelled orders' reports carry ORDER_GROUP_CANCEL. The exchange measures the 15-second
window when fills arrive and when a limit changes, so no timer sweep is needed.
"""

from __future__ import annotations

from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import BusinessRejectReason, OrderGroupAction
from workstation.fix.messages.order_groups import OrderGroupRequest, OrderGroupResponse
from workstation.simulator.client import ClientSession
from workstation.simulator.exchange.reasons import Reason
from workstation.simulator.exchange.results import (
    OrderGroupChanged,
    OrderGroupRejected,
    Result,
)
from workstation.simulator.gateway.fanout import ReportFanout
from workstation.simulator.gateway.order_entry import ORDER_SESSIONS, read_request
from workstation.simulator.venue import Venue

__all__ = ["OrderGroupDesk", "group_reject_reason"]

_ECHO_LIMIT = frozenset({OrderGroupAction.CREATE, OrderGroupAction.UPDATE})


def group_reject_reason(reason: Reason) -> BusinessRejectReason:
    """BusinessRejectReason (380) for an exchange refusal of an order-group action."""
    if reason is Reason.ORDER_GROUP_NOT_FOUND:
        return BusinessRejectReason.UNKNOWN_ID
    if reason is Reason.EXCHANGE_PAUSED:
        return BusinessRejectReason.APPLICATION_NOT_AVAILABLE
    return BusinessRejectReason.OTHER


class OrderGroupDesk:
    """The UOG handler of one venue."""

    def __init__(self, venue: Venue, fanout: ReportFanout) -> None:
        self._venue = venue
        self._fanout = fanout

    def register(self) -> None:
        for session_type in ORDER_SESSIONS:
            self._venue.on(session_type, "UOG", self.on_request)

    def on_request(self, client: ClientSession, msg: FixMessage, now: float) -> None:
        req = read_request(self._fanout, client, msg, OrderGroupRequest.from_message)
        if req is None:
            return
        results = self._act(client, req, now)
        answered = False
        for result in results:
            if isinstance(result, OrderGroupChanged) and result.requested and not answered:
                answered = True
                self._fanout.send(
                    client,
                    OrderGroupResponse(
                        order_group_id=result.group_id,
                        contracts_limit=result.limit if req.action in _ECHO_LIMIT else None,
                        alloc_account=req.alloc_account,
                    ),
                )
            elif isinstance(result, OrderGroupRejected):
                self._fanout.business_reject(
                    client,
                    msg,
                    group_reject_reason(result.reason),
                    result.reason.value,
                    ref_tag=None if result.group_id is None else 20130,
                    ref_id=result.group_id,
                )
        self._fanout.deliver(results, now, requester=client)
        self._fanout.publish(results, now)

    def _act(self, client: ClientSession, req: OrderGroupRequest, now: float) -> list[Result]:
        exchange = self._venue.exchange
        account = client.account
        sub_account = req.alloc_account or 0
        action = req.action
        if action is OrderGroupAction.CREATE:
            assert req.contracts_limit is not None  # the parser requires it
            return exchange.create_group(
                account=account, limit=req.contracts_limit, now=now, sub_account=sub_account
            )
        group_id = req.order_group_id
        assert group_id is not None  # the parser requires it for every other action
        if action is OrderGroupAction.UPDATE:
            assert req.contracts_limit is not None
            return exchange.update_group_limit(
                account=account,
                group_id=group_id,
                limit=req.contracts_limit,
                now=now,
                sub_account=sub_account,
            )
        verb = {
            OrderGroupAction.RESET: exchange.reset_group,
            OrderGroupAction.DELETE: exchange.delete_group,
            OrderGroupAction.TRIGGER: exchange.trigger_group,
        }[action]
        return verb(account=account, group_id=group_id, now=now, sub_account=sub_account)
