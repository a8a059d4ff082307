"""The simulator's RFQ desk (SPEC §13): RFQs from creators, quotes from makers, acceptance,
the maker's confirmation, the execution timer and expiry, plus simulated requesters and makers.

Pure Python and sans-IO: no FIX, no sockets, no asyncio, no clock (every call takes ``now``).
A gateway turns FIX messages into :class:`RfqDesk` calls and the :mod:`results <.results>`
they return into FIX messages; :class:`RfqExecutionDue` goes to the exchange as a block trade.
"""

from workstation.simulator.rfq.desk import RfqDesk
from workstation.simulator.rfq.ids import Pseudonyms, RfqIdSource, SequentialRfqIds, UuidRfqIds
from workstation.simulator.rfq.makers import MakerBehaviour, SimulatedMakers
from workstation.simulator.rfq.market import MarketLookup, RfqMarket, rfq_market
from workstation.simulator.rfq.pricing import FairPrice
from workstation.simulator.rfq.requesters import (
    AdminCommandError,
    RequesterBehaviour,
    SimulatedRequesters,
)
from workstation.simulator.rfq.results import (
    AcceptAcknowledged,
    AcceptRefused,
    AcceptVoided,
    BlockTradeDue,
    QuoteAccepted,
    QuoteCancelled,
    QuoteCancelRefused,
    QuoteConfirmed,
    QuoteConfirmRefused,
    QuoteOffered,
    QuotePending,
    QuoteRejected,
    QuoteRequested,
    QuoteRequestWithdrawn,
    RfqCancelled,
    RfqCancelRefused,
    RfqCreated,
    RfqExecutionDue,
    RfqExpired,
    RfqRefused,
    RfqResult,
)
from workstation.simulator.rfq.rules import RfqLimits
from workstation.simulator.rfq.sides import AcceptSide, QuoteSide
from workstation.simulator.rfq.states import QuoteState, RfqState
from workstation.simulator.rfq.timers import RfqTimings
from workstation.simulator.rfq.types import (
    AcceptProblem,
    CloseReason,
    QuoteCancelReason,
    RequestRejectReason,
)
from workstation.simulator.rfq.views import AcceptanceView, QuoteView, RfqView

__all__ = [
    "AcceptAcknowledged",
    "AcceptProblem",
    "AcceptRefused",
    "AcceptSide",
    "AcceptVoided",
    "AcceptanceView",
    "AdminCommandError",
    "BlockTradeDue",
    "CloseReason",
    "FairPrice",
    "MakerBehaviour",
    "MarketLookup",
    "Pseudonyms",
    "QuoteAccepted",
    "QuoteCancelReason",
    "QuoteCancelRefused",
    "QuoteCancelled",
    "QuoteConfirmRefused",
    "QuoteConfirmed",
    "QuoteOffered",
    "QuotePending",
    "QuoteRejected",
    "QuoteRequestWithdrawn",
    "QuoteRequested",
    "QuoteSide",
    "QuoteState",
    "QuoteView",
    "RequestRejectReason",
    "RequesterBehaviour",
    "RfqCancelRefused",
    "RfqCancelled",
    "RfqCreated",
    "RfqDesk",
    "RfqExecutionDue",
    "RfqExpired",
    "RfqIdSource",
    "RfqLimits",
    "RfqMarket",
    "RfqRefused",
    "RfqResult",
    "RfqState",
    "RfqTimings",
    "RfqView",
    "SequentialRfqIds",
    "SimulatedMakers",
    "SimulatedRequesters",
    "UuidRfqIds",
    "rfq_market",
]
