"""What the state directory keeps of the RFQ gateway: each RFQ with what the gateway knows
about it, and the desk's counters and pseudonyms (``--state-dir``, issue 3).

:class:`SavedRfq` is one RFQ as the desk holds it (quotes, acceptance, timers, state) plus the
gateway's own notes on it: the KalshiRT session that created it (answers about it go there
first), the AllocAccount (79) its QuoteRequest and each quote on it named (the trade is booked
there and the reports echo it), and the NewOrderSingle that accepted a quote on it, if one did
(its ExecutionReports describe that order). :class:`SavedDesk` is the rest: the creation
counter and the pseudonyms already handed out, so a requester keeps its alias across a
restart. The simulated participants' plans are not kept: they start afresh, from their seeds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workstation.simulator.gateway.rfq_creator import OrderAcceptance
from workstation.simulator.rfq.records import Rfq

__all__ = ["SavedDesk", "SavedRfq"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedRfq:
    """One RFQ and the gateway's notes on it (see the module docstring)."""

    rfq: Rfq
    origin: str | None = None  #: tag of the KalshiRT session that created it
    rfq_alloc: int | None = None  #: AllocAccount of its QuoteRequest
    quote_allocs: dict[str, int] = field(default_factory=dict)  #: QuoteID -> AllocAccount
    order: OrderAcceptance | None = None  #: the 35=D that accepted a quote on it


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedDesk:
    """The desk's counter and pseudonyms (see the module docstring)."""

    seq: int = 0
    requesters: dict[str, str] = field(default_factory=dict)  #: account -> alias
    quoters: dict[str, str] = field(default_factory=dict)  #: account -> alias
