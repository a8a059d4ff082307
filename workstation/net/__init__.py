"""The asyncio adapter: opens TCP or TLS, feeds bytes to a sans-IO session, drains its events
and outbox, arms one timer at the session's next deadline, and reconnects with backoff.

Nothing here imports Qt or qasync; it runs on whatever asyncio loop is current (qasync's in
the GUI, plain asyncio in the simulator and the tests).

* :mod:`~workstation.net.connection` — one session over one stream connection.
* :mod:`~workstation.net.initiator` — the client: one endpoint, reconnect with backoff.
* :mod:`~workstation.net.acceptor` — the server: a fresh session per connection.
* :mod:`~workstation.net.backoff` — when to try again (pure, unit tested).
* :mod:`~workstation.net.tls` — client and server TLS contexts, pinning.
* :mod:`~workstation.net.clock` — the one place the time is read.
* :mod:`~workstation.net.testing` — throwaway certificates for tests and a local simulator.
"""

from workstation.net.acceptor import DEFAULT_HOST, AcceptorServer, start_acceptor
from workstation.net.backoff import BackoffSettings, ReconnectPolicy
from workstation.net.clock import Clock, wall_clock
from workstation.net.connection import Connection, run_session
from workstation.net.initiator import Initiator, InitiatorState
from workstation.net.tls import TlsConfigError, client_context, server_context

__all__ = [
    "DEFAULT_HOST",
    "AcceptorServer",
    "BackoffSettings",
    "Clock",
    "Connection",
    "Initiator",
    "InitiatorState",
    "ReconnectPolicy",
    "TlsConfigError",
    "client_context",
    "run_session",
    "server_context",
    "start_acceptor",
    "wall_clock",
]
