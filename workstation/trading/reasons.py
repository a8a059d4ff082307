"""What a reject or cancel Text (58) means, read the same way in both dialects (SPEC §9.7, §9.8).

Kalshi's codes moved between versions (INSUFFICIENT_BALANCE was 103=99 and is 103=3;
POST_ONLY_CROSS was a reject and is a cancel; "exchange unavailable" was a
BusinessMessageReject 380=4 and is an ER reject), so the workstation reads the *Text* and
shows the trader one phrase per cause (DECISIONS.md, Workstation column). Texts are compared
case-insensitively with ``_`` read as a space, so ``EXCHANGE_UNAVAILABLE`` and
``Kalshi exchange unavailable`` are the same cause.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Cause", "cause_of", "explain"]


class Cause(Enum):
    """A reject or cancel reason as the workstation acts on it; the value is the phrase shown."""

    OUTCOME_UNKNOWN = "the exchange could not confirm the order: outcome unknown"
    INTERNAL_ERROR = "exchange internal error: the order was not placed"
    POST_ONLY_CROSS = "post-only would cross"
    INSUFFICIENT_BALANCE = "insufficient balance"
    DUPLICATE = "the exchange already has this ClOrdID"
    UNKNOWN_ORDER = "unknown order"
    TOO_LATE = "too late: the order is already filled or closed"
    MARKET_CLOSED = "market closed or trading paused"
    UNKNOWN_MARKET = "unknown market"
    GROUP_LIMIT = "order group limit exceeded"
    GROUP_CANCEL = "cancelled by its order group"
    SELF_TRADE = "cancelled to prevent a self-trade"
    SELF_CROSS = "would cross our own order"
    RISK_LIMIT = "exchange risk limit exceeded"
    IOC_REMAINDER = "remainder cancelled (immediate or cancel)"
    FOK_VOLUME = "not enough volume to fill it all (fill or kill)"
    INVALID_AMEND = "invalid amend quantity"
    MISMATCH = "order ID, side or ticker does not match the order"
    OTHER = ""


# Phrases found in a normalised Text (lowercase, "_" → " "), first match wins.
_PHRASES: tuple[tuple[str, Cause], ...] = (
    ("exchange unavailable", Cause.OUTCOME_UNKNOWN),
    ("internal error", Cause.INTERNAL_ERROR),
    ("post only cross", Cause.POST_ONLY_CROSS),
    ("insufficient balance", Cause.INSUFFICIENT_BALANCE),
    ("insufficient funds", Cause.INSUFFICIENT_BALANCE),
    ("order already exists", Cause.DUPLICATE),
    ("duplicate", Cause.DUPLICATE),
    ("attributes mismatch", Cause.MISMATCH),
    ("mismatch", Cause.MISMATCH),
    ("unknown order", Cause.UNKNOWN_ORDER),
    ("order not found", Cause.UNKNOWN_ORDER),
    ("cannot update filled order", Cause.TOO_LATE),
    ("too late", Cause.TOO_LATE),
    ("invalid amend qty", Cause.INVALID_AMEND),
    ("market already closed", Cause.MARKET_CLOSED),
    ("market inactive", Cause.MARKET_CLOSED),
    ("exchange paused", Cause.MARKET_CLOSED),
    ("trading paused", Cause.MARKET_CLOSED),
    ("market not found", Cause.UNKNOWN_MARKET),
    ("exceeded order group risk limit", Cause.GROUP_LIMIT),
    ("order group cancel", Cause.GROUP_CANCEL),
    ("cancel for self trade prevention", Cause.SELF_TRADE),
    ("self cross attempt", Cause.SELF_CROSS),
    ("exceeded per market risk limit", Cause.RISK_LIMIT),
    ("exceeded sell position floor", Cause.RISK_LIMIT),
    ("immediate or cancelled", Cause.IOC_REMAINDER),
    ("fok insufficient volume", Cause.FOK_VOLUME),
)


def _normalise(text: str) -> str:
    return " ".join(text.replace("_", " ").casefold().split())


def cause_of(text: str | None) -> Cause:
    """The cause a Text names, or OTHER."""
    if not text:
        return Cause.OTHER
    normal = _normalise(text)
    for phrase, cause in _PHRASES:
        if phrase in normal:
            return cause
    return Cause.OTHER


def explain(text: str | None, fallback: str = "") -> str:
    """The phrase shown for a Text: the cause's phrase, else the Text itself, else ``fallback``."""
    cause = cause_of(text)
    if cause is not Cause.OTHER:
        return str(cause.value)
    return text or fallback
