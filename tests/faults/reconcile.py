"""What the scenarios prove: the desk's fills, positions and balance against the venue's record.

:func:`reconcile` compares what the workstation holds for one account on one venue with the
simulator's admin ``snapshot`` of that account:

* **fills** — the same ExecIDs on both sides; each recorded by the desk exactly once (its
  :class:`~workstation.trading.changes.FillAdded` count per ExecID, so a fill applied twice
  shows even though the store is keyed by ExecID); and for each, the same quantity, price and
  side;
* **positions** — net YES contracts per market, the desk's (built from its own fills) against
  the venue's ledger;
* **balance** — the account's starting cash plus the BALANCE collateral changes the desk's fills
  carry and the payouts of the settlements it received, against the venue's cash balance.

The result is a :class:`Reconciliation`; :attr:`Reconciliation.discrepancies` counts every
difference, and :meth:`Reconciliation.describe` says what they are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workstation.fix.messages.enums import Side
from workstation.trading.fills import Fill
from workstation.trading.positions import Position

__all__ = ["Reconciliation", "reconcile"]

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reconciliation:
    """The desk against the venue for one account; empty tuples mean they agree."""

    venue_fills: int
    desk_fills: int
    missing: tuple[str, ...]  #: ExecIDs the venue has and the desk does not
    extra: tuple[str, ...]  #: ExecIDs the desk has and the venue does not
    doubled: tuple[str, ...]  #: ExecIDs the desk recorded more than once
    mismatched: tuple[str, ...]  #: fills whose quantity, price or side differ
    positions: tuple[str, ...]  #: markets whose net position differs
    balance_venue: Decimal
    balance_desk: Decimal
    healed: int  #: desk fills first seen in a drop-copy replay

    @property
    def discrepancies(self) -> int:
        return (
            len(self.missing)
            + len(self.extra)
            + len(self.doubled)
            + len(self.mismatched)
            + len(self.positions)
            + (self.balance_venue != self.balance_desk)
        )

    @property
    def ok(self) -> bool:
        return self.discrepancies == 0

    def describe(self) -> str:
        parts = [f"venue {self.venue_fills} fills, desk {self.desk_fills} ({self.healed} healed)"]
        for label, items in (
            ("missing at the desk", self.missing),
            ("unknown to the venue", self.extra),
            ("recorded more than once", self.doubled),
            ("different", self.mismatched),
            ("positions differ", self.positions),
        ):
            if items:
                shown = ", ".join(items[:8]) + (" …" if len(items) > 8 else "")
                parts.append(f"{len(items)} {label}: {shown}")
        if self.balance_venue != self.balance_desk:
            parts.append(f"balance: venue {self.balance_venue}, desk {self.balance_desk}")
        return "; ".join(parts)


def _side(name: str) -> Side:
    return Side.BUY if name.upper() == "BUY" else Side.SELL


def reconcile(
    *,
    fills: Iterable[Fill],
    positions: Iterable[Position],
    recorded: Counter[str],
    snapshot: dict[str, Any],
    starting_balance: Decimal,
    payouts: Decimal = _ZERO,
) -> Reconciliation:
    """Compare the desk's fills and positions for one (venue, account) with the venue's
    ``snapshot`` answer. ``recorded`` counts the desk's FillAdded changes by ExecID text;
    ``payouts`` is what the desk's complete settlements paid."""
    desk = {str(f.exec_id): f for f in fills}
    venue: dict[str, dict[str, Any]] = snapshot["fills"]
    missing = tuple(sorted(set(venue) - set(desk)))
    extra = tuple(sorted(set(desk) - set(venue)))
    doubled = tuple(sorted(e for e, n in recorded.items() if n > 1))
    mismatched: list[str] = []
    for exec_id in sorted(set(venue) & set(desk)):
        theirs, ours = venue[exec_id], desk[exec_id]
        if (
            Decimal(theirs["last_qty"]) != ours.quantity
            or Decimal(theirs["last_px"]) != ours.price
            or _side(theirs["side"]) is not ours.side
            or theirs["ticker"] != ours.symbol
        ):
            mismatched.append(exec_id)
    venue_positions = {t: Decimal(q) for t, q in snapshot["positions"].items() if Decimal(q)}
    desk_positions: dict[str, Decimal] = {}
    for position in positions:
        if position.sub_account in (None, "0") and position.net:
            desk_positions[position.symbol] = desk_positions.get(position.symbol, _ZERO) + (
                position.net
            )
    differing = tuple(
        sorted(
            f"{t}: venue {venue_positions.get(t, _ZERO)}, desk {desk_positions.get(t, _ZERO)}"
            for t in set(venue_positions) | set(desk_positions)
            if venue_positions.get(t, _ZERO) != desk_positions.get(t, _ZERO)
        )
    )
    balance_desk = (
        starting_balance + sum((f.balance_change for f in desk.values()), _ZERO) + payouts
    )
    return Reconciliation(
        venue_fills=len(venue),
        desk_fills=len(desk),
        missing=missing,
        extra=extra,
        doubled=doubled,
        mismatched=tuple(mismatched),
        positions=differing,
        balance_venue=Decimal(snapshot["balance"]),
        balance_desk=balance_desk,
        healed=sum(1 for f in desk.values() if f.healed),
    )
