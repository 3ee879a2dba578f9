"""`serve.py` with a compressed clock, for timing a play-through (bench/seminar_timing.py only).

The server reads the time through `app.realtime.service.utcnow` (commands, events, the
scheduler, automatic delegations). Here that clock runs TIME_SCALE times faster than the wall
clock from the moment SIM_EPOCH (a Unix time): at SCALE 30 a 90-minute seminar passes in three
minutes, and every deadline, offset, reaction delay and automatic delegation's delay keeps its
proportion. Nothing in the application changes; this file only swaps the clock before the
application is imported, so never use it for a real class.
"""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import serve  # noqa: E402  (first: it monkey-patches the standard library for eventlet)
from app.realtime import service  # noqa: E402

SCALE = float(os.environ["TIME_SCALE"])
EPOCH = datetime.fromtimestamp(float(os.environ["SIM_EPOCH"]), UTC).replace(tzinfo=None)


def scaled_utcnow() -> datetime:
    """The compressed clock, keeping the one pinned moment per decision (see service.utcnow)."""
    pinned = getattr(service._moment, "at", None)
    if pinned is not None:
        return pinned
    real = datetime.now(UTC).replace(tzinfo=None)
    return EPOCH + (real - EPOCH) * SCALE


# Bound by name when the handlers and the scheduler are imported, i.e. inside main().
service.utcnow = scaled_utcnow

if __name__ == "__main__":
    serve.main()
