"""Kalshi's signed REST requests: checking ``KALSHI-ACCESS-*`` headers on the simulator.

Source: Kalshi's "Quick Start: Authenticated Requests" and "API Keys" pages
(docs.kalshi.com/getting_started/quick_start_authenticated_requests,
docs.kalshi.com/getting_started/api_keys), read through the search tool. Every authenticated
request carries three headers:

=========================  ====================================================
``KALSHI-ACCESS-KEY``      the API key id (a UUID)
``KALSHI-ACCESS-TIMESTAMP``  the request time in milliseconds since the epoch
``KALSHI-ACCESS-SIGNATURE``  Base64 of the RSA-PSS SHA-256 signature of the message
=========================  ====================================================

The signed message is ``timestamp + METHOD + path``, e.g.
``1703123456789GET/trade-api/v2/portfolio/balance``: the path as sent, **without the query
string**. RSA-PSS uses SHA-256, MGF1-SHA-256 and a salt of the digest length (32 bytes) — the
same parameters as the FIX Logon signature (SPEC §5.3), so the check is
:func:`workstation.fix.auth.verify_logon_signature` over this message.

Kalshi does not publish how old a timestamp may be [Inferred]: we allow
:data:`DEFAULT_TOLERANCE_S` either way, the same as the FIX SendingTime tolerance of the
current dialect. The timestamp is compared with the *wall* clock, not the venue clock the
admin port can move forward: clients sign with their own wall clock.

Failures raise :class:`AuthError`, whose text names the header and the fix; no message ever
contains a signature or key material.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Mapping

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from workstation.fix.auth import SALT_LENGTH, verify_logon_signature
from workstation.simulator.registry import KeyRegistry, RegisteredKey

__all__ = [
    "ACCESS_KEY",
    "ACCESS_SIGNATURE",
    "ACCESS_TIMESTAMP",
    "DEFAULT_TOLERANCE_S",
    "AuthError",
    "RequestVerifier",
    "sign_request",
    "signed_message",
]

ACCESS_KEY = "KALSHI-ACCESS-KEY"
ACCESS_TIMESTAMP = "KALSHI-ACCESS-TIMESTAMP"
ACCESS_SIGNATURE = "KALSHI-ACCESS-SIGNATURE"
DEFAULT_TOLERANCE_S = 30.0


class AuthError(Exception):
    """A signed request was refused; the text says which header is wrong and how."""


def signed_message(timestamp_ms: str, method: str, path: str) -> bytes:
    """The bytes a request signs: timestamp, upper-case method, path without its query."""
    return f"{timestamp_ms}{method.upper()}{path.split('?', 1)[0]}".encode()


def sign_request(
    private_key: rsa.RSAPrivateKey, key_id: str, method: str, path: str, now: float
) -> dict[str, str]:
    """The three headers of a request signed at ``now`` (epoch seconds)."""
    timestamp = str(int(now * 1000))
    signature = private_key.sign(
        signed_message(timestamp, method, path),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=SALT_LENGTH),
        hashes.SHA256(),
    )
    return {
        ACCESS_KEY: key_id,
        ACCESS_TIMESTAMP: timestamp,
        ACCESS_SIGNATURE: base64.b64encode(signature).decode("ascii"),
    }


class RequestVerifier:
    """Checks a request's ``KALSHI-ACCESS-*`` headers against the venue's registered keys."""

    def __init__(
        self,
        registry: KeyRegistry,
        *,
        tolerance: float = DEFAULT_TOLERANCE_S,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.registry = registry
        self.tolerance = tolerance
        self.clock = clock

    def verify(self, headers: Mapping[str, str], method: str, path: str) -> RegisteredKey:
        """The key that signed the request; raises :class:`AuthError` if none did.

        ``headers`` are looked up case-insensitively (HTTP header names are).
        """
        lowered = {name.lower(): value for name, value in headers.items()}
        key_id = lowered.get(ACCESS_KEY.lower(), "").strip()
        timestamp = lowered.get(ACCESS_TIMESTAMP.lower(), "").strip()
        signature = lowered.get(ACCESS_SIGNATURE.lower(), "").strip()
        missing = [
            name
            for name, value in (
                (ACCESS_KEY, key_id),
                (ACCESS_TIMESTAMP, timestamp),
                (ACCESS_SIGNATURE, signature),
            )
            if not value
        ]
        if missing:
            raise AuthError(f"missing header {', '.join(missing)}: this request must be signed")
        key = self.registry.key(key_id)
        if key is None:
            raise AuthError(f"{ACCESS_KEY}: unknown API key {key_id!r}")
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 16):
            raise AuthError(f"{ACCESS_TIMESTAMP} must be the time in milliseconds since the epoch")
        skew = int(timestamp) / 1000 - self.clock()
        if abs(skew) > self.tolerance:
            raise AuthError(
                f"{ACCESS_TIMESTAMP} is {skew:+.1f} s from server time "
                f"(tolerance {self.tolerance:g} s): sign with the current time"
            )
        if not verify_logon_signature(
            key.public_key, signed_message(timestamp, method, path), signature
        ):
            raise AuthError(
                f"{ACCESS_SIGNATURE} is not a valid RSA-PSS SHA-256 signature of "
                "timestamp + method + path (path without the query string)"
            )
        return key
