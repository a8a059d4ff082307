"""Framing, checksum and tokenising of FIX byte streams; encoding through simplefix.

Theory of operation
-------------------
A FIX stream is a sequence of frames ``8=<begin>␁9=<len>␁35=<type>␁ … 10=<sum>␁``.
:class:`FrameReader` buffers bytes and cuts frames by BodyLength (9), then checks that the
trailer really is ``10=ddd␁`` at that offset, that the checksum matches, and that 35 is the
third field. A frame that fails any check is *garbled*: it is returned as a
:class:`GarbledFrame` (for the session to report, never to raise) and the reader
resynchronises on the next ``8=<begin>␁`` after the start of the bad frame. This is the
FIX rule for garbled messages: discard, do not advance the inbound sequence number, carry on.

simplefix's own parser checks neither BodyLength nor CheckSum and is slow on long buffers,
so only its encoder is used (:func:`encode_message`), always with text we formatted.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import simplefix

from workstation.fix.message import FixMessage

__all__ = [
    "BEGIN_STRING",
    "SOH",
    "FrameReader",
    "GarbledFrame",
    "checksum",
    "encode_message",
    "parse_frame",
]

BEGIN_STRING = "FIXT.1.1"
SOH = b"\x01"
_TRAILER_LEN = 7  # b"10=ddd\x01"
# Tags whose value is the byte length of the next (data) field: 95→96 and the standard others.
DATA_LENGTH_TAGS: dict[int, int] = {95: 96, 89: 93, 90: 91, 212: 213, 354: 355, 1184: 1185}
_LENGTH_TAGS = tuple(DATA_LENGTH_TAGS)
_DATA_FIELD = re.compile("\x01(?:" + "|".join(map(str, DATA_LENGTH_TAGS)) + ")=")


@dataclass(frozen=True, slots=True, kw_only=True)
class GarbledFrame:
    """Bytes discarded by the framer, and why (bad length, bad checksum, bad header order)."""

    reason: str
    data: bytes


#: Adler-32's low 16 bits are 1 + the byte sum modulo 65521, which is the exact sum for up to
#: 256 bytes (1 + 256 * 255 < 65521), so a byte sum is taken 256 bytes at a time in C.
_SUM_RUN = 256


def checksum(data: bytes | bytearray | memoryview) -> int:
    """FIX CheckSum: the byte sum modulo 256."""
    view = memoryview(data).cast("B")
    total = 0
    for start in range(0, len(view), _SUM_RUN):
        total += (zlib.adler32(view[start : start + _SUM_RUN]) & 0xFFFF) - 1
    return total & 0xFF


class FrameReader:
    """Cuts a byte stream into verified frames.

    ``feed()`` bytes as they arrive, then call ``next_frame()`` until it returns ``None``.
    Each result is either the bytes of one complete, verified frame, or a
    :class:`GarbledFrame` describing what was discarded.
    """

    def __init__(self, begin_string: str = BEGIN_STRING, max_body_length: int = 1 << 20) -> None:
        self._marker = b"8=" + begin_string.encode("ascii") + SOH
        self._max_body = max_body_length
        self._buf = b""
        self._pos = 0

    @property
    def buffered(self) -> int:
        """Bytes held that do not yet form a complete frame."""
        return len(self._buf) - self._pos

    def feed(self, data: bytes) -> None:
        if self._pos:
            self._buf = self._buf[self._pos :] + data
            self._pos = 0
        else:
            self._buf += data

    def frames(self) -> list[bytes | GarbledFrame]:
        """Every complete frame (or garbled run) now in the buffer, in order."""
        out: list[bytes | GarbledFrame] = []
        while (item := self.next_frame()) is not None:
            out.append(item)
        return out

    def next_frame(self) -> bytes | GarbledFrame | None:
        buf, pos = self._buf, self._pos
        if pos >= len(buf):
            return None
        if not buf.startswith(b"8=", pos):
            if buf[pos:] == b"8":
                return None  # the rest of "8=" has not arrived yet
            return self._discard_to_marker(pos, "data before BeginString")
        soh = buf.find(SOH, pos)
        if soh < 0:
            return self._incomplete_or_garbled(pos, 64, "BeginString not terminated")
        if not buf.startswith(b"9=", soh + 1):
            if len(buf) < soh + 3:
                return None
            return self._discard_to_marker(pos, "BodyLength(9) is not the second field")
        len_start = soh + 3
        len_end = buf.find(SOH, len_start)
        if len_end < 0:
            return self._incomplete_or_garbled(len_start, 12, "BodyLength not terminated")
        digits = buf[len_start:len_end]
        if not digits.isdigit() or len(digits) > 9:
            return self._discard_to_marker(pos, f"BodyLength {digits!r} is not a number")
        body_len = int(digits)
        if body_len > self._max_body:
            return self._discard_to_marker(pos, f"BodyLength {body_len} exceeds the limit")
        body_start = len_end + 1
        trailer = body_start + body_len
        end = trailer + _TRAILER_LEN
        if len(buf) < end:
            # A longer-than-true BodyLength would swallow the frames behind it while we wait;
            # a frame trailer followed by a new BeginString inside the claimed body gives it away.
            restart = buf.find(b"\x01" + self._marker, body_start)
            if restart >= 0 and buf.rfind(b"\x0110=", body_start, restart) >= 0:
                return self._discard_to_marker(pos, "BodyLength runs past the end of the message")
            return None
        if not buf.startswith(b"35=", body_start):
            return self._discard_to_marker(pos, "MsgType(35) is not the third field")
        if (
            buf[trailer - 1 : trailer] != SOH
            or not buf.startswith(b"10=", trailer)
            or buf[end - 1 : end] != SOH
        ):
            return self._discard_to_marker(pos, "BodyLength does not match the CheckSum position")
        sum_text = buf[trailer + 3 : end - 1]
        if not sum_text.isdigit():
            return self._discard_to_marker(pos, "CheckSum is not three digits")
        if checksum(memoryview(buf)[pos:trailer]) != int(sum_text):
            return self._discard_to_marker(pos, "CheckSum mismatch")
        self._pos = end
        return buf[pos:end]

    def _incomplete_or_garbled(
        self, start: int, limit: int, reason: str
    ) -> bytes | GarbledFrame | None:
        if len(self._buf) - start <= limit:
            return None
        return self._discard_to_marker(self._pos, reason)

    def _discard_to_marker(self, pos: int, reason: str) -> bytes | GarbledFrame | None:
        buf, marker = self._buf, self._marker
        nxt = buf.find(marker, pos + 1)
        if nxt < 0:
            # Keep the longest tail that could be the start of a marker split across reads.
            keep = 0
            for k in range(min(len(marker) - 1, len(buf) - pos - 1), 0, -1):
                if buf.endswith(marker[:k]):
                    keep = k
                    break
            nxt = len(buf) - keep
        data = buf[pos:nxt]
        self._pos = nxt
        if reason == "data before BeginString" and not data.strip(b"\r\n\x00 "):
            return self.next_frame()  # line noise between frames is not worth an event
        return GarbledFrame(reason=reason, data=data)


#: The longest tag number we read: FIX tags are small positive integers, and ``int()`` of a
#: hostile 5,000-digit "tag" would raise.
MAX_TAG_DIGITS = 9


class _NotPlain(Exception):
    """A field the fast tokeniser does not take: the careful loop reads the frame instead."""


class _TagNumbers(dict[str, int]):
    """Tag text → number for the tags seen so far; bounded, so hostile input cannot grow it.

    Looking up text that is not a plain tag number (digits, no leading zero, at most
    :data:`MAX_TAG_DIGITS`) raises :class:`_NotPlain`.
    """

    limit = 8192

    def __missing__(self, text: str) -> int:
        if not _is_tag_text(text):
            raise _NotPlain
        number = int(text)
        if len(self) < self.limit:
            self[text] = number
        return number


def _is_tag_text(text: str) -> bool:
    return text.isdigit() and text.isascii() and text[0] != "0" and len(text) <= MAX_TAG_DIGITS


def _no_value() -> str:
    raise _NotPlain


_TAG_NUMBERS = _TagNumbers()
_EQUALS = itertools.repeat("=")


def parse_frame(frame: bytes) -> FixMessage:
    """Tokenise one verified frame into a :class:`FixMessage`. Never raises.

    Malformed fields (a tag that is not a number, an empty value) are kept as ``problems``
    on the message so that the session can answer them with the right Reject.
    """
    text = frame.decode("latin-1")
    # Fast path: every field is <plain tag number>=<non-empty value>. Anything else (a bad
    # tag, a field without '=' or without a value) raises _NotPlain, and a length-prefixed
    # data field (whose value may hold SOH) sends the frame to the careful loops below.
    # Text after the last SOH is not a field (a verified frame has none).
    parts = text.split("\x01")
    parts.pop()
    tag_number = _TAG_NUMBERS.__getitem__
    try:
        fields = [
            (tag_number(tag), value or _no_value())
            for tag, _, value in map(str.partition, parts, _EQUALS)
        ]
    except _NotPlain:
        pass
    else:
        msg = FixMessage(fields, raw=frame)
        index = msg.index
        for tag in _LENGTH_TAGS:
            if tag in index:
                break
        else:
            return msg
    if _DATA_FIELD.search(text):
        return _parse_with_data_fields(frame, text)
    fields = []
    problems: list[tuple[int, int, str]] = []
    append = fields.append
    for part in parts:
        tag_text, sep, value = part.partition("=")
        if _is_tag_text(tag_text):
            tag = int(tag_text)
            if not sep or value == "":
                problems.append((tag, 4, f"Tag specified without a value: {tag}"))
            append((tag, value))
        else:
            problems.append((0, 0, f"Invalid tag number: {tag_text[:20]!r}"))
    return FixMessage(fields, raw=frame, problems=problems)


def _parse_with_data_fields(frame: bytes, text: str) -> FixMessage:
    """Careful left-to-right tokenising that honours length-prefixed data fields."""
    fields: list[tuple[int, str]] = []
    problems: list[tuple[int, int, str]] = []
    pos, n = 0, len(text)
    pending_len: tuple[int, int] | None = None  # (data tag, byte length)
    while pos < n:
        eq = text.find("=", pos)
        if eq < 0:
            problems.append((0, 0, "Field without '='"))
            break
        tag_text = text[pos:eq]
        if not _is_tag_text(tag_text):
            problems.append((0, 0, f"Invalid tag number: {tag_text[:20]!r}"))
            end = text.find("\x01", eq)
            pos = n if end < 0 else end + 1
            continue
        tag = int(tag_text)
        if pending_len is not None and pending_len[0] == tag and eq + 1 + pending_len[1] < n:
            end = eq + 1 + pending_len[1]
            if text[end] != "\x01":
                problems.append((tag, 5, f"Data length does not match tag {tag}"))
                end = text.find("\x01", eq)
        else:
            end = text.find("\x01", eq)
        if end < 0:
            end = n
        value = text[eq + 1 : end]
        pending_len = None
        if tag in DATA_LENGTH_TAGS and value.isdigit() and value.isascii() and len(value) < 10:
            pending_len = (DATA_LENGTH_TAGS[tag], int(value))
        if value == "":
            problems.append((tag, 4, f"Tag specified without a value: {tag}"))
        fields.append((tag, value))
        pos = end + 1
    return FixMessage(fields, raw=frame, problems=problems)


def encode_message(
    msg_type: str,
    header: Iterable[tuple[int, str]],
    body: Iterable[tuple[int, str]],
    begin_string: str = BEGIN_STRING,
) -> bytes:
    """Encode one message; simplefix computes BodyLength and CheckSum.

    ``header`` holds the fields after 35 (49, 56, 34, 52, 43, 122 …) and ``body`` the rest,
    every value already formatted as text.
    """
    msg = simplefix.FixMessage()
    msg.append_pair(8, begin_string)
    msg.append_pair(35, msg_type)
    for tag, value in header:
        msg.append_pair(tag, value)
    for tag, value in body:
        msg.append_pair(tag, value)
    encoded: bytes = msg.encode()
    return encoded
