"""Time a play-through of the bundled scenario's 90-minute track (`seminar-90`).

    .venv/bin/python bench/seminar_timing.py            # the timetable, computed
    .venv/bin/python bench/seminar_timing.py --live     # and two live runs, clock compressed

The timetable comes from the track as the engine cuts it: each move's length, the window of
each scheduled decision (offset to deadline), when the move's last deadline closes, and the
deadline minutes it packs. The live runs start a real server (`bench/scaled_serve.py`, clock
TIME_SCALE times faster, default 30) on a throw-away instance folder, seat one player for Japan
and make Korea and the United States automatic delegations, and play every move to its planned
end with real python-socketio clients:

- **agree**: Japan tables, for each decision, the option with the best worst-case score across
  the three delegations and endorses every version; if an automatic delegation rejects, Japan
  withdraws and tables the next option. The White Cell releases each queued reaction when it is
  ready. It records when each decision is settled and when the move's work is done.
- **escalate**: as agree, but Japan first tables the options an adversary or third party reacts
  to (then the most escalatory), so the reactions fire and automatic delegations push back.
- **deadlines**: nobody answers, so every decision runs to its deadline: the worst case.

A move *fits* when every decision of the move was settled (adopted or closed at its deadline)
before the facilitator moved on at the move's planned end. Minutes below are simulated minutes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.content.loader import load_scenario  # noqa: E402
from tests.live.harness import LiveClient, LiveServer, wait_until  # noqa: E402

FOLDER = ROOT / "game_content" / "scenarios" / "trilateral-2023"
TRACK = "seminar-90"


def timetable() -> list[dict[str, Any]]:
    """Per move of the track: its length, its scheduled decisions and their windows."""
    scenario = load_scenario(FOLDER).for_track(TRACK)
    moves = []
    for move in scenario.moves:
        mine = [i for i in scenario.injects if i.move == move.id]
        decisions = sorted(
            (i for i in mine if i.is_decision and i.trigger == "scheduled"),
            key=lambda i: (i.offset_minutes, i.order),
        )
        windows = [
            (i.id, i.offset_minutes, i.offset_minutes + i.deadline_minutes, bool(i.condition))
            for i in decisions
        ]
        moves.append(
            {
                "id": move.id,
                "minutes": move.duration_minutes,
                "windows": windows,
                "last_close": max(end for _id, _start, end, _cond in windows),
                "load": sum(i.deadline_minutes for i in decisions if not _is_branch_b(i, mine)),
                "reactions": [i.id for i in mine if i.trigger == "reaction"],
            }
        )
    return moves


def _is_branch_b(inject: Any, mine: list[Any]) -> bool:
    """The second of two alternatives at one slot (counted once in the deadline load)."""
    from app.content.tracks import alternatives

    return any(
        alternatives(inject, other)
        and (other.offset_minutes, other.order) < (inject.offset_minutes, inject.order)
        for other in mine
        if other.id != inject.id
    )


def print_timetable(moves: list[dict[str, Any]]) -> None:
    total = sum(m["minutes"] for m in moves)
    print(f"Track {TRACK}: {len(moves)} moves, {total} minutes")
    for m in moves:
        windows = ", ".join(
            f"{i} {a}-{b}{' (branch)' if cond else ''}" for i, a, b, cond in m["windows"]
        )
        print(
            f"  {m['id']}: {m['minutes']} min; last deadline closes at minute {m['last_close']}"
            f" (slack {m['minutes'] - m['last_close']}); {m['load']} deadline minutes;"
            f" decisions {windows}; reactions {', '.join(m['reactions']) or 'none'}"
        )


# --- live ---------------------------------------------------------------------------------------


class ScaledServer(LiveServer):
    """A LiveServer started through bench/scaled_serve.py (the compressed clock)."""

    def start(self, timeout: float = 60) -> LiveServer:
        self.starts += 1
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "scaled_serve.py")],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._answers, timeout, f"{self.url} to answer (log: {self.log})")
        return self


class Clock:
    """The server's compressed time, computed on this side from the same epoch and scale."""

    def __init__(self, epoch: float, scale: float) -> None:
        self.epoch = datetime.fromtimestamp(epoch, UTC).replace(tzinfo=None)
        self.scale = scale

    def now(self) -> datetime:
        real = datetime.now(UTC).replace(tzinfo=None)
        return self.epoch + (real - self.epoch) * self.scale


def at(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["at"].rstrip("Z"))


def _ranked_options(scenario: Any, inject_id: str, mode: str) -> list[str]:
    """The inject's options in the order Japan tries them. `agree`: best compromise first (the
    highest worst-case objective score over the three delegations, then the highest total).
    `escalate`: first the options an adversary or third party reacts to, then by escalation."""
    inject = scenario.inject(inject_id)

    def value(code: str, option: str) -> int:
        return sum(o.scoring.options.get(option, 0) for o in scenario.delegation(code).objectives)

    codes = scenario.delegation_codes
    if mode == "escalate":
        answered = {o for i in scenario.injects if i.reacts_to for o in i.reacts_to.options}
        return sorted(
            (o.id for o in inject.response_options),
            key=lambda o: (o not in answered, -scenario.option(o).effects.get("escalation", 0)),
        )
    return sorted(
        (o.id for o in inject.response_options),
        key=lambda o: (-min(value(c, o) for c in codes), -sum(value(c, o) for c in codes)),
    )


def play_live(mode: str, scale: float) -> dict[str, Any]:
    """One live play-through of the track; returns what happened when, in simulated minutes."""
    scenario = load_scenario(FOLDER)
    plan = load_scenario(FOLDER).for_track(TRACK)
    epoch = time.time()
    clock = Clock(epoch, scale)
    with tempfile.TemporaryDirectory(prefix="seminar-timing-") as folder:
        server = ScaledServer(
            Path(folder),
            TIME_SCALE=str(scale),
            SIM_EPOCH=repr(epoch),
            TICK_SECONDS="0.05",
            AUTO_DELAY_SECONDS="20",  # 20 simulated seconds to read and answer
            ASYNC_MODE="eventlet",
        )
        server.start()
        clients: list[LiveClient] = []
        try:
            token = server.create_facilitator("Timer")
            body = {"scenario": "trilateral-2023", "title": f"Timing ({mode})", "track": TRACK}
            session = server.post("/api/sessions", body, token)["session"]
            fac = LiveClient(server.url, token, session["id"], name="White Cell").connect()
            clients.append(fac)
            seat = server.join(session["join_code"], "Aiko")
            assert seat["player"]["delegation"] == "JPN", seat
            jpn = LiveClient(server.url, seat["token"], name="Aiko").connect()
            clients.append(jpn)
            for code in ("KOR", "USA"):
                ack = fac.send("delegation.set_automatic", delegation=code, automatic=True)
                assert ack["ok"], ack
            return _run(mode, scenario, plan, clock, fac, jpn)
        finally:
            for client in clients:
                client.disconnect()
            server.kill()


def _run(mode, scenario, plan, clock, fac, jpn) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    record: dict[str, Any] = {"mode": mode, "moves": []}
    seen = 0
    proposals: dict[int, dict[str, Any]] = {}  # proposal id -> {inject, version, rank}
    queued: dict[str, datetime] = {}  # white-cell reactions waiting for release
    tried: dict[str, int] = {}  # inject id -> options tried
    ack = fac.send("session.start")
    assert ack["ok"], ack
    for index, move in enumerate(plan.moves):
        if index:
            ack = fac.send("session.next_move")
            assert ack["ok"], ack
        start: datetime | None = None  # the move's start, from its event
        row: dict[str, Any] = {"id": move.id, "planned": move.duration_minutes, "settled": {}}
        row["fired"], row["skipped"], row["reactions"] = [], [], []
        open_at_end: list[str] = []
        while True:
            events = fac.events[seen:]
            seen += len(events)
            for event in events:
                kind, data = event["type"], event["data"]
                if kind in ("session_started", "move_advanced"):
                    start = at(event)
                    row["started"] = start
                if kind == "inject_fired":
                    inject = data["inject"]
                    minute = (at(event) - start).total_seconds() / 60
                    if scenario.inject(inject["id"]).trigger == "reaction":
                        row["reactions"].append((inject["id"], round(minute, 1)))
                        continue
                    row["fired"].append((inject["id"], round(minute, 1)))
                    if mode != "deadlines" and inject["response_options"]:
                        tried[inject["id"]] = 0
                        _table(jpn, scenario, inject["id"], tried, mode)
                elif kind == "inject_skipped" and data.get("by_condition"):
                    row["skipped"].append(data["inject_id"])
                elif kind == "reaction_queued":
                    if data["release"] == "white_cell":
                        queued[data["inject_id"]] = datetime.fromisoformat(
                            data["due_at"].rstrip("Z")
                        )
                elif kind in ("proposal_tabled", "proposal_amended"):
                    p = data["proposal"]
                    proposals[p["id"]] = {"inject": p["inject_id"], "version": p["version"]}
                    ack = jpn.send("proposal.endorse", proposal_id=p["id"], version=p["version"])
                elif kind == "proposal_position":
                    p = data["proposal"]
                    rejected = any(
                        pos["stance"] == "reject" and pos["version"] == p["version"]
                        for pos in p["positions"].values()
                    )
                    if rejected and p["status"] == "open" and p["inject_id"] in tried:
                        jpn.send("proposal.withdraw", proposal_id=p["id"])
                        tried[p["inject_id"]] += 1
                        _table(jpn, scenario, p["inject_id"], tried, mode)
                elif kind == "proposal_adopted":
                    inject_id = data["proposal"]["inject_id"]
                    row["settled"][inject_id] = (
                        "adopted",
                        round((at(event) - start).total_seconds() / 60, 1),
                    )
                elif kind == "deadline_expired":
                    inject_id = data["inject_id"]
                    row["settled"].setdefault(
                        inject_id, ("deadline", round((at(event) - start).total_seconds() / 60, 1))
                    )
            now = clock.now()
            for inject_id, due in list(queued.items()):
                if now >= due:
                    fac.send("inject.fire", inject_id=inject_id)
                    del queued[inject_id]
            if start is not None and now >= start + timedelta(minutes=move.duration_minutes):
                decisions = [i for i, _m in row["fired"] if scenario.inject(i).response_options]
                open_at_end = [i for i in decisions if i not in row["settled"]]
                break
            time.sleep(0.01)
        row["open_at_end"] = open_at_end
        row["played"] = round((clock.now() - start).total_seconds() / 60, 1)
        done = [m for _how, m in row["settled"].values()] + [m for _i, m in row["reactions"]]
        row["work_done_at"] = max(done) if done else 0.0
        record["moves"].append(row)
    ack = fac.send("session.end")
    assert ack["ok"], ack
    record["total"] = round(sum(m["played"] for m in record["moves"]), 1)
    return record


def _table(
    jpn: LiveClient, scenario: Any, inject_id: str, tried: dict[str, int], mode: str
) -> None:
    ranked = _ranked_options(scenario, inject_id, mode)
    if tried[inject_id] >= len(ranked):
        return
    option = ranked[tried[inject_id]]
    jpn.send("proposal.table", inject_id=inject_id, text=f"We propose: {option}", options=[option])


def print_live(record: dict[str, Any]) -> None:
    print(f"Live run '{record['mode']}': {record['total']} simulated minutes in all")
    for m in record["moves"]:
        settled = ", ".join(f"{i} {how} at {minute}" for i, (how, minute) in m["settled"].items())
        reactions = ", ".join(f"{i} at {minute}" for i, minute in m["reactions"]) or "none"
        fits = "fits" if not m["open_at_end"] else f"OPEN AT END: {', '.join(m['open_at_end'])}"
        print(
            f"  {m['id']}: played {m['played']} of {m['planned']} min; work done by minute"
            f" {m['work_done_at']}; {fits}; settled: {settled or 'nothing'};"
            f" skipped by condition: {', '.join(m['skipped']) or 'none'}; reactions: {reactions}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", action="store_true", help="also play it on a live server")
    parser.add_argument("--scale", type=float, default=float(os.environ.get("TIME_SCALE", 30)))
    parser.add_argument("--modes", default="agree,escalate,deadlines", help="comma-separated")
    args = parser.parse_args()
    print_timetable(timetable())
    if args.live:
        for mode in args.modes.split(","):
            began = time.monotonic()
            print_live(play_live(mode, args.scale))
            print(f"  (wall clock {time.monotonic() - began:.0f} s at {args.scale:g}x)")


if __name__ == "__main__":
    main()
