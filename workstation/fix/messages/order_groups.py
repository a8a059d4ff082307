"""Order groups: OrderGroupRequest (UOG), client → exchange, and OrderGroupResponse (UOH).
SPEC §11.

A group caps the contracts its orders may fill in a rolling 15 s; UOG creates, resets,
deletes, triggers or (from 2026-01-23) updates one. Our readings: the contracts limit is
required for Create and Update and the group ID for every other action (380=5 when absent);
an ID on Create is refused (380=0: the exchange assigns it); a malformed ID (not a UUID) is
373=6 and a limit outside 1–1,000,000 is 373=5 (SPEC §7.6, "malformed fields in a UOG also
get a 35=3"). Errors never come back as UOH: business errors are BusinessMessageRejects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import OrderGroupAction
from workstation.fix.messages.errors import (
    MessageError,
    SessionRejectReason,
    conditionally_missing,
    not_allowed,
    out_of_range,
    translate_field_errors,
)
from workstation.fix.messages.fields import (
    Body,
    put,
    put_int,
    read_alloc_account,
    read_ex_destination,
    require_enum,
)
from workstation.fix.messages.prices import PriceFormat

__all__ = ["MAX_CONTRACTS_LIMIT", "OrderGroupRequest", "OrderGroupResponse"]

MAX_CONTRACTS_LIMIT = 1_000_000
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_NEEDS_LIMIT = frozenset({OrderGroupAction.CREATE, OrderGroupAction.UPDATE})


def _read_limit(msg: FixMessage) -> int | None:
    limit = msg.get_int(20132)
    if limit is not None and not 1 <= limit <= MAX_CONTRACTS_LIMIT:
        raise out_of_range(20132, str(limit), f"must be 1..{MAX_CONTRACTS_LIMIT}")
    return limit


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderGroupRequest:
    """OrderGroupRequest (35=UOG)."""

    MSG_TYPE: ClassVar[str] = "UOG"

    action: OrderGroupAction
    order_group_id: str | None = None  #: OrderGroupID (20130); never on Create
    contracts_limit: int | None = None  #: OrderGroupContractsLimit (20132); Create, Update
    alloc_account: int | None = None  #: AllocAccount (79): the subaccount owning the group
    ex_destination: int | None = None

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        if (self.action in _NEEDS_LIMIT) != (self.contracts_limit is not None):
            raise ValueError(f"{self.action.name}: contracts_limit only with Create and Update")
        if (self.action is OrderGroupAction.CREATE) == (self.order_group_id is not None):
            raise ValueError(f"{self.action.name}: order_group_id on every action but Create")
        body: Body = [(20131, str(self.action.value))]
        put(body, 20130, self.order_group_id)
        put_int(body, 20132, self.contracts_limit)
        put_int(body, 79, self.alloc_account)
        put_int(body, 100, self.ex_destination)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> OrderGroupRequest:
        action = require_enum(msg, 20131, OrderGroupAction)
        group_id = msg.get(20130)
        limit = _read_limit(msg)
        if action is OrderGroupAction.CREATE:
            if group_id is not None:
                raise not_allowed(20130, "OrderGroupID must not be sent on Create")
        elif group_id is None:
            raise conditionally_missing(20130, f"OrderGroupID is required to {action.name}")
        elif _UUID.fullmatch(group_id) is None:
            raise MessageError(
                SessionRejectReason.INCORRECT_DATA_FORMAT,
                20130,
                f"Incorrect data format for value: 20130={group_id!r} is not a UUID",
            )
        if action in _NEEDS_LIMIT and limit is None:
            raise conditionally_missing(
                20132, f"OrderGroupContractsLimit is required to {action.name}"
            )
        return cls(
            action=action,
            order_group_id=group_id,
            contracts_limit=limit,
            alloc_account=read_alloc_account(msg),
            ex_destination=read_ex_destination(msg),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderGroupResponse:
    """OrderGroupResponse (35=UOH): the group an accepted UOG created or acted on."""

    MSG_TYPE: ClassVar[str] = "UOH"

    order_group_id: str
    contracts_limit: int | None = None  #: echoed on Create and Update (1.0.21)
    alloc_account: int | None = None  #: echoed from 1.0.24

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put(body, 20130, self.order_group_id)
        put_int(body, 20132, self.contracts_limit)
        put_int(body, 79, self.alloc_account)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> OrderGroupResponse:
        return cls(
            order_group_id=msg.require(20130),
            contracts_limit=_read_limit(msg),
            alloc_account=read_alloc_account(msg),
        )
