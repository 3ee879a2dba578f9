"""Replay: the state at any seq, rebuilt from the log, is the state the session had then."""

from app.engine import FACILITATOR, fold, state_view
from app.review.replay import Replayer


def test_replay_at_a_seq_equals_the_live_state_recorded_then(review, played):
    """Does replaying to each recorded seq give the facilitator view the live server had?"""
    assert len(played.live) >= 5
    for seq, live in played.live.items():
        assert review.replayer.view_at(seq)["state"] == live, f"seq {seq}"


def test_every_checkpoint_spacing_gives_the_same_state_as_a_fold(review):
    """Is a jump through checkpoints the same as folding the log from the start, at every seq?"""
    log = review.log
    replayer = Replayer(log, every=4)
    for seq in range(0, log.head_seq + 1):
        now = log.events[max(seq, 1) - 1].at
        jumped = state_view(replayer.state_at(seq), FACILITATOR, now)
        folded = state_view(fold(log.scenario, log.session_id, log.events[:seq]), FACILITATOR, now)
        assert jumped == folded, f"seq {seq}"


def test_jumping_back_does_not_disturb_later_jumps(review):
    """Can a reviewer scrub back and forth and see the same state each time?"""
    head = review.log.head_seq
    last = review.replayer.view_at(head)
    review.replayer.view_at(3)
    assert review.replayer.view_at(head) == last


def test_replay_endpoint_steps_event_by_event(owner_client, played):
    """Does /replay.json give the event at each seq and the state right after it?"""
    url = f"/review/{played.game.id}/replay.json"
    before = owner_client.get(url, query_string={"seq": 8}).get_json()
    after = owner_client.get(url, query_string={"seq": 9}).get_json()
    assert before["event"]["type"] == "session_started"
    assert after["event"]["type"] == "inject_fired"
    assert len(before["state"]["injects"]) == 0 and len(after["state"]["injects"]) == 1
    assert owner_client.get(url, query_string={"seq": 0}).get_json()["event"] is None
    clamped = owner_client.get(url, query_string={"seq": 10_000}).get_json()
    assert clamped["seq"] == clamped["head_seq"] == review_head(played)


def review_head(played):
    from app.review.log import head_of

    return head_of(played.game.id)
