"""BusinessMessageReject (35=j): an application-level refusal, SPEC §7.7.

Sent for failures before normal exchange handling: rate limits, listener-session
restrictions, order-group errors, unsupported message types, and (1.0.13) "exchange
unavailable" for a NewOrderSingle. RefSeqNum (45) is required by the docs but optional in
the dictionary, and RefMsgType (372) became required only in 2026-06; the client accepts
either form, so both are optional here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from workstation.fix.message import FixMessage
from workstation.fix.messages.enums import BusinessRejectReason
from workstation.fix.messages.errors import translate_field_errors
from workstation.fix.messages.fields import Body, put, put_int, require_enum
from workstation.fix.messages.prices import PriceFormat

__all__ = ["BusinessMessageReject"]


@dataclass(frozen=True, slots=True, kw_only=True)
class BusinessMessageReject:
    """BusinessMessageReject (35=j)."""

    MSG_TYPE: ClassVar[str] = "j"

    reason: BusinessRejectReason  #: BusinessRejectReason (380)
    ref_msg_type: str | None = None  #: RefMsgType (372)
    ref_seq_num: int | None = None  #: RefSeqNum (45)
    ref_id: str | None = None  #: BusinessRejectRefID (379), e.g. the ClOrdID
    ref_tag_id: int | None = None  #: RefTagID (371)
    text: str | None = None  #: Text (58), e.g. ORDER_GROUP_NOT_FOUND

    def to_body(self, price_format: PriceFormat = PriceFormat.CENTS) -> Body:
        body: Body = []
        put_int(body, 45, self.ref_seq_num)
        put(body, 372, self.ref_msg_type)
        put(body, 379, self.ref_id)
        put_int(body, 371, self.ref_tag_id)
        body.append((380, str(self.reason.value)))
        put(body, 58, self.text)
        return body

    @classmethod
    @translate_field_errors
    def from_message(
        cls, msg: FixMessage, price_format: PriceFormat = PriceFormat.CENTS
    ) -> BusinessMessageReject:
        return cls(
            reason=require_enum(msg, 380, BusinessRejectReason),
            ref_msg_type=msg.get(372),
            ref_seq_num=msg.get_int(45),
            ref_id=msg.get(379),
            ref_tag_id=msg.get_int(371),
            text=msg.get_text(58),
        )
