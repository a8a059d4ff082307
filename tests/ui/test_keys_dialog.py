"""The key manager: generate (0600, never over a file), show and copy the public key, import
(0600 copy), and check a key file with a clear verdict. Real keys in temporary folders."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from PySide6.QtGui import QGuiApplication

from workstation.fix.keys import load_private_key, public_key_fingerprint, public_key_pem
from workstation.ui.dialogs.keys_dialog import KeysDialog, import_private_key
from workstation.ui.theme import Theme, apply_theme

from .settings_support import deletes_flushed, screenshot, write_ec_key, write_rsa_key

__all__ = ["deletes_flushed"]  # the autouse fixture, imported for pytest


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def dialog(qtbot, tmp_path: Path) -> KeysDialog:
    keys = KeysDialog(tmp_path / "data" / "keys")
    qtbot.addWidget(keys)
    keys.open()
    qtbot.waitExposed(keys)
    return keys


def test_generate_writes_an_owner_only_pair_and_shows_the_matching_public_key(
    qtbot, dialog: KeysDialog, tmp_path: Path
) -> None:
    folder = tmp_path / "new-keys"
    dialog.folder_edit.setText(str(folder))
    dialog.name_edit.setText("desk-rt")
    assert dialog.files_label.text() == "Writes desk-rt.key.pem (owner-only) and desk-rt.pub.pem"
    dialog.generate_button.click()

    private, public = folder / "desk-rt.key.pem", folder / "desk-rt.pub.pem"
    assert mode(private) == 0o600
    assert private.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    key = load_private_key(private)
    assert key.key_size == 2048
    # the PEM shown (and copied) is the public half of the private key written
    assert dialog.pem_view.toPlainText() == public_key_pem(key) == public.read_text()
    assert dialog.fingerprint_label.text().endswith(public_key_fingerprint(key.public_key()))
    assert dialog.verdict_ok and "owner-only" in dialog.verdict.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == public_key_pem(key)
    assert "PRIVATE" not in dialog.pem_view.toPlainText()


def test_generate_refuses_to_overwrite_an_existing_key(dialog: KeysDialog, tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    folder.mkdir()
    existing = folder / "kalshi-fix.key.pem"
    existing.write_text("precious\n")
    dialog.folder_edit.setText(str(folder))
    dialog.generate_button.click()
    assert existing.read_text() == "precious\n"
    assert not (folder / "kalshi-fix.pub.pem").exists()
    assert not dialog.verdict_ok
    assert "already exists; refusing to overwrite it" in dialog.verdict.text()
    assert dialog.pem_view.toPlainText() == ""


def test_generate_encrypted_needs_the_same_passphrase_twice_and_never_shows_it(
    dialog: KeysDialog, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "correct horse battery staple"
    dialog.folder_edit.setText(str(tmp_path / "enc"))
    assert not dialog.new_passphrase.isVisible()  # asked only when encrypting
    dialog.encrypt_check.setChecked(True)
    assert dialog.new_passphrase.isVisible() and dialog.repeat_passphrase.isVisible()
    dialog.new_passphrase.setText(secret)
    dialog.repeat_passphrase.setText(secret + "!")
    dialog.generate_button.click()
    assert not dialog.verdict_ok and "differ" in dialog.verdict.text()
    assert not (tmp_path / "enc").exists()

    dialog.new_passphrase.setText(secret)
    dialog.repeat_passphrase.setText(secret)
    dialog.generate_button.click()
    private = tmp_path / "enc" / "kalshi-fix.key.pem"
    assert private.read_text().startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert mode(private) == 0o600
    assert load_private_key(private, secret).key_size == 2048
    assert dialog.new_passphrase.text() == dialog.repeat_passphrase.text() == ""
    shown = dialog.verdict.text() + dialog.pem_view.toPlainText() + caplog.text
    assert secret not in shown


def test_import_copies_the_key_owner_only_and_never_over_a_file(
    dialog: KeysDialog, tmp_path: Path
) -> None:
    source = tmp_path / "downloads" / "my-kalshi.pem"
    source.parent.mkdir()
    key = write_rsa_key(source, 2048)
    os.chmod(source, 0o644)
    dialog.tabs.setCurrentIndex(1)
    dialog.import_edit.setText(str(source))
    dialog.import_button.click()

    target = dialog.keys_dir / "my-kalshi.pem"
    assert target.read_bytes() == source.read_bytes()
    assert mode(target) == 0o600
    assert mode(dialog.keys_dir) == 0o700
    assert dialog.verdict_ok and str(target) in dialog.verdict.text()
    assert dialog.pem_view.toPlainText() == public_key_pem(key)
    assert "PRIVATE" not in dialog.verdict.text() + dialog.pem_view.toPlainText()

    target.write_text("keep me\n")
    dialog.import_button.click()
    assert target.read_text() == "keep me\n"
    assert dialog.verdict.text().startswith("✘ Not imported:")
    assert "refusing to overwrite" in dialog.verdict.text()


def test_import_refuses_what_is_not_a_usable_rsa_private_key(tmp_path: Path) -> None:
    small = tmp_path / "small.pem"
    write_rsa_key(small, 1024)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a key\n")
    elliptic = tmp_path / "ec.pem"
    write_ec_key(elliptic)
    keys = tmp_path / "keys"
    for path, reason in (
        (small, "RSA key is 1024 bits; at least 2048 bits are required"),
        (notes, "not a PEM private key"),
        (elliptic, "Kalshi needs an RSA key"),
    ):
        with pytest.raises(Exception, match=reason):
            import_private_key(path, keys)
    assert not keys.exists() or not any(keys.iterdir())


def test_import_keeps_an_encrypted_key_encrypted(tmp_path: Path) -> None:
    source = tmp_path / "enc.pem"
    write_rsa_key(source, 2048, passphrase="pw-1234")
    target = import_private_key(source, tmp_path / "keys")
    assert target.read_bytes() == source.read_bytes()
    assert mode(target) == 0o600
    assert load_private_key(target, "pw-1234").key_size == 2048


def test_check_gives_a_verdict_with_the_reason(dialog: KeysDialog, tmp_path: Path) -> None:
    good = tmp_path / "good.pem"
    key = write_rsa_key(good, 2048)
    small = tmp_path / "small.pem"
    write_rsa_key(small, 1024)
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    encrypted = tmp_path / "enc.pem"
    write_rsa_key(encrypted, 3072, passphrase="s3cret-pass")
    public = tmp_path / "good.pub.pem"
    public.write_text(public_key_pem(key))
    dialog.tabs.setCurrentIndex(2)

    def check(path: Path, passphrase: str = "") -> tuple[bool, str]:
        dialog.check_edit.setText(str(path))
        dialog.check_passphrase.setText(passphrase)
        dialog.check_button.click()
        assert dialog.check_passphrase.text() == ""
        return dialog.verdict_ok, dialog.verdict.text()

    assert check(good) == (True, "✔ RSA 2048-bit private key: fine for Kalshi FIX.")
    assert dialog.pem_view.toPlainText() == public_key_pem(key)
    assert check(public) == (True, "✔ RSA 2048-bit public key: fine for Kalshi FIX.")
    assert check(small) == (
        False,
        "✘ Cannot be used: RSA key is 1024 bits; at least 2048 bits are required",
    )
    assert dialog.pem_view.toPlainText() == ""
    assert check(notes) == (False, "✘ Cannot be used: not a PEM private key (found no PEM data)")
    assert check(tmp_path / "absent.pem") == (False, "✘ Cannot be used: key file not found")
    assert check(encrypted) == (False, "✘ Encrypted private key: enter its passphrase to check it.")
    ok, text = check(encrypted, "wrong")
    assert not ok and "wrong passphrase" in text and "wrong\n" not in text
    assert check(encrypted, "s3cret-pass") == (
        True,
        "✔ RSA 3072-bit encrypted private key: fine for Kalshi FIX.",
    )
    assert "s3cret-pass" not in dialog.verdict.text()


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_screenshots_of_the_key_manager(qtbot, qapp, tmp_path: Path, theme: Theme) -> None:
    old_palette, old_sheet = qapp.palette(), qapp.styleSheet()
    apply_theme(qapp, theme)
    try:
        dialog = KeysDialog(tmp_path / "keys")
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.waitExposed(dialog)
        dialog.encrypt_check.setChecked(True)
        dialog.new_passphrase.setText("a long passphrase")
        dialog.repeat_passphrase.setText("a long passphrase")
        dialog.generate_button.click()
        assert dialog.verdict_ok
        screenshot(dialog, f"keys-generate-{theme}.png")
        small = tmp_path / "old-1024.pem"
        write_rsa_key(small, 1024)
        dialog.tabs.setCurrentIndex(2)
        dialog.check_edit.setText(str(small))
        dialog.check_button.click()
        screenshot(dialog, f"keys-check-refused-{theme}.png")
        key = serialization.load_pem_private_key(small.read_bytes(), None)
        assert key.key_size == 1024  # type: ignore[union-attr]
    finally:
        qapp.setStyleSheet(old_sheet)
        qapp.setPalette(old_palette)
