"""The scenario schema: frozen pydantic models for the three YAML files of a scenario.

`ScenarioFile`, `DelegationsFile` and `InjectsFile` mirror one file each, so that a validation
error points into the file it came from. `Scenario` gathers all three and offers look-ups by id.
Checks that need more than one field (references, uniqueness, ranges between fields) live in
`app.content.checks`; this module only knows the shape of each field.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from app.content.fields import (
    COLOUR_PATTERN,
    Audience,
    Code,
    Day,
    DayOrMonth,
    Effects,
    Id,
    Text,
)


class _Model(BaseModel):
    # Frozen: a loaded scenario is shared by every session that runs it and must not drift.
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _blank_means_default(cls, data: Any) -> Any:
        # An optional key written with no value ("red_lines:") means the same as leaving it out.
        if not isinstance(data, dict):
            return data
        fields = cls.model_fields
        return {
            key: value
            for key, value in data.items()
            if not (value is None and key in fields and not fields[key].is_required())
        }


class SourceArticle(_Model):
    """The article the whole scenario is drawn from."""

    title: Text
    publisher: Text
    date: DayOrMonth
    url: str | None = None


class Source(_Model):
    """One entry of the bibliography; injects cite sources by id."""

    id: Id
    title: Text
    publisher: Text
    date: DayOrMonth
    url: str | None = None


class Challenge(_Model):
    """A policy challenge the scenario teaches; moves, injects and questions name one."""

    id: Id
    title: Text


class Indicator(_Model):
    """A gauge moved by the effects of response options (e.g. deterrence credibility).

    An indicator with an `owner` (a delegation code) belongs to that delegation, e.g. its
    domestic support: only that delegation and the facilitators see it.
    """

    id: Id
    name: Text
    description: str = ""
    min: StrictInt = 0
    max: StrictInt = 100
    start: StrictInt
    # Which way is good news: pages colour a rise green or red by it (unset: neutral).
    higher_is: Literal["better", "worse"] | None = None
    owner: Code | None = None


class Settings(_Model):
    """Scenario-wide switches; every one has a default."""

    indicators_visible_to_players: bool = True
    unilateral_factor: float = Field(default=0.5, ge=0, le=1)
    observers_see_bilaterals: bool = False
    indicators_hidden_during_moves: bool = False


class Move(_Model):
    """A phase of play; injects belong to one move."""

    id: Id
    title: Text
    challenge: Id
    duration_minutes: Annotated[StrictInt, Field(ge=1, le=600)]
    summary: str = ""


class TheoryPrompt(_Model):
    """A piece of theory the debrief brings to the table (e.g. abandonment and entrapment)."""

    id: Id
    title: Text
    text: Text


class DebriefQuestion(_Model):
    """A question for the after-action discussion; it may name theory prompts."""

    id: Id
    text: Text
    challenge: Id | None = None
    theory: tuple[Id, ...] = ()


class Debrief(_Model):
    """The `debrief:` block of scenario.yaml."""

    questions: tuple[DebriefQuestion, ...] = Field(min_length=1)
    theory_prompts: tuple[TheoryPrompt, ...] = ()
    hot_wash: bool = True


Minutes = Annotated[StrictInt, Field(ge=1, le=600)]


class Track(_Model):
    """A way to play the scenario in a given time: which injects, how long each move lasts,
    and how deadlines scale (e.g. a 90-minute seminar and a 3-hour exercise)."""

    id: Id
    title: Text
    summary: str = ""
    injects: tuple[Id, ...] = Field(min_length=1)
    move_minutes: dict[Id, Minutes] = Field(default_factory=dict)
    deadline_scale: float = Field(default=1.0, ge=0.1, le=4)
    overlap_minutes: Annotated[StrictInt, Field(ge=0, le=240)] = 0


LINT_WARNINGS = (
    "dominant-option",
    "option-serves-nobody",
    "track-pacing",
    "unreachable-branch",
    "no-decision",
    "hypothetical-unlabelled",
    "claim-without-source",
    "delegation-colour",
)


class LintAccept(_Model):
    """A lint warning the author has read and keeps on purpose, with the reason."""

    warning: Literal[LINT_WARNINGS]  # type: ignore[valid-type]
    subject: Text
    because: Text


class Lint(_Model):
    """The `lint:` block of scenario.yaml."""

    accept: tuple[LintAccept, ...] = ()


class Role(_Model):
    """A seat in a delegation; exactly one role per delegation leads."""

    id: Id
    title: Text
    lead: bool = False


class Scoring(_Model):
    """Points an objective earns for each adopted response option (may be negative)."""

    options: dict[Id, StrictInt] = Field(min_length=1)


class Objective(_Model):
    """A private goal of one delegation, scored from adopted joint responses."""

    id: Id
    text: Text
    scoring: Scoring


class RedLine(_Model):
    """Response options a delegation must not accept; crossing one warns that delegation."""

    id: Id
    text: Text
    options: tuple[Id, ...] = Field(min_length=1)


class BriefingUpdate(_Model):
    """What a government learns at the start of one move, shown to that delegation only."""

    move: Id
    text: Text


class Delegation(_Model):
    """One government at the table, with its briefings, seats, objectives and red lines."""

    code: Code
    name: Text
    colour: Annotated[str, Field(pattern=COLOUR_PATTERN)]
    public_briefing: Text
    private_briefing: Text
    roles: tuple[Role, ...] = Field(min_length=1)
    objectives: tuple[Objective, ...] = Field(min_length=1)
    red_lines: tuple[RedLine, ...] = ()
    briefing_updates: tuple[BriefingUpdate, ...] = ()

    @property
    def lead_role(self) -> Role:
        """The role whose holder endorses on behalf of the delegation."""
        return next(role for role in self.roles if role.lead)


class ResponseOption(_Model):
    """A possible answer to an inject and how it moves the indicators."""

    id: Id
    text: Text
    effects: Effects = Field(default_factory=dict)
    unilateral_effects: Effects | None = None


Chosen = Literal["adopted", "stated", "chosen"]


class Clause(_Model):
    """One test on what happened before: an option chosen, an indicator's value, or the
    outcome of an earlier inject. Exactly one of `option`, `indicator`, `inject` is given."""

    option: Id | None = None
    was: Chosen = "chosen"
    by: tuple[Code, ...] = ()
    indicator: Id | None = None
    at_least: StrictInt | None = None
    at_most: StrictInt | None = None
    inject: Id | None = None
    outcome: Literal["adopted", "no_consensus"] | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> Clause:
        subjects = [k for k in ("option", "indicator", "inject") if getattr(self, k) is not None]
        if len(subjects) != 1:
            raise ValueError(
                "a condition clause tests exactly one thing: write one of 'option:', "
                "'indicator:' or 'inject:'"
                + (f" (found {', '.join(subjects)})" if subjects else "")
            )
        if self.indicator is not None and self.at_least is None and self.at_most is None:
            raise ValueError(
                f"the clause on indicator '{self.indicator}' needs 'at_least:' or 'at_most:'"
            )
        if self.inject is not None and self.outcome is None:
            raise ValueError(
                f"the clause on inject '{self.inject}' needs 'outcome:' (adopted or no_consensus)"
            )
        belongs = {
            "was": ("option", self.was != "chosen"),
            "by": ("option", bool(self.by)),
            "at_least": ("indicator", self.at_least is not None),
            "at_most": ("indicator", self.at_most is not None),
            "outcome": ("inject", self.outcome is not None),
        }
        for key, (subject, given) in belongs.items():
            if given and getattr(self, subject) is None:
                raise ValueError(f"'{key}:' belongs to a clause on an '{subject}:'")
        if self.by and self.was == "adopted":
            raise ValueError(
                "'by:' names who stated an option; an adopted joint response is everyone's, "
                "so use 'was: stated' (or leave 'by:' out)"
            )
        return self


class Condition(_Model):
    """When an inject may fire: every clause of `all`, at least one of `any`, none of `none`."""

    all: tuple[Clause, ...] = ()
    any: tuple[Clause, ...] = ()
    none: tuple[Clause, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if not (self.all or self.any or self.none):
            raise ValueError("a condition needs at least one of 'all:', 'any:' or 'none:'")
        return self


class ReactsTo(_Model):
    """What a reaction inject answers: options adopted or stated, and how it is released."""

    options: tuple[Id, ...] = Field(min_length=1)
    was: Chosen = "chosen"
    by: tuple[Code, ...] = ()
    delay_minutes: Annotated[StrictInt, Field(ge=0, le=120)] = 0
    release: Literal["white_cell", "automatic"] = "white_cell"


class Inject(_Model):
    """An event pushed to all or some delegations during a move (an MSEL line)."""

    id: Id
    move: Id
    order: Annotated[StrictInt, Field(ge=1)]
    trigger: Literal["scheduled", "manual", "reaction"]
    offset_minutes: Annotated[StrictInt, Field(ge=0)] | None = None
    title: Text
    date: Day
    hypothetical: bool = False
    audience: Audience
    challenge: Id
    body: Text
    sources: tuple[Id, ...] = Field(min_length=1)
    teaching_point: Text
    expected_action: Text
    what_happened: str | None = None
    deadline_minutes: Annotated[StrictInt, Field(ge=1, le=240)] | None = None
    response_options: tuple[ResponseOption, ...] = ()
    speaker: str | None = None
    condition: Condition | None = None
    reacts_to: ReactsTo | None = None

    @property
    def is_decision(self) -> bool:
        """True when players are asked to decide by a deadline (not a reaction's news)."""
        return (
            self.trigger != "reaction"
            and bool(self.response_options)
            and self.deadline_minutes is not None
        )

    @property
    def is_public(self) -> bool:
        """True when the inject reaches every delegation."""
        return self.audience == "all"

    def audience_codes(self, all_codes: Iterable[str]) -> tuple[str, ...]:
        """The delegation codes this inject reaches, in the order of `all_codes`."""
        codes = tuple(all_codes)
        if self.audience == "all":
            return codes
        return tuple(code for code in codes if code in self.audience)


class ScenarioFile(_Model):
    """The contents of scenario.yaml."""

    id: Id
    title: Text
    version: Annotated[StrictInt, Field(ge=1)]
    summary: Text
    source_article: SourceArticle
    sources: tuple[Source, ...] = Field(min_length=1)
    challenges: tuple[Challenge, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    settings: Settings = Field(default_factory=Settings)
    moves: tuple[Move, ...] = Field(min_length=1)
    debrief: Debrief
    tracks: tuple[Track, ...] = ()
    lint: Lint = Field(default_factory=Lint)


class DelegationsFile(_Model):
    """The contents of delegations.yaml."""

    delegations: tuple[Delegation, ...] = Field(min_length=2, max_length=6)


class InjectsFile(_Model):
    """The contents of injects.yaml."""

    injects: tuple[Inject, ...] = Field(min_length=1)


def _find(items: Iterable[Any], key: str, value: str, what: str) -> Any:
    for item in items:
        if getattr(item, key) == value:
            return item
    raise KeyError(f"the scenario has no {what} {value!r}")


class Scenario(_Model):
    """A whole scenario: the three files together, with look-ups by id.

    Look-ups raise `KeyError` for an unknown id, so a typo in engine code fails loudly.
    """

    id: Id
    title: Text
    version: Annotated[StrictInt, Field(ge=1)]
    summary: Text
    source_article: SourceArticle
    sources: tuple[Source, ...]
    challenges: tuple[Challenge, ...]
    indicators: tuple[Indicator, ...]
    settings: Settings
    moves: tuple[Move, ...]
    debrief_questions: tuple[DebriefQuestion, ...]
    theory_prompts: tuple[TheoryPrompt, ...] = ()
    hot_wash: bool = True
    delegations: tuple[Delegation, ...]
    injects: tuple[Inject, ...]
    tracks: tuple[Track, ...] = ()
    lint: Lint = Field(default_factory=Lint)
    track_id: str | None = None  # the track this copy was cut to (see `for_track`)

    @classmethod
    def from_files(
        cls, scenario: ScenarioFile, delegations: DelegationsFile, injects: InjectsFile
    ) -> Scenario:
        """Join the three validated files into one scenario."""
        # Passing validated models on (not dicts) avoids validating everything twice.
        head = {name: getattr(scenario, name) for name in ScenarioFile.model_fields}
        del head["debrief"]
        return cls(
            **head,
            debrief_questions=scenario.debrief.questions,
            theory_prompts=scenario.debrief.theory_prompts,
            hot_wash=scenario.debrief.hot_wash,
            delegations=delegations.delegations,
            injects=injects.injects,
        )

    @cached_property
    def _options(self) -> dict[str, tuple[Inject, ResponseOption]]:
        return {opt.id: (inj, opt) for inj in self.injects for opt in inj.response_options}

    @property
    def delegation_codes(self) -> tuple[str, ...]:
        """The delegation codes in file order, e.g. ('JPN', 'KOR', 'USA')."""
        return tuple(delegation.code for delegation in self.delegations)

    def delegation(self, code: str) -> Delegation:
        """The delegation with this code."""
        return _find(self.delegations, "code", code, "delegation")

    def lead_role(self, code: str) -> Role:
        """The lead role of the delegation with this code."""
        return self.delegation(code).lead_role

    def source(self, source_id: str) -> Source:
        """The source with this id."""
        return _find(self.sources, "id", source_id, "source")

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id."""
        return _find(self.indicators, "id", indicator_id, "indicator")

    def move(self, move_id: str) -> Move:
        """The move with this id."""
        return _find(self.moves, "id", move_id, "move")

    def move_index(self, move_id: str) -> int:
        """The 0-based position of the move in play order."""
        return self.moves.index(self.move(move_id))

    def inject(self, inject_id: str) -> Inject:
        """The inject with this id."""
        return _find(self.injects, "id", inject_id, "inject")

    def injects_in_move(self, move_id: str) -> tuple[Inject, ...]:
        """The injects of one move, sorted by their order."""
        self.move(move_id)
        return tuple(sorted((i for i in self.injects if i.move == move_id), key=lambda i: i.order))

    def option(self, option_id: str) -> ResponseOption:
        """The response option with this id, whichever inject offers it."""
        if option_id not in self._options:
            raise KeyError(f"the scenario has no response option {option_id!r}")
        return self._options[option_id][1]

    def inject_of_option(self, option_id: str) -> Inject:
        """The inject that offers the response option with this id."""
        if option_id not in self._options:
            raise KeyError(f"the scenario has no response option {option_id!r}")
        return self._options[option_id][0]

    def track(self, track_id: str) -> Track:
        """The track with this id."""
        return _find(self.tracks, "id", track_id, "track")

    def for_track(self, track_id: str | None) -> Scenario:
        """The scenario as one track plays it: its injects only, its move lengths, its offsets
        and deadlines (see `app.content.tracks`). `None` gives the scenario itself."""
        if track_id is None or track_id == self.track_id:
            return self  # (cutting twice to the same track changes nothing)
        from app.content.tracks import cut_to_track

        moves, injects = cut_to_track(self.moves, self.injects, self.track(track_id))
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        return type(self)(**(fields | {"moves": moves, "injects": injects, "track_id": track_id}))

    def theory_prompt(self, prompt_id: str) -> TheoryPrompt:
        """The theory prompt with this id."""
        return _find(self.theory_prompts, "id", prompt_id, "theory prompt")
