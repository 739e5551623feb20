"""Pause Python's cyclic garbage collector while the core builds many small objects.

Loading and rendering 10,000 sources allocates millions of dicts, strings and models and
makes no reference cycles worth collecting; the collector's repeated full scans of them
cost a third of the time (benchmarks/RESULTS.md). The previous state is restored after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # Everything made during the pause is still in the youngest generation, so the first
        # collection after it would scan millions of objects (0.2 s at 10,000 sources). Move
        # them straight to the oldest generation instead (freeze, then unfreeze); cyclic
        # garbage among them is still found, by the next full collection.
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
