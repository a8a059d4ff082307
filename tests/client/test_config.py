"""The settings file: defaults, round trip, and errors that name the line and the fix."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from workstation.client.config import ConfigError, WorkstationConfig, dump_config, load_config
from workstation.client.profiles import PRODUCTION_HOST, VenueKind
from workstation.fix.dialect import Dialect, SessionType


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "workstation.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_local_profile(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml")
    assert config.active.kind is VenueKind.LOCAL
    enabled = [s.session_type for s in config.active.enabled_sessions()]
    assert enabled == [SessionType.RT, SessionType.DC, SessionType.PT, SessionType.RFQ]
    assert config.profiles["production"].host == PRODUCTION_HOST


def test_round_trip_keeps_every_setting(tmp_path: Path) -> None:
    text = """
profile = "demo"
poll_seconds = 2.5

[risk]
max_contracts = 250
max_order_cost = "75.50"

[profiles.demo]
kind = "demo"
dialect = "1.0.13"
order_session = "KalshiNR"

[profiles.demo.sessions.KalshiNR]
enabled = true
api_key_id = "5f0c0e8a-1111-4222-8333-944445555666"
private_key = "/keys/nr.pem"
cancel_on_disconnect = true
use_dollars = true

[profiles.desk]
kind = "production"
listen_only = true

[[profiles.desk.watch]]
label = "Desk A"
api_key_id = "aaaa"
private_key = "/keys/a.pem"
"""
    config = load_config(write(tmp_path, text))
    demo = config.profiles["demo"]
    assert config.profile == "demo" and config.poll_seconds == 2.5
    assert config.risk.max_contracts == 250 and config.risk.max_order_cost == Decimal("75.50")
    assert demo.dialect is Dialect.V1_0_13 and demo.order_session is SessionType.NR
    nr = demo.session(SessionType.NR)
    assert nr.enabled and nr.private_key == Path("/keys/nr.pem") and nr.use_dollars
    options = nr.logon_options()
    assert options.cancel_orders_on_disconnect and options.use_dollars
    desk = config.profiles["desk"]
    assert desk.listen_only and desk.watch[0].label == "Desk A"
    again = load_config(write(tmp_path, dump_config(config)))
    assert again == config


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('profile = "nowhere"\n', 1, "choose one of"),
        ('profile = "local"\n[risk]\nmax_contracts = "lots"\n', 3, "whole number"),
        ('[risk]\nmax_order_cost = "cheap"\n', 2, 'max_order_cost = "250.00"'),
        ('[profiles.demo]\nkind = "moon"\n', 2, "local, demo, production or custom"),
        ('[profiles.demo]\norder_session = "KalshiDC"\n', 2, "KalshiRT"),
        ('[profiles.demo.sessions.KalshiXX]\nenabled = true\n', 1, "unknown session"),
        ('[profiles.demo.sessions.KalshiRT]\nenabled = true\nport = 99999\n', 3, "1 to 65535"),
        ('[profiles.demo.sessions.KalshiRT]\nenabled = "yes"\n', 2, "true or false"),
    ],
)
def test_bad_values_name_the_line_and_the_fix(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    message = str(caught.value)
    assert f"line {line}:" in message
    assert words in message


def test_invalid_toml_is_reported_with_its_position(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not valid TOML: .*line 2"):
        load_config(write(tmp_path, 'profile = "local"\nthis is not toml\n'))


def test_default_config_dumps_and_loads(tmp_path: Path) -> None:
    config = WorkstationConfig()
    assert load_config(write(tmp_path, dump_config(config))) == config
