"""First run: a short welcome — the local venue, where keys and the journal live, how to
switch to Kalshi Demo.

Shown over the window the first time the workstation starts with a data directory, and never
again once dismissed: dismissing it (Close, Escape, the window's close button) writes
``<data dir>/welcome-seen``. Help → Getting started shows it again on demand. ``--screenshot``
runs never show it.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from workstation import __version__
from workstation.client.paths import Paths
from workstation.ui.app_icon import app_icon

__all__ = ["WELCOME_MARKER", "WelcomeDialog", "show_welcome_once", "welcome_seen"]

#: The file in the data directory that says the welcome was dismissed (holds the version).
WELCOME_MARKER = "welcome-seen"


def welcome_seen(data_dir: Path) -> bool:
    """Whether the welcome was dismissed before with this data directory."""
    return (data_dir / WELCOME_MARKER).exists()


def welcome_html(paths: Paths, log_dir: Path) -> str:
    """The welcome's text, with this installation's paths in it."""
    data = paths.data_dir

    def path(p: Path) -> str:
        return f"<code>{html.escape(str(p))}</code>"

    return f"""
<h2>Welcome to the Kalshi FIX Workstation</h2>
<p><b>The local venue.</b> With no settings, the workstation starts a Kalshi exchange
simulator inside itself and logs on to it with every FIX session, with simulated traders
making markets. Orders there never reach Kalshi, and nothing needs an account or a network.
The banner at the top always says which venue you are on: LOCAL, DEMO or PRODUCTION.</p>
<p><b>Where your files are</b></p>
<ul>
<li>Your Kalshi API keys: {path(data / "keys")} (made or imported with
<i>Settings → Keys…</i>; private keys stay owner-only, passphrases are never stored)</li>
<li>The local venue's own keys and state: {path(data / "local-venue")}</li>
<li>The journal (orders, fills and every session's messages): {path(data / "sessions.db")}</li>
<li>Settings: {path(paths.config_file)}</li>
<li>Logs (secrets redacted): {path(log_dir)} — <i>Help → Open log folder</i></li>
</ul>
<p><b>Switching to Kalshi Demo</b></p>
<ol>
<li><i>Settings → Keys…</i>: generate a key pair and copy its public key.</li>
<li>On demo.kalshi.co, under your account's API keys, create a key with that public key;
Kalshi answers with its API key ID.</li>
<li><i>Settings → Connection profiles…</i>: in the <b>demo</b> profile, give each session
that key ID and private key file; choose <b>demo</b> under “Open at start-up” and Save.</li>
<li>Restart the workstation. The banner turns from LOCAL to DEMO.</li>
</ol>
"""


class WelcomeDialog(QDialog):
    """The welcome text and one Close button; dismissing it remembers that it was seen."""

    def __init__(self, paths: Paths, log_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle("Welcome — Kalshi FIX Workstation")
        self.marker = paths.data_dir / WELCOME_MARKER

        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        self.text = QLabel(welcome_html(paths, log_dir))
        self.text.setObjectName("welcomeText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(560)
        body = QHBoxLayout()
        body.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        body.addWidget(self.text, 1)

        buttons = QDialogButtonBox()
        self.close_button = buttons.addButton("Got it", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button.setObjectName("welcomeClose")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: self.remember())

    def remember(self) -> None:
        """Write the marker, so the next start does not show the welcome."""
        self.marker.parent.mkdir(parents=True, exist_ok=True)
        self.marker.write_text(f"{__version__}\n", encoding="utf-8")


def show_welcome_once(
    window: QWidget, paths: Paths, log_dir: Path
) -> WelcomeDialog | None:
    """Open the welcome over ``window`` (window-modal, not blocking the loop) unless it was
    dismissed before; the dialog, or None when it is not shown."""
    if welcome_seen(paths.data_dir):
        return None
    dialog = WelcomeDialog(paths, log_dir, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
