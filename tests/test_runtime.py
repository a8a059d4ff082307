"""The process-wide GC settings the programs start with."""

from __future__ import annotations

import subprocess
import sys


def test_tune_gc_raises_the_young_threshold_and_freezes_startup_objects() -> None:
    code = (
        "import gc; from workstation.runtime import tune_gc, YOUNG_THRESHOLD; "
        "before = gc.get_freeze_count(); tune_gc(); "
        "assert gc.get_threshold()[0] == YOUNG_THRESHOLD; "
        "assert gc.get_freeze_count() > before; print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
