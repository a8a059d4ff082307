"""RSA key files for the Logon signature: load, check and generate (SPEC §5.1).

Kalshi's FIX keys are RSA pairs, 2048 bits as the docs generate them; the private key signs
the Logon and the public key is registered with Kalshi (or with the local simulator).

- :func:`load_private_key` reads PEM in PKCS#8 (``BEGIN PRIVATE KEY``, ``BEGIN ENCRYPTED
  PRIVATE KEY``) or PKCS#1 (``BEGIN RSA PRIVATE KEY``, optionally with ``Proc-Type: 4,ENCRYPTED``).
- :func:`load_public_key` reads SubjectPublicKeyInfo (``BEGIN PUBLIC KEY``) or PKCS#1
  (``BEGIN RSA PUBLIC KEY``) PEM.
- :func:`generate_key_pair` writes a new pair: PKCS#8 private key (encrypted when a passphrase
  is given), created with mode 0600 and never over an existing file, and a
  SubjectPublicKeyInfo public key.
- :func:`check_key_file` reports on a key file without raising, for the GUI's "check key" and
  ``workstation keygen``.

Every failure is a :class:`KeyFileError` whose message names the file and the problem and
never contains key material or the passphrase; the errors are raised ``from None`` so no
library exception (whose text we do not control) is chained to them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

__all__ = [
    "MIN_KEY_BITS",
    "KeyCheck",
    "KeyFileError",
    "KeyFileExists",
    "KeyTooSmall",
    "NotAKeyFile",
    "NotRsaKey",
    "PassphraseRequired",
    "WrongPassphrase",
    "check_key_file",
    "generate_key_pair",
    "load_private_key",
    "load_public_key",
    "public_key_fingerprint",
    "public_key_pem",
]

#: The smallest RSA key accepted (Kalshi's docs generate 2048-bit keys).
MIN_KEY_BITS = 2048

StrPath = str | os.PathLike[str]


class KeyFileError(Exception):
    """A key file cannot be used; the message names the file and says why."""

    def __init__(self, path: StrPath, problem: str) -> None:
        self.path = os.fspath(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r}, {self.problem!r})"


class PassphraseRequired(KeyFileError):
    """The private key is encrypted and no passphrase was given (the GUI asks for one)."""


class WrongPassphrase(KeyFileError):
    """The passphrase does not decrypt the private key."""


class NotAKeyFile(KeyFileError):
    """The file is not a PEM key of the expected kind."""


class NotRsaKey(KeyFileError):
    """The file holds a key of another algorithm (EC, Ed25519 …); Kalshi needs RSA."""


class KeyTooSmall(KeyFileError):
    """The RSA key is shorter than :data:`MIN_KEY_BITS`."""


class KeyFileExists(KeyFileError):
    """Generating a key pair would overwrite an existing file."""


def _read(path: StrPath, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise KeyFileError(path, f"{what} file not found") from None
    except IsADirectoryError:
        raise KeyFileError(path, f"is a directory, not a {what} file") from None
    except PermissionError:
        raise KeyFileError(path, f"{what} file cannot be read: permission denied") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise KeyFileError(path, f"{what} file cannot be read: {reason}") from None


def _is_encrypted(pem: bytes) -> bool:
    return b"-----BEGIN ENCRYPTED PRIVATE KEY-----" in pem or b"Proc-Type: 4,ENCRYPTED" in pem


def _kind_of_pem(pem: bytes) -> str | None:
    """The label of the first PEM block (``PRIVATE KEY``, ``PUBLIC KEY`` …), if any."""
    start = pem.find(b"-----BEGIN ")
    if start < 0:
        return None
    end = pem.find(b"-----", start + 11)
    if end < 0:
        return None
    return pem[start + 11 : end].decode("ascii", "replace")


def _algorithm_name(key: object) -> str:
    name = type(key).__name__.removeprefix("_")
    for suffix in ("PrivateKey", "PublicKey"):
        name = name.removesuffix(suffix)
    return name or "unknown"


def _check_rsa_size(path: StrPath, bits: int) -> None:
    if bits < MIN_KEY_BITS:
        raise KeyTooSmall(
            path, f"RSA key is {bits} bits; at least {MIN_KEY_BITS} bits are required"
        )


def load_private_key(path: StrPath, passphrase: str | None = None) -> rsa.RSAPrivateKey:
    """The RSA private key in a PEM file (PKCS#8 or PKCS#1, encrypted or not).

    ``passphrase`` is used only when the key is encrypted; an empty string counts as none.
    Raises :class:`PassphraseRequired` for an encrypted key without a passphrase,
    :class:`WrongPassphrase`, :class:`NotAKeyFile`, :class:`NotRsaKey`, :class:`KeyTooSmall`,
    or :class:`KeyFileError` when the file cannot be read.
    """
    pem = _read(path, "private key")
    kind = _kind_of_pem(pem)
    if kind is None or "PRIVATE KEY" not in kind:
        found = "no PEM data" if kind is None else f"a PEM {kind!r} block"
        raise NotAKeyFile(path, f"not a PEM private key (found {found})")
    encrypted = _is_encrypted(pem)
    if encrypted and not passphrase:
        raise PassphraseRequired(path, "private key is encrypted; a passphrase is required")
    password = passphrase.encode("utf-8") if encrypted and passphrase else None
    try:
        key = serialization.load_pem_private_key(pem, password=password)
    except TypeError:
        # The headers did not say "encrypted" but the key is (or the reverse).
        raise PassphraseRequired(
            path, "private key is encrypted; a passphrase is required"
        ) from None
    except ValueError:
        if encrypted:
            raise WrongPassphrase(
                path, "wrong passphrase (or the encrypted key is damaged)"
            ) from None
        raise NotAKeyFile(path, "PEM private key data is damaged or not understood") from None
    except UnsupportedAlgorithm:
        raise NotAKeyFile(path, "private key uses an unsupported algorithm or cipher") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise NotRsaKey(path, f"holds a {_algorithm_name(key)} key; Kalshi needs an RSA key")
    _check_rsa_size(path, key.key_size)
    return key


def load_public_key(path: StrPath) -> rsa.RSAPublicKey:
    """The RSA public key in a PEM file (SubjectPublicKeyInfo or PKCS#1)."""
    pem = _read(path, "public key")
    kind = _kind_of_pem(pem)
    if kind is None or "PUBLIC KEY" not in kind:
        found = "no PEM data" if kind is None else f"a PEM {kind!r} block"
        raise NotAKeyFile(path, f"not a PEM public key (found {found})")
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm):
        raise NotAKeyFile(path, "PEM public key data is damaged or not understood") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise NotRsaKey(path, f"holds a {_algorithm_name(key)} key; Kalshi needs an RSA key")
    _check_rsa_size(path, key.key_size)
    return key


def public_key_pem(private_key: rsa.RSAPrivateKey) -> str:
    """The public half of ``private_key`` as SubjectPublicKeyInfo PEM text (to upload)."""
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def public_key_fingerprint(public_key: rsa.RSAPublicKey) -> str:
    """SHA-256 of the SubjectPublicKeyInfo DER, as 64 lowercase hex digits.

    The same as ``openssl pkey -pubin -in key.pub -outform DER | sha256sum``.
    """
    der = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def generate_key_pair(
    private_path: StrPath,
    public_path: StrPath,
    passphrase: str | None = None,
    bits: int = 2048,
) -> rsa.RSAPrivateKey:
    """Write a new RSA key pair and return the private key.

    The private key is PKCS#8 PEM, encrypted with the library's best available scheme when a
    passphrase is given; its file is created with mode 0600 (never widened, never chmod-ed
    afterwards). The public key is SubjectPublicKeyInfo PEM. Neither file may exist already
    (:class:`KeyFileExists`); if the public key cannot be written, the private key file just
    created is removed again.
    """
    if bits < MIN_KEY_BITS:
        raise ValueError(f"RSA keys must have at least {MIN_KEY_BITS} bits, not {bits}")
    for path in (private_path, public_path):
        if os.path.lexists(path):
            raise KeyFileExists(path, "already exists; refusing to overwrite it")
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    _write_new(private_path, private_pem, 0o600)
    try:
        _write_new(public_path, public_key_pem(key).encode("ascii"), 0o644)
    except BaseException:
        os.unlink(private_path)
        raise
    return key


def _write_new(path: StrPath, data: bytes, mode: int) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError:
        raise KeyFileExists(path, "already exists; refusing to overwrite it") from None
    except FileNotFoundError:
        raise KeyFileError(path, "cannot be created: the directory does not exist") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise KeyFileError(path, f"cannot be created: {reason}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(path)
        raise


@dataclass(frozen=True, slots=True, kw_only=True)
class KeyCheck:
    """What :func:`check_key_file` found; ``problem`` is None when the key is usable."""

    path: str
    kind: Literal["private", "public", "unknown"]
    readable: bool
    encrypted: bool
    is_rsa: bool
    bits: int | None
    fingerprint: str | None  #: SHA-256 of the public key DER (:func:`public_key_fingerprint`)
    problem: str | None
    needs_passphrase: bool  #: encrypted and no (or an empty) passphrase was given

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_key_file(path: StrPath, passphrase: str | None = None) -> KeyCheck:
    """Inspect a private or public key file; never raises for a bad file.

    For a private key, ``passphrase`` decrypts it when it is encrypted. ``problem`` carries
    the same text a load would raise.
    """
    shown = os.fspath(path)
    try:
        pem = _read(path, "key")
    except KeyFileError as exc:
        return KeyCheck(
            path=shown,
            kind="unknown",
            readable=False,
            encrypted=False,
            is_rsa=False,
            bits=None,
            fingerprint=None,
            problem=str(exc),
            needs_passphrase=False,
        )
    label = _kind_of_pem(pem) or ""
    kind: Literal["private", "public", "unknown"] = (
        "private" if "PRIVATE KEY" in label else "public" if "PUBLIC KEY" in label else "unknown"
    )
    encrypted = kind == "private" and _is_encrypted(pem)
    public: rsa.RSAPublicKey | None = None
    problem: str | None = None
    try:
        if kind == "public":
            public = load_public_key(path)
        else:
            public = load_private_key(path, passphrase).public_key()
    except (NotRsaKey, KeyTooSmall) as exc:
        problem = str(exc)
        public = _any_public_key(pem, passphrase if encrypted else None)
    except KeyFileError as exc:
        problem = str(exc)
    return KeyCheck(
        path=shown,
        kind=kind,
        readable=True,
        encrypted=encrypted,
        is_rsa=public is not None,
        bits=public.key_size if public is not None else None,
        fingerprint=public_key_fingerprint(public) if public is not None else None,
        problem=problem,
        needs_passphrase=encrypted and not passphrase,
    )


def _any_public_key(pem: bytes, passphrase: str | None) -> rsa.RSAPublicKey | None:
    """The RSA public key of a file that failed only the size check (else None)."""
    password = passphrase.encode("utf-8") if passphrase else None
    try:
        if _kind_of_pem(pem) in ("PUBLIC KEY", "RSA PUBLIC KEY"):
            key: object = serialization.load_pem_public_key(pem)
        else:
            key = serialization.load_pem_private_key(pem, password=password).public_key()
    except (TypeError, ValueError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, rsa.RSAPublicKey) else None
