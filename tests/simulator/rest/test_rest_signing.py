"""Signed requests: Kalshi's KALSHI-ACCESS-* headers, checked with real RSA keys."""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from workstation.simulator.rest.signing import (
    ACCESS_KEY,
    ACCESS_SIGNATURE,
    ACCESS_TIMESTAMP,
    AuthError,
    RequestVerifier,
    sign_request,
    signed_message,
)

from ..admin.support import registry_for, running_venue
from ..venue_harness import ClientKey, make_key
from .http_client import get, signed

BALANCE = "/trade-api/v2/portfolio/balance"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ClientKey]:
    directory = tmp_path_factory.mktemp("keys")
    return {name: make_key(directory, name) for name in ("alice", "bob", "mallory")}


def run(coro: Any) -> None:
    asyncio.run(coro)


def test_the_signed_message_is_timestamp_method_and_path_without_query() -> None:
    assert signed_message("1703123456789", "get", "/trade-api/v2/portfolio/orders?limit=5") == (
        b"1703123456789GET/trade-api/v2/portfolio/orders"
    )


def test_verifier_accepts_a_good_signature_and_names_the_account(
    keys: dict[str, ClientKey],
) -> None:
    registry = registry_for({k: keys[k] for k in ("alice", "bob")})
    now = 1_800_000_000.0
    verifier = RequestVerifier(registry, clock=lambda: now)
    alice = keys["alice"]
    headers = sign_request(alice.private_key, alice.key_id, "GET", BALANCE, now - 5)
    assert verifier.verify(headers, "GET", BALANCE).account == "acct-a"
    lowered = {name.lower(): value for name, value in headers.items()}
    assert verifier.verify(lowered, "GET", BALANCE).account == "acct-a"


def test_verifier_accepts_a_signature_made_the_way_kalshis_sample_does(
    keys: dict[str, ClientKey],
) -> None:
    """Kalshi's sample: PSS with MGF1(SHA-256) and salt = digest length, standard Base64."""
    alice = keys["alice"]
    now = 1_800_000_000.0
    timestamp = str(int(now * 1000))
    signature = alice.private_key.sign(
        f"{timestamp}GET{BALANCE}".encode(),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH),
        hashes.SHA256(),
    )
    headers = {
        ACCESS_KEY: alice.key_id,
        ACCESS_TIMESTAMP: timestamp,
        ACCESS_SIGNATURE: base64.b64encode(signature).decode(),
    }
    verifier = RequestVerifier(registry_for({"alice": alice}), clock=lambda: now)
    assert verifier.verify(headers, "GET", BALANCE).key_id == alice.key_id


def _refusal(verifier: RequestVerifier, headers: dict[str, str], path: str = BALANCE) -> str:
    with pytest.raises(AuthError) as caught:
        verifier.verify(headers, "GET", path)
    return str(caught.value)


def test_verifier_refusals_say_why_and_leak_nothing(keys: dict[str, ClientKey]) -> None:
    registry = registry_for({k: keys[k] for k in ("alice", "bob")})
    now = 1_800_000_000.0
    verifier = RequestVerifier(registry, clock=lambda: now)
    alice, mallory = keys["alice"], keys["mallory"]
    good = sign_request(alice.private_key, alice.key_id, "GET", BALANCE, now)

    assert "missing header KALSHI-ACCESS-SIGNATURE" in _refusal(
        verifier, {k: v for k, v in good.items() if k != ACCESS_SIGNATURE}
    )
    stranger = sign_request(mallory.private_key, mallory.key_id, "GET", BALANCE, now)
    assert "unknown API key" in _refusal(verifier, stranger)
    forged = sign_request(mallory.private_key, alice.key_id, "GET", BALANCE, now)
    text = _refusal(verifier, forged)
    assert "not a valid RSA-PSS SHA-256 signature" in text
    assert forged[ACCESS_SIGNATURE] not in text
    other_path = _refusal(verifier, good, "/trade-api/v2/portfolio/positions")
    assert "not a valid" in other_path
    stale = sign_request(alice.private_key, alice.key_id, "GET", BALANCE, now - 31)
    assert "tolerance 30 s" in _refusal(verifier, stale)
    future = sign_request(alice.private_key, alice.key_id, "GET", BALANCE, now + 31)
    assert "+31.0 s" in _refusal(verifier, future)
    assert "milliseconds" in _refusal(verifier, {**good, ACCESS_TIMESTAMP: "yesterday"})
    assert "milliseconds" in _refusal(verifier, {**good, ACCESS_TIMESTAMP: "9" * 400})
    assert "not a valid" in _refusal(verifier, {**good, ACCESS_SIGNATURE: "%%%not base64%%%"})


def test_signed_request_over_http(keys: dict[str, ClientKey], tmp_path: Path) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            port = running.rest_port
            alice, mallory = keys["alice"], keys["mallory"]
            target = f"{BALANCE}?subaccount=0"
            ok = await get(
                port, target, signed(alice.private_key, alice.key_id, target, time.time())
            )
            assert ok.status == 200 and ok.body["balance"] == 1_000_000

            unsigned = await get(port, BALANCE)
            assert unsigned.status == 401
            assert unsigned.body["error"]["code"] == "unauthorized"
            assert "must be signed" in unsigned.body["error"]["message"]

            forged = signed(mallory.private_key, alice.key_id, BALANCE, time.time())
            bad = await get(port, BALANCE, forged)
            assert bad.status == 401 and "signature" in bad.body["error"]["message"]

            unknown = signed(mallory.private_key, "not-a-key", BALANCE, time.time())
            nobody = await get(port, BALANCE, unknown)
            assert nobody.status == 401 and "unknown API key" in nobody.body["error"]["message"]

            old = signed(alice.private_key, alice.key_id, BALANCE, time.time() - 600)
            stale = await get(port, BALANCE, old)
            assert stale.status == 401 and "tolerance" in stale.body["error"]["message"]

            # Public resources need no signature, and ignore one.
            public = await get(port, "/trade-api/v2/markets?limit=1", forged)
            assert public.status == 200

    run(scenario())


def test_the_venue_clock_does_not_move_the_signature_window(
    keys: dict[str, ClientKey], tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with running_venue(keys, tmp_path) as running:
            running.venue.clock.advance(6 * 3600)
            alice = keys["alice"]
            headers = signed(alice.private_key, alice.key_id, BALANCE, time.time())
            reply = await get(running.rest_port, BALANCE, headers)
            assert reply.status == 200

    run(scenario())
