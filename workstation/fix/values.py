"""Text forms of FIX field values, both directions.

simplefix writes whatever ``str()`` gives (``True``, ``1E+2``), so every value we put on the
wire is formatted here first, and every value we read is parsed here. Times on the wire are
UTC ``YYYYMMDD-HH:MM:SS.mmm``; the clock is never read in this module.
"""

from __future__ import annotations

import calendar
import time
from decimal import Decimal, InvalidOperation

__all__ = [
    "FieldFormatError",
    "format_bool",
    "format_decimal",
    "format_utc_timestamp",
    "parse_bool",
    "parse_decimal",
    "parse_int",
    "parse_utc_timestamp",
]


class FieldFormatError(ValueError):
    """A field's text is not a valid value of its FIX type (SessionRejectReason 6)."""

    def __init__(self, tag: int, value: str, expected: str) -> None:
        super().__init__(f"tag {tag}: {value!r} is not a valid {expected}")
        self.tag = tag
        self.value = value
        self.expected = expected


def format_bool(value: bool) -> str:
    """``Y`` or ``N``."""
    return "Y" if value else "N"


def parse_bool(tag: int, text: str) -> bool:
    if text == "Y":
        return True
    if text == "N":
        return False
    raise FieldFormatError(tag, text, "boolean (Y/N)")


def parse_int(tag: int, text: str) -> int:
    # int() accepts "+1", " 1" and "1_0"; FIX integers are an optional minus and digits.
    body = text[1:] if text.startswith("-") else text
    if not body.isdigit() or not body.isascii():
        raise FieldFormatError(tag, text, "integer")
    return int(text)


def parse_decimal(tag: int, text: str) -> Decimal:
    body = text[1:] if text.startswith("-") else text
    whole, _, frac = body.partition(".")
    if not (whole or frac) or not (whole + frac).isdigit() or not body.isascii():
        raise FieldFormatError(tag, text, "decimal")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the digit check above
        raise FieldFormatError(tag, text, "decimal") from exc


def format_decimal(value: Decimal | int, places: int | None = None) -> str:
    """Plain decimal notation, never an exponent.

    ``places`` fixes the number of decimal places (rounding half-even is never needed by the
    callers: they pass values already on the grid); ``None`` keeps the value's own places
    but strips an exponent (``1E+2`` becomes ``100``).
    """
    if isinstance(value, int):
        return str(value) if places is None else format_decimal(Decimal(value), places)
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") and places is None else text


_TS_CACHE: dict[int, str] = {}


def format_utc_timestamp(epoch_seconds: float) -> str:
    """``YYYYMMDD-HH:MM:SS.mmm`` in UTC (milliseconds truncated, never rounded up).

    The value is first rounded to the microsecond: ``2192431553.2 * 1000`` is
    ``2192431553199.9998`` in binary floating point, and truncating that would turn a
    timestamp read as ``.200`` into ``.199`` when written back.
    """
    millis_total = round(epoch_seconds * 1_000_000) // 1000
    whole, millis = divmod(millis_total, 1000)
    prefix = _TS_CACHE.get(whole)
    if prefix is None:
        if len(_TS_CACHE) > 4096:
            _TS_CACHE.clear()
        prefix = time.strftime("%Y%m%d-%H:%M:%S", time.gmtime(whole))
        _TS_CACHE[whole] = prefix
    return f"{prefix}.{millis:03d}"


_DAY_CACHE: dict[str, int] = {}
#: ``YYYYMMDD-HH:MM:SS`` texts already validated → epoch seconds. Every message of a busy
#: second carries the same one, so each is checked (and ``strptime``'d for its day) once.
_SECOND_CACHE: dict[str, int] = {}
_CACHE_LIMIT = 4096


def _day_start(tag: int, text: str) -> int:
    """Epoch seconds at 00:00 UTC of the ``YYYYMMDD`` that starts ``text`` (validated)."""
    try:
        stamp = time.strptime(text[:8], "%Y%m%d")
    except ValueError as exc:
        raise FieldFormatError(tag, text, "UTCTimestamp") from exc
    day = calendar.timegm(stamp)
    if len(_DAY_CACHE) > _CACHE_LIMIT:
        _DAY_CACHE.clear()
    _DAY_CACHE[text[:8]] = day
    return day


def _whole_seconds(tag: int, text: str) -> int:
    """Epoch seconds of the ``YYYYMMDD-HH:MM:SS`` that starts ``text`` (validated)."""
    if len(text) < 17 or text[8] != "-" or text[11] != ":" or text[14] != ":":
        raise FieldFormatError(tag, text, "UTCTimestamp")
    date, clock = text[:8], text[9:17]
    digits = date + clock[0:2] + clock[3:5] + clock[6:8]
    if not digits.isdigit() or not digits.isascii():
        raise FieldFormatError(tag, text, "UTCTimestamp")
    day = _DAY_CACHE.get(date)
    if day is None:
        day = _day_start(tag, text)
    hour, minute, second = int(clock[0:2]), int(clock[3:5]), int(clock[6:8])
    if hour > 23 or minute > 59 or second > 60:  # 60: a leap second
        raise FieldFormatError(tag, text, "UTCTimestamp")
    seconds = day + hour * 3600 + minute * 60 + second
    if len(_SECOND_CACHE) > _CACHE_LIMIT:
        _SECOND_CACHE.clear()
    _SECOND_CACHE[text[:17]] = seconds
    return seconds


def parse_utc_timestamp(tag: int, text: str) -> float:
    """Epoch seconds from ``YYYYMMDD-HH:MM:SS`` with 0, 3, 6 or 9 fractional digits."""
    seconds = _SECOND_CACHE.get(text[:17])
    if seconds is None:
        seconds = _whole_seconds(tag, text)
    if len(text) == 17:
        return float(seconds)
    frac = text[18:]
    if text[17] != "." or len(frac) not in (3, 6, 9) or not (frac.isdigit() and frac.isascii()):
        raise FieldFormatError(tag, text, "UTCTimestamp")
    return seconds + int(frac) / _SCALE[len(frac)]


_SCALE = {3: 1e3, 6: 1e6, 9: 1e9}
