"""Key files: every way a key file can be unusable gives its own clear error, never a secret."""

from __future__ import annotations

import os
import stat
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from tests.fix.test_auth import KNOWN_PUBLIC_KEY
from workstation.fix.keys import (
    KeyFileError,
    KeyFileExists,
    KeyTooSmall,
    NotAKeyFile,
    NotRsaKey,
    PassphraseRequired,
    WrongPassphrase,
    check_key_file,
    generate_key_pair,
    load_private_key,
    load_public_key,
    public_key_fingerprint,
    public_key_pem,
)

PASSPHRASE = "correct horse battery staple ∆ 42"
WRONG = "Tr0ub4dor&3-not-it"
# sha256 of the SubjectPublicKeyInfo DER of KNOWN_PUBLIC_KEY, computed with
# `openssl pkey -pubin -in k.pub -outform DER | sha256sum`.
KNOWN_FINGERPRINT = "230f6d84556ac8e08513eef76868e7cdc8c195681b1012c3e7c40976c1852614"


@dataclass(frozen=True)
class KeyFiles:
    dir: Path
    plain: Path  # PKCS#8, unencrypted, from generate_key_pair
    plain_pub: Path
    encrypted: Path  # PKCS#8, encrypted with PASSPHRASE, from generate_key_pair
    encrypted_pub: Path
    pkcs1: Path  # "BEGIN RSA PRIVATE KEY", the plain key
    pkcs1_encrypted: Path  # "Proc-Type: 4,ENCRYPTED", the plain key
    pkcs1_pub: Path  # "BEGIN RSA PUBLIC KEY"
    ec_private: Path
    ec_public: Path
    ed25519_private: Path
    small_private: Path  # RSA 1024
    small_public: Path
    not_pem: Path
    damaged: Path
    certificate_like: Path
    known_pub: Path


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> KeyFiles:
    d = tmp_path_factory.mktemp("keys")
    plain = generate_key_pair(d / "plain.key", d / "plain.pub")
    generate_key_pair(d / "enc.key", d / "enc.pub", passphrase=PASSPHRASE)
    pem, pkcs8 = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
    trad = serialization.PrivateFormat.TraditionalOpenSSL
    none = serialization.NoEncryption()
    ec_key = ec.generate_private_key(ec.SECP256R1())
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return KeyFiles(
        dir=d,
        plain=d / "plain.key",
        plain_pub=d / "plain.pub",
        encrypted=d / "enc.key",
        encrypted_pub=d / "enc.pub",
        pkcs1=write(d / "pkcs1.key", plain.private_bytes(pem, trad, none)),
        pkcs1_encrypted=write(
            d / "pkcs1-enc.key",
            plain.private_bytes(
                pem, trad, serialization.BestAvailableEncryption(PASSPHRASE.encode())
            ),
        ),
        pkcs1_pub=write(
            d / "pkcs1.pub",
            plain.public_key().public_bytes(pem, serialization.PublicFormat.PKCS1),
        ),
        ec_private=write(d / "ec.key", ec_key.private_bytes(pem, pkcs8, none)),
        ec_public=write(d / "ec.pub", ec_key.public_key().public_bytes(pem, spki)),
        ed25519_private=write(
            d / "ed.key", ed25519.Ed25519PrivateKey.generate().private_bytes(pem, pkcs8, none)
        ),
        small_private=write(d / "small.key", small.private_bytes(pem, pkcs8, none)),
        small_public=write(d / "small.pub", small.public_key().public_bytes(pem, spki)),
        not_pem=write(d / "notes.txt", b"my api key is 550e8400-e29b-41d4-a716-446655440000\n"),
        damaged=write(
            d / "damaged.key",
            b"-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n",
        ),
        certificate_like=write(
            d / "cert.pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
        ),
        known_pub=write(d / "known.pub", KNOWN_PUBLIC_KEY),
    )


def same_key(a: rsa.RSAPrivateKey, b: rsa.RSAPublicKey) -> bool:
    return a.public_key().public_numbers() == b.public_numbers()


def everything_shown(exc: BaseException) -> str:
    return str(exc) + repr(exc) + "".join(traceback.format_exception(exc))


# --- generate_key_pair --------------------------------------------------------------------


def test_generated_private_key_file_is_mode_0600(keys: KeyFiles) -> None:
    for path in (keys.plain, keys.encrypted):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(keys.plain_pub).st_mode) & 0o077 != 0o077  # readable


def test_generated_files_are_pkcs8_and_spki_pem(keys: KeyFiles) -> None:
    assert keys.plain.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert keys.encrypted.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    assert PASSPHRASE.encode() not in keys.encrypted.read_bytes()
    assert keys.plain_pub.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----\n")
    private = load_private_key(keys.plain)
    assert private.key_size == 2048
    assert same_key(private, load_public_key(keys.plain_pub))
    assert public_key_pem(private) == keys.plain_pub.read_text()


def test_generate_refuses_to_overwrite_either_file(keys: KeyFiles, tmp_path: Path) -> None:
    before = keys.plain.read_bytes()
    with pytest.raises(KeyFileExists, match="already exists"):
        generate_key_pair(keys.plain, tmp_path / "new.pub")
    assert keys.plain.read_bytes() == before
    assert not (tmp_path / "new.pub").exists()
    with pytest.raises(KeyFileExists) as caught:
        generate_key_pair(tmp_path / "new.key", keys.plain_pub)
    assert str(keys.plain_pub) in str(caught.value)
    assert not (tmp_path / "new.key").exists()


def test_generate_into_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="directory does not exist"):
        generate_key_pair(tmp_path / "no" / "k.key", tmp_path / "k.pub")
    assert list(tmp_path.iterdir()) == []


def test_generate_removes_the_private_key_when_the_public_key_cannot_be_written(
    tmp_path: Path,
) -> None:
    with pytest.raises(KeyFileError, match="directory does not exist"):
        generate_key_pair(tmp_path / "k.key", tmp_path / "no" / "k.pub")
    assert not (tmp_path / "k.key").exists()


def test_generate_refuses_small_keys(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="2048"):
        generate_key_pair(tmp_path / "k.key", tmp_path / "k.pub", bits=1024)
    assert list(tmp_path.iterdir()) == []


# --- load_private_key: the forms that load ------------------------------------------------


def test_pkcs1_private_key_loads(keys: KeyFiles) -> None:
    assert keys.pkcs1.read_bytes().startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    assert same_key(load_private_key(keys.pkcs1), load_public_key(keys.plain_pub))


def test_encrypted_pkcs8_loads_with_its_passphrase(keys: KeyFiles) -> None:
    key = load_private_key(keys.encrypted, PASSPHRASE)
    assert same_key(key, load_public_key(keys.encrypted_pub))


def test_encrypted_pkcs1_loads_with_its_passphrase(keys: KeyFiles) -> None:
    assert b"Proc-Type: 4,ENCRYPTED" in keys.pkcs1_encrypted.read_bytes()
    key = load_private_key(keys.pkcs1_encrypted, PASSPHRASE)
    assert same_key(key, load_public_key(keys.plain_pub))


def test_a_passphrase_for_an_unencrypted_key_is_ignored(keys: KeyFiles) -> None:
    assert same_key(load_private_key(keys.plain, "anything"), load_public_key(keys.plain_pub))


def test_pkcs1_public_key_loads(keys: KeyFiles) -> None:
    assert keys.pkcs1_pub.read_bytes().startswith(b"-----BEGIN RSA PUBLIC KEY-----")
    assert load_public_key(keys.pkcs1_pub).public_numbers() == (
        load_public_key(keys.plain_pub).public_numbers()
    )


# --- load_private_key / load_public_key: every error ---------------------------------------


@pytest.mark.parametrize("path", ["encrypted", "pkcs1_encrypted"])
@pytest.mark.parametrize("given", [None, ""])
def test_encrypted_key_without_passphrase_asks_for_one(
    keys: KeyFiles, path: str, given: str | None
) -> None:
    key_path = getattr(keys, path)
    with pytest.raises(PassphraseRequired) as caught:
        load_private_key(key_path, given)
    assert isinstance(caught.value, KeyFileError)
    assert str(key_path) in str(caught.value)
    assert "passphrase is required" in str(caught.value)


@pytest.mark.parametrize("path", ["encrypted", "pkcs1_encrypted"])
def test_wrong_passphrase(keys: KeyFiles, path: str) -> None:
    key_path = getattr(keys, path)
    with pytest.raises(WrongPassphrase, match="wrong passphrase") as caught:
        load_private_key(key_path, WRONG)
    assert str(key_path) in str(caught.value)


def test_missing_file(keys: KeyFiles) -> None:
    missing = keys.dir / "nope.key"
    with pytest.raises(KeyFileError, match="not found") as caught:
        load_private_key(missing)
    assert str(missing) in str(caught.value)
    assert caught.value.path == str(missing)
    with pytest.raises(KeyFileError, match="public key file not found"):
        load_public_key(missing)


def test_unreadable_path(keys: KeyFiles) -> None:
    with pytest.raises(KeyFileError, match="is a directory"):
        load_private_key(keys.dir)


def test_not_a_pem_file(keys: KeyFiles) -> None:
    with pytest.raises(NotAKeyFile, match=r"not a PEM private key \(found no PEM data\)") as caught:
        load_private_key(keys.not_pem)
    assert "550e8400" not in str(caught.value)  # file contents are never quoted
    with pytest.raises(NotAKeyFile, match="not a PEM public key"):
        load_public_key(keys.not_pem)


def test_the_wrong_kind_of_pem(keys: KeyFiles) -> None:
    with pytest.raises(NotAKeyFile, match="'PUBLIC KEY' block"):
        load_private_key(keys.plain_pub)
    with pytest.raises(NotAKeyFile, match="'CERTIFICATE' block"):
        load_private_key(keys.certificate_like)
    with pytest.raises(NotAKeyFile, match="'PRIVATE KEY' block"):
        load_public_key(keys.plain)


def test_damaged_pem(keys: KeyFiles) -> None:
    with pytest.raises(NotAKeyFile, match="damaged"):
        load_private_key(keys.damaged)


def test_not_rsa(keys: KeyFiles) -> None:
    with pytest.raises(NotRsaKey, match="holds a EC key; Kalshi needs an RSA key"):
        load_private_key(keys.ec_private)
    with pytest.raises(NotRsaKey, match="EC"):
        load_public_key(keys.ec_public)
    with pytest.raises(NotRsaKey, match="Ed25519"):
        load_private_key(keys.ed25519_private)


def test_rsa_smaller_than_2048_bits(keys: KeyFiles) -> None:
    with pytest.raises(KeyTooSmall, match="1024 bits; at least 2048"):
        load_private_key(keys.small_private)
    with pytest.raises(KeyTooSmall, match="1024 bits"):
        load_public_key(keys.small_public)


def test_passphrase_never_appears_in_errors(keys: KeyFiles) -> None:
    cases = [
        (keys.encrypted, WRONG),
        (keys.pkcs1_encrypted, WRONG),
        (keys.damaged, WRONG),
        (keys.not_pem, WRONG),
        (keys.dir / "nope.key", WRONG),
    ]
    for path, passphrase in cases:
        with pytest.raises(KeyFileError) as caught:
            load_private_key(path, passphrase)
        shown = everything_shown(caught.value)
        assert passphrase not in shown
        exc = caught.value
        assert exc.__cause__ is None
        assert exc.__context__ is None or exc.__suppress_context__
    check = check_key_file(keys.encrypted, WRONG)
    assert WRONG not in repr(check) and check.problem is not None


def test_key_material_never_appears_in_errors(keys: KeyFiles) -> None:
    body = keys.small_private.read_text().splitlines()[1]
    with pytest.raises(KeyTooSmall) as caught:
        load_private_key(keys.small_private)
    assert body not in everything_shown(caught.value)


# --- check_key_file and fingerprints ------------------------------------------------------


def test_fingerprint_matches_openssl() -> None:
    key = serialization.load_pem_public_key(KNOWN_PUBLIC_KEY)
    assert isinstance(key, rsa.RSAPublicKey)
    assert public_key_fingerprint(key) == KNOWN_FINGERPRINT


def test_check_a_good_private_key(keys: KeyFiles) -> None:
    check = check_key_file(keys.plain)
    assert check.ok and check.problem is None
    assert (check.kind, check.readable, check.encrypted, check.is_rsa, check.bits) == (
        "private",
        True,
        False,
        True,
        2048,
    )
    assert check.fingerprint == public_key_fingerprint(load_public_key(keys.plain_pub))
    assert check.fingerprint == check_key_file(keys.plain_pub).fingerprint
    assert check.path == str(keys.plain)


def test_check_a_public_key(keys: KeyFiles) -> None:
    check = check_key_file(keys.known_pub)
    assert check.ok and check.kind == "public"
    assert (check.bits, check.fingerprint) == (2048, KNOWN_FINGERPRINT)


def test_check_an_encrypted_key_with_and_without_its_passphrase(keys: KeyFiles) -> None:
    locked = check_key_file(keys.encrypted)
    assert not locked.ok and locked.needs_passphrase and locked.encrypted
    assert locked.readable and locked.kind == "private"
    assert locked.bits is None and locked.fingerprint is None
    unlocked = check_key_file(keys.encrypted, PASSPHRASE)
    assert unlocked.ok and unlocked.encrypted and not unlocked.needs_passphrase
    assert unlocked.fingerprint == check_key_file(keys.encrypted_pub).fingerprint
    wrong = check_key_file(keys.encrypted, WRONG)
    assert not wrong.ok and not wrong.needs_passphrase
    assert wrong.problem is not None and "wrong passphrase" in wrong.problem


def test_check_bad_files_reports_instead_of_raising(keys: KeyFiles) -> None:
    missing = check_key_file(keys.dir / "nope.key")
    assert not missing.readable and missing.problem is not None and "not found" in missing.problem
    ec_check = check_key_file(keys.ec_private)
    assert ec_check.readable and not ec_check.is_rsa and ec_check.bits is None
    assert ec_check.problem is not None and "RSA" in ec_check.problem
    small = check_key_file(keys.small_private)
    assert small.is_rsa and small.bits == 1024 and small.fingerprint is not None
    assert small.problem is not None and "at least 2048" in small.problem
    unknown = check_key_file(keys.not_pem)
    assert unknown.kind == "unknown" and not unknown.ok
