"""Run slow, CPU-bound work (password hashing) without stalling every other client.

Under eventlet and gevent all connections share one OS thread: Argon2 there (tens of ms per hash,
by design) holds up every ack and event meanwhile. `off_loop` hands the call to a real OS thread
(eventlet's tpool, gevent's threadpool) and lets the event loop run while it works; argon2-cffi
releases the GIL during the hash. Under `threading` each request already has its own thread.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def _mode() -> str:
    # What the process really runs, not what the settings say (the CLI is never patched); a
    # library that was never imported cannot have patched anything.
    if "eventlet" in sys.modules:
        from eventlet.patcher import is_monkey_patched

        if is_monkey_patched("thread"):
            return "eventlet"
    if "gevent" in sys.modules:
        from gevent.monkey import is_module_patched

        if is_module_patched("threading"):
            return "gevent"
    return "threading"


def off_loop(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)`, run on an OS thread other than the event loop's; its result or error."""
    mode = _mode()
    if mode == "eventlet":
        from eventlet import tpool

        return tpool.execute(function, *args)
    if mode == "gevent":
        import gevent

        return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)
