"""Branching: whether an inject's condition holds, and why, read from what happened so far.

A condition is checked when its inject is due (or fired by hand). Everything it reads — adopted
joint responses, statements, indicators, the outcomes of earlier injects — is in the state
folded from the log, so a replay takes the same branch.
"""

from __future__ import annotations

from app.content.schema import Clause, Condition
from app.engine.state import SessionState


def chosen_by(state: SessionState, option_id: str, was: str, by: tuple[str, ...] = ()) -> bool:
    """True when the option was part of an adopted joint response (`was` adopted or chosen) or
    stated unilaterally (`was` stated or chosen, by one of `by` if given)."""
    if was in ("adopted", "chosen"):
        for proposal in state.proposals.values():
            version = proposal.adopted_version
            if version is not None and option_id in proposal.versions[version - 1].options:
                return True
    if was in ("stated", "chosen"):
        for statement in state.statements:
            if option_id in statement["options"] and (not by or statement["delegation"] in by):
                return True
    return False


def _option_text(state: SessionState, option_id: str) -> str:
    try:
        return f"'{state.scenario.option(option_id).text}'"
    except KeyError:
        return f"'{option_id}'"


def clause_holds(state: SessionState, clause: Clause) -> tuple[bool, str]:
    """Whether one clause holds, and a sentence saying what was found."""
    if clause.option is not None:
        ok = chosen_by(state, clause.option, clause.was, clause.by)
        how = {
            "adopted": "adopted in a joint response",
            "stated": "stated" + (f" by {'/'.join(clause.by)}" if clause.by else ""),
            "chosen": "adopted or stated",
        }[clause.was]
        return (
            ok,
            f"the option {_option_text(state, clause.option)} was {'' if ok else 'not '}{how}",
        )
    if clause.indicator is not None:
        value = state.indicators.get(clause.indicator, 0)
        try:
            name = state.scenario.indicator(clause.indicator).name
        except KeyError:
            name = clause.indicator
        low, high = clause.at_least, clause.at_most
        ok = (low is None or value >= low) and (high is None or value <= high)
        wanted = " and ".join(
            part
            for part in (
                f"at least {low}" if low is not None else "",
                f"at most {high}" if high is not None else "",
            )
            if part
        )
        return ok, f"{name} is {value} (the condition wants {wanted})"
    status = state.injects.get(clause.inject or "")
    outcome = status.outcome if status else None
    found = {"adopted": "a joint response adopted", "no_consensus": "no consensus"}
    ok = outcome == clause.outcome
    if outcome is None:
        seen = "has no outcome yet" if status and status.status == "fired" else "was not played"
        return ok, f"the inject '{clause.inject}' {seen}"
    return ok, f"the inject '{clause.inject}' ended with {found.get(outcome, outcome)}"


def condition_holds(state: SessionState, condition: Condition) -> tuple[bool, str]:
    """Whether a condition holds now, and the reason in words (the failing clauses if it does
    not, every clause if it does)."""
    failing: list[str] = []
    passing: list[str] = []
    for clause in condition.all:
        ok, why = clause_holds(state, clause)
        (passing if ok else failing).append(why)
    if condition.any:
        results = [clause_holds(state, clause) for clause in condition.any]
        if any(ok for ok, _ in results):
            passing.extend(why for ok, why in results if ok)
        else:
            failing.append("none of these happened: " + "; ".join(why for _, why in results))
    for clause in condition.none:
        ok, why = clause_holds(state, clause)
        (failing if ok else passing).append(why)
    if failing:
        return False, "; ".join(failing)
    return True, "; ".join(passing)
