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
    """A gauge moved by the effects of response options (e.g. deterrence credibility)."""

    id: Id
    name: Text
    description: str = ""
    min: StrictInt = 0
    max: StrictInt = 100
    start: StrictInt
    # Which way is good news: pages colour a rise green or red by it (unset: neutral).
    higher_is: Literal["better", "worse"] | None = None


class Settings(_Model):
    """Scenario-wide switches; every one has a default."""

    indicators_visible_to_players: bool = True
    unilateral_factor: float = Field(default=0.5, ge=0, le=1)
    observers_see_bilaterals: bool = False


class Move(_Model):
    """A phase of play; injects belong to one move."""

    id: Id
    title: Text
    challenge: Id
    duration_minutes: Annotated[StrictInt, Field(ge=1, le=600)]
    summary: str = ""


class DebriefQuestion(_Model):
    """A question for the after-action discussion."""

    id: Id
    text: Text
    challenge: Id | None = None


class Debrief(_Model):
    """The `debrief:` block of scenario.yaml."""

    questions: tuple[DebriefQuestion, ...] = Field(min_length=1)


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


class Inject(_Model):
    """An event pushed to all or some delegations during a move (an MSEL line)."""

    id: Id
    move: Id
    order: Annotated[StrictInt, Field(ge=1)]
    trigger: Literal["scheduled", "manual"]
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
    response_options: tuple[ResponseOption, ...] = Field(min_length=1)

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
    delegations: tuple[Delegation, ...]
    injects: tuple[Inject, ...]

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
