"""Metrics of a played session. Definitions (also in docs/review.md):

- *time to first proposal*: play seconds from an inject's `inject_fired` to the first
  `proposal_tabled` that answers it (None: nobody tabled one);
- *time to consensus*: play seconds from `inject_fired` to the `proposal_adopted` that answers
  it; the outcome is `adopted`, `no_consensus` (the deadline passed, or a facilitator closed it)
  or `unresolved` (neither happened before the log ends); only `adopted` has a time;
- *versions*: every text of every proposal on the inject (tabling makes version 1, each
  amendment one more);
- *participation*: per player and per delegation, messages, words in messages, proposals tabled,
  amendments, endorsements, rejections, reservations, statements; a delegation's figures add its
  players' (counted for the delegation they sat in when they acted) and its automatic play;
- *indicators over time*: the value of each indicator after every change, with its cause;
- *objective scores*: the points each delegation's private objectives earned from adopted
  responses (the `score_deltas` of each `proposal_adopted`).
"""

from __future__ import annotations

from typing import Any

from app.review.facts import WHITE, Facts
from app.review.log import ReviewLog, iso_full
from app.review.proposals import option_text
from app.review.transcripts import word_count

COUNTS = (
    "messages",
    "words",
    "proposals",
    "amendments",
    "endorsements",
    "rejections",
    "reservations",
    "statements",
)
_STANCE_COUNT = {"endorse": "endorsements", "reject": "rejections", "reserve": "reservations"}


def _counts() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


def participation(log: ReviewLog, facts: Facts) -> dict[str, Any]:
    """Per player and per delegation activity counts (see the module docstring)."""
    players: dict[int, dict[str, int]] = {pid: _counts() for pid in facts.players}
    codes = log.scenario.delegation_codes
    delegations: dict[str, dict[str, int]] = {code: _counts() for code in codes}
    white = _counts()
    for event in log.events:
        key = _counted(event)
        if key is None:
            continue
        amount = word_count(event.data["text"]) if key == "messages" else 1
        code = facts.acting.get(event.seq)
        actor = event.actor
        targets = []
        if actor.get("kind") == "player" and actor.get("id") in players:
            targets.append(players[actor["id"]])
        if code in delegations:
            targets.append(delegations[code])
        elif code == WHITE:
            targets.append(white)
        for target in targets:
            target[key] += 1
            if key == "messages":
                target["words"] += amount
    return {
        "players": [
            {
                "id": info.id,
                "name": info.name,
                "delegation": info.delegation,
                "role_title": info.role_title,
                "removed": info.removed,
                **players[info.id],
            }
            for info in sorted(facts.players.values(), key=lambda p: (codes_index(codes, p), p.id))
        ],
        "delegations": [
            {"code": code, "name": log.scenario.delegation(code).name, **delegations[code]}
            for code in codes
        ],
        "white_cell": white,
    }


def codes_index(codes: tuple[str, ...], info: Any) -> int:
    return codes.index(info.delegation) if info.delegation in codes else len(codes)


def _counted(event: Any) -> str | None:
    kind = event.type
    if kind == "message_posted":
        return "messages"
    if kind == "proposal_tabled":
        return "proposals"
    if kind == "proposal_amended":
        return "amendments"
    if kind == "proposal_position":
        return _STANCE_COUNT.get(event.data["stance"])
    if kind == "statement_issued":
        return "statements"
    return None


def inject_metrics(log: ReviewLog, facts: Facts) -> list[dict[str, Any]]:
    """One row per inject of the scenario (and per ad-hoc inject), in the order they fired."""
    rows: dict[str, dict[str, Any]] = {}
    for inject_id, fired in facts.fired.items():
        public = fired.data["inject"]
        white = fired.data.get("_white", {})
        rows[inject_id] = {
            "id": inject_id,
            "title": public["title"],
            "move": public.get("move"),
            "adhoc": bool(public.get("adhoc")),
            "fired": True,
            "fired_seq": fired.seq,
            "fired_at": iso_full(fired.at),
            "fired_play_seconds": facts.play_seconds(fired.at),
            "audience": public.get("audience", "all"),
            "expected_action": white.get("expected_action"),
            "teaching_point": white.get("teaching_point"),
            "menu": [dict(o, chosen=False, statements=[]) for o in public["response_options"]],
            "proposals": 0,
            "versions": 0,
            "first_proposal_seconds": None,
            "consensus_seconds": None,
            "closed_seconds": None,  # no consensus: when the deadline closed it
            "outcome": "unresolved",
            "adopted_proposal_id": None,
            "adopted_version": None,
            "chosen": [],
            "statements": [],
        }
    proposal_inject: dict[int, str] = {}
    for event in log.events:
        d = event.data
        kind = event.type
        if kind == "proposal_tabled" and d.get("inject_id") in rows:
            row = rows[d["inject_id"]]
            proposal_inject[d["proposal_id"]] = d["inject_id"]
            row["proposals"] += 1
            row["versions"] += 1
            if row["first_proposal_seconds"] is None:
                row["first_proposal_seconds"] = _since_fired(facts, row, event.at)
        elif kind == "proposal_amended" and d["proposal_id"] in proposal_inject:
            rows[proposal_inject[d["proposal_id"]]]["versions"] += 1
        elif kind == "proposal_adopted" and d.get("inject_id") in rows:
            row = rows[d["inject_id"]]
            if row["outcome"] != "adopted":
                row.update(
                    outcome="adopted",
                    consensus_seconds=_since_fired(facts, row, event.at),
                    adopted_proposal_id=d["proposal_id"],
                    adopted_version=d["version"],
                    chosen=list(d["options"]),
                )
                for option in row["menu"]:
                    option["chosen"] = option["id"] in d["options"]
        elif kind == "deadline_expired" and d["inject_id"] in rows:
            row = rows[d["inject_id"]]
            if row["outcome"] == "unresolved":
                row["outcome"] = "no_consensus"
                row["closed_seconds"] = _since_fired(facts, row, event.at)
        elif kind == "statement_issued" and d.get("inject_id") in rows:
            row = rows[d["inject_id"]]
            row["statements"].append({"delegation": d["delegation"], "options": d["options"]})
            for option in row["menu"]:
                if option["id"] in d["options"]:
                    option["statements"].append(d["delegation"])
    ordered = sorted(rows.values(), key=lambda r: r["fired_seq"])
    for inject in log.scenario.injects:
        if inject.id not in rows:
            ordered.append(
                {
                    "id": inject.id,
                    "title": inject.title,
                    "move": inject.move,
                    "adhoc": False,
                    "fired": False,
                    "outcome": "not_fired",
                    "expected_action": inject.expected_action,
                    "teaching_point": inject.teaching_point,
                    "menu": [
                        {"id": o.id, "text": o.text, "chosen": False, "statements": []}
                        for o in inject.response_options
                    ],
                    "proposals": 0,
                    "versions": 0,
                    "first_proposal_seconds": None,
                    "consensus_seconds": None,
                    "closed_seconds": None,
                    "chosen": [],
                    "statements": [],
                }
            )
    for row in ordered:
        row["chosen_text"] = [option_text(log, facts, o) for o in row["chosen"]]
    return ordered


def _since_fired(facts: Facts, row: dict[str, Any], at: Any) -> float:
    fired = facts.fired[row["id"]]
    return facts.play_between(fired.at, at)


def indicator_series(log: ReviewLog, facts: Facts) -> dict[str, Any]:
    """Each indicator's value over play time: a start point and one point per change."""
    scenario = log.scenario
    values = {i.id: i.start for i in scenario.indicators}
    series: dict[str, list[dict[str, Any]]] = {
        i.id: [{"seq": 0, "play_seconds": 0.0, "value": i.start, "cause": "start"}]
        for i in scenario.indicators
    }
    for event in log.events:
        d = event.data
        if event.type in ("proposal_adopted", "statement_issued", "indicators_changed"):
            after = d.get("indicators", {})
            if event.type == "proposal_adopted":
                cause = f"adoption of proposal {d['proposal_id']}"
            elif event.type == "statement_issued":
                cause = f"statement by {d['delegation']}"
            else:
                cause = d.get("cause", "change")
        elif event.type == "indicator_overridden":
            after = {d["indicator"]: d["value"]}
            cause = f"ruling: {d['ruling']}"
        else:
            continue
        play = facts.play_seconds(event.at) or 0.0
        for indicator_id, value in after.items():
            if indicator_id in values and values[indicator_id] != value:
                values[indicator_id] = value
                series[indicator_id].append(
                    {"seq": event.seq, "play_seconds": play, "value": value, "cause": cause}
                )
    return {
        "indicators": [
            {"id": i.id, "name": i.name, "min": i.min, "max": i.max, "start": i.start}
            for i in scenario.indicators
        ],
        "series": series,
        "final": values,
    }


def objective_scores(log: ReviewLog, facts: Facts) -> list[dict[str, Any]]:
    """Per delegation: each private objective, its score and the adoptions that moved it."""
    scenario = log.scenario
    points = {d.code: {o.id: 0 for o in d.objectives} for d in scenario.delegations}
    earned: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for event in log.events:
        if event.type != "proposal_adopted":
            continue
        for code, delta in event.data.get("score_deltas", {}).items():
            for objective, value in delta.items():
                points.setdefault(code, {}).setdefault(objective, 0)
                points[code][objective] += value
                earned.setdefault((code, objective), []).append(
                    {
                        "seq": event.seq,
                        "proposal_id": event.data["proposal_id"],
                        "inject_id": event.data.get("inject_id"),
                        "points": value,
                    }
                )
    return [
        {
            "code": d.code,
            "name": d.name,
            "total": sum(points[d.code].values()),
            "objectives": [
                {
                    "id": o.id,
                    "text": o.text,
                    "score": points[d.code].get(o.id, 0),
                    "earned": earned.get((d.code, o.id), []),
                }
                for o in d.objectives
            ],
        }
        for d in scenario.delegations
    ]


def summary(log: ReviewLog, facts: Facts) -> dict[str, Any]:
    """Headline figures of the session."""
    end = facts.end or (log.events[-1].at if log.events else None)
    counts: dict[str, int] = {}
    for event in log.events:
        counts[event.type] = counts.get(event.type, 0) + 1
    if facts.end is not None:
        status = "ended"
    elif facts.pauses and facts.pauses[-1][1] is None:
        status = "paused"
    else:
        status = "running" if facts.start else "lobby"
    return {
        "status": status,  # from the log itself (the sessions table keeps a copy)
        "events": len(log.events),
        "head_seq": log.head_seq,
        "started_at": iso_full(facts.start),
        "ended_at": iso_full(facts.end),
        "play_seconds": facts.play_seconds(end) if end and facts.start else None,
        "paused_seconds": round(
            sum(((b or end) - a).total_seconds() for a, b in facts.pauses if end), 3
        ),
        "moves_played": len(facts.moves),
        "players": len(facts.players),
        "messages": counts.get("message_posted", 0),
        "injects_fired": counts.get("inject_fired", 0),
        "proposals": counts.get("proposal_tabled", 0),
        "versions": counts.get("proposal_tabled", 0) + counts.get("proposal_amended", 0),
        "adoptions": counts.get("proposal_adopted", 0),
        "statements": counts.get("statement_issued", 0),
        "rulings": counts.get("indicator_overridden", 0),
        "by_type": counts,
    }
