"""TLS contexts for the FIX initiator (client) and the acceptor (simulator server).

Kalshi serves FIX over TLS 1.2 or newer only (SPEC §2.1). Both contexts here refuse anything
older. A client verifies the server's certificate by default, in one of three ways:

* the system's trusted CAs (``client_context()``), as for Kalshi's public hosts;
* a CA bundle (``cafile=``), for a private CA or a self-signed test certificate;
* a pinned certificate (``pin_file=``): the server must present exactly that certificate, or
  one issued by it. Kalshi used to hand out a certificate for pinning and now tells clients to
  fetch it with ``openssl s_client`` (SPEC §2.1). OpenSSL accepts a trust anchor that is not a
  self-signed root only with ``VERIFY_X509_PARTIAL_CHAIN``, so pinning sets it, and trusts
  nothing but the pinned file (no system CAs).

Hostname checking when pinned — the choice we made:

* pinned to **leaf** certificates only (no certificate in the pin file is a CA): the hostname
  is *not* checked. Trust is "this exact certificate", which is stronger than any name check,
  and a pinned leaf need not name the host it is reached by (Kalshi renamed its production
  host in 2026 and kept the old name as an alias, SPEC §2.2; a tunnel or 127.0.0.1 port
  forward is another case). OpenSSL matches a leaf trust anchor against the presented
  certificate in full, so a different certificate with the same names is still refused.
* pinned to a **CA** certificate: the hostname is checked as usual, because a CA vouches for
  many hosts and the name is what tells them apart.

Every problem with a configured file raises :class:`TlsConfigError` naming the file and what
is wrong with it. Key material never appears in a message.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path

from cryptography import x509

__all__ = ["TlsConfigError", "client_context", "server_context"]

_MINIMUM_VERSION = ssl.TLSVersion.TLSv1_2


class TlsConfigError(ValueError):
    """A certificate, key or CA file is missing, unreadable or unusable (the text says which)."""


def client_context(
    *, verify: bool = True, cafile: str | None = None, pin_file: str | None = None
) -> ssl.SSLContext:
    """A client context: TLS 1.2 or newer, the server's certificate verified.

    ``verify=False`` turns verification off altogether (a local simulator with a throwaway
    certificate); it cannot be combined with ``cafile`` or ``pin_file``. ``cafile`` trusts
    the CAs in that PEM file instead of the system's; ``pin_file`` trusts exactly the
    certificates in that PEM file (see the module docstring for the hostname rule).
    """
    if pin_file is not None and cafile is not None:
        raise TlsConfigError("give either a CA file or a pinned certificate, not both")
    if not verify:
        if pin_file is not None or cafile is not None:
            raise TlsConfigError("verify=False cannot be combined with a CA file or a pin")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.minimum_version = _MINIMUM_VERSION
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname on
    context.minimum_version = _MINIMUM_VERSION
    if pin_file is not None:
        pinned = _read_certificates(pin_file, "pinned certificate file")
        _load_verify_locations(context, pin_file, "pinned certificate file")
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
        context.check_hostname = any(_is_ca(cert) for cert in pinned)
    elif cafile is not None:
        _read_certificates(cafile, "CA file")
        _load_verify_locations(context, cafile, "CA file")
    else:
        context.load_default_certs(ssl.Purpose.SERVER_AUTH)
    return context


def server_context(
    cert_file: str, key_file: str, *, password: str | bytes | None = None
) -> ssl.SSLContext:
    """A server context presenting ``cert_file`` (PEM, leaf first, chain after) with
    ``key_file`` (PEM private key, encrypted if ``password`` is given). TLS 1.2 or newer;
    client certificates are not requested."""
    _read_certificates(cert_file, "certificate file")
    key_path = _existing_file(key_file, "private key file")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = _MINIMUM_VERSION
    # With no password, refuse an encrypted key instead of letting OpenSSL prompt on a tty.
    secret: str | bytes | Callable[[], bytes] = password if password is not None else _no_password
    try:
        context.load_cert_chain(cert_file, str(key_path), password=secret)
    except ssl.SSLError as exc:
        reason = exc.reason or "unusable"
        if reason == "KEY_VALUES_MISMATCH":
            text = f"private key file {key_file} does not match certificate file {cert_file}"
        else:
            text = (
                f"private key file {key_file} could not be loaded ({reason}): not a PEM "
                "private key, or encrypted and the password is missing or wrong"
            )
        raise TlsConfigError(text) from None
    except ValueError:
        raise TlsConfigError(f"private key file {key_file}: password is not usable") from None
    return context


def _no_password() -> bytes:
    return b""


def _existing_file(path: str, what: str) -> Path:
    file = Path(path)
    if not file.is_file():
        problem = "is not a file" if file.exists() else "not found"
        raise TlsConfigError(f"{what} {path}: {problem}")
    return file


def _read_certificates(path: str, what: str) -> list[x509.Certificate]:
    file = _existing_file(path, what)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise TlsConfigError(f"{what} {path}: cannot be read ({exc.strerror})") from None
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise TlsConfigError(f"{what} {path}: holds no PEM certificate") from None
    return certificates


def _load_verify_locations(context: ssl.SSLContext, path: str, what: str) -> None:
    try:
        context.load_verify_locations(cafile=path)
    except ssl.SSLError as exc:
        raise TlsConfigError(f"{what} {path}: not usable ({exc.reason})") from None


def _is_ca(certificate: x509.Certificate) -> bool:
    try:
        constraints = certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    except x509.ExtensionNotFound:
        return False
    return constraints.value.ca
