"""The two state machines of the RFQ desk: an RFQ's and a quote's (SPEC §13.1, §13.3).

An RFQ::

    OPEN ──accept──▶ ACCEPTED ──maker confirms in time──▶ CONFIRMED ──execution timer──▶ EXECUTED
     │ ▲                │
     │ └─confirm missed─┤
     ├─cancel───────────┴──▶ CANCELLED   (creator's RFQCancel, or closed by ReplaceExisting)
     └─24 h─────────────────▶ EXPIRED     (only while OPEN: an accepted RFQ does not expire)

A quote::

    PENDING ──accepted──▶ ACCEPTED ──confirmed──▶ CONFIRMED ──executed──▶ EXECUTED
       │                     ├──window missed──▶ VOIDED
       ├──maker's cancel──▶ CANCELLED
       ├──same maker quotes again──▶ REPLACED
       └──RFQ closed under it (cancel, expiry, another quote traded)──▶ CLOSED
    (an ACCEPTED quote is CLOSED too when the creator cancels the RFQ before confirmation)

The tables below are the only place these transitions are written; :func:`check_rfq_move`
and :func:`check_quote_move` guard every change the desk makes.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "LIVE_RFQ_STATES",
    "QUOTE_TRANSITIONS",
    "RFQ_TRANSITIONS",
    "IllegalTransition",
    "QuoteState",
    "RfqState",
    "check_quote_move",
    "check_rfq_move",
]


class RfqState(StrEnum):
    OPEN = "open"  #: taking quotes; the creator may accept one
    ACCEPTED = "accepted"  #: a quote was chosen; waiting for its maker to confirm
    CONFIRMED = "confirmed"  #: the maker confirmed; the execution timer runs
    EXECUTED = "executed"  #: the trade was handed to the exchange (final)
    CANCELLED = "cancelled"  #: the creator cancelled it, or ReplaceExisting closed it (final)
    EXPIRED = "expired"  #: 24 h passed while open (final)


class QuoteState(StrEnum):
    PENDING = "pending"  #: live, may be accepted
    ACCEPTED = "accepted"  #: chosen by the creator, waiting for the maker's QuoteConfirm
    CONFIRMED = "confirmed"  #: confirmed by the maker, trade pending
    EXECUTED = "executed"  #: traded (final)
    CANCELLED = "cancelled"  #: cancelled by its maker (final)
    REPLACED = "replaced"  #: the same maker quoted the same RFQ again (final)
    VOIDED = "voided"  #: accepted but not confirmed within the window (final)
    CLOSED = "closed"  #: its RFQ closed without this quote trading (final)


#: RFQ states that still count as the creator's open RFQ on the market and take quotes.
LIVE_RFQ_STATES = frozenset({RfqState.OPEN, RfqState.ACCEPTED})

RFQ_TRANSITIONS: dict[RfqState, frozenset[RfqState]] = {
    RfqState.OPEN: frozenset({RfqState.ACCEPTED, RfqState.CANCELLED, RfqState.EXPIRED}),
    RfqState.ACCEPTED: frozenset({RfqState.OPEN, RfqState.CONFIRMED, RfqState.CANCELLED}),
    RfqState.CONFIRMED: frozenset({RfqState.EXECUTED}),
    RfqState.EXECUTED: frozenset(),
    RfqState.CANCELLED: frozenset(),
    RfqState.EXPIRED: frozenset(),
}

QUOTE_TRANSITIONS: dict[QuoteState, frozenset[QuoteState]] = {
    QuoteState.PENDING: frozenset(
        {QuoteState.ACCEPTED, QuoteState.CANCELLED, QuoteState.REPLACED, QuoteState.CLOSED}
    ),
    QuoteState.ACCEPTED: frozenset({QuoteState.CONFIRMED, QuoteState.VOIDED, QuoteState.CLOSED}),
    QuoteState.CONFIRMED: frozenset({QuoteState.EXECUTED}),
    QuoteState.EXECUTED: frozenset(),
    QuoteState.CANCELLED: frozenset(),
    QuoteState.REPLACED: frozenset(),
    QuoteState.VOIDED: frozenset(),
    QuoteState.CLOSED: frozenset(),
}


class IllegalTransition(RuntimeError):
    """A bug in the desk: it tried a move the tables above do not allow."""

    def __init__(self, what: str, ident: str, old: StrEnum, new: StrEnum) -> None:
        super().__init__(f"{what} {ident}: {old.value} -> {new.value} is not a legal move")


def check_rfq_move(rfq_id: str, old: RfqState, new: RfqState) -> RfqState:
    """Return ``new`` when the RFQ may move there from ``old``; raise otherwise."""
    if new not in RFQ_TRANSITIONS[old]:
        raise IllegalTransition("RFQ", rfq_id, old, new)
    return new


def check_quote_move(quote_id: str, old: QuoteState, new: QuoteState) -> QuoteState:
    """Return ``new`` when the quote may move there from ``old``; raise otherwise."""
    if new not in QUOTE_TRANSITIONS[old]:
        raise IllegalTransition("quote", quote_id, old, new)
    return new
