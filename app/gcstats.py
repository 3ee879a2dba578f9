"""Timing of Python's cyclic garbage collector, for benchmarks (off unless `GC_STATS_FILE` is set).

A collection stops everything in the process, and with one event loop serving every client a
long one is a pause every client feels. `install(path)` times each collection with
`gc.callbacks` and rewrites `path` (JSON) about once a second: counts and total/max milliseconds
per generation, and every collection of 1 ms or more with its wall-clock time, so a benchmark can
attribute the pauses inside one phase of its run.
"""

from __future__ import annotations

import gc
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

SLOW_MS = 1.0  # collections at least this long are listed one by one
_started: list[float] = [0.0]
_totals: dict[int, list[float]] = {}  # generation -> [count, total ms, max ms]
_slow: list[tuple[float, int, float, int]] = []  # (wall time, generation, ms, collected)


def _callback(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _started[0] = time.perf_counter()
        return
    took = (time.perf_counter() - _started[0]) * 1000
    generation = info.get("generation", 0)
    total = _totals.setdefault(generation, [0, 0.0, 0.0])
    total[0] += 1
    total[1] += took
    total[2] = max(total[2], took)
    if took >= SLOW_MS:
        _slow.append((time.time(), generation, round(took, 2), info.get("collected", 0)))


def snapshot() -> dict[str, Any]:
    """What the collector did so far in this process."""
    return {
        "pid": os.getpid(),
        "threshold": gc.get_threshold(),
        "frozen": gc.get_freeze_count(),
        "generations": {
            str(g): {"count": int(c), "total_ms": round(t, 2), "max_ms": round(m, 2)}
            for g, (c, t, m) in sorted(_totals.items())
        },
        "slow": list(_slow),
    }


def install(path: str | Path, start_writer: Any = None) -> None:
    """Time every collection from now on and keep `path` up to date (about once a second).

    `start_writer` starts the background loop (the Socket.IO server's `start_background_task`,
    so it is a green thread under eventlet or gevent); without it, a daemon thread.
    """
    if _callback not in gc.callbacks:
        gc.callbacks.append(_callback)
    target = Path(path)

    def write_forever() -> None:
        while True:
            time.sleep(1.0)
            tmp = target.with_suffix(".tmp")
            tmp.write_text(json.dumps(snapshot()))
            tmp.replace(target)

    if start_writer is not None:
        start_writer(write_forever)
    else:
        threading.Thread(target=write_forever, daemon=True, name="gcstats").start()
