"""The Logon signature: RSASSA-PSS over five header values of the Logon itself (SPEC §5).

The pre-hash is the text of tags 52, 35, 34, 49 and 56 of the Logon being sent, in that
order, joined by single SOH bytes, with no leading or trailing SOH and no ``tag=`` prefixes,
encoded as UTF-8::

    SendingTime ␁ A ␁ MsgSeqNum ␁ SenderCompID ␁ TargetCompID

It is signed with RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt, the digest length: the
parameters of Kalshi's PyCryptodome sample) and sent as standard Base64 with padding in RawData
(96), with its length in RawDataLength (95). SendingTime must be the exact text of tag 52: the
session builds that text once and passes the same string here and into the header.

Verification (the simulator's side) checks a 32-byte salt by default. Kalshi does not say
whether it accepts other salt lengths (SPEC §20.7); a client signing with another salt (for
example ``PSS.MAX_LENGTH``, as the ``cryptography`` documentation's example does) may well be
refused by Kalshi, so the simulator refuses it too unless ``any_salt_length=True``.

Nothing here logs, and no repr or exception message contains key material or a signature.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from workstation.fix.message import FixMessage

__all__ = [
    "SALT_LENGTH",
    "LogonSigner",
    "logon_prehash",
    "logon_signature_valid",
    "prehash_from_logon",
    "verify_logon_signature",
]

#: PSS salt length in bytes: the SHA-256 digest length (SPEC §5.3).
SALT_LENGTH = 32

#: Tags whose values form the pre-hash, in order (SPEC §5.2).
PREHASH_TAGS = (52, 35, 34, 49, 56)
_PREHASH_NAMES = ("SendingTime", "MsgType", "MsgSeqNum", "SenderCompID", "TargetCompID")


def _pss(*, any_salt_length: bool = False) -> padding.PSS:
    salt = padding.PSS.AUTO if any_salt_length else SALT_LENGTH
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=salt)


def logon_prehash(sending_time: str, seq: int, sender: str, target: str) -> bytes:
    """The bytes a Logon signs: ``52␁A␁34␁49␁56`` values, UTF-8.

    Raises ``ValueError`` if a value contains SOH (the pre-hash would be ambiguous, and no
    such value can appear in a FIX field) or ``seq`` is not a positive integer.
    """
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise ValueError(f"MsgSeqNum must be a positive integer, not {seq!r}")
    values = (sending_time, "A", str(seq), sender, target)
    for name, value in zip(_PREHASH_NAMES, values, strict=True):
        if "\x01" in value or not value:
            raise ValueError(f"{name} must be non-empty text without SOH")
    return "\x01".join(values).encode("utf-8")


def prehash_from_logon(msg: FixMessage) -> bytes:
    """The pre-hash rebuilt from fields 52/35/34/49/56 of a received Logon.

    The values are used exactly as received: a message's text is the wire bytes decoded as
    latin-1, so encoding it back as latin-1 gives the bytes the peer signed. Raises
    :class:`~workstation.fix.message.FieldMissing` if one of the five tags is absent.
    """
    return b"\x01".join(msg.require(tag).encode("latin-1") for tag in PREHASH_TAGS)


class LogonSigner:
    """Signs Logon pre-hashes with one RSA private key; ``signer(prehash) -> base64 text``.

    This is the ``signer`` the session calls with the pre-hash of each Logon it sends.
    """

    __slots__ = ("_key",)

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        if not isinstance(private_key, rsa.RSAPrivateKey):
            raise TypeError(f"an RSA private key is required, not {type(private_key).__name__}")
        self._key = private_key

    @property
    def key_size(self) -> int:
        return self._key.key_size

    def public_key(self) -> rsa.RSAPublicKey:
        return self._key.public_key()

    def __call__(self, prehash: bytes) -> str:
        signature = self._key.sign(prehash, _pss(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")

    def __repr__(self) -> str:
        return f"LogonSigner(<RSA {self._key.key_size}-bit private key>)"


def verify_logon_signature(
    public_key: rsa.RSAPublicKey,
    prehash: bytes,
    signature_b64: str,
    *,
    any_salt_length: bool = False,
) -> bool:
    """True if ``signature_b64`` is a valid Logon signature of ``prehash`` under the key.

    Expects standard Base64 (padding included, nothing else allowed) of an RSASSA-PSS
    SHA-256/MGF1-SHA-256 signature with a 32-byte salt; ``any_salt_length=True`` accepts any
    salt length. Never raises on bad input: garbage Base64, a signature of the wrong length or
    a non-ASCII string simply give False.
    """
    try:
        signature = base64.b64decode(signature_b64.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError, AttributeError):
        return False
    if len(signature) != (public_key.key_size + 7) // 8:
        return False
    try:
        public_key.verify(
            signature, prehash, _pss(any_salt_length=any_salt_length), hashes.SHA256()
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def logon_signature_valid(
    public_key: rsa.RSAPublicKey, logon: FixMessage, *, any_salt_length: bool = False
) -> bool:
    """True if a received Logon carries a valid signature (96) over its own 52/35/34/49/56.

    False (never an exception) when any of those fields or RawData is missing.
    """
    if logon.msg_type != "A":
        return False
    signature = logon.get(96)
    if signature is None or any(tag not in logon for tag in PREHASH_TAGS):
        return False
    return verify_logon_signature(
        public_key, prehash_from_logon(logon), signature, any_salt_length=any_salt_length
    )
