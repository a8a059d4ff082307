"""The order-groups table: one row per group we created, with its rolling 15-second gauge.

Rows come from ``trading.groups.OrderGroup`` (fed by ``GroupChanged`` batches). The gauge is
the contracts our orders in the group filled in the rolling 15-second window since the last
reset, against the group's limit (SPEC §11.1): the exchange triggers the group — cancels
its orders and refuses new ones — when that total *exceeds* the limit. The window moves
with the clock, not only with fills, so the panel calls :meth:`GroupsModel.tick` once a
second; it recomputes every live group's gauge and repaints only the gauge cells that moved.

Gauge levels (:class:`GaugeLevel`), which the panel draws as a progress bar:

- **normal** up to 80 % of the limit;
- **warning** (amber) above 80 %;
- **triggered** (red) when the group is triggered, or the rolling total exceeds the limit
  (the exchange is triggering it);
- **none** for a deleted group, or one whose limit we were never told.

``data()`` never returns a ``Decimal``: text for display, a float for the bar's fill.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from workstation.trading.changes import Change, GroupChanged
from workstation.trading.groups import WINDOW_SECONDS, GroupGauge, GroupState, OrderGroup
from workstation.ui.format import et_time_text, quantity_text
from workstation.ui.models.orders_model import sub_account_text
from workstation.ui.models.table_base import Column, Facets, RecordTableModel
from workstation.ui.theme import STATUS_COLORS, StatusColors, Theme

__all__ = [
    "GAUGE_COLOR_ROLE",
    "GAUGE_COLOURS",
    "GAUGE_FRACTION_ROLE",
    "GAUGE_LEVEL_ROLE",
    "GROUP_ID_ROLE",
    "WARNING_FRACTION",
    "GaugeLevel",
    "GaugeSource",
    "GroupsModel",
    "gauge_level",
    "gauge_text",
    "short_group_id",
]

_ROLE = Qt.ItemDataRole
AnyIndex = QModelIndex | QPersistentModelIndex

GAUGE_FRACTION_ROLE = int(_ROLE.UserRole) + 1  #: float 0–1 of the bar filled; None: no bar
GAUGE_LEVEL_ROLE = int(_ROLE.UserRole) + 2  #: str: the :class:`GaugeLevel` value
GAUGE_COLOR_ROLE = int(_ROLE.UserRole) + 3  #: QColor of the bar
GROUP_ID_ROLE = int(_ROLE.UserRole) + 4  #: str: the full OrderGroupID

WARNING_FRACTION = Decimal("0.8")  #: above this share of the limit the gauge turns amber
_ZERO = Decimal(0)


class GaugeLevel(StrEnum):
    """How close a group is to its limit (see the module docstring)."""

    NONE = "none"
    NORMAL = "normal"
    WARNING = "warning"
    TRIGGERED = "triggered"


#: Bar fills, by theme. Brighter than the theme's text colours (STATUS_COLORS), which are
#: tuned for text on the table background; a bar is a shape, and its figures sit beside it.
GAUGE_COLOURS: dict[Theme, dict[GaugeLevel, str]] = {
    Theme.LIGHT: {
        GaugeLevel.NORMAL: "#2da44e",
        GaugeLevel.WARNING: "#e3a008",
        GaugeLevel.TRIGGERED: "#d1242f",
        GaugeLevel.NONE: "#c4c9d1",
    },
    Theme.DARK: {
        GaugeLevel.NORMAL: "#3fb950",
        GaugeLevel.WARNING: "#d29922",
        GaugeLevel.TRIGGERED: "#f85149",
        GaugeLevel.NONE: "#484f58",
    },
}


class GaugeSource(Protocol):
    """Where gauges come from: ``trading.groups.OrderGroups``."""

    def gauge(self, group_id: str, now: float) -> GroupGauge: ...


def short_group_id(group_id: str) -> str:
    """A UUID shortened to its first 8 and last 4 characters: ``770e8400…0002``."""
    return group_id if len(group_id) <= 14 else f"{group_id[:8]}…{group_id[-4:]}"


def gauge_level(group: OrderGroup, gauge: GroupGauge | None) -> GaugeLevel:
    if group.state is GroupState.DELETED:
        return GaugeLevel.NONE
    if group.state is GroupState.TRIGGERED:
        return GaugeLevel.TRIGGERED
    fraction = None if gauge is None else gauge.fraction
    if fraction is None:
        return GaugeLevel.NONE
    if fraction > 1:
        return GaugeLevel.TRIGGERED
    return GaugeLevel.WARNING if fraction > WARNING_FRACTION else GaugeLevel.NORMAL


def gauge_text(group: OrderGroup, gauge: GroupGauge | None) -> str:
    """``37 / 50`` (filled in the window / limit); ``12 / ?`` without a limit; ``—`` deleted."""
    if group.state is GroupState.DELETED or gauge is None:
        return "—"
    limit = "?" if group.contracts_limit is None else f"{group.contracts_limit:,}"
    return f"{quantity_text(gauge.filled)} / {limit}"


def _state_text(group: OrderGroup) -> str:
    return group.state.value


def _limit_text(group: OrderGroup) -> str:
    return "?" if group.contracts_limit is None else f"{group.contracts_limit:,}"


def _colours(dark: bool) -> StatusColors:
    return STATUS_COLORS[Theme.DARK if dark else Theme.LIGHT]


class GroupsModel(RecordTableModel[str, OrderGroup]):
    """Our order groups, oldest first; :meth:`apply` changes, :meth:`tick` the gauges."""

    def __init__(self, parent: Any = None) -> None:
        self._gauges: dict[str, GroupGauge] = {}
        columns = self._build_columns()
        created = next(i for i, c in enumerate(columns) if c.name == "created")
        super().__init__(columns, sort_column=created, parent=parent)

    # -- gauges -----------------------------------------------------------------------------

    def gauge_of(self, group_id: str) -> GroupGauge | None:
        """The gauge as of the last :meth:`tick` (None before one, and for deleted groups)."""
        return self._gauges.get(group_id)

    def level_of(self, group: OrderGroup) -> GaugeLevel:
        return gauge_level(group, self._gauges.get(group.group_id))

    def gauge_colour(self, level: GaugeLevel) -> QColor:
        """The bar's colour: green, amber, red, or grey (see :data:`GAUGE_COLOURS`)."""
        return QColor(GAUGE_COLOURS[Theme.DARK if self.dark else Theme.LIGHT][level])

    def fraction_of(self, group: OrderGroup) -> float | None:
        """How much of the bar to fill, 0–1 (a float for painting only, never money); None
        when there is no bar to draw (a deleted group, or no limit known)."""
        gauge = self._gauges.get(group.group_id)
        if group.state is GroupState.DELETED or gauge is None or gauge.fraction is None:
            return None
        return float(min(gauge.fraction, Decimal(1)))

    def tick(self, source: GaugeSource, now: float) -> list[str]:
        """Recompute every live group's gauge at ``now``; repaint the ones that moved.

        Returns the ids whose gauge changed (one ``dataChanged`` covers their rows).
        """
        moved: list[str] = []
        for group in self.records():
            gid = group.group_id
            if group.state is GroupState.DELETED:
                if self._gauges.pop(gid, None) is not None:
                    moved.append(gid)
                continue
            gauge = source.gauge(gid, now)
            if self._gauges.get(gid) != gauge:
                self._gauges[gid] = gauge
                moved.append(gid)
        if moved:
            # Re-read, not only repaint: a table sorted by the gauge moves the rows.
            self.upsert([g for gid in moved if (g := self.record(gid)) is not None])
        return moved

    # -- Qt ---------------------------------------------------------------------------------

    def data(self, index: AnyIndex, role: int = _ROLE.DisplayRole) -> Any:
        if role not in (GAUGE_FRACTION_ROLE, GAUGE_LEVEL_ROLE, GAUGE_COLOR_ROLE, GROUP_ID_ROLE):
            return super().data(index, role)
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        group = self.record_at(index.row())
        if role == GROUP_ID_ROLE:
            return group.group_id
        level = self.level_of(group)
        if role == GAUGE_LEVEL_ROLE:
            return level.value
        if role == GAUGE_COLOR_ROLE:
            return self.gauge_colour(level)
        return self.fraction_of(group)

    # -- hooks ------------------------------------------------------------------------------

    def key_of(self, record: OrderGroup) -> str:
        return record.group_id

    def facets_of(self, record: OrderGroup) -> Facets:
        return Facets(status=_state_text(record), sub_account=sub_account_text(record.sub_account))

    def search_text_of(self, record: OrderGroup) -> str:
        return " ".join(
            (
                record.group_id,
                sub_account_text(record.sub_account),
                _state_text(record),
                record.note,
            )
        )

    def cell_style(self, record: OrderGroup, column: Column[OrderGroup], role: int) -> Any:
        colours = _colours(self.dark)
        deleted = record.state is GroupState.DELETED
        if role == _ROLE.ForegroundRole:
            if deleted:
                return QBrush(QColor(colours.muted))
            if column.name == "state":
                triggered = record.state is GroupState.TRIGGERED
                return QBrush(QColor(colours.bad if triggered else colours.ok))
            if column.name == "note":
                return QBrush(QColor(colours.muted))
            return None
        if (
            role == _ROLE.FontRole
            and column.name == "state"
            and record.state is GroupState.TRIGGERED
        ):
            font = QFont()
            font.setBold(True)
            return font
        return None

    # -- feeding ----------------------------------------------------------------------------

    def apply(self, changes: Iterable[Change]) -> list[str]:
        """Apply one batch of domain changes; returns the ids of the groups it touched."""
        groups = [c.group for c in changes if isinstance(c, GroupChanged)]
        self.upsert(groups)
        return list(dict.fromkeys(g.group_id for g in groups))

    def load(self, groups: Iterable[OrderGroup]) -> None:
        self.upsert(groups)

    # -- columns ----------------------------------------------------------------------------

    def _gauge_tooltip(self, group: OrderGroup) -> str:
        if group.state is GroupState.DELETED:
            return "Deleted: its orders were cancelled and it counts nothing"
        gauge = self._gauges.get(group.group_id)
        if gauge is None:
            return "Not measured yet"
        window = f"{WINDOW_SECONDS:g} s"
        since = f" (since the reset at {et_time_text(group.reset_at)} ET)" if group.reset_at else ""
        if group.contracts_limit is None:
            return (
                f"{quantity_text(gauge.filled)} contracts filled in the last {window}{since}; "
                "the exchange never told us this group's limit"
            )
        left = Decimal(group.contracts_limit) - gauge.filled
        state = (
            f"{quantity_text(left)} more may fill before the exchange triggers it"
            if left >= 0
            else "over the limit: the exchange triggers it"
        )
        return (
            f"{quantity_text(gauge.filled)} of {group.contracts_limit:,} contracts filled in the "
            f"last {window}{since}; {state}. Amber above {WARNING_FRACTION:.0%}, red when "
            "triggered."
        )

    def _build_columns(self) -> list[Column[OrderGroup]]:
        return [
            Column(
                "group",
                "Group",
                lambda g: short_group_id(g.group_id),
                tooltip="OrderGroupID (20130), shortened; the tooltip has it whole",
                cell_tooltip=lambda g: g.group_id,
                export=lambda g: g.group_id,
            ),
            Column(
                "sub_account",
                "Sub-account",
                lambda g: sub_account_text(g.sub_account),
                tooltip="The sub-account that owns the group (AllocAccount 79)",
            ),
            Column(
                "limit",
                "Limit",
                _limit_text,
                sort_key=lambda g: (0,) if g.contracts_limit is None else (1, g.contracts_limit),
                numeric=True,
                tooltip="OrderGroupContractsLimit (20132): contracts its orders may fill in any "
                f"{WINDOW_SECONDS:g} seconds",
            ),
            Column(
                "state",
                "State",
                _state_text,
                tooltip="Active: orders accepted, fills counted. Triggered: its orders were "
                "cancelled and new ones are refused until it is reset. Deleted.",
                cell_tooltip=lambda g: g.note,
            ),
            Column(
                "gauge",
                f"Filled in {WINDOW_SECONDS:g} s",
                lambda g: gauge_text(g, self._gauges.get(g.group_id)),
                sort_key=lambda g: -1.0 if (f := self.fraction_of(g)) is None else f,
                tooltip="Contracts filled in the rolling window since the last reset, against "
                "the limit",
                cell_tooltip=self._gauge_tooltip,
            ),
            Column(
                "created",
                "Created",
                lambda g: et_time_text(g.created_at),
                sort_key=lambda g: g.created_at,
                tooltip="When the exchange confirmed the group (ET)",
            ),
            Column("note", "Note", lambda g: g.note, tooltip="Why it was triggered, or refused"),
        ]
