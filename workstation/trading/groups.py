"""Order groups we created, their state, and the rolling 15-second fill gauge (SPEC §11).

A group caps the contracts its orders may fill in a rolling 15 seconds; when the total
exceeds the limit the exchange cancels the group's orders and refuses new ones until the
group is reset. The exchange answers an OrderGroupRequest (UOG) with an OrderGroupResponse
(UOH) naming the group — which carries no request ID, so answers are matched to our requests
in the order sent (the exchange answers one session's requests in order): a UOH for a group
we do not know answers our oldest Create; one for a known group answers our oldest request
on that group. Refusals come back as BusinessMessageRejects, matched by RefSeqNum when we
know what we sent with it, else to the oldest request.

States: ACTIVE (fills counted), TRIGGERED (orders cancelled, new ones refused), DELETED.
Besides our own Trigger, a group is seen TRIGGERED when one of its orders is cancelled with
``ORDER_GROUP_CANCEL`` or refused with ``EXCEEDED_ORDER_GROUP_RISK_LIMIT``, and when an
Update sets the limit below the rolling total.

The gauge counts our own fills, at the time we *received* them (the same clock as the
``now`` the gauge is read with), since the last reset.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import OrderGroupAction
from workstation.fix.messages.order_groups import OrderGroupRequest, OrderGroupResponse
from workstation.trading.changes import Change, GroupChanged, GroupRequestRefused
from workstation.trading.subaccounts import sub_account_of

__all__ = ["WINDOW_SECONDS", "GroupGauge", "GroupState", "OrderGroup", "OrderGroups"]

WINDOW_SECONDS = 15.0
_ZERO = Decimal(0)


class GroupState(Enum):
    ACTIVE = "Active"
    TRIGGERED = "Triggered"
    DELETED = "Deleted"


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderGroup:
    """One order group."""

    group_id: str
    contracts_limit: int | None  #: None if never told (a group created elsewhere, pre-1.0.21)
    sub_account: str | None
    state: GroupState
    created_at: float
    updated_at: float
    reset_at: float | None = None  #: the gauge counts fills after this
    note: str = ""  #: why it was triggered, or the last refusal


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupGauge:
    """The rolling 15-second filled contracts against the group's limit."""

    filled: Decimal
    limit: int | None

    @property
    def fraction(self) -> Decimal | None:
        """filled ÷ limit (above 1 means the limit is exceeded), or None without a limit."""
        return None if not self.limit else self.filled / self.limit


@dataclass(frozen=True, slots=True, kw_only=True)
class _Request:
    request: OrderGroupRequest
    sent_at: float
    seq_num: int | None


def _action_name(action: OrderGroupAction) -> str:
    return action.name.title()


class OrderGroups:
    """Our order groups and requests in flight."""

    def __init__(self) -> None:
        self._groups: dict[str, OrderGroup] = {}
        self._requests: list[_Request] = []
        self._fills: dict[str, deque[tuple[float, Decimal]]] = {}

    def get(self, group_id: str) -> OrderGroup | None:
        return self._groups.get(group_id)

    def __iter__(self) -> Iterator[OrderGroup]:
        return iter(self._groups.values())

    def __len__(self) -> int:
        return len(self._groups)

    def requested(
        self, request: OrderGroupRequest, *, now: float, seq_num: int | None = None
    ) -> list[Change]:
        """We are sending ``request`` (the state changes when it is answered)."""
        self._requests.append(_Request(request=request, sent_at=now, seq_num=seq_num))
        return []

    def _take_request(self, group_id: str | None, known: bool) -> _Request | None:
        for i, pending in enumerate(self._requests):
            action = pending.request.action
            if (known and pending.request.order_group_id == group_id) or (
                not known and action is OrderGroupAction.CREATE
            ):
                return self._requests.pop(i)
        return None

    def apply_response(self, response: OrderGroupResponse, *, now: float) -> list[Change]:
        """An OrderGroupResponse (UOH): the request it answers succeeded."""
        group_id = response.order_group_id
        group = self._groups.get(group_id)
        pending = self._take_request(group_id, known=group is not None)
        if group is None:
            limit = response.contracts_limit
            if limit is None and pending is not None:
                limit = pending.request.contracts_limit
            alloc = response.alloc_account
            if alloc is None and pending is not None:
                alloc = pending.request.alloc_account
            group = OrderGroup(
                group_id=group_id,
                contracts_limit=limit,
                sub_account=sub_account_of(alloc),
                state=GroupState.ACTIVE,
                created_at=now,
                updated_at=now,
                reset_at=now,
                note="" if pending is not None else "created elsewhere",
            )
            return self._store(group)
        if pending is None:
            return self._store(replace(group, updated_at=now))
        action = pending.request.action
        if action is OrderGroupAction.RESET:
            group = replace(group, state=GroupState.ACTIVE, reset_at=now, note="")
        elif action is OrderGroupAction.DELETE:
            group = replace(group, state=GroupState.DELETED, note="")
        elif action is OrderGroupAction.TRIGGER:
            group = replace(group, state=GroupState.TRIGGERED, note="triggered by us")
        elif action is OrderGroupAction.UPDATE:
            limit = response.contracts_limit or pending.request.contracts_limit
            group = replace(group, contracts_limit=limit)
            if limit is not None and self.rolling_filled(group_id, now) > limit:
                group = replace(
                    group, state=GroupState.TRIGGERED, note="limit set below the rolling total"
                )
        return self._store(replace(group, updated_at=now))

    def apply_business_reject(self, reject: BusinessMessageReject, *, now: float) -> list[Change]:
        """A BusinessMessageReject for a UOG: our request (by RefSeqNum, else the oldest) failed."""
        pending = None
        for i, each in enumerate(self._requests):
            if reject.ref_seq_num is not None and each.seq_num == reject.ref_seq_num:
                pending = self._requests.pop(i)
                break
        if pending is None and self._requests:
            pending = self._requests.pop(0)
        text = reject.text or reject.reason.name.replace("_", " ").lower()
        if pending is None:
            return [GroupRequestRefused(action="?", group_id=None, text=text)]
        request = pending.request
        changes: list[Change] = [
            GroupRequestRefused(
                action=_action_name(request.action), group_id=request.order_group_id, text=text
            )
        ]
        group = None if request.order_group_id is None else self._groups.get(request.order_group_id)
        if group is not None:
            note = f"{_action_name(request.action)} refused: {text}"
            changes += self._store(replace(group, note=note, updated_at=now))
        return changes

    def mark_triggered(self, group_id: str, reason: str, *, now: float) -> list[Change]:
        """The exchange showed the group triggered (a group cancel or a group-limit reject)."""
        group = self._groups.get(group_id)
        if group is None or group.state is not GroupState.ACTIVE:
            return []
        return self._store(replace(group, state=GroupState.TRIGGERED, note=reason, updated_at=now))

    def record_fill(self, group_id: str, quantity: Decimal, *, at: float) -> list[Change]:
        """Count one of our fills (received ``at``) towards the group's rolling total."""
        self._fills.setdefault(group_id, deque()).append((at, quantity))
        group = self._groups.get(group_id)
        return [] if group is None else [GroupChanged(group=group)]

    def rolling_filled(self, group_id: str, now: float) -> Decimal:
        """Contracts filled in (now − 15 s, now] since the last reset."""
        fills = self._fills.get(group_id)
        if not fills:
            return _ZERO
        start = now - WINDOW_SECONDS
        while fills and fills[0][0] <= start:
            fills.popleft()
        group = self._groups.get(group_id)
        reset_at = None if group is None else group.reset_at
        return sum(
            (qty for at, qty in fills if at <= now and (reset_at is None or at >= reset_at)),
            _ZERO,
        )

    def gauge(self, group_id: str, now: float) -> GroupGauge:
        group = self._groups.get(group_id)
        limit = None if group is None else group.contracts_limit
        return GroupGauge(filled=self.rolling_filled(group_id, now), limit=limit)

    def _store(self, group: OrderGroup) -> list[Change]:
        self._groups[group.group_id] = group
        return [GroupChanged(group=group)]
