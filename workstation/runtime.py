"""Process-wide settings both programs (the workstation and workstation-sim) start with.

Garbage collection: a FIX stream allocates many small containers per message (fields,
tuples, events), so CPython's default young-generation threshold (700 allocations) runs a
collection every few messages. Everything created at start-up is frozen out of collection, and
the young generation is allowed to grow to 50,000 objects: collections become rarer and each
is still short. Measured with bench/codec.py (docs/benchmarks.md).
"""

from __future__ import annotations

import gc

__all__ = ["tune_gc"]

YOUNG_THRESHOLD = 50_000


def tune_gc() -> None:
    """Freeze what start-up created, then collect the young generation less often."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
