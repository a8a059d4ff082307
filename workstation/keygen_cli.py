"""``workstation keygen``: make or check the RSA key pair Kalshi's FIX API signs the Logon with.

As Kalshi's getting-started steps expect: a 2048-bit RSA key in PKCS#8 (optionally encrypted
with a passphrase), the public key PEM to paste into the account profile's "Create key" page,
and a check that an existing file is readable, RSA and at least 2048 bits.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from workstation.fix.keys import KeyFileError, check_key_file, generate_key_pair, public_key_pem

__all__ = ["add_keygen_parser", "run_keygen"]


def add_keygen_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "keygen",
        help="generate or check an RSA key pair for Kalshi's FIX Logon",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--out", type=Path, default=Path("."), help="directory for new files")
    parser.add_argument("--name", default="kalshi-fix", help="file name stem (default kalshi-fix)")
    parser.add_argument(
        "--encrypt", action="store_true", help="ask for a passphrase and encrypt the private key"
    )
    parser.add_argument(
        "--passphrase-stdin", action="store_true", help="read the passphrase from standard input"
    )
    parser.add_argument("--check", type=Path, metavar="KEYFILE", help="check an existing key")


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str | None:
    if args.passphrase_stdin:
        return sys.stdin.readline().rstrip("\n") or None
    if not args.encrypt:
        return None
    first = getpass.getpass("Passphrase for the private key: ")
    if confirm and first != getpass.getpass("Repeat the passphrase: "):
        raise KeyFileError(args.out, "the passphrases differ; nothing was written")
    return first or None


def run_keygen(args: argparse.Namespace) -> int:
    try:
        if args.check is not None:
            result = check_key_file(args.check, _passphrase(args, confirm=False))
            if result.needs_passphrase:
                print(f"{args.check}: encrypted; run again with --encrypt to give the passphrase")
                return 1
            if not result.ok:
                print(f"{args.check}: {result.problem}")
                return 1
            print(f"{args.check}: RSA {result.bits}-bit private key, fine for Kalshi FIX")
            print(f"public key SHA-256 fingerprint: {result.fingerprint}")
            return 0
        args.out.mkdir(parents=True, exist_ok=True)
        private = args.out / f"{args.name}.key.pem"
        public = args.out / f"{args.name}.pub.pem"
        key = generate_key_pair(private, public, _passphrase(args, confirm=True))
    except KeyFileError as exc:
        print(f"workstation keygen: {exc}", file=sys.stderr)
        return 1
    print(f"Private key (owner-only, keep it safe): {private}")
    print(f"Public key: {public}")
    print("Paste this public key into your Kalshi account profile (API keys → Create key):\n")
    print(public_key_pem(key))
    return 0
