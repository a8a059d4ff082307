"""A counterparty that trades against the desk's resting orders while a fault happens.

:class:`Counterparty` is another account's KalshiNR session (the workstation's own FIX engine
and initiator, reconnecting by itself) that sends immediate-or-cancel orders at the desk's
price, the middle of the simulated maker's spread where the desk's orders are the best:
sells in ``MARKETS[0]`` (filling the desk's resting bid) and buys in ``MARKETS[1]`` (filling its
resting offer), one to three contracts each, from a seeded random source. When the flow's fair
value has drifted away, an order trades with the flow's maker instead, or not at all.
:meth:`Counterparty.burst` sends many at once (a burst of fills for the desk);
:meth:`Counterparty.run` keeps trading at a steady pace until stopped. While its own session
is down it simply waits; nothing it does is asserted — the desk's fills are compared with the
venue's record afterwards.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from decimal import Decimal

from workstation.fix.auth import LogonSigner
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.errors import SessionNotActive
from workstation.fix.keys import load_private_key
from workstation.fix.logon_options import LogonOptions
from workstation.fix.messages.enums import Side, TimeInForce
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.session import Session
from workstation.fix.session_config import Role, SessionConfig
from workstation.net.initiator import Initiator, InitiatorState

from .simulator import MARKETS, keys

__all__ = ["DESK_PRICE", "Counterparty"]

DESK_PRICE = Decimal("0.50")  #: the desk bids here in MARKETS[0] and offers in MARKETS[1]


class Counterparty:
    """See the module docstring."""

    def __init__(self, port: int, *, seed: int = 5, dialect: Dialect = Dialect.CURRENT) -> None:
        key = keys()["cp"]
        self.session = Session(
            SessionConfig(
                role=Role.INITIATOR,
                session_type=SessionType.NR,
                sender_comp_id=key.key_id,
                dialect=dialect,
                logon_fields=LogonOptions().to_fields(dialect),
                heartbeat_interval=5,
            ),
            signer=LogonSigner(load_private_key(key.private_key)),
        )
        self.initiator: Initiator[Session] = Initiator(
            self.session, host="127.0.0.1", port=port
        )
        self._rng = random.Random(seed)
        self._ids = itertools.count(1)
        self._task: asyncio.Task[None] | None = None
        self.sent = 0

    @property
    def active(self) -> bool:
        return self.initiator.state is InitiatorState.ACTIVE

    def start(self) -> None:
        self.initiator.start()

    async def stop(self) -> None:
        await self.pause()
        await self.initiator.stop()

    def trade_once(self) -> bool:
        """One IOC against the desk's bid or offer; False when the session is down."""
        buy = self._rng.random() < 0.5
        order = NewOrderSingle(
            cl_ord_id=f"cp-{next(self._ids)}",
            symbol=MARKETS[1] if buy else MARKETS[0],
            side=Side.BUY if buy else Side.SELL,
            order_qty=Decimal(self._rng.randint(1, 3)),
            price=DESK_PRICE,
            time_in_force=TimeInForce.IOC,
        )
        try:
            self.initiator.send("D", order.to_body(PriceFormat.CENTS))
        except SessionNotActive:
            return False
        self.sent += 1
        return True

    def burst(self, count: int) -> int:
        """``count`` orders at once; returns how many went out."""
        return sum(1 for _ in range(count) if self.trade_once())

    def run(self, interval: float = 0.05) -> None:
        """Trade every ``interval`` seconds in the background until :meth:`pause`."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._trade(interval))

    async def pause(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _trade(self, interval: float) -> None:
        while True:
            self.trade_once()
            await asyncio.sleep(interval)
