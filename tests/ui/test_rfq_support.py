"""What the RFQ panel tests stand on: a real Desk (not started) whose two RFQ sessions are
recording links, the real DeskBridge as the panel's runner, and inbound RFQ messages that go
the whole way: typed message → wire bytes → parse_frame → the Desk's Inbound → TradingState.

Only the socket is missing: what the Desk sends is recorded by :class:`RecordingLink` (the
exact body it would put on the wire), and what the venue answers is fed by
:class:`RfqWorld` the way a SessionLink hands frames to the Desk. The few tests here check
the support itself.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from workstation.client.config import WorkstationConfig
from workstation.client.desk import Desk
from workstation.client.profiles import default_profiles
from workstation.client.session_link import SessionLink
from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.dialect import SessionType
from workstation.fix.messages.enums import (
    AcceptQuoteStatus,
    QuoteRequestRejectReason,
    QuoteStatus,
    RfqCancelStatus,
    Side,
)
from workstation.fix.messages.parties import Party
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.messages.rfq_creator import (
    AcceptQuoteStatusReport,
    CreatorQuoteRequest,
    QuoteNotification,
    QuoteRequestAck,
    RfqCancelStatusReport,
)
from workstation.fix.messages.rfq_maker import (
    QuoteRequest,
    QuoteRequestReject,
    QuoteStatusReport,
)
from workstation.fix.values import format_utc_timestamp
from workstation.trading.changes import Change, MakerRfqChanged, RfqChanged
from workstation.trading.rfq import RfqStatus
from workstation.trading.rfq_maker import MakerStatus
from workstation.ui.bridge import DeskBridge

#: 2026-03-12 14:30:05 UTC (10:30:05 EDT), a Thursday.
T0 = 1773325805.0
ACCOUNT = "acct-ui-test"
MARKETS = (
    "KXHIGHNY-26MAR12-B54.5",
    "KXHIGHNY-26MAR12-T58",
    "KXCPIYOY-26MAR-T2.9",
    "KXFEDDECISION-26MAR-H0",
)


class FakeClock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclasses.dataclass
class _Settings:
    use_dollars: bool = False


class RecordingLink:
    """A logged-on session that records what the Desk sends instead of writing a socket."""

    def __init__(self, session_type: SessionType) -> None:
        self.session_type = session_type
        self.account = ACCOUNT
        self.settings = _Settings()
        self.active = True
        self.sent: list[tuple[str, dict[int, str]]] = []
        self._seq = 0

    @property
    def price_format(self) -> PriceFormat:
        return PriceFormat.DOLLARS if self.settings.use_dollars else PriceFormat.CENTS

    def send(self, msg_type: str, body: list[tuple[int, str]], *, write: bool = True) -> int:
        """Record the message (stored and, unless ``write`` is False, written at once)."""
        self._seq += 1
        self.sent.append((msg_type, dict(body)))
        return self._seq

    def write_pending(self) -> None:
        """Nothing waits here: messages are recorded as they are sent."""

    def of_type(self, msg_type: str) -> list[dict[int, str]]:
        return [body for kind, body in self.sent if kind == msg_type]


class RfqWorld:
    """A Desk with recording RT and RFQ links, its bridge, and a fake clock."""

    def __init__(self, tmp_path: Path, *, listen_only: bool = False) -> None:
        profiles = default_profiles()
        if listen_only:
            profiles["local"] = dataclasses.replace(profiles["local"], listen_only=True)
        self.clock = FakeClock()
        self.desk = Desk(WorkstationConfig(profiles=profiles), data_dir=tmp_path, clock=self.clock)
        self.rt = RecordingLink(SessionType.RT)
        self.rfq = RecordingLink(SessionType.RFQ)
        self.desk.links.extend([cast(SessionLink, self.rt), cast(SessionLink, self.rfq)])
        self.bridge = DeskBridge(self.desk)
        self._seq = {SessionType.RT: 0, SessionType.RFQ: 0}

    # -- inbound ------------------------------------------------------------------------------

    def receive(self, session: SessionType, message: Any) -> list[Change]:
        """``message`` arrives on ``session``: encoded, parsed, and applied by the Desk."""
        self._seq[session] += 1
        price_format = PriceFormat.CENTS
        header = [
            (49, session.value),
            (56, "api-key"),
            (34, str(self._seq[session])),
            (52, format_utc_timestamp(self.clock())),
        ]
        raw = encode_message(message.MSG_TYPE, header, message.to_body(price_format))
        msg = parse_frame(raw)
        assert not msg.problems, msg.problems
        result = self.desk.inbound.apply(
            msg,
            session=session,
            venue=self.desk.venue_id,
            account=ACCOUNT,
            price_format=price_format,
            now=self.clock(),
        )
        assert not result.notices, result.notices
        return result.changes

    # -- requester side -----------------------------------------------------------------------

    def ack(self, quote_req_id: str, rfq_id: str) -> list[Change]:
        return self.receive(
            SessionType.RT,
            QuoteRequestAck(quote_req_id=quote_req_id, rfq_id=rfq_id, ex_destination=0),
        )

    def quote(
        self,
        rfq_id: str,
        quote_id: str,
        symbol: str,
        *,
        yes: str | None,
        no: str | None,
        maker: str,
        qty: str = "100",
    ) -> list[Change]:
        """A maker's quote on our RFQ; prices in dollars (``"0.44"``) as a creator gets them."""
        return self.receive(
            SessionType.RT,
            QuoteNotification(
                quote_id=quote_id,
                quote_req_id=rfq_id,
                symbol=symbol,
                bid_px=None if yes is None else Decimal(yes),
                offer_px=None if no is None else Decimal(no),
                order_qty=Decimal(qty),
                parties=(Party(party_id=maker, role=35),),
            ),
        )

    def accept_status(self, quote_id: str, *, refused: str | None = None) -> list[Change]:
        """UC for our accept: ACCEPTED, or REJECTED with the reason ``refused``."""
        if refused is not None:
            report = AcceptQuoteStatusReport(
                quote_id=quote_id, status=AcceptQuoteStatus.REJECTED, text=refused
            )
        else:
            report = AcceptQuoteStatusReport(
                quote_id=quote_id, status=AcceptQuoteStatus.ACCEPTED, accepted_quote_id=quote_id
            )
        return self.receive(SessionType.RT, report)

    def cancelled(self, quote_req_id: str) -> list[Change]:
        return self.receive(
            SessionType.RT,
            RfqCancelStatusReport(status=RfqCancelStatus.CANCELED, quote_req_id=quote_req_id),
        )

    # -- maker side ---------------------------------------------------------------------------

    def request(
        self,
        rfq_id: str,
        symbol: str,
        *,
        qty: str | None = "100",
        cash: str | None = None,
        requester: str = "anon-7f3a",
    ) -> list[Change]:
        return self.receive(
            SessionType.RFQ,
            QuoteRequest(
                quote_req_id=rfq_id,
                symbol=symbol,
                order_qty=None if qty is None else Decimal(qty),
                cash_order_qty=None if cash is None else Decimal(cash),
                parties=(Party(party_id=requester),),
            ),
        )

    def quote_status(
        self,
        rfq_id: str,
        quote_id: str | None,
        status: QuoteStatus,
        *,
        side: Side | None = None,
        text: str | None = None,
    ) -> list[Change]:
        return self.receive(
            SessionType.RFQ,
            QuoteStatusReport(
                quote_req_id=rfq_id,
                status=status,
                quote_id=quote_id,
                order_qty=Decimal(100) if status is not QuoteStatus.REJECTED else None,
                accepted_side=side,
                text=text,
            ),
        )

    def request_closed(self, rfq_id: str, text: str) -> list[Change]:
        return self.receive(
            SessionType.RFQ,
            QuoteRequestReject(
                quote_req_id=rfq_id, reason=QuoteRequestRejectReason.OTHER, text=text
            ),
        )


def settle(loop: asyncio.AbstractEventLoop, turns: int = 8, desk: Desk | None = None) -> None:
    """Let the runner's tasks run, and deliver what ``desk`` holds back (it batches its
    updates, at most one per ``UPDATE_INTERVAL_S``) without waiting for its timer."""

    async def spin() -> None:
        for _ in range(turns):
            await asyncio.sleep(0)

    loop.run_until_complete(spin())
    if desk is not None:
        desk.flush()
        loop.run_until_complete(spin())


def statuses(changes: Sequence[Change]) -> list[str]:
    """The status each RFQ change (either role) carries."""
    return [c.rfq.status.value for c in changes if isinstance(c, (RfqChanged, MakerRfqChanged))]


# -- the support's own checks --------------------------------------------------------------------


def test_inbound_messages_travel_as_wire_bytes_into_the_desk_state(tmp_path: Path) -> None:
    world = RfqWorld(tmp_path)
    request = CreatorQuoteRequest(quote_req_id="ours-1", symbol=MARKETS[0], order_qty=Decimal(100))
    world.desk.state.rfqs.requested(request, now=T0)
    assert statuses(world.ack("ours-1", "rfq-1")) == ["Open"]
    world.quote("rfq-1", "q-1", MARKETS[0], yes="0.44", no="0.54", maker="mm-alpha")
    rfq = world.desk.rfqs.get("ours-1")
    assert rfq is not None and rfq.status is RfqStatus.OPEN
    (quote,) = rfq.quotes
    assert (quote.yes_bid, quote.no_bid, quote.quoter) == (
        Decimal("0.44"),
        Decimal("0.54"),
        "mm-alpha",
    )
    world.request("rfq-9", MARKETS[1], requester="anon-1")
    maker = world.desk.maker_rfqs.get("rfq-9")
    assert maker is not None and maker.status is MakerStatus.OPEN
    assert maker.requester == "anon-1"


def test_the_desk_sends_through_the_recording_links(tmp_path: Path, qasync_loop: Any) -> None:
    world = RfqWorld(tmp_path)
    quote_req_id = qasync_loop.run_until_complete(world.desk.create_rfq(MARKETS[0], Decimal(25)))
    (body,) = world.rt.of_type("R")
    assert body[131] == quote_req_id and body[55] == MARKETS[0] and body[38] == "25"
