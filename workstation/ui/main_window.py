"""The workstation's main window: venue banner, six docks, View and Theme menus, a status
bar with the exchange clock, and a layout that survives restarts.

The window holds no trading logic. The app hands it finished panels with
:meth:`MainWindow.set_panel`; until then each dock shows a quiet placeholder. Layout, theme
and table headers are kept in the INI file given as ``settings_path`` (under the
workstation's data directory; never the user's real Qt configuration).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenuBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workstation.ui.banner import VenueBanner, VenueKind
from workstation.ui.clock_label import ClockLabel
from workstation.ui.docks import (
    DOCK_SPECS,
    add_view_toggles,
    arrange_default,
    create_dock,
    make_placeholder,
    restore_table_state,
    restore_window_layout,
    save_table_state,
    save_window_layout,
)
from workstation.ui.theme import Theme, apply_theme

__all__ = ["DEFAULT_SIZE", "DEFAULT_THEME", "MainWindow", "Themed"]

DEFAULT_SIZE = QSize(1600, 1000)
DEFAULT_THEME = Theme.DARK
_THEME_KEY = "appearance/theme"


@runtime_checkable
class Themed(Protocol):
    """A panel that recolours itself (status colours in its models) on a theme change."""

    def set_theme(self, theme: Theme) -> None: ...


class MainWindow(QMainWindow):
    """The workstation's window.

    Attributes:
        venue_kind: LOCAL, DEMO or PRODUCTION; fixed for the window's life.
        banner: the venue banner (always visible; not a dock, so no layout can hide it).
        docks: the dock widgets by object name (see :data:`~workstation.ui.docks.DOCK_SPECS`).
        clock: the status-bar clock.
    """

    #: emitted with the new theme after the user (or :meth:`set_theme`) switches
    theme_changed = Signal(Theme)

    def __init__(
        self,
        venue_kind: VenueKind | str,
        venue_label: str,
        settings_path: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.venue_kind = VenueKind(venue_kind)
        self.setWindowTitle(f"Kalshi FIX Workstation — {self.venue_kind.value} · {venue_label}")
        self.setDockNestingEnabled(True)
        settings_path.parent.mkdir(parents=True, exist_ok=True)
        self._settings = QSettings(str(settings_path), QSettings.Format.IniFormat, self)
        self._settings.setFallbacksEnabled(False)

        self.banner = VenueBanner(self.venue_kind, venue_label)
        self._menu_bar = QMenuBar()
        top = QWidget(self)
        top.setObjectName("windowTop")
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.setSpacing(0)
        top_layout.addWidget(self._menu_bar)
        top_layout.addWidget(self.banner)
        # The menu widget sits above every dock and toolbar area and is not part of
        # saveState(): no saved or user-made layout can hide the banner.
        self.setMenuWidget(top)

        self.docks: dict[str, QDockWidget] = {
            spec.name: create_dock(self, spec) for spec in DOCK_SPECS
        }
        self.resize(self._default_size())
        arrange_default(self, self.docks)
        self._default_state = self.saveState()

        self.clock = ClockLabel(self)
        self.statusBar().addPermanentWidget(self.clock)
        self.statusBar().setObjectName("statusBar")

        self._theme = self._saved_theme()
        self._build_menus()
        apply_theme(self._app(), self._theme)
        restore_window_layout(self._settings, self)

    # -- construction --------------------------------------------------------------------

    @staticmethod
    def _app() -> QApplication:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            raise RuntimeError("MainWindow needs a QApplication")
        return app

    @staticmethod
    def _default_size() -> QSize:
        available = QGuiApplication.primaryScreen().availableGeometry().size()
        return DEFAULT_SIZE.boundedTo(available)

    def _saved_theme(self) -> Theme:
        value = self._settings.value(_THEME_KEY, DEFAULT_THEME.value)
        try:
            return Theme(str(value))
        except ValueError:
            return DEFAULT_THEME

    def _build_menus(self) -> None:
        view = self._menu_bar.addMenu("&View")
        view.setObjectName("viewMenu")
        view.setToolTipsVisible(True)
        add_view_toggles(view, self.docks.values())
        view.addSeparator()
        self.reset_layout_action = QAction("Reset layout", self)
        self.reset_layout_action.setObjectName("resetLayout")
        self.reset_layout_action.setToolTip("Put every panel back where it starts, all shown")
        self.reset_layout_action.triggered.connect(self.reset_layout)
        view.addAction(self.reset_layout_action)

        theme_menu = self._menu_bar.addMenu("&Theme")
        theme_menu.setObjectName("themeMenu")
        theme_menu.setToolTipsVisible(True)
        group = QActionGroup(self)
        group.setExclusive(True)
        self.theme_actions: dict[Theme, QAction] = {}
        for theme, label in ((Theme.LIGHT, "Light"), (Theme.DARK, "Dark")):
            action = QAction(label, self, checkable=True)
            action.setObjectName(f"theme_{theme.value}")
            action.setToolTip(f"Switch the whole window to the {label.lower()} theme (remembered)")
            action.setChecked(theme is self._theme)
            action.triggered.connect(lambda _checked=False, t=theme: self.set_theme(t))
            group.addAction(action)
            theme_menu.addAction(action)
            self.theme_actions[theme] = action

    # -- panels --------------------------------------------------------------------------

    def set_panel(self, name: str, widget: QWidget) -> None:
        """Put ``widget`` in the dock ``name`` (replacing the placeholder or an older panel)
        and restore its tables' saved column widths and sort order."""
        dock = self.dock(name)
        old = dock.widget()
        dock.setWidget(widget)
        if old is not None and old is not widget:
            old.deleteLater()
        if isinstance(widget, Themed):
            widget.set_theme(self._theme)
        for view in self._tables_in(widget):
            restore_table_state(self._settings, view)

    def panel(self, name: str) -> QWidget | None:
        """The panel in dock ``name``, or None while it shows the placeholder."""
        widget = self.dock(name).widget()
        return None if widget is None or widget.objectName() == "placeholder" else widget

    def clear_panel(self, name: str) -> None:
        """Put the placeholder back (the panel is saved and then deleted)."""
        dock = self.dock(name)
        old = dock.widget()
        if old is not None:
            for view in self._tables_in(old):
                save_table_state(self._settings, view)
            old.deleteLater()
        dock.setWidget(make_placeholder(dock))

    def dock(self, name: str) -> QDockWidget:
        try:
            return self.docks[name]
        except KeyError:
            raise KeyError(f"no dock {name!r}; docks are {', '.join(self.docks)}") from None

    @staticmethod
    def _tables_in(widget: QWidget) -> list[QTableView]:
        found = widget.findChildren(QTableView)
        if isinstance(widget, QTableView):
            found.insert(0, widget)
        return [view for view in found if view.objectName()]

    # -- theme ---------------------------------------------------------------------------

    @property
    def theme(self) -> Theme:
        return self._theme

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        apply_theme(self._app(), theme)
        self.theme_actions[theme].setChecked(True)
        for dock in self.docks.values():
            widget = dock.widget()
            if isinstance(widget, Themed):
                widget.set_theme(theme)
        self._settings.setValue(_THEME_KEY, theme.value)
        self.theme_changed.emit(theme)

    # -- layout --------------------------------------------------------------------------

    def reset_layout(self) -> None:
        """Every dock shown, docked, where it starts."""
        self.restoreState(self._default_state)
        arrange_default(self, self.docks)

    def save_layout(self) -> None:
        """Write geometry, dock state, theme and every named table's header to the INI file."""
        save_window_layout(self._settings, self)
        for dock in self.docks.values():
            widget = dock.widget()
            if widget is not None:
                for view in self._tables_in(widget):
                    save_table_state(self._settings, view)
        self._settings.setValue(_THEME_KEY, self._theme.value)
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.save_layout()
        super().closeEvent(event)
