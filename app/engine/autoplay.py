"""Automatic delegations: how the server plays a government nobody is seated for.

It reads only what a seat of that delegation could read (the proposal, the inject's menu, its
own objectives and red lines) and answers like a cautious negotiator: it endorses what serves its
objectives, counter-proposes once when something hurts them or crosses a red line, and otherwise
rejects with its reason.
"""

from __future__ import annotations

from typing import Any

from app.engine.proposals import crossed_red_lines
from app.engine.state import Proposal, SessionState


def option_value(state: SessionState, code: str, option_id: str) -> int:
    """How much an option serves the delegation's private objectives (negative: hurts)."""
    objectives = state.scenario.delegation(code).objectives
    return sum(o.scoring.options.get(option_id, 0) for o in objectives)


def auto_response(state: SessionState, code: str, proposal: Proposal) -> tuple[str, dict[str, Any]]:
    """The command an automatic delegation sends about the current version of a proposal."""
    current = proposal.current
    name = state.scenario.delegation(code).name
    lines = crossed_red_lines(state.scenario, code, current.options)
    harmful = [o for o in current.options if option_value(state, code, o) < 0]
    crossing = {o for line in lines for o in line["options"]}
    if not lines and sum(option_value(state, code, o) for o in current.options) >= 0:
        return "proposal.endorse", {"proposal_id": proposal.id, "version": current.n}
    base = {"proposal_id": proposal.id, "version": current.n}
    if code not in proposal.countered_by:
        counter = _counter_options(state, code, proposal, crossing | set(harmful))
        if counter and tuple(counter) != current.options:
            dropped = [o for o in current.options if o not in counter]
            text = (
                f"{name} proposes an amended text. We cannot accept: "
                + "; ".join(_option_text(state, proposal, o) for o in dropped)
                + ". We would support: "
                + "; ".join(_option_text(state, proposal, o) for o in counter)
                + f"\n\n(Amending: {current.text})"
            )
            return "proposal.amend", {
                "proposal_id": proposal.id,
                "text": text[:4000],
                "options": counter,
            }
    if lines:
        reason = f"{name} cannot accept this: " + " ".join(line["text"] for line in lines)
    else:
        reason = f"{name} judges that this works against its objectives: " + "; ".join(
            _option_text(state, proposal, o) for o in harmful
        )
    return "proposal.reject", base | {"reason": reason[:1000]}


def _counter_options(
    state: SessionState, code: str, proposal: Proposal, unwanted: set[str]
) -> list[str]:
    kept = [o for o in proposal.current.options if o not in unwanted]
    if proposal.inject_id is None:
        return kept
    menu = state.injects[proposal.inject_id].options
    lines = crossed_red_lines(state.scenario, code, menu)
    forbidden = {o for line in lines for o in line["options"]} | unwanted
    best = sorted(
        (o for o in menu if o not in forbidden and o not in kept),
        key=lambda o: -option_value(state, code, o),
    )
    if best and option_value(state, code, best[0]) > 0:
        kept.append(best[0])
    return kept


def _option_text(state: SessionState, proposal: Proposal, option_id: str) -> str:
    if proposal.inject_id is not None:
        for option in state.injects[proposal.inject_id].public.get("response_options", []):
            if option["id"] == option_id:
                return option["text"]
    return option_id
