"""The Logon signature: exact pre-hash bytes, RSA-PSS parameters, and a tolerant verifier.

KNOWN_PUBLIC_KEY and KNOWN_SIGNATURE were made outside this code base, with the OpenSSL
command line and a throw-away key (its private half was deleted):

    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem
    openssl pkey -in k.pem -pubout -out k.pub
    printf '20230809-05:28:18.035\\001A\\0011\\001550e8400-…-446655440000\\001KalshiNR' > pre
    openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 \\
        -sigopt rsa_mgf1_md:sha256 -sign k.pem pre | base64 -w0

MAX_SALT_SIGNATURE is the same with ``rsa_pss_saltlen:222`` (the longest salt a 2048-bit key
allows, what ``PSS.MAX_LENGTH`` gives).
"""

from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from workstation.fix.auth import (
    LogonSigner,
    logon_prehash,
    logon_signature_valid,
    prehash_from_logon,
    verify_logon_signature,
)
from workstation.fix.codec import encode_message, parse_frame
from workstation.fix.message import FieldMissing, FixMessage

KNOWN_FIELDS = ("20230809-05:28:18.035", 1, "550e8400-e29b-41d4-a716-446655440000", "KalshiNR")
KNOWN_PREHASH = (
    b"20230809-05:28:18.035\x01A\x011\x01550e8400-e29b-41d4-a716-446655440000\x01KalshiNR"
)
KNOWN_PUBLIC_KEY = b"""-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA4cgWrk56oeVXc+TgJPKl
eqEIqikYLwKo5HCv5IiUxXgwMK9EIZi2BcCPxIQrwmwG2hKfjUWrSPYV0cSc+7AR
GuPczEywbIhryS9dBq81Crnuw0T3k++6SzSLCvQ+eYcv8aZq65W53OL8urPIzMXf
S3u0Og32/HIrIw6Hof4Hptv7uJ6wKQ5fx53E5plQ4gMwKvYEIetOfqB5Z6Nia/nN
VYiY0KAZ66ljSRjCpMhXAOkm9zxfsXFe6kau5ooYLFp2miTe2xrAOB3wiSpRQOHX
rqCvinTNz/6De4Gr/7SGWPJJtmrmumD+QsXw1/xHUDfzinY9cOpI8C3CQXpb5BfT
8QIDAQAB
-----END PUBLIC KEY-----
"""
KNOWN_SIGNATURE = (
    "M8Q9V9rZ8gLs9ifBwAmUTUnBTbALUVbEliiZPOyii6oHG47ETREYHNGfk5PbOSWRzwmixRV0jsV+DsOUZCAtNfaf"
    "BRGBDh4UZSY22eFYqNcIyahlAw2MxTl0rpO4x1ES/lo4gHtZ24aVuQl4G4o7M+AGq6SMPxzY79u6U4vbYpBGELDr"
    "rjb8/89kvInQbqXALNnlRBtaWWW56Qe0TVLM4Avugr7hy6O30FUISSvCYmPk4v1tZF5OY/GpetHS4VUDaF9XfySD"
    "ocYUcNWYZmyPIdaSbDOaaGWYdjQCCGaxLkR8p5xfpDjAw8RzwAa/D1DgKt3/XA9LpquzIc9drIM32A=="
)
MAX_SALT_SIGNATURE = (
    "CfWajqu2bMnJYeYPii1TdEZ5yN1N8QnDQ3cCwsxwu8so4T0IsTApHyFuFJLAlb0vCXc/cjioguFUvR3Tpl/9Wrea"
    "xEVZx/92JL5Qpzz3i6IC2aBwbLjuTFw7/wyldaxX/oQ1DO+1LM4WL+pMYBIvuzfjLoIfdxtEFFEAbnE8tzkpju6v"
    "S6It6q1586S1xh1T/YyFhN6FjdOrg8IAytTPI/fjVvY6uDl3f5NkPDkSP1/MlB/WM5v7+HKN4ACAFavlLciKsv2o"
    "gKz1loeV1EA82NA6EZaGr5nEU2iTQndxK3hxlj/PrgMr2IJ9R7ULJfn2aPLOy18ZN/h10z8B40olnA=="
)


@pytest.fixture(scope="module")
def known_public_key() -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(KNOWN_PUBLIC_KEY)
    assert isinstance(key, rsa.RSAPublicKey)
    return key


@pytest.fixture(scope="module")
def private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def logon_frame(
    signer: LogonSigner,
    sending_time: str = "20250926-21:54:07.001",
    seq: int = 1,
    sender: str = "550e8400-e29b-41d4-a716-446655440000",
    target: str = "KalshiRT",
) -> bytes:
    signature = signer(logon_prehash(sending_time, seq, sender, target))
    header = [(49, sender), (56, target), (34, str(seq)), (52, sending_time)]
    body = [(98, "0"), (108, "30"), (95, str(len(signature))), (96, signature), (1137, "9")]
    return encode_message("A", header, body)


# --- the pre-hash -----------------------------------------------------------------------


def test_prehash_is_the_five_values_soh_separated() -> None:
    assert logon_prehash(*KNOWN_FIELDS) == KNOWN_PREHASH
    assert not KNOWN_PREHASH.startswith(b"\x01") and not KNOWN_PREHASH.endswith(b"\x01")
    assert KNOWN_PREHASH.count(b"\x01") == 4


def test_prehash_uses_the_decimal_sequence_number() -> None:
    assert logon_prehash("20230809-05:28:18.035", 1083, "k", "KalshiRT").split(b"\x01")[2] == (
        b"1083"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("2023\x01", 1, "k", "KalshiNR"),
        ("20230809-05:28:18.035", 1, "k\x01", "KalshiNR"),
        ("20230809-05:28:18.035", 1, "k", ""),
        ("20230809-05:28:18.035", 0, "k", "KalshiNR"),
        ("20230809-05:28:18.035", True, "k", "KalshiNR"),
    ],
)
def test_prehash_refuses_ambiguous_values(args: tuple[str, int, str, str]) -> None:
    with pytest.raises(ValueError):
        logon_prehash(*args)


def test_prehash_from_a_received_logon(private_key: rsa.RSAPrivateKey) -> None:
    msg = parse_frame(logon_frame(LogonSigner(private_key)))
    assert prehash_from_logon(msg) == logon_prehash(
        "20250926-21:54:07.001", 1, "550e8400-e29b-41d4-a716-446655440000", "KalshiRT"
    )


def test_prehash_from_logon_gives_back_the_utf8_bytes_on_the_wire() -> None:
    # The codec decodes frames as latin-1, byte for byte; the pre-hash must be the bytes.
    sender = "clé-ü"
    wire = sender.encode("utf-8").decode("latin-1")
    msg = FixMessage([(35, "A"), (49, wire), (56, "KalshiNR"), (34, "7"), (52, "t")])
    assert prehash_from_logon(msg) == logon_prehash("t", 7, sender, "KalshiNR")


def test_prehash_from_logon_needs_all_five_fields() -> None:
    msg = FixMessage([(35, "A"), (49, "k"), (56, "KalshiNR"), (34, "1")])
    with pytest.raises(FieldMissing) as caught:
        prehash_from_logon(msg)
    assert caught.value.tag == 52


# --- verification against the independently made vector ---------------------------------


def test_known_signature_verifies(known_public_key: rsa.RSAPublicKey) -> None:
    assert verify_logon_signature(known_public_key, KNOWN_PREHASH, KNOWN_SIGNATURE)


@pytest.mark.parametrize("field", range(4))
def test_one_byte_change_in_any_field_fails(known_public_key: rsa.RSAPublicKey, field: int) -> None:
    values = list(KNOWN_FIELDS)
    if field == 1:
        values[1] = 2
    else:
        text = str(values[field])
        values[field] = text[:-1] + chr(ord(text[-1]) ^ 1)
    prehash = logon_prehash(*values)  # type: ignore[arg-type]
    assert len(prehash) == len(KNOWN_PREHASH)
    assert not verify_logon_signature(known_public_key, prehash, KNOWN_SIGNATURE)


def test_a_different_msg_type_in_the_prehash_fails(known_public_key: rsa.RSAPublicKey) -> None:
    # The fifth value of the pre-hash is the MsgType: a one-byte change there fails too.
    prehash = KNOWN_PREHASH.replace(b"\x01A\x01", b"\x01B\x01")
    assert not verify_logon_signature(known_public_key, prehash, KNOWN_SIGNATURE)


def test_one_byte_change_in_the_signature_fails(known_public_key: rsa.RSAPublicKey) -> None:
    raw = bytearray(base64.b64decode(KNOWN_SIGNATURE))
    raw[100] ^= 0x01
    tampered = base64.b64encode(bytes(raw)).decode()
    assert not verify_logon_signature(known_public_key, KNOWN_PREHASH, tampered)


def test_wrong_key_fails(private_key: rsa.RSAPrivateKey) -> None:
    assert not verify_logon_signature(private_key.public_key(), KNOWN_PREHASH, KNOWN_SIGNATURE)


def test_other_salt_lengths_are_refused_unless_asked(known_public_key: rsa.RSAPublicKey) -> None:
    assert not verify_logon_signature(known_public_key, KNOWN_PREHASH, MAX_SALT_SIGNATURE)
    assert verify_logon_signature(
        known_public_key, KNOWN_PREHASH, MAX_SALT_SIGNATURE, any_salt_length=True
    )
    assert verify_logon_signature(
        known_public_key, KNOWN_PREHASH, KNOWN_SIGNATURE, any_salt_length=True
    )


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "!!!!",
        "abc",  # bad padding
        "QUJD\nREVG",  # a newline inside
        " " + KNOWN_SIGNATURE,
        KNOWN_SIGNATURE + "==",
        KNOWN_SIGNATURE[:-4],  # one block short
        base64.b64encode(b"\x00" * 256).decode(),  # right length, not a signature
        base64.b64encode(b"\xff" * 256).decode(),  # right length, larger than the modulus
        base64.b64encode(b"x" * 512).decode(),
        "é" * 344,
    ],
)
def test_garbage_signatures_are_false_not_errors(
    known_public_key: rsa.RSAPublicKey, garbage: str
) -> None:
    assert verify_logon_signature(known_public_key, KNOWN_PREHASH, garbage) is False
    assert (
        verify_logon_signature(known_public_key, KNOWN_PREHASH, garbage, any_salt_length=True)
        is False
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_as_signature_never_raises(text: str) -> None:
    key = serialization.load_pem_public_key(KNOWN_PUBLIC_KEY)
    assert isinstance(key, rsa.RSAPublicKey)
    assert verify_logon_signature(key, KNOWN_PREHASH, text) is False


# --- signing ------------------------------------------------------------------------------


def test_signature_is_padded_base64_pss_sha256_with_32_byte_salt(
    private_key: rsa.RSAPrivateKey,
) -> None:
    signature = LogonSigner(private_key)(KNOWN_PREHASH)
    assert len(signature) == 344 and signature.endswith("=")
    raw = base64.b64decode(signature, validate=True)
    assert len(raw) == 256
    public = private_key.public_key()
    # Checked with explicit parameters, independently of verify_logon_signature: OpenSSL
    # verifies the salt length exactly when it is given.
    pss32 = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    public.verify(raw, KNOWN_PREHASH, pss32, hashes.SHA256())
    pss20 = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=20)
    with pytest.raises(InvalidSignature):
        public.verify(raw, KNOWN_PREHASH, pss20, hashes.SHA256())
    with pytest.raises(InvalidSignature):
        public.verify(raw, KNOWN_PREHASH, padding.PKCS1v15(), hashes.SHA256())
    assert verify_logon_signature(public, KNOWN_PREHASH, signature)


def test_signatures_are_randomised_and_all_verify(private_key: rsa.RSAPrivateKey) -> None:
    signer = LogonSigner(private_key)
    first, second = signer(KNOWN_PREHASH), signer(KNOWN_PREHASH)
    assert first != second
    public = signer.public_key()
    assert verify_logon_signature(public, KNOWN_PREHASH, first)
    assert verify_logon_signature(public, KNOWN_PREHASH, second)


def test_signer_repr_shows_no_key_material(private_key: rsa.RSAPrivateKey) -> None:
    signer = LogonSigner(private_key)
    assert repr(signer) == "LogonSigner(<RSA 2048-bit private key>)"
    assert signer.key_size == 2048
    modulus = str(private_key.private_numbers().public_numbers.n)
    assert modulus[:12] not in repr(signer) and modulus[:12] not in str(signer)


def test_signer_refuses_a_non_rsa_key() -> None:
    with pytest.raises(TypeError, match="RSA private key"):
        LogonSigner(ec.generate_private_key(ec.SECP256R1()))  # type: ignore[arg-type]


# --- a whole received Logon ---------------------------------------------------------------


def test_signed_logon_frame_is_accepted(private_key: rsa.RSAPrivateKey) -> None:
    msg = parse_frame(logon_frame(LogonSigner(private_key)))
    assert msg.get(95) == str(len(msg.require(96)))
    assert logon_signature_valid(private_key.public_key(), msg)


def test_logon_whose_header_changed_after_signing_is_refused(
    private_key: rsa.RSAPrivateKey,
) -> None:
    signer = LogonSigner(private_key)
    frame = logon_frame(signer).replace(b"52=20250926-21:54:07.001", b"52=20250926-21:54:07.002")
    msg = parse_frame(frame)
    assert msg.get(52) == "20250926-21:54:07.002"
    assert not logon_signature_valid(private_key.public_key(), msg)


def test_logon_without_signature_or_fields_is_refused(private_key: rsa.RSAPrivateKey) -> None:
    public = private_key.public_key()
    unsigned = encode_message(
        "A", [(49, "k"), (56, "KalshiNR"), (34, "1"), (52, "20250926-21:54:07.001")], [(98, "0")]
    )
    assert not logon_signature_valid(public, parse_frame(unsigned))
    signature = LogonSigner(private_key)(logon_prehash("t", 1, "k", "KalshiNR"))
    no_time = FixMessage([(35, "A"), (49, "k"), (56, "KalshiNR"), (34, "1"), (96, signature)])
    assert not logon_signature_valid(public, no_time)
    not_logon = FixMessage(
        [(35, "0"), (49, "k"), (56, "KalshiNR"), (34, "1"), (52, "t"), (96, signature)]
    )
    assert not logon_signature_valid(public, not_logon)
