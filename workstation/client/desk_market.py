"""The Desk's market data: events, markets and the balance, polled over the venue's REST API.

:class:`MarketFeed` starts once the sessions are opened, so the order session's key — as
loaded for its Logon, an encrypted key unlocked with the passphrase the trader gave then —
can sign the balance and position requests. A profile without a REST URL has no market data;
one whose REST client cannot be built has it off, with a notice saying why. The REST client
is also what settlement recovery reads the settlement history with.
"""

from __future__ import annotations

from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from workstation.client.desk_updates import NoticeLevel
from workstation.client.market_data import MarketPoller, MarketSnapshot, RestClient, RestError

__all__ = ["MarketFeed"]


class MarketFeed:
    """Polls the venue every ``poll_seconds`` once started; each snapshot goes to
    ``on_snapshot``."""

    def __init__(
        self,
        *,
        poll_seconds: float,
        clock: Callable[[], float],
        notice: Callable[[str, NoticeLevel], None],
        on_snapshot: Callable[[MarketSnapshot], None],
    ) -> None:
        self._poll_seconds = poll_seconds
        self._clock = clock
        self._notice = notice
        self._on_snapshot = on_snapshot
        self._poller: MarketPoller | None = None

    @property
    def client(self) -> RestClient | None:
        """The REST client polling the venue (None when market data is off)."""
        return None if self._poller is None else self._poller.client

    def start(self, rest_url: str, *, key_id: str | None, key: RSAPrivateKey | None) -> None:
        """Poll ``rest_url`` (nothing when it is empty), signing with ``key`` as ``key_id``
        where a request needs it."""
        if not rest_url:
            return
        try:
            client = RestClient(rest_url, key_id=key_id, private_key=key)
        except RestError as exc:
            self._notice(f"Market data is off: {exc}", NoticeLevel.WARNING)
            return
        self._poller = MarketPoller(
            client, interval=self._poll_seconds, on_snapshot=self._on_snapshot, clock=self._clock
        )
        self._poller.start()

    async def refresh(self) -> MarketSnapshot | None:
        """Poll now; None when market data is off."""
        return None if self._poller is None else await self._poller.poll_once()

    async def stop(self) -> None:
        if self._poller is not None:
            await self._poller.stop()
