"""The simulator's exchange core: markets, books, matching, accounts, fees, order groups.

Pure Python and sans-IO: it knows nothing of FIX, sockets or asyncio, and never reads the
clock. A gateway turns client messages into calls on :class:`Exchange` and the
:mod:`results <workstation.simulator.exchange.results>` it returns into messages.
"""

from workstation.simulator.exchange.book import Level
from workstation.simulator.exchange.engine import Exchange
from workstation.simulator.exchange.exec_ids import ExecId
from workstation.simulator.exchange.fees import FeeSchedule
from workstation.simulator.exchange.flow import FlowConfig, SimulatedFlow
from workstation.simulator.exchange.groups import GroupAction, GroupState
from workstation.simulator.exchange.ids import IdSource, SequentialIds, UuidIds
from workstation.simulator.exchange.market import Event, Market, MarketStatus
from workstation.simulator.exchange.markets_default import default_events
from workstation.simulator.exchange.markets_file import MarketsFileError, load_markets
from workstation.simulator.exchange.orders import NewOrder, OrderView, ReplaceOrder
from workstation.simulator.exchange.reasons import Reason
from workstation.simulator.exchange.results import (
    CancelRejected,
    CancelRequestKind,
    ExchangeStatusChanged,
    MarketSettled,
    MarketStatusChanged,
    MassCancelDone,
    MassCancelRejected,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderGroupChanged,
    OrderGroupRejected,
    OrderRejected,
    OrderReplaced,
    PositionSettled,
    Result,
)
from workstation.simulator.exchange.snapshot import AccountSnapshot, SubAccountSnapshot
from workstation.simulator.exchange.types import (
    MarketResult,
    OrdStatus,
    SelfTradePrevention,
    Side,
    TimeInForce,
)

__all__ = [
    "AccountSnapshot",
    "CancelRejected",
    "CancelRequestKind",
    "Event",
    "Exchange",
    "ExchangeStatusChanged",
    "ExecId",
    "FeeSchedule",
    "FlowConfig",
    "GroupAction",
    "GroupState",
    "IdSource",
    "Level",
    "Market",
    "MarketResult",
    "MarketSettled",
    "MarketStatus",
    "MarketStatusChanged",
    "MarketsFileError",
    "MassCancelDone",
    "MassCancelRejected",
    "NewOrder",
    "OrdStatus",
    "OrderAccepted",
    "OrderCancelled",
    "OrderFilled",
    "OrderGroupChanged",
    "OrderGroupRejected",
    "OrderRejected",
    "OrderReplaced",
    "OrderView",
    "PositionSettled",
    "Reason",
    "ReplaceOrder",
    "Result",
    "SelfTradePrevention",
    "SequentialIds",
    "Side",
    "SimulatedFlow",
    "SubAccountSnapshot",
    "TimeInForce",
    "UuidIds",
    "default_events",
    "load_markets",
]
