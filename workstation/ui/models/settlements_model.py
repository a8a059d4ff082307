"""The settlements table: one row per settled market, reconciled against our own fills.

Rows come from ``trading.settlements.Settlement`` (pages reassembled by Symbol, SPEC §12.2;
reconciled once complete, SPEC §12.3 and trading-ui-anchors §4.2), fed by
``SettlementChanged`` batches. The figures, per market summed over its parties:

- **YES / NO held**: LongQty (704) / ShortQty (705) as the exchange reports them; **Ours**:
  the position our ExecID-keyed fills built.
- **Payout**: the collateral change (1704) the settlement credited, whatever its 1705 label
  (the 1.0.13 example labels a payout "Balance"); **Fees**: MiscFeeAmt (137), exact, so a
  sub-cent rounding fee reads ``$0.006``.
- **Reported** = payout + fees, the settlement value before rounding (SPEC §12.3);
  **Expected** = what our position is worth at the result. A difference in either the held
  contracts or the money flags the row (colour) and the Check column says which figures
  disagree; its tooltip gives every difference with both figures.
- **Pages**: ``3 of 3 pages``; a settlement still missing pages reads ``2 of 3 pages ·
  incomplete`` and is not reconciled yet (nor counted in the totals).
- **Source**: ``recovered (REST)`` for a settlement read from the venue's REST settlement
  history because KalshiPT could not resend its report (``client.settlement_recovery``),
  as the blotter marks a fill healed by drop copy; empty for a report that came over FIX.

:class:`SettlementTotalsModel` is the one-row footer: count, payout, fees, reported,
expected and mismatches over the complete settlements the filter shows.

``data()`` never returns a ``Decimal``: every cell is text (DESIGN.md, Qt model traps).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from workstation.fix.messages.enums import MarketResult
from workstation.trading.changes import Change, SettlementChanged
from workstation.trading.settlements import Settlement
from workstation.ui.format import MINUS, et_date_time_text, money_text, price_text, quantity_text
from workstation.ui.models.table_base import Column, Facets, RecordTableModel, RowFilter
from workstation.ui.theme import STATUS_COLORS, StatusColors, Theme

__all__ = [
    "SettlementKey",
    "SettlementTotalsModel",
    "SettlementsModel",
    "ShownTotals",
    "check_text",
    "cleared_text",
    "exact_money_text",
    "expected_value",
    "held_text",
    "our_held",
    "pages_text",
    "reported_value",
    "result_text",
    "source_text",
]

SettlementKey = tuple[str, str]  #: (venue, symbol), as trading.Settlements keys them
AnyIndex = QModelIndex | QPersistentModelIndex

_ZERO = Decimal(0)
_CENT = Decimal("0.01")
_ROLE = Qt.ItemDataRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_MISMATCH_TINT_ALPHA = 46  #: of 255: the row tint of a mismatched settlement
_MONEY_COLUMNS = ("payout", "fees", "reported", "expected")

_DIFFERENCE_KINDS = {"held": "contracts", "payout": "payout"}
_RESULT_TEXT = {MarketResult.YES: "YES", MarketResult.NO: "NO", MarketResult.SCALAR: "Scalar"}


# -- figures and their words (pure, tested directly) -------------------------------------------


def exact_money_text(amount: Decimal | None) -> str:
    """Dollars with cents, never rounded: ``$1,234.50``, ``$0.006``, ``−$0.0125``; ``""``
    for None. A settlement fee may be a fraction of a cent (SPEC §12.3), and rounding it
    to ``$0.01`` would hide exactly what reconciliation checks."""
    if amount is None:
        return ""
    if amount == amount.quantize(_CENT):
        return money_text(amount)
    text = f"${abs(amount).normalize():,f}"
    return f"{MINUS}{text}" if amount < 0 else text


def result_text(settlement: Settlement) -> str:
    return _RESULT_TEXT[settlement.result]


def cleared_text(settlement: Settlement) -> str:
    """ClearingBusinessDate (715) ``20260312`` as ``2026-03-12``."""
    d = settlement.clearing_business_date
    return f"{d[:4]}-{d[4:6]}-{d[6:]}" if len(d) == 8 else d


def source_text(settlement: Settlement) -> str:
    """``recovered (REST)`` for a settlement read from REST, ``""`` for one pushed over FIX."""
    return "recovered (REST)" if settlement.recovered else ""


def pages_text(settlement: Settlement) -> str:
    """``3 of 3 pages``; ``2 of 3 pages · incomplete``; ``1 of ? pages · incomplete``."""
    have = len(settlement.report_ids)
    total: int | None = settlement.total_pages
    if total is None and settlement.last_page_seen:
        total = have
    total_text = "?" if total is None else str(total)
    noun = "page" if total == 1 else "pages"
    text = f"{have} of {total_text} {noun}"
    return text if settlement.complete else f"{text} · incomplete"


def exchange_held(settlement: Settlement) -> tuple[Decimal, Decimal]:
    """(YES, NO) contracts the exchange says settled, over every party."""
    long = sum((p.long_qty or _ZERO for p in settlement.parties), _ZERO)
    short = sum((p.short_qty or _ZERO for p in settlement.parties), _ZERO)
    return long, short


def our_held(settlement: Settlement) -> tuple[Decimal, Decimal] | None:
    """(YES, NO) contracts our fills built, over the positions reconciled; None until then."""
    if not settlement.complete:
        return None
    long = sum((max(r.our_net, _ZERO) for r in settlement.reconciliation), _ZERO)
    short = sum((max(-r.our_net, _ZERO) for r in settlement.reconciliation), _ZERO)
    return long, short


def held_text(held: tuple[Decimal, Decimal] | None) -> str:
    """``100 YES``, ``20 NO``, ``50 YES · 20 NO`` (across sub-accounts), ``flat``."""
    if held is None:
        return ""
    long, short = held
    parts = [f"{quantity_text(long)} YES"] if long else []
    if short:
        parts.append(f"{quantity_text(short)} NO")
    return " · ".join(parts) or "flat"


def reported_value(settlement: Settlement) -> Decimal:
    """Payout + fees as reported: the settlement value before rounding (SPEC §12.3)."""
    return settlement.total_payout + settlement.total_fees


def expected_value(settlement: Settlement) -> Decimal | None:
    """What our positions are worth at the result; None until the settlement is complete."""
    if not settlement.complete:
        return None
    return sum((r.expected_value for r in settlement.reconciliation), _ZERO)


def differences(settlement: Settlement) -> list[str]:
    """Every difference, each prefixed with the party it concerns."""
    found = []
    for r in settlement.reconciliation:
        who = f"party {r.party_id}" if r.party_id else "no party"
        found += [f"{who}: {text}" for text in r.differences]
    return found


def check_text(settlement: Settlement) -> str:
    """``✓ Reconciled``; ``✗ Mismatch: contracts, payout`` (what differs: the contracts
    held, the money, or a position of ours the settlement lists no party for); or
    ``Waiting for pages``."""
    if not settlement.complete:
        return "Waiting for pages"
    if not settlement.mismatched:
        return "✓ Reconciled"
    kinds: list[str] = []
    for r in settlement.reconciliation:
        for text in r.differences:
            kind = _DIFFERENCE_KINDS.get(text.split(":", 1)[0], "unsettled position")
            if r.party_id == "":
                kind = "unsettled position"
            if kind not in kinds:
                kinds.append(kind)
    return f"✗ Mismatch: {', '.join(kinds)}"


def _check_tooltip(settlement: Settlement) -> str:
    if not settlement.complete:
        return "Reconciled once every page has arrived"
    found = differences(settlement)
    if not found:
        return "Every party's contracts and payout match the position from our fills"
    return "\n".join(found)


def _payout_tooltip(settlement: Settlement) -> str:
    lines = []
    for party in settlement.parties:
        changes = ", ".join(
            f"{c.kind.value} {exact_money_text(c.amount)}" for c in party.collateral_changes
        )
        lines.append(f"{party.party_id}: {changes or 'no collateral change'}")
    return "\n".join(lines)


def _pages_tooltip(settlement: Settlement) -> str:
    ids = ", ".join(settlement.report_ids)
    return f"MarketSettlementReportIDs (20105), in arrival order: {ids}"


def _market_tooltip(settlement: Settlement) -> str:
    return (
        f"{settlement.symbol} on {settlement.venue}, account {settlement.account}\n"
        f"first page received {et_date_time_text(settlement.received_at)}"
    )


def _opt(value: Any) -> tuple[Any, ...]:
    return (0,) if value is None else (1, value)


def _number(value: Decimal | None) -> str:
    """CSV: a plain number, no exponent, no trailing zeros (``0.306``, ``40``)."""
    return "" if value is None else f"{value.normalize():f}"


def _money(value: Decimal | None) -> str:
    """CSV: dollars with at least two places, exact (``30.00``, ``10.098``)."""
    if value is None:
        return ""
    if value == value.quantize(_CENT):
        return f"{value.quantize(_CENT):f}"
    return f"{value.normalize():f}"


def _held_export(held: tuple[Decimal, Decimal] | None) -> str:
    return "" if held is None else _number(held[0] - held[1])


def _colours(dark: bool) -> StatusColors:
    return STATUS_COLORS[Theme.DARK if dark else Theme.LIGHT]


# -- the table ----------------------------------------------------------------------------------


class SettlementsModel(RecordTableModel[SettlementKey, Settlement]):
    """Settlements, newest clearing date first; fed with :meth:`apply` (one batch per call)."""

    def __init__(self, parent: Any = None) -> None:
        columns = _columns()
        cleared = next(i for i, c in enumerate(columns) if c.name == "cleared")
        super().__init__(columns, sort_column=cleared, descending=True, parent=parent)

    # -- hooks ------------------------------------------------------------------------------

    def key_of(self, record: Settlement) -> SettlementKey:
        return (record.venue, record.symbol)

    def facets_of(self, record: Settlement) -> Facets:
        return Facets(market=record.symbol, status=_status_word(record))

    def search_text_of(self, record: Settlement) -> str:
        parties = " ".join(p.party_id for p in record.parties)
        return " ".join(
            (
                record.symbol,
                result_text(record),
                cleared_text(record),
                record.account,
                record.venue,
                parties,
                " ".join(record.report_ids),
                _status_word(record),
                check_text(record),
                source_text(record),
            )
        )

    def cell_style(self, record: Settlement, column: Column[Settlement], role: int) -> Any:
        colours = _colours(self.dark)
        mismatched = record.mismatched
        if role == _ROLE.BackgroundRole:
            if mismatched:
                tint = QColor(colours.bad)
                tint.setAlpha(_MISMATCH_TINT_ALPHA)
                return QBrush(tint)
            return None
        if role == _ROLE.FontRole:
            if column.name == "check" and mismatched:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role != _ROLE.ForegroundRole:
            return None
        if column.name == "check":
            if not record.complete:
                return QBrush(QColor(colours.busy))
            return QBrush(QColor(colours.bad if mismatched else colours.ok))
        if column.name == "pages" and not record.complete:
            return QBrush(QColor(colours.busy))
        if column.name in ("reported", "expected", "ours") and mismatched:
            return QBrush(QColor(colours.bad))
        if column.name == "cleared":
            return QBrush(QColor(colours.muted))
        if column.name in _MONEY_COLUMNS and not record.complete:
            return QBrush(QColor(colours.muted))  # the pages so far: not the settlement yet
        return None

    # -- feeding ----------------------------------------------------------------------------

    def apply(self, changes: Iterable[Change]) -> list[SettlementKey]:
        """Apply one batch of domain changes; returns the keys of the settlements it changed."""
        settlements = [c.settlement for c in changes if isinstance(c, SettlementChanged)]
        self.upsert(settlements)
        return list(dict.fromkeys(self.key_of(s) for s in settlements))

    def load(self, settlements: Iterable[Settlement]) -> None:
        self.upsert(settlements)

    def set_text_filter(self, text: str) -> None:
        """Show the settlements whose market, result, date, parties, report IDs or check
        text contain ``text`` (case-insensitive); ``mismatch`` and ``incomplete`` work too."""
        self.set_filter(RowFilter(text=text))

    # -- reading ----------------------------------------------------------------------------

    def totals(self) -> ShownTotals:
        """Totals over the rows shown (the filter applies; incomplete ones are only counted)."""
        return ShownTotals.of(self.visible_records())


def _status_word(settlement: Settlement) -> str:
    if not settlement.complete:
        return "incomplete"
    return "mismatch" if settlement.mismatched else "reconciled"


def _columns() -> list[Column[Settlement]]:
    return [
        Column(
            "market",
            "Market",
            lambda s: s.symbol,
            tooltip="Market ticker (Symbol 55); the pages of one settlement share it",
            cell_tooltip=_market_tooltip,
        ),
        Column(
            "cleared",
            "Cleared",
            cleared_text,
            sort_key=lambda s: (s.clearing_business_date, s.received_at),
            tooltip="ClearingBusinessDate (715)",
        ),
        Column("result", "Result", result_text, tooltip="MarketResult (20107)"),
        Column(
            "price",
            "Settle",
            lambda s: price_text(s.settlement_price) or "—",
            sort_key=lambda s: _opt(s.settlement_price),
            numeric=True,
            tooltip="SettlementPrice (730): what one YES contract settled at (— when the "
            "report had none, as 1.0.13 reports may not)",
            export=lambda s: _number(s.settlement_price),
        ),
        Column(
            "yes_held",
            "YES held",
            lambda s: quantity_text(exchange_held(s)[0]),
            sort_key=lambda s: exchange_held(s)[0],
            numeric=True,
            tooltip="LongQty (704): YES contracts settled, as the exchange reports them",
            export=lambda s: _number(exchange_held(s)[0]),
        ),
        Column(
            "no_held",
            "NO held",
            lambda s: quantity_text(exchange_held(s)[1]),
            sort_key=lambda s: exchange_held(s)[1],
            numeric=True,
            tooltip="ShortQty (705): NO contracts settled, as the exchange reports them",
            export=lambda s: _number(exchange_held(s)[1]),
        ),
        Column(
            "ours",
            "Our fills",
            lambda s: held_text(our_held(s)),
            tooltip="The position our own fills built (ExecID-keyed), before settlement",
            export=lambda s: _held_export(our_held(s)),
        ),
        Column(
            "payout",
            "Payout",
            lambda s: exact_money_text(s.total_payout),
            sort_key=lambda s: s.total_payout,
            numeric=True,
            tooltip="CollateralAmountChange (1704): the balance change the settlement paid",
            cell_tooltip=_payout_tooltip,
            export=lambda s: _money(s.total_payout),
        ),
        Column(
            "fees",
            "Fees",
            lambda s: exact_money_text(s.total_fees),
            sort_key=lambda s: s.total_fees,
            numeric=True,
            tooltip="MiscFeeAmt (137): rounding fees (negative: rebates), exact",
            export=lambda s: _money(s.total_fees),
        ),
        Column(
            "reported",
            "Reported",
            lambda s: exact_money_text(reported_value(s)),
            sort_key=reported_value,
            numeric=True,
            tooltip="Payout + fees: the settlement value before rounding (SPEC §12.3)",
            export=lambda s: _money(reported_value(s)),
        ),
        Column(
            "expected",
            "Expected",
            lambda s: exact_money_text(expected_value(s)),
            sort_key=lambda s: _opt(expected_value(s)),
            numeric=True,
            tooltip="What the position from our fills is worth at the result",
            export=lambda s: _money(expected_value(s)),
        ),
        Column(
            "pages",
            "Pages",
            pages_text,
            sort_key=lambda s: (s.complete, len(s.report_ids)),
            tooltip="Pages received of the TotNumMarketSettlementReports (20106) announced",
            cell_tooltip=_pages_tooltip,
        ),
        Column(
            "source",
            "Source",
            source_text,
            tooltip="recovered (REST): KalshiPT could not resend this settlement's report "
            "(it resets on every logon on the 1.0.13 dialect), so it was read from the "
            "venue's REST settlement history for the time the session was down",
        ),
        Column(
            "check",
            "Check",
            check_text,
            sort_key=lambda s: (s.complete, not s.mismatched),
            tooltip="Reconciliation against the position from our own fills",
            cell_tooltip=_check_tooltip,
            export=lambda s: "; ".join(differences(s)) or _status_word(s),
        ),
    ]


# -- the totals row -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ShownTotals:
    """Sums over complete settlements; ``incomplete`` counts those still missing pages."""

    count: int = 0
    incomplete: int = 0
    payout: Decimal = _ZERO
    fees: Decimal = _ZERO
    reported: Decimal = _ZERO
    expected: Decimal = _ZERO
    mismatched: int = 0

    @classmethod
    def of(cls, settlements: Iterable[Settlement]) -> ShownTotals:
        done: list[Settlement] = []
        incomplete = 0
        for s in settlements:
            if s.complete:
                done.append(s)
            else:
                incomplete += 1
        return cls(
            count=len(done),
            incomplete=incomplete,
            payout=sum((s.total_payout for s in done), _ZERO),
            fees=sum((s.total_fees for s in done), _ZERO),
            reported=sum((reported_value(s) for s in done), _ZERO),
            expected=sum((expected_value(s) or _ZERO for s in done), _ZERO),
            mismatched=sum(1 for s in done if s.mismatched),
        )

    def cell(self, column: str) -> str:
        """The footer's text under the column named ``column``."""
        if column == "market":
            noun = "settlement" if self.count == 1 else "settlements"
            return f"Total · {self.count:,} {noun}"
        if column in _MONEY_COLUMNS:
            return exact_money_text(getattr(self, column))
        if column == "pages":
            return f"{self.incomplete:,} incomplete" if self.incomplete else ""
        if column == "check":
            if not self.count:
                return ""
            if not self.mismatched:
                return "✓ all reconciled"
            noun = "mismatch" if self.mismatched == 1 else "mismatches"
            return f"✗ {self.mismatched:,} {noun}"
        return ""


class SettlementTotalsModel(QAbstractTableModel):
    """One row under the settlements table, column for column (see :class:`ShownTotals`)."""

    def __init__(self, source: SettlementsModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._names = [c.name for c in source.columns]
        self._numeric = [c.numeric for c in source.columns]
        self._totals = ShownTotals()
        self._dark = source.dark

    @property
    def totals(self) -> ShownTotals:
        return self._totals

    def set_totals(self, totals: ShownTotals) -> None:
        if totals == self._totals:
            return
        self._totals = totals
        self.dataChanged.emit(self.index(0, 0), self.index(0, len(self._names) - 1))

    def set_dark(self, dark: bool) -> None:
        if dark != self._dark:
            self._dark = dark
            self.dataChanged.emit(self.index(0, 0), self.index(0, len(self._names) - 1))

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 1

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        if not index.isValid() or index.row() != 0 or not 0 <= index.column() < len(self._names):
            return None
        name = self._names[index.column()]
        if role == _ROLE.DisplayRole:
            return self._totals.cell(name)
        if role == _ROLE.TextAlignmentRole:
            return _RIGHT if self._numeric[index.column()] else _LEFT
        if role == _ROLE.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == _ROLE.ForegroundRole:
            colours = _colours(self._dark)
            if name == "check" and self._totals.count:
                return QBrush(QColor(colours.bad if self._totals.mismatched else colours.ok))
            if name == "pages" and self._totals.incomplete:
                return QBrush(QColor(colours.busy))
        if role == _ROLE.ToolTipRole and name == "market":
            return "Totals of the complete settlements shown (the filter applies)"
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _ROLE.DisplayRole
    ) -> Any:
        if role != _ROLE.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._names):
            return self._names[section]
        if orientation == Qt.Orientation.Vertical and section == 0:
            return "Total"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled
