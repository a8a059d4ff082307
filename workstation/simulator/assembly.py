"""Builds a venue with every gateway attached. The one place that knows the full set."""

from __future__ import annotations

from workstation.simulator.admin import AdminPort
from workstation.simulator.exchange.flow import FlowConfig
from workstation.simulator.flow_driver import FlowDriver
from workstation.simulator.gateway import install_order_gateway
from workstation.simulator.gateway.drop_copy import DropCopyGateway
from workstation.simulator.gateway.rfq_bridge import install_rfq_gateway
from workstation.simulator.gateway.settlement import SettlementGateway
from workstation.simulator.persistence import StateDir
from workstation.simulator.rest import RestServer
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

__all__ = ["build_venue"]


def build_venue(settings: VenueSettings) -> Venue:
    """A :class:`Venue` with its gateways registered (order entry, drop copy, settlement, RFQ,
    admin, REST, persistence — each added here as it lands)."""
    venue = Venue(settings)
    # Restore from --state-dir before anything else looks at the exchange.
    state = None if settings.state_dir is None else StateDir.open(venue, settings.state_dir)
    orders = install_order_gateway(venue)
    rfq = install_rfq_gateway(venue, orders)
    DropCopyGateway(venue).register()
    settlements = SettlementGateway(venue)
    settlements.register()
    flow = FlowDriver(venue, enabled=settings.flow, config=FlowConfig(seed=settings.seed))
    flow.register()
    admin = AdminPort(flow=flow)
    admin.attach_rfq(rfq)
    venue.add_component(admin)
    venue.add_component(RestServer(settlements=settlements))
    if state is not None:
        # keep last: it writes what every other listener did
        state.attach(settlements, fanout=orders.fanout, rfq=rfq)
    return venue
