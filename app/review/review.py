"""`Review`: everything the after-action pages and exports show, computed once per log.

Reviews of stored sessions are cached per process and checked against the log's head seq on
every use, so a page, its JSON calls and its charts share one pass over the log.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cached_property
from typing import Any

from app.review import metrics, proposals, timeline, transcripts
from app.review.anonymise import Pseudonyms, anonymise_log, pseudonyms
from app.review.facts import Facts, gather
from app.review.log import ReviewLog, bulk, head_of, load_log, load_notes
from app.review.replay import Replayer
from app.review.scope import debrief_log

CACHE_SIZE = 6


class Review:
    """The review of one log. Every part is computed on first use and kept."""

    def __init__(self, log: ReviewLog, alias: Pseudonyms | None = None) -> None:
        self.log = log
        self.alias = alias  # set on an anonymised review: how its names were replaced
        self._charts: dict[str, str] = {}
        self._charts_lock = threading.Lock()

    @property
    def scenario(self) -> Any:
        return self.log.scenario

    @property
    def anonymised(self) -> bool:
        return bool(self.log.session.get("anonymised"))

    @property
    def text_withheld(self) -> bool:
        """An anonymised review whose free texts are all withheld (strict research use)."""
        return bool(self.log.session.get("text_withheld"))

    @cached_property
    def facts(self) -> Facts:
        with bulk():
            return gather(self.log)

    @cached_property
    def timeline(self) -> list[dict[str, Any]]:
        facts = self.facts
        with bulk():
            return timeline.timeline(self.log, facts)

    @cached_property
    def messages(self) -> list[dict[str, Any]]:
        facts = self.facts
        with bulk():
            return transcripts.messages(self.log, facts)

    @cached_property
    def channel_counts(self) -> dict[str, int]:
        """Messages per channel (without building the transcripts)."""
        counts: dict[str, int] = {}
        for event in self.log.events:
            if event.type == "message_posted":
                channel = event.data["channel"]
                counts[channel] = counts.get(channel, 0) + 1
        return counts

    @cached_property
    def proposals(self) -> list[dict[str, Any]]:
        facts = self.facts
        with bulk():
            return proposals.histories(self.log, facts)

    @cached_property
    def injects(self) -> list[dict[str, Any]]:
        return metrics.inject_metrics(self.log, self.facts)

    @cached_property
    def participation(self) -> dict[str, Any]:
        return metrics.participation(self.log, self.facts)

    @cached_property
    def indicators(self) -> dict[str, Any]:
        return metrics.indicator_series(self.log, self.facts)

    @cached_property
    def scores(self) -> list[dict[str, Any]]:
        return metrics.objective_scores(self.log, self.facts)

    @cached_property
    def summary(self) -> dict[str, Any]:
        return metrics.summary(self.log, self.facts)

    @cached_property
    def replayer(self) -> Replayer:
        return Replayer(self.log)

    def chart(self, name: str) -> str:
        """One chart as SVG text, rendered on first use (KeyError: no such chart)."""
        from app.review.charts import CHARTS

        maker = CHARTS[name]
        with self._charts_lock:
            if name not in self._charts:
                self._charts[name] = maker(self)
            return self._charts[name]

    def all_charts(self) -> dict[str, str]:
        from app.review.charts import CHARTS

        return {name: self.chart(name) for name in CHARTS}

    def channels(self) -> list[dict[str, str]]:
        return transcripts.channels(self.log)

    @cached_property
    def debrief_unlocked(self) -> bool:
        """True once a facilitator has revealed "what actually happened" (`debrief_unlocked`)."""
        return any(event.type == "debrief_unlocked" for event in self.log.events)

    @cached_property
    def hot_wash(self) -> list[dict[str, Any]]:
        """The students' hot-wash answers, in the order sent, by delegation (no names)."""
        return [
            {"seq": event.seq, "delegation": event.data.get("delegation"), **event.data["answers"]}
            for event in self.log.events
            if event.type == "hotwash_submitted"
        ]

    def debrief(self) -> dict[str, Any]:
        """Debrief questions (with their theory prompts), the hot wash, what actually happened
        per inject (only once unlocked), and the HSEEP note subjects."""
        scenario = self.scenario
        fired = self.facts.fired
        unlocked = self.debrief_unlocked
        prompts = {p.id: p for p in scenario.theory_prompts}
        injects = []
        for inject in scenario.injects:
            injects.append(
                {
                    "id": inject.id,
                    "title": inject.title,
                    "move": inject.move,
                    "fired": inject.id in fired,
                    "expected_action": inject.expected_action,
                    "teaching_point": inject.teaching_point,
                    "what_happened": inject.what_happened if unlocked else None,
                    "sources": [
                        {
                            "title": s.title,
                            "publisher": s.publisher,
                            "date": str(s.date),
                            "url": s.url,
                        }
                        for s in (scenario.source(sid) for sid in inject.sources)
                    ],
                }
            )
        injects.sort(key=lambda i: (not i["fired"], fired[i["id"]].seq if i["fired"] else 0))
        return {
            "questions": [
                {
                    "id": q.id,
                    "text": q.text,
                    "theory": [
                        {"id": t, "title": prompts[t].title, "text": prompts[t].text}
                        for t in q.theory
                        if t in prompts
                    ],
                }
                for q in scenario.debrief_questions
            ],
            "theory_prompts": [p.model_dump(mode="json") for p in scenario.theory_prompts],
            "hot_wash": self.hot_wash,
            "unlocked": unlocked,
            "injects": injects,
            "subjects": note_subjects(self),
        }

    def as_dict(self) -> dict[str, Any]:
        """The whole review as JSON-ready data (without transcripts and charts)."""
        return {
            "session": self.log.session,
            "scenario": self.log.scenario_meta,
            "summary": self.summary,
            "injects": self.injects,
            "participation": self.participation,
            "indicators": self.indicators,
            "scores": self.scores,
            "timeline": self.timeline,
            "proposals": self.proposals,
            "debrief": self.debrief(),
            "notes": self.log.notes,
        }


def note_subjects(review: Review) -> list[dict[str, str]]:
    """What a facilitator writes HSEEP notes on: the session overall and each objective."""
    subjects = [{"id": "session", "label": "The session overall", "delegation": ""}]
    for delegation in review.scenario.delegations:
        for objective in delegation.objectives:
            subjects.append(
                {"id": objective.id, "label": objective.text, "delegation": delegation.code}
            )
    return subjects


_cache: OrderedDict[tuple[int, bool, bool, str], tuple[tuple[int, str], Review]] = OrderedDict()
_cache_lock = threading.Lock()


def review_of(
    session_id: int, anonymise: bool = False, withhold_text: bool = False, scope: str = "full"
) -> Review | None:
    """The review of a stored session (None if it does not exist), cached while its log holds.

    `withhold_text` (which implies `anonymise`) replaces every free text by a marker. `scope` is
    `full` or `debrief` (app.review.scope: what a debrief share link shows)."""
    anonymise = anonymise or withhold_text
    from app.extensions import db
    from app.store.models import GameSession

    game = db.session.get(GameSession, session_id)
    if game is None:
        forget_review(session_id)
        return None
    # The creation time tells a new session from a deleted one whose id SQLite reused.
    stamp = (head_of(session_id), str(game.created_at))
    key = (session_id, anonymise, withhold_text, scope)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            _cache.move_to_end(key)
            review = hit[1]
            review.log.notes = _notes(review, session_id) if scope != "debrief" else []
            return review
    log = load_log(session_id)
    if log is None:
        return None
    if scope == "debrief":
        log = debrief_log(log)
    if anonymise:
        alias = pseudonyms(log, withhold_text)
        review = Review(anonymise_log(log, alias=alias), alias)
    else:
        review = Review(log)
    with _cache_lock:
        _cache[key] = (stamp, review)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return review


def _notes(review: Review, session_id: int) -> list[dict[str, Any]]:
    # Notes change without new events, so they are read again on every use.
    notes = load_notes(session_id)
    return review.alias.walk(notes) if review.alias else notes


def forget_review(session_id: int) -> None:
    """Drop the cached reviews of a session (it was deleted)."""
    with _cache_lock:
        for key in [k for k in _cache if k[0] == session_id]:
            del _cache[key]
