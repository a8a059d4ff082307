"""TLS contexts over real loopback handshakes with certificates generated in the test."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from pathlib import Path

import pytest

from workstation.net.testing import CertificateFiles, make_ca, make_certificate
from workstation.net.tls import TlsConfigError, client_context, server_context


async def _handshake(server: ssl.SSLContext, client: ssl.SSLContext, hostname: str) -> bytes:
    """Run one TLS echo over 127.0.0.1; returns what came back, raises what the client saw."""

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            writer.write(await reader.readexactly(4))
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    srv = await asyncio.start_server(echo, "127.0.0.1", 0, ssl=server)
    port = srv.sockets[0].getsockname()[1]
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=client, server_hostname=hostname), 10
        )
        try:
            writer.write(b"ping")
            return await asyncio.wait_for(reader.readexactly(4), 10)
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, ssl.SSLError):
                await writer.wait_closed()
    finally:
        srv.close()
        await srv.wait_closed()


def handshake(cert: CertificateFiles, client: ssl.SSLContext, hostname: str = "127.0.0.1") -> bytes:
    server = server_context(str(cert.cert_file), str(cert.key_file))
    return asyncio.run(_handshake(server, client, hostname))


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CertificateFiles]:
    d = tmp_path_factory.mktemp("certs")
    ca = make_ca(d, "ca")
    return {
        "self": make_certificate(d, "self"),
        "impostor": make_certificate(d, "self-again"),  # same names, different key
        "elsewhere": make_certificate(d, "elsewhere", ip_addresses=(), dns_names=("fix.test",)),
        "ca": ca,
        "issued": make_certificate(d, "issued", issuer=ca),
        "issued_elsewhere": make_certificate(
            d, "issued-elsewhere", ip_addresses=(), dns_names=("fix.test",), issuer=ca
        ),
    }


def test_cafile_trusts_a_self_signed_certificate_for_127_0_0_1(certs) -> None:
    client = client_context(cafile=str(certs["self"].cert_file))
    assert client.verify_mode == ssl.CERT_REQUIRED and client.check_hostname
    assert handshake(certs["self"], client) == b"ping"


def test_cafile_checks_the_hostname(certs) -> None:
    client = client_context(cafile=str(certs["ca"].cert_file))
    assert handshake(certs["issued"], client) == b"ping"
    with pytest.raises(ssl.SSLCertVerificationError, match="IP address mismatch"):
        handshake(certs["issued_elsewhere"], client)


def test_system_trust_refuses_a_self_signed_certificate(certs) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(certs["self"], client_context())


def test_pinned_certificate_is_accepted_and_another_refused(certs) -> None:
    client = client_context(pin_file=str(certs["self"].cert_file))
    assert client.verify_flags & ssl.VERIFY_X509_PARTIAL_CHAIN
    assert handshake(certs["self"], client) == b"ping"
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(certs["impostor"], client)
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(certs["issued"], client)


def test_pinned_leaf_is_trusted_even_when_its_names_do_not_match(certs) -> None:
    client = client_context(pin_file=str(certs["elsewhere"].cert_file))
    assert not client.check_hostname
    assert handshake(certs["elsewhere"], client) == b"ping"
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(certs["self"], client)


def test_pinned_issuer_vouches_for_its_leaves_by_name(certs) -> None:
    client = client_context(pin_file=str(certs["ca"].cert_file))
    assert client.check_hostname
    assert handshake(certs["issued"], client) == b"ping"
    with pytest.raises(ssl.SSLCertVerificationError, match="IP address mismatch"):
        handshake(certs["issued_elsewhere"], client)
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(certs["self"], client)


def test_verification_can_be_turned_off_for_a_throwaway_simulator(certs) -> None:
    client = client_context(verify=False)
    assert client.verify_mode == ssl.CERT_NONE
    assert handshake(certs["elsewhere"], client) == b"ping"


def test_both_sides_refuse_anything_older_than_tls_1_2(certs) -> None:
    server = server_context(str(certs["self"].cert_file), str(certs["self"].key_file))
    assert server.minimum_version == ssl.TLSVersion.TLSv1_2
    for client in (
        client_context(),
        client_context(verify=False),
        client_context(pin_file=str(certs["self"].cert_file)),
    ):
        assert client.minimum_version == ssl.TLSVersion.TLSv1_2


def test_missing_files_name_the_file(tmp_path: Path, certs) -> None:
    missing = str(tmp_path / "nope.pem")
    with pytest.raises(TlsConfigError, match=r"pinned certificate file .*nope\.pem: not found"):
        client_context(pin_file=missing)
    with pytest.raises(TlsConfigError, match=r"CA file .*nope\.pem: not found"):
        client_context(cafile=missing)
    with pytest.raises(TlsConfigError, match=r"certificate file .*nope\.pem: not found"):
        server_context(missing, str(certs["self"].key_file))
    with pytest.raises(TlsConfigError, match=r"private key file .*nope\.pem: not found"):
        server_context(str(certs["self"].cert_file), missing)
    with pytest.raises(TlsConfigError, match="is not a file"):
        client_context(cafile=str(tmp_path))


def test_bad_files_say_what_is_wrong_without_showing_the_key(tmp_path: Path, certs) -> None:
    junk = tmp_path / "junk.pem"
    junk.write_text("hello\n")
    with pytest.raises(TlsConfigError, match="holds no PEM certificate"):
        client_context(pin_file=str(junk))
    with pytest.raises(TlsConfigError, match="holds no PEM certificate"):
        server_context(str(junk), str(certs["self"].key_file))
    # A key given as the certificate: still no certificate, and the key text is not echoed.
    key_text = certs["self"].key_file.read_text()
    with pytest.raises(TlsConfigError) as caught:
        client_context(cafile=str(certs["self"].key_file))
    assert "PRIVATE KEY" not in str(caught.value) and key_text[40:80] not in str(caught.value)
    with pytest.raises(TlsConfigError, match="does not match certificate file"):
        server_context(str(certs["self"].cert_file), str(certs["impostor"].key_file))
    with pytest.raises(TlsConfigError, match="could not be loaded"):
        server_context(str(certs["self"].cert_file), str(junk))


def test_contradictory_options_are_refused(certs) -> None:
    pem = str(certs["self"].cert_file)
    with pytest.raises(TlsConfigError, match="not both"):
        client_context(cafile=pem, pin_file=pem)
    with pytest.raises(TlsConfigError, match="verify=False"):
        client_context(verify=False, pin_file=pem)


def test_certificate_files_repr_hides_the_key(certs) -> None:
    text = repr(certs["self"])
    assert "self.pem" in text and "key=" not in text


def test_encrypted_key_needs_its_password_and_never_prompts(tmp_path: Path, certs) -> None:
    from cryptography.hazmat.primitives import serialization

    locked = tmp_path / "locked.key"
    locked.write_bytes(
        certs["self"].key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"s3cret-pass"),
        )
    )
    cert = str(certs["self"].cert_file)
    with pytest.raises(TlsConfigError, match="password is missing or wrong") as caught:
        server_context(cert, str(locked))
    assert "s3cret" not in str(caught.value)
    with pytest.raises(TlsConfigError, match="password is missing or wrong"):
        server_context(cert, str(locked), password="wrong")
    server = server_context(cert, str(locked), password="s3cret-pass")
    client = client_context(cafile=cert)
    assert asyncio.run(_handshake(server, client, "127.0.0.1")) == b"ping"
