"""Start-up of the GUI: settings, the qasync loop, the Desk, the bridge and the main window.

``workstation`` with no configuration opens the local profile: the Desk starts the local
venue, logs on every session, and the window is ready to trade with nothing to type.
``--screenshot PATH`` starts as usual, waits until every enabled session is logged on and the
panels are filled, saves the window as PNG and exits 0 — or exits 1 with the reason if the
logon does not complete within 30 s.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from pathlib import Path

from workstation import __version__
from workstation.client.config import ConfigError, WorkstationConfig, load_config
from workstation.client.paths import Paths
from workstation.logging_setup import log_dir_for, setup_logging
from workstation.runtime import tune_gc
from workstation.ui.qt_env import ensure_display

__all__ = ["run_gui"]

_log = logging.getLogger(__name__)
SCREENSHOT_TIMEOUT_S = 30.0


def run_gui(args: argparse.Namespace) -> int:
    problem = ensure_display()
    if problem is not None:
        print(f"workstation: {problem}", file=sys.stderr)
        return 2
    paths = Paths.resolve(data_dir=args.data_dir, config=args.config)
    logs = setup_logging(log_dir_for(paths))  # rotating, redacted; Help → Open log folder
    _log.info("workstation %s starting; data in %s", __version__, paths.data_dir)
    try:
        return _run(args, paths)
    finally:
        logs.remove()


def _run(args: argparse.Namespace, paths: Paths) -> int:
    bad_config: ConfigError | None = None
    try:
        config = load_config(paths.config_file)
    except ConfigError as exc:
        print(f"workstation: {exc}", file=sys.stderr)
        if args.screenshot is not None:
            return 2
        bad_config, config = exc, WorkstationConfig()

    import qasync  # noqa: PLC0415 - PySide6 must be imported first
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415 - after the display check

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("Kalshi FIX Workstation")
    # Closing the window ends the session (lastWindowClosed, in wiring), which then stops the
    # Desk; Qt quitting by itself would stop the loop first ("Event loop stopped before Future
    # completed") and the workstation would exit with a traceback instead.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    _identify(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    from workstation.ui.crash import install_crash_handler  # noqa: PLC0415

    crash = install_crash_handler(log_dir_for(paths), loop)  # log + dialog, never vanish
    try:
        with loop:
            if bad_config is not None:  # say so in a window, and offer the defaults
                from workstation.ui.dialogs.config_error import offer_defaults  # noqa: PLC0415

                if not loop.run_until_complete(offer_defaults(bad_config, paths.config_file)):
                    return 2
            return int(loop.run_until_complete(_session(app, config, paths, args)))
    finally:
        crash.uninstall()
        app.setQuitOnLastWindowClosed(quit_on_close)
        asyncio.set_event_loop(None)


def _identify(app: object) -> None:
    """Version, icon and desktop-entry name (Wayland matches the window to the entry by it)."""
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from workstation.resources import APP_ID  # noqa: PLC0415
    from workstation.ui.app_icon import app_icon  # noqa: PLC0415

    assert isinstance(app, QApplication)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())


async def _session(app: object, config: object, paths: Paths, args: argparse.Namespace) -> int:
    from workstation.client.config import WorkstationConfig  # noqa: PLC0415
    from workstation.client.desk import Desk  # noqa: PLC0415
    from workstation.client.journal import JournalRefused  # noqa: PLC0415
    from workstation.ui.dialogs.journal_refused import show_journal_refused  # noqa: PLC0415
    from workstation.ui.dialogs.passphrase_prompt import PassphrasePrompt  # noqa: PLC0415
    from workstation.ui.wiring import build_window  # noqa: PLC0415

    assert isinstance(config, WorkstationConfig)
    desk = Desk(config, data_dir=paths.data_dir, local_flow=not args.no_flow)
    closed = asyncio.Event()
    window, bridge = build_window(desk, paths, on_closed=closed.set)
    window.show()
    prompt = PassphrasePrompt(window)  # encrypted keys: asked for, kept in memory only
    try:
        await desk.start(prompt)
    except JournalRefused as exc:  # a journal file it cannot use, left as it is: say why
        _log.error("start-up refused: %s", exc)
        print(f"workstation: {exc}", file=sys.stderr)
        if args.screenshot is None:
            await show_journal_refused(exc, window)
        await desk.stop()
        return 1
    except Exception as exc:  # a venue that cannot start: say why, do not trace back
        _log.exception("start-up failed")
        print(f"workstation: could not start: {exc}", file=sys.stderr)
        await desk.stop()
        return 1
    finally:
        prompt.forget()
    tune_gc()  # start-up objects frozen; rarer young-generation collections (runtime.py)
    try:
        if args.screenshot is not None:
            return await _screenshot(desk, window, args.screenshot)
        # First run: the welcome, once the venue is up (a start-up problem is said first).
        from workstation.ui.welcome import show_welcome_once  # noqa: PLC0415

        show_welcome_once(window, paths, log_dir_for(paths))
        await closed.wait()
        return 0
    finally:
        await bridge.shutdown()
        await desk.stop()


async def _screenshot(desk: object, window: object, path: Path) -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: PLC0415

    from workstation.client.desk import Desk  # noqa: PLC0415

    assert isinstance(desk, Desk) and isinstance(window, QMainWindow)
    deadline = time.monotonic() + SCREENSHOT_TIMEOUT_S
    while not (desk.all_logged_on() and (desk.market is not None or not desk.profile.rest_url)):
        if time.monotonic() > deadline:
            reasons = [
                f"{i.session.value}: {i.phase.value}{' — ' + i.last_error if i.last_error else ''}"
                for i in desk.session_infos()
            ]
            print("workstation: not logged on within 30 s: " + "; ".join(reasons), file=sys.stderr)
            return 1
        await asyncio.sleep(0.05)
    # The panels hold everything once the Desk's last update is applied; grab() paints the
    # window itself, so what is left is the layout work Qt posts as events.
    desk.flush()
    for _ in range(3):
        await asyncio.sleep(0)
        QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        print(f"workstation: could not write {path}", file=sys.stderr)
        return 1
    print(f"workstation: saved {path}")
    return 0
