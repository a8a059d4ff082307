"""Order-group actions (SPEC §11): create, reset, trigger, delete, update the limit.

Groups belong to one (account, sub-account); an action naming a group of another owner
gets ``ORDER_GROUP_NOT_FOUND``, as Kalshi does. Each success is an
:class:`~.results.OrderGroupChanged` (35=UOH), each refusal an
:class:`~.results.OrderGroupRejected` (35=j). Triggering (by hand, by an update below the
rolling total, or by fills in :mod:`.core`) cancels the group's resting orders with
``ORDER_GROUP_CANCEL``.
"""

from __future__ import annotations

from workstation.simulator.exchange.core import ExchangeCore
from workstation.simulator.exchange.groups import (
    MAX_GROUP_LIMIT,
    GroupAction,
    GroupState,
    OrderGroup,
)
from workstation.simulator.exchange.reasons import Reason
from workstation.simulator.exchange.results import OrderGroupRejected, Result

__all__ = ["GroupDesk"]


class GroupDesk(ExchangeCore):
    """Order-group actions."""

    def create_group(
        self, *, account: str, limit: int, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Create an order group; the exchange picks its ID (SPEC §11.2)."""
        out = self._begin(now)
        action = GroupAction.CREATE
        reason: Reason | None = None
        if self.state.exchange_paused:
            reason = Reason.EXCHANGE_PAUSED
        elif self.ledger.get(account, sub_account) is None:
            reason = Reason.CUSTOMER_ACCOUNT_NOT_FOUND
        elif not 1 <= limit <= MAX_GROUP_LIMIT:
            reason = Reason.INVALID_ORDER
        if reason is not None:
            out.append(
                OrderGroupRejected(
                    transact_time=now,
                    action=action,
                    group_id=None,
                    account=account,
                    sub_account=sub_account,
                    reason=reason,
                )
            )
            return out
        group = OrderGroup(
            group_id=self.ids.group_id(), account=account, sub_account=sub_account, limit=limit
        )
        self.state.groups[group.group_id] = group
        out.append(self._group_changed(group, action, now))
        return out

    def reset_group(
        self, *, account: str, group_id: str, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Clear a group's triggered state and its rolling window."""
        out = self._begin(now)
        group = self._group_for(
            action=GroupAction.RESET,
            account=account,
            sub_account=sub_account,
            group_id=group_id,
            now=now,
            out=out,
        )
        if group is not None:
            group.reset()
            out.append(self._group_changed(group, GroupAction.RESET, now))
        return out

    def trigger_group(
        self, *, account: str, group_id: str, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Trigger a group by hand: cancel its orders and refuse new ones until reset."""
        out = self._begin(now)
        group = self._group_for(
            action=GroupAction.TRIGGER,
            account=account,
            sub_account=sub_account,
            group_id=group_id,
            now=now,
            out=out,
        )
        if group is not None:
            group.state = GroupState.TRIGGERED
            out.append(self._group_changed(group, GroupAction.TRIGGER, now))
            self._cancel_group_orders(group, now, out)
        return out

    def delete_group(
        self, *, account: str, group_id: str, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Delete a group; its resting orders are cancelled."""
        out = self._begin(now)
        group = self._group_for(
            action=GroupAction.DELETE,
            account=account,
            sub_account=sub_account,
            group_id=group_id,
            now=now,
            out=out,
        )
        if group is not None:
            del self.state.groups[group_id]
            out.append(self._group_changed(group, GroupAction.DELETE, now))
            self._cancel_group_orders(group, now, out)
        return out

    def update_group_limit(
        self, *, account: str, group_id: str, limit: int, now: float, sub_account: int = 0
    ) -> list[Result]:
        """Change a group's limit; below the current rolling total it triggers."""
        out = self._begin(now)
        if not 1 <= limit <= MAX_GROUP_LIMIT:
            out.append(
                OrderGroupRejected(
                    transact_time=now,
                    action=GroupAction.UPDATE,
                    group_id=group_id,
                    account=account,
                    sub_account=sub_account,
                    reason=Reason.INVALID_ORDER,
                )
            )
            return out
        group = self._group_for(
            action=GroupAction.UPDATE,
            account=account,
            sub_account=sub_account,
            group_id=group_id,
            now=now,
            out=out,
        )
        if group is not None:
            triggered = group.update_limit(limit, now)
            out.append(self._group_changed(group, GroupAction.UPDATE, now))
            if triggered:
                out.append(self._group_changed(group, GroupAction.TRIGGER, now, requested=False))
                self._cancel_group_orders(group, now, out)
        return out

    def _group_for(
        self,
        *,
        action: GroupAction,
        account: str,
        sub_account: int,
        group_id: str,
        now: float,
        out: list[Result],
    ) -> OrderGroup | None:
        group = self.state.groups.get(group_id)
        reason: Reason | None = None
        if self.state.exchange_paused:
            reason = Reason.EXCHANGE_PAUSED
        elif group is None or group.account != account or group.sub_account != sub_account:
            reason = Reason.ORDER_GROUP_NOT_FOUND
        if reason is not None:
            out.append(
                OrderGroupRejected(
                    transact_time=now,
                    action=action,
                    group_id=group_id,
                    account=account,
                    sub_account=sub_account,
                    reason=reason,
                )
            )
            return None
        return group
