"""Scenario authoring in the browser (issue 12): an instructor adapts the bundled game in the
library's editor, previews it, publishes it and runs a session on it; export and import travel
as the same zip; two editors cannot overwrite each other; broken imports name the problem; a
scenario stays private to its author and the people it is shared with.

With UPDATE_SCREENSHOTS=1 the pictures of docs/authoring.md are taken again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import axe_violations
from tests.e2e.helpers import PASSWORD, Site, join, open_console, sign_in, tab

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "game_content" / "scenarios" / "trilateral-2023"
FILES = ("scenario.yaml", "delegations.yaml", "injects.yaml")
LOOK = {"locale": "en-GB", "timezone_id": "Europe/London", "color_scheme": "light"}


# --- helpers --------------------------------------------------------------------------------
def shots_dir(tmp_path: Path) -> Path:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        return ROOT / "docs" / "screenshots"
    return tmp_path


def shot(page: Page, out: Path, name: str, full: bool = False) -> Path:
    page.evaluate("document.getElementById('notices')?.remove()")
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    return path


def api(site: Site, method: str, path: str, token: str | None = None, **kwargs: object) -> dict:
    headers = {"Authorization": f"Bearer {token or site.token}"}
    answer = requests.request(method, site.url + path, headers=headers, timeout=30, **kwargs)
    return answer.json() | {"status": answer.status_code}


def duplicate(site: Site, new_slug: str, title: str) -> dict:
    """A copy of the bundled scenario owned by the site's facilitator (made through the API)."""
    answer = api(
        site,
        "POST",
        "/api/library/duplicate",
        json={"slug": "trilateral-2023", "new_slug": new_slug, "title": title},
    )
    assert answer["ok"], answer
    return answer["scenario"]


def create_facilitator(site: Site, name: str) -> Site:
    """Another facilitator account on the same server (same password as the first)."""
    env = {**os.environ, "INSTANCE_PATH": str(site.log.parent)}
    for key in ("DATABASE_URL", "PUBLIC_URL", "SOCKETIO_MESSAGE_QUEUE", "SECRET_KEY"):
        env.pop(key, None)
    env |= {"FLASK_APP": "app", "ASYNC_MODE": "threading"}
    created = subprocess.run(
        [sys.executable, "-m", "flask", "facilitator", "create", name, "--password", PASSWORD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert created.returncode == 0 or "exists" in created.stderr + created.stdout, created.stderr
    return Site(site.url, name, site.log)


def open_editor(page: Page, site: Site, slug: str) -> None:
    page.goto(f"{site.url}/console/library/{slug}")
    expect(page.locator("#save-state")).not_to_have_text(re.compile("Loading"))
    expect(page.locator("#f-scenario-title")).to_be_visible()


def saved(page: Page) -> None:
    """Wait until every edit made so far is saved (the editor marks <body> while it sends)."""
    expect(page.locator("body[data-saving]")).to_have_count(0)
    expect(page.locator("#save-state")).to_have_text(re.compile(r"Draft saved · revision \d+"))


def open_item(page: Page, item_id: str) -> None:
    """Open a list item (an inject, a delegation, an option) if it is closed."""
    details = page.locator(f"[id='{item_id}']")
    if details.get_attribute("open") is None:
        details.locator(":scope > summary").click()
    expect(details).to_have_attribute("open", "")


def set_field(page: Page, field_id: str, value: str) -> None:
    field = page.locator(f"[id='{field_id}']")
    field.fill(value)
    field.press("Tab")
    saved(page)


def no_errors(page: Page) -> None:
    expect(page.locator("#problem-list .problem.error")).to_have_count(0)


# The API answers a refusal with an HTTP error status, which Chromium logs as a console error
# even though the page shows the refusal as it should; those lines are not script problems.
REFUSED = re.compile(
    r"Failed to load resource: the server responded with a status of 4(00|03|04|09)"
)


def problems_of(page: Page) -> list[str]:
    """Script errors and console errors of the page, less the API's expected refusals."""
    return [p for p in page.problems if not REFUSED.search(p)]  # type: ignore[attr-defined]


# --- the instructor's day -------------------------------------------------------------------
def test_an_instructor_adapts_the_bundled_game_and_runs_it(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    """Can an instructor duplicate the bundled game, change a deadline and an effect, add China,
    fix a dangling option id the editor points at, publish, preview as KOR, and have a session
    on the new version show players the new deadline?"""
    out = shots_dir(tmp_path)
    page = sign_in(browser, site, width=1280, height=900, **LOOK)

    # The library lists the bundled scenario; duplicate it.
    page.goto(f"{site.url}/console")
    page.get_by_role("link", name="Open the scenario library").click()
    page.wait_for_url("**/console/library")
    bundled = page.locator("#library-rows tr[data-slug='trilateral-2023']")
    expect(bundled).to_contain_text("Bundled")
    shot(page, out, "authoring-library")
    bundled.get_by_role("button", name=re.compile("^Duplicate")).click()
    page.get_by_label("Title of the copy").fill("Trilateral crisis — my class")
    page.get_by_label("Short name of the copy").fill("trilateral-my-class")
    page.locator("#duplicate-form").get_by_role("button", name="Duplicate").click()
    page.wait_for_url("**/console/library/trilateral-my-class")
    expect(page.locator("#f-scenario-title")).to_have_value("Trilateral crisis — my class")

    # A longer first deadline, and a stronger deterrence effect.
    tab(page, "Injects")
    open_item(page, "f-injects-injects-0")
    set_field(page, "f-injects-injects-0-deadline_minutes", "10")
    open_item(page, "f-injects-injects-0-response_options-0")
    set_field(page, "f-injects-injects-0-response_options-0-effects-deterrence", "9")
    yaml = page.locator("#yaml-injects")
    expect(yaml).to_have_value(re.compile(r"deadline_minutes: 10\n"))
    expect(yaml).to_have_value(re.compile(r"effects: \{deterrence: 9, cohesion: 4"))
    # The comments of the file are kept.
    expect(yaml).to_have_value(re.compile(r"# -+ Move 1: North Korea"))
    shot(page, out, "authoring-editor")

    # Renaming an option leaves Korea's objective scoring a missing id: the editor says where.
    open_item(page, "f-injects-injects-0-response_options-2")
    set_field(page, "f-injects-injects-0-response_options-2-id", "vm-un-track")
    problem = page.locator("#problem-list .problem.error", has_text="vm-un-first")
    expect(problem).to_have_count(1)
    expect(page.locator("#publish")).to_have_attribute("aria-disabled", "true")
    problem.locator("button").click()
    expect(page.get_by_role("tab", name="Delegations")).to_have_attribute("aria-selected", "true")
    picker = page.locator("select[aria-invalid='true']")
    expect(picker).to_be_focused()
    expect(picker).to_have_value("vm-un-first")
    inline = page.locator(".field-error", has_text="vm-un-first")
    expect(inline).to_be_visible()
    described = picker.get_attribute("aria-describedby") or ""
    assert inline.get_attribute("id") in described.split()
    shot(page, out, "authoring-error")
    picker.select_option("vm-un-track")
    saved(page)
    no_errors(page)
    expect(page.locator(".field-error", has_text="vm-un-first")).to_have_count(0)

    # A fourth delegation: China, with one role and one objective.
    page.locator("#f-delegations-delegations").get_by_role(
        "button", name="Add delegation", exact=True
    ).click()
    saved(page)
    new = "f-delegations-delegations-3"
    expect(page.locator(f"[id='{new}']")).to_have_attribute("open", "")
    set_field(page, f"{new}-code", "CHN")
    set_field(page, f"{new}-name", "China")
    set_field(page, f"{new}-colour", "#de2910")
    set_field(page, f"{new}-public_briefing", "Beijing calls for restraint on all sides.")
    set_field(page, f"{new}-private_briefing", "Keep the three allies from closing ranks.")
    open_item(page, f"{new}-roles-0")
    set_field(page, f"{new}-roles-0-id", "chn-head")
    set_field(page, f"{new}-roles-0-title", "Foreign Minister (head of delegation)")
    expect(page.locator(f"[id='{new}-roles-0-lead']")).to_be_checked()
    open_item(page, f"{new}-objectives-0")
    set_field(page, f"{new}-objectives-0-id", "chn-obj-un")
    set_field(page, f"{new}-objectives-0-text", "Keep the answer inside the UN Security Council.")
    page.locator(f"[id='{new}-objectives-0-scoring-options']").get_by_role(
        "button", name="Add response option"
    ).click()
    saved(page)
    key = page.locator(f"[id='{new}-objectives-0-scoring-options'] .map-row select").first
    key.select_option("vm-un-track")
    saved(page)
    set_field(page, f"{new}-objectives-0-scoring-options-vm-un-track", "3")
    no_errors(page)
    expect(page.locator("#yaml-delegations")).to_have_value(re.compile(r"code: '?CHN'?\n"))

    # Publish: a new version.
    before = api(site, "GET", "/api/library")
    old_version = next(s for s in before["scenarios"] if s["slug"] == "trilateral-my-class")[
        "version"
    ]
    expect(page.locator("#publish")).to_have_attribute("aria-disabled", "false")
    page.locator("#publish").click()
    expect(page.locator("#save-state")).to_have_text(re.compile(r"Published version \d+"))
    version = int(re.search(r"\d+", page.locator("#save-state").inner_text()).group())
    assert version == (old_version or 0) + 1
    assert version >= 2 or old_version is None
    # Nothing left to publish until something changes.
    expect(page.locator("#publish-why")).to_contain_text(f"The draft is version {version}")
    expect(page.locator("#publish")).to_have_attribute("aria-disabled", "true")

    # The versions tab says what changed, in words.
    tab(page, "Versions")
    expect(page.locator("#version-list")).to_contain_text(f"v{version}")
    if version > 1:
        page.locator("#diff-from").select_option(str(version - 1))
        page.locator("#diff-to").select_option(str(version))
        page.get_by_role("button", name="Compare").click()
        expect(page.locator("#diff-list")).to_contain_text("5 → 10")
        shot(page, out, "authoring-versions")

    # Preview as KOR: the briefing, the first inject with its options and the new deadline.
    tab(page, "Preview")
    expect(page.locator("#panel-preview")).to_be_visible()
    page.locator("#preview-as").select_option("KOR")
    page.get_by_role("button", name="Show").click()
    view = page.locator("#preview-view")
    expect(view.locator(".own-briefing")).to_contain_text("Republic of Korea")
    card = view.locator("#inject-nk-vice-ministers-tokyo")
    expect(card).to_contain_text("Response options")
    expect(card.locator(".deadline")).to_have_text(re.compile(r"(?:9|10):\d\d left to respond"))
    expect(view).to_contain_text("China")
    card.evaluate("n => window.scrollTo(0, n.getBoundingClientRect().top + window.scrollY - 140)")
    shot(page, out, "authoring-preview")

    # Dry run of the whole scenario: a timeline per delegation, China included.
    tab(page, "Dry run")
    page.get_by_role("button", name="Run the dry run").click()
    expect(page.locator("#dryrun-view table tbody tr").first).to_be_visible()
    expect(page.locator("#dryrun-view")).to_contain_text("CHN")
    shot(page, out, "authoring-dryrun")

    # A session on the new version: the player sees the 10-minute deadline.
    page.goto(f"{site.url}/console")
    page.locator("#create-scenario").select_option("trilateral-my-class")
    page.locator("#create-title-input").fill("Adapted seminar")
    page.get_by_role("button", name="Create session").click()
    page.wait_for_url(re.compile(r".*/console/\d+$"))
    session_id = int(page.url.rsplit("/", 1)[1])
    code = page.locator("#join-code").inner_text().strip()
    student = join(browser, site, code, "Ana Lima")
    open_console(page, site, session_id)
    page.locator("#controls [data-command='session.start']").click()
    tab(student, "Injects")
    deadline = student.locator("#inject-nk-vice-ministers-tokyo .deadline")
    expect(deadline).to_have_text(re.compile(r"(?:9|10):\d\d left to respond"))
    tab(student, "Briefing")
    expect(student.locator("#panel-briefing")).to_contain_text("China")
    summary = api(site, "GET", f"/api/sessions/{session_id}")
    if summary.get("ok"):
        assert f"{version}" in str(summary)

    for p in (page, student):
        assert problems_of(p) == [], problems_of(p)
        p.context.close()


def test_export_and_reimport_give_the_same_scenario(
    browser: Browser, site: Site, tmp_path: Path
) -> None:
    """Does a scenario exported as a zip come back from an import byte for byte?"""
    duplicate(site, "travelling-copy", "A copy that travels by e-mail")
    draft = api(site, "GET", "/api/library/travelling-copy/draft")
    api(site, "POST", "/api/library/travelling-copy/publish", json={"revision": draft["revision"]})
    page = sign_in(browser, site, width=1280, height=900)
    page.goto(f"{site.url}/console/library")
    row = page.locator("#library-rows tr[data-slug='travelling-copy']")
    with page.expect_download() as info:
        row.get_by_role("button", name=re.compile("^Export")).click()
    first = tmp_path / "first.zip"
    info.value.save_as(first)
    with zipfile.ZipFile(first) as archive:
        exported = {Path(name).name: archive.read(name) for name in archive.namelist()}
    assert set(FILES) <= set(exported)

    # The library already holds that id: the import is refused and asks for another name.
    page.locator("#import-files").set_input_files(str(first))
    page.locator("#import-form").get_by_role("button", name="Import").click()
    expect(page.locator("#import-problems")).to_contain_text("Nothing was imported")
    expect(page.locator("#import-slug")).to_be_focused()

    # Delete it (no session uses it), then import the zip again.
    delete = row.get_by_role("button", name=re.compile("^Delete"))
    delete.click()
    delete.click()
    expect(page.locator("#library-rows tr[data-slug='travelling-copy']")).to_have_count(0)
    page.locator("#import-files").set_input_files(str(first))
    page.locator("#import-form").get_by_role("button", name="Import").click()
    row = page.locator("#library-rows tr[data-slug='travelling-copy']")
    expect(row).to_have_count(1)

    # The imported draft holds the very bytes of the zip.
    draft = api(site, "GET", "/api/library/travelling-copy/draft")
    for name in FILES:
        assert draft["files"][name].encode("utf-8") == exported[name], name
    assert problems_of(page) == []
    page.context.close()


def test_a_save_over_someone_elses_newer_draft_is_refused_clearly(
    browser: Browser, site: Site
) -> None:
    """When two facilitators edit the same draft, is the second save refused with a message
    that names the conflict and a way to load the newer draft, and nothing overwritten?"""
    duplicate(site, "two-editors", "Two editors")
    first = sign_in(browser, site, width=1280, height=900)
    second = sign_in(browser, site, width=1280, height=900)
    open_editor(first, site, "two-editors")
    open_editor(second, site, "two-editors")

    set_field(first, "f-scenario-title", "Renamed by the first editor")
    field = second.locator("#f-scenario-summary")
    field.fill("The second editor's summary.")
    field.press("Tab")
    banner = second.locator("#conflict")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("not saved")
    expect(second.locator("#save-state")).to_have_text(re.compile("Not saved"))
    draft = api(site, "GET", "/api/library/two-editors/draft")
    assert "Renamed by the first editor" in draft["files"]["scenario.yaml"]
    assert "The second editor's summary." not in draft["files"]["scenario.yaml"]

    second.get_by_role("button", name="Load the latest draft").click()
    expect(banner).to_be_hidden()
    expect(second.locator("#f-scenario-title")).to_have_value("Renamed by the first editor")
    for page in (first, second):
        assert problems_of(page) == []
        page.context.close()


def broken_scenarios() -> dict[str, tuple[dict[str, str], str, str]]:
    """name -> (the three files, the file the problem is in, a word the message must hold)."""
    good = {name: (BUNDLED / name).read_text(encoding="utf-8") for name in FILES}
    tab_indent = good["injects.yaml"].replace("    move: move-1\n", "\tmove: move-1\n", 1)
    typo = good["delegations.yaml"].replace("    public_briefing:", "    public_brefing:", 1)
    dangling = good["injects.yaml"].replace(
        "sources: [usembassy-2022-10-26,", "sources: [nowhere,", 1
    )
    return {
        "tab": (good | {"injects.yaml": tab_indent}, "injects.yaml", "tab"),
        "typo": (good | {"delegations.yaml": typo}, "delegations.yaml", "public_brefing"),
        "dangling": (good | {"injects.yaml": dangling}, "injects.yaml", "nowhere"),
    }


@pytest.mark.parametrize("case", sorted(broken_scenarios()))
def test_an_import_with_a_broken_file_names_it_and_imports_nothing(
    browser: Browser, site: Site, tmp_path: Path, case: str
) -> None:
    """Does importing a scenario with a broken file list the file, line and field of the
    problem, and leave the library as it was?"""
    files, where, word = broken_scenarios()[case]
    slug = f"broken-{case}"
    for name, text in files.items():
        text = text.replace("id: trilateral-2023", f"id: {slug}", 1)
        (tmp_path / name).write_text(text, encoding="utf-8")
    page = sign_in(browser, site, width=1280, height=900)
    page.goto(f"{site.url}/console/library")
    expect(page.locator("#library-table")).to_be_visible()
    page.locator("#import-files").set_input_files([str(tmp_path / name) for name in FILES])
    page.locator("#import-form").get_by_role("button", name="Import").click()
    box = page.locator("#import-problems")
    expect(box).to_be_visible()
    expect(box).to_contain_text("Nothing was imported")
    line = box.locator("li", has_text=word).first
    expect(line).to_contain_text(where)
    expect(line).to_contain_text(re.compile(r"line \d+"))
    listed = api(site, "GET", "/api/library")
    assert slug not in [s["slug"] for s in listed["scenarios"]]
    assert problems_of(page) == []
    page.context.close()


def test_a_scenario_is_private_until_shared(browser: Browser, site: Site) -> None:
    """Can another facilitator neither see nor open a scenario until its owner shares it?"""
    duplicate(site, "private-plans", "Private plans")
    colleague = create_facilitator(site, "colleague")
    other = sign_in(browser, colleague, width=1280, height=900)
    other.goto(f"{site.url}/console/library")
    expect(other.locator("#library-rows tr[data-slug='trilateral-2023']")).to_have_count(1)
    expect(other.locator("#library-rows tr[data-slug='private-plans']")).to_have_count(0)
    other.goto(f"{site.url}/console/library/private-plans")
    expect(other.locator("#load-error")).to_be_visible()
    expect(other.locator("#f-scenario-title")).to_have_count(0)
    refused = api(
        site,
        "PUT",
        "/api/library/private-plans/draft",
        colleague.token,
        json={"revision": 0, "files": {"scenario.yaml": "id: private-plans\n"}},
    )
    assert refused["ok"] is False and refused["status"] in (403, 404)

    # The owner shares it from the library: now the colleague sees and opens it.
    owner = sign_in(browser, site, width=1280, height=900)
    owner.goto(f"{site.url}/console/library")
    owner.locator("#library-rows tr[data-slug='private-plans']").get_by_role(
        "button", name=re.compile("^Share")
    ).click()
    owner.get_by_label("Facilitator's account name").fill("colleague")
    owner.locator("#share-form").get_by_role("button", name="Share").click()
    expect(owner.locator("#share-list")).to_contain_text("colleague")
    other.goto(f"{site.url}/console/library")
    expect(other.locator("#library-rows tr[data-slug='private-plans']")).to_have_count(1)
    open_editor(other, site, "private-plans")
    for page in (owner, other):
        assert problems_of(page) == []
        page.context.close()


def test_library_and_editor_have_no_axe_violation(browser: Browser, site: Site) -> None:
    """Do the library and the editor (with an inline error showing, wide and on a phone)
    pass axe's WCAG 2.1 A/AA rules?"""
    duplicate(site, "axe-check", "Axe check")
    found: list[str] = []
    for width, height in ((1280, 900), (375, 812)):
        page = sign_in(browser, site, width=width, height=height)
        page.goto(f"{site.url}/console/library")
        expect(page.locator("#library-table")).to_be_visible()
        found += axe_violations(page, f"library {width}")
        page.locator("#library-rows tr[data-slug='axe-check']").get_by_role(
            "button", name=re.compile("^Share")
        ).click()
        found += axe_violations(page, f"share dialog {width}")
        page.keyboard.press("Escape")
        open_editor(page, site, "axe-check")
        found += axe_violations(page, f"editor {width}")
        if width == 1280:
            tab(page, "Injects")
            open_item(page, "f-injects-injects-0")
            set_field(page, "f-injects-injects-0-id", "Not An Id")
            expect(page.locator(".field-error").first).to_be_visible()
            found += axe_violations(page, "editor with an error")
            set_field(page, "f-injects-injects-0-id", "nk-vice-ministers-tokyo")
            tab(page, "Preview")
            page.get_by_role("button", name="Show").click()
            expect(page.locator("#preview-view .own-briefing")).to_be_visible()
            found += axe_violations(page, "preview")
        assert problems_of(page) == []
        page.context.close()
    assert found == [], "\n".join(found)


def test_hostile_text_in_a_scenario_is_shown_as_text(browser: Browser, site: Site) -> None:
    """Is markup typed into a scenario shown as characters, never run?"""
    duplicate(site, "hostile-text", "Hostile text")
    page = sign_in(browser, site, width=1280, height=900)
    open_editor(page, site, "hostile-text")
    hostile = '<img src=x onerror="window.pwned=1">'
    set_field(page, "f-scenario-title", hostile)
    expect(page.locator("#editor-title")).to_have_text(hostile)
    page.locator("#publish").click()
    expect(page.locator("#save-state")).to_have_text(re.compile(r"Published version \d+"))
    page.goto(f"{site.url}/console/library")
    expect(page.locator("#library-rows tr[data-slug='hostile-text']")).to_contain_text(hostile)
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("#library-rows img").count() == 0
    page.context.close()


def test_library_and_editor_fit_a_phone(browser: Browser, site: Site) -> None:
    """Do the library and the editor work at phone width (no sideways scrolling of the page)?"""
    duplicate(site, "phone-edit", "Phone edit")
    page = sign_in(browser, site, width=375, height=812, is_mobile=True, has_touch=True)
    page.goto(f"{site.url}/console/library")
    expect(page.locator("#library-rows tr[data-slug='phone-edit']")).to_be_visible()
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    open_editor(page, site, "phone-edit")
    set_field(page, "f-scenario-title", "Edited on a phone")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    assert problems_of(page) == []
    page.context.close()


def field_id(file: str, path: list[object]) -> str:
    """The DOM id the editor gives the control of `path` (static/js/editor/form.js, fieldId)."""
    parts = [re.sub(r"[^A-Za-z0-9_-]", "_", str(part)) for part in path]
    return f"f-{file.removesuffix('.yaml')}-" + "-".join(parts)


def value_ids(file: str, value: object, path: list[object]) -> list[str]:
    """The ids of the controls that must show every value of a file (a list of plain values,
    such as sources or an audience, is one control group)."""
    if isinstance(value, dict):
        return [i for key, item in value.items() for i in value_ids(file, item, [*path, key])]
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return [i for n, item in enumerate(value) for i in value_ids(file, item, [*path, n])]
    return [field_id(file, path)]


@pytest.mark.parametrize("source", ["bundled", "branching-demo"])
def test_the_form_has_a_field_for_every_value_of_the_files(
    browser: Browser, site: Site, source: str
) -> None:
    """Does the generated form show every field the scenario's files hold — conditions,
    reactions, tracks, briefing updates, owned indicators, red lines, lint acceptances?"""
    slug = f"every-field-{source}"
    if source == "bundled":
        duplicate(site, slug, "Every field")
    else:
        folder = ROOT / "tests" / "fixtures" / "scenarios" / source
        files = {name: (folder / name).read_text(encoding="utf-8") for name in FILES}
        answer = api(site, "POST", "/api/library/import", json={"files": files, "new_slug": slug})
        assert answer["ok"], answer
    draft = api(site, "GET", f"/api/library/{slug}/draft")
    wanted = [i for name in FILES for i in value_ids(name, draft["data"][name], [])]
    page = sign_in(browser, site, width=1280, height=900)
    open_editor(page, site, slug)
    missing = page.evaluate("ids => ids.filter(id => !document.getElementById(id))", wanted)
    assert missing == []
    assert len(wanted) > 100
    assert problems_of(page) == []
    page.context.close()


def test_yaml_typed_beside_the_form_is_checked_then_applied(browser: Browser, site: Site) -> None:
    """Is YAML typed in the text view checked as it is typed (its problems listed with their
    line), kept from the form until applied, and then shown by the form?"""
    duplicate(site, "typed-yaml", "Typed YAML")
    page = sign_in(browser, site, width=1280, height=900)
    open_editor(page, site, "typed-yaml")
    area = page.locator("#yaml-scenario")
    original = area.input_value()
    area.fill(original.replace("title: ", "title: [never closed ", 1))
    expect(page.locator("#problems-source")).to_be_visible()
    problem = page.locator("#problem-list .problem.error").first
    expect(problem).to_contain_text("scenario.yaml")
    expect(problem).to_contain_text(re.compile(r"line \d+"))
    expect(page.locator("#form-scenario")).to_have_attribute("inert", "")
    expect(page.locator("#publish")).to_have_attribute("aria-disabled", "true")

    area.fill(re.sub(r"(?m)^title: .*$", "title: Typed in the YAML view", original, count=1))
    page.get_by_role("button", name="Apply YAML").first.click()
    expect(page.locator("#f-scenario-title")).to_have_value("Typed in the YAML view")
    expect(page.locator("#form-scenario")).not_to_have_attribute("inert", "")
    expect(page.locator("#problems-source")).to_be_hidden()
    draft = api(site, "GET", "/api/library/typed-yaml/draft")
    assert "title: Typed in the YAML view" in draft["files"]["scenario.yaml"]
    assert problems_of(page) == []
    page.context.close()
