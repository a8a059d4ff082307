"""Helpers for the settings-dialog tests: screenshots, key files, finding an open dialog."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from PySide6.QtCore import QEvent
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
W = TypeVar("W", bound=QWidget)


@pytest.fixture(autouse=True)
def deletes_flushed() -> Iterator[None]:
    """Delete, after each test of a module that imports this, the widgets pytest-qt closed
    with ``deleteLater()``.

    Tests that never run an event loop would otherwise leave every dialog alive to the end
    of the session, and each theme switch or new window later re-polishes all of them.
    """
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def screenshot(widget: QWidget, name: str) -> Path:
    """Save ``widget`` as ``screenshots/<name>`` and check a real picture was drawn."""
    QApplication.processEvents()
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / name
    assert widget.grab().save(str(path)), path
    image = QImage(str(path))
    assert (image.width(), image.height()) == (widget.width(), widget.height())
    assert path.stat().st_size > 5_000  # drawn, not an empty frame
    return path


def open_dialog(kind: type[W]) -> W | None:
    """The visible top-level widget of ``kind``, if one is open."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, kind) and widget.isVisible():
            return widget
    return None


def write_rsa_key(path: Path, bits: int, passphrase: str | None = None) -> rsa.RSAPrivateKey:
    """A PKCS#8 RSA private key of any size (``generate_key_pair`` refuses small ones)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    return key


def write_ec_key(path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
