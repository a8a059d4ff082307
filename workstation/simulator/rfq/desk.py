"""The simulator's RFQ desk: RFQs, quotes, acceptance, confirmation and execution (SPEC §13).

Pure Python and sans-IO: no FIX, no sockets, no asyncio, no clock. Every call takes ``now``
(epoch seconds), **first runs every timer due by then** (so its results come in the order
things happened), then does what it was asked and returns the :mod:`results <.results>`, each
addressed to one account. :meth:`RfqDesk.advance` runs the timers alone and
:meth:`RfqDesk.next_deadline` says when to call it next.

The lifecycle (state tables in :mod:`.states`):

1. A creator (a FIX creator on KalshiRT, or a simulated requester) creates an RFQ on a market:
   a size in contracts or in cash (:mod:`.rules`). The desk gives it a server id and tells
   every registered maker (QuoteRequest) under the creator's pseudonym. A maker that registers
   later is told of every RFQ still taking quotes [Inferred].
2. Makers quote a YES bid and a NO bid for the full size. A new quote from the same maker on the
   same RFQ replaces the earlier one, which is cancelled (AI CANCELLED). A maker may cancel a
   quote that is not accepted.
3. The creator accepts one quote with a Side (:mod:`.sides`: BUY takes the NO bid, SELL the YES
   bid; with PreferBetterQuote the desk takes the best live quote at that side, which is at
   least as good as the one named; ties go to the named quote, then to the older quote).
4. The maker must confirm within the window (:mod:`.timers`: 30 s, 3 s HVM). **A missed window
   voids the quote**: the maker is told (AI CANCELLED, and U8 REJECTED if it confirms late), the
   creator is told (an unsolicited UC REJECTED) and **the RFQ is open again**, so the creator
   can accept another quote (SPEC §19.8 leaves the reaction open; this keeps the RFQ useful).
5. After the confirmation the execution timer (15 s, 1 s HVM) runs, then the desk reports
   :class:`~.results.RfqExecutionDue` (buyer, seller, YES price, quantity) for the exchange to
   trade, closes the RFQ and tells the other makers it is gone.

Closing: the creator may cancel an RFQ that is open or has an accepted quote not yet confirmed
(a confirmed trade cannot be cancelled). An RFQ still open 24 h after its creation expires; an
RFQ whose accepted quote is awaiting confirmation does not ("expire after 24 hours if not
cancelled or accepted"), but expires at once if that quote is then voided. Every maker told of
a closed RFQ gets a QuoteRequestReject (AG); an expiry also sends the creator an unsolicited
RFQCancelStatus EXPIRED.

**One open RFQ per (creator, market)**: an RFQ that is open or has an accepted quote counts.
A second is refused with "RFQ already exists" unless it carries **ReplaceExisting**. We read
ReplaceExisting by its newest wording (2026-08-05: "close older RFQs but keep the newest, so at
most two stay open including this one") and scope it to the RFQs the rule is about, the
creator's RFQs **on the same market**: of those, the newest is kept and every older one is
cancelled (its creator gets an unsolicited UB CANCELED, its makers an AG), so at most two are
open there afterwards, the new one included. The 2026-05 reading (cancel them all) is not
implemented.

The desk is put together from one module per concern: :mod:`.desk_state` (what it holds,
closing an RFQ), :mod:`.desk_clock` (the timers), :mod:`.creator_side` and :mod:`.maker_side`
(the two roles' calls) and :mod:`.desk_records` (the state directory).
"""

from __future__ import annotations

from workstation.simulator.rfq.creator_side import CreatorSide
from workstation.simulator.rfq.desk_records import DeskRecords
from workstation.simulator.rfq.maker_side import MakerSide

__all__ = ["RfqDesk"]


class RfqDesk(CreatorSide, MakerSide, DeskRecords):
    """Every RFQ of the simulator, both roles. See the module docstring for the rules."""
