"""The simulator's admin port: settle, pause, open/close, flow, RFQ injection, drops, the
clock, armed failures, market lists and account snapshots, one JSON line at a time.

See :mod:`.protocol` for the commands, :mod:`.server` for the port and :mod:`.client` for the
caller's side (``workstation-sim admin`` uses it).
"""

from workstation.simulator.admin.args import AdminError
from workstation.simulator.admin.client import AdminClient, AdminConnectionError, send_command
from workstation.simulator.admin.flow_control import FlowControl
from workstation.simulator.admin.protocol import AdminProtocol
from workstation.simulator.admin.rfq_control import RfqControl
from workstation.simulator.admin.server import AdminPort

__all__ = [
    "AdminClient",
    "AdminConnectionError",
    "AdminError",
    "AdminPort",
    "AdminProtocol",
    "FlowControl",
    "RfqControl",
    "send_command",
]
