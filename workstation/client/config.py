"""The workstation's settings file (TOML): the active profile, the profiles, risk limits.

Example::

    profile = "local"            # which profile to open
    poll_seconds = 5             # market and balance polling interval

    [risk]
    max_contracts = 1000         # per order
    max_order_cost = "500.00"    # dollars per order
    confirm_above_cost = "100.00"

    [profiles.demo]
    kind = "demo"                # local | demo | production | custom
    host = "fix.demo.kalshi.co"
    order_session = "KalshiRT"   # or "KalshiNR"

    [profiles.demo.sessions.KalshiRT]
    enabled = true
    api_key_id = "…"
    private_key = "~/kalshi/fix-rt.key.pem"
    cancel_on_disconnect = true

A mistake is a :class:`ConfigError` that names the file, the line and what to write instead.
Passphrases are never part of the file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from workstation.client.profiles import (
    ORDER_SESSION_TYPES,
    Profile,
    SessionSettings,
    VenueKind,
    WatchedAccount,
    default_profiles,
)
from workstation.fix.dialect import Dialect, SessionType

__all__ = ["ConfigError", "RiskSettings", "WorkstationConfig", "dump_config", "load_config"]


class ConfigError(ValueError):
    """The settings file cannot be used; the message says where and how to fix it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskSettings:
    max_contracts: int = 1000
    max_order_cost: Decimal = Decimal("1000.00")
    confirm_above_cost: Decimal = Decimal("250.00")
    max_open_orders: int = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class WorkstationConfig:
    profile: str = "local"
    poll_seconds: float = 5.0
    risk: RiskSettings = field(default_factory=RiskSettings)
    profiles: dict[str, Profile] = field(default_factory=default_profiles)

    @property
    def active(self) -> Profile:
        return self.profiles[self.profile]


class _Locator:
    """Finds the line of a table or key in the file text, for error messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line(self, table: str | None, key: str | None = None) -> int:
        start = 0
        if table is not None:
            header = re.compile(
                r"^\s*\[\[?\s*" + r"\s*\.\s*".join(map(re.escape, table.split("."))) + r"\s*\]"
            )
            start = next((i for i, ln in enumerate(self.lines) if header.match(ln)), -1)
            if start < 0:
                return 1
        if key is None:
            return start + 1
        pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start + (1 if table else 0), len(self.lines)):
            if table is not None and i > start and self.lines[i].lstrip().startswith("["):
                break
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1

    def error(self, table: str | None, key: str | None, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}, line {self.line(table, key)}: {problem}")


def load_config(path: Path) -> WorkstationConfig:
    """Read the settings file; a missing file gives the defaults."""
    if not path.exists():
        return WorkstationConfig()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the settings file ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return _Reader(_Locator(path, text)).config(data)


class _Reader:
    def __init__(self, where: _Locator) -> None:
        self.where = where

    def _get(
        self, data: Mapping[str, Any], table: str | None, key: str, kind: type, default: Any
    ) -> Any:
        if key not in data:
            return default
        value = data[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.where.error(
                table, key, f"{key} must be {_KIND_WORDS[kind]}, not {value!r}"
            )
        return value

    def _money(self, data: Mapping[str, Any], table: str, key: str, default: Decimal) -> Decimal:
        if key not in data:
            return default
        raw = data[key]
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal(-1)
        if isinstance(raw, bool) or value < 0:
            raise self.where.error(
                table, key, f'{key} must be an amount in dollars, e.g. {key} = "250.00"'
            )
        return value

    def config(self, data: Mapping[str, Any]) -> WorkstationConfig:
        profiles = default_profiles()
        raw_profiles = self._get(data, None, "profiles", dict, {})
        for name, raw in raw_profiles.items():
            table = f"profiles.{name}"
            if not isinstance(raw, dict):
                raise self.where.error(None, None, f"[{table}] must be a table")
            profiles[name] = self.profile(name, raw, profiles.get(name))
        active = self._get(data, None, "profile", str, "local")
        if active not in profiles:
            known = ", ".join(sorted(profiles))
            raise self.where.error(
                None, "profile", f"profile {active!r} is not defined; choose one of: {known}"
            )
        poll = self._get(data, None, "poll_seconds", float, 5.0)
        if not 0.5 <= poll <= 3600:
            raise self.where.error(None, "poll_seconds", "poll_seconds must be 0.5 to 3600")
        return WorkstationConfig(
            profile=active,
            poll_seconds=poll,
            risk=self.risk(self._get(data, None, "risk", dict, {})),
            profiles=profiles,
        )

    def risk(self, raw: Mapping[str, Any]) -> RiskSettings:
        base = RiskSettings()
        max_contracts = self._get(raw, "risk", "max_contracts", int, base.max_contracts)
        max_open = self._get(raw, "risk", "max_open_orders", int, base.max_open_orders)
        for key, value in (("max_contracts", max_contracts), ("max_open_orders", max_open)):
            if value < 1:
                raise self.where.error("risk", key, f"{key} must be 1 or more")
        return RiskSettings(
            max_contracts=max_contracts,
            max_order_cost=self._money(raw, "risk", "max_order_cost", base.max_order_cost),
            confirm_above_cost=self._money(
                raw, "risk", "confirm_above_cost", base.confirm_above_cost
            ),
            max_open_orders=max_open,
        )

    def profile(self, name: str, raw: Mapping[str, Any], base: Profile | None) -> Profile:
        table = f"profiles.{name}"
        kind_text = self._get(raw, table, "kind", str, base.kind.value if base else "custom")
        try:
            kind = VenueKind(kind_text)
        except ValueError:
            raise self.where.error(
                table, "kind", f"kind {kind_text!r}: use local, demo, production or custom"
            ) from None
        if base is None or base.kind is not kind:
            base = default_profiles().get(kind.value) or Profile(name=name, kind=kind)
        dialect_text = self._get(raw, table, "dialect", str, base.dialect.value)
        try:
            dialect = Dialect(dialect_text)
        except ValueError:
            raise self.where.error(
                table, "dialect", f'dialect {dialect_text!r}: use "current" or "1.0.13"'
            ) from None
        order_text = self._get(raw, table, "order_session", str, base.order_session.value)
        order_session = _session_type(order_text)
        if order_session not in ORDER_SESSION_TYPES:
            raise self.where.error(
                table, "order_session", 'order_session must be "KalshiRT" or "KalshiNR"'
            )
        assert order_session is not None
        profile = replace(
            base,
            name=name,
            kind=kind,
            host=self._get(raw, table, "host", str, base.host),
            dialect=dialect,
            order_session=order_session,
            rest_url=self._get(raw, table, "rest_url", str, base.rest_url),
            listen_only=self._get(raw, table, "listen_only", bool, base.listen_only),
            tls=self._get(raw, table, "tls", bool, base.tls),
            watch=tuple(self.watch(table, w) for w in self._get(raw, table, "watch", list, [])),
        )
        for st_name, st_raw in self._get(raw, table, "sessions", dict, {}).items():
            session_type = _session_type(st_name)
            if session_type is None:
                names = ", ".join(st.value for st in SessionType)
                raise self.where.error(
                    f"{table}.sessions.{st_name}", None,
                    f"unknown session {st_name!r}; use one of: {names}",
                )
            profile = profile.with_session(
                self.session(f"{table}.sessions.{st_name}", session_type, st_raw)
            )
        return profile

    def session(self, table: str, st: SessionType, raw: Mapping[str, Any]) -> SessionSettings:
        port = self._get(raw, table, "port", int, None)
        if port is not None and not 1 <= port <= 65535:
            raise self.where.error(table, "port", "port must be 1 to 65535")
        heartbeat = self._get(raw, table, "heartbeat", int, 30)
        if not 3 <= heartbeat <= 300:
            raise self.where.error(table, "heartbeat", "heartbeat must be 3 to 300 seconds")
        reports = self._get(raw, table, "settlement_reports", bool, None)
        return SessionSettings(
            session_type=st,
            enabled=self._get(raw, table, "enabled", bool, False),
            api_key_id=self._get(raw, table, "api_key_id", str, ""),
            private_key=self._path(raw, table, "private_key"),
            pin_file=self._path(raw, table, "pin_file"),
            port=port,
            heartbeat=heartbeat,
            cancel_on_disconnect=self._get(raw, table, "cancel_on_disconnect", bool, False),
            use_dollars=self._get(raw, table, "use_dollars", bool, False),
            listener=self._get(raw, table, "listener", bool, False),
            settlement_reports=reports,
        )

    def watch(self, table: str, raw: object) -> WatchedAccount:
        if not isinstance(raw, dict):
            raise self.where.error(table, "watch", "each [[watch]] entry must be a table")
        key_path = self._path(raw, f"{table}.watch", "private_key")
        if key_path is None or not raw.get("api_key_id"):
            raise self.where.error(
                f"{table}.watch", None, "each [[watch]] needs api_key_id and private_key"
            )
        return WatchedAccount(
            label=str(raw.get("label", raw["api_key_id"])),
            api_key_id=str(raw["api_key_id"]),
            private_key=key_path,
        )

    def _path(self, raw: Mapping[str, Any], table: str, key: str) -> Path | None:
        text = self._get(raw, table, key, str, None)
        return None if not text else Path(text).expanduser()


def _session_type(text: str) -> SessionType | None:
    try:
        return SessionType(text)
    except ValueError:
        return None


_KIND_WORDS = {
    str: "text in quotes",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    dict: "a table",
    list: "a list",
}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Decimal):
        return f'"{value}"'
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def dump_config(config: WorkstationConfig) -> str:
    """The TOML text of ``config`` (what :func:`load_config` reads back unchanged)."""
    out = [
        "# Kalshi FIX workstation settings. Passphrases are never stored here.",
        f"profile = {_toml_value(config.profile)}",
        f"poll_seconds = {config.poll_seconds}",
        "",
        "[risk]",
        f"max_contracts = {config.risk.max_contracts}",
        f"max_order_cost = {_toml_value(config.risk.max_order_cost)}",
        f"confirm_above_cost = {_toml_value(config.risk.confirm_above_cost)}",
        f"max_open_orders = {config.risk.max_open_orders}",
    ]
    for name, profile in config.profiles.items():
        out += [
            "",
            f"[profiles.{name}]",
            f"kind = {_toml_value(profile.kind.value)}",
            f"host = {_toml_value(profile.host)}",
            f"dialect = {_toml_value(profile.dialect.value)}",
            f"order_session = {_toml_value(profile.order_session.value)}",
            f"rest_url = {_toml_value(profile.rest_url)}",
            f"listen_only = {_toml_value(profile.listen_only)}",
            f"tls = {_toml_value(profile.tls)}",
        ]
        for watched in profile.watch:
            out += [
                "",
                f"[[profiles.{name}.watch]]",
                f"label = {_toml_value(watched.label)}",
                f"api_key_id = {_toml_value(watched.api_key_id)}",
                f"private_key = {_toml_value(watched.private_key)}",
            ]
        for st, s in profile.sessions.items():
            out += [
                "",
                f"[profiles.{name}.sessions.{st.value}]",
                f"enabled = {_toml_value(s.enabled)}",
            ]
            if s.api_key_id:
                out.append(f"api_key_id = {_toml_value(s.api_key_id)}")
            for key, path in (("private_key", s.private_key), ("pin_file", s.pin_file)):
                if path is not None:
                    out.append(f"{key} = {_toml_value(path)}")
            if s.port is not None:
                out.append(f"port = {s.port}")
            out += [
                f"heartbeat = {s.heartbeat}",
                f"cancel_on_disconnect = {_toml_value(s.cancel_on_disconnect)}",
                f"use_dollars = {_toml_value(s.use_dollars)}",
                f"listener = {_toml_value(s.listener)}",
            ]
            if s.settlement_reports is not None:
                out.append(f"settlement_reports = {_toml_value(s.settlement_reports)}")
    return "\n".join(out) + "\n"
