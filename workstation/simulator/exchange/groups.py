"""Order groups (SPEC §11): a cap on how many contracts a set of orders may fill.

A group belongs to one (account, sub-account). It counts the contracts its orders fill over a
rolling 15-second window; when that total *exceeds* the limit, or the owner triggers it, or
an update lowers the limit below the current total, the group is **triggered**: the engine
cancels its resting orders (``ORDER_GROUP_CANCEL``) and refuses new ones
(``EXCEEDED_ORDER_GROUP_RISK_LIMIT``) until a **reset**, which also clears the window.

States (one table): ``ACTIVE --exceeded/trigger/update below total--> TRIGGERED``,
``TRIGGERED --reset--> ACTIVE``, ``ACTIVE --reset--> ACTIVE`` (clears the window); delete
removes the group from either state.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "MAX_GROUP_LIMIT",
    "WINDOW_SECONDS",
    "GroupAction",
    "GroupState",
    "OrderGroup",
]

WINDOW_SECONDS = 15.0
MAX_GROUP_LIMIT = 1_000_000  #: OrderGroupContractsLimit 20132 is 1 … 1,000,000


class GroupState(StrEnum):
    ACTIVE = "active"
    TRIGGERED = "triggered"


class GroupAction(StrEnum):
    """OrderGroupAction (20131) values."""

    CREATE = "1"
    RESET = "2"
    DELETE = "3"
    TRIGGER = "4"
    UPDATE = "5"


@dataclass(slots=True, kw_only=True)
class OrderGroup:
    group_id: str
    account: str
    sub_account: int
    limit: int
    state: GroupState = GroupState.ACTIVE
    #: (time, contracts) of fills inside the window, oldest first.
    fills: deque[tuple[float, Decimal]] = field(default_factory=deque)

    def rolling_total(self, now: float) -> Decimal:
        """Contracts filled in the 15 s up to ``now``; drops older fills."""
        while self.fills and self.fills[0][0] <= now - WINDOW_SECONDS:
            self.fills.popleft()
        return sum((qty for _, qty in self.fills), Decimal(0))

    def record_fill(self, now: float, quantity: Decimal) -> bool:
        """Count a fill; True when this fill makes the group trigger."""
        self.fills.append((now, quantity))
        if self.state is GroupState.ACTIVE and self.rolling_total(now) > self.limit:
            self.state = GroupState.TRIGGERED
            return True
        return False

    def reset(self) -> None:
        self.state = GroupState.ACTIVE
        self.fills.clear()

    def update_limit(self, limit: int, now: float) -> bool:
        """Set a new limit; True when the current total already exceeds it (it triggers)."""
        self.limit = limit
        if self.state is GroupState.ACTIVE and self.rolling_total(now) > limit:
            self.state = GroupState.TRIGGERED
            return True
        return False
