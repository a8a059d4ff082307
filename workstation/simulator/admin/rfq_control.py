"""What the RFQ gateway lends the admin port: a simulated requester's hands.

The admin commands ``rfq_request`` and ``rfq_accept`` act as a *simulated requester* (an RFQ
creator that is not a FIX client), so a market maker on KalshiRFQ can be exercised from the
shell. The RFQ gateway implements :class:`RfqControl` and is attached with
:meth:`~workstation.simulator.admin.server.AdminPort.attach_rfq` in the venue assembly; until
one is attached both commands answer ``{"ok": false, "error": "… no RFQ desk …"}``.

Sides are the exchange's :class:`~workstation.simulator.exchange.types.Side` (the creator's
Side 54 of SPEC §13.3): BUY accepts the maker's NO bid (the requester buys YES at 1 − NO bid),
SELL accepts the maker's YES bid.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Protocol

from workstation.simulator.exchange.types import Side

__all__ = ["RfqControl"]


class RfqControl(Protocol):
    """A simulated requester's actions on the venue's RFQ desk.

    Each method does what the FIX creator's message would (and publishes the results to the
    makers' sessions), returns what the admin answer should add (e.g. ``{"rfq_id": …}``) and
    raises ``ValueError`` with the desk's refusal text when the desk refuses.
    """

    def inject_request(
        self,
        *,
        ticker: str,
        quantity: Decimal | None,
        cash_quantity: Decimal | None,
        now: float,
    ) -> dict[str, Any]:
        """A QuoteRequest from a simulated requester: contracts or a cash size, not both."""
        ...

    def accept_quote(
        self,
        *,
        quote_id: str,
        side: Side,
        quantity: Decimal | None,
        now: float,
    ) -> dict[str, Any]:
        """Accept a maker's quote as the simulated requester that created its RFQ."""
        ...
