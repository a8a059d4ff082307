"""Rebuild the trading state from the journal, exactly as it was.

The domain is event-sourced: everything that moved it was either a message that arrived, a
message we sent, or a conclusion the workstation reached by itself, and the journal holds all
three in the order they happened (``journal``). :func:`replay` feeds them back in that order
through the same calls the live Desk made, with the times that were journaled:

- an inbound row goes through :class:`~workstation.client.inbound.Inbound`, as it did live
  (drop-copy rows still count as healed);
- a sent row re-applies the "we sent this" call of its MsgType: ``orders.submitted`` (D),
  ``orders.cancel_requested`` (F), ``orders.replace_requested`` (G), ``groups.requested``
  (UOG), ``rfqs.requested`` / ``accept_sent`` / ``cancel_sent`` (R, UA, UE),
  ``maker_rfqs.quote_sent`` / ``confirm_sent`` (S, U7); a mass cancel (q), a quote cancel (Z)
  or a drop-copy request (U1) changed nothing when sent and changes nothing now;
- a note re-applies ``orders.mark_unknown`` or ``maker_rfqs.expire``; the drop-copy notes
  say whether a replay from some ExecID is still owed (one asked for and never completed,
  say because the workstation was killed during it), so it is asked for again from there;
  a recovered settlement (read from REST because KalshiPT could not resend it,
  ``settlement_recovery``) is booked again as recovered, and the last read of the REST
  settlement history says where the next one starts.

So the orders, fills, positions, groups, RFQs and settlements after a replay equal those
before the restart, and replaying twice gives the same state as replaying once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from workstation.client.inbound import Inbound
from workstation.client.journal import InboundEntry, JournalEntry, NoteEntry, NoteKind, SentEntry
from workstation.client.settlement_recovery import decode_report
from workstation.fix.message import FixMessage
from workstation.fix.messages import (
    AcceptQuote,
    CreatorQuoteRequest,
    MessageError,
    NewOrderSingle,
    OrderCancelReplaceRequest,
    OrderCancelRequest,
    OrderGroupRequest,
    Quote,
    QuoteConfirm,
    RfqCancel,
)
from workstation.fix.messages.exec_id import ExecId
from workstation.fix.messages.prices import PriceFormat
from workstation.fix.values import FieldFormatError
from workstation.trading.changes import Change
from workstation.trading.state import TradingState
from workstation.trading.ticket import Intent

__all__ = ["ReplayResult", "replay"]

#: Sent message types that changed nothing in the state when they were sent.
_NO_STATE = frozenset({"q", "Z", "U1"})


@dataclass
class ReplayResult:
    """What a replay rebuilt: the changes (for the views), the intents of the orders sent,
    the drop-copy replay still owed, how many entries were read, and the entries that could
    not be applied (with why); and for settlement recovery, when the REST settlement history
    was last read and when the first entry was journaled."""

    changes: list[Change] = field(default_factory=list)
    intents: dict[str, Intent] = field(default_factory=dict)
    heal_owed: ExecId | None = None
    entries: int = 0
    problems: list[str] = field(default_factory=list)
    settlements_checked_at: float | None = None
    first_at: float | None = None


def replay(entries: Iterable[JournalEntry], *, state: TradingState) -> ReplayResult:
    """Apply ``entries`` (one venue's, in journal order) to ``state``; see the module
    docstring. :class:`~workstation.client.journal.JournalRefused` from a damaged file
    propagates."""
    result = ReplayResult()
    inbound = Inbound(state)
    for entry in entries:
        result.entries += 1
        if result.first_at is None:
            result.first_at = _entry_time(entry)
        if isinstance(entry, InboundEntry):
            applied = inbound.apply(
                entry.message(),
                session=entry.session,
                venue=entry.venue,
                account=entry.account,
                price_format=entry.price_format,
                now=entry.received_at,
            )
            result.changes += applied.changes
        elif isinstance(entry, SentEntry):
            _replay_sent(entry, state, result)
        else:
            _replay_note(entry, state, result)
    return result


def _entry_time(entry: JournalEntry) -> float:
    if isinstance(entry, InboundEntry):
        return entry.received_at
    return entry.sent_at if isinstance(entry, SentEntry) else entry.at


def _replay_sent(entry: SentEntry, state: TradingState, result: ReplayResult) -> None:
    if entry.msg_type in _NO_STATE:
        return
    apply = _SENT.get(entry.msg_type)
    if apply is None:
        result.problems.append(f"journal row {entry.row_id}: a sent {entry.msg_type} is not known")
        return
    try:
        if entry.intent is not None and entry.msg_type == "D":
            cl_ord_id = entry.message().get(11)
            if cl_ord_id is not None:
                result.intents[cl_ord_id] = entry.intent
        result.changes += apply(state, entry, entry.message(), entry.price_format)
    except (MessageError, FieldFormatError, LookupError, ValueError, TypeError) as exc:
        result.problems.append(f"journal row {entry.row_id} ({entry.msg_type} sent): {exc}")


def _replay_note(entry: NoteEntry, state: TradingState, result: ReplayResult) -> None:
    try:
        if entry.kind is NoteKind.ORDER_UNKNOWN:
            result.changes += state.orders.mark_unknown(entry.subject, entry.text, now=entry.at)
        elif entry.kind is NoteKind.QUOTES_EXPIRED:
            result.changes += state.maker_rfqs.expire(entry.at)
        elif entry.kind is NoteKind.HEAL_OWED:
            result.heal_owed = ExecId.parse(entry.subject)
        elif entry.kind is NoteKind.HEAL_DONE:
            result.heal_owed = None
        elif entry.kind is NoteKind.SETTLEMENT_RECOVERED:
            result.changes += state.recover_settlement(
                decode_report(entry.text), venue=entry.venue, account=entry.account, now=entry.at
            )
        elif entry.kind is NoteKind.SETTLEMENTS_CHECKED:
            result.settlements_checked_at = entry.at
    except (LookupError, FieldFormatError, MessageError, ValueError) as exc:
        result.problems.append(f"journal row {entry.row_id} ({entry.kind.value}): {exc}")


SentCall = Callable[[TradingState, SentEntry, FixMessage, PriceFormat], list[Change]]


def _new_order(s: TradingState, e: SentEntry, m: FixMessage, pf: PriceFormat) -> list[Change]:
    nos = NewOrderSingle.from_message(m, pf)
    changes = s.orders.submitted(nos, venue=e.venue, account=e.account, now=e.sent_at)
    if e.seq_num is not None:
        s.orders.note_sent(nos.cl_ord_id, e.seq_num)
    return changes


def _cancel(s: TradingState, e: SentEntry, m: FixMessage, pf: PriceFormat) -> list[Change]:
    request = OrderCancelRequest.from_message(m, pf)
    changes = s.orders.cancel_requested(request, now=e.sent_at)
    if e.seq_num is not None:
        s.orders.note_sent(request.cl_ord_id, e.seq_num)
    return changes


def _replace(s: TradingState, e: SentEntry, m: FixMessage, pf: PriceFormat) -> list[Change]:
    request = OrderCancelReplaceRequest.from_message(m, pf)
    changes = s.orders.replace_requested(request, now=e.sent_at)
    if e.seq_num is not None:
        s.orders.note_sent(request.cl_ord_id, e.seq_num)
    return changes


def _group(s: TradingState, e: SentEntry, m: FixMessage, pf: PriceFormat) -> list[Change]:
    request = OrderGroupRequest.from_message(m, pf)
    return s.groups.requested(request, now=e.sent_at, seq_num=e.seq_num)


def _rfq(s: TradingState, e: SentEntry, m: FixMessage, pf: PriceFormat) -> list[Change]:
    return s.rfqs.requested(CreatorQuoteRequest.from_message(m, pf), now=e.sent_at)


def _rfq_cancel(s: TradingState, e: SentEntry, m: FixMessage, pf: PriceFormat) -> list[Change]:
    return s.rfqs.cancel_sent(RfqCancel.from_message(m, pf), now=e.sent_at)


def _accept(s: TradingState, e: SentEntry, m: FixMessage, pf: PriceFormat) -> list[Change]:
    return s.rfqs.accept_sent(AcceptQuote.from_message(m, pf), now=e.sent_at)


def _quote(s: TradingState, e: SentEntry, m: FixMessage, pf: PriceFormat) -> list[Change]:
    return s.maker_rfqs.quote_sent(Quote.from_message(m, pf), now=e.sent_at)


def _confirm(s: TradingState, e: SentEntry, m: FixMessage, pf: PriceFormat) -> list[Change]:
    return s.maker_rfqs.confirm_sent(QuoteConfirm.from_message(m, pf), now=e.sent_at)


_SENT: dict[str, SentCall] = {
    "D": _new_order,
    "F": _cancel,
    "G": _replace,
    "UOG": _group,
    "R": _rfq,
    "UE": _rfq_cancel,
    "UA": _accept,
    "S": _quote,
    "U7": _confirm,
}
