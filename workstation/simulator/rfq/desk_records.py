"""The RFQ desk written down and read back (``--state-dir``): its records since a writer's
last look, its counters and pseudonyms, and restoring them into an empty desk."""

from __future__ import annotations

from collections.abc import Iterable

from workstation.simulator.rfq.desk_state import DeskState
from workstation.simulator.rfq.records import Quote, Rfq
from workstation.simulator.rfq.states import RfqState

__all__ = ["DeskRecords"]


class DeskRecords(DeskState):
    """What the state directory asks of the desk, and gives back after a restart."""

    @property
    def changes(self) -> int:
        """Rises with every call that may have changed an RFQ, a quote or a pseudonym: a
        writer that saw the same number last time has nothing new to write."""
        return self._changes

    @property
    def seq(self) -> int:
        """The last creation number given to an RFQ or a quote."""
        return self._seq

    def records(self, *, after_seq: int = 0, also: Iterable[str] = ()) -> list[Rfq]:
        """The desk's own records (not copies; read them, do not change them) of the RFQs
        not yet final, those created after ``after_seq`` and those named in ``also``, in
        creation order: every RFQ that changed since a writer's last look, when it passes the
        :attr:`seq` and the live ids it saw then."""
        chosen = dict(self._live)
        for rfq in reversed(self._rfqs.values()):
            if rfq.seq <= after_seq:
                break
            chosen[rfq.rfq_id] = rfq
        for rfq_id in also:
            named = self._rfqs.get(rfq_id)
            if named is not None:
                chosen[rfq_id] = named
        return sorted(chosen.values(), key=lambda r: r.seq)

    def live_ids(self) -> list[str]:
        """The ids of the RFQs not yet final."""
        return list(self._live)

    def pseudonyms(self) -> tuple[dict[str, str], dict[str, str]]:
        """(account → requester pseudonym, account → quoter pseudonym), copies."""
        return self._requesters.known(), self._quoters.known()

    def restore(
        self,
        rfqs: Iterable[Rfq],
        *,
        seq: int,
        requesters: dict[str, str],
        quoters: dict[str, str],
    ) -> None:
        """Take back what an earlier run kept (the state directory), into an empty desk.

        No maker is registered after a restart, so no RFQ counts anyone as told: a maker that
        logs on again is told afresh of every RFQ still taking quotes, as after any logoff.
        Timers carry on from the records' times; the first call runs those already due.
        """
        if self._rfqs:
            raise RuntimeError("an RFQ desk can only be restored while it is empty")
        quotes: list[Quote] = []
        for rfq in sorted(rfqs, key=lambda r: r.seq):
            rfq.told.clear()
            self._rfqs[rfq.rfq_id] = rfq
            if rfq.state not in _FINAL_STATES:
                self._live[rfq.rfq_id] = rfq
            if rfq.client_rfq_id is not None:
                self._by_client_id[(rfq.creator, rfq.client_rfq_id)] = rfq
            quotes += rfq.quotes
            seq = max(seq, rfq.seq)
        for quote in sorted(quotes, key=lambda q: q.seq):
            self._quotes[quote.quote_id] = quote
            seq = max(seq, quote.seq)
        self._seq = seq
        self._requesters.restore(requesters)
        self._quoters.restore(quoters)


_FINAL_STATES = frozenset({RfqState.EXECUTED, RfqState.CANCELLED, RfqState.EXPIRED})
