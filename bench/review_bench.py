"""How fast is the after-action review of a long session?

Builds a session of 20,000 events through the engine's own rules (`decide`, then the log's
`stage_events`), on a clock that advances about half a second per event (a three-hour
seminar): 18 players, every inject of every move, messages in every channel, proposals with
amendments, rejections and adoptions, pauses, statements and rulings. Then it measures, through
the Flask test client:

- review open: the page and the JSON calls it makes on load (timeline, proposals, first page of
  transcripts, replay at the head), cold (nothing cached) and warm;
- the five charts (drawn once, then cached);
- a replay jump: the first (which folds the log once and keeps checkpoints) and 50 random ones.

Run: `python bench/review_bench.py [--events 20000]` (targets: open < 1 s, jump < 200 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAMES = [
    "Aiko", "Min-jun", "Sam", "Haruto", "Ji-woo", "Alex", "Yui", "Seo-yeon", "Jordan",
    "Ren", "Do-yun", "Casey", "Mio", "Ha-eun", "Riley", "Sora", "Eun-ji", "Morgan",
]  # fmt: skip
WORDS = [
    "we", "should", "consider", "the", "joint", "statement", "on", "deterrence", "and", "the",
    "sanctions", "package", "before", "the", "summit", "while", "keeping", "channels", "with",
    "Beijing", "open", "and", "consulting", "Seoul", "on", "any", "strike",
]  # fmt: skip


def build(events_wanted: int, seed: int = 7) -> int:
    """Create the long session in the current app context; returns its id."""
    from app.engine import FACILITATOR, Actor, CommandError, decide, state_view  # noqa: F401
    from app.engine import apply as apply_event
    from app.engine.channels import channels_for
    from app.extensions import db
    from app.realtime.service import load_state
    from app.realtime.sessions import create_session, join_session
    from app.store.accounts import create_facilitator
    from app.store.eventlog import stage_events
    from app.store.scenarios import latest_scenarios

    rng = random.Random(seed)
    owner = create_facilitator("Bench Facilitator", "correct horse battery")
    scenario = next(s for s in latest_scenarios() if s.slug == "trilateral-2023")
    game = create_session(owner.id, scenario, "Long seminar")
    for name in NAMES:
        join_session(game.join_code, name)
    state = load_state(game.id)
    codes = state.scenario.delegation_codes
    fac = Actor("facilitator", owner.id, owner.name)
    now = datetime(2026, 3, 2, 9, 0, 0)
    pending: list[Any] = []

    def act(actor: Actor, kind: str, **fields: Any) -> bool:
        nonlocal now
        now += timedelta(seconds=rng.uniform(0.1, 1.0))
        try:
            drafts = decide(state, actor, kind, fields, now)
        except CommandError:
            return False
        records = stage_events(game.id, drafts, actor.as_dict(), state.seq, now)
        for record in records:
            apply_event(state, record)
        pending.extend(records)
        if len(pending) >= 2000:
            db.session.commit()
            pending.clear()
        return True

    def player(code: str, lead: bool = False) -> Actor:
        seats = state.active_seats(code)
        seat = next(s for s in seats if s.id == state.leads[code]) if lead else rng.choice(seats)
        return Actor("player", seat.id, seat.name, seat.delegation)

    def chatter(count: int) -> None:
        for _ in range(count):
            who = player(rng.choice(codes))
            channel = rng.choice(channels_for(who.delegation, codes))
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30)))
            act(who, "message.post", channel=channel, text=text.capitalize() + ".")

    def negotiate(inject_id: str | None) -> None:
        status = state.injects.get(inject_id) if inject_id else None
        menu = list(status.options) if status else []
        author = player(rng.choice(codes))
        options = rng.sample(menu, k=min(len(menu), rng.randint(1, 2))) if menu else []
        if not act(author, "proposal.table", inject_id=inject_id, text="Draft.", options=options):
            return
        proposal = max(state.proposals)
        for round_ in range(rng.randint(1, 4)):
            chatter(rng.randint(5, 25))
            version = state.proposals[proposal].current.n
            for code in codes:
                stance = rng.choice(["endorse", "endorse", "reject", "reserve"])
                reason = {} if stance == "endorse" else {"reason": "Not yet."}
                act(player(code, lead=True), f"proposal.{stance}", proposal_id=proposal,
                    version=version, **reason)  # fmt: skip
            if state.proposals[proposal].status != "open":
                return
            new = rng.sample(menu, k=min(len(menu), rng.randint(1, 2))) if menu else []
            text = f"Draft, revised {round_ + 1}: " + " ".join(rng.sample(WORDS, 8))
            act(player(rng.choice(codes)), "proposal.amend", proposal_id=proposal, text=text,
                options=new)  # fmt: skip
        version = state.proposals[proposal].current.n
        for code in codes:
            act(player(code, lead=True), "proposal.endorse", proposal_id=proposal, version=version)

    act(fac, "session.start")
    moves = state.scenario.moves
    for index, move in enumerate(moves):
        if index:
            act(fac, "session.next_move")
        for inject in state.scenario.injects_in_move(move.id):
            act(fac, "inject.fire", inject_id=inject.id)
            chatter(rng.randint(10, 40))
            negotiate(inject.id)
            if rng.random() < 0.3:
                lead = player(rng.choice(codes), lead=True)
                act(lead, "statement.issue", inject_id=inject.id, text="Our position.",
                    options=list(state.injects[inject.id].options[:1]))  # fmt: skip
            if rng.random() < 0.2:
                act(fac, "session.pause")
                now += timedelta(seconds=rng.uniform(30, 180))
                act(fac, "session.resume")
        act(fac, "indicator.override", indicator="cohesion", value=rng.randint(30, 70),
            ruling="White Cell ruling after the move.")  # fmt: skip
    while state.seq < events_wanted - 1:
        chatter(rng.randint(20, 60))
        if state.seq < events_wanted - 40:
            negotiate(None)
    while state.seq < events_wanted - 1:
        chatter(1)
    act(fac, "session.end")
    game.status = "ended"  # the sessions table's copy (the service keeps it when it records)
    db.session.commit()
    return game.id


CPU: list[float] = []  # CPU milliseconds of the last `timed` call


def timed(fn: Any) -> tuple[float, Any]:
    """Wall milliseconds of one call (its CPU milliseconds go to CPU[-1])."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    CPU.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="review-bench-")
    os.environ["INSTANCE_PATH"] = folder
    os.environ.pop("DATABASE_URL", None)
    from flask_migrate import upgrade

    from app import create_app
    from app.config import Config
    from app.review import review as review_module
    from app.review.log import head_of
    from app.store.scenarios import sync_bundled_scenarios

    config = Config()
    config.ASYNC_MODE = "threading"
    config.SCHEDULER_ENABLED = False
    app = create_app(config)
    with app.app_context():
        upgrade()
        sync_bundled_scenarios(Path(app.config["SCENARIO_DIR"]))
        build_ms, session_id = timed(lambda: build(args.events))
        from app.extensions import db
        from app.realtime.sessions import create_session
        from app.store.models import GameSession

        small_id = create_session(1, db.session.get(GameSession, session_id).scenario, "Small").id
        head = head_of(session_id)
        print(f"built session {session_id}: {head} events in {build_ms / 1000:.1f} s")
    # The machine may be shared: say how busy it was, since every figure below is wall time.
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["facilitator_id"] = 1
    base = f"/review/{session_id}"
    on_load = [
        base,
        f"{base}/timeline.json",
        f"{base}/proposals.json",
        f"{base}/transcripts.json",
        f"{base}/replay.json?seq={head}",
    ]

    def open_review() -> dict[str, tuple[float, float]]:
        times = {}
        for url in on_load:
            ms, response = timed(lambda url=url: client.get(url))
            assert response.status_code == 200, (url, response.status_code)
            times[url.replace(base, "") or "/ (page)"] = (ms, CPU[-1])
        return times

    # A running server has compiled the page's templates already: open a small review first.
    client.get(f"/review/{small_id}")
    review_module._cache.clear()
    cold = open_review()
    warm = open_review()
    print("\nreview open (page + the JSON calls it makes on load), milliseconds wall (cpu):")
    for url in cold:
        (cw, cc), (ww, wc) = cold[url], warm[url]
        print(f"  {url:<26} cold {cw:7.1f} ({cc:6.1f})   warm {ww:6.1f} ({wc:6.1f})")
    total = [sum(t[i] for t in cold.values()) for i in (0, 1)]
    total_warm = [sum(t[i] for t in warm.values()) for i in (0, 1)]
    print(
        f"  {'total':<26} cold {total[0]:7.1f} ({total[1]:6.1f})"
        f"   warm {total_warm[0]:6.1f} ({total_warm[1]:6.1f})"
    )

    charts = {}
    for name in ("timeline", "indicators", "delegations", "players", "consensus"):
        ms, response = timed(lambda name=name: client.get(f"{base}/charts/{name}.svg"))
        charts[name] = (ms, CPU[-1], len(response.data))
    print("\ncharts (first draw; cached afterwards), milliseconds wall (cpu) and size:")
    for name, (ms, cpu, size) in charts.items():
        print(f"  {name:<12} {ms:7.1f} ({cpu:6.1f})  {size / 1024:6.1f} KiB")

    review_module._cache.clear()
    client.get(f"{base}/timeline.json")  # the review itself is loaded; checkpoints are not
    first_ms, _ = timed(lambda: client.get(f"{base}/replay.json?seq={head // 2}"))
    first_cpu = CPU[-1]
    rng = random.Random(1)
    jumps, cpus = [], []
    for _ in range(50):
        seq = rng.randint(0, head)
        ms, response = timed(lambda seq=seq: client.get(f"{base}/replay.json?seq={seq}"))
        assert response.status_code == 200
        jumps.append(ms)
        cpus.append(CPU[-1])
    jumps.sort()
    cpus.sort()
    print("\nreplay jump over HTTP (state rebuilt and sent as JSON), milliseconds wall (cpu):")
    print(f"  first jump (folds the log once, keeps checkpoints): {first_ms:.1f} ({first_cpu:.1f})")
    print(
        f"  50 random jumps: median {statistics.median(jumps):.1f} ({statistics.median(cpus):.1f}),"
        f" p90 {jumps[44]:.1f} ({cpus[44]:.1f}), max {jumps[-1]:.1f} ({cpus[-1]:.1f})"
    )
    with app.app_context():
        exports = {}
        review = review_module.review_of(session_id)
        from app.review.exports import export

        for fmt in ("json", "csv", "md", "html"):
            ms, result = timed(lambda fmt=fmt: export(review, fmt))
            exports[fmt] = (ms, CPU[-1], len(result.body))
    print("\nexports, milliseconds wall (cpu) and size:")
    for fmt, (ms, cpu, size) in exports.items():
        print(f"  {fmt:<5} {ms:8.1f} ({cpu:8.1f})  {size / 1024 / 1024:6.2f} MiB")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
