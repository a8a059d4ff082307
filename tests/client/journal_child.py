"""A Desk in a child process, for the journal's ``kill -9`` tests — and the venue both sides use.

The test process runs the simulator (:func:`start_venue`) and writes a JSON spec of it; the
child (``python journal_child.py SPEC``) starts a Desk on the spec's data directory with a
custom profile pointing at that venue, and then:

``stream``
    places one large resting order (unless the journal already holds it), prints ``ready``,
    and then ``fills N`` after every update that added fills — an update is delivered only
    after its messages' transaction committed, so N fills are on disk when the line appears —
    until it is killed;
``submit-and-die``
    sends one order, prints its ClOrdID and kills itself with SIGKILL before reading any
    answer: an order sent and never acknowledged.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from workstation.client.config import RiskSettings, WorkstationConfig
from workstation.client.desk import Desk, DeskUpdate
from workstation.client.profiles import Profile, SessionSettings, VenueKind
from workstation.fix.dialect import Dialect, SessionType
from workstation.fix.keys import generate_key_pair, load_public_key
from workstation.simulator.assembly import build_venue
from workstation.simulator.exchange.orders import NewOrder
from workstation.simulator.exchange.types import Side as ExchangeSide
from workstation.simulator.exchange.types import TimeInForce as ExchangeTif
from workstation.simulator.registry import AccountSpec, KeyRegistry, RegisteredKey
from workstation.simulator.settings import VenueSettings
from workstation.simulator.venue import Venue
from workstation.trading.changes import FillAdded
from workstation.trading.ticket import Intent, Ticket

ACCOUNT = "journal-trader"
COUNTERPARTY = "journal-counterparty"
PROFILE = "journal"
HERE = Path(__file__).resolve()


@dataclass
class ExternalVenue:
    """A simulator in the test process, with keys for ``ACCOUNT`` on each session type."""

    venue: Venue
    ready: dict[str, Any]
    keys: dict[SessionType, tuple[str, Path]]

    def spec(self, data_dir: Path, order_session: SessionType, mode: str, **extra: Any) -> Any:
        sessions = [order_session, SessionType.DC]
        return {
            "data_dir": str(data_dir),
            "order_session": order_session.value,
            "ports": {st.value: self.ready["sessions"][st.value] for st in sessions},
            "keys": {st.value: [self.keys[st][0], str(self.keys[st][1])] for st in sessions},
            "mode": mode,
            **extra,
        }

    def write_spec(self, path: Path, spec: Any) -> Path:
        path.write_text(json.dumps(spec), encoding="utf-8")
        return path

    async def run_dying_child(
        self, spec_file: Path, command: list[str] | None = None, cwd: Path | None = None
    ) -> str:
        """Run a workstation child on ``spec_file`` (this module's, unless ``command``) that
        sends and then kills itself with SIGKILL before it reads any answer; the ClOrdID it
        printed last."""
        argv = command or [sys.executable, str(HERE)]
        child = await asyncio.create_subprocess_exec(
            *argv, str(spec_file), stdout=asyncio.subprocess.PIPE, cwd=cwd
        )
        out, _ = await child.communicate()
        assert child.returncode == -9, f"the child was not killed by itself: {child.returncode}"
        return out.decode().split()[-1]

    def open_market(self) -> str:
        return sorted(m.ticker for m in self.venue.exchange.markets() if m.status.value == "open")[
            0
        ]

    def counterparty_sells(self, ticker: str, price: Decimal, quantity: Decimal) -> None:
        """A counterparty's IOC sell of YES at ``price``: trades with our resting bid."""
        now = self.venue.clock()
        order = NewOrder(
            account=COUNTERPARTY,
            cl_ord_id=str(uuid.uuid4()),
            ticker=ticker,
            side=ExchangeSide.SELL,
            price=price,
            quantity=quantity,
            time_in_force=ExchangeTif.IOC,
        )
        self.venue.publish(self.venue.exchange.submit(order, now), now)

    def fill_ids(self, account: str = ACCOUNT) -> list[str]:
        return list(self.venue.exchange.snapshot(account).fills)


async def start_venue(directory: Path, dialect: Dialect = Dialect.CURRENT) -> ExternalVenue:
    registry = KeyRegistry()
    registry.add_account(AccountSpec(account_id=ACCOUNT, balance=Decimal("100000")))
    keys: dict[SessionType, tuple[str, Path]] = {}
    directory.mkdir(parents=True, exist_ok=True)
    for st in (SessionType.NR, SessionType.RT, SessionType.DC):
        private = directory / f"{st.value}.key.pem"
        public = directory / f"{st.value}.pub.pem"
        generate_key_pair(private, public)
        key_id = str(uuid.uuid4())
        registry.add_key(
            RegisteredKey(key_id=key_id, account=ACCOUNT, public_key=load_public_key(public))
        )
        keys[st] = (key_id, private)
    venue = build_venue(VenueSettings(base_port=0, registry=registry, dialect=dialect))
    ready = await venue.start()
    venue.exchange.fund(COUNTERPARTY, Decimal("1000000"))
    return ExternalVenue(venue=venue, ready=ready, keys=keys)


def config_for(spec: Any) -> WorkstationConfig:
    """A workstation configuration whose active profile trades on the spec's venue."""
    sessions = {
        SessionType(st): SessionSettings(
            session_type=SessionType(st),
            enabled=True,
            api_key_id=key_id,
            private_key=Path(key_path),
            port=int(spec["ports"][st]),
        )
        for st, (key_id, key_path) in spec["keys"].items()
    }
    profile = Profile(
        name=PROFILE,
        kind=VenueKind.CUSTOM,
        host="127.0.0.1",
        order_session=SessionType(spec["order_session"]),
        sessions=sessions,
        tls=False,
    )
    return WorkstationConfig(
        profile=PROFILE,
        profiles={PROFILE: profile},
        risk=RiskSettings(
            max_contracts=100000,
            max_order_cost=Decimal("100000"),
            confirm_above_cost=Decimal("100000"),
        ),
    )


def make_desk(spec: Any) -> Desk:
    return Desk(config_for(spec), data_dir=Path(spec["data_dir"]), local_flow=False)


async def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def ticket_of(spec: Any) -> Ticket:
    return Ticket(
        symbol=spec["symbol"],
        intent=Intent[spec.get("intent", "BUY_YES")],
        price=Decimal(spec["price"]),
        quantity=Decimal(spec["quantity"]),
    )


async def _run(spec: Any) -> None:
    desk = make_desk(spec)
    await desk.start()
    await wait_until(desk.all_logged_on)
    if spec["mode"] == "submit-and-die":
        order = await desk.submit(ticket_of(spec), confirmed=True)
        print(order.cl_ord_id, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    if not any(o.symbol == spec["symbol"] for o in desk.orders):
        await desk.submit(ticket_of(spec), confirmed=True)

    def report(update: DeskUpdate) -> None:
        if any(isinstance(c, FillAdded) for c in update.changes):
            print(f"fills {len(desk.fills)}", flush=True)

    desk.subscribe(report)
    print("ready", flush=True)
    await asyncio.Event().wait()  # until killed


def main(argv: list[str]) -> None:
    spec = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    asyncio.run(_run(spec))


if __name__ == "__main__":
    main(sys.argv)
