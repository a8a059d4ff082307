"""Bad input on the command line: exit status 2 and one line on stderr that names the problem
(no traceback, no ready file); a port already taken: a clear error and a non-zero exit."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..venue_harness import ClientKey, make_key
from .sim_process import key_argument, run_to_exit


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> ClientKey:
    return make_key(tmp_path_factory.mktemp("keys"), "trader")


@dataclass(frozen=True)
class Case:
    """Command-line arguments built in a directory, and the words the one error line holds."""

    arguments: Callable[[Path, ClientKey], list[str]]
    expected: Callable[[Path, ClientKey], list[str]]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _markets_syntax(d: Path, k: ClientKey) -> list[str]:
    markets = _write(d / "markets.toml", '[[event]]\nticker = "KXA-1"\ntitle = \n')
    return ["--key", key_argument(k), "--markets", str(markets)]


def _markets_no_ticker(d: Path, k: ClientKey) -> list[str]:
    text = '[[event]]\nticker = "KXA-1"\ntitle = "A"\n\n[[event.market]]\ntitle = "no ticker"\n'
    return ["--key", key_argument(k), "--markets", str(_write(d / "markets.toml", text))]


def _accounts_balance(d: Path, k: ClientKey) -> list[str]:
    text = '[[account]]\nid = "desk"\nbalance = "lots"\n'
    return ["--accounts", str(_write(d / "accounts.toml", text))]


def _accounts_missing_key(d: Path, k: ClientKey) -> list[str]:
    text = '[[account]]\nid = "desk"\n\n[[account.key]]\nid = "k-1"\npublic_key = "gone.pem"\n'
    return ["--accounts", str(_write(d / "accounts.toml", text))]


CASES: dict[str, Case] = {
    "key file missing": Case(
        lambda d, k: ["--key", f"{k.key_id}={d / 'absent.pub.pem'}"],
        lambda d, k: [str(d / "absent.pub.pem"), "not found"],
    ),
    "key without UUID=": Case(
        lambda d, k: ["--key", str(k.public_path)],
        lambda d, k: ["--key", "UUID=PUBKEY.pem"],
    ),
    "key with empty UUID": Case(
        lambda d, k: ["--key", f"={k.public_path}"],
        lambda d, k: ["--key", "UUID=PUBKEY.pem"],
    ),
    "key file not PEM": Case(
        lambda d, k: ["--key", f"{k.key_id}={_write(d / 'notes.pem', 'hello')}"],
        lambda d, k: [str(d / "notes.pem"), "not a PEM public key"],
    ),
    "private key given as public": Case(
        lambda d, k: ["--key", f"{k.key_id}={k.public_path.with_name('trader.key.pem')}"],
        lambda d, k: ["trader.key.pem", "not a PEM public key"],
    ),
    "markets file missing": Case(
        lambda d, k: ["--key", key_argument(k), "--markets", str(d / "absent.toml")],
        lambda d, k: [str(d / "absent.toml"), "cannot be read"],
    ),
    "markets file not TOML": Case(
        _markets_syntax, lambda d, k: [str(d / "markets.toml"), "syntax"]
    ),
    "market without ticker": Case(
        _markets_no_ticker, lambda d, k: [str(d / "markets.toml"), "ticker", "missing"]
    ),
    "accounts file missing": Case(
        lambda d, k: ["--accounts", str(d / "absent.toml")],
        lambda d, k: [str(d / "absent.toml"), "cannot read the accounts file"],
    ),
    "accounts balance not money": Case(
        _accounts_balance, lambda d, k: [str(d / "accounts.toml"), "line 3", "balance 'lots'"]
    ),
    "accounts key file missing": Case(
        _accounts_missing_key, lambda d, k: [str(d / "accounts.toml"), "k-1", "gone.pem"]
    ),
    "tls cert without key": Case(
        lambda d, k: ["--key", key_argument(k), "--tls-cert", str(d / "c.pem")],
        lambda d, k: ["--tls-cert and --tls-key go together"],
    ),
    "tls cert not a certificate": Case(
        lambda d, k: [
            "--key",
            key_argument(k),
            "--tls-cert",
            str(k.public_path),
            "--tls-key",
            str(k.public_path),
        ],
        lambda d, k: [str(k.public_path), "no PEM certificate"],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_exits_2_with_one_line_naming_it(
    key: ClientKey, tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    ready = tmp_path / "ready.json"
    done = run_to_exit(
        "--base-port", "0", "--ready-file", str(ready), *case.arguments(tmp_path, key)
    )
    assert done.returncode == 2, done
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    (line,) = lines
    assert line.startswith("workstation-sim: ")
    for word in case.expected(tmp_path, key):
        assert word in line, (word, line)
    assert "Traceback" not in done.stderr
    assert not ready.exists()
    assert done.stdout == ""


def test_private_key_text_never_reaches_stderr(key: ClientKey, tmp_path: Path) -> None:
    private = key.public_path.with_name("trader.key.pem")
    done = run_to_exit("--base-port", "0", "--key", f"{key.key_id}={private}")
    assert done.returncode == 2
    body = [ln for ln in private.read_text().splitlines() if ln and not ln.startswith("-----")]
    assert body and not any(chunk in done.stderr for chunk in body)


@contextmanager
def occupied_port() -> Iterator[int]:
    """A loopback port held by a listening socket for the duration."""
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])
    finally:
        holder.close()


@pytest.mark.parametrize("offset", [0, 2], ids=["KalshiNR's port", "KalshiRT's port"])
def test_occupied_port_is_a_clear_error(key: ClientKey, tmp_path: Path, offset: int) -> None:
    ready = tmp_path / "ready.json"
    with occupied_port() as port:
        base = port - offset
        done = run_to_exit(
            "--base-port", str(base), "--ready-file", str(ready), "--key", key_argument(key)
        )
    assert done.returncode != 0
    (line,) = done.stderr.splitlines()
    assert line.startswith("workstation-sim: cannot start")
    assert "in use" in line
    # The port held here, unless one below it was taken by someone else first.
    assert any(str(base + n) in line for n in range(5)), line
    assert not ready.exists()


def test_unknown_dialect_is_a_usage_error(key: ClientKey, tmp_path: Path) -> None:
    done = run_to_exit("--base-port", "0", "--key", key_argument(key), "--dialect", "9.9")
    assert done.returncode == 2
    assert "--dialect" in done.stderr and "invalid choice" in done.stderr
    assert "Traceback" not in done.stderr


def test_ready_file_in_a_missing_directory_fails_before_listening(
    key: ClientKey, tmp_path: Path
) -> None:
    missing = tmp_path / "not-made"
    ready = missing / "ready.json"
    # KalshiNR's port is taken: had the venue tried to listen first, it would say "in use".
    with occupied_port() as port:
        done = run_to_exit(
            "--base-port", str(port), "--ready-file", str(ready), "--key", key_argument(key)
        )
    assert done.returncode == 2, done
    (line,) = done.stderr.splitlines()
    assert line.startswith("workstation-sim: --ready-file")
    assert f"directory {missing} does not exist" in line
    assert "in use" not in line and done.stdout == ""
    assert not missing.exists()
