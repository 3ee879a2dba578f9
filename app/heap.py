"""Keep Python's cyclic garbage collector from pausing the one event loop every client shares.

A full collection walks every tracked object of the process; with a thousand connections and a
few dozen session states that is a pause of tens to hundreds of milliseconds, felt by every
client at once (docs/performance.md). Most of those objects live as long as the process: the
imported code, the scenarios, the folded session states. So:

- `freeze()` after start-up and after a session's state is folded from its log moves everything
  alive into the permanent generation, which collections no longer walk (`gc.freeze`);
- `tune()` raises the first threshold, so the young collections that remain run less often
  on a server that allocates many short-lived objects per message.

Freezing is not collecting: a frozen object is still freed by reference counting when its last
reference goes, which is how nearly everything in this server dies (the event log is
append-only, states are replaced, never torn down in cycles). Off with `GC_TUNING=0`.
"""

from __future__ import annotations

import gc
import os

# Young collections every 50,000 net allocations instead of 700: a message to 30 clients
# allocates a few thousand short-lived objects, nearly all freed by reference counting.
THRESHOLDS = (50_000, 20, 10)


_active = [False]  # set by tune(): only a server process (serve.py) freezes, not tests or the CLI


def enabled() -> bool:
    return os.environ.get("GC_TUNING", "1").strip().lower() not in ("0", "false", "no", "off")


def tune() -> None:
    """Set the thresholds above and freeze from now on (once, at the server's start)."""
    if enabled():
        gc.set_threshold(*THRESHOLDS)
        _active[0] = True


def freeze(collect: bool = False) -> None:
    """Move every object alive now out of the collector's reach (`collect` first: at start)."""
    if not _active[0]:
        return
    if collect:
        gc.collect()
    gc.freeze()
