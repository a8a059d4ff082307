"""The editor of one connection profile: venue, dialect, order session, sessions, watch list.

Venue kinds (SPEC §2.2, DECISIONS.md): the local simulator (its keys and ports are made by
the workstation), Kalshi Demo (``fix.demo.kalshi.co``), Kalshi Production
(``mm.fix.elections.kalshi.com``, with the older ``fix.elections.kalshi.com`` offered as an
alias) and a custom host. Choosing a kind fills in its host and REST address; the host stays
editable for Production (to pick the alias) and Custom.

A desk monitor (SPEC §14.2) is a profile whose order sessions log on as listeners, one per
watched account, with every trading control disabled; its watched accounts are edited here.

:meth:`ProfileEditor.problems` validates as the trader types and marks each bad field;
:meth:`ProfileEditor.profile` gives the edited :class:`Profile`, keeping what the editor
does not show as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workstation.client.profiles import (
    DEMO_HOST,
    DEMO_REST,
    PRODUCTION_ALIASES,
    PRODUCTION_HOST,
    PRODUCTION_REST,
    Profile,
    VenueKind,
)
from workstation.fix.dialect import Dialect, SessionType
from workstation.ui.dialogs.session_rows import SessionTable
from workstation.ui.dialogs.validation import Problem, clear_mark, mark, profile_name_problem
from workstation.ui.dialogs.watch_table import WatchTable
from workstation.ui.models.table_base import is_dark_palette
from workstation.ui.theme import STATUS_COLORS, Theme

__all__ = ["BUILT_IN_PROFILES", "KIND_LABELS", "ProfileEditor"]

KIND_LABELS = {
    VenueKind.LOCAL: "Local simulator",
    VenueKind.DEMO: "Kalshi Demo",
    VenueKind.PRODUCTION: "Kalshi Production",
    VenueKind.CUSTOM: "Custom host",
}
#: Profiles the settings file always has (removing one brings back its defaults).
BUILT_IN_PROFILES = frozenset({"local", "demo", "production"})
LOCAL_HOST = "127.0.0.1"
_ORDER_LABELS = {
    SessionType.RT: "KalshiRT: order entry with retransmission (recommended)",
    SessionType.NR: "KalshiNR: order entry without retransmission",
}
_DIALECT_LABELS = {
    Dialect.CURRENT: "current: Kalshi as documented today",
    Dialect.V1_0_13: "1.0.13: the older protocol text",
}
_SESSION_ORDER = (SessionType.RT, SessionType.NR, SessionType.DC, SessionType.PT, SessionType.RFQ)
_ALIAS_TIP = "The older name of Kalshi's production FIX host, still answered (DECISIONS.md)"


def _hosts_for(kind: VenueKind) -> list[str]:
    if kind is VenueKind.PRODUCTION:
        return [PRODUCTION_HOST, *PRODUCTION_ALIASES]
    if kind is VenueKind.DEMO:
        return [DEMO_HOST]
    if kind is VenueKind.LOCAL:
        return [LOCAL_HOST]
    return []


def _rest_for(kind: VenueKind) -> str:
    return {VenueKind.DEMO: DEMO_REST, VenueKind.PRODUCTION: PRODUCTION_REST}.get(kind, "")


class ProfileEditor(QWidget):
    """See the module docstring.

    ``name_taken(editor, name)`` says whether a profile other than this editor's has ``name``.
    """

    changed = Signal()

    def __init__(
        self,
        profile: Profile,
        *,
        name_taken: Callable[[ProfileEditor, str], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("profileEditor")
        self.base = profile
        self._name_taken = name_taken
        self._loading = True
        colours = STATUS_COLORS[Theme.DARK if is_dark_palette(self.palette()) else Theme.LIGHT]
        self._colours = colours

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        venue = QGroupBox("Venue")
        form = QFormLayout(venue)
        self.name_edit = QLineEdit(profile.name)
        self.name_edit.setObjectName("profileName")
        self.name_edit.setReadOnly(profile.name in BUILT_IN_PROFILES)
        if profile.name in BUILT_IN_PROFILES:
            self.name_edit.setToolTip("A built-in profile keeps its name")
        form.addRow("Name", self.name_edit)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("profileKind")
        for kind, label in KIND_LABELS.items():
            self.kind_combo.addItem(label, kind)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(profile.kind))
        form.addRow("Venue", self.kind_combo)

        host_row = QHBoxLayout()
        self.host_combo = QComboBox()
        self.host_combo.setObjectName("profileHost")
        self.host_combo.setEditable(True)
        self.host_combo.setMinimumWidth(280)
        host_row.addWidget(self.host_combo, 1)
        self.tls_check = QCheckBox("TLS")
        self.tls_check.setObjectName("profileTls")
        self.tls_check.setToolTip("Kalshi accepts TLS 1.2 or higher only; plain TCP fails")
        self.tls_check.setChecked(profile.tls)
        host_row.addWidget(self.tls_check)
        form.addRow("FIX host", host_row)
        self.host_hint = QLabel()
        self.host_hint.setObjectName("profileHostHint")
        self.host_hint.setStyleSheet(f"color: {colours.muted};")
        form.addRow("", self.host_hint)

        self.rest_edit = QLineEdit(profile.rest_url)
        self.rest_edit.setObjectName("profileRest")
        self.rest_edit.setPlaceholderText("https://…/trade-api/v2 (markets and balance)")
        form.addRow("REST API", self.rest_edit)
        self.dialect_combo = QComboBox()
        self.dialect_combo.setObjectName("profileDialect")
        for dialect, label in _DIALECT_LABELS.items():
            self.dialect_combo.addItem(label, dialect)
        self.dialect_combo.setCurrentIndex(self.dialect_combo.findData(profile.dialect))
        form.addRow("Dialect", self.dialect_combo)
        self.order_combo = QComboBox()
        self.order_combo.setObjectName("profileOrderSession")
        for st, label in _ORDER_LABELS.items():
            self.order_combo.addItem(label, st)
        self.order_combo.setCurrentIndex(self.order_combo.findData(profile.order_session))
        form.addRow("Order session", self.order_combo)
        self.monitor_check = QCheckBox("Listen only: one listener per watched account, no trading")
        self.monitor_check.setObjectName("profileDeskMonitor")
        self.monitor_check.setToolTip(
            "A desk monitor: the order session logs on as a listener (20126) once per watched "
            "account, and every trading control is disabled"
        )
        self.monitor_check.setChecked(profile.listen_only)
        form.addRow("Desk monitor", self.monitor_check)
        layout.addWidget(venue)

        sessions_box = QGroupBox("Sessions")
        sessions_layout = QVBoxLayout(sessions_box)
        self.sessions = SessionTable([profile.session(st) for st in _SESSION_ORDER])
        sessions_layout.addWidget(self.sessions)
        self.sessions_note = QLabel()
        self.sessions_note.setObjectName("profileSessionsNote")
        self.sessions_note.setWordWrap(True)
        self.sessions_note.setStyleSheet(f"color: {colours.muted};")
        sessions_layout.addWidget(self.sessions_note)
        layout.addWidget(sessions_box)

        self.watch_box = QGroupBox("Watched accounts (desk monitor)")
        watch_layout = QVBoxLayout(self.watch_box)
        self.watch = WatchTable(profile.watch)
        watch_layout.addWidget(self.watch)
        layout.addWidget(self.watch_box)

        layout.addStretch(1)

        self._fill_hosts(profile.kind, profile.host)
        self._kind_shown(profile.kind)
        self._order_shown()
        self._monitor_shown()
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.order_combo.currentIndexChanged.connect(self._order_changed)
        self.monitor_check.toggled.connect(self._monitor_changed)
        for edit in (self.name_edit, self.rest_edit):
            edit.textChanged.connect(self._edited)
        self.host_combo.editTextChanged.connect(self._edited)
        self.dialect_combo.currentIndexChanged.connect(self._edited)
        self.tls_check.toggled.connect(self._edited)
        self.sessions.changed.connect(self._edited)
        self.watch.changed.connect(self._edited)
        self._loading = False

    # ------------------------------------------------------------------ reading

    @property
    def kind(self) -> VenueKind:
        return VenueKind(self.kind_combo.currentData())

    @property
    def order_session(self) -> SessionType:
        return SessionType(self.order_combo.currentData())

    def name(self) -> str:
        return self.name_edit.text().strip()

    def host(self) -> str:
        return self.host_combo.currentText().strip()

    def profile(self) -> Profile:
        """The edited profile (fields the editor does not show are kept)."""
        sessions = dict(self.base.sessions)
        for st, row in self.sessions.rows.items():
            sessions[st] = row.settings()
        return replace(
            self.base,
            name=self.name(),
            kind=self.kind,
            host=self.host(),
            dialect=Dialect(self.dialect_combo.currentData()),
            order_session=self.order_session,
            sessions=sessions,
            rest_url=self.rest_edit.text().strip(),
            listen_only=self.monitor_check.isChecked(),
            watch=self.watch.accounts(),
            tls=self.tls_check.isChecked(),
        )

    def problems(self) -> list[Problem]:
        """Everything wrong with the form, each bad field marked (blocking ones first)."""
        found: list[Problem] = []
        for widget in (self.name_edit, self.host_combo, self.rest_edit):
            clear_mark(widget)
        name_problem = profile_name_problem(self.name(), self._name_taken(self, self.name()))
        if name_problem:
            found.append(Problem(self.name_edit, name_problem))
        host = self.host()
        if not host or any(c.isspace() for c in host):
            found.append(Problem(self.host_combo, "enter the FIX host name (no spaces)"))
        rest = self.rest_edit.text().strip()
        if rest and not rest.startswith(("https://", "http://")):
            found.append(Problem(self.rest_edit, "the REST address starts with https://"))
        local = self.kind is VenueKind.LOCAL
        watching = self.monitor_check.isChecked() and self.watch.table.rowCount() > 0
        for st, row in self.sessions.rows.items():
            if st in (SessionType.RT, SessionType.NR) and st is not self.order_session:
                for edit in row.edits():
                    clear_mark(edit)
                continue
            needs_keys = not local and not (watching and st is self.order_session)
            found += row.problems(needs_keys=needs_keys)
        if self.monitor_check.isChecked():
            found += self.watch.problems()
        for problem in found:
            if problem.widget in (self.name_edit, self.host_combo, self.rest_edit):
                mark(problem.widget, problem.text)
        return sorted(found, key=lambda p: not p.blocking)

    # ------------------------------------------------------------------ reacting

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    def _fill_hosts(self, kind: VenueKind, host: str) -> None:
        self.host_combo.blockSignals(True)
        self.host_combo.clear()
        for i, known in enumerate(_hosts_for(kind)):
            self.host_combo.addItem(known)
            if known in PRODUCTION_ALIASES:
                self.host_combo.setItemData(i, _ALIAS_TIP, Qt.ItemDataRole.ToolTipRole)
        self.host_combo.setEditText(host)
        self.host_combo.blockSignals(False)

    def _kind_shown(self, kind: VenueKind) -> None:
        local = kind is VenueKind.LOCAL
        self.host_combo.setEnabled(not local)
        self.tls_check.setEnabled(not local)
        self.rest_edit.setEnabled(not local)
        for row in self.sessions.rows.values():
            row.set_local(local)
        hints = {
            VenueKind.LOCAL: "The built-in simulator on this machine: the workstation starts it "
            "and makes its keys and ports.",
            VenueKind.DEMO: f"Kalshi's demo exchange: {DEMO_HOST}, ports 8228–8232.",
            VenueKind.PRODUCTION: f"Kalshi's exchange: {PRODUCTION_HOST}. The older name "
            f"{', '.join(PRODUCTION_ALIASES)} is offered too.",
            VenueKind.CUSTOM: "Any FIX host that speaks Kalshi's protocol (a simulator "
            "elsewhere, a tunnel).",
        }
        self.host_hint.setText(hints[kind])

    def _kind_changed(self, *_args: object) -> None:
        kind, was_local = self.kind, not self.host_combo.isEnabled()
        known = _hosts_for(kind)
        host = known[0] if known else self.host()
        if kind is VenueKind.CUSTOM and self.host() in (LOCAL_HOST, DEMO_HOST, PRODUCTION_HOST):
            host = ""
        self._fill_hosts(kind, host)
        if kind is not VenueKind.CUSTOM:
            self.rest_edit.setText(_rest_for(kind))
        if kind is not VenueKind.CUSTOM or was_local:
            self.tls_check.setChecked(kind is not VenueKind.LOCAL)  # Kalshi requires TLS
        self._kind_shown(kind)
        self._edited()

    def _order_shown(self) -> None:
        chosen = self.order_session
        for st in (SessionType.RT, SessionType.NR):
            self.sessions.row(st).set_visible(st is chosen)

    def _order_changed(self, *_args: object) -> None:
        self._order_shown()
        self._monitor_shown()
        self._edited()

    def _monitor_shown(self) -> None:
        on = self.monitor_check.isChecked()
        self.watch_box.setVisible(on)
        self.sessions_note.setText(
            f"Desk monitor: {self.order_session.value} logs on as a listener for each watched "
            "account below, with that account's key; its row here gives the port and pin."
            if on
            else "An encrypted private key asks for its passphrase at start-up; the "
            "passphrase is never saved."
        )

    def _monitor_changed(self, *_args: object) -> None:
        self._monitor_shown()
        self._edited()
