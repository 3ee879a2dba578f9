"""`flask scenario lint`: what a game designer wants to hear beyond validity.

A valid scenario can still play badly: an option that is best for everyone (an obvious right
answer), an option nobody would choose, deadlines that do not fit the time, a branch that can never
be taken, an inject that asks for no decision, a hypothetical told as fact, a claim no source backs.
Each warning names file, line and field like a validation problem; a warning the author keeps on
purpose is listed under `lint: accept:` in scenario.yaml with the reason, and is reported as
accepted.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.content.loader import FILE_NAMES, _read_files, check_texts_with_nodes
from app.content.messages import field_path
from app.content.problems import ScenarioProblem
from app.content.schema import Clause, Inject, Scenario
from app.content.tracks import deadline_load, pacing_problems
from app.content.yamltree import Loc, line_of

SCENARIO, DELEGATIONS, INJECTS = FILE_NAMES


@dataclass(frozen=True)
class LintWarning:
    """One design warning; `accepted` holds the author's justification when it is accepted."""

    warning: str  # one of app.content.schema.LINT_WARNINGS
    subject: str  # the id it is about (option, inject, source, move or track)
    file: str
    line: int | None
    field: str
    message: str
    accepted: str | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.field:
            parts.append(f"field {self.field}")
        text = f"{', '.join(parts)}: [{self.warning} {self.subject}] {self.message}"
        return text + (f" — accepted: {self.accepted}" if self.accepted else "")


class _Warnings:
    def __init__(self, scenario: Scenario, locate) -> None:  # type: ignore[no-untyped-def]
        self.scenario = scenario
        self.locate = locate
        self.found: list[LintWarning] = []
        self._seen: set[tuple[str, str, str]] = set()
        self._inject_index = {inj.id: i for i, inj in enumerate(scenario.injects)}

    def add(self, warning: str, subject: str, file: str, loc: Loc, message: str) -> None:
        key = (warning, subject, message)
        if key in self._seen:
            return
        self._seen.add(key)
        accepted = next(
            (
                a.because
                for a in self.scenario.lint.accept
                if a.warning == warning and a.subject == subject
            ),
            None,
        )
        self.found.append(
            LintWarning(
                warning, subject, file, self.locate(file, loc), field_path(loc), message, accepted
            )
        )

    def inject_loc(self, inject_id: str, *rest: str | int) -> Loc:
        return ("injects", self._inject_index[inject_id], *rest)


def lint_scenario(scenario: Scenario, locate=None) -> list[LintWarning]:  # type: ignore[no-untyped-def]
    """Every design warning of a valid scenario (`locate(file, loc)` gives line numbers)."""
    out = _Warnings(scenario, locate or (lambda _file, _loc: None))
    _dominant_and_useless(out, scenario)
    _pacing(out, scenario)
    _unreachable(out, scenario)
    _no_decision(out, scenario)
    _hypotheticals_and_claims(out, scenario)
    _delegation_colours(out, scenario)
    return out.found


def lint_folder(folder: Path) -> tuple[list[ScenarioProblem], list[LintWarning]]:
    """Validate a scenario folder, then lint it: (problems, warnings); warnings only if valid."""
    folder = Path(folder)
    files, problems = _read_files(folder)
    if problems:
        return problems, []
    return lint_texts(files, folder.name, str(folder))


def lint_texts(
    files: dict[str, str], name: str, folder: str = ""
) -> tuple[list[ScenarioProblem], list[LintWarning]]:
    """Validate a scenario's texts, then lint them: (problems, warnings); warnings only if valid.

    The one check behind `flask scenario validate`/`lint` and the browser editor (the library).
    """
    scenario, problems, nodes = check_texts_with_nodes(files, name, folder or name)
    if scenario is None:
        return problems, []
    return [], lint_scenario(scenario, lambda file, loc: line_of(nodes.get(file), loc))


# --- options ------------------------------------------------------------------------------------


def _good(scenario: Scenario, indicator_id: str, delta: int) -> int:
    """An effect in the indicator's good direction (`higher_is: worse` flips it)."""
    indicator = scenario.indicator(indicator_id)
    return -delta if getattr(indicator, "higher_is", "better") == "worse" else delta


def _profile(scenario: Scenario, inject: Inject, option_id: str) -> list[int]:
    """How an option serves each delegation it reaches and each indicator's good direction."""
    codes = inject.audience_codes(scenario.delegation_codes)
    effects = scenario.option(option_id).effects
    values = [
        sum(o.scoring.options.get(option_id, 0) for o in scenario.delegation(code).objectives)
        for code in codes
    ]
    return values + [_good(scenario, i.id, effects.get(i.id, 0)) for i in scenario.indicators]


def _dominant_and_useless(out: _Warnings, scenario: Scenario) -> None:
    for inject in scenario.injects:
        if inject.trigger == "reaction":
            continue
        options = [o.id for o in inject.response_options]
        profiles = {o: _profile(scenario, inject, o) for o in options}
        codes = inject.audience_codes(scenario.delegation_codes)
        for k, option in enumerate(options):
            loc = out.inject_loc(inject.id, "response_options", k, "id")
            others = [p for o, p in profiles.items() if o != option]
            mine = profiles[option]
            if others and all(
                all(a >= b for a, b in zip(mine, other, strict=True)) and mine != other
                for other in others
            ):
                out.add(
                    "dominant-option",
                    option,
                    INJECTS,
                    loc,
                    f"the option '{option}' of '{inject.id}' is at least as good as every other "
                    "option for every delegation's objectives and every indicator, so there is "
                    "an obvious right answer",
                )
            # An option that serves one objective and hurts another of the same delegation is a
            # real dilemma, not a dead option: it is flagged only if no objective gains.
            serves = [
                code
                for code in scenario.delegation_codes
                if any(
                    o.scoring.options.get(option, 0) > 0
                    for o in scenario.delegation(code).objectives
                )
            ]
            if not serves:
                out.add(
                    "option-serves-nobody",
                    option,
                    INJECTS,
                    loc,
                    f"the option '{option}' of '{inject.id}' gains points for no objective of any "
                    f"delegation (it reaches {', '.join(codes)}), so nobody has a reason to "
                    "choose it",
                )


# --- pacing -------------------------------------------------------------------------------------


def _pacing(out: _Warnings, scenario: Scenario) -> None:
    for problem in pacing_problems(scenario.moves, scenario.injects, 0) + deadline_load(
        scenario.moves, scenario.injects
    ):
        loc: Loc = ("moves", scenario.move_index(problem.move), "duration_minutes")
        file = SCENARIO
        if problem.inject is not None:
            loc, file = out.inject_loc(problem.inject, "deadline_minutes"), INJECTS
        out.add(
            "track-pacing",
            problem.move,
            file,
            loc,
            f"played whole (no track), {problem.message}",
        )
    for t, track in enumerate(scenario.tracks):
        cut = scenario.for_track(track.id)
        for problem in deadline_load(cut.moves, cut.injects):
            out.add(
                "track-pacing",
                track.id,
                SCENARIO,
                ("tracks", t, "deadline_scale"),
                f"on the track '{track.id}', {problem.message}",
            )


# --- branches -----------------------------------------------------------------------------------


def _when(scenario: Scenario, inject: Inject) -> tuple[int, float]:
    """When an inject comes in play order: (move, minute); manual and reactions at the end."""
    minute = inject.offset_minutes if inject.trigger == "scheduled" else float("inf")
    return scenario.move_index(inject.move), float(minute if minute is not None else 0)


def _clause_blocked(scenario: Scenario, inject: Inject, clause: Clause) -> str | None:
    """Why a clause can never hold when `inject` is checked (None: it can)."""
    ids = {i.id for i in scenario.injects}
    if clause.option is not None:
        owner = next(
            (i for i in scenario.injects if clause.option in [o.id for o in i.response_options]),
            None,
        )
        if owner is None or owner.id not in ids:
            return f"the option '{clause.option}' is not offered in this play"
        if _when(scenario, owner) > _when(scenario, inject) or owner.id == inject.id:
            return f"the option '{clause.option}' is only offered at or after this inject"
        reach = owner.audience_codes(scenario.delegation_codes)
        if clause.by and not set(clause.by) & set(reach):
            return (
                f"the option '{clause.option}' goes only to {', '.join(reach)}, so "
                f"{', '.join(clause.by)} cannot state it"
            )
    if clause.indicator is not None:
        indicator = scenario.indicator(clause.indicator)
        low, high = clause.at_least, clause.at_most
        if (low is not None and low > indicator.max) or (high is not None and high < indicator.min):
            return (
                f"the indicator '{indicator.id}' only runs from {indicator.min} to {indicator.max}"
            )
        if low is not None and high is not None and low > high:
            return f"at_least {low} is above at_most {high}"
    if clause.inject is not None:
        if clause.inject not in ids:
            return f"the inject '{clause.inject}' is not in this play"
        other = scenario.inject(clause.inject)
        if _when(scenario, other) > _when(scenario, inject) or other.id == inject.id:
            return f"the inject '{clause.inject}' comes at or after this inject"
    return None


def _unreachable(out: _Warnings, scenario: Scenario) -> None:
    plays = [(None, scenario)] + [(t.id, scenario.for_track(t.id)) for t in scenario.tracks]
    for track_id, play in plays:
        where = f"on the track '{track_id}', " if track_id else ""
        for inject in play.injects:
            reasons: list[str] = []
            if inject.condition is not None:
                for clause in inject.condition.all:
                    blocked = _clause_blocked(play, inject, clause)
                    if blocked:
                        reasons.append(blocked)
                if inject.condition.any:
                    blocked_any = [_clause_blocked(play, inject, c) for c in inject.condition.any]
                    if all(blocked_any):
                        reasons.append("none of its 'any' clauses can hold")
            if inject.reacts_to is not None:
                offered = {o.id for i in play.injects for o in i.response_options}
                if not offered & set(inject.reacts_to.options):
                    reasons.append("none of the options it reacts to is offered in this play")
            if reasons:
                loc = out.inject_loc(
                    inject.id, "condition" if inject.condition is not None else "reacts_to"
                )
                out.add(
                    "unreachable-branch",
                    inject.id,
                    INJECTS,
                    loc,
                    f"{where}the inject '{inject.id}' can never fire: {'; '.join(reasons)}",
                )


# --- decisions, hypotheticals, claims -----------------------------------------------------------


def _no_decision(out: _Warnings, scenario: Scenario) -> None:
    for inject in scenario.injects:
        if inject.trigger == "reaction" or inject.is_decision:
            continue
        out.add(
            "no-decision",
            inject.id,
            INJECTS,
            out.inject_loc(inject.id, "id"),
            f"the inject '{inject.id}' asks for no decision: give it response options and a "
            "deadline_minutes",
        )


_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2}) (" + "|".join(_MONTHS) + r") (\d{4})\b", re.I)
_MONTH_DAY_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r") (\d{1,2}), (\d{4})\b", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_PLACEHOLDER = re.compile(r"^\s*\[.*\]\s*$|\bTODO\b|\bplaceholder\b", re.I)


def _dates_in(text: str) -> list[date]:
    found = []
    for day, month, year in _DAY_MONTH_YEAR.findall(text):
        found.append((int(year), _MONTHS[month.lower()], int(day)))
    for month, day, year in _MONTH_DAY_YEAR.findall(text):
        found.append((int(year), _MONTHS[month.lower()], int(day)))
    for year, month, day in _ISO.findall(text):
        found.append((int(year), int(month), int(day)))
    out = []
    for year, month, day in found:
        try:
            out.append(date(year, month, day))
        except ValueError:
            continue
    return out


def _source_day(when: date | str) -> date:
    """A source's date as a day ("YYYY-MM": the last day of that month)."""
    if isinstance(when, str):
        year, month = (int(part) for part in when.split("-"))
        return date(year, month, calendar.monthrange(year, month)[1])
    return when


def _latest_source(scenario: Scenario, inject: Inject) -> date:
    return max(_source_day(scenario.source(s).date) for s in inject.sources)


def _hypotheticals_and_claims(out: _Warnings, scenario: Scenario) -> None:
    for s, source in enumerate(scenario.sources):
        if _PLACEHOLDER.search(source.title):
            out.add(
                "claim-without-source",
                source.id,
                SCENARIO,
                ("sources", s, "title"),
                f"the source '{source.id}' has a placeholder title ({source.title!r}); give the "
                "real title, publisher, date and address",
            )
    for inject in scenario.injects:
        if inject.hypothetical:
            continue
        latest = _latest_source(scenario, inject)
        if inject.date > latest:
            out.add(
                "hypothetical-unlabelled",
                inject.id,
                INJECTS,
                out.inject_loc(inject.id, "date"),
                f"the inject '{inject.id}' is dated {inject.date.isoformat()}, after every source"
                f" it cites (latest {latest.isoformat()}), so none can report it: if it is "
                "invented, mark it 'hypothetical: true'; if not, cite a source that reports it",
            )
        # The body is what players read, so its claims need the inject's own sources; the
        # debrief's `what_happened` tells the aftermath, which later entries of the
        # bibliography may back (cited on the inject, players would see them at fire time).
        bibliography = max(_source_day(s.date) for s in scenario.sources)
        for key, backed_until in (("body", latest), ("what_happened", max(latest, bibliography))):
            text = getattr(inject, key) or ""
            whose = "source it cites" if key == "body" else "source of the scenario"
            for when in _dates_in(text):
                if when > backed_until:
                    out.add(
                        "claim-without-source",
                        inject.id,
                        INJECTS,
                        out.inject_loc(inject.id, key),
                        f"the {key} of '{inject.id}' mentions {when.isoformat()}, but no "
                        f"{whose} is dated on or after that day, so none can back the claim",
                    )


# --- delegation colours -------------------------------------------------------------------------

COLOURS_APART = 20.0  # CIE76 ΔE below which two delegations' stripes read as one colour
WHITE_TEXT_CONTRAST = 4.5  # delegation pills carry white text (WCAG 2.1 AA, 1.4.3)


def _linear(hex_colour: str) -> tuple[float, float, float]:
    digits = hex_colour.lstrip("#")  # "#rrggbb", as validated
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return r, g, b


def _luminance(hex_colour: str) -> float:
    r, g, b = _linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# How a colour looks with each full colour-vision deficiency: matrices on linear RGB from
# Machado, Oliveira and Fernandes (2009), severity 1. Red-green (protanopia, deuteranopia) affects
# about 1 man in 12, so two stripes apart for everyone else can still read as one to a student.
COLOUR_VISION: dict[str, tuple[tuple[float, float, float], ...]] = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _lab(hex_colour: str, vision: str | None = None) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour, as seen with `vision` (a COLOUR_VISION key) if given."""
    r, g, b = _linear(hex_colour)
    if vision is not None:
        r, g, b = (
            min(1.0, max(0.0, row[0] * r + row[1] * g + row[2] * b))
            for row in COLOUR_VISION[vision]
        )
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def colour_distance(a: str, b: str, vision: str | None = None) -> float:
    """CIE76 ΔE between two `#rrggbb` colours (about 2: just noticeable; 20: clearly apart), as
    seen with `vision` (a COLOUR_VISION key) if given."""
    return sum((p - q) ** 2 for p, q in zip(_lab(a, vision), _lab(b, vision), strict=True)) ** 0.5


def _why_alike(a: str, b: str) -> str | None:
    """How two colours read as one, with normal colour vision or else the COLOUR_VISION under
    which they are closest; None when they are apart for every reader."""
    distance = colour_distance(a, b)
    if distance < COLOURS_APART:
        return f" (ΔE {distance:.0f}, under {COLOURS_APART:.0f}): their stripes read as one colour"
    distance, vision = min((colour_distance(a, b, vision), vision) for vision in COLOUR_VISION)
    if distance < COLOURS_APART:
        return (
            f" as seen with {vision} (ΔE {distance:.0f} simulated, under {COLOURS_APART:.0f}): "
            "to those students their stripes read as one colour"
        )
    return None


def _delegation_colours(out: _Warnings, scenario: Scenario) -> None:
    """A colour white text cannot be read on, or two delegations' colours too close to tell
    apart on the projector's stripes, with normal colour vision or any of COLOUR_VISION (the
    second of the pair is named; one warning per pair)."""
    earlier: list[tuple[str, str]] = []
    for index, delegation in enumerate(scenario.delegations):
        loc = ("delegations", index, "colour")
        contrast = 1.05 / (_luminance(delegation.colour) + 0.05)
        if contrast < WHITE_TEXT_CONTRAST:
            out.add(
                "delegation-colour",
                delegation.code,
                DELEGATIONS,
                loc,
                f"white text on {delegation.colour} has a contrast of {contrast:.2f}:1, "
                f"under {WHITE_TEXT_CONTRAST}:1: pick a darker colour",
            )
        for code, colour in earlier:
            why = _why_alike(colour, delegation.colour)
            if why:
                out.add(
                    "delegation-colour",
                    delegation.code,
                    DELEGATIONS,
                    loc,
                    f"{delegation.colour} is too close to {code}'s {colour}{why}",
                )
        earlier.append((delegation.code, delegation.colour))
