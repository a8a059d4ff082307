"""Throwaway certificates for tests and for a local simulator's TLS port.

A certificate for ``127.0.0.1`` must carry the address as an IP subjectAltName: Python's
hostname check never matches an IP against a DNS name or the common name (DESIGN.md, known
traps). Keys are ECDSA P-256 (fast to generate) and are written unencrypted, so use these
files only for loopback tests and local simulation, never for anything real.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["CertificateFiles", "make_ca", "make_certificate"]

_VALIDITY = datetime.timedelta(days=2)
_BACKDATE = datetime.timedelta(hours=1)


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificateFiles:
    """A PEM certificate file and the PEM private key file that goes with it."""

    cert_file: Path
    key_file: Path
    #: The certificate and key objects, to issue further certificates from a CA.
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def __repr__(self) -> str:
        return f"CertificateFiles(cert_file={self.cert_file!s}, key_file={self.key_file!s})"


def make_certificate(
    directory: Path,
    name: str = "server",
    *,
    ip_addresses: tuple[str, ...] = ("127.0.0.1",),
    dns_names: tuple[str, ...] = ("localhost",),
    issuer: CertificateFiles | None = None,
) -> CertificateFiles:
    """A leaf (server) certificate valid for the given addresses and names, written to
    ``directory/<name>.pem`` and ``directory/<name>.key``. Self-signed unless ``issuer``
    (from :func:`make_ca`) is given."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    alt_names: list[x509.GeneralName] = [
        x509.IPAddress(ipaddress.ip_address(ip)) for ip in ip_addresses
    ]
    alt_names += [x509.DNSName(dns) for dns in dns_names]
    builder = _base_builder(subject, key, issuer)
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), True)
    builder = builder.add_extension(
        x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
    )
    if alt_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
    signer = issuer.key if issuer is not None else key
    certificate = builder.sign(signer, hashes.SHA256())
    return _write(directory, name, certificate, key)


def make_ca(directory: Path, name: str = "test-ca") -> CertificateFiles:
    """A self-signed CA certificate that can issue leaves through :func:`make_certificate`."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    builder = _base_builder(subject, key, None)
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), True)
    builder = builder.add_extension(
        x509.KeyUsage(
            digital_signature=True,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=True,
            crl_sign=True,
            encipher_only=False,
            decipher_only=False,
        ),
        critical=True,
    )
    certificate = builder.sign(key, hashes.SHA256())
    return _write(directory, name, certificate, key)


def _base_builder(
    subject: x509.Name, key: ec.EllipticCurvePrivateKey, issuer: CertificateFiles | None
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    issuer_name = issuer.certificate.subject if issuer is not None else subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + _VALIDITY)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False
        )
    return builder


def _write(
    directory: Path, name: str, certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey
) -> CertificateFiles:
    directory.mkdir(parents=True, exist_ok=True)
    cert_file = directory / f"{name}.pem"
    key_file = directory / f"{name}.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    return CertificateFiles(
        cert_file=cert_file, key_file=key_file, certificate=certificate, key=key
    )
