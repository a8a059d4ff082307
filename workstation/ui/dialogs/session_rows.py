"""The per-session table of a connection profile: one row of fields per session type.

Columns (SPEC §2.2, §3, §6.1): enabled, API key ID (the SenderCompID), private key file,
certificate pin file, port (blank: Kalshi's port for the session type), heartbeat, and the
Logon options cancel on disconnect (8013), dollar prices (21005) and listener mode (20126,
order sessions only). A row turns its widgets into a :class:`SessionSettings` and says what
is wrong with them; it keeps the fields it does not show (``settlement_reports``) as they were.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from workstation.client.profiles import ORDER_SESSION_TYPES, SessionSettings
from workstation.fix.dialect import SessionType
from workstation.ui.dialogs.file_pick import choose_into
from workstation.ui.dialogs.validation import (
    Problem,
    clear_mark,
    mark,
    parse_heartbeat,
    parse_port,
)

__all__ = ["COLUMNS", "SessionRow", "SessionTable"]

#: (header, tooltip) of every column, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Session", "The session type, named by its TargetCompID (56)"),
    ("On", "Log this session on at start-up"),
    ("API key ID", "The FIX API key ID Kalshi gave you for this session: the SenderCompID (49)"),
    ("Private key file", "The RSA private key (PEM) that signs the Logon; an encrypted key "
     "asks for its passphrase at start-up, which is never stored"),
    ("Certificate pin", "Optional: the server certificate (PEM) to pin for TLS"),
    ("Port", "Blank: Kalshi's port for this session type"),
    ("Heartbeat", "HeartBtInt (108) in seconds, 3 to 300"),
    ("Cancel on\ndisconnect", "CancelOrdersOnDisconnect (8013): Kalshi cancels your orders on "
     "any disconnect, a clean logout included"),
    ("Dollar\nprices", "UseDollars (21005): prices in dollars, needed for subpenny markets"),
    ("Listener", "ListenerSession (20126): read-only feed of the account's reports "
     "(order sessions only)"),
)

_DESCRIPTIONS = {
    SessionType.RT: "order entry, with retransmission",
    SessionType.NR: "order entry, no retransmission",
    SessionType.DC: "drop copy",
    SessionType.PT: "post trade (settlements)",
    SessionType.RFQ: "RFQ (market maker)",
}


class SessionRow:
    """The widgets of one session type's row (they live in the :class:`SessionTable`)."""

    def __init__(self, settings: SessionSettings, parent: QWidget) -> None:
        self.base = settings
        st = settings.session_type
        self.session_type = st
        self.label = QLabel(f"<b>{st.value}</b>")
        self.label.setToolTip(f"{st.value}: {_DESCRIPTIONS[st]} (port {st.default_port})")
        self.enabled = QCheckBox()
        self.enabled.setChecked(settings.enabled)
        self.key_id = QLineEdit(settings.api_key_id)
        self.key_id.setPlaceholderText("UUID from Kalshi")
        self.key_id.setMinimumWidth(130)
        self.private_key = QLineEdit(_path_text(settings.private_key))
        self.private_key.setPlaceholderText("kalshi-fix.key.pem")
        self.private_key.setMinimumWidth(150)
        self.pin_file = QLineEdit(_path_text(settings.pin_file))
        self.pin_file.setPlaceholderText("optional")
        self.pin_file.setMinimumWidth(80)
        self.port = QLineEdit("" if settings.port is None else str(settings.port))
        self.port.setPlaceholderText(str(st.default_port))
        self.port.setFixedWidth(64)
        self.heartbeat = QLineEdit(str(settings.heartbeat))
        self.heartbeat.setPlaceholderText("30")
        self.heartbeat.setFixedWidth(52)
        self.cancel_on_disconnect = QCheckBox()
        self.cancel_on_disconnect.setChecked(settings.cancel_on_disconnect)
        self.use_dollars = QCheckBox()
        self.use_dollars.setChecked(settings.use_dollars)
        self.listener = QCheckBox()
        self.listener.setChecked(settings.listener)
        self.listener.setEnabled(st in ORDER_SESSION_TYPES)
        if st not in ORDER_SESSION_TYPES:
            self.listener.setToolTip("Listener mode exists on KalshiNR and KalshiRT only")
        for name, widget in self._named().items():
            widget.setObjectName(f"{st.value}_{name}")
        self.key_cell = _with_browse(parent, self.private_key, f"{st.value} private key")
        self.pin_cell = _with_browse(parent, self.pin_file, f"{st.value} certificate to pin")

    def _named(self) -> dict[str, QWidget]:
        return {
            "enabled": self.enabled,
            "keyId": self.key_id,
            "privateKey": self.private_key,
            "pinFile": self.pin_file,
            "port": self.port,
            "heartbeat": self.heartbeat,
            "cancelOnDisconnect": self.cancel_on_disconnect,
            "useDollars": self.use_dollars,
            "listener": self.listener,
        }

    def cells(self) -> list[QWidget]:
        """The widgets in column order."""
        return [
            self.label,
            self.enabled,
            self.key_id,
            self.key_cell,
            self.pin_cell,
            self.port,
            self.heartbeat,
            self.cancel_on_disconnect,
            self.use_dollars,
            self.listener,
        ]

    def edits(self) -> list[QLineEdit]:
        return [self.key_id, self.private_key, self.pin_file, self.port, self.heartbeat]

    def checks(self) -> list[QCheckBox]:
        return [self.enabled, self.cancel_on_disconnect, self.use_dollars, self.listener]

    def set_visible(self, visible: bool) -> None:
        for cell in self.cells():
            cell.setVisible(visible)

    def set_local(self, local: bool) -> None:
        """The built-in simulator provisions its own keys and ports: those fields rest."""
        tip = "The built-in simulator provisions its own keys and ports"
        for widget in (self.key_id, self.key_cell, self.pin_cell, self.port):
            widget.setEnabled(not local)
            if widget.property("baseToolTip") is None:
                widget.setToolTip(tip if local else "")

    def settings(self) -> SessionSettings:
        """The row as settings (run :meth:`problems` first: bad numbers read as defaults)."""
        port, _ = parse_port(self.port.text())
        heartbeat, _ = parse_heartbeat(self.heartbeat.text())
        return replace(
            self.base,
            enabled=self.enabled.isChecked(),
            api_key_id=self.key_id.text().strip(),
            private_key=_path(self.private_key.text()),
            pin_file=_path(self.pin_file.text()),
            port=port,
            heartbeat=heartbeat,
            cancel_on_disconnect=self.cancel_on_disconnect.isChecked(),
            use_dollars=self.use_dollars.isChecked(),
            listener=self.listener.isChecked() and self.session_type in ORDER_SESSION_TYPES,
        )

    def problems(self, *, needs_keys: bool) -> list[Problem]:
        """What is wrong with the row, each widget marked (or unmarked) as it goes.

        ``needs_keys``: an enabled row must have its key ID and key file (not on the local
        simulator, and not for an order session a desk monitor replaces by its watch list).
        """
        st = self.session_type.value
        found: list[Problem] = []
        for widget in self.edits():
            clear_mark(widget)
        _, port_problem = parse_port(self.port.text())
        if port_problem:
            found.append(Problem(self.port, f"{st}: {port_problem}"))
        _, beat_problem = parse_heartbeat(self.heartbeat.text())
        if beat_problem:
            found.append(Problem(self.heartbeat, f"{st}: {beat_problem}"))
        if self.listener.isChecked() and self.cancel_on_disconnect.isChecked():
            found.append(
                Problem(
                    self.cancel_on_disconnect,
                    f"{st}: a listener session cannot cancel on disconnect (8013 must be N)",
                )
            )
        if self.enabled.isChecked() and needs_keys:
            if not self.key_id.text().strip():
                found.append(Problem(self.key_id, f"{st}: enter the API key ID from Kalshi"))
            key_text = self.private_key.text().strip()
            if not key_text:
                found.append(Problem(self.private_key, f"{st}: choose the private key file"))
            elif not Path(key_text).expanduser().is_file():
                found.append(
                    Problem(self.private_key, f"{st}: no file at {key_text} yet", blocking=False)
                )
        for problem in found:
            if isinstance(problem.widget, QLineEdit):
                mark(problem.widget, problem.text, blocking=problem.blocking)
        return found


class SessionTable(QWidget):
    """Every session type's row under one header (a grid, so the columns line up)."""

    changed = Signal()

    def __init__(self, sessions: list[SessionSettings], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionTable")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        for col, (header, tip) in enumerate(COLUMNS):
            label = QLabel(header)
            label.setToolTip(tip)
            label.setStyleSheet("font-weight: 600;")
            grid.addWidget(label, 0, col, Qt.AlignmentFlag.AlignBottom)
        self.rows: dict[SessionType, SessionRow] = {}
        for r, settings in enumerate(sessions, start=1):
            row = SessionRow(settings, self)
            self.rows[settings.session_type] = row
            for col, cell in enumerate(row.cells()):
                centred = isinstance(cell, QCheckBox)
                align = Qt.AlignmentFlag.AlignCenter if centred else Qt.AlignmentFlag.AlignVCenter
                grid.addWidget(cell, r, col, align)
            for edit in row.edits():
                edit.textChanged.connect(self.changed)
            for check in row.checks():
                check.toggled.connect(self.changed)
        grid.setColumnStretch(2, 2)
        grid.setColumnStretch(3, 3)
        grid.setColumnStretch(4, 1)

    def row(self, session_type: SessionType) -> SessionRow:
        return self.rows[session_type]


def _path_text(path: Path | None) -> str:
    return "" if path is None else str(path)


def _path(text: str) -> Path | None:
    stripped = text.strip()
    return Path(stripped).expanduser() if stripped else None


def _with_browse(parent: QWidget, edit: QLineEdit, caption: str) -> QWidget:
    cell = QWidget()
    box = QHBoxLayout(cell)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(edit, 1)
    button = QToolButton()
    button.setText("…")
    button.setMaximumWidth(30)
    button.setToolTip(f"Choose the {caption} file")
    button.clicked.connect(lambda: choose_into(parent, edit, f"Choose the {caption}"))
    box.addWidget(button)
    return cell
