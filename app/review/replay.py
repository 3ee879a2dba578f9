"""Replay: the session's state at any seq, rebuilt from the log with the engine's own fold.

Folding from the start for every jump would cost a pass over the whole log, so the first jump
folds once and keeps a pickled copy of the state every `every` events; a jump then unpickles
the nearest checkpoint at or before the target and applies at most `every - 1` events.

Measured on a 20,000-event seminar (bench/review_bench.py): the fold is ~15 ms, a pickle of the
final state ~18 ms and its unpickling ~15 ms, so checkpoints are kept sparse (every 2,000
events): the first jump pays ~10 pickles, every jump one unpickle and < 2,000 applies.
"""

from __future__ import annotations

import bisect
import pickle
import threading
from datetime import datetime
from typing import Any

from app.engine import FACILITATOR, EventRecord, SessionState, apply, event_view, new_state
from app.engine import state_view as engine_state_view
from app.review.log import ReviewLog, bulk

CHECKPOINT_EVERY = 2000


class Replayer:
    """Jump to any seq of one log; thread-safe, checkpoints built on first use."""

    def __init__(self, log: ReviewLog, every: int = CHECKPOINT_EVERY) -> None:
        self.log = log
        self.every = max(1, every)
        self._seqs = [e.seq for e in log.events]
        self._checkpoints: list[tuple[int, bytes]] | None = None  # (index into events, state)
        self._lock = threading.Lock()

    @property
    def head_seq(self) -> int:
        return self._seqs[-1] if self._seqs else 0

    def _freeze(self, state: SessionState) -> bytes:
        # The scenario is shared and immutable: leave it out of every copy.
        scenario, state.scenario = state.scenario, None  # type: ignore[assignment]
        try:
            return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            state.scenario = scenario

    def _thaw(self, blob: bytes) -> SessionState:
        state = pickle.loads(blob)
        state.scenario = self.log.scenario
        return state

    def _build(self) -> list[tuple[int, bytes]]:
        with self._lock, bulk():
            if self._checkpoints is None:
                state = new_state(self.log.scenario, self.log.session_id)
                points = [(0, self._freeze(state))]
                for index, event in enumerate(self.log.events, start=1):
                    apply(state, event)
                    if index % self.every == 0:
                        points.append((index, self._freeze(state)))
                self._checkpoints = points
            return self._checkpoints

    def state_at(self, seq: int) -> SessionState:
        """A fresh state as it was right after event `seq` (0: before the first event)."""
        count = bisect.bisect_right(self._seqs, seq)  # events with seq <= target
        points = self._build()
        index = bisect.bisect_right([p[0] for p in points], count) - 1
        start, blob = points[index]
        state = self._thaw(blob)
        for event in self.log.events[start:count]:
            apply(state, event)
        return state

    def event(self, seq: int) -> EventRecord | None:
        index = bisect.bisect_left(self._seqs, seq)
        if index < len(self._seqs) and self._seqs[index] == seq:
            return self.log.events[index]
        return None

    def view_at(self, seq: int) -> dict[str, Any]:
        """The facilitator's view of the session right after event `seq`, and that event."""
        seq = max(0, min(seq, self.head_seq))
        with bulk():  # a whole state is unpickled and dropped again: no collection is needed
            state = self.state_at(seq)
            event = self.event(seq)
            now = event.at if event else _first_time(self.log)
            return {
                "seq": seq,
                "head_seq": self.head_seq,
                "event": event_view(event, FACILITATOR) if event else None,
                "state": engine_state_view(state, FACILITATOR, now),
            }


def _first_time(log: ReviewLog) -> datetime:
    return log.events[0].at if log.events else datetime(1970, 1, 1)
