"""Who gets each message the order gateway sends (SPEC §9.6, §14.2).

An order report (acknowledgement, pending, fill, cancel, replace) goes to:

- the session that placed the order, found by the order's session tag, while it is logged on
  (a disconnected KalshiNR session simply misses it);
- the session whose request produced it, if that is another session of the account (e.g. a
  cancel sent on a second key);
- every listener session of the order's account (SPEC §14.2), never another account's.

A refusal (a rejected order, a refused cancel or replace) answers a request: it goes only to
the session that sent it. Each session gets the report in its own form (:class:`ReportStyle`).

Every replayable report (not pending, not a reject) is kept once in ``venue.exec_history``
for drop copy, in the form a session with no special options would get it, whether or not
any session was connected to receive it.

The gateway's own requests are delivered here directly (they know their requester) and then
published to the venue's other result listeners; :meth:`ReportFanout.on_results` delivers
everything else (expiries, simulated flow, admin pauses) and skips those batches.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import ClassVar, Protocol

from workstation.fix.dialect import Dialect
from workstation.fix.message import FixMessage
from workstation.fix.messages.business_reject import BusinessMessageReject
from workstation.fix.messages.enums import BusinessRejectReason
from workstation.fix.messages.errors import MessageError, RejectKind
from workstation.fix.messages.execution import ExecutionReport
from workstation.fix.messages.fields import Body
from workstation.fix.messages.prices import PriceFormat
from workstation.simulator.client import ClientSession
from workstation.simulator.exchange.results import (
    CancelRejected,
    OrderAccepted,
    OrderCancelled,
    OrderFilled,
    OrderRejected,
    OrderReplaced,
    Result,
)
from workstation.simulator.gateway.reports import (
    HISTORY_STYLE,
    NO_ECHO,
    IocFold,
    OrderEcho,
    OrderFacts,
    OrderMessage,
    PendingReport,
    ReportItem,
    ReportStyle,
    gets_history_report,
    ioc_folds,
    render,
)
from workstation.simulator.venue import Venue

__all__ = ["NOT_AUTHORIZED", "Outbound", "ReportFanout"]

_log = logging.getLogger(__name__)

#: BusinessRejectReason for an order-entry message on a listener session (SPEC §7.7, §14.2):
#: 6 "Not authorized" exists from 2026-05-13; 1.0.13 has only 0 "Other (see Text)".
NOT_AUTHORIZED: dict[Dialect, BusinessRejectReason] = {
    Dialect.CURRENT: BusinessRejectReason.NOT_AUTHORIZED,
    Dialect.V1_0_13: BusinessRejectReason.OTHER,
}
LISTENER_TEXT = "Not authorized: a listener session is read-only"


class Outbound(Protocol):
    """A typed message the gateway can send."""

    MSG_TYPE: ClassVar[str]

    def to_body(self, price_format: PriceFormat = ...) -> Body: ...


def _order_of(item: ReportItem) -> tuple[str, str | None, str | None]:
    """(account, the order's session tag, its order id) of an order report."""
    if isinstance(
        item, PendingReport | OrderAccepted | OrderFilled | OrderCancelled | OrderReplaced
    ):
        view = item.order
    elif isinstance(item, OrderRejected):
        return item.request.account, item.request.session_tag, None
    elif isinstance(item, CancelRejected):
        order = item.order
        return item.account, None, None if order is None else order.order_id
    else:
        raise TypeError(f"not an order report: {type(item).__name__}")
    return view.account, view.session_tag, view.order_id


_ORDER_REPORTS = (
    PendingReport,
    OrderAccepted,
    OrderFilled,
    OrderCancelled,
    OrderReplaced,
    OrderRejected,
    CancelRejected,
)
_ANSWERS = (OrderRejected, CancelRejected)


class ReportFanout:
    """Sends the gateway's messages; see the module docstring."""

    def __init__(self, venue: Venue) -> None:
        self._venue = venue
        self._echoes: dict[str, OrderEcho] = {}
        #: echoes remembered since the last take_new_echoes(), once a writer asked for them
        self._new_echoes: list[tuple[str, OrderEcho]] | None = None
        #: batches of results the gateway is publishing itself (already delivered)
        self._own: list[list[Result]] = []

    # ------------------------------------------------------------------ order reports

    def remember(self, order_id: str, echo: OrderEcho) -> None:
        """What the reports of ``order_id`` echo from its NewOrderSingle."""
        if echo != NO_ECHO:
            self._echoes[order_id] = echo
            if self._new_echoes is not None:
                self._new_echoes.append((order_id, echo))

    # ------------------------------------------------------------------ the state directory

    def echoes(self) -> dict[str, OrderEcho]:
        """Every order's echo (AllocAccount, Parties) remembered so far, by OrderID (a copy)."""
        return dict(self._echoes)

    def take_new_echoes(self) -> list[tuple[str, OrderEcho]]:
        """The (OrderID, echo) pairs remembered since the last call; the first call starts
        the list (and returns nothing), so a venue without a writer keeps none."""
        new, self._new_echoes = self._new_echoes or [], []
        return new

    def restore_echoes(self, echoes: dict[str, OrderEcho]) -> None:
        """Take back the echoes an earlier run kept (reports after a restart still echo)."""
        self._echoes.update(echoes)

    def deliver(
        self,
        items: Sequence[ReportItem],
        now: float,
        *,
        requester: ClientSession | None = None,
        suppress_ack: bool = False,
        echo: OrderEcho = NO_ECHO,
        fallback: OrderFacts | None = None,
    ) -> None:
        """Send the order reports among ``items`` to whoever gets them, in order.

        ``requester`` sent the request that produced ``items``. ``suppress_ack`` keeps the
        acknowledgement (New) of the order away from it (EXCHANGE_UNAVAILABLE that was in fact
        applied). ``echo`` is for reports of orders the exchange never numbered (rejects);
        ``fallback`` describes the order of a refused cancel the exchange could not find.
        """
        reports = [item for item in items if isinstance(item, _ORDER_REPORTS)]
        if not reports:
            return
        folds = ioc_folds(reports)
        styles: dict[int, ReportStyle] = {}
        #: (an answer?, account, session tag) -> the sessions that get it, and whether the
        #: placing session is among them: the same for every report of one order, and the
        #: sessions logged on do not change while a batch is delivered
        found: dict[tuple[bool, str, str | None], tuple[list[ClientSession], bool]] = {}
        for item in reports:
            account, tag, order_id = _order_of(item)
            item_echo = self._echoes.get(order_id, echo) if order_id is not None else echo
            fold = folds.get(id(item))
            kept = self._record(account, item, item_echo, fold, now)
            key = (isinstance(item, _ANSWERS), account, tag)
            known = found.get(key)
            if known is None:
                targets = self._targets(item, account, tag, requester)
                placer_online = tag is None or any(c.tag == tag for c in targets)
                known = found[key] = (targets, placer_online)
            targets, placer_online = known
            for client in targets:
                if suppress_ack and client is requester and isinstance(item, OrderAccepted):
                    continue
                style = styles.get(id(client))
                if style is None:
                    style = styles[id(client)] = ReportStyle.of(client)
                try:
                    message: OrderMessage | None
                    if kept is not None and gets_history_report(style, kept):
                        message = kept  # the same report, built once
                    else:
                        message = render(item, style, echo=item_echo, fallback=fallback, fold=fold)
                    if message is not None:
                        self.send(client, message)
                except Exception:  # one session's trouble must not cost the others theirs
                    _log.exception("report for %s to %s failed", type(item).__name__, client.tag)
            if not placer_online:
                assert tag is not None
                self._keep_for_resend(item, tag, item_echo, fold, now)

    def _keep_for_resend(
        self, item: ReportItem, tag: str, echo: OrderEcho, fold: IocFold | None, now: float
    ) -> None:
        """The placing session is offline: a retransmitting one gets the report by resend."""
        client = self._venue.offline_client(tag)
        if client is None or client.is_listener:
            return
        try:
            message = render(item, ReportStyle.of(client), echo=echo, fold=fold)
            if message is not None:
                body = message.to_body(client.price_format)
                self._venue.store_offline(client, message.MSG_TYPE, body, now)
        except Exception:
            _log.exception("keeping a report for %s failed", tag)

    def _record(
        self, account: str, item: ReportItem, echo: OrderEcho, fold: IocFold | None, now: float
    ) -> ExecutionReport | None:
        """Keep the history's form of ``item`` for drop copy; returns that report (None when
        the item has none: pending reports, refusals, a New folded into a Trade)."""
        if isinstance(item, PendingReport | OrderRejected | CancelRejected):
            return None
        report = render(item, HISTORY_STYLE, echo=echo, fold=fold)
        if not isinstance(report, ExecutionReport):
            return None
        self._venue.exec_history.record(account, report, now)
        return report

    def _targets(
        self,
        item: ReportItem,
        account: str,
        tag: str | None,
        requester: ClientSession | None,
    ) -> list[ClientSession]:
        if isinstance(item, _ANSWERS):
            if requester is not None:
                return [requester]
            return [c for c in self._venue.clients(account=account) if tag and c.tag == tag]
        targets: list[ClientSession] = []
        if requester is not None and not requester.is_listener and requester.account == account:
            targets.append(requester)
        for client in self._venue.clients(account=account):
            if client in targets:
                continue
            if client.is_listener or (tag is not None and client.tag == tag):
                targets.append(client)
        return targets

    # ------------------------------------------------------------------ results listener

    def on_results(self, results: list[Result], now: float) -> None:
        """The venue's result listener: deliver reports of results the gateway did not ask for."""
        if any(results is own for own in self._own):
            return
        self.deliver(results, now)

    def publish(self, results: list[Result], now: float) -> None:
        """Hand results the gateway already delivered to the venue's other listeners."""
        self._own.append(results)
        try:
            self._venue.publish(results, now)
        finally:
            self._own.pop()

    # ------------------------------------------------------------------ replies

    def send(self, client: ClientSession, message: Outbound) -> None:
        self._venue.send(client, message.MSG_TYPE, message.to_body(client.price_format))

    def business_reject(
        self,
        client: ClientSession,
        ref: FixMessage,
        reason: int,
        text: str,
        *,
        ref_tag: int | None = None,
        ref_id: str | None = None,
    ) -> None:
        """BusinessMessageReject (35=j) about ``ref`` (SPEC §7.7)."""
        self.send(
            client,
            BusinessMessageReject(
                reason=BusinessRejectReason(reason),
                ref_msg_type=ref.msg_type,
                ref_seq_num=ref.seq_num or 0,
                ref_id=ref_id,
                ref_tag_id=ref_tag,
                text=text,
            ),
        )

    def refuse(self, client: ClientSession, ref: FixMessage, error: MessageError) -> None:
        """Answer a message a typed parser refused: a Reject (35=3) or a BusinessMessageReject,
        as the error says."""
        if error.kind is RejectKind.SESSION:
            self._venue.reject(client, ref, error.reason, error.text, error.tag)
        else:
            self.business_reject(
                client, ref, error.reason, error.text, ref_tag=error.tag, ref_id=ref.get(11)
            )

    def refuse_listener(self, client: ClientSession, ref: FixMessage) -> bool:
        """True (and a BusinessMessageReject sent) when ``client`` is a listener session."""
        if not client.is_listener:
            return False
        reason = NOT_AUTHORIZED[self._venue.dialect]
        self.business_reject(client, ref, reason, LISTENER_TEXT, ref_id=ref.get(11))
        return True
