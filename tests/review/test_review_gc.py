"""The server tunes Python's garbage collector (app/heap.py: frozen start-up heap and session
states, higher thresholds). That must change only when memory is reclaimed, never a result."""

from __future__ import annotations

import gc
from typing import Any

from app import heap
from app.engine import FACILITATOR, state_view
from app.realtime import service
from app.review import forget_review, review_of


def everything(session_id: int) -> tuple[Any, Any]:
    """Every replayed view of the session, and the live state the service folds."""
    forget_review(session_id)
    service.forget(session_id)
    review = review_of(session_id)
    views = [review.replayer.view_at(seq) for seq in range(0, review.log.head_seq + 1)]
    state = service.load_state(session_id)
    return views, state_view(state, FACILITATOR, review.log.events[-1].at)


def test_gc_tuning_does_not_alter_replay_or_state(played: Any) -> None:
    """With the thresholds raised and states frozen as the server does, are every replayed view
    and the folded state the same as with the collector left alone?"""
    session_id = played.game.id
    before = everything(session_id)
    thresholds = gc.get_threshold()
    try:
        heap.tune()
        heap.freeze(collect=True)
        assert gc.get_freeze_count() > 0
        after = everything(session_id)  # load_state folds afresh, and freezes the new state
    finally:
        heap._active[0] = False
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    assert after == before
