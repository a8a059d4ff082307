"""The log file: where it goes, that it rotates, and that no secret reaches it."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from workstation.client.paths import APP_NAME, Paths
from workstation.fix.auth import LogonSigner, logon_prehash
from workstation.fix.codec import encode_message
from workstation.logging_setup import (
    BACKUP_COUNT,
    LOG_FILE_NAME,
    MAX_BYTES,
    InstalledLogging,
    log_dir_for,
    redact_text,
    setup_logging,
)

_log = logging.getLogger("tests.packaging.logging")


@pytest.fixture
def installed(tmp_path: Path) -> Iterator[InstalledLogging]:
    logs = setup_logging(tmp_path / "logs")
    try:
        yield logs
    finally:
        logs.remove()


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _signed_logon(key: rsa.RSAPrivateKey) -> tuple[bytes, str]:
    """A real Logon frame with its RSA-PSS signature in RawData, and that signature."""
    sending_time = "20261124-12:00:00.000"
    signature = LogonSigner(key)(logon_prehash(sending_time, 1, "SENDER", "KalshiNR"))
    frame = encode_message(
        "A",
        [(49, "SENDER"), (56, "KalshiNR"), (34, "1"), (52, sending_time)],
        [(98, "0"), (108, "30"), (95, str(len(signature))), (96, signature), (1137, "9")],
    )
    return frame, signature


def test_the_log_goes_to_the_directory_given(installed: InstalledLogging, tmp_path: Path) -> None:
    _log.info("hello from the test")
    installed.handler.flush()
    assert installed.log_file == tmp_path / "logs" / LOG_FILE_NAME
    assert "hello from the test" in installed.log_file.read_text(encoding="utf-8")


def test_rawdata_pem_and_passphrase_never_reach_the_file(
    installed: InstalledLogging, key: rsa.RSAPrivateKey
) -> None:
    frame, signature = _signed_logon(key)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"correct horse"),
    ).decode("ascii")
    body = pem.splitlines()[5]  # a line from the middle of the key

    _log.info("sent %s", frame.decode("ascii"))  # SOH-separated, as on the wire
    _log.info("sent %s", frame.decode("ascii").replace("\x01", "|"))  # as a person prints it
    _log.warning("could not read the key file:\n%s", pem)
    _log.info("unlocking with passphrase=%s", "correct horse")
    try:
        raise ValueError(f"bad key {{'passphrase': 'hunter2'}} in\n{pem}")
    except ValueError:
        _log.exception("key check failed")
    installed.handler.flush()

    text = installed.log_file.read_text(encoding="utf-8")
    assert signature not in text
    assert signature[:24] not in text
    assert body not in text
    assert "correct horse" not in text
    assert "hunter2" not in text
    assert "96=<redacted>" in text
    assert "-----BEGIN ENCRYPTED PRIVATE KEY----- <redacted>" in text
    assert "Traceback (most recent call last)" in text  # the traceback is kept, redacted
    assert "raise ValueError" in text


def test_redaction_leaves_ordinary_text_alone() -> None:
    line = "order 1234 filled 96 contracts at 45c; 196=abc; tag 9=120; KalshiRT logged on"
    assert redact_text(line) == line


def test_a_pem_block_cut_off_before_its_end_is_redacted_whole() -> None:
    text = "read -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nxyz"
    assert redact_text(text) == "read -----BEGIN RSA PRIVATE KEY----- <redacted>"


def test_by_default_it_rotates_at_megabytes_in_the_user_log_dir() -> None:
    logs_dir = Path(platformdirs.user_log_dir(APP_NAME))  # only read, never written here
    assert MAX_BYTES >= 1_000_000 and BACKUP_COUNT >= 3
    assert log_dir_for(Paths.resolve()) == logs_dir


def test_the_file_rotates_and_keeps_the_backups_it_is_told(tmp_path: Path) -> None:
    logs = setup_logging(tmp_path / "logs", max_bytes=2_000, backup_count=2)
    try:
        assert isinstance(logs.handler, logging.handlers.RotatingFileHandler)
        assert (logs.handler.maxBytes, logs.handler.backupCount) == (2_000, 2)
        for i in range(100):
            _log.info("line %03d %s", i, "x" * 60)
        logs.handler.flush()
    finally:
        logs.remove()
    names = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert names == [LOG_FILE_NAME, f"{LOG_FILE_NAME}.1", f"{LOG_FILE_NAME}.2"]
    assert "line 099" in (tmp_path / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert all((tmp_path / "logs" / n).stat().st_size <= 2_000 for n in names)


def test_data_dir_keeps_its_own_logs(tmp_path: Path) -> None:
    assert log_dir_for(Paths.resolve(data_dir=tmp_path)) == tmp_path / "logs"


def test_setting_up_twice_leaves_one_handler(tmp_path: Path) -> None:
    first = setup_logging(tmp_path / "a")
    second = setup_logging(tmp_path / "b")
    try:
        ours = [h for h in logging.getLogger().handlers if h in (first.handler, second.handler)]
        assert ours == [second.handler]
    finally:
        second.remove()
        first.remove()
    assert second.handler not in logging.getLogger().handlers
