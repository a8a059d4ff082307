"""The main window's docks: which exist, where they go by default, the View menu that shows
and hides them, and saving/restoring the layout (window geometry, dock state, every named
table's header: column widths, order and sort) in a :class:`QSettings` INI file.

Docks and tables are found by object name, so the names below are part of the saved-file
format: renaming one loses that part of a user's layout (nothing worse). A table's header is
restored only onto the columns it was saved with, or onto a model that appended columns
since (it lists the counts it had in ``earlier_column_counts``): the new columns keep the
place and visibility the view gave them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QTableView,
    QTabWidget,
    QWidget,
)

__all__ = [
    "DOCK_SPECS",
    "LAYOUT_VERSION",
    "AppendsColumns",
    "DockSpec",
    "add_view_toggles",
    "arrange_default",
    "create_dock",
    "make_placeholder",
    "restore_table_state",
    "restore_window_layout",
    "save_table_state",
    "save_window_layout",
]

#: Bump when the dock set changes shape, so an old saved state is ignored, not misapplied.
LAYOUT_VERSION = 3

_GEOMETRY_KEY = "mainWindow/geometry"
_STATE_KEY = "mainWindow/state"


@dataclass(frozen=True, slots=True, kw_only=True)
class DockSpec:
    name: str  #: object name (the key in saved layouts)
    title: str
    tooltip: str
    shortcut: str  #: toggles the dock from the View menu


DOCK_SPECS: tuple[DockSpec, ...] = (
    DockSpec(
        name="orderTicket",
        title="Order ticket",
        tooltip="Enter, amend and cancel orders",
        shortcut="Ctrl+1",
    ),
    DockSpec(
        name="blotter",
        title="Blotter",
        tooltip="Working and finished orders with their fills",
        shortcut="Ctrl+2",
    ),
    DockSpec(
        name="rfqPanel",
        title="RFQ",
        tooltip="Requests for quote: ours, and those we quote on",
        shortcut="Ctrl+3",
    ),
    DockSpec(
        name="settlementView",
        title="Settlements",
        tooltip="Market settlement reports and their reconciliation",
        shortcut="Ctrl+4",
    ),
    DockSpec(
        name="messageLog",
        title="FIX message log",
        tooltip="Every FIX message in and out, decoded",
        shortcut="Ctrl+5",
    ),
    DockSpec(
        name="sessionStatus",
        title="Sessions",
        tooltip="Connection, sequence numbers and heartbeats of every session",
        shortcut="Ctrl+6",
    ),
    DockSpec(
        name="marketsView",
        title="Markets",
        tooltip="Events and their markets: YES bid/ask/last, our position and its P&L",
        shortcut="Ctrl+7",
    ),
    DockSpec(
        name="orderGroups",
        title="Order groups",
        tooltip="Order groups: filled contracts in the rolling 15 s window against each limit",
        shortcut="Ctrl+8",
    ),
)


def make_placeholder(parent: QWidget | None = None) -> QLabel:
    """The quiet stand-in a dock shows until its panel is set."""
    label = QLabel("Not connected yet", parent)
    label.setObjectName("placeholder")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setToolTip("This panel appears once the workstation is connected to its venue")
    return label


def create_dock(window: QMainWindow, spec: DockSpec) -> QDockWidget:
    dock = QDockWidget(spec.title, window)
    dock.setObjectName(spec.name)
    dock.setToolTip(spec.tooltip)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
    )
    dock.setWidget(make_placeholder(dock))
    return dock


def arrange_default(window: QMainWindow, docks: Mapping[str, QDockWidget]) -> None:
    """Ticket left, blotter centre, RFQ and settlements tabbed right, markets (in front) and
    message log tabbed with sessions across the bottom; sizes chosen for a 1600×1000 screen."""
    area = Qt.DockWidgetArea
    ticket, blotter = docks["orderTicket"], docks["blotter"]
    rfq, settlement = docks["rfqPanel"], docks["settlementView"]
    log, sessions = docks["messageLog"], docks["sessionStatus"]
    markets = docks["marketsView"]
    groups = docks["orderGroups"]
    for dock in docks.values():
        dock.setFloating(False)
        dock.show()
    window.addDockWidget(area.LeftDockWidgetArea, ticket)
    window.splitDockWidget(ticket, blotter, Qt.Orientation.Horizontal)
    window.addDockWidget(area.RightDockWidgetArea, rfq)
    window.tabifyDockWidget(rfq, settlement)
    window.tabifyDockWidget(settlement, groups)
    window.addDockWidget(area.BottomDockWidgetArea, log)
    window.splitDockWidget(log, sessions, Qt.Orientation.Horizontal)
    window.tabifyDockWidget(log, markets)
    window.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
    rfq.raise_()
    markets.raise_()
    width = max(window.width(), 800)
    height = max(window.height(), 600)
    window.resizeDocks(
        [ticket, blotter, rfq],
        [width * 22 // 100, width * 50 // 100, width * 28 // 100],
        Qt.Orientation.Horizontal,
    )
    window.resizeDocks([log, sessions], [width // 2, width // 2], Qt.Orientation.Horizontal)
    window.resizeDocks(
        [ticket, log], [height * 55 // 100, height * 45 // 100], Qt.Orientation.Vertical
    )


def add_view_toggles(menu: QMenu, docks: Iterable[QDockWidget]) -> None:
    """One checkable entry per dock, showing and hiding it."""
    shortcuts = {spec.name: spec.shortcut for spec in DOCK_SPECS}
    for dock in docks:
        action = dock.toggleViewAction()
        action.setObjectName(f"toggle_{dock.objectName()}")
        action.setToolTip(f"Show or hide the {dock.windowTitle()} panel")
        if dock.objectName() in shortcuts:
            action.setShortcut(shortcuts[dock.objectName()])
        menu.addAction(action)


# -- persistence ------------------------------------------------------------------------


def save_window_layout(settings: QSettings, window: QMainWindow) -> None:
    settings.setValue(_GEOMETRY_KEY, window.saveGeometry())
    settings.setValue(_STATE_KEY, window.saveState(LAYOUT_VERSION))


def restore_window_layout(settings: QSettings, window: QMainWindow) -> bool:
    """Restore geometry and dock state if saved; True if either was restored."""
    geometry = settings.value(_GEOMETRY_KEY)
    state = settings.value(_STATE_KEY)
    restored_geometry = restored_state = False
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        restored_geometry = window.restoreGeometry(geometry)
    if isinstance(state, QByteArray) and not state.isEmpty():
        restored_state = window.restoreState(state, LAYOUT_VERSION)
    return restored_geometry or restored_state


@runtime_checkable
class AppendsColumns(Protocol):
    """A model whose new columns only ever went last: the counts it had before."""

    @property
    def earlier_column_counts(self) -> Collection[int]: ...


def _saved_count(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _table_key(view: QTableView, what: str) -> str:
    return f"tables/{view.objectName()}/{what}"


def save_table_state(settings: QSettings, view: QTableView) -> None:
    """Column widths, order, hidden columns and the sort indicator of ``view``'s header,
    with the column count they belong to."""
    model = view.model()
    if view.objectName() and model is not None:
        settings.setValue(_table_key(view, "header"), view.horizontalHeader().saveState())
        settings.setValue(_table_key(view, "columns"), model.columnCount())


def restore_table_state(settings: QSettings, view: QTableView) -> bool:
    """Restore what :func:`save_table_state` saved, and sort the model to match (also a
    header saved before the model appended columns: see the module docstring)."""
    model = view.model()
    if not view.objectName() or model is None:
        return False
    state = settings.value(_table_key(view, "header"))
    columns = settings.value(_table_key(view, "columns"))
    if not isinstance(state, QByteArray) or state.isEmpty():
        return False
    # A header saved for another set of columns would be restored as is (Qt checks nothing):
    # the view would show sections the model does not have. Keep the defaults instead.
    count, saved = model.columnCount(), _saved_count(columns)
    if saved is None or (
        saved != count
        and not (
            isinstance(model, AppendsColumns)
            and saved < count
            and saved in model.earlier_column_counts
        )
    ):
        return False
    header = view.horizontalHeader()
    # Columns appended since: Qt adds them last and shown; put them back as the view had them.
    added = sorted(
        (header.visualIndex(i), i, header.isSectionHidden(i)) for i in range(saved, count)
    )
    if not header.restoreState(state):
        return False
    for visual, logical, hidden in added:
        header.moveSection(header.visualIndex(logical), visual)
        header.setSectionHidden(logical, hidden)
    section = header.sortIndicatorSection()
    if view.isSortingEnabled() and 0 <= section < model.columnCount():
        view.sortByColumn(section, header.sortIndicatorOrder())
    return True
