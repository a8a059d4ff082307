"""What the RFQ desk reports: every desk call returns a list of these, in the order the
things happened.

Each record is addressed to **one** account, named by its first field (``creator`` or
``maker``), and holds only what that account may see: a record for a maker never holds the
creator's account id (only its pseudonym ``requester``), and one for a creator names the maker
only by pseudonym (``quoter``). A gateway turns each record into one message to that account's
session, and drops it when the account has none (a simulated participant). The exception is
:class:`RfqExecutionDue`, which is addressed to the exchange.

=============================  ==============================================  ========
record                         FIX (SPEC §13)                                  to
=============================  ==============================================  ========
:class:`RfqCreated`            QuoteRequestAck b (131 echo, 21023, 55)         creator
:class:`RfqRefused`            QuoteRequestReject AG (131, 658, 58)            creator
:class:`QuoteOffered`          Quote S (117, 131=RfqId, 132/133 in dollars)    creator
:class:`AcceptAcknowledged`    AcceptQuoteStatus UC 21025=0 with 21024         creator
:class:`AcceptRefused`         UC 21025=1 with 58; ER 103=8 ``EXPIRED`` when   creator
                               the accept came as 35=D (§13.4)
:class:`AcceptVoided`          UC 21025=1, unsolicited: maker did not confirm  creator
:class:`RfqCancelled`          RFQCancelStatus UB 21013=0 (unsolicited when    creator
                               ReplaceExisting closed it)
:class:`RfqCancelRefused`      UB 21013=1 with 58                              creator
:class:`RfqExpired`            UB 21013=2 with 21023, unsolicited              creator
:class:`QuoteRequested`        QuoteRequest R (131=RfqId, 448 pseudonym)       maker
:class:`QuotePending`          QuoteStatusReport AI 297=10                     maker
:class:`QuoteRejected`         AI 297=5, **empty 117**, 58                     maker
:class:`QuoteAccepted`         AI 297=0 with 54 AcceptedSide                   maker
:class:`QuoteCancelled`        AI 297=17 (a gateway may add U9 298=0 when      maker
                               ``reason`` is BY_MAKER)
:class:`QuoteCancelRefused`    QuoteCancelStatus U9 298=1 with 58              maker
:class:`QuoteConfirmed`        QuoteConfirmStatus U8 21010=0                   maker
:class:`QuoteConfirmRefused`   U8 21010=1 with 58                              maker
:class:`QuoteRequestWithdrawn` AG 658=99 with 58 (the RFQ closed)              maker
:class:`RfqExecutionDue`       the block trade: the exchange makes both        exchange
                               sides' ExecutionReports
=============================  ==============================================  ========

Prices are YES/NO bids in Decimal dollars (a gateway writes cents on a KalshiRFQ Quote without
21005); quantities are Decimal contracts; times are epoch seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from workstation.simulator.rfq.sides import AcceptSide, QuoteSide
from workstation.simulator.rfq.types import (
    AcceptProblem,
    CloseReason,
    QuoteCancelReason,
    RequestRejectReason,
)

__all__ = [
    "AcceptAcknowledged",
    "AcceptRefused",
    "AcceptVoided",
    "BlockTradeDue",
    "QuoteAccepted",
    "QuoteCancelRefused",
    "QuoteCancelled",
    "QuoteConfirmRefused",
    "QuoteConfirmed",
    "QuoteOffered",
    "QuotePending",
    "QuoteRejected",
    "QuoteRequestWithdrawn",
    "QuoteRequested",
    "RfqCancelRefused",
    "RfqCancelled",
    "RfqCreated",
    "RfqExecutionDue",
    "RfqExpired",
    "RfqRefused",
    "RfqResult",
]


# --- to the creator (KalshiRT) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqCreated:
    """Fires when an RFQ is accepted onto the desk and broadcast to the makers."""

    creator: str
    transact_time: float
    rfq_id: str
    client_rfq_id: str | None
    ticker: str
    quantity: Decimal | None
    cash_quantity: Decimal | None
    expires_at: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqRefused:
    """Fires when an RFQ creation is refused; no RFQ exists."""

    creator: str
    transact_time: float
    client_rfq_id: str | None
    ticker: str
    reason: RequestRejectReason  #: 658
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteOffered:
    """Fires when a maker's quote on the creator's RFQ goes live (PENDING)."""

    creator: str
    transact_time: float
    rfq_id: str  #: the server id: a Quote to the creator carries it in 131
    client_rfq_id: str | None
    quote_id: str  #: the id the creator accepts with
    ticker: str
    yes_bid: Decimal  #: 0 when the maker declined YES (132 then absent)
    no_bid: Decimal  #: 0 when the maker declined NO (133 then absent)
    quantity: Decimal | None  #: the RFQ's contract size, None for a cash-sized RFQ
    yes_size: Decimal  #: 134
    no_size: Decimal  #: 135
    quoter: str  #: the maker's pseudonym (448, 452=35)


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptAcknowledged:
    """Fires when the creator's acceptance is taken; the maker now has to confirm."""

    creator: str
    transact_time: float
    quote_id: str  #: the quote the creator named (117)
    accepted_quote_id: str  #: the quote actually accepted (21024); differs with 21022=Y
    rfq_id: str
    cl_ord_id: str | None  #: echo of 11
    side: AcceptSide
    yes_price: Decimal
    quantity: Decimal
    confirm_by: float


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptRefused:
    """Fires when an acceptance is refused; nothing changed."""

    creator: str
    transact_time: float
    quote_id: str
    rfq_id: str | None  #: as the creator gave it
    cl_ord_id: str | None
    problem: AcceptProblem
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AcceptVoided:
    """Fires when the maker of an accepted quote missed its confirmation window.

    The quote is void and the RFQ is open again: the creator may accept another quote.
    """

    creator: str
    transact_time: float
    quote_id: str
    rfq_id: str
    client_rfq_id: str | None
    cl_ord_id: str | None  #: the acceptance's 11
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqCancelled:
    """Fires when an RFQ is cancelled: by the creator's RFQCancel (``solicited``), or when a
    newer RFQ with ReplaceExisting closed it (``reason`` REPLACED, unsolicited)."""

    creator: str
    transact_time: float
    rfq_id: str
    client_rfq_id: str | None
    echo_id: str  #: 131 of the UB: the id the cancel named, else the client id, else rfq_id
    reason: CloseReason
    solicited: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqCancelRefused:
    """Fires when an RFQCancel names no RFQ of the creator that can still be cancelled."""

    creator: str
    transact_time: float
    echo_id: str  #: 131 of the UB: the id the cancel named
    rfq_id: str | None  #: 21023 when the cancel gave it
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqExpired:
    """Fires when an RFQ has been open for its lifetime (24 h) and the exchange closes it."""

    creator: str
    transact_time: float
    rfq_id: str  #: 21023, always present on EXPIRED
    client_rfq_id: str | None
    echo_id: str  #: 131 of the UB: the client id, else rfq_id


# --- to a maker (KalshiRFQ) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRequested:
    """Fires for each maker told of an RFQ: at its creation, or when the maker registers."""

    maker: str
    transact_time: float
    rfq_id: str  #: 131 on the R sent to makers
    ticker: str
    quantity: Decimal | None
    cash_quantity: Decimal | None
    requester: str  #: the creator's pseudonym (448)
    expires_at: float


@dataclass(frozen=True, slots=True, kw_only=True)
class QuotePending:
    """Fires when the maker's quote is live on the RFQ."""

    maker: str
    transact_time: float
    quote_id: str
    rfq_id: str
    ticker: str
    yes_bid: Decimal
    no_bid: Decimal
    quantity: Decimal | None  #: the RFQ's contract size if it gave one
    yes_size: Decimal
    no_size: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRejected:
    """Fires when a maker's Quote is refused. The AI goes out with an empty QuoteID (117);
    ``quote_id`` is the refused one, for the gateway's log."""

    maker: str
    transact_time: float
    quote_id: str
    rfq_id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteAccepted:
    """Fires when the creator accepts the maker's quote; the maker must confirm before
    ``confirm_by``."""

    maker: str
    transact_time: float
    quote_id: str
    rfq_id: str
    ticker: str
    accepted_side: QuoteSide  #: 54: the side of this quote that was hit (see .sides)
    yes_bid: Decimal
    no_bid: Decimal
    yes_price: Decimal  #: the trade's YES price
    quantity: Decimal  #: contracts that will trade
    confirm_by: float


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteCancelled:
    """Fires when the maker's quote stops being live without trading: the maker cancelled it,
    quoted again (REPLACED), or missed the confirmation window (CONFIRM_MISSED)."""

    maker: str
    transact_time: float
    quote_id: str
    rfq_id: str
    reason: QuoteCancelReason


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteCancelRefused:
    """Fires when a QuoteCancel names no live quote of the maker (unknown, or accepted)."""

    maker: str
    transact_time: float
    quote_id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteConfirmed:
    """Fires when the maker confirms an accepted quote in time; the trade is due at
    ``execute_at``."""

    maker: str
    transact_time: float
    quote_id: str
    rfq_id: str
    execute_at: float


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteConfirmRefused:
    """Fires when a QuoteConfirm is refused: late (the quote was voided), unknown, not
    accepted, or its RFQ was cancelled."""

    maker: str
    transact_time: float
    quote_id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRequestWithdrawn:
    """Fires for each maker told of an RFQ when it closes: cancelled, replaced, expired, or
    traded with another maker's quote. The maker's quotes on it are dead."""

    maker: str
    transact_time: float
    rfq_id: str
    reason: CloseReason  #: its value is the AG Text


# --- to the exchange -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RfqExecutionDue:
    """Fires when a confirmed quote's execution timer ends: the gateway hands this trade to
    the exchange, which produces both sides' ExecutionReports. The RFQ is then EXECUTED."""

    transact_time: float
    rfq_id: str
    quote_id: str
    ticker: str
    buyer: str  #: the account that buys YES
    seller: str  #: the account that sells YES (buys NO)
    yes_price: Decimal
    quantity: Decimal
    creator: str
    maker: str
    creator_side: AcceptSide
    creator_cl_ord_id: str | None  #: 11 of the acceptance, for the creator's ER
    creator_rest_remainder: bool  #: 21015 of the RFQ
    maker_rest_remainder: bool  #: 21015 of the quote


#: The same record under the name the exchange side uses for it.
BlockTradeDue = RfqExecutionDue

RfqResult = (
    RfqCreated
    | RfqRefused
    | QuoteOffered
    | AcceptAcknowledged
    | AcceptRefused
    | AcceptVoided
    | RfqCancelled
    | RfqCancelRefused
    | RfqExpired
    | QuoteRequested
    | QuotePending
    | QuoteRejected
    | QuoteAccepted
    | QuoteCancelled
    | QuoteCancelRefused
    | QuoteConfirmed
    | QuoteConfirmRefused
    | QuoteRequestWithdrawn
    | RfqExecutionDue
)
