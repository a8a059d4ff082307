"""``--tls-cert/--tls-key``: the child serves every FIX session over TLS, says so in the ready
file, and a client that trusts the certificate logs on; a plain-TCP client gets nowhere."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from workstation.fix.dialect import SessionType
from workstation.fix.events import LogonAccepted, LogoutReceived
from workstation.net.initiator import InitiatorState
from workstation.net.testing import make_certificate
from workstation.net.tls import client_context

from ..venue_harness import ClientKey, logged_on, make_key, wait_for
from .sim_process import READY_KEYS, connect, key_argument, launch


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> ClientKey:
    return make_key(tmp_path_factory.mktemp("keys"), "trader")


def test_tls_listeners_named_in_ready_file_and_a_verifying_client_logs_on(
    key: ClientKey, tmp_path: Path
) -> None:
    cert = make_certificate(tmp_path / "tls")
    sim = launch(
        tmp_path / "run",
        "--base-port",
        "0",
        "--key",
        key_argument(key),
        "--tls-cert",
        str(cert.cert_file),
        "--tls-key",
        str(cert.key_file),
    )

    async def scenario() -> None:
        info = sim.wait_ready()
        assert set(info) == READY_KEYS | {"certificate"}
        assert info["tls"] is True
        assert Path(info["certificate"]).resolve() == cert.cert_file.resolve()
        context = client_context(cafile=info["certificate"])
        secure = connect(
            info["host"], info["sessions"]["KalshiNR"], key, SessionType.NR, ssl_context=context
        )
        plain = connect(info["host"], info["sessions"]["KalshiRT"], key, SessionType.RT)
        try:
            await logged_on(secure)
            assert secure.of(LogonAccepted)
            # A client speaking plain FIX to a TLS port never gets a Logon answered.
            await asyncio.sleep(0.3)
            assert plain.initiator.state is not InitiatorState.ACTIVE
            assert not plain.of(LogonAccepted)
            await plain.initiator.stop()
            sim.send_signal(signal.SIGTERM)
            await wait_for(lambda: bool(secure.of(LogoutReceived)), timeout=10.0)
        finally:
            await plain.initiator.stop()
            await secure.initiator.stop()

    try:
        asyncio.run(scenario())
        assert sim.wait_exit() == 0
    finally:
        sim.kill()


def test_tls_key_that_does_not_match_the_certificate_is_refused(
    key: ClientKey, tmp_path: Path
) -> None:
    one = make_certificate(tmp_path / "one")
    other = make_certificate(tmp_path / "other")
    sim = launch(
        tmp_path / "run",
        "--base-port",
        "0",
        "--key",
        key_argument(key),
        "--tls-cert",
        str(one.cert_file),
        "--tls-key",
        str(other.key_file),
    )
    try:
        assert sim.wait_exit() == 2
        assert not sim.ready_file.exists()
        (line,) = sim.stderr.splitlines()
        assert "does not match" in line and str(one.cert_file) in line
        assert "PRIVATE KEY" not in sim.stderr
    finally:
        sim.kill()
