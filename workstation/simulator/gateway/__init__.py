"""The simulator's order-entry gateway on KalshiNR and KalshiRT (SPEC §9, §11, §14.2).

:func:`install_order_gateway` attaches it to a :class:`~workstation.simulator.venue.Venue`:

- :mod:`.order_entry` — NewOrderSingle, OrderCancelRequest, OrderCancelReplaceRequest and
  OrderMassCancelRequest handlers, armed failures, pending reports;
- :mod:`.order_groups` — OrderGroupRequest → OrderGroupResponse / BusinessMessageReject;
- :mod:`.cancel_on_disconnect` — CancelOrdersOnDisconnect (8013);
- :mod:`.reports` — exchange results → ExecutionReport / OrderCancelReject per dialect and
  session options (every ExecutionReport is built by ``reports.execution_report``);
- :mod:`.fanout` — who gets each report, the drop-copy history, and the venue's result
  listener for results nobody asked for (expiries, simulated flow, pauses).
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.simulator.gateway.cancel_on_disconnect import CancelOnDisconnect
from workstation.simulator.gateway.fanout import ReportFanout
from workstation.simulator.gateway.order_entry import OrderEntry
from workstation.simulator.gateway.order_groups import OrderGroupDesk
from workstation.simulator.venue import Venue

__all__ = ["OrderGateway", "install_order_gateway"]


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderGateway:
    """The parts of an installed order gateway."""

    fanout: ReportFanout
    orders: OrderEntry
    groups: OrderGroupDesk
    cancel_on_disconnect: CancelOnDisconnect


def install_order_gateway(venue: Venue) -> OrderGateway:
    """Register the order gateway's handlers, result listener and disconnect hook."""
    fanout = ReportFanout(venue)
    venue.on_results(fanout.on_results)
    gateway = OrderGateway(
        fanout=fanout,
        orders=OrderEntry(venue, fanout),
        groups=OrderGroupDesk(venue, fanout),
        cancel_on_disconnect=CancelOnDisconnect(venue, fanout),
    )
    gateway.orders.register()
    gateway.groups.register()
    gateway.cancel_on_disconnect.register()
    return gateway
