"""Screenshots of the window and its panels, for people to look at.

Each test renders a widget offscreen, writes a PNG and checks what can be checked by
machine (size, the banner's colour where it is drawn). The PNGs go to a temporary directory,
or to ``$UI_SCREENSHOTS`` when set::

    UI_SCREENSHOTS=screenshots pytest tests/ui/test_screenshots.py   # screenshots/ is ignored
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget

from workstation.ui.banner import BANNER_STYLES, VenueKind
from workstation.ui.main_window import MainWindow
from workstation.ui.panels.message_log import MessageLogPanel
from workstation.ui.panels.session_status import SessionStatusPanel
from workstation.ui.theme import Theme, apply_theme

from .samples import T0, conversation, heartbeats, session_infos


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    target = Path(os.environ.get("UI_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    return target


@pytest.fixture(autouse=True)
def light_theme_afterwards(qapp: QApplication) -> Iterator[None]:
    yield
    apply_theme(qapp, Theme.LIGHT)


def save(widget: QWidget, path: Path) -> QImage:
    QApplication.processEvents()
    image = widget.grab().toImage()
    assert image.save(str(path)), path
    assert path.stat().st_size > 10_000  # a real picture, not an empty frame
    return image


def log_panel() -> MessageLogPanel:
    panel = MessageLogPanel()
    panel.model.append(conversation())
    return panel


def session_panel() -> SessionStatusPanel:
    panel = SessionStatusPanel(clock=lambda: T0)
    panel.update_sessions(session_infos())
    return panel


@pytest.mark.parametrize(
    ("kind", "theme"),
    [
        (VenueKind.LOCAL, Theme.DARK),
        (VenueKind.DEMO, Theme.LIGHT),
        (VenueKind.PRODUCTION, Theme.DARK),
    ],
)
def test_main_window(qtbot, tmp_path: Path, shots: Path, kind: VenueKind, theme: Theme) -> None:
    window = MainWindow(kind, "127.0.0.1 (built-in simulator)", tmp_path / "ui.ini")
    qtbot.addWidget(window)
    log = log_panel()
    window.set_panel("messageLog", log)
    window.set_panel("sessionStatus", session_panel())
    window.set_theme(theme)
    window.show()
    qtbot.waitExposed(window)
    log.select_row(8)
    image = save(window, shots / f"window_{kind.value.lower()}_{theme.value}.png")
    assert (image.width(), image.height()) == (1600, 1000)
    banner_y = window.banner.mapTo(window, window.banner.rect().center()).y()
    assert QColor(image.pixel(4, banner_y)).name() == BANNER_STYLES[kind].background


@pytest.mark.parametrize("theme", list(Theme))
def test_message_log_panel(qtbot, qapp, shots: Path, theme: Theme) -> None:
    apply_theme(qapp, theme)
    panel = log_panel()
    panel.set_theme(theme)
    qtbot.addWidget(panel)
    panel.resize(1000, 620)
    panel.show()
    qtbot.waitExposed(panel)
    panel.select_row(15)
    panel.pause_button.click()
    panel.model.append(heartbeats(4))
    save(panel, shots / f"message_log_{theme.value}.png")
    assert panel.pause_button.text() == "Resume (4 new)"


@pytest.mark.parametrize("theme", list(Theme))
def test_session_status_panel(qtbot, qapp, shots: Path, theme: Theme) -> None:
    apply_theme(qapp, theme)
    panel = session_panel()
    panel.set_theme(theme)
    qtbot.addWidget(panel)
    panel.resize(1100, 220)
    panel.show()
    qtbot.waitExposed(panel)
    save(panel, shots / f"session_status_{theme.value}.png")
