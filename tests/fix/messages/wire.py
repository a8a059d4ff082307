"""Helpers for message tests: real frames through the real codec, both directions."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, TypeVar

from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.message import FixMessage
from workstation.fix.messages import PriceFormat

HEADER_TAGS = (49, 56, 34, 52, 43, 122, 50)
HEADER = [(49, "KalshiNR"), (56, "api-key"), (34, "7"), (52, "20250926-21:54:16.040")]


class WireMessage(Protocol):
    MSG_TYPE: ClassVar[str]

    def to_body(self, price_format: PriceFormat = ...) -> list[tuple[int, str]]: ...


M = TypeVar("M", bound=WireMessage)


def encode(message: WireMessage, fmt: PriceFormat = PriceFormat.CENTS, **kwargs: Any) -> bytes:
    return encode_message(message.MSG_TYPE, HEADER, message.to_body(fmt, **kwargs))


def roundtrip(message: M, fmt: PriceFormat = PriceFormat.CENTS, **kwargs: Any) -> M:
    """Build → encode → verified frame → parse → from_message."""
    frame = encode(message, fmt, **kwargs)
    parsed = type(message).from_message(parse_frame(frame), fmt)  # type: ignore[attr-defined]
    return parsed  # type: ignore[no-any-return]


def example(text: str) -> FixMessage:
    """A message from a SPEC example written with ``|`` for SOH.

    The examples carry placeholder (or no) BodyLength and CheckSum and are split over
    lines, so the fields are re-encoded into a real frame and read back through the codec.
    """
    pairs = [p.split("=", 1) for p in text.replace("\n", "").split("|") if p.strip()]
    fields = [(int(tag), value) for tag, value in pairs]
    msg_type = next(value for tag, value in fields if tag == 35)
    header = [(t, v) for t, v in fields if t in HEADER_TAGS]
    body = [(t, v) for t, v in fields if t not in (8, 9, 10, 35) and t not in HEADER_TAGS]
    return parse_frame(encode_message(msg_type, header, body))


def fields_of(frame_or_body: bytes | list[tuple[int, str]]) -> dict[int, str]:
    if isinstance(frame_or_body, bytes):
        return dict(reversed(parse_frame(frame_or_body).fields))
    return dict(reversed(frame_or_body))
