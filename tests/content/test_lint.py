"""`flask scenario lint`: one fixture per warning, made from the lint-clean branching demo by one
edit, and the written justification that marks a warning as accepted."""

from __future__ import annotations

from pathlib import Path

from app.content.lint import lint_folder


def warnings_of(folder: Path):  # type: ignore[no-untyped-def]
    problems, warnings = lint_folder(folder)
    assert problems == []
    return warnings


def only(folder: Path):  # type: ignore[no-untyped-def]
    found = warnings_of(folder)
    assert len(found) == 1, [str(w) for w in found]
    return found[0]


def line_of(folder: Path, file_name: str, fragment: str) -> int:
    lines = (folder / file_name).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if fragment in line)


def test_the_demo_lints_clean(demo):
    """Does the branching demo pass lint with zero warnings?"""
    assert warnings_of(demo()) == []


def test_dominant_option(demo):
    """Is an option best for every delegation and every indicator called dominant?"""
    folder = demo(
        ("delegations.yaml", "condemn: 1\n", "condemn: 3\n"),
        ("delegations.yaml", "drills: 3\n", "drills: 3\n            condemn: 3\n"),
        (
            "injects.yaml",
            "effects: {deterrence: 4, cohesion: 4, support-kor: -3}",
            "effects: {deterrence: 7, cohesion: 4, escalation: 9, support-kor: 6}",
        ),
    )
    found = [w for w in warnings_of(folder) if w.warning == "dominant-option"]
    assert [w.subject for w in found] == ["condemn"]
    assert found[0].file == "injects.yaml"
    assert found[0].field == "injects[0].response_options[0].id"
    assert found[0].line == line_of(folder, "injects.yaml", "- id: condemn")
    assert "obvious right answer" in found[0].message


def test_option_serving_nobody(demo):
    """Is an option no delegation's objectives score called out?"""
    folder = demo(("delegations.yaml", "            meet-open: 2\n", ""))
    warning = only(folder)
    assert (warning.warning, warning.subject) == ("option-serves-nobody", "meet-open")
    assert warning.line == line_of(folder, "injects.yaml", "- id: meet-open")


def test_an_option_with_a_trade_off_serves_someone(demo):
    """Is an option that gains points for one objective, though it costs more elsewhere, spared
    (a dilemma, not a dead option)?"""
    trade_off = demo(
        (
            "delegations.yaml",
            "            fix-later: 1\n",
            "            fix-later: 1\n            meet-open: -5\n",
        )
    )
    assert warnings_of(trade_off) == []


def test_track_pacing(demo):
    """Is a move whose deadlines for all add up to more than its length called out?"""
    folder = demo(("injects.yaml", "    deadline_minutes: 6\n", "    deadline_minutes: 25\n"))
    warning = only(folder)
    assert (warning.warning, warning.subject) == ("track-pacing", "move-2")
    assert "packs 33 minutes of deadlines for all delegations into 30 minutes" in warning.message
    assert warning.file == "scenario.yaml" and warning.field == "moves[1].duration_minutes"


def test_track_pacing_on_a_track(demo):
    """Is a track's deadline load checked on the track's own cut?"""
    folder = demo(
        (
            "scenario.yaml",
            "dialogue-missing, nk-answers",
            "dialogue-missing, cohesion-check, nk-answers",
        ),
        ("injects.yaml", "    deadline_minutes: 6\n", "    deadline_minutes: 16\n"),
    )
    found = {(w.warning, w.subject) for w in warnings_of(folder)}
    assert found == {("track-pacing", "seminar-short")}


def test_unreachable_branch(demo):
    """Is a condition on an option offered only later called unreachable?"""
    folder = demo(
        ("injects.yaml", "        - option: drills\n", "        - option: summit-yes\n"),
        ("injects.yaml", "        - inject: launch\n", "        - inject: cohesion-check\n"),
    )
    warning = only(folder)
    assert (warning.warning, warning.subject) == ("unreachable-branch", "cohesion-check")
    assert "none of its 'any' clauses can hold" in warning.message


def test_unreachable_indicator_threshold(demo):
    """Is a threshold beyond the indicator's range called unreachable?"""
    folder = demo(("injects.yaml", "at_least: 55", "at_least: 155"))
    warning = only(folder)
    assert "only runs from 0 to 100" in warning.message


def test_unreachable_reaction_on_a_track(demo):
    """Is a reaction to an option its track leaves out called unreachable on that track?"""
    folder = demo(
        ("scenario.yaml", " nk-answers-drills, china-protest]", " china-protest]"),
        ("scenario.yaml", "injects: [launch,", "injects: [launch, nk-answers-drills,"),
        ("scenario.yaml", "injects: [launch, ", "injects: ["),
    )
    warning = only(folder)
    assert warning.warning == "unreachable-branch"
    assert "on the track 'seminar-short'" in warning.message
    assert "none of the options it reacts to is offered" in warning.message


def test_inject_with_no_decision(demo):
    """Is an inject without a deadline called out as asking for no decision?"""
    folder = demo(("injects.yaml", "    deadline_minutes: 5\n", ""))
    warning = only(folder)
    assert (warning.warning, warning.subject) == ("no-decision", "kor-private")


def test_hypothetical_without_label(demo):
    """Is an event dated after every source it cites, not marked hypothetical, called out?"""
    folder = demo(
        ("injects.yaml", "    date: 2022-11-05\n    hypothetical: true\n", "    date: 2022-11-05\n")
    )
    warning = only(folder)
    assert (warning.warning, warning.subject) == ("hypothetical-unlabelled", "dialogue")
    assert warning.field == "injects[1].date"


def test_claim_without_source(demo):
    """Is a dated claim no cited source can back called out, and a placeholder title?"""
    folder = demo(
        (
            "injects.yaml",
            "North Korea has fired at least 23 missiles.",
            "On 18 November 2022 North Korea fired at least 23 missiles.",
        ),
        (
            "scenario.yaml",
            'title: "Report of the General Staff',
            'title: "[Report of the General Staff',
        ),
    )
    folder_text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    (folder / "scenario.yaml").write_text(
        folder_text.replace("Korean People's Army\"", "Korean People's Army]\""), encoding="utf-8"
    )
    found = {(w.warning, w.subject) for w in warnings_of(folder)}
    assert found == {
        ("claim-without-source", "launch"),
        ("claim-without-source", "kcna-2022-11-07"),
    }


def test_delegation_colours_too_close_to_tell_apart(demo):
    """Korea's old navy beside the US navy (ΔE 14, the stripes the projector showed as one):
    is the second delegation's colour named, with the line of its `colour`?"""
    folder = demo(("delegations.yaml", 'colour: "#287878"', 'colour: "#003478"'))
    warning = only(folder)
    assert (warning.warning, warning.subject) == ("delegation-colour", "USA")
    assert warning.field == "delegations[2].colour"
    assert warning.line == line_of(folder, "delegations.yaml", '"#3c3b6e"')
    assert "too close to KOR's #003478 (ΔE 14" in warning.message


def test_delegation_colours_apart_for_most_but_not_for_deuteranopes(demo):
    """Korea's earlier teal beside the US navy: ΔE 40 as most people see them, 18 as simulated
    for deuteranopia. Is the pair named once, with the deficiency under which it fails?"""
    folder = demo(("delegations.yaml", 'colour: "#287878"', 'colour: "#0b7285"'))
    warning = only(folder)
    assert (warning.warning, warning.subject) == ("delegation-colour", "USA")
    assert warning.field == "delegations[2].colour"
    assert "too close to KOR's #0b7285 as seen with deuteranopia (ΔE 18" in warning.message


def test_a_delegation_colour_too_light_for_white_text(demo):
    """Is a pale colour, on which the pills' white text cannot be read, called out?"""
    folder = demo(("delegations.yaml", 'colour: "#bc002d"', 'colour: "#f4a6b5"'))
    warning = only(folder)
    assert (warning.warning, warning.subject) == ("delegation-colour", "JPN")
    assert "white text on #f4a6b5 has a contrast of" in warning.message


def test_a_justified_warning_is_accepted(demo):
    """Does a written justification in the YAML mark the warning as accepted?"""
    folder = demo(
        ("delegations.yaml", "            meet-open: 2\n", ""),
        (
            "scenario.yaml",
            "debrief:\n",
            "lint:\n  accept:\n    - warning: option-serves-nobody\n"
            "      subject: meet-open\n      because: An open agenda is the trap we want to show.\n"
            "debrief:\n",
        ),
    )
    warning = only(folder)
    assert warning.accepted == "An open agenda is the trap we want to show."
    assert str(warning).endswith("accepted: An open agenda is the trap we want to show.")
