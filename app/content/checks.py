"""Checks that look across fields and files: references, unique ids, ranges, counts.

They run only once all three files have the right shape, so they can trust the types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.content.messages import did_you_mean, field_path, listing
from app.content.problems import ScenarioProblem
from app.content.schema import Clause, DelegationsFile, InjectsFile, Move, ScenarioFile
from app.content.tracks import cut_to_track, pacing_problems
from app.content.yamltree import Loc

SCENARIO, DELEGATIONS, INJECTS = "scenario.yaml", "delegations.yaml", "injects.yaml"

# Finds the line of a field: (file name, loc) -> 1-based line or None.
Locate = Callable[[str, Loc], "int | None"]

MIN_OPTIONS_FOR_ALL = 3


class _Report:
    def __init__(self, locate: Locate, folder: str) -> None:
        self.locate = locate
        self.folder = folder
        self.problems: list[ScenarioProblem] = []

    def add(self, file: str, loc: Loc, message: str) -> None:
        line = self.locate(file, loc)
        self.problems.append(ScenarioProblem(file, line, field_path(loc), message, self.folder))

    def unique(self, what: str, items: Iterable[tuple[str, str, Loc]]) -> None:
        """Report every id after its first use; `items` are (id, file, loc of the id)."""
        first: dict[str, tuple[str, Loc]] = {}
        for value, file, loc in items:
            if value not in first:
                first[value] = (file, loc)
                continue
            where_file, where_loc = first[value]
            line = self.locate(where_file, where_loc)
            place = where_file if where_file != file else "this file"
            at = f"{place}, line {line}" if line is not None else place
            self.add(
                file,
                loc,
                f"the {what} '{value}' is used twice (first in {at}); {what}s must be unique",
            )

    def known(
        self,
        what: str,
        value: str,
        owner: str,
        choices: list[str],
        file: str,
        loc: Loc,
        verb: str = "names",
    ) -> None:
        """Report `value` unless it is one of `choices`."""
        if value in choices:
            return
        self.add(
            file,
            loc,
            f"{owner} {verb} {what} '{value}'{did_you_mean(value, choices)}, "
            f"but the {what}s are: {listing(choices)}",
        )


def check_scenario(
    scenario: ScenarioFile,
    delegations: DelegationsFile,
    injects: InjectsFile,
    name: str,
    locate: Locate,
    folder: str = "",
) -> list[ScenarioProblem]:
    """Every cross-reference and consistency problem of three well-shaped files."""
    report = _Report(locate, folder)
    _check_scenario_file(report, scenario, name)
    _check_delegations(report, delegations)
    _check_injects(report, scenario, delegations, injects)
    _check_options_named(report, delegations, injects)
    _check_branches(report, scenario, delegations, injects)
    _check_tracks(report, scenario, injects)
    return report.problems


def _check_scenario_file(report: _Report, scenario: ScenarioFile, name: str) -> None:
    if scenario.id != name:
        report.add(
            SCENARIO,
            ("id",),
            f"the scenario id is '{scenario.id}', but its folder is "
            f"named '{name}'; the two must be the same",
        )
    for what, key, items in (
        ("source id", "sources", scenario.sources),
        ("challenge id", "challenges", scenario.challenges),
        ("indicator id", "indicators", scenario.indicators),
        ("move id", "moves", scenario.moves),
    ):
        report.unique(what, ((item.id, SCENARIO, (key, i, "id")) for i, item in enumerate(items)))
    report.unique(
        "debrief question id",
        (
            (q.id, SCENARIO, ("debrief", "questions", i, "id"))
            for i, q in enumerate(scenario.debrief.questions)
        ),
    )

    report.unique(
        "theory prompt id",
        (
            (p.id, SCENARIO, ("debrief", "theory_prompts", i, "id"))
            for i, p in enumerate(scenario.debrief.theory_prompts)
        ),
    )
    prompts = [p.id for p in scenario.debrief.theory_prompts]
    for i, question in enumerate(scenario.debrief.questions):
        for k, prompt in enumerate(question.theory):
            report.known(
                "theory prompt",
                prompt,
                f"the debrief question '{question.id}'",
                prompts,
                SCENARIO,
                ("debrief", "questions", i, "theory", k),
            )

    challenges = [challenge.id for challenge in scenario.challenges]
    for i, move in enumerate(scenario.moves):
        report.known(
            "challenge",
            move.challenge,
            f"the move '{move.id}'",
            challenges,
            SCENARIO,
            ("moves", i, "challenge"),
        )
    for i, question in enumerate(scenario.debrief.questions):
        if question.challenge is not None:
            report.known(
                "challenge",
                question.challenge,
                f"the debrief question '{question.id}'",
                challenges,
                SCENARIO,
                ("debrief", "questions", i, "challenge"),
            )

    for i, indicator in enumerate(scenario.indicators):
        if indicator.min >= indicator.max:
            report.add(
                SCENARIO,
                ("indicators", i, "max"),
                f"the indicator '{indicator.id}' has min {indicator.min} and max "
                f"{indicator.max}; min must be below max",
            )
        elif not indicator.min <= indicator.start <= indicator.max:
            report.add(
                SCENARIO,
                ("indicators", i, "start"),
                f"the indicator '{indicator.id}' starts at {indicator.start}, outside its "
                f"range {indicator.min}..{indicator.max}",
            )


def _check_delegations(report: _Report, delegations: DelegationsFile) -> None:
    items = delegations.delegations
    report.unique(
        "delegation code",
        ((d.code, DELEGATIONS, ("delegations", i, "code")) for i, d in enumerate(items)),
    )
    for what, key in (
        ("role id", "roles"),
        ("objective id", "objectives"),
        ("red line id", "red_lines"),
    ):
        report.unique(
            what,
            (
                (item.id, DELEGATIONS, ("delegations", d, key, k, "id"))
                for d, delegation in enumerate(items)
                for k, item in enumerate(getattr(delegation, key))
            ),
        )
    for d, delegation in enumerate(items):
        leads = [k for k, role in enumerate(delegation.roles) if role.lead]
        if not leads:
            report.add(
                DELEGATIONS,
                ("delegations", d, "roles"),
                f"the delegation {delegation.code} has no lead role; mark exactly one "
                "role with 'lead: true'",
            )
        elif len(leads) > 1:
            names = ", ".join(delegation.roles[k].id for k in leads)
            report.add(
                DELEGATIONS,
                ("delegations", d, "roles", leads[1], "lead"),
                f"the delegation {delegation.code} has {len(leads)} lead roles "
                f"({names}); exactly one role may have 'lead: true'",
            )


def _check_injects(
    report: _Report, scenario: ScenarioFile, delegations: DelegationsFile, injects: InjectsFile
) -> None:
    items = injects.injects
    moves = {move.id: move for move in scenario.moves}
    challenges = [challenge.id for challenge in scenario.challenges]
    sources = [source.id for source in scenario.sources]
    indicators = [indicator.id for indicator in scenario.indicators]
    codes = [delegation.code for delegation in delegations.delegations]

    report.unique(
        "inject id", ((inj.id, INJECTS, ("injects", i, "id")) for i, inj in enumerate(items))
    )
    report.unique(
        "response option id",
        (
            (opt.id, INJECTS, ("injects", i, "response_options", k, "id"))
            for i, inj in enumerate(items)
            for k, opt in enumerate(inj.response_options)
        ),
    )

    placed: dict[tuple[str, int], str] = {}
    for i, inj in enumerate(items):
        who = f"the inject '{inj.id}'"
        report.known("move", inj.move, who, list(moves), INJECTS, ("injects", i, "move"))
        report.known(
            "challenge", inj.challenge, who, challenges, INJECTS, ("injects", i, "challenge")
        )
        for k, source in enumerate(inj.sources):
            report.known(
                "source", source, who, sources, INJECTS, ("injects", i, "sources", k), verb="cites"
            )
        if inj.audience != "all":
            for k, code in enumerate(inj.audience):
                report.known(
                    "delegation",
                    code,
                    who,
                    codes,
                    INJECTS,
                    ("injects", i, "audience", k),
                    verb="is addressed to",
                )

        slot = (inj.move, inj.order)
        if slot in placed:
            report.add(
                INJECTS,
                ("injects", i, "order"),
                f"the injects '{placed[slot]}' and '{inj.id}' both have order "
                f"{inj.order} in move '{inj.move}'; each needs its own place",
            )
        else:
            placed[slot] = inj.id

        _check_timing(report, i, inj.id, inj.trigger, inj.offset_minutes, moves.get(inj.move))

        # Reactions are news (they may offer no option); private injects need one; shared ones a
        # real choice.
        need = MIN_OPTIONS_FOR_ALL
        if inj.trigger != "reaction" and not inj.response_options:
            report.add(
                INJECTS,
                ("injects", i, "response_options"),
                f"{who} needs at least 1 response option, found 0 (only a reaction may have none)",
            )
        elif (
            inj.trigger != "reaction" and inj.audience == "all" and len(inj.response_options) < need
        ):
            report.add(
                INJECTS,
                ("injects", i, "response_options"),
                f"{who} goes to all delegations, so it needs at least {need} response "
                f"options, found {len(inj.response_options)}",
            )

        for k, opt in enumerate(inj.response_options):
            for key in ("effects", "unilateral_effects"):
                for indicator in getattr(opt, key) or {}:
                    report.known(
                        "indicator",
                        indicator,
                        f"the response option '{opt.id}'",
                        indicators,
                        INJECTS,
                        ("injects", i, "response_options", k, key, indicator),
                        verb="changes",
                    )


def _check_timing(
    report: _Report, i: int, inject_id: str, trigger: str, offset: int | None, move: Move | None
) -> None:
    who = f"the inject '{inject_id}'"
    if trigger == "reaction" and offset is not None:
        report.add(
            INJECTS,
            ("injects", i, "offset_minutes"),
            f"{who} is a reaction (it fires after the options it answers), so it must not "
            "have offset_minutes; give reacts_to.delay_minutes instead",
        )
    elif trigger == "scheduled" and offset is None:
        report.add(
            INJECTS,
            ("injects", i, "offset_minutes"),
            f"{who} is scheduled, so it needs offset_minutes (the minutes after the start "
            "of its move when it fires)",
        )
    elif trigger == "manual" and offset is not None:
        report.add(
            INJECTS,
            ("injects", i, "offset_minutes"),
            f"{who} is manual (a facilitator sends it), so it must not have "
            "offset_minutes; remove it or make the trigger scheduled",
        )
    elif offset is not None and move is not None:
        duration = move.duration_minutes
        if offset >= duration:
            report.add(
                INJECTS,
                ("injects", i, "offset_minutes"),
                f"{who} fires {offset} minutes into move '{move.id}', but that move "
                f"lasts only {duration} minutes",
            )


def _check_options_named(
    report: _Report, delegations: DelegationsFile, injects: InjectsFile
) -> None:
    options = [opt.id for inj in injects.injects for opt in inj.response_options]
    known = set(options)
    for d, delegation in enumerate(delegations.delegations):
        for k, objective in enumerate(delegation.objectives):
            for option in objective.scoring.options:
                if option not in known:
                    report.add(
                        DELEGATIONS,
                        ("delegations", d, "objectives", k, "scoring", "options", option),
                        f"the objective '{objective.id}' scores response option "
                        f"'{option}'{did_you_mean(option, options)}, but no inject "
                        "offers an option with that id",
                    )
        for k, red_line in enumerate(delegation.red_lines):
            for n, option in enumerate(red_line.options):
                if option not in known:
                    report.add(
                        DELEGATIONS,
                        ("delegations", d, "red_lines", k, "options", n),
                        f"the red line '{red_line.id}' names response option "
                        f"'{option}'{did_you_mean(option, options)}, but no inject "
                        "offers an option with that id",
                    )


def _check_branches(
    report: _Report, scenario: ScenarioFile, delegations: DelegationsFile, injects: InjectsFile
) -> None:
    """Conditions, reactions, owned indicators and briefing updates name things that exist."""
    codes = [d.code for d in delegations.delegations]
    options = [opt.id for inj in injects.injects for opt in inj.response_options]
    indicators = [indicator.id for indicator in scenario.indicators]
    inject_ids = [inj.id for inj in injects.injects]
    moves = [move.id for move in scenario.moves]

    for i, indicator in enumerate(scenario.indicators):
        if indicator.owner is not None:
            report.known(
                "delegation",
                indicator.owner,
                f"the indicator '{indicator.id}'",
                codes,
                SCENARIO,
                ("indicators", i, "owner"),
                verb="is owned by",
            )

    for d, delegation in enumerate(delegations.delegations):
        seen: set[str] = set()
        for k, update in enumerate(delegation.briefing_updates):
            loc = ("delegations", d, "briefing_updates", k, "move")
            who = f"the briefing update {k + 1} of {delegation.code}"
            report.known("move", update.move, who, moves, DELEGATIONS, loc)
            if update.move in seen:
                report.add(
                    DELEGATIONS,
                    loc,
                    f"{delegation.code} has two briefing updates for move '{update.move}'; "
                    "write one per move",
                )
            seen.add(update.move)

    for i, inj in enumerate(injects.injects):
        who = f"the inject '{inj.id}'"
        if inj.trigger == "reaction" and inj.reacts_to is None:
            report.add(
                INJECTS,
                ("injects", i, "trigger"),
                f"{who} is a reaction, so it needs reacts_to (the options it answers)",
            )
        if inj.reacts_to is not None:
            if inj.trigger != "reaction":
                report.add(
                    INJECTS,
                    ("injects", i, "reacts_to"),
                    f"{who} has reacts_to, so its trigger must be 'reaction' (it is "
                    f"'{inj.trigger}')",
                )
            base = ("injects", i, "reacts_to")
            for k, option in enumerate(inj.reacts_to.options):
                _known_option(report, who, option, options, base + ("options", k))
            for k, code in enumerate(inj.reacts_to.by):
                report.known("delegation", code, who, codes, INJECTS, base + ("by", k))
        if inj.condition is not None:
            for group in ("all", "any", "none"):
                for k, clause in enumerate(getattr(inj.condition, group)):
                    loc = ("injects", i, "condition", group, k)
                    _check_clause(report, who, clause, loc, options, indicators, inject_ids, codes)


def _known_option(report: _Report, who: str, option: str, options: list[str], loc: Loc) -> None:
    if option not in options:
        report.add(
            INJECTS,
            loc,
            f"{who} names response option '{option}'{did_you_mean(option, options)}, but no "
            "inject offers an option with that id",
        )


def _check_clause(
    report: _Report,
    who: str,
    clause: Clause,
    loc: Loc,
    options: list[str],
    indicators: list[str],
    inject_ids: list[str],
    codes: list[str],
) -> None:
    if clause.option is not None:
        _known_option(report, who, clause.option, options, loc + ("option",))
    if clause.indicator is not None:
        report.known("indicator", clause.indicator, who, indicators, INJECTS, loc + ("indicator",))
    if clause.inject is not None:
        report.known("inject", clause.inject, who, inject_ids, INJECTS, loc + ("inject",))
    for n, code in enumerate(clause.by):
        report.known("delegation", code, who, codes, INJECTS, loc + ("by", n))


def _check_tracks(report: _Report, scenario: ScenarioFile, injects: InjectsFile) -> None:
    """Each track names real injects and moves, and can be played as timed."""
    report.unique(
        "track id", ((t.id, SCENARIO, ("tracks", i, "id")) for i, t in enumerate(scenario.tracks))
    )
    inject_ids = [inj.id for inj in injects.injects]
    move_ids = [move.id for move in scenario.moves]
    for i, track in enumerate(scenario.tracks):
        who = f"the track '{track.id}'"
        broken = False
        for k, inject_id in enumerate(track.injects):
            if inject_id not in inject_ids:
                broken = True
                report.known(
                    "inject", inject_id, who, inject_ids, SCENARIO, ("tracks", i, "injects", k)
                )
        for move_id in track.move_minutes:
            if move_id not in move_ids:
                broken = True
                report.known(
                    "move", move_id, who, move_ids, SCENARIO, ("tracks", i, "move_minutes", move_id)
                )
        # An inject in an unknown move is reported already; the timing of a track cannot be
        # worked out until it is fixed.
        if broken or any(inj.move not in move_ids for inj in injects.injects):
            continue
        moves, cut = cut_to_track(scenario.moves, injects.injects, track)
        for problem in pacing_problems(moves, cut, track.overlap_minutes):
            loc: Loc = ("tracks", i)
            if problem.inject is not None:
                loc = ("tracks", i, "injects", track.injects.index(problem.inject))
            elif problem.move in track.move_minutes:
                loc = ("tracks", i, "move_minutes", problem.move)
            report.add(SCENARIO, loc, f"{who} cannot be played as timed: {problem.message}")
