"""Settings → Connection profiles: edit, save, and read back with load_config; problems shown
inline with Save blocked; venue kinds and the production alias; profile names; the desk
monitor's watch list; the atomic write; screenshots."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from workstation.client.config import WorkstationConfig, load_config
from workstation.client.profiles import (
    DEMO_HOST,
    PRODUCTION_ALIASES,
    PRODUCTION_HOST,
    PRODUCTION_REST,
    VenueKind,
    WatchedAccount,
)
from workstation.fix.dialect import Dialect, SessionType
from workstation.ui.dialogs.profile_editor import ProfileEditor
from workstation.ui.dialogs.profiles_dialog import RESTART_NOTE, ProfilesDialog
from workstation.ui.dialogs.watch_table import KEY_FILE, KEY_ID, LABEL
from workstation.ui.theme import Theme, apply_theme

from .settings_support import deletes_flushed, screenshot, write_rsa_key

__all__ = ["deletes_flushed"]  # the autouse fixture, imported for pytest


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "workstation.toml"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "demo-nr.key.pem"
    path.parent.mkdir()
    write_rsa_key(path, 2048)
    return path


def open_profiles(qtbot, config_path: Path, config: WorkstationConfig | None = None):
    dialog = ProfilesDialog(config or load_config(config_path), config_path)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def choose(combo, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def problems(dialog: ProfilesDialog) -> list[str]:
    text = dialog.problems.text()
    return text.splitlines() if text else []


def test_an_edit_saved_is_what_load_config_reads_back(
    qtbot, config_path: Path, key_file: Path, tmp_path: Path
) -> None:
    dialog = open_profiles(qtbot, config_path)
    assert [e.name() for e in dialog.editors] == ["local", "demo", "production"]
    demo = dialog.select("demo")
    choose(demo.dialect_combo, Dialect.V1_0_13)
    choose(demo.order_combo, SessionType.NR)
    nr = demo.sessions.row(SessionType.NR)
    assert nr.port.isVisible() and not demo.sessions.row(SessionType.RT).port.isVisible()
    nr.enabled.setChecked(True)
    qtbot.keyClicks(nr.key_id, "5f0c0e8a-1111-4222-8333-944445555666")
    nr.private_key.setText(str(key_file))
    nr.pin_file.setText(str(tmp_path / "kalshi-fix.pem"))
    qtbot.keyClicks(nr.port, "9228")
    nr.heartbeat.setText("45")
    nr.cancel_on_disconnect.setChecked(True)
    nr.use_dollars.setChecked(True)
    dc = demo.sessions.row(SessionType.DC)
    dc.enabled.setChecked(True)
    dc.key_id.setText("dc-key")
    dc.private_key.setText(str(key_file))
    dialog.set_active("demo")
    assert dialog.save_button.isEnabled(), problems(dialog)
    dialog.save_button.click()

    assert dialog.saved
    assert dialog.status.text() == f"Saved to {config_path}. {RESTART_NOTE}"
    assert stat.S_IMODE(os.stat(config_path).st_mode) == 0o600
    assert [p.name for p in config_path.parent.iterdir()] == ["workstation.toml"]  # no temp
    text = config_path.read_text()
    assert "passphrase" not in text.replace("Passphrases are never stored here", "")

    loaded = load_config(config_path)
    assert loaded.profile == "demo"
    profile = loaded.active
    assert (profile.kind, profile.host, profile.dialect, profile.order_session) == (
        VenueKind.DEMO,
        DEMO_HOST,
        Dialect.V1_0_13,
        SessionType.NR,
    )
    got = profile.session(SessionType.NR)
    assert got.enabled and got.api_key_id == "5f0c0e8a-1111-4222-8333-944445555666"
    assert (got.private_key, got.pin_file) == (key_file, tmp_path / "kalshi-fix.pem")
    assert (got.port, got.heartbeat) == (9228, 45)
    assert got.cancel_on_disconnect and got.use_dollars and not got.listener
    assert [s.session_type for s in profile.enabled_sessions()] == [SessionType.NR, SessionType.DC]
    # everything not touched is what the defaults say
    assert loaded.profiles["production"] == WorkstationConfig().profiles["production"]
    assert loaded.profiles["local"] == WorkstationConfig().profiles["local"]
    assert loaded.risk == WorkstationConfig().risk

    # reopening shows the saved settings
    again = open_profiles(qtbot, config_path)
    assert again.active_combo.currentData() == "demo"
    assert again.editor("demo").sessions.row(SessionType.NR).port.text() == "9228"


def test_bad_port_and_heartbeat_are_shown_inline_and_block_save(
    qtbot, config_path: Path
) -> None:
    dialog = open_profiles(qtbot, config_path)
    production = dialog.select("production")
    rt = production.sessions.row(SessionType.RT)
    assert dialog.save_button.isEnabled() and problems(dialog) == []
    qtbot.keyClicks(rt.port, "70000")
    rt.heartbeat.setText("2")

    port_problem = "KalshiRT: port must be a whole number from 1 to 65535 (or blank for Kalshi's)"
    beat_problem = "KalshiRT: heartbeat must be 3 to 300 seconds"
    assert problems(dialog) == [f"✘ {port_problem}", f"✘ {beat_problem}"]
    assert rt.port.toolTip() == port_problem and "border" in rt.port.styleSheet()
    assert rt.heartbeat.toolTip() == beat_problem
    assert not dialog.save_button.isEnabled()
    assert dialog.list.currentItem().text().startswith("✘ production")
    dialog.save_button.click()
    assert not dialog.save()
    assert not config_path.exists()
    assert dialog.status.text() == "Not saved: fix the fields marked in red first."

    # another profile shown: its problems stay counted
    dialog.select("demo")
    assert problems(dialog) == ["✘ also to fix: the profile production"]
    assert not dialog.save_button.isEnabled()
    dialog.select("production")
    rt.port.setText("abc")
    assert f"✘ {port_problem}" in problems(dialog)
    rt.port.clear()  # blank: Kalshi's port
    rt.heartbeat.setText("300")
    assert problems(dialog) == [] and rt.port.styleSheet() == "" and rt.port.toolTip() == ""
    assert dialog.save_button.isEnabled()
    assert dialog.save()
    assert load_config(config_path).profiles["production"].session(SessionType.RT).port is None


def test_an_enabled_session_needs_its_key_id_and_key_file(
    qtbot, config_path: Path, tmp_path: Path
) -> None:
    dialog = open_profiles(qtbot, config_path)
    demo = dialog.select("demo")
    rt = demo.sessions.row(SessionType.RT)
    rt.enabled.setChecked(True)
    assert problems(dialog) == [
        "✘ KalshiRT: enter the API key ID from Kalshi",
        "✘ KalshiRT: choose the private key file",
    ]
    rt.key_id.setText("abc")
    rt.private_key.setText(str(tmp_path / "not-yet.pem"))
    # a key file that is not there yet is a warning: it may be copied in before the restart
    assert problems(dialog) == [f"⚠ KalshiRT: no file at {tmp_path / 'not-yet.pem'} yet"]
    assert dialog.save_button.isEnabled()
    rt.listener.setChecked(True)
    rt.cancel_on_disconnect.setChecked(True)
    assert (
        "✘ KalshiRT: a listener session cannot cancel on disconnect (8013 must be N)"
        in problems(dialog)
    )
    assert not dialog.save_button.isEnabled()
    # the local simulator makes its own keys: nothing to enter there
    local = dialog.select("local")
    assert local.sessions.row(SessionType.RT).enabled.isChecked()
    assert not local.sessions.row(SessionType.RT).key_id.isEnabled()
    assert "✘ also to fix: the profile demo" in problems(dialog)


def test_venue_kinds_fill_in_their_hosts_and_production_offers_the_old_name(
    qtbot, config_path: Path
) -> None:
    dialog = open_profiles(qtbot, config_path)
    editor = dialog.new_profile()
    assert editor.name() == "custom-1" and editor.kind is VenueKind.CUSTOM
    assert "✘ enter the FIX host name (no spaces)" in problems(dialog)
    choose(editor.kind_combo, VenueKind.PRODUCTION)
    assert editor.host() == PRODUCTION_HOST
    offered = [editor.host_combo.itemText(i) for i in range(editor.host_combo.count())]
    assert offered == [PRODUCTION_HOST, *PRODUCTION_ALIASES]
    assert editor.rest_edit.text() == PRODUCTION_REST and editor.tls_check.isChecked()
    assert "fix.elections.kalshi.com" in editor.host_hint.text()
    editor.host_combo.setCurrentIndex(1)
    assert editor.host() == "fix.elections.kalshi.com"
    choose(editor.kind_combo, VenueKind.DEMO)
    assert editor.host() == DEMO_HOST
    choose(editor.kind_combo, VenueKind.LOCAL)
    assert not editor.host_combo.isEnabled() and not editor.tls_check.isChecked()
    choose(editor.kind_combo, VenueKind.CUSTOM)
    assert editor.host() == ""
    editor.host_combo.setEditText("fix.example.net")
    editor.rest_edit.setText("ftp://nope")
    assert "✘ the REST address starts with https://" in problems(dialog)
    editor.rest_edit.clear()
    assert dialog.save()
    saved = load_config(config_path).profiles["custom-1"]
    assert (saved.kind, saved.host, saved.tls) == (VenueKind.CUSTOM, "fix.example.net", True)


def test_profile_names_new_duplicate_and_remove(qtbot, config_path: Path) -> None:
    dialog = open_profiles(qtbot, config_path)
    assert dialog.select("local").name_edit.isReadOnly()
    assert not dialog.remove_button.isEnabled()  # built-in
    editor = dialog.new_profile()
    editor.name_edit.setText("demo")
    assert problems(dialog)[0] == "✘ another profile is already called 'demo'"
    editor.name_edit.setText("my desk")
    assert problems(dialog)[0] == "✘ a profile name uses letters, digits, '-' and '_' only"
    editor.name_edit.setText("night-desk")
    editor.host_combo.setEditText("10.0.0.5")
    assert problems(dialog) == []
    assert dialog.list.currentItem().text() == "night-desk  ·  Custom host"
    copy = dialog.duplicate_profile()
    assert copy.name() == "night-desk-1" and copy.host() == "10.0.0.5"
    dialog.set_active("night-desk-1")
    assert dialog.remove_button.isEnabled()
    dialog.remove_profile()  # the active one: start-up falls back to the first profile
    assert [e.name() for e in dialog.editors] == ["local", "demo", "production", "night-desk"]
    assert dialog.active_combo.currentData() == "local"
    assert dialog.save()
    assert sorted(load_config(config_path).profiles) == [
        "demo", "local", "night-desk", "production"
    ]


def test_a_desk_monitor_profile_keeps_its_watched_accounts(
    qtbot, config_path: Path, tmp_path: Path
) -> None:
    dialog = open_profiles(qtbot, config_path)
    editor: ProfileEditor = dialog.new_profile()
    editor.name_edit.setText("desk")
    choose(editor.kind_combo, VenueKind.PRODUCTION)
    assert not editor.watch_box.isVisibleTo(dialog)
    editor.monitor_check.setChecked(True)
    assert editor.watch_box.isVisibleTo(dialog)
    assert "listener for each watched account" in editor.sessions_note.text()
    editor.watch.add_account("Desk A", "key-a", str(tmp_path / "a.pem"))
    row = editor.watch.add_account()
    assert problems(dialog) == [
        "✘ watched account 2: enter its API key ID",
        "✘ watched account 2: choose its private key file",
    ]
    editor.watch.set_cell(row, LABEL, "Desk A")
    editor.watch.set_cell(row, KEY_ID, "key-b")
    editor.watch.set_cell(row, KEY_FILE, str(tmp_path / "b.pem"))
    assert problems(dialog) == ["✘ watched account 2: the label 'Desk A' is used twice"]
    editor.watch.set_cell(row, LABEL, "Desk B")
    assert problems(dialog) == []
    dialog.set_active("desk")
    assert dialog.save()

    desk = load_config(config_path).active
    assert desk.listen_only and desk.kind is VenueKind.PRODUCTION
    assert desk.watch == (
        WatchedAccount(label="Desk A", api_key_id="key-a", private_key=tmp_path / "a.pem"),
        WatchedAccount(label="Desk B", api_key_id="key-b", private_key=tmp_path / "b.pem"),
    )
    editor.watch.table.selectRow(0)
    editor.watch.remove_selected()
    assert dialog.save()
    assert [w.label for w in load_config(config_path).active.watch] == ["Desk B"]


def test_a_write_that_fails_says_why_and_keeps_the_old_file(
    qtbot, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the settings folder should be\n")
    dialog = open_profiles(qtbot, blocker / "workstation.toml", WorkstationConfig())
    assert not dialog.save()
    assert dialog.status.text().startswith("Not saved: ")
    assert blocker.read_text() == "a file where the settings folder should be\n"


def test_an_unreadable_settings_file_opens_the_defaults_and_saving_replaces_it(
    qtbot, config_path: Path
) -> None:
    config_path.parent.mkdir()
    config_path.write_text('profile = "demo"\npoll_seconds = "soon"\n')
    problem = "poll_seconds must be a number"
    dialog = ProfilesDialog(
        WorkstationConfig(), config_path, load_problem=f"{config_path}, line 2: {problem}"
    )
    qtbot.addWidget(dialog)
    note = dialog.findChild(type(dialog.status), "profilesLoadProblem")
    assert note is not None and "line 2" in note.text()
    assert dialog.save()
    assert load_config(config_path) == WorkstationConfig()


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_screenshots_of_the_profiles_dialog(
    qtbot, qapp: QApplication, config_path: Path, tmp_path: Path, theme: Theme
) -> None:
    old_palette, old_sheet = qapp.palette(), qapp.styleSheet()
    apply_theme(qapp, theme)
    try:
        dialog = open_profiles(qtbot, config_path)
        demo = dialog.select("demo")
        rt = demo.sessions.row(SessionType.RT)
        rt.enabled.setChecked(True)
        rt.key_id.setText("5f0c0e8a-1111-4222-8333-944445555666")
        key = tmp_path / "kalshi-fix.key.pem"
        write_rsa_key(key, 2048)
        rt.private_key.setText(str(key))
        rt.cancel_on_disconnect.setChecked(True)
        dialog.set_active("demo")
        screenshot(dialog, f"settings-profiles-{theme}.png")

        rt.port.setText("70000")
        rt.heartbeat.setText("2")
        assert not dialog.save_button.isEnabled()
        screenshot(dialog, f"settings-profiles-invalid-{theme}.png")

        desk = dialog.new_profile()
        desk.name_edit.setText("desk-monitor")
        choose(desk.kind_combo, VenueKind.PRODUCTION)
        desk.host_combo.setCurrentIndex(1)
        desk.monitor_check.setChecked(True)
        desk.watch.add_account("Desk A", "8d3e-…-a1", "~/kalshi/watch-a.key.pem")
        desk.watch.add_account("Desk B", "27ff-…-b2", "~/kalshi/watch-b.key.pem")
        screenshot(dialog, f"settings-desk-monitor-{theme}.png")
    finally:
        qapp.setStyleSheet(old_sheet)
        qapp.setPalette(old_palette)
