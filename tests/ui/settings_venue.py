"""A venue for the passphrase and desk-monitor tests: loopback ports, trading keys, and
read-only listener keys whose private files are encrypted, plus the Desk profile that
watches them (a custom host pointing at 127.0.0.1).

``running_loop`` is an asyncio loop on the test QApplication that counts as *running* for the
whole test (qasync's ``already_running`` mode, as ``tests/ui/e2e/conftest.py`` does), so
whatever processes Qt events — :func:`wait_until`, a qtbot click — runs the asyncio
callbacks of the live FIX sessions with the loop set, as in the application.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtTest import QTest

from tests.simulator.venue_harness import Client, ClientKey, connect, logged_on, make_key, register
from workstation.client.config import WorkstationConfig
from workstation.client.profiles import Profile, SessionSettings, VenueKind, WatchedAccount
from workstation.fix.dialect import SessionType
from workstation.fix.keys import generate_key_pair
from workstation.fix.messages.enums import Side
from workstation.fix.messages.orders import NewOrderSingle
from workstation.fix.messages.prices import PriceFormat
from workstation.simulator.assembly import build_venue
from workstation.simulator.registry import KeyRegistry, KeyScope, RegisteredKey
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue

MARKET = "KXHIGHNY-26NOV24-T43"  #: an open market of the built-in set
WAIT_S = 10.0  #: how long anything may take before a test fails


def wait_until(condition: Callable[[], bool], what: str, timeout: float = WAIT_S) -> None:
    """Process events (and so the running loop's callbacks) until ``condition()`` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        QTest.qWait(10)


@pytest.fixture
def running_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    """An asyncio loop on the test QApplication, running (driven by Qt) for the whole test;
    anything it reports (a task that died, a callback that raised) fails the test."""
    import PySide6.QtWidgets  # noqa: F401  (PySide6 before qasync, always)
    import qasync

    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(qapp, already_running=True)
    problems: list[str] = []

    def record(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        problems.append(f"{context.get('message')}: {context.get('exception')!r}")

    loop.set_exception_handler(record)
    asyncio.set_event_loop(loop)
    try:
        yield loop
        pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
        for task in pending:
            task.cancel()
        wait_until(lambda: all(task.done() for task in pending), "the last tasks to end")
    finally:
        qapp.aboutToQuit.disconnect(loop._after_run_forever)  # type: ignore[attr-defined]
        loop.stop()  # not running Qt's exec(): only marks the loop stopped
        asyncio.events._set_running_loop(None)
        loop.close()
        asyncio.set_event_loop(None)
    assert not problems, "the event loop reported: " + "; ".join(problems)


@dataclass(frozen=True)
class ListenerKey:
    """A read-scope key whose private file is encrypted with ``passphrase``."""

    label: str
    account: str
    key_id: str
    private_key: Path
    passphrase: str


class Exchange:
    """The venue, and per account a trading key and an encrypted listener key."""

    def __init__(self, directory: Path, accounts: dict[str, str]) -> None:
        """``accounts`` maps a label (what the desk monitor calls it) to an account id."""
        directory.mkdir(parents=True, exist_ok=True)
        self.registry = KeyRegistry()
        self.traders: dict[str, ClientKey] = {}
        self.listeners: dict[str, ListenerKey] = {}
        for n, (label, account) in enumerate(accounts.items(), start=1):
            trader = make_key(directory, f"trade-{n}")
            register(self.registry, trader, account)
            self.traders[label] = trader
            private = directory / f"watch-{n}.key.pem"
            public = directory / f"watch-{n}.pub.pem"
            passphrase = f"pass-{uuid.uuid4().hex[:10]}"
            key = generate_key_pair(private, public, passphrase)
            listener = ListenerKey(
                label=label,
                account=account,
                key_id=str(uuid.uuid4()),
                private_key=private,
                passphrase=passphrase,
            )
            self.registry.add_key(
                RegisteredKey(
                    key_id=listener.key_id,
                    account=account,
                    public_key=key.public_key(),
                    scope=KeyScope.READ,
                )
            )
            self.listeners[label] = listener
        self.venue: Venue = build_venue(VenueSettings(base_port=0, registry=self.registry))
        self.ports: dict[str, int] = {}

    async def start(self) -> None:
        ready = await self.venue.start()
        self.ports = dict(ready["sessions"])

    async def stop(self) -> None:
        await self.venue.stop()

    def monitor_config(self, *labels: str) -> WorkstationConfig:
        """A desk monitor on KalshiRT watching ``labels`` (every account when none given)."""
        rt = SessionSettings(session_type=SessionType.RT, port=self.ports[SessionType.RT.value])
        watched = tuple(
            WatchedAccount(
                label=key.label, api_key_id=key.key_id, private_key=key.private_key
            )
            for key in self.listeners.values()
            if not labels or key.label in labels
        )
        profile = Profile(
            name="monitor",
            kind=VenueKind.CUSTOM,
            host="127.0.0.1",
            tls=False,
            listen_only=True,
            sessions={SessionType.RT: rt},
            watch=watched,
        )
        return WorkstationConfig(profile="monitor", profiles={"monitor": profile})

    def trader_config(self, label: str) -> WorkstationConfig:
        """A trading profile whose KalshiRT key is ``label``'s encrypted listener key file
        (read scope: enough to log on as a listener, which this profile asks for)."""
        key = self.listeners[label]
        rt = SessionSettings(
            session_type=SessionType.RT,
            enabled=True,
            api_key_id=key.key_id,
            private_key=key.private_key,
            port=self.ports[SessionType.RT.value],
            listener=True,
        )
        profile = Profile(
            name="custom",
            kind=VenueKind.CUSTOM,
            host="127.0.0.1",
            tls=False,
            sessions={SessionType.RT: rt},
        )
        return WorkstationConfig(profile="custom", profiles={"custom": profile})

    async def trade(self, label: str, *orders: tuple[int, str]) -> Client:
        """Log ``label``'s trading key on to KalshiNR and send resting buy orders, each
        (quantity, price in dollars); one connection per key, so one call per account."""
        client = connect(self.ports[SessionType.NR.value], self.traders[label], SessionType.NR)
        await logged_on(client)
        for qty, price in orders:
            order = NewOrderSingle(
                cl_ord_id=f"{label.replace(' ', '')}-{uuid.uuid4().hex[:8]}",
                symbol=MARKET,
                side=Side.BUY,
                order_qty=Decimal(qty),
                price=Decimal(price),
            )
            client.initiator.send("D", order.to_body(PriceFormat.CENTS))
        return client
