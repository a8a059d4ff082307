"""The passphrase prompt: answered through open() and a future (never exec()), None on
cancel, asked again on a wrong passphrase, and an encrypted key makes the real Desk ask —
with the passphrase never in a log record or an exception's text."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton

from workstation.client.desk import Desk
from workstation.client.records import SessionPhase
from workstation.fix.dialect import SessionType
from workstation.fix.keys import WrongPassphrase, generate_key_pair
from workstation.ui.dialogs.passphrase_prompt import (
    WRONG_PASSPHRASE,
    PassphraseDialog,
    PassphrasePrompt,
    ask_passphrase,
)

from .settings_support import deletes_flushed, open_dialog, screenshot
from .settings_venue import Exchange, running_loop, wait_until

__all__ = ["deletes_flushed", "running_loop"]  # fixtures, imported for pytest


@pytest.fixture
def no_exec(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any exec() of a dialog fails the test: the prompt must use open()."""

    def refuse(self: QDialog) -> int:
        raise AssertionError(f"{type(self).__name__}.exec() was called")

    monkeypatch.setattr(QDialog, "exec", refuse)


@pytest.fixture
def encrypted_key(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "rt.key.pem"
    generate_key_pair(path, tmp_path / "rt.pub.pem", "open sesame 42")
    return path, "open sesame 42"


def prompt_shown(after: PassphraseDialog | None = None) -> PassphraseDialog:
    """The prompt on screen (a new one, when ``after`` was the last)."""

    def shown() -> bool:
        found = open_dialog(PassphraseDialog)
        return found is not None and found is not after

    wait_until(shown, "the passphrase prompt")
    dialog = open_dialog(PassphraseDialog)
    assert dialog is not None
    return dialog


def answer(qtbot, dialog: PassphraseDialog, text: str | None) -> None:
    """Type ``text`` and press Unlock, or press Skip when ``text`` is None."""
    if text is None:
        skip = dialog.findChild(QPushButton, "passphraseCancel")
        qtbot.mouseClick(skip, Qt.MouseButton.LeftButton)
        return
    qtbot.keyClicks(dialog.edit, text)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_the_prompt_returns_what_was_typed_without_exec(
    qtbot, running_loop, no_exec, encrypted_key
) -> None:
    path, _ = encrypted_key
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.005)

    beat = running_loop.create_task(ticker())
    task = running_loop.create_task(ask_passphrase(path))
    dialog = prompt_shown()
    assert dialog.edit.echoMode() is QLineEdit.EchoMode.Password
    intro = dialog.findChild(QLabel, "passphraseIntro")
    assert intro is not None and path.name in intro.text()
    assert dialog.path == path
    assert not dialog.ok_button.isEnabled()  # nothing typed yet
    before = ticks
    wait_until(lambda: ticks > before + 3, "other tasks to run while it is open")
    left_in_field: list[str] = []
    dialog.finished.connect(lambda _r: left_in_field.append(dialog.edit.text()))
    answer(qtbot, dialog, "tr0ub4dor&3")
    beat.cancel()
    wait_until(task.done, "the answer")
    assert task.result() == "tr0ub4dor&3"
    assert left_in_field == [""]  # the field does not keep it


def test_cancel_or_closing_the_window_gives_none(
    qtbot, running_loop, no_exec, encrypted_key
) -> None:
    path, _ = encrypted_key
    task = running_loop.create_task(ask_passphrase(path))
    first = prompt_shown()
    answer(qtbot, first, None)
    wait_until(task.done, "the answer")
    assert task.result() is None

    task = running_loop.create_task(ask_passphrase(path))
    dialog = prompt_shown(after=first)
    dialog.edit.setText("typed, then the window closed")
    dialog.close()
    wait_until(task.done, "the answer")
    assert task.result() is None


def test_a_cancelled_wait_closes_the_prompt(running_loop, no_exec, encrypted_key) -> None:
    task = running_loop.create_task(ask_passphrase(encrypted_key[0]))
    prompt_shown()
    task.cancel()
    wait_until(task.done, "the cancelled wait to end")
    assert open_dialog(PassphraseDialog) is None


def test_a_wrong_passphrase_asks_again_and_a_right_one_is_remembered_until_forgotten(
    qtbot, running_loop, no_exec, encrypted_key
) -> None:
    path, secret = encrypted_key
    prompt = PassphrasePrompt()
    task = running_loop.create_task(prompt(path))
    first = prompt_shown()
    assert first.problem.isHidden()
    answer(qtbot, first, "not it")
    second = prompt_shown(after=first)
    assert second.problem.text() == WRONG_PASSPHRASE
    second.edit.setText("typed")  # masked in the picture
    screenshot(second, "passphrase-wrong.png")
    second.edit.clear()
    answer(qtbot, second, secret)
    wait_until(task.done, "the answer")
    assert task.result() == secret
    assert secret not in repr(prompt)

    again = running_loop.create_task(prompt(path))
    wait_until(again.done, "the remembered answer")  # no dialog this time
    assert again.result() == secret
    prompt.forget()
    after = running_loop.create_task(prompt(path))
    answer(qtbot, prompt_shown(after=second), None)
    wait_until(after.done, "the answer")
    assert after.result() is None


def test_an_encrypted_key_makes_the_desk_ask_and_the_passphrase_stays_secret(
    qtbot, running_loop, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    exchange = Exchange(tmp_path / "venue", {"Desk A": "acct-a"})
    key = exchange.listeners["Desk A"]
    wait_until(running_loop.create_task(exchange.start()).done, "the venue to start")

    def run(coro: Coroutine[Any, Any, None]) -> None:
        task = running_loop.create_task(coro)
        wait_until(task.done, "a coroutine to finish")
        task.result()

    try:
        # 1. Skip: the session is not started and the Desk says why.
        desk = Desk(exchange.trader_config("Desk A"), data_dir=tmp_path / "ws1")
        notices: list[str] = []
        desk.subscribe(lambda update: notices.extend(n.text for n in update.notices))
        start = running_loop.create_task(desk.start(PassphrasePrompt()))
        asked = prompt_shown()
        assert asked.path == key.private_key
        screenshot(asked, "passphrase-prompt.png")
        answer(qtbot, asked, None)
        wait_until(start.done, "the Desk to start")
        start.result()
        assert desk.links == []
        wait_until(lambda: bool(notices), "the Desk's notice")
        assert "KalshiRT not started: its key needs a passphrase" in notices
        run(desk.stop())

        # 2. A typo, then the passphrase: the session logs on with the decrypted key.
        desk = Desk(exchange.trader_config("Desk A"), data_dir=tmp_path / "ws2")
        prompt = PassphrasePrompt()
        start = running_loop.create_task(desk.start(prompt))
        typo = prompt_shown(after=asked)
        answer(qtbot, typo, key.passphrase[::-1])
        retry = prompt_shown(after=typo)
        assert retry.problem.text() == WRONG_PASSPHRASE
        answer(qtbot, retry, key.passphrase)
        wait_until(start.done, "the Desk to start")
        start.result()
        prompt.forget()
        wait_until(lambda: bool(desk.links) and desk.all_logged_on(), "KalshiRT to log on")
        info = next(i for i in desk.session_infos() if i.session is SessionType.RT)
        assert info.phase is SessionPhase.ACTIVE and info.listener
        run(desk.stop())

        # 3. The plain prompt hands the Desk a wrong passphrase: the error names the file.
        desk = Desk(exchange.trader_config("Desk A"), data_dir=tmp_path / "ws3")
        wrong = "wr0ng-" + key.passphrase
        start = running_loop.create_task(desk.start(ask_passphrase))
        answer(qtbot, prompt_shown(after=retry), wrong)
        wait_until(start.done, "the Desk to give up")
        error = start.exception()
        assert isinstance(error, WrongPassphrase)
        assert str(key.private_key) in str(error)
        for text in (str(error), repr(error)):
            assert wrong not in text and key.passphrase not in text
        run(desk.stop())
    finally:
        run(exchange.stop())
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert key.passphrase not in logged and key.passphrase[::-1] not in logged
    assert "wr0ng-" not in logged
